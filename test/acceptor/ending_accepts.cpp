//
// test/acceptor/ending_accepts.cpp
//
// Ending pending accepts: cancel() and close() end both accept forms with operation_aborted, from
// the io thread or from another thread, and the acceptor keeps (after cancel) or loses (after
// close) its ability to accept.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <future>
#include <thread>

namespace acceptor_test {

BOOST_AUTO_TEST_SUITE(acceptor, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(cancel_pending_accepts)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket peer(ioc);
  outcome into;
  accept_outcome<tcp::socket> moved;
  acceptor.async_accept(peer, record(into));
  acceptor.async_accept(record_accept(moved));
  ioc.poll();
  BOOST_TEST(into.calls + moved.calls == 0);

  acceptor.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(into.calls == 1);
  BOOST_TEST(into.ec == aborted);
  BOOST_TEST(!peer.is_open());
  BOOST_TEST(moved.calls == 1);
  BOOST_TEST(moved.ec == aborted);
  BOOST_TEST((moved.socket && !moved.socket->is_open()));

  // The acceptor still accepts.
  BOOST_TEST(acceptor.is_open());
  tcp::socket client = connect_client(ioc, acceptor);
  outcome later;
  acceptor.async_accept(peer, record(later));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!later.ec, later.ec.message());
  check_pair(peer, client);
}

BOOST_AUTO_TEST_CASE(close_during_accept)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket peer(ioc);
  outcome into;
  accept_outcome<tcp::socket> moved;
  acceptor.async_accept(peer, record(into));
  acceptor.async_accept(record_accept(moved));
  ioc.poll();

  acceptor.close();
  BOOST_TEST(!acceptor.is_open());
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(into.calls == 1);
  BOOST_TEST(into.ec == aborted);
  BOOST_TEST(!peer.is_open());
  BOOST_TEST(moved.calls == 1);
  BOOST_TEST(moved.ec == aborted);

  // Closed: accepting now fails at once.
  error_code ec;
  acceptor.accept(peer, ec);
  BOOST_TEST(ec == bad_descriptor);
  accept_outcome<tcp::socket> late;
  acceptor.async_accept(record_accept(late));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(late.calls == 1);
  BOOST_TEST(late.ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(close_from_another_thread_during_accept)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  std::promise<error_code> done;
  auto result = done.get_future();
  acceptor.async_accept([&done](const error_code& ec, tcp::socket) { done.set_value(ec); });
  io_threads io(ioc, 1);
  std::this_thread::sleep_for(50ms);
  acceptor.close();
  const bool arrived = result.wait_for(patience) == std::future_status::ready;
  BOOST_TEST(arrived, "the accept did not complete after close()");
  BOOST_TEST(io.join());
  if (arrived)
    BOOST_TEST(result.get() == aborted);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace acceptor_test
