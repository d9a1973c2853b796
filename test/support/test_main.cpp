//
// test/support/test_main.cpp
//
// The Boost.Test entry point of the test executables (built once per flavour into the support
// library; the module takes the executable's name): the shared library on Linux, the
// header-only form on Windows, where Debian has no mingw build of Boost's compiled libraries.
// Every case fails if the strict PSN model saw the library break the port contract during it.
// At the end it prints one line,
//   <module> [<backend>, <policy>]: N passed, N failed, N skipped
// which scripts/test-all.sh adds up over every run.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#define BOOST_TEST_MODULE boost_sockn_tests
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

namespace ut = boost::unit_test;

// The executable's name without directory and extension: the module's name.
std::string module_name()
{
  const ut::master_test_suite_t& m = ut::framework::master_test_suite();
  std::string name = m.argc > 0 ? m.argv[0] : "tests";
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos)
    name.erase(0, slash + 1);
  const auto dot = name.rfind('.');
  if (dot != std::string::npos)
    name.erase(dot);
  return name;
}

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
         + boost_sockn::to_string(r.policy()) + ", " + boost_sockn::to_string(r.delivery());
#endif
}

// Constructed before the first case runs, destroyed when the run finishes, after the results are
// final.
struct closing_line
{
  closing_line()
  {
    ut::framework::master_test_suite().p_name.value = module_name();
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
    sockn_test::check_contract_in_every_case(ut::framework::master_test_suite());
#endif
  }

  ~closing_line()
  {
    const ut::test_results& r =
        ut::results_collector.results(ut::framework::master_test_suite().p_id);
    std::printf("%s [%s]: %lu passed, %lu failed, %lu skipped\n",
                ut::framework::master_test_suite().p_name.get().c_str(), configuration().c_str(),
                static_cast<unsigned long>(r.p_test_cases_passed),
                static_cast<unsigned long>(r.p_test_cases_failed),
                static_cast<unsigned long>(r.p_test_cases_skipped));
    std::fflush(stdout);
  }
};

} // namespace

BOOST_TEST_GLOBAL_CONFIGURATION(closing_line);
