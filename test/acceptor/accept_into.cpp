//
// test/acceptor/accept_into.cpp
//
// Accepting into a socket the case provides: the blocking forms with and without the peer's
// endpoint and error_code, the asynchronous forms, and already_open for a socket that is open.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

namespace acceptor_test {

BOOST_AUTO_TEST_SUITE(acceptor, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(sync_accept_into_a_socket)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());

  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket peer(ioc);
    acceptor.accept(peer);
    check_pair(peer, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket peer(ioc);
    error_code ec;
    acceptor.accept(peer, ec);
    BOOST_TEST(!ec, ec.message());
    check_pair(peer, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket peer(ioc);
    tcp::endpoint from;
    acceptor.accept(peer, from);
    BOOST_TEST(from == client.local_endpoint());
    check_pair(peer, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    ioc_socket peer(ioc);
    tcp::endpoint from;
    error_code ec;
    acceptor.accept(peer, from, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(from == client.local_endpoint());
    check_pair(peer, client);
  }
}

BOOST_AUTO_TEST_CASE(async_accept_into_a_socket)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());

  tcp::socket peer1(ioc), peer2(ioc);
  tcp::endpoint from;
  bool initiating = true;
  outcome a1, a2;
  acceptor.async_accept(peer1, recorder{&a1, &initiating});
  acceptor.async_accept(peer2, from, recorder{&a2, &initiating});
  initiating = false;
  ioc.poll();
  BOOST_TEST(a1.calls + a2.calls == 0);

  tcp::socket c1 = connect_client(ioc, acceptor);
  tcp::socket c2 = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(a1.calls == 1);
  BOOST_TEST(a2.calls == 1);
  BOOST_TEST(!a1.ec, a1.ec.message());
  BOOST_TEST(!a2.ec, a2.ec.message());
  BOOST_TEST(!a1.ran_inside_initiation);
  BOOST_TEST(!a2.ran_inside_initiation);
  // Pending accepts are served in order.
  check_pair(peer1, c1);
  check_pair(peer2, c2);
  BOOST_TEST(from == c2.local_endpoint());
}

BOOST_AUTO_TEST_CASE(accept_into_an_open_socket_fails_with_already_open)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket client = connect_client(ioc, acceptor);

  tcp::socket open_peer(ioc, tcp::v4());
  error_code ec;
  acceptor.accept(open_peer, ec);
  BOOST_TEST(ec == already_open);
  try
  {
    acceptor.accept(open_peer);
    BOOST_ERROR("accept into an open socket did not throw");
  }
  catch (const boost::system::system_error& e)
  {
    BOOST_TEST(e.code() == already_open);
  }

  bool initiating = true;
  outcome got;
  acceptor.async_accept(open_peer, recorder{&got, &initiating});
  initiating = false;
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == already_open);
  BOOST_TEST(!got.ran_inside_initiation);

  // The waiting connection was not consumed by the failures.
  tcp::socket peer(ioc);
  acceptor.accept(peer);
  check_pair(peer, client);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace acceptor_test
