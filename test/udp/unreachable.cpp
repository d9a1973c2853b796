//
// test/udp/unreachable.cpp
//
// A datagram sent to a port nobody listens on draws an ICMP "port unreachable": Asio's next
// receive on the connected socket reports connection_refused (Linux's ECONNREFUSED; on Windows
// its overlapped receive sees ERROR_PORT_UNREACHABLE, where the non-overlapped call that
// boost_sockn makes sees WSAECONNRESET).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <boost/test/unit_test.hpp>

#include <array>

namespace {

using namespace sockn_test;
using udp = net_under_test::udp;

// A UDP port on 127.0.0.1 that was just released: nothing listens there.
udp::endpoint closed_udp_endpoint(asio::io_context& ioc)
{
  udp::socket s(ioc, udp_loopback());
  return s.local_endpoint();
}

} // namespace

BOOST_AUTO_TEST_SUITE(unreachable, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(a_receive_after_port_unreachable_reports_connection_refused,
  *boost::unit_test::precondition(known_deviation{sockn_build && on_wine(),
    "Wine's AFD poll does not report an ICMP port-unreachable on a UDP socket, so the pending "
    "receive waits for the next datagram (whether Windows' does is question 16 of psn_probe)"}))
{
  asio::io_context ioc;
  udp::socket s(ioc, udp_loopback());
  s.connect(closed_udp_endpoint(ioc));
  std::array<char, 16> rx{};
  outcome received;
  s.async_receive(asio::buffer(rx), record(received));
  s.send(asio::buffer("x", 1));
  BOOST_TEST(run_until(ioc, [&] { return received.calls == 1; }, 10s));
  BOOST_TEST((received.ec == asio::error::connection_refused), received.ec.message());
}

BOOST_AUTO_TEST_SUITE_END()
