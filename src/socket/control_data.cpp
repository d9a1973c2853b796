//
// src/socket/control_data.cpp
//
// Building and walking the cmsg area, once for every system (the traits in control_data.hpp say
// what differs). Headers and data are copied with memcpy: a caller's control buffer need not be
// aligned, and the walk must not trust lengths beyond the area.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "control_data.hpp"

namespace boost_sockn {
namespace detail {
namespace control {

namespace {

using header = platform::header;

std::size_t put(unsigned char* out, std::size_t capacity, int level, int type, const void* data,
                std::size_t n)
{
  const std::size_t room = space(n);
  if (room > capacity)
    return 0;
  std::memset(out, 0, room);
  header h{};
  h.cmsg_len = data_offset + n;
  h.cmsg_level = level;
  h.cmsg_type = type;
  std::memcpy(out, &h, sizeof(h));
  std::memcpy(out + data_offset, data, n);
  return room;
}

} // namespace

std::size_t write_source(const packet_info_entry& source, void* out, std::size_t capacity)
{
  unsigned char* p = static_cast<unsigned char*>(out);
  if (source.family == AF_INET)
  {
    platform::in4_info i{};
    platform::set_source(i, source.address, source.interface_index);
    return put(p, capacity, platform::ip_level, platform::ip_pktinfo, &i, sizeof(i));
  }
  platform::in6_info i{};
  std::memcpy(&i.ipi6_addr, source.address, 16);
  i.ipi6_ifindex = source.interface_index;
  return put(p, capacity, platform::ipv6_level, platform::ipv6_pktinfo, &i, sizeof(i));
}

void read_packet_info(const void* control, std::size_t size, packet_info_entry& v4,
                      packet_info_entry& v6)
{
  const unsigned char* base = static_cast<const unsigned char*>(control);
  std::size_t pos = 0;
  while (control && pos + sizeof(header) <= size)
  {
    header h;
    std::memcpy(&h, base + pos, sizeof(h));
    const std::size_t len = static_cast<std::size_t>(h.cmsg_len);
    // A length shorter than a header, or running past the area (an entry the system cut short
    // when the area was too small), ends the walk.
    if (len < data_offset || len > size - pos)
      break;
    const unsigned char* data = base + pos + data_offset;
    const std::size_t n = len - data_offset;
    if (h.cmsg_level == platform::ip_level && h.cmsg_type == platform::ip_pktinfo
        && n >= sizeof(platform::in4_info))
    {
      platform::in4_info i;
      std::memcpy(&i, data, sizeof(i));
      v4.family = AF_INET;
      std::memcpy(v4.address, &i.ipi_addr, 4);
      v4.interface_index = platform::index_of(i);
    }
    else if (h.cmsg_level == platform::ipv6_level && h.cmsg_type == platform::ipv6_pktinfo
             && n >= sizeof(platform::in6_info))
    {
      platform::in6_info i;
      std::memcpy(&i, data, sizeof(i));
      v6.family = AF_INET6;
      std::memcpy(v6.address, &i.ipi6_addr, 16);
      v6.interface_index = static_cast<unsigned int>(i.ipi6_ifindex);
    }
    const std::size_t step = align_up(len, platform::header_align);
    if (step > size - pos)
      break;
    pos += step;
  }
}

} // namespace control
} // namespace detail
} // namespace boost_sockn
