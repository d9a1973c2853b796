//
// test/beast_styles/style_check.hpp
//
// The self-test half of the style programs: what every HTTP server answers, and blocking clients
// that check a server's answers. Include it after `using tcp = ...;`: the clients then run on the
// same sockets as the server under test (Asio's in the original, boost_sockn's in the generated
// copy).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_BEAST_STYLES_STYLE_CHECK_HPP
#define BOOST_SOCKN_TEST_BEAST_STYLES_STYLE_CHECK_HPP

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace style_check {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using boost::system::error_code;

// Connections each client check opens: the blocking styles accept exactly this many.
constexpr int http_connections = 2;
constexpr int websocket_connections = 2;

inline std::atomic<int> failures{0};
inline std::mutex report_mutex;

inline void check(bool ok, const std::string& what)
{
  std::lock_guard<std::mutex> lock(report_mutex);
  if (!ok)
    ++failures;
  std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
  std::fflush(stdout);
}

inline std::string hello(const std::string& style)
{
  return "hello from the " + style + " style\n";
}

// The one page every HTTP style serves: GET /hello; anything else is a 404. Keep-alive as asked.
inline http::response<http::string_body> respond(const http::request<http::string_body>& req,
                                                 const std::string& style)
{
  const bool found = req.method() == http::verb::get && req.target() == "/hello";
  http::response<http::string_body> res{found ? http::status::ok : http::status::not_found,
                                        req.version()};
  res.set(http::field::content_type, "text/plain");
  res.keep_alive(req.keep_alive());
  res.body() = found ? hello(style) : "not found\n";
  res.prepare_payload();
  return res;
}

// Ends a hung run with a report instead of a stalled test.
class watchdog
{
public:
  explicit watchdog(std::chrono::seconds limit)
    : thread_([this, limit] {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (!done_ && std::chrono::steady_clock::now() < end)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (!done_)
        {
          std::printf("self-test FAILED: no result after %d s\n", static_cast<int>(limit.count()));
          std::fflush(stdout);
          std::_Exit(1);
        }
      })
  {
  }
  ~watchdog()
  {
    done_ = true;
    thread_.join();
  }

private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

inline int finish(const std::string& style)
{
  std::printf("%s style: self-test %s\n", style.c_str(), failures == 0 ? "passed" : "FAILED");
  return failures == 0 ? 0 : 1;
}

template <class Socket>
http::response<http::string_body> get(Socket& socket, beast::flat_buffer& buffer,
                                      const std::string& target, bool keep_alive = true)
{
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.keep_alive(keep_alive);
  http::write(socket, req);
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  return res;
}

// Keep-alive, a 404, a pipelined pair in one write, two connections at once, Connection: close.
template <class Socket, class Endpoint>
void http_checks(const Endpoint& server, const std::string& style)
{
  try
  {
    asio::io_context ioc; // blocking calls only: never run
    Socket first(ioc), second(ioc);
    first.connect(server);
    second.connect(server);
    beast::flat_buffer b1, b2;

    bool ok = true;
    for (int i = 0; i < 3; ++i)
    {
      auto res = get(first, b1, "/hello");
      ok = ok && res.result() == http::status::ok && res.keep_alive() && res.body() == hello(style);
    }
    check(ok, style + ": three GET /hello on one keep-alive connection");

    auto res = get(second, b2, "/missing");
    check(res.result() == http::status::not_found && res.keep_alive(),
          style + ": GET /missing on a second connection, open at the same time: 404");

    http::request<http::empty_body> a{http::verb::get, "/missing", 11};
    http::request<http::empty_body> b{http::verb::get, "/hello", 11};
    a.set(http::field::host, "127.0.0.1");
    b.set(http::field::host, "127.0.0.1");
    std::ostringstream pair;
    pair << a << b;
    asio::write(first, asio::buffer(pair.str()));
    http::response<http::string_body> ra, rb;
    http::read(first, b1, ra);
    http::read(first, b1, rb);
    check(ra.result() == http::status::not_found && rb.result() == http::status::ok &&
            rb.body() == hello(style),
          style + ": a pipelined pair in one write, answered in order");

    res = get(second, b2, "/hello", false);
    check(res.result() == http::status::ok && !res.keep_alive(),
          style + ": Connection: close is answered with Connection: close");
    error_code ec;
    http::read(second, b2, res, ec);
    check(ec == http::error::end_of_stream,
          style + ": then the server closes (" + ec.message() + ")");

    res = get(first, b1, "/hello", false);
    http::read(first, b1, res, ec);
    check(ec == http::error::end_of_stream, style + ": the first connection ends the same way");
  }
  catch (const std::exception& e)
  {
    check(false, style + ": exception: " + e.what());
  }
}

// Text and binary messages echoed with their type on two connections at once, then our close.
template <class Socket, class Endpoint>
void websocket_checks(const Endpoint& server, const std::string& style)
{
  try
  {
    asio::io_context ioc; // blocking calls only: never run
    websocket::stream<Socket> first(ioc), second(ioc);
    const std::string host = "127.0.0.1:" + std::to_string(server.port());
    beast::get_lowest_layer(first).connect(server);
    first.handshake(host, "/");
    beast::get_lowest_layer(second).connect(server);
    second.handshake(host, "/");

    bool ok = true;
    int messages = 0;
    for (std::size_t size : {std::size_t(1), std::size_t(3000), std::size_t(200000)})
    {
      for (bool text : {true, false})
      {
        for (auto* ws : {&first, &second})
        {
          std::string sent(size, text ? 't' : '\0');
          for (std::size_t i = 0; !text && i < size; ++i)
            sent[i] = static_cast<char>(i * 37 + static_cast<std::size_t>(messages));
          ws->text(text);
          ws->write(asio::buffer(sent));
          beast::flat_buffer buffer;
          ws->read(buffer);
          ok = ok && ws->got_text() == text && beast::buffers_to_string(buffer.data()) == sent;
          ++messages;
        }
      }
    }
    check(ok, style + ": " + std::to_string(messages) +
                " text and binary messages on two connections echoed with their type");

    // A blocking close returns once the server's close frame has come back.
    for (auto* ws : {&first, &second})
    {
      error_code ec;
      ws->close(websocket::close_code::normal, ec);
      check(!ec, style + ": close handshake (" + ec.message() + ")");
    }
  }
  catch (const std::exception& e)
  {
    check(false, style + ": exception: " + e.what());
  }
}

} // namespace style_check

#endif
