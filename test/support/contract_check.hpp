//
// test/support/contract_check.hpp
//
// Fails every test case during which a model port (BOOST_SOCKN_BACKEND=model) recorded a breach of
// the notification-port contract: a handle closed before its remove notification was dequeued,
// PSN's parameter rules broken. The check is a fixture attached to each case, so the failure is
// the case's own, with the socket and the rule in its message.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_SUPPORT_CONTRACT_CHECK_HPP
#define BOOST_SOCKN_TEST_SUPPORT_CONTRACT_CHECK_HPP

#include <boost_sockn/port_model.hpp>

#include <boost/make_shared.hpp>
#include <boost/test/tree/test_unit.hpp>
#include <boost/test/tree/traverse.hpp>
#include <boost/test/tree/visitor.hpp>
#include <boost/test/unit_test.hpp>

namespace sockn_test {

class contract_check : public boost::unit_test::test_unit_fixture
{
public:
  void setup() override { boost_sockn::model::take_violations(); } // an earlier case's
  void teardown() override
  {
    for (const boost_sockn::model::violation& v : boost_sockn::model::take_violations())
      BOOST_ERROR("notification-port contract violated on socket " << v.socket << ": " << v.rule
                                                                   << " (" << v.detail << ")");
  }
};

/// Attaches contract_check to every test case of the tree under `root`.
inline void check_contract_in_every_case(boost::unit_test::test_suite& root)
{
  struct attach : boost::unit_test::test_tree_visitor
  {
    void visit(const boost::unit_test::test_case& tc) override
    {
      boost::unit_test::framework::get<boost::unit_test::test_case>(tc.p_id)
          .p_fixtures.value.push_back(boost::make_shared<contract_check>());
    }
  } visitor;
  boost::unit_test::traverse_test_tree(root, visitor);
}

} // namespace sockn_test

#endif
