//
// boost_sockn/detail/socket_calls.hpp
//
// The system-call layer: one non-blocking attempt per call, and the blocking forms of the
// synchronous members, compiled into the library (src/socket/socket_calls.cpp). It is built on
// boost::asio::detail::socket_ops, so error codes and the user/internal non-blocking state flags
// are Asio's own. It knows handles and flags only: what an I/O object owns and how it reaches the
// reactor is the socket service's (detail/socket_service.hpp). Not public API.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_SOCKET_CALLS_HPP
#define BOOST_SOCKN_DETAIL_SOCKET_CALLS_HPP

#include <boost/asio/detail/socket_ops.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>

namespace boost_sockn {
namespace detail {

namespace sockops = boost::asio::detail::socket_ops;
using socket_type = boost::asio::detail::socket_type;
using native_buffer = sockops::buf;

/// Makes the handle non-blocking for the reactor's attempts (Asio's internal flag, kept in
/// `state`); false with `ec` when the handle refuses.
bool make_non_blocking(socket_type s, sockops::state_type& state, boost::system::error_code& ec);

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

/// The state flags Asio keeps for a socket of SO_TYPE `type` (stream or datagram oriented).
sockops::state_type type_flags(int type) noexcept;

/// A blocking accept on `listener` (honouring its user non-blocking flag in `state`); the new
/// handle is returned non-blocking, ready to be adopted by an I/O object.
socket_type sync_accept(socket_type listener, sockops::state_type state, void* addr,
                        std::size_t* addrlen, boost::system::error_code& ec);

/// A blocking wait for readiness (the synchronous wait() member).
void sync_wait(socket_type s, sockops::state_type state, boost::asio::socket_base::wait_type w,
               boost::system::error_code& ec);

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_SOCKET_CALLS_HPP
