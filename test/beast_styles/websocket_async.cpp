//
// test/beast_styles/websocket_async.cpp
//
// The "WebSocket async" style of Beast's example servers: websocket::stream<beast::tcp_stream>
// with completion callbacks, the tcp_stream's deadline turned off in favour of WebSocket's own
// timeouts, a read/write echo loop keeping the message type. Written on native Asio/Beast; CMake
// also builds a copy with only the `using tcp` line and the tcp_stream spelling replaced.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <memory>
#include <thread>

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

#include "style_check.hpp"

namespace {

const char* const style = "WebSocket async";

class session : public std::enable_shared_from_this<session>
{
public:
  explicit session(tcp::socket&& socket) : ws_(std::move(socket)) {}

  void run()
  {
    net::dispatch(ws_.get_executor(),
                  beast::bind_front_handler(&session::on_run, shared_from_this()));
  }

private:
  void on_run()
  {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.async_accept(beast::bind_front_handler(&session::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec)
  {
    if (ec)
      return;
    do_read();
  }

  void do_read()
  {
    ws_.async_read(buffer_, beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t)
  {
    // websocket::error::closed: the peer closed and Beast has answered.
    if (ec)
      return;
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(),
                    beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t n)
  {
    if (ec)
      return;
    buffer_.consume(n);
    do_read();
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
};

class listener : public std::enable_shared_from_this<listener>
{
public:
  listener(net::io_context& ioc, tcp::endpoint endpoint)
    : ioc_(ioc), acceptor_(net::make_strand(ioc), endpoint)
  {
  }

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void run() { do_accept(); }

private:
  void do_accept()
  {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket)
  {
    if (ec)
      return;
    std::make_shared<session>(std::move(socket))->run();
    do_accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
};

} // namespace

int main()
{
  style_check::watchdog watchdog(std::chrono::seconds(120));
  net::io_context ioc;
  auto l = std::make_shared<listener>(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  l->run();
  const auto endpoint = l->local_endpoint();
  std::thread server([&ioc] { ioc.run(); });
  style_check::websocket_checks<tcp::socket>(endpoint, style);
  ioc.stop();
  server.join();
  return style_check::finish(style);
}
