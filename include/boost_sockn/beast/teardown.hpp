//
// boost_sockn/beast/teardown.hpp
//
// The customisation points Beast looks up by argument-dependent lookup, for boost_sockn's stream
// socket and basic_stream: WebSocket's teardown/async_teardown (the TCP side of a WebSocket close)
// and beast_close_socket (what beast::close_socket calls, e.g. when a WebSocket times out).
// Beast supplies them only for its own socket and stream types.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BEAST_TEARDOWN_HPP
#define BOOST_SOCKN_BEAST_TEARDOWN_HPP

#include <boost_sockn/basic_stream_socket.hpp>
#include <boost_sockn/beast/basic_stream.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/async_base.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <type_traits>
#include <utility>

namespace boost_sockn {

namespace detail {

// Shuts a TCP connection down the way Beast's WebSocket expects: the server sends its FIN first,
// both sides drain what the peer still sends until its FIN, then the socket is closed. Draining is
// readiness-driven: wait for readable, then read without blocking until the socket would block.
template <class Protocol, class Executor, class Handler>
class teardown_op : public boost::beast::async_base<Handler, Executor>
{
  using base = boost::beast::async_base<Handler, Executor>;
  using socket_type = basic_stream_socket<Protocol, Executor>;

  socket_type& socket_;
  boost::beast::role_type role_;
  bool user_non_blocking_;

public:
  template <class Handler_>
  teardown_op(Handler_&& h, socket_type& s, boost::beast::role_type role)
    : base(std::forward<Handler_>(h), s.get_executor()), socket_(s), role_(role),
      user_non_blocking_(s.non_blocking())
  {
    this->set_allowed_cancellation(boost::asio::cancellation_type::all);
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    if (!ec && role_ == boost::beast::role_type::server)
      socket_.shutdown(boost::asio::socket_base::shutdown_send, ec);
    if (ec)
      finish(ec, false);
    else
      drain(false);
  }

  void operator()(boost::system::error_code ec)
  {
    if (ec)
      finish(ec, true);
    else
      drain(true);
  }

private:
  void drain(bool continuation)
  {
    boost::system::error_code ec;
    for (;;)
    {
      char discard[2048];
      std::size_t n = socket_.read_some(boost::asio::buffer(discard), ec);
      if (ec == boost::asio::error::would_block)
      {
        socket_.async_wait(boost::asio::socket_base::wait_read, std::move(*this));
        return;
      }
      if (ec == boost::asio::error::eof)
      {
        ec = {};
        break;
      }
      if (ec || n == 0)
        break;
    }
    if (!ec && role_ == boost::beast::role_type::client)
      socket_.shutdown(boost::asio::socket_base::shutdown_send, ec);
    if (!ec)
      socket_.close(ec);
    finish(ec, continuation);
  }

  void finish(boost::system::error_code ec, bool continuation)
  {
    boost::system::error_code ignored;
    socket_.non_blocking(user_non_blocking_, ignored);
    // Never completes inside the initiating call: complete() posts when this is no continuation.
    this->complete(continuation, ec);
  }
};

} // namespace detail

/// WebSocket teardown of a boost_sockn stream socket (blocking).
template <class Protocol, class Executor>
void teardown(boost::beast::role_type role, basic_stream_socket<Protocol, Executor>& socket,
              boost::system::error_code& ec)
{
  ec = {};
  if (role == boost::beast::role_type::server)
    socket.shutdown(boost::asio::socket_base::shutdown_send, ec);
  if (ec)
    return;
  for (;;)
  {
    char discard[2048];
    std::size_t n = socket.read_some(boost::asio::buffer(discard), ec);
    if (ec == boost::asio::error::eof)
    {
      ec = {};
      break;
    }
    if (ec)
      return;
    if (n == 0)
      break;
  }
  if (role == boost::beast::role_type::client)
    socket.shutdown(boost::asio::socket_base::shutdown_send, ec);
  if (!ec)
    socket.close(ec);
}

/// WebSocket teardown of a boost_sockn stream socket; the handler takes (error_code).
template <class Protocol, class Executor, class TeardownHandler>
void async_teardown(boost::beast::role_type role, basic_stream_socket<Protocol, Executor>& socket,
                    TeardownHandler&& handler)
{
  detail::teardown_op<Protocol, Executor, typename std::decay<TeardownHandler>::type>(
      std::forward<TeardownHandler>(handler), socket, role);
}

/// What beast::close_socket calls for a boost_sockn socket.
template <class Protocol, class Executor>
void beast_close_socket(basic_socket<Protocol, Executor>& socket)
{
  boost::system::error_code ignored;
  socket.close(ignored);
}

template <class Protocol, class Executor, class RatePolicy>
void teardown(boost::beast::role_type role, basic_stream<Protocol, Executor, RatePolicy>& stream,
              boost::system::error_code& ec)
{
  boost_sockn::teardown(role, stream.socket(), ec);
}

template <class Protocol, class Executor, class RatePolicy, class TeardownHandler>
void async_teardown(boost::beast::role_type role,
                    basic_stream<Protocol, Executor, RatePolicy>& stream,
                    TeardownHandler&& handler)
{
  boost_sockn::async_teardown(role, stream.socket(), std::forward<TeardownHandler>(handler));
}

template <class Protocol, class Executor, class RatePolicy>
void beast_close_socket(basic_stream<Protocol, Executor, RatePolicy>& stream)
{
  boost::system::error_code ignored;
  stream.socket().close(ignored);
}

} // namespace boost_sockn

#endif
