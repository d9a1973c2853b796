//
// test/udp_msg/probes.cpp
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "udp_msg/probes.hpp"

#include <sstream>
#include <vector>

#if defined(_WIN32)
#include <iphlpapi.h>
#include <mswsock.h>
#include <ws2tcpip.h>
#else
#include <net/if.h>
#endif

namespace msg_test {

namespace {

using sockn_test::error_code;

// A datagram from a fresh socket bound to `from` to a receiver bound to `to`, received with a
// deadline; the error says what failed.
error_code loop_once(const asio::ip::address& from, const asio::ip::address& to)
{
  asio::io_context ioc;
  error_code ec;
  asio::ip::udp::socket rx(ioc), tx(ioc);
  rx.open(to.is_v4() ? asio::ip::udp::v4() : asio::ip::udp::v6(), ec);
  if (!ec)
    rx.bind({to, 0}, ec);
  if (!ec)
    tx.open(from.is_v4() ? asio::ip::udp::v4() : asio::ip::udp::v6(), ec);
  if (!ec)
    tx.bind({from, 0}, ec);
  if (!ec)
    tx.send_to(asio::buffer("probe", 5), rx.local_endpoint(), 0, ec);
  if (ec)
    return ec;
  char buf[8];
  asio::ip::udp::endpoint sender;
  bool done = false;
  rx.async_receive_from(asio::buffer(buf), sender, [&](error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  ioc.run_for(std::chrono::seconds(20));
  if (!done)
    return asio::error::timed_out;
  return ec;
}

} // namespace

const probe& second_v4_loopback()
{
  static const probe p = [] {
    probe r;
    const error_code ec = loop_once(second_loopback(), second_loopback());
    r.ok = !ec;
    if (!r.ok)
      r.why = "127.0.0.2 is not usable here (bind/send/receive on it: " + ec.message() + ")";
    return r;
  }();
  return p;
}

const probe& v6_loopback()
{
  static const probe p = [] {
    probe r;
    const error_code ec =
        loop_once(asio::ip::address_v6::loopback(), asio::ip::address_v6::loopback());
    r.ok = !ec;
    if (!r.ok)
      r.why = "the machine has no usable IPv6 loopback ::1 (" + ec.message() + ")";
    return r;
  }();
  return p;
}

unsigned int loopback_index(int family, std::string& why)
{
#if defined(_WIN32)
  // The loopback pseudo-interface's index as iphlpapi numbers it: IfIndex for IPv4,
  // Ipv6IfIndex for IPv6 (what IP_PKTINFO / IPV6_PKTINFO report on Windows).
  ULONG size = 16 * 1024;
  std::vector<unsigned char> storage;
  ULONG r = ERROR_BUFFER_OVERFLOW;
  for (int attempt = 0; attempt < 3 && r == ERROR_BUFFER_OVERFLOW; ++attempt)
  {
    storage.resize(size);
    r = ::GetAdaptersAddresses(static_cast<ULONG>(family), GAA_FLAG_SKIP_DNS_SERVER, nullptr,
                               reinterpret_cast<IP_ADAPTER_ADDRESSES*>(storage.data()), &size);
  }
  if (r != NO_ERROR)
  {
    why = "GetAdaptersAddresses failed with " + std::to_string(r);
    return 0;
  }
  for (auto* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(storage.data()); a; a = a->Next)
    if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
      return family == AF_INET ? a->IfIndex : a->Ipv6IfIndex;
  why = "GetAdaptersAddresses lists no loopback interface";
  return 0;
#else
  (void)family;
  const unsigned int index = ::if_nametoindex("lo");
  if (index == 0)
    why = "no interface named lo";
  return index;
#endif
}

#if defined(_WIN32)
namespace {

// WSASendMsg with IP_PKTINFO naming 127.0.0.2, made here without the library: if even this
// arrives from elsewhere, the system (Wine) ignores the control data.
std::string raw_source_probe()
{
  SOCKET rx = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  SOCKET tx = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  std::ostringstream out;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int len = sizeof(to);
  ::bind(rx, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  ::getsockname(rx, reinterpret_cast<sockaddr*>(&to), &len);
  GUID guid = WSAID_WSASENDMSG;
  LPFN_WSASENDMSG send_msg = nullptr;
  DWORD bytes = 0;
  if (::WSAIoctl(tx, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &send_msg,
                 sizeof(send_msg), &bytes, nullptr, nullptr)
      != 0)
    out << "WSAIoctl(WSAID_WSASENDMSG) failed: " << ::WSAGetLastError();
  else
  {
    alignas(WSACMSGHDR) char control[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))] = {};
    WSACMSGHDR* h = reinterpret_cast<WSACMSGHDR*>(control);
    h->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
    h->cmsg_level = IPPROTO_IP;
    h->cmsg_type = IP_PKTINFO;
    IN_PKTINFO info{};
    info.ipi_addr.s_addr = htonl(0x7f000002);
    std::memcpy(WSA_CMSG_DATA(h), &info, sizeof(info));
    char data[] = "raw";
    WSABUF buf{3, data};
    WSAMSG m{};
    m.name = reinterpret_cast<sockaddr*>(&to);
    m.namelen = sizeof(to);
    m.lpBuffers = &buf;
    m.dwBufferCount = 1;
    m.Control.buf = control;
    m.Control.len = sizeof(control);
    DWORD sent = 0;
    if (send_msg(tx, &m, 0, &sent, nullptr, nullptr) != 0)
      out << "a raw WSASendMsg with IP_PKTINFO 127.0.0.2 failed with " << ::WSAGetLastError();
    else
    {
      sockaddr_in from{};
      int from_len = sizeof(from);
      char got[8];
      DWORD timeout = 20000;
      ::setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<char*>(&timeout), sizeof(timeout));
      if (::recvfrom(rx, got, sizeof(got), 0, reinterpret_cast<sockaddr*>(&from), &from_len) < 0)
        out << "the raw probe datagram did not arrive: " << ::WSAGetLastError();
      else if (from.sin_addr.s_addr != htonl(0x7f000002))
      {
        char text[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, &from.sin_addr, text, sizeof(text));
        out << "the system ignores IP_PKTINFO in WSASendMsg's control data: a raw WSASendMsg "
               "naming source 127.0.0.2 arrived from "
            << text;
      }
    }
  }
  ::closesocket(rx);
  ::closesocket(tx);
  return out.str();
}

} // namespace
#endif

const probe& control_truncation_keeps_count()
{
  static const probe p = [] {
    probe r;
#if defined(_WIN32)
    SOCKET rx = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    SOCKET tx = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int len = sizeof(to);
    DWORD on = 1;
    ::setsockopt(rx, IPPROTO_IP, IP_PKTINFO, reinterpret_cast<char*>(&on), sizeof(on));
    ::bind(rx, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    ::getsockname(rx, reinterpret_cast<sockaddr*>(&to), &len);
    ::sendto(tx, "abc", 3, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    GUID guid = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG recv_msg = nullptr;
    DWORD bytes = 0;
    std::ostringstream out;
    if (::WSAIoctl(rx, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &recv_msg,
                   sizeof(recv_msg), &bytes, nullptr, nullptr)
        != 0)
      out << "WSAIoctl(WSAID_WSARECVMSG) failed: " << ::WSAGetLastError();
    else
    {
      char data[16];
      char control[1];
      WSABUF buf{sizeof(data), data};
      WSAMSG m{};
      m.lpBuffers = &buf;
      m.dwBufferCount = 1;
      m.Control.buf = control;
      m.Control.len = sizeof(control);
      DWORD received = 0;
      const int e = recv_msg(rx, &m, &received, nullptr, nullptr) == 0 ? 0 : ::WSAGetLastError();
      if (received != 3)
        out << "WSARecvMsg with a one-byte control area reports " << received
            << " bytes of a 3-byte datagram (error " << e << ", dwFlags " << m.dwFlags
            << "): the datagram's length is lost when its control data is truncated";
    }
    ::closesocket(rx);
    ::closesocket(tx);
    r.why = out.str();
    r.ok = r.why.empty();
#else
    r.ok = true;
#endif
    return r;
  }();
  return p;
}

const probe& chosen_v4_source()
{
  static const probe p = [] {
    probe r;
    const probe& second = second_v4_loopback();
    if (!second.ok)
    {
      r.why = second.why;
      return r;
    }
#if defined(_WIN32)
    r.why = raw_source_probe();
    r.ok = r.why.empty();
#else
    // Linux honours IP_PKTINFO: the cases assert it, nothing to probe.
    r.ok = true;
#endif
    return r;
  }();
  return p;
}

udp::socket informed_receiver(asio::io_context& ioc, const asio::ip::address& address)
{
  udp::socket s(ioc, address.is_v4() ? udp::v4() : udp::v6());
  s.set_option(boost_sockn::ip::packet_info(true));
  s.bind(udp::endpoint(address, 0));
  return s;
}

} // namespace msg_test
