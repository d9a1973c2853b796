//
// src/port/socket_probe_posix.cpp
//
// socket_probe.hpp on Linux: poll() with a zero timeout, the receive queue's size (FIONREAD) and
// the TCP state (TCP_INFO), none of which consumes data or the pending error (a peeking recv()
// would clear SO_ERROR and change what the caller's own recv() reports).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "socket_probe.hpp"

#include <cerrno>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace boost_sockn {
namespace detail {

boost::system::error_code identify_socket(native_socket_type s, socket_identity& id) noexcept
{
  struct stat st;
  if (::fstat(s, &st) != 0)
    return boost::system::error_code(errno, boost::system::system_category());
  if (!S_ISSOCK(st.st_mode))
    return boost::system::error_code(ENOTSOCK, boost::system::system_category());
  id.device = static_cast<std::uint64_t>(st.st_dev);
  id.inode = static_cast<std::uint64_t>(st.st_ino);
  return {};
}

namespace {

int socket_option(native_socket_type s, int level, int name) noexcept
{
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(s, level, name, &v, &len) != 0)
    return -1;
  return v;
}

// The TCP state of a stream socket (TCP_ESTABLISHED...), or -1 when it has none; and whether the
// connection was ever established. A closed socket looks alike whether it never connected, failed
// to, or lost its connection; only the last took part in a handshake, which left a round-trip
// sample and the negotiated options behind (a refused connect leaves neither).
int tcp_state(native_socket_type s, bool& was_established) noexcept
{
  tcp_info info{};
  socklen_t len = sizeof info;
  was_established = false;
  if (::getsockopt(s, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
    return -1;
  was_established = info.tcpi_rtt != 0 || info.tcpi_options != 0;
  return info.tcpi_state;
}

} // namespace

event probe_conditions(native_socket_type s, probe_memory& memory) noexcept
{
  pollfd p{};
  p.fd = s;
  p.events = POLLIN | POLLOUT | POLLRDHUP;
  if (::poll(&p, 1, 0) < 0 || (p.revents & POLLNVAL))
    return event::none;
  const bool pending_error = (p.revents & POLLERR) != 0;
  event m = pending_error ? event::error : event::none;

  if (socket_option(s, SOL_SOCKET, SO_TYPE) != SOCK_STREAM)
  {
    // Datagrams: a queued datagram (even an empty one) reads; nothing ever hangs up.
    if (p.revents & POLLIN)
      m |= event::in;
    if ((p.revents & POLLOUT) && !pending_error)
      m |= event::out;
    return m;
  }

  bool was_established = false;
  const int state = tcp_state(s, was_established);
  if (state == TCP_LISTEN)
    return (p.revents & POLLIN) ? (m | event::in) : m;
  if (state == TCP_SYN_SENT || state == TCP_SYN_RECV)
    return m; // connecting: nothing but a failure to report
  if (state == TCP_CLOSE)
  {
    // Never connected, a failed connect, or a connection that is gone. Only the last hung up; a
    // failed connect reports its error alone, and an idle unconnected socket reports nothing.
    // The memory alone would miss a connection that was gone before the first probe (a socket
    // registered after the peer reset it).
    if (memory.was_connected || was_established)
      m |= event::hangup;
    return m;
  }

  memory.was_connected = true;
  int queued = 0;
  if (::ioctl(s, FIONREAD, &queued) == 0 && queued > 0)
    m |= event::in; // the end of the stream alone is hangup, not in
  if (p.revents & (POLLRDHUP | POLLHUP))
    m |= event::hangup;
  if ((p.revents & POLLOUT) && !pending_error && !(p.revents & POLLHUP))
    m |= event::out;
  return m;
}

} // namespace detail
} // namespace boost_sockn
