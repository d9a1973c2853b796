//
// test/beast_styles/websocket_sync.cpp
//
// The "WebSocket sync" style of Beast's example servers: blocking calls on
// websocket::stream<tcp::socket>, one thread per connection, an echo loop keeping the message
// type until the peer closes. Written on native Asio/Beast; CMake also builds a copy with only
// the `using tcp` line replaced (this style names no tcp_stream), where the WebSocket stream's
// teardown is boost_sockn's.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

#include "style_check.hpp"

namespace {

const char* const style = "WebSocket sync";

void do_session(tcp::socket socket)
{
  websocket::stream<tcp::socket> ws{std::move(socket)};
  beast::error_code ec;
  ws.accept(ec);
  if (ec)
    return style_check::check(false, std::string(style) + ": accept: " + ec.message());
  for (;;)
  {
    beast::flat_buffer buffer;
    ws.read(buffer, ec);
    // websocket::error::closed: the peer closed and Beast has answered.
    if (ec)
      return style_check::check(ec == websocket::error::closed,
                                std::string(style) + ": the session ends with the peer's close (" +
                                  ec.message() + ")");
    ws.text(ws.got_text());
    ws.write(buffer.data(), ec);
    if (ec)
      return style_check::check(false, std::string(style) + ": write: " + ec.message());
  }
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
    for (int i = 0; i < style_check::websocket_connections; ++i)
    {
      tcp::socket socket{ioc};
      acceptor.accept(socket);
      sessions.emplace_back(do_session, std::move(socket));
    }
    for (auto& s : sessions)
      s.join();
  });
  style_check::websocket_checks<tcp::socket>(endpoint, style);
  server.join();
  return style_check::finish(style);
}
