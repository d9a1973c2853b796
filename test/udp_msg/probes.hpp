//
// test/udp_msg/probes.hpp
//
// What the machine (or Wine) offers, asked at run time: a second loopback address, IPv6
// loopback, the loopback interface's index, and whether the system honours a chosen source.
// Each probe says why when the answer is no; the cases use them as preconditions, so that what
// cannot run reports itself skipped with that reason.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_UDP_MSG_PROBES_HPP
#define BOOST_SOCKN_TEST_UDP_MSG_PROBES_HPP

#include "support/support.hpp"

#include <boost_sockn/ip/message.hpp>

#include <string>

namespace msg_test {

namespace asio = boost::asio;
using udp = net_under_test::udp;

/// 127.0.0.1.
inline const asio::ip::address v4_loopback = asio::ip::address_v4::loopback();

/// A probe's answer.
struct probe
{
  bool ok = false;
  std::string why;
};

/// 127.0.0.2 can be bound and receives datagrams sent to it over loopback.
const probe& second_v4_loopback();

/// ::1 can be bound and carries a datagram.
const probe& v6_loopback();

/// The loopback interface's index for `family` (AF_INET/AF_INET6), 0 with the reason when the
/// system does not say.
unsigned int loopback_index(int family, std::string& why);

/// The system sends from a chosen IPv4 source: a datagram sent by send_msg from 127.0.0.2
/// (through an unbound socket) arrives from 127.0.0.2. Where it does not, the probe repeats the
/// send with the raw system call, to tell the system's gap from ours.
const probe& chosen_v4_source();

/// A datagram whose control data did not fit still reports its byte count. Windows builds ask
/// a raw WSARecvMsg with a one-byte control area; Linux's recvmsg does (MSG_CTRUNC, count kept).
const probe& control_truncation_keeps_count();

/// A decorator over a probe: the case runs when it holds, else reports skipped with its reason.
struct requires_probe
{
  const probe& (*get)();

  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    const probe& p = get();
    if (p.ok)
      return true;
    boost::test_tools::assertion_result r(false);
    r.message() << p.why;
    return r;
  }
};

inline asio::ip::address_v4 second_loopback() { return asio::ip::make_address_v4("127.0.0.2"); }

/// A receiver bound to `address` (port 0) with packet information on.
udp::socket informed_receiver(asio::io_context& ioc, const asio::ip::address& address);

} // namespace msg_test

#endif // BOOST_SOCKN_TEST_UDP_MSG_PROBES_HPP
