//
// test/port/main.cpp
//
// Builds the test tree: one suite per backend, every registered case in each; a case during which
// the strict PSN model recorded a contract violation fails. Prints a closing line
// "conformance: N passed, N failed, N skipped" and the reason for every skipped group.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#if defined(BOOST_SOCKN_TEST_HEADER_ONLY)
#define BOOST_TEST_ALTERNATIVE_INIT_API
#define BOOST_TEST_NO_MAIN
#include <boost/test/included/unit_test.hpp>
#else
#define BOOST_TEST_ALTERNATIVE_INIT_API
#include <boost/test/unit_test.hpp>
#endif

#include "harness.hpp"
#include "support/contract_check.hpp"

#include <boost/test/tree/observer.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <set>

namespace ut = boost::unit_test;

namespace sockn_test {

std::vector<port_case>& registry()
{
  static std::vector<port_case> cases;
  return cases;
}

namespace {

struct pending_check
{
  backend_kind kind;
  requirement needs;
};
std::map<ut::test_unit_id, pending_check>& checks()
{
  static std::map<ut::test_unit_id, pending_check> m;
  return m;
}

boost::test_tools::assertion_result check_case(ut::test_unit_id id)
{
  const pending_check& c = checks().at(id);
  std::string why;
  if (!notification_port::available(c.kind, why) || (c.needs && !c.needs(c.kind, why)))
  {
    boost::test_tools::assertion_result r(false);
    r.message() << why;
    return r;
  }
  return true;
}

// Counts outcomes per test case so the closing line is ours, whatever Boost.Test's report level.
class counter : public ut::test_observer
{
public:
  void test_unit_start(const ut::test_unit& tu) override
  {
    if (tu.p_type == ut::TUT_CASE) failed_ = false;
  }
  void test_unit_finish(const ut::test_unit& tu, unsigned long) override
  {
    if (tu.p_type != ut::TUT_CASE) return;
    (failed_ ? failed : passed)++;
  }
  void test_unit_skipped(const ut::test_unit& tu, ut::const_string reason) override
  {
    if (tu.p_type != ut::TUT_CASE) return;
    const std::string why(reason.begin(), reason.end());
    if (why == "disabled") return; // filtered out by --run_test: not part of this run
    ++skipped;
    reasons.insert(ut::framework::get<ut::test_suite>(tu.p_parent_id).p_name.get() + ": " + why);
  }
  void test_unit_aborted(const ut::test_unit&) override { failed_ = true; }
  void assertion_result(ut::assertion_result ar) override
  {
    if (ar == ut::AR_FAILED) failed_ = true;
  }
  void exception_caught(const boost::execution_exception&) override { failed_ = true; }
  int priority() override { return 1000; }

  unsigned passed = 0, failed = 0, skipped = 0;
  std::set<std::string> reasons;

private:
  bool failed_ = false;
};

counter the_counter;

} // namespace
} // namespace sockn_test

bool init_unit_test()
{
  using namespace sockn_test;
  init_sockets();
  ut::framework::register_observer(the_counter);
  for (backend_kind k :
       {backend_kind::epoll, backend_kind::model, backend_kind::afd, backend_kind::psn})
  {
    ut::test_suite* suite = BOOST_TEST_SUITE(to_string(k));
    for (const port_case& c : registry())
    {
      ut::test_case* tc = ut::make_test_case([k, run = c.run] { run(k); }, c.name, __FILE__,
                                             __LINE__);
      suite->add(tc);
      checks().emplace(tc->p_id, pending_check{k, c.needs});
      ut::precondition p(&check_case);
      static_cast<ut::decorator::base&>(p).apply(*tc);
    }
    ut::framework::master_test_suite().add(suite);
  }
  check_contract_in_every_case(ut::framework::master_test_suite());
  return true;
}

int main(int argc, char* argv[])
{
  int rc = ut::unit_test_main(&init_unit_test, argc, argv);
  using sockn_test::the_counter;
  for (const std::string& r : the_counter.reasons)
    std::cout << "skipped " << r << "\n";
  std::cout << "conformance: " << the_counter.passed << " passed, " << the_counter.failed
            << " failed, " << the_counter.skipped << " skipped" << std::endl;
  return rc;
}
