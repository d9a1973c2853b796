//
// test/acceptor/readiness.cpp
//
// Accepting without an accept operation: a non-blocking accept that would block, async_wait for
// a waiting connection (which it leaves to be accepted), and blocking accepts, before and after
// the acceptor was used asynchronously.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <thread>

namespace acceptor_test {

BOOST_AUTO_TEST_SUITE(acceptor, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(non_blocking_accept_would_block)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  acceptor.non_blocking(true);
  BOOST_TEST(acceptor.non_blocking());
  tcp::socket peer(ioc);
  error_code ec;
  acceptor.accept(peer, ec);
  BOOST_TEST(ec == error_code(asio::error::would_block));
  BOOST_TEST(!peer.is_open());
  acceptor.accept(ec);
  BOOST_TEST(ec == error_code(asio::error::would_block));

  // With a connection waiting, it succeeds.
  tcp::socket client = connect_client(ioc, acceptor);
  outcome ready;
  acceptor.async_wait(tcp::acceptor::wait_read, record(ready));
  BOOST_TEST(run_for(ioc));
  acceptor.accept(peer, ec);
  BOOST_TEST(!ec, ec.message());
  check_pair(peer, client);
}

BOOST_AUTO_TEST_CASE(async_wait_on_the_acceptor)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  outcome ready, cancelled;
  acceptor.async_wait(tcp::acceptor::wait_read, record(ready));
  for (int i = 0; i < 10; ++i)
  {
    ioc.poll();
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(ready.calls == 0);

  tcp::socket client = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(ready.calls == 1);
  BOOST_TEST(!ready.ec, ready.ec.message());
  // Waiting accepted nothing: the connection is still there.
  tcp::socket s = acceptor.accept();
  check_pair(s, client);

  acceptor.async_wait(tcp::acceptor::wait_read, record(cancelled));
  ioc.poll();
  acceptor.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(cancelled.calls == 1);
  BOOST_TEST(cancelled.ec == aborted);
}

BOOST_AUTO_TEST_CASE(blocking_accept_waits_for_a_client)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const auto ep = acceptor.local_endpoint();
  tcp::socket client(ioc);
  error_code late_error;
  std::thread late([&] {
    std::this_thread::sleep_for(100ms);
    client.connect(ep, late_error);
  });
  tcp::socket peer(ioc);
  tcp::endpoint from;
  {
    watchdog w("a blocking accept");
    acceptor.accept(peer, from);
  }
  late.join();
  BOOST_TEST_REQUIRE(!late_error, late_error.message());
  BOOST_TEST(from == client.local_endpoint());
  check_pair(peer, client);

  // After the acceptor was used asynchronously, blocking accepts still block.
  accept_outcome<tcp::socket> r;
  acceptor.async_accept(record_accept(r));
  tcp::socket c2 = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!r.ec, r.ec.message());
  tcp::socket c3(ioc);
  error_code later_error;
  std::thread later([&] {
    std::this_thread::sleep_for(100ms);
    c3.connect(ep, later_error);
  });
  tcp::socket s(ioc);
  {
    watchdog w("a blocking move-accept after async use");
    s = acceptor.accept();
  }
  later.join();
  BOOST_TEST_REQUIRE(!later_error, later_error.message());
  check_pair(s, c3);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace acceptor_test
