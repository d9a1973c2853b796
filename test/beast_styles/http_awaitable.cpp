//
// test/beast_styles/http_awaitable.cpp
//
// The "HTTP awaitable" style of Beast's example servers: C++20 coroutines (net::awaitable,
// co_spawn), with the stream and acceptor rebound to an executor whose default completion
// token is use_awaitable, so that every call is just co_await'ed. The tcp_stream is rebound
// with rebind_executor. Written on native Asio/Beast; CMake also builds a copy with only the
// `using tcp` line and the tcp_stream spelling replaced. Needs C++20.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <thread>
#include <tuple>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

#include "style_check.hpp"

namespace {

const char* const style = "HTTP awaitable";

using executor_type = net::use_awaitable_t<>::executor_with_default<net::any_io_executor>;
using stream_type = typename beast::tcp_stream::rebind_executor<executor_type>::other;
using acceptor_type = typename tcp::acceptor::rebind_executor<executor_type>::other;

net::awaitable<void> do_session(stream_type stream)
{
  beast::flat_buffer buffer;
  for (;;)
  {
    stream.expires_after(std::chrono::seconds(30));
    http::request<http::string_body> req;
    // as_tuple: the end of the connection is an outcome here, not an exception.
    auto [ec, n] =
      co_await http::async_read(stream, buffer, req, net::as_tuple(net::use_awaitable));
    (void)n;
    if (ec == http::error::end_of_stream)
      break;
    if (ec)
      co_return;
    auto res = style_check::respond(req, style);
    co_await http::async_write(stream, res);
    if (!res.keep_alive())
      break;
  }
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<void> do_listen(acceptor_type& acceptor)
{
  for (;;)
  {
    auto socket = co_await acceptor.async_accept(net::make_strand(acceptor.get_executor()));
    // A session that throws has lost its connection: nothing more to do for it.
    net::co_spawn(socket.get_executor(), do_session(stream_type(std::move(socket))), net::detached);
  }
}

} // namespace

int main()
{
  style_check::watchdog watchdog(std::chrono::seconds(120));
  net::io_context ioc;
  acceptor_type acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  const auto endpoint = acceptor.local_endpoint();
  net::co_spawn(ioc, do_listen(acceptor), net::detached);
  std::thread server([&ioc] { ioc.run(); });
  style_check::http_checks<tcp::socket>(endpoint, style);
  ioc.stop();
  server.join();
  return style_check::finish(style);
}
