//
// test/tokens/pending_connect.hpp
//
// A connection attempt that stays pending for as long as a case needs it, for the cases that
// cancel a connect.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_TOKENS_PENDING_CONNECT_HPP
#define BOOST_SOCKN_TEST_TOKENS_PENDING_CONNECT_HPP

#include "fixture.hpp"

#include <memory>
#include <string>
#include <vector>

namespace tokens_test {

/// A native Asio listener whose accept queue is full, so that one more connection attempt stays
/// pending: Linux (and Wine on it) drop the SYN of such a connection and retry for minutes.
/// Windows refuses it at once instead; the pending-connect case then reports itself skipped.
struct saturated_listener
{
  struct attempt
  {
    bool done = false;
    error_code ec;
  };

  asio::io_context native_ctx;
  asio::ip::tcp::acceptor acceptor{native_ctx};
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> fillers;
  bool saturated = false;
  std::string why = "no connection attempt stayed pending";

  saturated_listener()
  {
    acceptor.open(asio::ip::tcp::v4());
    acceptor.bind(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    acceptor.listen(0);
    for (int i = 0; i < 16 && !saturated; ++i)
    {
      fillers.push_back(std::make_unique<asio::ip::tcp::socket>(native_ctx));
      auto state = std::make_shared<attempt>();
      fillers.back()->async_connect(acceptor.local_endpoint(), [state](const error_code& ec) {
        state->done = true;
        state->ec = ec;
      });
      native_ctx.restart();
      native_ctx.run_for(300ms);
      if (!state->done && i == 0)
      {
        // The queue always has room for the first one: this is only a slow system.
        native_ctx.restart();
        native_ctx.run_for(patience);
      }
      if (!state->done)
        saturated = true;
      else if (state->ec)
      {
        why = "a connection to a full accept queue failed at once (" + state->ec.message() + ")";
        break;
      }
    }
  }

  tcp::endpoint endpoint() const { return acceptor.local_endpoint(); }
};

struct pending_connect_possible
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    saturated_listener probe;
    if (probe.saturated)
      return true;
    return skipped_because("cannot hold a connect pending on this system: " + probe.why);
  }
};

} // namespace tokens_test

#endif // BOOST_SOCKN_TEST_TOKENS_PENDING_CONNECT_HPP
