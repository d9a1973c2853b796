//
// test/acceptor/fixture.hpp
//
// Shared pieces of the acceptor cases: the acceptor and socket types on an io_context executor,
// the error codes the cases expect, a client connected through the listen backlog, and the
// check that an accepted socket is that client's peer.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_ACCEPTOR_FIXTURE_HPP
#define BOOST_SOCKN_TEST_ACCEPTOR_FIXTURE_HPP

#include "support/support.hpp"

#include <array>
#include <string>

namespace acceptor_test {

using namespace sockn_test;
using tcp = net_under_test::tcp;
using ioc_executor = asio::io_context::executor_type;
using ioc_socket = tcp::socket::rebind_executor<ioc_executor>::other;
using ioc_acceptor = net_under_test::basic_socket_acceptor<tcp, ioc_executor>;

const error_code already_open = asio::error::make_error_code(asio::error::already_open);

/// A client connected (by the blocking call, through the listen backlog) to `acceptor`.
inline tcp::socket connect_client(asio::io_context& ioc, const tcp::acceptor& acceptor)
{
  tcp::socket c(ioc);
  c.connect(acceptor.local_endpoint());
  return c;
}

/// `accepted` is the server end of `client`'s connection: endpoints match and bytes flow both
/// ways (blocking calls, so any executor will do).
template <typename Socket>
void check_pair(Socket& accepted, tcp::socket& client)
{
  BOOST_TEST_REQUIRE(accepted.is_open());
  BOOST_TEST(accepted.remote_endpoint() == client.local_endpoint());
  BOOST_TEST(accepted.local_endpoint() == client.remote_endpoint());
  std::array<char, 2> buf{};
  asio::write(client, asio::buffer("c>", 2));
  asio::read(accepted, asio::buffer(buf));
  BOOST_TEST(std::string(buf.data(), 2) == "c>");
  asio::write(accepted, asio::buffer("<s", 2));
  asio::read(client, asio::buffer(buf));
  BOOST_TEST(std::string(buf.data(), 2) == "<s");
}

} // namespace acceptor_test

#endif // BOOST_SOCKN_TEST_ACCEPTOR_FIXTURE_HPP
