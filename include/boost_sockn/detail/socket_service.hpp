//
// boost_sockn/detail/socket_service.hpp
//
// The socket service: what every I/O object (stream and datagram sockets, the acceptor, the
// watcher) shares, decided once, as Asio's reactive_socket_service_base decides it for Asio's.
// It owns an I/O object's implementation (the handle, Asio's state flags, the reactor's state for
// the socket) and its lifecycle, and starts each asynchronous operation: the queue it waits in
// (out-of-band data waits in the except queue), whether it is tried before it waits, and the
// shortcut for empty buffers, which stream sockets complete at once and datagram sockets send and
// receive as real datagrams. Each initiation of the public headers is one call here.
//
// Layers: the public I/O objects → this service → the reactor (detail/reactor_service.hpp) and
// the system calls (detail/socket_calls.hpp), which know nothing of each other.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_SOCKET_SERVICE_HPP
#define BOOST_SOCKN_DETAIL_SOCKET_SERVICE_HPP

#include <boost_sockn/detail/actions.hpp>
#include <boost_sockn/detail/io_op.hpp>
#include <boost_sockn/detail/reactor_service.hpp>
#include <boost_sockn/detail/socket_calls.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/detail/buffer_sequence_adapter.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/socket_base.hpp>

#include <cstdint>
#include <type_traits>
#include <utility>

namespace boost_sockn {
namespace detail {

static_assert(sizeof(socket_type) == sizeof(native_socket_type),
              "the port's socket type must be the system's");

/// What an I/O object holds: the handle, Asio's state flags, and the reactor's per-socket state.
struct socket_impl
{
  socket_type socket = boost::asio::detail::invalid_socket;
  sockops::state_type state = 0;
  descriptor_state* desc = nullptr;
  reactor_impl* reactor = nullptr;

  socket_impl() = default;
  socket_impl(socket_impl&& other) noexcept
    : socket(other.socket), state(other.state), desc(other.desc), reactor(other.reactor)
  {
    other.socket = boost::asio::detail::invalid_socket;
    other.state = 0;
    other.desc = nullptr;
  }
  socket_impl& operator=(const socket_impl&) = delete;

  bool is_open() const noexcept { return socket != boost::asio::detail::invalid_socket; }

  /// Asio's test for the empty-buffer shortcut and for end of file: a closed socket has no flags.
  bool stream_oriented() const noexcept { return (state & sockops::stream_oriented) != 0; }
};

// Lifecycle (src/socket/socket_service.cpp).
void open_socket(reactor_impl& r, socket_impl& impl, int family, int type, int protocol,
                 boost::system::error_code& ec);
void assign_socket(reactor_impl& r, socket_impl& impl, int type, socket_type s,
                   boost::system::error_code& ec);
/// Adopts a handle returned by accept (already non-blocking, owned by nobody else).
void adopt_accepted(reactor_impl& r, socket_impl& impl, int type, socket_type s,
                    boost::system::error_code& ec);
void close_socket(socket_impl& impl, boost::system::error_code& ec);
void destroy_socket(socket_impl& impl) noexcept;
socket_type release_socket(socket_impl& impl, boost::system::error_code& ec);
void cancel_socket(socket_impl& impl, boost::system::error_code& ec);
/// shutdown(); the reactor learns which sides the socket shut (side_shut).
void shutdown_socket(socket_impl& impl, boost::asio::socket_base::shutdown_type what,
                     boost::system::error_code& ec);
/// Moves `from` into a closed `to` (the state keeps its reactor).
void move_socket(socket_impl& to, socket_impl& from) noexcept;

// Starting operations.

/// Starts `action` in queue `kind` of `impl`'s state (tried at once first when `speculative`),
/// or completes it, posted, with the reason it cannot start. Never invokes the handler here.
template <class Action, class Handler, class IoExecutor>
void start_io(socket_impl& impl, op_kind kind, bool speculative, Action action, Handler&& handler,
              const IoExecutor& ex)
{
  using op_type = io_op<Action, typename std::decay<Handler>::type, IoExecutor>;
  op_type* op = op_type::create(std::move(action), std::forward<Handler>(handler), ex, &impl,
                                static_cast<std::uintmax_t>(impl.socket));
  boost::system::error_code ec;
  if (!impl.is_open())
    op->fail(boost::asio::error::bad_descriptor);
  else if (Action::needs_non_blocking && !make_non_blocking(impl.socket, impl.state, ec))
    op->fail(ec);
  else
    op->start(impl.desc, kind, speculative);
}

/// Completes `action` at once with `ec`, posted: decided in the initiating function, which
/// never runs the handler.
template <class Action, class Handler, class IoExecutor>
void complete_io(socket_impl& impl, Action action, Handler&& handler, const IoExecutor& ex,
                 const boost::system::error_code& ec)
{
  using op_type = io_op<Action, typename std::decay<Handler>::type, IoExecutor>;
  op_type::create(std::move(action), std::forward<Handler>(handler), ex, &impl,
                  static_cast<std::uintmax_t>(impl.socket))
      ->fail(ec);
}

/// Receives wait for out-of-band data in the except queue, as Asio's do. The port reports no
/// urgent-data condition (PSN has none), so only an error or a hang-up attempts them, and they
/// are never tried before they wait.
inline op_kind receive_queue(int flags) noexcept
{
  return (flags & boost::asio::socket_base::message_out_of_band) ? except_op : read_op;
}

inline bool receive_tried_first(int flags) noexcept
{
  return (flags & boost::asio::socket_base::message_out_of_band) == 0;
}

template <class Buffer, class Buffers>
bool all_empty(const Buffers& buffers)
{
  return boost::asio::detail::buffer_sequence_adapter<Buffer, Buffers>::all_empty(buffers);
}

// The initiations, one per asynchronous member.

template <class ConstBuffers, class Handler, class IoExecutor>
void async_send(socket_impl& impl, const ConstBuffers& buffers, int flags, Handler&& handler,
                const IoExecutor& ex)
{
  send_action<ConstBuffers> action{{}, impl.socket, buffers, flags};
  if (impl.stream_oriented() && all_empty<boost::asio::const_buffer>(buffers))
    complete_io(impl, std::move(action), std::forward<Handler>(handler), ex, {});
  else
    start_io(impl, write_op, true, std::move(action), std::forward<Handler>(handler), ex);
}

template <class MutableBuffers, class Handler, class IoExecutor>
void async_receive(socket_impl& impl, const MutableBuffers& buffers, int flags, Handler&& handler,
                   const IoExecutor& ex)
{
  recv_action<MutableBuffers> action{{}, impl.socket, buffers, flags, impl.stream_oriented()};
  if (impl.stream_oriented() && all_empty<boost::asio::mutable_buffer>(buffers))
    complete_io(impl, std::move(action), std::forward<Handler>(handler), ex, {});
  else
    start_io(impl, receive_queue(flags), receive_tried_first(flags), std::move(action),
             std::forward<Handler>(handler), ex);
}

template <class ConstBuffers, class Endpoint, class Handler, class IoExecutor>
void async_send_to(socket_impl& impl, const ConstBuffers& buffers, const Endpoint& destination,
                   int flags, Handler&& handler, const IoExecutor& ex)
{
  start_io(impl, write_op, true,
           sendto_action<ConstBuffers, Endpoint>{{}, impl.socket, buffers, destination, flags},
           std::forward<Handler>(handler), ex);
}

template <class MutableBuffers, class Endpoint, class Handler, class IoExecutor>
void async_receive_from(socket_impl& impl, const MutableBuffers& buffers, Endpoint* sender,
                        int flags, Handler&& handler, const IoExecutor& ex)
{
  start_io(impl, receive_queue(flags), receive_tried_first(flags),
           recvfrom_action<MutableBuffers, Endpoint>{{}, impl.socket, buffers, sender, flags},
           std::forward<Handler>(handler), ex);
}

/// `open_ec` is the failure of an open made for this connect (an unopened socket opens itself).
template <class Endpoint, class Handler, class IoExecutor>
void async_connect(socket_impl& impl, const Endpoint& peer, const boost::system::error_code& open_ec,
                   Handler&& handler, const IoExecutor& ex)
{
  connect_action action{{}, impl.socket};
  boost::system::error_code ec = open_ec;
  if (!ec && !impl.is_open())
    ec = boost::asio::error::bad_descriptor;
  else if (!ec && make_non_blocking(impl.socket, impl.state, ec)
           && !start_connect(impl.socket, peer.data(), peer.size(), ec))
  {
    // In progress: wait for writability, then read SO_ERROR. Never tried first: the connect
    // has just been started.
    start_io(impl, write_op, false, std::move(action), std::forward<Handler>(handler), ex);
    return;
  }
  complete_io(impl, std::move(action), std::forward<Handler>(handler), ex, ec);
}

/// Accepts into `peer`, which must be closed (Socket: a boost_sockn socket).
template <class Socket, class Endpoint, class Handler, class IoExecutor>
void async_accept(socket_impl& listener, Socket* peer, Endpoint* peer_endpoint, Handler&& handler,
                  const IoExecutor& ex)
{
  accept_into_action<Socket, Endpoint> action{
      {listener.socket, listener.state, peer_endpoint, {}}, {}, peer};
  if (peer->is_open())
    complete_io(listener, std::move(action), std::forward<Handler>(handler), ex,
                boost::asio::error::already_open);
  else
    start_io(listener, read_op, true, std::move(action), std::forward<Handler>(handler), ex);
}

/// Accepts into a new Socket made from `target` and hands it to the handler.
template <class Socket, class Endpoint, class Handler, class IoExecutor>
void async_move_accept(socket_impl& listener, const typename Socket::executor_type& target,
                       Endpoint* peer_endpoint, Handler&& handler, const IoExecutor& ex)
{
  start_io(listener, read_op, true,
           move_accept_action<Socket, Endpoint>{
               {listener.socket, listener.state, peer_endpoint, {}}, target},
           std::forward<Handler>(handler), ex);
}

/// The queue a wait belongs to; false for an invalid wait type.
inline bool wait_queue(boost::asio::socket_base::wait_type w, op_kind& kind) noexcept
{
  switch (w)
  {
  case boost::asio::socket_base::wait_read: kind = read_op; return true;
  case boost::asio::socket_base::wait_write: kind = write_op; return true;
  case boost::asio::socket_base::wait_error: kind = except_op; return true;
  default: return false;
  }
}

template <class Handler, class IoExecutor>
void async_wait(socket_impl& impl, boost::asio::socket_base::wait_type w, Handler&& handler,
                const IoExecutor& ex)
{
  wait_action action{{}, impl.socket, w};
  op_kind kind;
  if (!wait_queue(w, kind))
  {
    complete_io(impl, std::move(action), std::forward<Handler>(handler), ex,
                boost::asio::error::invalid_argument);
    return;
  }
  // With level triggers the port reports a condition that already holds; with edge triggers
  // only a check now closes the gap before the wait is queued.
  const bool speculative = impl.desc && edge_triggered(impl.desc);
  start_io(impl, kind, speculative, std::move(action), std::forward<Handler>(handler), ex);
}

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_SOCKET_SERVICE_HPP
