//
// test/beast/fixture.hpp
//
// Shared pieces of the Beast tests: streams of the library under test connected over loopback,
// and the error values Beast's operations report.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_BEAST_FIXTURE_HPP
#define BOOST_SOCKN_TEST_BEAST_FIXTURE_HPP

#include "support/beast_net.hpp"
#include "support/support.hpp"

#include <boost/beast/core.hpp>

#include <chrono>
#include <string>

namespace beast_test {

using namespace sockn_test;
namespace beast = boost::beast;
using tcp = net_under_test::tcp;
using net_under_test::tcp_stream;

const error_code timed_out = beast::error::timeout;

/// Connects the sockets of two streams (or sockets) to each other over 127.0.0.1.
template <typename Client, typename Server>
void connect_streams(Client& client, Server& server)
{
  tcp::acceptor acceptor(client.get_executor(), tcp_loopback());
  beast::get_lowest_layer(client).connect(acceptor.local_endpoint());
  acceptor.accept(beast::get_lowest_layer(server).socket());
}

/// The same for a plain socket on the server side.
template <typename Client>
void connect_streams(Client& client, tcp::socket& server)
{
  tcp::acceptor acceptor(client.get_executor(), tcp_loopback());
  beast::get_lowest_layer(client).connect(acceptor.local_endpoint());
  acceptor.accept(server);
}

/// Seconds elapsed since `start`, as a double for messages and bounds.
inline double seconds_since(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace beast_test

#endif // BOOST_SOCKN_TEST_BEAST_FIXTURE_HPP
