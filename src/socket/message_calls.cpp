//
// src/socket/message_calls.cpp
//
// Datagram messages with control data. Only the two system calls and the option names differ
// between the systems (the `os` namespace below); the checks of a source, the packet-info
// parsing (control_data.cpp), truncation and the waiting are shared.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/detail/message_calls.hpp>

#include "control_data.hpp"

#include <boost/asio/error.hpp>

#include <atomic>
#include <climits>
#include <cstring>

namespace boost_sockn {
namespace detail {

namespace {

bool would_block(const boost::system::error_code& ec)
{
  return ec == boost::asio::error::would_block || ec == boost::asio::error::try_again;
}

/// The result of one system call: the byte count and the message flags on success.
struct call_result
{
  bool ok = false;
  std::size_t bytes = 0;
  int flags = 0;
  std::size_t addrlen = 0;
  std::size_t control_size = 0;
};

namespace os {

#if defined(_WIN32)

// Windows has no recvmsg/sendmsg entry points of its own for the non-overlapped case worth
// relying on: WSARecvMsg exists only as an extension function, so both come from
// SIO_GET_EXTENSION_FUNCTION_POINTER. Every Winsock provider returns the same pointers, so the
// first socket's answer serves all.
template <class Fn>
Fn extension(socket_type s, GUID guid, std::atomic<Fn>& cache, boost::system::error_code& ec)
{
  Fn fn = cache.load(std::memory_order_acquire);
  if (fn)
    return fn;
  DWORD bytes = 0;
  if (::WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn, sizeof(fn),
                 &bytes, nullptr, nullptr)
      != 0)
  {
    ec.assign(::WSAGetLastError(), boost::asio::error::get_system_category());
    return nullptr;
  }
  cache.store(fn, std::memory_order_release);
  return fn;
}

std::atomic<LPFN_WSARECVMSG> recvmsg_fn{nullptr};
std::atomic<LPFN_WSASENDMSG> sendmsg_fn{nullptr};

call_result receive(socket_type s, native_buffer* bufs, std::size_t count, void* addr,
                    std::size_t addrlen, void* control, std::size_t control_capacity,
                    boost::system::error_code& ec)
{
  call_result r;
  const GUID guid = WSAID_WSARECVMSG;
  LPFN_WSARECVMSG fn = extension(s, guid, recvmsg_fn, ec);
  if (!fn)
    return r;
  WSAMSG m{};
  m.name = static_cast<LPSOCKADDR>(addr);
  m.namelen = static_cast<INT>(addrlen);
  m.lpBuffers = bufs;
  m.dwBufferCount = static_cast<DWORD>(count);
  m.Control.buf = static_cast<CHAR*>(control);
  m.Control.len = control ? static_cast<ULONG>(control_capacity) : 0;
  DWORD received = 0;
  const int e = fn(s, &m, &received, nullptr, nullptr) == 0 ? 0 : ::WSAGetLastError();
  // WSAEMSGSIZE reports a truncation: of the datagram (the buffers were filled, the rest is
  // gone, and the count is not dependable: Wine leaves 0, with no flag) or, under Wine at least,
  // of the control data alone (MSG_CTRUNC; Wine's count is 0 then too, which is all there is to
  // report). Without a flag it is the datagram. Either way it is a truncation reported through
  // the flags, as on Linux, not an error.
  if (e != 0 && e != WSAEMSGSIZE)
  {
    // A "port unreachable" for an earlier datagram: connection_refused, as on Linux and as
    // the datagram socket's own receives report it (socket_calls.cpp).
    if (e == WSAECONNRESET)
      ec = boost::asio::error::connection_refused;
    else
      ec.assign(e, boost::asio::error::get_system_category());
    return r;
  }
  r.ok = true;
  r.flags = static_cast<int>(m.dwFlags);
  if (e == WSAEMSGSIZE && (r.flags & (MSG_TRUNC | MSG_CTRUNC)) == 0)
    r.flags |= MSG_TRUNC;
  if (e == WSAEMSGSIZE && (r.flags & MSG_TRUNC))
  {
    for (std::size_t i = 0; i < count; ++i)
      r.bytes += bufs[i].len;
  }
  else
    r.bytes = received;
  r.addrlen = static_cast<std::size_t>(m.namelen);
  r.control_size = control ? static_cast<std::size_t>(m.Control.len) : 0;
  ec.clear();
  return r;
}

call_result send(socket_type s, const native_buffer* bufs, std::size_t count, const void* addr,
                 std::size_t addrlen, const void* control, std::size_t control_size,
                 boost::system::error_code& ec)
{
  call_result r;
  const GUID guid = WSAID_WSASENDMSG;
  LPFN_WSASENDMSG fn = extension(s, guid, sendmsg_fn, ec);
  if (!fn)
    return r;
  WSAMSG m{};
  m.name = static_cast<LPSOCKADDR>(const_cast<void*>(addr));
  m.namelen = static_cast<INT>(addrlen);
  m.lpBuffers = const_cast<LPWSABUF>(bufs);
  m.dwBufferCount = static_cast<DWORD>(count);
  m.Control.buf = control_size ? static_cast<CHAR*>(const_cast<void*>(control)) : nullptr;
  m.Control.len = static_cast<ULONG>(control_size);
  DWORD sent = 0;
  if (fn(s, &m, 0, &sent, nullptr, nullptr) != 0)
  {
    ec.assign(::WSAGetLastError(), boost::asio::error::get_system_category());
    return r;
  }
  r.ok = true;
  r.bytes = sent;
  ec.clear();
  return r;
}

// Windows turns IPv6 packet information on with IPV6_PKTINFO itself.
constexpr int ipv6_receive_option = IPV6_PKTINFO;
using option_value = DWORD;

#else

call_result receive(socket_type s, native_buffer* bufs, std::size_t count, void* addr,
                    std::size_t addrlen, void* control, std::size_t control_capacity,
                    boost::system::error_code& ec)
{
  call_result r;
  for (;;)
  {
    msghdr m{};
    m.msg_name = addr;
    m.msg_namelen = static_cast<socklen_t>(addrlen);
    m.msg_iov = bufs;
    m.msg_iovlen = count;
    m.msg_control = control;
    m.msg_controllen = control ? control_capacity : 0;
    const ssize_t n = ::recvmsg(s, &m, 0);
    if (n < 0)
    {
      ec.assign(errno, boost::asio::error::get_system_category());
      if (ec == boost::asio::error::interrupted)
        continue;
      return r;
    }
    r.ok = true;
    r.bytes = static_cast<std::size_t>(n);
    r.flags = m.msg_flags;
    r.addrlen = m.msg_namelen;
    r.control_size = control ? m.msg_controllen : 0;
    ec.clear();
    return r;
  }
}

call_result send(socket_type s, const native_buffer* bufs, std::size_t count, const void* addr,
                 std::size_t addrlen, const void* control, std::size_t control_size,
                 boost::system::error_code& ec)
{
  call_result r;
  for (;;)
  {
    msghdr m{};
    m.msg_name = const_cast<void*>(addr);
    m.msg_namelen = static_cast<socklen_t>(addrlen);
    m.msg_iov = const_cast<iovec*>(bufs);
    m.msg_iovlen = count;
    m.msg_control = control_size ? const_cast<void*>(control) : nullptr;
    m.msg_controllen = control_size;
    // MSG_NOSIGNAL as Asio's sends: a datagram socket never raises SIGPIPE, but the flag costs
    // nothing and keeps the calls alike.
    const ssize_t n = ::sendmsg(s, &m, MSG_NOSIGNAL);
    if (n < 0)
    {
      ec.assign(errno, boost::asio::error::get_system_category());
      if (ec == boost::asio::error::interrupted)
        continue;
      return r;
    }
    r.ok = true;
    r.bytes = static_cast<std::size_t>(n);
    ec.clear();
    return r;
  }
}

// Linux separates "deliver IPv6 packet info" (IPV6_RECVPKTINFO) from the sticky send option
// IPV6_PKTINFO.
constexpr int ipv6_receive_option = IPV6_RECVPKTINFO;
using option_value = int;

#endif

} // namespace os

boost::asio::ip::address to_address(const control::packet_info_entry& e)
{
  if (e.family == AF_INET)
  {
    boost::asio::ip::address_v4::bytes_type b;
    std::memcpy(b.data(), e.address, 4);
    return boost::asio::ip::address_v4(b);
  }
  boost::asio::ip::address_v6::bytes_type b;
  std::memcpy(b.data(), e.address, 16);
  return boost::asio::ip::address_v6(b);
}

/// The sender's family, from the address the call filled in.
int family_of(const void* addr, std::size_t addrlen)
{
  if (!addr || addrlen < sizeof(unsigned short) * 2)
    return 0;
  return static_cast<const sockaddr*>(addr)->sa_family;
}

void parse(const void* control, std::size_t size, int sender_family, message_meta& meta)
{
  control::packet_info_entry v4, v6;
  control::read_packet_info(control, size, v4, v6);
  // Report the destination in the family the sender is reported in. A dual-stack socket gets an
  // IPv4 datagram's information as IP_PKTINFO (Windows) or as both entries, the IPv6 one
  // v4-mapped (Linux).
  if (sender_family == AF_INET6)
  {
    if (v6.family)
    {
      meta.destination = to_address(v6);
      meta.interface_index = v6.interface_index;
    }
    else if (v4.family)
    {
      meta.destination = boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped,
                                                          to_address(v4).to_v4());
      meta.interface_index = v4.interface_index;
    }
  }
  else if (v4.family)
  {
    meta.destination = to_address(v4);
    meta.interface_index = v4.interface_index;
  }
  else if (v6.family)
  {
    const auto a = to_address(v6).to_v6();
    if (a.is_v4_mapped())
    {
      meta.destination = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a);
      meta.interface_index = v6.interface_index;
    }
  }
  meta.has_packet_info = !meta.destination.is_unspecified() || meta.interface_index != 0;
}

} // namespace

void encode_source(int socket_family, const boost::asio::ip::address& destination,
                   const boost::asio::ip::address& source, unsigned int interface_index,
                   source_control& out, boost::system::error_code& ec)
{
  out.size = 0;
  const auto invalid = [&ec] { ec = boost::asio::error::invalid_argument; };
  if (socket_family != AF_INET && socket_family != AF_INET6)
    return invalid(); // packet information is IP's
  if (interface_index > static_cast<unsigned int>(INT_MAX))
    return invalid(); // Linux's ipi_ifindex is an int

  // The family on the wire: an IPv4 destination, or a v4-mapped one on a dual-stack socket, is
  // sent as IPv4 and takes IPv4 packet information (IP_PKTINFO), on Linux and Windows alike.
  const bool v4_wire = destination.is_v4()
                       || (destination.is_v6() && destination.to_v6().is_v4_mapped());

  control::packet_info_entry e;
  e.family = v4_wire ? AF_INET : AF_INET6;
  e.interface_index = interface_index;
  const bool has_address = !source.is_unspecified();
  if (has_address)
  {
    if (source.is_multicast())
      return invalid(); // a group is never a source
    if (source.is_v4())
    {
      // An IPv4 source fits an IPv4 packet only, on either kind of socket.
      if (!v4_wire || source.to_v4() == boost::asio::ip::address_v4::broadcast())
        return invalid();
      const auto b = source.to_v4().to_bytes();
      std::memcpy(e.address, b.data(), 4);
    }
    else
    {
      const auto a6 = source.to_v6();
      // The v4-mapped form exists on IPv6 sockets only, and names an IPv4 source.
      if (socket_family != AF_INET6 || a6.is_v4_mapped() != v4_wire)
        return invalid();
      if (a6.is_v4_mapped())
      {
        const auto a4 = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a6);
        if (a4 == boost::asio::ip::address_v4::broadcast() || a4.is_multicast())
          return invalid();
        const auto b = a4.to_bytes();
        std::memcpy(e.address, b.data(), 4);
      }
      else
      {
        const auto b = a6.to_bytes();
        std::memcpy(e.address, b.data(), 16);
        const unsigned long scope = a6.scope_id();
        if (scope != 0)
        {
          if (interface_index != 0 && interface_index != scope)
            return invalid(); // the scope and the interface name different links
          if (scope > static_cast<unsigned long>(INT_MAX))
            return invalid();
          e.interface_index = static_cast<unsigned int>(scope);
        }
      }
    }
  }
  else if (source.is_v6() && socket_family == AF_INET && interface_index != 0)
    return invalid(); // "::" with an interface names an IPv6 source on an IPv4 socket
  if (!has_address && e.interface_index == 0)
  {
    ec.clear(); // the system chooses: no control data
    return;
  }
  if (socket_family == AF_INET && !v4_wire)
    return invalid(); // IPv6 packet information on an IPv4 socket
  out.size = control::write_source(e, out.data, sizeof(out.data));
  if (out.size == 0)
    return invalid();
  ec.clear();
}

bool try_receive_message(socket_type s, native_buffer* bufs, std::size_t count, void* addr,
                         std::size_t* addrlen, void* control, std::size_t control_capacity,
                         message_meta& meta, boost::system::error_code& ec, std::size_t& bytes)
{
  const call_result r =
      os::receive(s, bufs, count, addr, addrlen ? *addrlen : 0, control, control_capacity, ec);
  if (!r.ok)
  {
    bytes = 0;
    return !would_block(ec);
  }
  bytes = r.bytes;
  if (addrlen)
    *addrlen = r.addrlen;
  meta = message_meta();
  meta.truncated = (r.flags & control::platform::trunc_flag) != 0;
  meta.control_truncated = (r.flags & control::platform::ctrunc_flag) != 0;
  meta.control_size = r.control_size;
  parse(control, r.control_size, family_of(addr, r.addrlen), meta);
  return true;
}

bool try_send_message(socket_type s, const native_buffer* bufs, std::size_t count,
                      const void* addr, std::size_t addrlen, const source_control& source,
                      boost::system::error_code& ec, std::size_t& bytes)
{
  const call_result r = os::send(s, bufs, count, addr, addrlen, source.data, source.size, ec);
  bytes = r.bytes;
  return r.ok || !would_block(ec);
}

std::size_t sync_receive_message(socket_type s, sockops::state_type state, native_buffer* bufs,
                                 std::size_t count, void* addr, std::size_t* addrlen,
                                 void* control, std::size_t control_capacity, message_meta& meta,
                                 boost::system::error_code& ec)
{
  if (s == boost::asio::detail::invalid_socket)
  {
    ec = boost::asio::error::bad_descriptor;
    return 0;
  }
  for (;;)
  {
    std::size_t bytes = 0;
    if (try_receive_message(s, bufs, count, addr, addrlen, control, control_capacity, meta, ec,
                            bytes))
      return bytes;
    if (state & sockops::user_set_non_blocking)
      return 0;
    if (sockops::poll_read(s, 0, -1, ec) < 0)
      return 0;
  }
}

std::size_t sync_send_message(socket_type s, sockops::state_type state,
                              const native_buffer* bufs, std::size_t count, const void* addr,
                              std::size_t addrlen, const source_control& source,
                              boost::system::error_code& ec)
{
  if (s == boost::asio::detail::invalid_socket)
  {
    ec = boost::asio::error::bad_descriptor;
    return 0;
  }
  for (;;)
  {
    std::size_t bytes = 0;
    if (try_send_message(s, bufs, count, addr, addrlen, source, ec, bytes))
      return bytes;
    if (state & sockops::user_set_non_blocking)
      return 0;
    if (sockops::poll_write(s, 0, -1, ec) < 0)
      return 0;
  }
}

void set_packet_info(socket_type s, sockops::state_type& state, int family, bool on,
                     boost::system::error_code& ec)
{
  const os::option_value v = on ? 1 : 0;
  if (family == AF_INET)
  {
    sockops::setsockopt(s, state, IPPROTO_IP, IP_PKTINFO, &v, sizeof(v), ec);
    return;
  }
  if (family != AF_INET6)
  {
    ec = boost::asio::error::operation_not_supported;
    return;
  }
  if (sockops::setsockopt(s, state, IPPROTO_IPV6, os::ipv6_receive_option, &v,
                          sizeof(v), ec)
      != 0)
    return;
  // The IPv4 half, for the IPv4 datagrams of a dual-stack socket. A socket restricted to IPv6
  // may refuse it and needs it not.
  boost::system::error_code v4_ec;
  sockops::setsockopt(s, state, IPPROTO_IP, IP_PKTINFO, &v, sizeof(v), v4_ec);
  if (!v4_ec)
    return;
  os::option_value v6only = 0;
  std::size_t len = sizeof(v6only);
  boost::system::error_code ignored;
  if (sockops::getsockopt(s, state, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &len,
                          ignored)
          == 0
      && v6only)
    return;
  ec = v4_ec;
}

bool get_packet_info(socket_type s, sockops::state_type state, int family,
                     boost::system::error_code& ec)
{
  if (family != AF_INET && family != AF_INET6)
  {
    ec = boost::asio::error::operation_not_supported;
    return false;
  }
  os::option_value v = 0;
  std::size_t len = sizeof(v);
  if (family == AF_INET)
    sockops::getsockopt(s, state, IPPROTO_IP, IP_PKTINFO, &v, &len, ec);
  else
    sockops::getsockopt(s, state, IPPROTO_IPV6, os::ipv6_receive_option, &v, &len,
                        ec);
  return !ec && v != 0;
}

} // namespace detail
} // namespace boost_sockn
