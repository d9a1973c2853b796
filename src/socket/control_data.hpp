//
// src/socket/control_data.hpp
//
// The one control-data builder and parser of the message calls. The cmsg area has the same shape
// on Linux and Windows — a header (length, level, type), the data at an aligned offset, the next
// header at an aligned offset — and differs only in the header type, the two alignments, and the
// packet-information structures. Those differences are the traits below; everything that walks or
// fills the area is written once, against them.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_SOCKET_CONTROL_DATA_HPP
#define BOOST_SOCKN_SRC_SOCKET_CONTROL_DATA_HPP

#include <boost/asio/detail/socket_types.hpp>

#if defined(_WIN32)
#include <mswsock.h>
#include <ws2ipdef.h>
#include <ws2tcpip.h>
#else
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include <cstddef>
#include <cstring>

namespace boost_sockn {
namespace detail {
namespace control {

struct platform
{
#if defined(_WIN32)
  using header = WSACMSGHDR;
  // WSA_CMSGHDR_ALIGN and WSA_CMSGDATA_ALIGN (mswsock.h): the header's own alignment, and the
  // machine's natural one.
  static constexpr std::size_t header_align = alignof(WSACMSGHDR);
  static constexpr std::size_t data_align = MAX_NATURAL_ALIGNMENT;
  using in4_info = IN_PKTINFO;
  using in6_info = IN6_PKTINFO;
  static constexpr int trunc_flag = MSG_TRUNC;
  static constexpr int ctrunc_flag = MSG_CTRUNC;

  // Windows names the address in one field, the source when sending and the destination when
  // receiving.
  static void set_source(in4_info& i, const void* addr4, unsigned int ifindex)
  {
    std::memcpy(&i.ipi_addr, addr4, 4);
    i.ipi_ifindex = ifindex;
  }
  static unsigned int index_of(const in4_info& i) { return static_cast<unsigned int>(i.ipi_ifindex); }
#else
  using header = cmsghdr;
  // CMSG_ALIGN (glibc): both the data offset and the step to the next header round to size_t.
  static constexpr std::size_t header_align = sizeof(std::size_t);
  static constexpr std::size_t data_align = sizeof(std::size_t);
  using in4_info = in_pktinfo;
  using in6_info = in6_pktinfo;
  static constexpr int trunc_flag = MSG_TRUNC;
  static constexpr int ctrunc_flag = MSG_CTRUNC;

  // Linux: ipi_spec_dst is the source of a send (ipi_addr is ignored); ipi_addr is the header's
  // destination on receive.
  static void set_source(in4_info& i, const void* addr4, unsigned int ifindex)
  {
    std::memcpy(&i.ipi_spec_dst, addr4, 4);
    i.ipi_ifindex = static_cast<int>(ifindex);
  }
  static unsigned int index_of(const in4_info& i) { return static_cast<unsigned int>(i.ipi_ifindex); }
#endif
  static constexpr int ip_level = IPPROTO_IP;
  static constexpr int ip_pktinfo = IP_PKTINFO;
  static constexpr int ipv6_level = IPPROTO_IPV6;
  static constexpr int ipv6_pktinfo = IPV6_PKTINFO;
};

constexpr std::size_t align_up(std::size_t n, std::size_t a) { return (n + a - 1) & ~(a - 1); }

/// Offset of an entry's data from its header.
constexpr std::size_t data_offset = align_up(sizeof(platform::header), platform::data_align);

/// Room one entry with `n` bytes of data takes (CMSG_SPACE / WSA_CMSG_SPACE).
constexpr std::size_t space(std::size_t n)
{
  return align_up(data_offset + n,
                  platform::header_align > platform::data_align ? platform::header_align
                                                                : platform::data_align);
}

#if !defined(_WIN32)
static_assert(data_offset == CMSG_LEN(0), "the cmsg data offset must be the system's");
static_assert(space(sizeof(in_pktinfo)) == CMSG_SPACE(sizeof(in_pktinfo)), "CMSG_SPACE");
static_assert(space(sizeof(in6_pktinfo)) == CMSG_SPACE(sizeof(in6_pktinfo)), "CMSG_SPACE");
#endif

/// Packet information in neutral form: a family, the address bytes in network order, an index.
struct packet_info_entry
{
  int family = 0; // AF_INET, AF_INET6, or 0 when absent
  unsigned char address[16] = {};
  unsigned int interface_index = 0;
};

/// Writes the entry that names the source of a send into `out`; the bytes written, 0 if it does
/// not fit. `out` must be aligned for the header.
std::size_t write_source(const packet_info_entry& source, void* out, std::size_t capacity);

/// Finds the packet information of each family in `size` bytes of received control data.
/// Entries the system cut short are ignored.
void read_packet_info(const void* control, std::size_t size, packet_info_entry& v4,
                      packet_info_entry& v6);

} // namespace control
} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_SRC_SOCKET_CONTROL_DATA_HPP
