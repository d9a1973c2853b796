//
// test/watcher/fixture.hpp
//
// Shared pieces of the watcher cases: the watcher type, the error codes the cases expect, the
// plain Asio socket pair a watcher watches, and the checks that the watched sockets stay open and
// carry data whatever the watcher did.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_WATCHER_FIXTURE_HPP
#define BOOST_SOCKN_TEST_WATCHER_FIXTURE_HPP

#include "support/support.hpp"

#include <boost_sockn/basic_socket_watcher.hpp>

#include <boost/asio.hpp>

#include <array>
#include <cstddef>
#include <string>

namespace watcher_test {

using namespace sockn_test;
using watcher = boost_sockn::socket_watcher;
using handle_type = watcher::native_handle_type;

const error_code aborted = asio::error::make_error_code(asio::error::operation_aborted);
const error_code ok{};

/// A connected TCP pair made with plain Asio, on an io_context of its own that never runs: the
/// watcher under test lives on a different io_context, as it does for a socket owned by another
/// library.
using plain_pair = basic_tcp_pair<asio::ip::tcp>;

/// The pair still carries data both ways: neither handle was closed or disturbed.
inline void expect_exchange_works(plain_pair& p)
{
  error_code ec;
  const std::string ping = "ping", pong = "pong!";
  std::array<char, 16> buf{};

  asio::write(p.client, asio::buffer(ping), ec);
  BOOST_TEST(!ec, "write on the client: " << ec.message());
  std::size_t n = asio::read(p.server, asio::buffer(buf.data(), ping.size()), ec);
  BOOST_TEST(!ec, "read on the server: " << ec.message());
  BOOST_TEST(std::string(buf.data(), n) == ping);

  asio::write(p.server, asio::buffer(pong), ec);
  BOOST_TEST(!ec, "write on the server: " << ec.message());
  n = asio::read(p.client, asio::buffer(buf.data(), pong.size()), ec);
  BOOST_TEST(!ec, "read on the client: " << ec.message());
  BOOST_TEST(std::string(buf.data(), n) == pong);
}

/// Reads the bytes a test sent only to wake a wait, so that expect_exchange_works starts clean.
inline void consume(asio::ip::tcp::socket& s, std::size_t n)
{
  std::array<char, 16> buf{};
  error_code ec;
  BOOST_TEST(asio::read(s, asio::buffer(buf.data(), n), ec) == n);
  BOOST_TEST(!ec, "consume: " << ec.message());
}

inline void send_byte(asio::ip::tcp::socket& s, char c = 'x')
{
  error_code ec;
  asio::write(s, asio::buffer(&c, 1), ec);
  BOOST_TEST_REQUIRE(!ec, "send: " << ec.message());
}

inline handle_type invalid_handle()
{
#if defined(_WIN32)
  return INVALID_SOCKET;
#else
  return -1;
#endif
}

inline bool is_invalid_handle_error(const error_code& ec)
{
  return ec == asio::error::bad_descriptor || ec == asio::error::not_socket;
}

} // namespace watcher_test

#endif // BOOST_SOCKN_TEST_WATCHER_FIXTURE_HPP
