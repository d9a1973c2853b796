//
// boost_sockn/detail/message_calls.hpp
//
// The message calls of the socket-call layer (src/socket/message_calls.cpp): one datagram with
// its control data, recvmsg/sendmsg on Linux, WSARecvMsg/WSASendMsg on Windows, and the packet
// information option. The control data itself is built and parsed by one shared piece
// (src/socket/control_data.hpp). Not public API.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_MESSAGE_CALLS_HPP
#define BOOST_SOCKN_DETAIL_MESSAGE_CALLS_HPP

#include <boost_sockn/detail/socket_calls.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>

namespace boost_sockn {
namespace detail {

/// What one received message said besides its bytes and sender (non-template half of
/// ip::basic_message_info).
struct message_meta
{
  boost::asio::ip::address destination;
  unsigned int interface_index = 0;
  bool has_packet_info = false;
  bool truncated = false;
  bool control_truncated = false;
  std::size_t control_size = 0;
};

/// Room for the control data receive_msg asks for when the caller gives none: both families'
/// packet information with room to spare for whatever else the program enabled.
constexpr std::size_t default_control_size = 256;

/// The control data of one send, built (and checked) before any system call.
struct source_control
{
  alignas(std::max_align_t) unsigned char data[64];
  std::size_t size = 0;
};

/// Checks `source` against the socket's family and the destination and builds its control data
/// into `out` (empty when the system is to choose). invalid_argument for a malformed source.
void encode_source(int socket_family, const boost::asio::ip::address& destination,
                   const boost::asio::ip::address& source, unsigned int interface_index,
                   source_control& out, boost::system::error_code& ec);

/// One non-blocking receive of a message; false means "would block". `control` (aligned as
/// std::max_align_t) receives the control data, `meta` what was parsed from it.
bool try_receive_message(socket_type s, native_buffer* bufs, std::size_t count, void* addr,
                         std::size_t* addrlen, void* control, std::size_t control_capacity,
                         message_meta& meta, boost::system::error_code& ec, std::size_t& bytes);

/// One non-blocking send of a message with the control data of `source`.
bool try_send_message(socket_type s, const native_buffer* bufs, std::size_t count,
                      const void* addr, std::size_t addrlen, const source_control& source,
                      boost::system::error_code& ec, std::size_t& bytes);

/// The synchronous forms: they wait for readiness unless the user made the socket non-blocking
/// (then would_block), as Asio's synchronous calls do.
std::size_t sync_receive_message(socket_type s, sockops::state_type state, native_buffer* bufs,
                                 std::size_t count, void* addr, std::size_t* addrlen, void* control,
                                 std::size_t control_capacity, message_meta& meta,
                                 boost::system::error_code& ec);
std::size_t sync_send_message(socket_type s, sockops::state_type state,
                              const native_buffer* bufs, std::size_t count, const void* addr,
                              std::size_t addrlen, const source_control& source,
                              boost::system::error_code& ec);

/// The ip::packet_info option on a socket of `family` (AF_INET or AF_INET6).
void set_packet_info(socket_type s, sockops::state_type& state, int family, bool on,
                     boost::system::error_code& ec);
bool get_packet_info(socket_type s, sockops::state_type state, int family,
                     boost::system::error_code& ec);

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_MESSAGE_CALLS_HPP
