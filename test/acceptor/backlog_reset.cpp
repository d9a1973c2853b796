//
// test/acceptor/backlog_reset.cpp
//
// A connection the peer resets while it waits in the listen backlog is no accept error: Asio
// waits for the next connection (on Windows its AcceptEx sees the reset as connection_aborted
// and starts over; Linux hands over the reset connection, whose reads then fail). Windows'
// plain accept() reports the same event as WSAECONNRESET, which boost_sockn treats as Asio does.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

namespace acceptor_test {

namespace {

// Connects to `acceptor` and resets the connection before it is accepted.
void reset_in_the_backlog(asio::io_context& ioc, const tcp::acceptor& acceptor)
{
  tcp::socket c = connect_client(ioc, acceptor);
  c.set_option(asio::socket_base::linger(true, 0));
  c.close();
}

} // namespace

BOOST_AUTO_TEST_SUITE(backlog_reset, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(a_reset_in_the_backlog_is_no_accept_error)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  reset_in_the_backlog(ioc, acceptor);
  tcp::socket good = connect_client(ioc, acceptor);

  // At most two accepts: the reset connection (where the system hands it over) and the good one.
  tcp::socket peer(ioc);
  outcome first, second;
  acceptor.async_accept(peer, record(first));
  BOOST_TEST(run_until(ioc, [&] { return first.calls == 1; }));
  BOOST_TEST(!first.ec, first.ec.message());
  error_code ec;
  const bool got_the_good_one = peer.remote_endpoint(ec) == good.local_endpoint();
  if (!got_the_good_one)
  {
    tcp::socket next(ioc);
    acceptor.async_accept(next, record(second));
    BOOST_TEST(run_until(ioc, [&] { return second.calls == 1; }));
    BOOST_TEST(!second.ec, second.ec.message());
    BOOST_TEST(next.remote_endpoint(ec) == good.local_endpoint());
  }
  BOOST_TEST_MESSAGE("the reset connection was " << (got_the_good_one ? "skipped" : "handed over"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace acceptor_test
