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

int type_flags(int type)
{
  if (type == SOCK_STREAM)
    return sockops::stream_oriented;
  if (type == SOCK_DGRAM)
    return sockops::datagram_oriented;
  return 0;
}

void adopt(reactor_impl& r, socket_impl& impl, socket_type s, sockops::state_type state,
           boost::system::error_code& ec)
{
  descriptor_state* d = register_descriptor(r, s, ec);
  if (!d)
    return;
  impl.socket = s;
  impl.state = state;
  impl.desc = d;
  impl.reactor = &r;
}

void reset(socket_impl& impl)
{
  impl.socket = boost::asio::detail::invalid_socket;
  impl.state = 0;
  impl.desc = nullptr;
}

} // namespace

void open_socket(reactor_impl& r, socket_impl& impl, int family, int type, int protocol,
                 boost::system::error_code& ec)
{
  if (impl.is_open())
  {
    ec = boost::asio::error::already_open;
    return;
  }
  socket_type s = sockops::socket(family, type, protocol, ec);
  if (s == boost::asio::detail::invalid_socket)
    return;
  adopt(r, impl, s, static_cast<sockops::state_type>(type_flags(type)), ec);
  if (ec)
  {
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::close(s, st, true, ignored);
  }
}

void assign_socket(reactor_impl& r, socket_impl& impl, int type, socket_type s,
                   boost::system::error_code& ec)
{
  if (impl.is_open())
  {
    ec = boost::asio::error::already_open;
    return;
  }
  if (s == boost::asio::detail::invalid_socket)
  {
    ec = boost::asio::error::bad_descriptor;
    return;
  }
  // possible_dup: the handle may be shared with another owner, as Asio marks assigned sockets.
  adopt(r, impl, s,
        static_cast<sockops::state_type>(type_flags(type) | sockops::possible_dup), ec);
}

void adopt_accepted(reactor_impl& r, socket_impl& impl, int type, socket_type s,
                    boost::system::error_code& ec)
{
  // try_accept left the new handle non-blocking (Windows would have inherited it anyway).
  adopt(r, impl, s,
        static_cast<sockops::state_type>(type_flags(type) | sockops::internal_non_blocking), ec);
  if (ec)
  {
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::close(s, st, true, ignored);
  }
}

void close_socket(socket_impl& impl, boost::system::error_code& ec)
{
  if (!impl.is_open())
  {
    ec.clear();
    return;
  }
  const bool removed = !deregister_descriptor(impl.desc);
  sockops::close(impl.socket, impl.state, false, ec);
  if (!removed)
    abandon_descriptor(impl.desc); // closing deregistered it
  reset(impl);
}

void destroy_socket(socket_impl& impl) noexcept
{
  if (!impl.is_open())
    return;
  const bool removed = !deregister_descriptor(impl.desc);
  boost::system::error_code ignored;
  sockops::close(impl.socket, impl.state, true, ignored);
  if (!removed)
    abandon_descriptor(impl.desc);
  reset(impl);
}

socket_type release_socket(socket_impl& impl, boost::system::error_code& ec)
{
  if (!impl.is_open())
  {
    ec = boost::asio::error::bad_descriptor;
    return boost::asio::detail::invalid_socket;
  }
  // A handle handed back while still registered would break the next owner's use of it: if the
  // port cannot remove the registration, the socket stays with this object.
  ec = deregister_descriptor(impl.desc);
  if (ec)
    return boost::asio::detail::invalid_socket;
  socket_type s = impl.socket;
  reset(impl);
  return s;
}

void cancel_socket(socket_impl& impl, boost::system::error_code& ec)
{
  if (!impl.is_open())
  {
    ec = boost::asio::error::bad_descriptor;
    return;
  }
  cancel_ops(impl.desc);
  ec.clear();
}

void move_socket(socket_impl& to, socket_impl& from) noexcept
{
  to.socket = from.socket;
  to.state = from.state;
  to.desc = from.desc;
  to.reactor = from.reactor;
  reset(from);
}

bool prepare_for_async(socket_impl& impl, boost::system::error_code& ec)
{
  if (impl.state & sockops::internal_non_blocking)
    return true;
  return sockops::set_internal_non_blocking(impl.socket, impl.state, true, ec);
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

socket_type sync_accept(socket_impl& listener, void* addr, std::size_t* addrlen,
                        boost::system::error_code& ec)
{
  socket_type s = sockops::sync_accept(listener.socket, listener.state, addr, addrlen, ec);
  if (s != boost::asio::detail::invalid_socket)
  {
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::set_internal_non_blocking(s, st, true, ignored);
  }
  return s;
}

void sync_wait(socket_impl& impl, boost::asio::socket_base::wait_type w,
               boost::system::error_code& ec)
{
  switch (w)
  {
  case boost::asio::socket_base::wait_read: sockops::poll_read(impl.socket, impl.state, -1, ec); break;
  case boost::asio::socket_base::wait_write: sockops::poll_write(impl.socket, impl.state, -1, ec); break;
  case boost::asio::socket_base::wait_error: sockops::poll_error(impl.socket, impl.state, -1, ec); break;
  default: ec = boost::asio::error::invalid_argument; break;
  }
}

} // namespace detail
} // namespace boost_sockn
