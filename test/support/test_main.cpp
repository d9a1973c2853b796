//
// test/support/test_main.cpp
//
// The Boost.Test entry point of one test executable (its name, BOOST_SOCKN_TEST_MODULE, comes from
// the build; only this file defines the module):
// the shared library on Linux, the header-only form on Windows, where Debian has no mingw build
// of Boost's compiled libraries. Every case fails if the strict PSN model saw the library break
// the port contract during it. At the end it prints one line,
//   <module> [<backend>, <policy>]: N passed, N failed, N skipped
// which scripts/test-all.sh adds up over every run.
//

#define BOOST_TEST_MODULE BOOST_SOCKN_TEST_MODULE
#if defined(BOOST_SOCKN_TEST_HEADER_ONLY)
#include <boost/test/included/unit_test.hpp>
#else
#include <boost/test/unit_test.hpp>
#endif

#include <boost/test/results_collector.hpp>

#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
#include "support/contract_check.hpp"

#include <boost_sockn/reactor.hpp>
#include <boost/asio/io_context.hpp>
#endif

#include <cstdio>
#include <string>

namespace {

#define BOOST_SOCKN_STRINGIZE2(x) #x
#define BOOST_SOCKN_STRINGIZE(x) BOOST_SOCKN_STRINGIZE2(x)

std::string configuration()
{
#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
  return "native Asio";
#else
  std::string why;
  if (!boost_sockn::reactor::available(boost_sockn::reactor_options{}, why))
    return "unavailable: " + why;
  boost::asio::io_context ioc;
  auto& r = boost::asio::use_service<boost_sockn::reactor>(ioc);
  return std::string(boost_sockn::to_string(r.backend())) + ", "
         + boost_sockn::to_string(r.policy());
#endif
}

// Constructed before the first case runs, destroyed when the run finishes, after the results are
// final.
struct closing_line
{
  closing_line()
  {
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
    sockn_test::check_contract_in_every_case(boost::unit_test::framework::master_test_suite());
#endif
  }

  ~closing_line()
  {
    namespace ut = boost::unit_test;
    const ut::test_results& r =
        ut::results_collector.results(ut::framework::master_test_suite().p_id);
    std::printf("%s [%s]: %lu passed, %lu failed, %lu skipped\n",
                BOOST_SOCKN_STRINGIZE(BOOST_SOCKN_TEST_MODULE), configuration().c_str(),
                static_cast<unsigned long>(r.p_test_cases_passed),
                static_cast<unsigned long>(r.p_test_cases_failed),
                static_cast<unsigned long>(r.p_test_cases_skipped));
    std::fflush(stdout);
  }
};

} // namespace

BOOST_TEST_GLOBAL_CONFIGURATION(closing_line);
