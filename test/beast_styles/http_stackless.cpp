//
// test/beast_styles/http_stackless.cpp
//
// The "HTTP stackless" style of Beast's example servers: sessions and the listener are
// net::coroutine state machines (BOOST_ASIO_CORO_REENTER / BOOST_ASIO_CORO_YIELD) that pass
// themselves as the completion handler, on beast::tcp_stream. Written on native Asio/Beast;
// CMake also builds a copy with only the `using tcp` line and the tcp_stream spelling replaced.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/coroutine.hpp>
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

const char* const style = "HTTP stackless";

class session : public net::coroutine, public std::enable_shared_from_this<session>
{
public:
  explicit session(tcp::socket&& socket) : stream_(std::move(socket)) {}

  void run()
  {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::loop, shared_from_this(),
                                            beast::error_code{}, 0));
  }

#include <boost/asio/yield.hpp>
  void loop(beast::error_code ec, std::size_t)
  {
    reenter(*this)
    {
      for (;;)
      {
        req_ = {};
        stream_.expires_after(std::chrono::seconds(30));
        yield http::async_read(stream_, buffer_, req_,
                               beast::bind_front_handler(&session::loop, shared_from_this()));
        if (ec == http::error::end_of_stream)
          break;
        if (ec)
          return;
        res_ = style_check::respond(req_, style);
        yield http::async_write(stream_, res_,
                                beast::bind_front_handler(&session::loop, shared_from_this()));
        if (ec)
          return;
        if (!res_.keep_alive())
          break;
      }
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }
#include <boost/asio/unyield.hpp>

private:
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

class listener : public net::coroutine, public std::enable_shared_from_this<listener>
{
public:
  listener(net::io_context& ioc, tcp::endpoint endpoint)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), socket_(net::make_strand(ioc))
  {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void run() { loop(); }

#include <boost/asio/yield.hpp>
  void loop(beast::error_code ec = {})
  {
    reenter(*this)
    {
      for (;;)
      {
        yield acceptor_.async_accept(
          socket_, beast::bind_front_handler(&listener::loop, shared_from_this()));
        if (ec)
          return;
        std::make_shared<session>(std::move(socket_))->run();
        // The moved-from socket takes a fresh strand for the next connection.
        socket_ = tcp::socket(net::make_strand(ioc_));
      }
    }
  }
#include <boost/asio/unyield.hpp>

private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  tcp::socket socket_;
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
