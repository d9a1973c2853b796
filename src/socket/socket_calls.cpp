//
// src/socket/socket_calls.cpp
//
// The socket-call layer over boost::asio::detail::socket_ops: the same system calls, error
// mapping and state flags as Asio's reactive sockets, so that our error codes compare equal to
// Asio's on every system.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/detail/socket_calls.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/errc.hpp>

namespace boost_sockn {
namespace detail {

namespace {

bool would_block(const boost::system::error_code& ec)
{
  return ec == boost::asio::error::would_block || ec == boost::asio::error::try_again;
}

#if defined(_WIN32)
// An ICMP "port unreachable" for an earlier datagram fails the next non-overlapped receive with
// WSAECONNRESET; Asio's overlapped receive sees ERROR_PORT_UNREACHABLE and reports
// connection_refused, as Linux does: so do we.
boost::system::error_code datagram_error(int e)
{
  if (e == WSAECONNRESET)
    return boost::asio::error::connection_refused;
  return boost::system::error_code(e, boost::asio::error::get_system_category());
}

// A datagram larger than the buffers: WSARecvFrom fills them and fails with WSAEMSGSIZE. Asio's
// overlapped receive (which our asynchronous one stands in for) completes with the bytes that
// fitted; its non-overlapped call, which socket_ops::recvfrom makes, reports the count Winsock
// leaves, 0 under Wine. Report the bytes that fitted, as the overlapped form does.
bool receive_datagram(socket_type s, native_buffer* bufs, std::size_t count, int flags,
                      void* addr, std::size_t* addrlen, boost::system::error_code& ec,
                      std::size_t& bytes)
{
  DWORD received = 0;
  DWORD in_flags = static_cast<DWORD>(flags);
  int len = addrlen ? static_cast<int>(*addrlen) : 0;
  const int r = ::WSARecvFrom(s, bufs, static_cast<DWORD>(count), &received, &in_flags,
                              static_cast<sockaddr*>(addr), addrlen ? &len : nullptr, nullptr,
                              nullptr);
  const int e = r == 0 ? 0 : ::WSAGetLastError();
  if (e == 0 || e == WSAEMSGSIZE)
  {
    if (addrlen)
      *addrlen = static_cast<std::size_t>(len);
    bytes = 0;
    if (e == 0)
      bytes = received;
    else
      for (std::size_t i = 0; i < count; ++i)
        bytes += bufs[i].len;
    ec.clear();
    return true;
  }
  ec = datagram_error(e);
  if (would_block(ec))
    return false;
  bytes = 0;
  return true;
}
#endif

} // namespace

sockops::state_type type_flags(int type) noexcept
{
  if (type == SOCK_STREAM)
    return sockops::stream_oriented;
  if (type == SOCK_DGRAM)
    return sockops::datagram_oriented;
  return 0;
}

bool make_non_blocking(socket_type s, sockops::state_type& state, boost::system::error_code& ec)
{
  if (state & sockops::internal_non_blocking)
    return true;
  return sockops::set_internal_non_blocking(s, state, true, ec);
}

namespace {

// One non-blocking transfer: retried when interrupted; false when it would block; otherwise
// finished, with the byte count or the error.
template <class Call>
bool attempt(Call call, boost::system::error_code& ec, std::size_t& bytes)
{
  for (;;)
  {
    const auto n = call();
    if (n >= 0)
    {
      bytes = static_cast<std::size_t>(n);
      return true;
    }
    if (ec == boost::asio::error::interrupted)
      continue;
    if (would_block(ec))
      return false;
    bytes = 0;
    return true;
  }
}

} // namespace

bool try_recv(socket_type s, native_buffer* bufs, std::size_t count, int flags, bool is_stream,
              boost::system::error_code& ec, std::size_t& bytes)
{
#if defined(_WIN32)
  if (!is_stream)
    return receive_datagram(s, bufs, count, flags, nullptr, nullptr, ec, bytes);
#endif
  if (!attempt([&] { return sockops::recv(s, bufs, count, flags, ec); }, ec, bytes))
    return false;
  if (is_stream && !ec && bytes == 0)
    ec = boost::asio::error::eof;
  return true;
}

bool try_send(socket_type s, const native_buffer* bufs, std::size_t count, int flags,
              boost::system::error_code& ec, std::size_t& bytes)
{
  return attempt([&] { return sockops::send(s, bufs, count, flags, ec); }, ec, bytes);
}

bool try_recvfrom(socket_type s, native_buffer* bufs, std::size_t count, int flags, void* addr,
                  std::size_t* addrlen, boost::system::error_code& ec, std::size_t& bytes)
{
#if defined(_WIN32)
  return receive_datagram(s, bufs, count, flags, addr, addrlen, ec, bytes);
#else
  return attempt([&] { return sockops::recvfrom(s, bufs, count, flags, addr, addrlen, ec); }, ec,
                 bytes);
#endif
}

bool try_sendto(socket_type s, const native_buffer* bufs, std::size_t count, int flags,
                const void* addr, std::size_t addrlen, boost::system::error_code& ec,
                std::size_t& bytes)
{
  return attempt([&] { return sockops::sendto(s, bufs, count, flags, addr, addrlen, ec); }, ec,
                 bytes);
}

bool try_accept(socket_type s, sockops::state_type state, void* addr, std::size_t* addrlen,
                boost::system::error_code& ec, socket_type& accepted)
{
  for (;;)
  {
    std::size_t len = addrlen ? *addrlen : 0;
    accepted = sockops::accept(s, addr, addrlen ? &len : nullptr, ec);
    if (accepted != boost::asio::detail::invalid_socket)
    {
      if (addrlen)
        *addrlen = len;
      sockops::state_type st = 0;
      boost::system::error_code ignored;
      sockops::set_internal_non_blocking(accepted, st, true, ignored);
      ec.clear();
      return true;
    }
    if (ec == boost::asio::error::interrupted)
      continue;
    if (would_block(ec))
      return false;
    if (ec == boost::asio::error::connection_aborted
        || ec == boost::system::errc::protocol_error
        || ec == boost::asio::error::connection_reset)
    {
      // The peer gave up before we accepted: Asio waits for the next connection unless the
      // program asked to see these. Windows' accept() reports a connection reset in the
      // backlog as WSAECONNRESET; Asio's own (AcceptEx) sees it as ERROR_NETNAME_DELETED and
      // treats it as connection_aborted, so this does too.
      if (state & sockops::enable_connection_aborted)
      {
        if (ec == boost::asio::error::connection_reset)
          ec = boost::asio::error::connection_aborted;
        return true;
      }
      return false;
    }
    return true;
  }
}

bool try_connect_result(socket_type s, boost::system::error_code& ec)
{
  return sockops::non_blocking_connect(s, ec);
}

bool try_wait(socket_type s, boost::asio::socket_base::wait_type w,
              boost::system::error_code& ec)
{
  const sockops::state_type st = sockops::user_set_non_blocking;
  int r;
  switch (w)
  {
  case boost::asio::socket_base::wait_read: r = sockops::poll_read(s, st, 0, ec); break;
  case boost::asio::socket_base::wait_write: r = sockops::poll_write(s, st, 0, ec); break;
  default: r = sockops::poll_error(s, st, 0, ec); break;
  }
  if (r > 0)
  {
    ec.clear();
    return true;
  }
  if (r == 0)
  {
    ec.clear(); // not ready yet: no outcome to report
    return false;
  }
  // A wait reports readiness, never the connection's condition: a select() that fails because
  // the connection was reset or aborted (Wine's does) says the socket is ready, as Asio's
  // wait completes then without an error.
  if (ec == boost::asio::error::connection_reset || ec == boost::asio::error::connection_aborted
      || ec == boost::asio::error::network_reset || ec == boost::asio::error::shut_down)
    ec.clear();
  return true;
}

bool start_connect(socket_type s, const void* addr, std::size_t addrlen,
                   boost::system::error_code& ec)
{
  sockops::connect(s, addr, addrlen, ec);
  if (ec == boost::asio::error::in_progress || ec == boost::asio::error::would_block)
  {
    ec.clear();
    return false;
  }
  return true;
}

bool socket_type_of(socket_type s, int& type, boost::system::error_code& ec)
{
  if (s == boost::asio::detail::invalid_socket)
  {
    ec = boost::asio::error::bad_descriptor;
    return false;
  }
  type = 0;
  std::size_t len = sizeof(type);
  return sockops::getsockopt(s, 0, SOL_SOCKET, SO_TYPE, &type, &len, ec) == 0;
}

socket_type sync_accept(socket_type listener, sockops::state_type state, void* addr,
                        std::size_t* addrlen, boost::system::error_code& ec)
{
  socket_type s = sockops::sync_accept(listener, state, addr, addrlen, ec);
  if (s != boost::asio::detail::invalid_socket)
  {
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::set_internal_non_blocking(s, st, true, ignored);
  }
  return s;
}

void sync_wait(socket_type s, sockops::state_type state, boost::asio::socket_base::wait_type w,
               boost::system::error_code& ec)
{
  switch (w)
  {
  case boost::asio::socket_base::wait_read: sockops::poll_read(s, state, -1, ec); break;
  case boost::asio::socket_base::wait_write: sockops::poll_write(s, state, -1, ec); break;
  case boost::asio::socket_base::wait_error: sockops::poll_error(s, state, -1, ec); break;
  default: ec = boost::asio::error::invalid_argument; break;
  }
}

} // namespace detail
} // namespace boost_sockn
