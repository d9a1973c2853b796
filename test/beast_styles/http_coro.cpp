//
// test/beast_styles/http_coro.cpp
//
// The "HTTP coroutine" style of Beast's example servers: stackful coroutines from net::spawn,
// each step a call with a yield_context, the session on beast::tcp_stream. Written on native
// Asio/Beast; CMake also builds a copy with only the `using tcp` line and the tcp_stream
// spelling replaced. Needs Boost.Context.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <exception>
#include <thread>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

#include "style_check.hpp"

namespace {

const char* const style = "HTTP coroutine";

void rethrow(std::exception_ptr e)
{
  if (e)
    std::rethrow_exception(e);
}

void do_session(beast::tcp_stream& stream, net::yield_context yield)
{
  beast::error_code ec;
  beast::flat_buffer buffer;
  for (;;)
  {
    stream.expires_after(std::chrono::seconds(30));
    http::request<http::string_body> req;
    http::async_read(stream, buffer, req, yield[ec]);
    if (ec == http::error::end_of_stream)
      break;
    if (ec)
      return;
    auto res = style_check::respond(req, style);
    http::async_write(stream, res, yield[ec]);
    if (ec)
      return;
    if (!res.keep_alive())
      break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

void do_listen(net::io_context& ioc, tcp::acceptor& acceptor, net::yield_context yield)
{
  beast::error_code ec;
  for (;;)
  {
    tcp::socket socket(ioc);
    acceptor.async_accept(socket, yield[ec]);
    if (ec)
      return;
    net::spawn(
      acceptor.get_executor(),
      [stream = beast::tcp_stream(std::move(socket))](net::yield_context yield) mutable {
        do_session(stream, yield);
      },
      rethrow);
  }
}

} // namespace

int main()
{
  style_check::watchdog watchdog(std::chrono::seconds(120));
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  net::spawn(ioc, [&](net::yield_context yield) { do_listen(ioc, acceptor, yield); }, rethrow);
  const auto endpoint = acceptor.local_endpoint();
  std::thread server([&ioc] { ioc.run(); });
  style_check::http_checks<tcp::socket>(endpoint, style);
  ioc.stop();
  server.join();
  return style_check::finish(style);
}
