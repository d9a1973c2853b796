//
// test/beast/websocket.cpp
//
// Beast's WebSocket on websocket::stream<tcp_stream> and websocket::stream<tcp::socket> of the
// library under test (the second needs the socket's own teardown overloads): handshake, echo of
// text and binary messages up to 16 MiB, the close handshake started by either side, synchronous
// use, and the WebSocket idle timeout closing the connection through beast_close_socket.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "beast/fixture.hpp"

#include <boost/beast/websocket.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace beast_test;
namespace websocket = beast::websocket;
const error_code ws_closed = websocket::error::closed;

constexpr std::size_t message_max = 32 << 20;
const std::vector<std::size_t> sizes{0, 1, 64 << 10, 1 << 20, 16 << 20};
const std::string close_request = "please close";

std::string make_message(std::size_t n, bool text)
{
  std::string m(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    m[i] = text ? static_cast<char>(' ' + (i * 31 + i / 251) % 95)
                : static_cast<char>((i * 131 + i / 7) & 0xff);
  return m;
}

struct server_result
{
  int messages = 0;
  error_code ec;              // the error that ended the session (closed, timeout, ...)
  error_code close_ec;        // of the server's own async_close, when it started the close
  websocket::close_reason reason;
  bool closed_socket = false; // the lowest layer's socket was closed when the session ended
  bool done = false;
};

template <typename Next>
bool socket_open(websocket::stream<Next>& ws)
{
  auto& lowest = beast::get_lowest_layer(ws);
  if constexpr (std::is_same_v<std::decay_t<decltype(lowest)>, tcp::socket>)
    return lowest.is_open();
  else
    return lowest.socket().is_open();
}

/// Echoes every message with its type, until the client closes; a message `close_request`
/// makes it start the close handshake itself.
template <typename Next>
class echo_session : public std::enable_shared_from_this<echo_session<Next>>
{
public:
  echo_session(tcp::socket s, server_result& out, const websocket::stream_base::timeout& timeout)
    : ws_(std::move(s)), out_(out)
  {
    ws_.read_message_max(message_max);
    ws_.set_option(timeout);
  }

  void start()
  {
    ws_.async_accept([self = this->shared_from_this()](error_code ec) {
      if (ec)
        return self->finish(ec);
      self->read();
    });
  }

private:
  void read()
  {
    ws_.async_read(buffer_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      if (ec)
        return self->finish(ec);
      self->on_message();
    });
  }

  void on_message()
  {
    auto self = this->shared_from_this();
    if (ws_.got_text() && beast::buffers_to_string(buffer_.data()) == close_request)
    {
      return ws_.async_close(websocket::close_code::going_away, [self](error_code ec) {
        self->out_.close_ec = ec;
        self->finish(websocket::error::closed);
      });
    }
    ++out_.messages;
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(), [self](error_code ec, std::size_t) {
      if (ec)
        return self->finish(ec);
      self->buffer_.clear();
      self->read();
    });
  }

  void finish(const error_code& ec)
  {
    out_.ec = ec;
    out_.reason = ws_.reason();
    out_.closed_socket = !socket_open(ws_);
    out_.done = true;
  }

  websocket::stream<Next> ws_;
  beast::flat_buffer buffer_;
  server_result& out_;
};

/// Accepts one connection and runs an echo session on it.
template <typename Next>
struct echo_server
{
  echo_server(asio::io_context& ioc, server_result& out,
              websocket::stream_base::timeout timeout =
                  websocket::stream_base::timeout::suggested(beast::role_type::server))
    : acceptor(ioc, tcp_loopback())
  {
    acceptor.async_accept(asio::make_strand(ioc), [&out, timeout](error_code ec, tcp::socket s) {
      if (ec)
      {
        out.ec = ec;
        out.done = true;
        return;
      }
      std::make_shared<echo_session<Next>>(std::move(s), out, timeout)->start();
    });
  }

  tcp::acceptor acceptor;
};

struct echo_client_result
{
  std::vector<std::string> echoed;
  std::vector<bool> echoed_text;
  error_code ec;       // the first unexpected error
  error_code end;      // how the connection ended for the client
  websocket::close_reason reason;
  bool done = false;
};

/// Connects, handshakes, sends each message and reads its echo, then closes: itself when
/// `client_closes`, else by asking the server to.
template <typename Next>
class echo_client : public std::enable_shared_from_this<echo_client<Next>>
{
public:
  echo_client(asio::io_context& ioc, std::vector<std::pair<std::string, bool>> messages,
              bool client_closes, echo_client_result& out)
    : ws_(asio::make_strand(ioc)), messages_(std::move(messages)), client_closes_(client_closes),
      out_(out)
  {
    ws_.read_message_max(message_max);
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  }

  void start(const tcp::endpoint& ep)
  {
    beast::get_lowest_layer(ws_).async_connect(ep, [self = this->shared_from_this()](error_code ec) {
      if (ec)
        return self->fail(ec);
      self->ws_.async_handshake("localhost", "/echo", [self](error_code ec) {
        if (ec)
          return self->fail(ec);
        self->next();
      });
    });
  }

private:
  void next()
  {
    auto self = this->shared_from_this();
    if (index_ == messages_.size())
    {
      if (client_closes_)
        return ws_.async_close(websocket::close_code::normal, [self](error_code ec) {
          if (ec)
            return self->fail(ec);
          self->out_.end = websocket::error::closed;
          self->out_.done = true;
        });
      ws_.text(true);
      return ws_.async_write(asio::buffer(close_request), [self](error_code ec, std::size_t) {
        if (ec)
          return self->fail(ec);
        // The server's close frame ends this read.
        self->ws_.async_read(self->buffer_, [self](error_code ec, std::size_t) {
          self->out_.end = ec;
          self->out_.reason = self->ws_.reason();
          self->out_.done = true;
        });
      });
    }
    ws_.text(messages_[index_].second);
    ws_.async_write(asio::buffer(messages_[index_].first), [self](error_code ec, std::size_t) {
      if (ec)
        return self->fail(ec);
      self->buffer_.clear();
      self->ws_.async_read(self->buffer_, [self](error_code ec, std::size_t) {
        if (ec)
          return self->fail(ec);
        self->out_.echoed.push_back(beast::buffers_to_string(self->buffer_.data()));
        self->out_.echoed_text.push_back(self->ws_.got_text());
        ++self->index_;
        self->next();
      });
    });
  }

  void fail(const error_code& ec)
  {
    out_.ec = ec;
    out_.done = true;
  }

  websocket::stream<Next> ws_;
  std::vector<std::pair<std::string, bool>> messages_;
  bool client_closes_;
  echo_client_result& out_;
  std::size_t index_ = 0;
  beast::flat_buffer buffer_;
};

template <typename Next>
void echo_and_close(bool client_closes)
{
  asio::io_context ioc;
  server_result server;
  echo_client_result client;
  echo_server<Next> listener(ioc, server);
  std::vector<std::pair<std::string, bool>> messages;
  for (bool text : {true, false})
    for (std::size_t n : sizes)
      messages.emplace_back(make_message(n, text), text);
  std::make_shared<echo_client<Next>>(ioc, messages, client_closes, client)
      ->start(listener.acceptor.local_endpoint());
  BOOST_TEST(run_for(ioc, 2, std::chrono::seconds(300)));

  BOOST_TEST(client.done);
  BOOST_TEST(!client.ec, client.ec.message());
  BOOST_TEST_REQUIRE(client.echoed.size() == messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i)
  {
    BOOST_TEST_CONTEXT((messages[i].second ? "text" : "binary") << " message of "
                                                                 << messages[i].first.size()
                                                                 << " bytes")
    {
      BOOST_TEST(client.echoed[i].size() == messages[i].first.size());
      BOOST_TEST((client.echoed[i] == messages[i].first));
      BOOST_TEST(client.echoed_text[i] == messages[i].second);
    }
  }
  BOOST_TEST(server.done);
  BOOST_TEST(server.messages == int(messages.size()));
  BOOST_TEST(server.ec == ws_closed, server.ec.message());
  BOOST_TEST(client.end == ws_closed, client.end.message());
  if (client_closes)
  {
    BOOST_TEST(server.reason.code == websocket::close_code::normal);
  }
  else
  {
    BOOST_TEST(!server.close_ec, server.close_ec.message());
    BOOST_TEST(client.reason.code == websocket::close_code::going_away);
  }
  // The teardown closed the server's socket.
  BOOST_TEST(server.closed_socket);
}

using next_layers = std::tuple<tcp_stream, tcp::socket>;

} // namespace

BOOST_AUTO_TEST_SUITE(websocket_on_stream, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE_TEMPLATE(echo_then_client_closes, Next, next_layers)
{
  echo_and_close<Next>(true);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(echo_then_server_closes, Next, next_layers)
{
  echo_and_close<Next>(false);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(synchronous_echo_and_close, Next, next_layers)
{
  // Both sides blocking, the server on a thread of its own: the synchronous teardown.
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const std::string text = make_message(100000, true);
  error_code server_end;
  int server_messages = 0;
  bool server_socket_closed = false;
  std::thread server([&] {
    try
    {
      tcp::socket s(ioc);
      acceptor.accept(s);
      websocket::stream<Next> ws(std::move(s));
      ws.accept();
      for (;;)
      {
        beast::flat_buffer b;
        error_code ec;
        ws.read(b, ec);
        if (ec)
        {
          server_end = ec;
          break;
        }
        ++server_messages;
        ws.text(ws.got_text());
        ws.write(b.data());
      }
      server_socket_closed = !socket_open(ws);
    }
    catch (const std::exception& e)
    {
      server_end = asio::error::fault;
      BOOST_TEST_MESSAGE("server: " << e.what());
    }
  });

  watchdog guard("synchronous WebSocket echo");
  websocket::stream<Next> ws(ioc);
  beast::get_lowest_layer(ws).connect(acceptor.local_endpoint());
  ws.handshake("localhost", "/");
  for (bool as_text : {true, false})
  {
    ws.text(as_text);
    ws.write(asio::buffer(text));
    beast::flat_buffer b;
    ws.read(b);
    BOOST_TEST(ws.got_text() == as_text);
    BOOST_TEST((beast::buffers_to_string(b.data()) == text));
  }
  ws.close(websocket::close_code::normal);
  BOOST_TEST(!socket_open(ws));
  server.join();
  BOOST_TEST(server_messages == 2);
  BOOST_TEST(server_end == ws_closed, server_end.message());
  BOOST_TEST(server_socket_closed);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(idle_timeout_closes_the_connection, Next, next_layers)
{
  asio::io_context ioc;
  server_result server;
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout = patience;
  timeout.idle_timeout = std::chrono::milliseconds(500);
  timeout.keep_alive_pings = false;
  echo_server<Next> listener(ioc, server, timeout);

  // A client that handshakes and then only listens.
  websocket::stream<Next> ws(ioc);
  error_code handshake, end;
  int reads = 0;
  beast::flat_buffer b;
  beast::get_lowest_layer(ws).async_connect(listener.acceptor.local_endpoint(), [&](error_code ec) {
    if (ec)
    {
      handshake = ec;
      return;
    }
    ws.async_handshake("localhost", "/", [&](error_code ec) {
      handshake = ec;
      if (!ec)
        ws.async_read(b, [&](error_code ec, std::size_t) {
          ++reads;
          end = ec;
        });
    });
  });
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(run_for(ioc, 2));
  BOOST_TEST(!handshake, handshake.message());
  BOOST_TEST(server.done);
  BOOST_TEST(server.ec == timed_out, server.ec.message());
  BOOST_TEST(server.closed_socket);
  BOOST_TEST(seconds_since(start) >= 0.45);
  BOOST_TEST(reads == 1);
  BOOST_TEST(end.failed(), "the client's read ended with: " << end.message());
}

BOOST_AUTO_TEST_SUITE_END()
