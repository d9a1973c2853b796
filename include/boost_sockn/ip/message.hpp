//
// boost_sockn/ip/message.hpp
//
// Datagram messages with control data: the types of basic_datagram_socket's receive_msg and
// send_msg (docs/datagram-messages.md).
//
//   ip::packet_info      socket option: deliver each datagram's destination address and arrival
//                        interface (IP_PKTINFO, IPV6_PKTINFO; both on a dual-stack socket)
//   ip::message_info     what receive_msg learnt about one datagram besides its bytes
//   ip::packet_source    where send_msg sends from: a local address and/or an interface
//   ip::control_buffer   caller-provided room for the received control data (optional)
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_IP_MESSAGE_HPP
#define BOOST_SOCKN_IP_MESSAGE_HPP

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstddef>

namespace boost_sockn {
namespace ip {

/// Boolean socket option for IP datagram sockets: when on, every datagram received with
/// receive_msg / async_receive_msg reports its destination address and arrival interface.
/// It sets IP_PKTINFO on an IPv4 socket; IPV6_RECVPKTINFO (Linux) / IPV6_PKTINFO (Windows) on an
/// IPv6 socket, and IP_PKTINFO as well, so that a dual-stack socket (IPV6_V6ONLY off) reports
/// its IPv4 datagrams too. Reading it reports the option of the socket's own family.
///
///   socket.set_option(boost_sockn::ip::packet_info(true));
class packet_info
{
public:
  packet_info() noexcept = default;
  explicit packet_info(bool on) noexcept : on_(on) {}

  packet_info& operator=(bool on) noexcept
  {
    on_ = on;
    return *this;
  }

  bool value() const noexcept { return on_; }
  explicit operator bool() const noexcept { return on_; }
  bool operator!() const noexcept { return !on_; }

private:
  bool on_ = false;
};

/// The local end a datagram is sent from (send_msg / async_send_msg).
///
/// - `address` unspecified and `interface_index` 0 (the default): the system chooses, as for
///   send_to; no control data is sent.
/// - `address` set: the datagram leaves with that source address. On a dual-stack socket sending
///   to a v4-mapped destination, give an IPv4 address or its v4-mapped form.
/// - `interface_index` non-zero: the datagram leaves through that interface. For an IPv6
///   link-local address the address's scope id serves when the index is 0.
///
/// A source that cannot be meant (wrong family for the socket or the destination, multicast or
/// broadcast address, scope id contradicting the interface) fails with
/// `boost::asio::error::invalid_argument` before any system call.
struct packet_source
{
  packet_source() noexcept = default;
  packet_source(const boost::asio::ip::address& a, unsigned int index = 0) noexcept
    : address(a), interface_index(index) {}
  packet_source(const boost::asio::ip::address_v4& a, unsigned int index = 0) noexcept
    : address(a), interface_index(index) {}
  packet_source(const boost::asio::ip::address_v6& a, unsigned int index = 0) noexcept
    : address(a), interface_index(index) {}

  boost::asio::ip::address address;
  unsigned int interface_index = 0;
};

/// What a receive_msg learnt about one datagram besides its bytes.
template <class Endpoint>
struct basic_message_info
{
  /// Who sent the datagram.
  Endpoint sender;

  /// Whether the system delivered packet information (ip::packet_info is on and the datagram's
  /// control data held it); `destination` and `interface_index` are meaningful only then.
  bool has_packet_info = false;

  /// The address the datagram was sent to: one of this host's addresses, or a broadcast or
  /// multicast group address. In the socket's family: v4-mapped for an IPv4 datagram on an IPv6
  /// socket, like `sender`.
  boost::asio::ip::address destination;

  /// The interface the datagram arrived on (the system's interface index).
  unsigned int interface_index = 0;

  /// The datagram was larger than the buffers: they hold its beginning, the rest is lost. The
  /// byte count is what the buffers received (Linux and Windows alike; no error).
  bool truncated = false;

  /// The control data did not fit the control area: some of it is lost, possibly the packet
  /// information (then has_packet_info is false).
  bool control_truncated = false;

  /// Bytes of control data received (meaningful with a caller-provided control_buffer, which
  /// then holds them in the system's own cmsg layout).
  std::size_t control_size = 0;

  /// Where a reply should come from: the address and interface this datagram arrived at.
  packet_source reply_source() const noexcept
  {
    return has_packet_info ? packet_source(destination, interface_index) : packet_source();
  }
};

using message_info = basic_message_info<boost::asio::ip::udp::endpoint>;

/// Caller-provided room for a datagram's control data. Without one, receive_msg uses an area of
/// its own sized for the packet information of both families. Control data is written in the
/// system's cmsg layout: align the storage as `std::max_align_t` to read it with the system's
/// CMSG_* / WSA_CMSG_* macros.
struct control_buffer
{
  control_buffer(void* d, std::size_t n) noexcept : data(d), size(n) {}

  void* data;
  std::size_t size;
};

} // namespace ip
} // namespace boost_sockn

#endif // BOOST_SOCKN_IP_MESSAGE_HPP
