//
// test/beast_styles/http_sync.cpp
//
// The "HTTP sync" style of Beast's example servers: blocking calls on a plain tcp::socket, one
// thread per connection, http::read and http::write straight on the socket. Written on native
// Asio/Beast; CMake also builds a copy with only the `using tcp` line replaced (this style names
// no tcp_stream).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

#include "style_check.hpp"

namespace {

const char* const style = "HTTP sync";

void do_session(tcp::socket socket)
{
  beast::error_code ec;
  beast::flat_buffer buffer;
  for (;;)
  {
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec == http::error::end_of_stream)
      break;
    if (ec)
      return;
    auto res = style_check::respond(req, style);
    http::write(socket, res, ec);
    if (ec)
      return;
    if (!res.keep_alive())
      break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace

int main()
{
  style_check::watchdog watchdog(std::chrono::seconds(120));
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc, {net::ip::make_address("127.0.0.1"), 0}};
  const auto endpoint = acceptor.local_endpoint();

  // The client checks open a known number of connections: accept those, then join.
  std::thread server([&] {
    std::vector<std::thread> sessions;
    for (int i = 0; i < style_check::http_connections; ++i)
    {
      tcp::socket socket{ioc};
      acceptor.accept(socket);
      sessions.emplace_back(do_session, std::move(socket));
    }
    for (auto& s : sessions)
      s.join();
  });
  style_check::http_checks<tcp::socket>(endpoint, style);
  server.join();
  return style_check::finish(style);
}
