//
// src/port/socket_probe.hpp
//
// What the strict PSN model (model_port.cpp) asks the operating system about a socket, without
// changing it: which conditions hold now, read the way PSN reports them, and whether the handle
// still names the socket that was registered. One implementation per system
// (socket_probe_posix.cpp; the model is not built where there is none).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_SOCKET_PROBE_HPP
#define BOOST_SOCKN_SRC_PORT_SOCKET_PROBE_HPP

#include <boost_sockn/notification_port.hpp>

#include <boost/system/error_code.hpp>

#include <cstdint>

namespace boost_sockn {
namespace detail {

/// Which object a handle names: equal identities name the same open socket.
struct socket_identity
{
  std::uint64_t device = 0;
  std::uint64_t inode = 0;

  friend bool operator==(const socket_identity& a, const socket_identity& b) noexcept
  { return a.device == b.device && a.inode == b.inode; }
  friend bool operator!=(const socket_identity& a, const socket_identity& b) noexcept
  { return !(a == b); }
};

/// The identity of the socket `s` names now; an error when `s` names no open socket.
boost::system::error_code identify_socket(native_socket_type s, socket_identity& id) noexcept;

/// What a probe remembers of a socket between calls.
struct probe_memory
{
  bool was_connected = false; ///< a stream socket seen connected once (so CLOSE means hung up)
};

/// The conditions that hold for `s` now, read as PSN reports them:
/// - in: data to read (not the end of the stream alone), a pending connection, a datagram;
/// - out: writable and connected, or a datagram socket with room;
/// - hangup: a stream connection closed or aborted by the peer (never for datagrams);
/// - error: an error is pending (a reset, a failed connect: then without out).
/// Never consumes data or the pending error.
event probe_conditions(native_socket_type s, probe_memory& memory) noexcept;

} // namespace detail
} // namespace boost_sockn

#endif
