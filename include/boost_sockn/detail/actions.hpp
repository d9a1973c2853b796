//
// boost_sockn/detail/actions.hpp
//
// What each kind of operation does when the socket is ready (perform), what it does on the
// completing thread before the upcall (finish), and which arguments its handler receives (bind).
// Actions know the system-call layer and the port's conditions, not the reactor.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_ACTIONS_HPP
#define BOOST_SOCKN_DETAIL_ACTIONS_HPP

#include <boost_sockn/detail/socket_calls.hpp>
#include <boost_sockn/notification_port.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/detail/bind_handler.hpp>
#include <boost/asio/detail/buffer_sequence_adapter.hpp>
#include <boost/asio/socket_base.hpp>

#include <cstddef>
#include <utility>

namespace boost_sockn {
namespace detail {

/// Handlers taking (error_code). Operations make non-blocking calls unless they say otherwise.
struct ec_only_result
{
  static constexpr bool needs_non_blocking = true;
  static constexpr bool reports_bytes = false; // what handler tracking logs at the upcall
  void finish(boost::system::error_code&, std::size_t) {}
  template <class Handler>
  static auto bind(Handler&& h, const boost::system::error_code& ec, std::size_t)
  {
    return boost::asio::detail::bind_handler(std::forward<Handler>(h), ec);
  }
};

/// Handlers taking (error_code, std::size_t).
struct bytes_result
{
  static constexpr bool needs_non_blocking = true;
  static constexpr bool reports_bytes = true;
  void finish(boost::system::error_code&, std::size_t) {}
  template <class Handler>
  static auto bind(Handler&& h, const boost::system::error_code& ec, std::size_t n)
  {
    return boost::asio::detail::bind_handler(std::forward<Handler>(h), ec, n);
  }
};

/// A wait finishes on what the port reported; only an attempt without a notification asks the
/// socket (a zero-timeout poll). Asking the socket after a notification could answer otherwise
/// (a peer's FIN is not in select()'s error set, a failed connect on Windows only is) and a
/// level-triggered condition would then report again at once, for ever.
struct wait_action : ec_only_result
{
  // Waiting only polls: the handle's blocking mode is left alone (it may belong to another library).
  static constexpr bool needs_non_blocking = false;
  static constexpr const char* tracking_name = "async_wait"; // Asio's names, for handlerviz
  socket_type socket;
  boost::asio::socket_base::wait_type what;

  bool perform(event ready, boost::system::error_code& ec)
  {
    if (ready == event::none)
      return try_wait(socket, what, ec);
    ec.clear(); // a wait reports readiness, never the condition's error
    switch (what)
    {
    case boost::asio::socket_base::wait_read:
      return has(ready, event::in | event::hangup | event::error);
    case boost::asio::socket_base::wait_write:
      // A connection that hung up is writable in Asio's sense: a send fails at once (Asio's
      // reactors report it ready on EPOLLHUP, and select() does).
      return has(ready, event::out | event::hangup | event::error);
    default:
      // A hang-up alone may be a peer's FIN, which is no error condition to Asio (its error wait
      // completes on a reset, not on an orderly close): the socket says which.
      if (has(ready, event::error))
        return true;
      return has(ready, event::hangup) && try_wait(socket, what, ec);
    }
  }
};

struct connect_action : ec_only_result
{
  static constexpr const char* tracking_name = "async_connect";
  socket_type socket;

  bool perform(boost::system::error_code& ec, std::size_t&) { return try_connect_result(socket, ec); }
};

template <class MutableBuffers>
struct recv_action : bytes_result
{
  static constexpr const char* tracking_name = "async_receive";
  socket_type socket;
  MutableBuffers buffers;
  int flags;
  bool is_stream;

  bool perform(boost::system::error_code& ec, std::size_t& bytes)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::mutable_buffer, MutableBuffers> b(buffers);
    return try_recv(socket, b.buffers(), b.count(), flags, is_stream, ec, bytes);
  }
};

template <class ConstBuffers>
struct send_action : bytes_result
{
  static constexpr const char* tracking_name = "async_send";
  socket_type socket;
  ConstBuffers buffers;
  int flags;

  bool perform(boost::system::error_code& ec, std::size_t& bytes)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::const_buffer, ConstBuffers> b(buffers);
    return try_send(socket, b.buffers(), b.count(), flags, ec, bytes);
  }
};

template <class MutableBuffers, class Endpoint>
struct recvfrom_action : bytes_result
{
  static constexpr const char* tracking_name = "async_receive_from";
  socket_type socket;
  MutableBuffers buffers;
  Endpoint* sender;
  int flags;

  bool perform(boost::system::error_code& ec, std::size_t& bytes)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::mutable_buffer, MutableBuffers> b(buffers);
    std::size_t len = sender->capacity();
    if (!try_recvfrom(socket, b.buffers(), b.count(), flags, sender->data(), &len, ec, bytes))
      return false;
    if (!ec)
      sender->resize(len);
    return true;
  }
};

template <class ConstBuffers, class Endpoint>
struct sendto_action : bytes_result
{
  static constexpr const char* tracking_name = "async_send_to";
  socket_type socket;
  ConstBuffers buffers;
  Endpoint destination;
  int flags;

  bool perform(boost::system::error_code& ec, std::size_t& bytes)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::const_buffer, ConstBuffers> b(buffers);
    return try_sendto(socket, b.buffers(), b.count(), flags, destination.data(), destination.size(),
                      ec, bytes);
  }
};

/// Owns an accepted handle until an I/O object adopts it; closes it otherwise (an operation
/// destroyed at shutdown, or an adoption that failed).
class accepted_socket
{
public:
  accepted_socket() = default;
  accepted_socket(accepted_socket&& o) noexcept : s_(o.s_) { o.s_ = boost::asio::detail::invalid_socket; }
  accepted_socket& operator=(accepted_socket&&) = delete;
  ~accepted_socket() { reset(); }

  socket_type& get() noexcept { return s_; }
  socket_type release() noexcept
  {
    socket_type s = s_;
    s_ = boost::asio::detail::invalid_socket;
    return s;
  }
  void reset() noexcept
  {
    if (s_ == boost::asio::detail::invalid_socket)
      return;
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::close(s_, st, true, ignored);
    s_ = boost::asio::detail::invalid_socket;
  }

private:
  socket_type s_ = boost::asio::detail::invalid_socket;
};

/// The accepting half shared by both accept forms.
template <class Endpoint>
struct accept_base
{
  static constexpr const char* tracking_name = "async_accept";
  socket_type socket;
  sockops::state_type state;
  Endpoint* peer_endpoint;
  accepted_socket accepted;

  bool perform(boost::system::error_code& ec, std::size_t&)
  {
    std::size_t len = peer_endpoint ? peer_endpoint->capacity() : 0;
    socket_type s = boost::asio::detail::invalid_socket;
    if (!try_accept(socket, state, peer_endpoint ? peer_endpoint->data() : nullptr,
                    peer_endpoint ? &len : nullptr, ec, s))
      return false;
    accepted.reset();
    accepted.get() = s;
    if (!ec && peer_endpoint)
      peer_endpoint->resize(len);
    return true;
  }
};

/// Accept into an existing socket object (Socket: any boost_sockn basic_socket).
template <class Socket, class Endpoint>
struct accept_into_action : accept_base<Endpoint>, ec_only_result
{
  Socket* peer;
  using accept_base<Endpoint>::perform;
  using ec_only_result::needs_non_blocking;

  void finish(boost::system::error_code& ec, std::size_t)
  {
    if (!ec)
      peer->adopt_accepted(this->accepted, ec);
  }
};

/// Accept into a new socket object of type Socket, made from `target` (an executor).
template <class Socket, class Endpoint>
struct move_accept_action : accept_base<Endpoint>
{
  static constexpr bool needs_non_blocking = true;
  static constexpr bool reports_bytes = false;
  typename Socket::executor_type target;
  Socket result{target};

  void finish(boost::system::error_code& ec, std::size_t)
  {
    if (!ec)
      result.adopt_accepted(this->accepted, ec);
  }
  template <class Handler>
  auto bind(Handler&& h, const boost::system::error_code& ec, std::size_t)
  {
    return boost::asio::detail::move_binder2<typename std::decay<Handler>::type,
                                             boost::system::error_code, Socket>(
        0, std::forward<Handler>(h), ec, std::move(result));
  }
};

/// Runs an action's attempt: every action but the wait makes its system call whatever the port
/// reported.
template <class Action>
bool perform_action(Action& a, event, boost::system::error_code& ec, std::size_t& bytes)
{
  return a.perform(ec, bytes);
}

inline bool perform_action(wait_action& a, event ready, boost::system::error_code& ec,
                           std::size_t&)
{
  return a.perform(ready, ec);
}

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_ACTIONS_HPP
