//
// test/hostile/main.cpp
//
// The Boost.Test entry point of the hostile-client tests. After "--" the command line names
// the programs under test and the run:
//   hostile_tests [Boost.Test options] -- NAME HTTP_SERVER WEBSOCKET_SERVER
// (a path, or a file name in the current directory). At the end it prints one line,
//   hostile_tests [NAME, <backend>]: N passed, N failed, N skipped
// which scripts/test-all.sh adds up with the other suites'.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#define BOOST_TEST_MODULE hostile_tests
#if defined(BOOST_SOCKN_TEST_HEADER_ONLY)
#include <boost/test/included/unit_test.hpp>
#else
#include <boost/test/unit_test.hpp>
#endif

#include <boost/test/results_collector.hpp>

#include "clients.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace hostile {

configuration& config()
{
  static configuration c;
  return c;
}

} // namespace hostile

namespace {

namespace ut = boost::unit_test;

std::string run_name;

std::string describe_run()
{
  const char* backend = std::getenv("BOOST_SOCKN_BACKEND");
  return run_name + ", " + (backend && *backend ? backend : "default backend") +
         (hostile::under_wine() ? ", Wine" : "");
}

struct setup
{
  setup()
  {
    const ut::master_test_suite_t& m = ut::framework::master_test_suite();
    if (m.argc != 4)
      throw std::runtime_error(
          "usage: hostile_tests [Boost.Test options] -- NAME HTTP_SERVER WEBSOCKET_SERVER");
    run_name = m.argv[1];
    hostile::config().http_server = m.argv[2];
    hostile::config().websocket_server = m.argv[3];
    std::printf("hostile_tests: %s; %s and %s\n", describe_run().c_str(), m.argv[2], m.argv[3]);
    std::fflush(stdout);
  }

  ~setup()
  {
    const ut::test_results& r =
        ut::results_collector.results(ut::framework::master_test_suite().p_id);
    std::printf("hostile_tests [%s]: %lu passed, %lu failed, %lu skipped\n",
                describe_run().c_str(), static_cast<unsigned long>(r.p_test_cases_passed),
                static_cast<unsigned long>(r.p_test_cases_failed),
                static_cast<unsigned long>(r.p_test_cases_skipped));
    std::fflush(stdout);
  }
};

} // namespace

BOOST_TEST_GLOBAL_CONFIGURATION(setup);
