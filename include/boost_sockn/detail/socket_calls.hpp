//
// boost_sockn/detail/socket_calls.hpp
//
// The socket-call layer: non-blocking system calls and the socket lifecycle, compiled into the
// library (src/socket/). It is built on boost::asio::detail::socket_ops, so error codes and the
// user/internal non-blocking state flags are Asio's own. Not public API.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_SOCKET_CALLS_HPP
#define BOOST_SOCKN_DETAIL_SOCKET_CALLS_HPP

#include <boost_sockn/detail/reactor_service.hpp>

#include <boost/asio/detail/socket_ops.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>

namespace boost_sockn {
namespace detail {

namespace sockops = boost::asio::detail::socket_ops;
using socket_type = boost::asio::detail::socket_type;
using native_buffer = sockops::buf;

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
};

// Lifecycle (Asio's semantics: close() closes even when it reports an error; the destructor form
// ignores errors and resets a user linger so that it never blocks).
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
/// Moves `from` into a closed `to` (the state keeps its reactor).
void move_socket(socket_impl& to, socket_impl& from) noexcept;

/// Makes the handle non-blocking for the reactor's attempts (Asio's internal flag).
bool prepare_for_async(socket_impl& impl, boost::system::error_code& ec);

// Non-blocking attempts: false means "would block, wait for readiness".
bool try_recv(socket_type s, native_buffer* bufs, std::size_t count, int flags, bool is_stream,
              boost::system::error_code& ec, std::size_t& bytes);
bool try_send(socket_type s, const native_buffer* bufs, std::size_t count, int flags,
              boost::system::error_code& ec, std::size_t& bytes);
bool try_recvfrom(socket_type s, native_buffer* bufs, std::size_t count, int flags, void* addr,
                  std::size_t* addrlen, boost::system::error_code& ec, std::size_t& bytes);
bool try_sendto(socket_type s, const native_buffer* bufs, std::size_t count, int flags,
                const void* addr, std::size_t addrlen, boost::system::error_code& ec,
                std::size_t& bytes);
bool try_accept(socket_type s, sockops::state_type state, void* addr, std::size_t* addrlen,
                boost::system::error_code& ec, socket_type& accepted);
bool try_connect_result(socket_type s, boost::system::error_code& ec);
bool try_wait(socket_type s, boost::asio::socket_base::wait_type w,
              boost::system::error_code& ec);

/// Starts a non-blocking connect: true when it finished at once (ec tells how), false when it is
/// in progress.
bool start_connect(socket_type s, const void* addr, std::size_t addrlen,
                   boost::system::error_code& ec);

/// The SO_TYPE of `s`; false (with bad_descriptor or not_socket) when `s` is no socket.
bool socket_type_of(socket_type s, int& type, boost::system::error_code& ec);

/// A blocking accept on `listener` (honouring its user non-blocking flag); the new handle is
/// returned non-blocking, ready for adopt_accepted.
socket_type sync_accept(socket_impl& listener, void* addr, std::size_t* addrlen,
                        boost::system::error_code& ec);

/// A blocking wait for readiness (the synchronous wait() member).
void sync_wait(socket_impl& impl, boost::asio::socket_base::wait_type w,
               boost::system::error_code& ec);

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_SOCKET_CALLS_HPP
