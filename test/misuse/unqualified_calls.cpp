//
// test/misuse/unqualified_calls.cpp
//
// Unqualified connect/async_connect on a boost_sockn socket (found through the socket's
// namespaces, Asio's among them) reach boost_sockn's functions, never the misuse catch-alls of
// detail/misuse.hpp, whatever the arguments' constness.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/test/unit_test.hpp> // the module and its entry point: support/test_main.cpp

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio/io_context.hpp>

#include <vector>

using tcp = boost_sockn::ip::tcp;

BOOST_AUTO_TEST_CASE(unqualified_connect_reaches_boost_sockn)
{
  boost::asio::io_context ctx;
  tcp::acceptor acceptor(ctx, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  std::vector<tcp::endpoint> endpoints{acceptor.local_endpoint()}; // non-const lvalue
  const std::vector<tcp::endpoint>& const_endpoints = endpoints;

  tcp::socket a(ctx);
  boost::system::error_code ec;
  const tcp::endpoint connected = connect(a, endpoints, ec);
  BOOST_TEST(!ec);
  BOOST_TEST(connected == acceptor.local_endpoint());

  tcp::socket b(ctx);
  BOOST_TEST((connect(b, const_endpoints.begin(), const_endpoints.end()) == const_endpoints.begin()));

  tcp::socket c(ctx);
  bool done = false;
  async_connect(c, endpoints, [&](boost::system::error_code e, const tcp::endpoint& ep) {
    BOOST_TEST(!e);
    BOOST_TEST(ep == acceptor.local_endpoint());
    done = true;
  });
  ctx.run();
  BOOST_TEST(done);
}
