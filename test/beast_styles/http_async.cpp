//
// test/beast_styles/http_async.cpp
//
// The "HTTP async" style of Beast's example servers: a listener and sessions with completion
// callbacks, each session on beast::tcp_stream with a strand, expires_after before each read.
// Written on native Asio/Beast; CMake also builds a copy with only the `using tcp` line and the
// tcp_stream spelling replaced, which must behave the same on boost_sockn.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <thread>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

#include "style_check.hpp"

namespace {

const char* const style = "HTTP async";

class session : public std::enable_shared_from_this<session>
{
public:
  explicit session(tcp::socket&& socket) : stream_(std::move(socket)) {}

  void run()
  {
    // On the strand from the first handler on.
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::do_read, shared_from_this()));
  }

private:
  void do_read()
  {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_,
                     beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t)
  {
    if (ec == http::error::end_of_stream)
      return do_close();
    if (ec)
      return;
    res_ = style_check::respond(req_, style);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&session::on_write, shared_from_this(),
                                                res_.keep_alive()));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t)
  {
    if (ec)
      return;
    if (!keep_alive)
      return do_close();
    do_read();
  }

  void do_close()
  {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

class listener : public std::enable_shared_from_this<listener>
{
public:
  listener(net::io_context& ioc, tcp::endpoint endpoint)
    : ioc_(ioc), acceptor_(net::make_strand(ioc))
  {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
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
  style_check::http_checks<tcp::socket>(endpoint, style);
  ioc.stop();
  server.join();
  return style_check::finish(style);
}
