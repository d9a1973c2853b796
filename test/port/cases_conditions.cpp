//
// test/port/cases_conditions.cpp
//
// What each socket condition reports: accept, connect (success and refusal), peer close, peer
// reset, datagrams, send-buffer space.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"

namespace sockn_test {

namespace {
constexpr trigger level_oneshot = trigger::level | trigger::oneshot;
constexpr event all_filter = event::in | event::out | event::hangup;
} // namespace

PORT_CASE(listener_reports_in_when_a_connection_is_pending)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle l = tcp_listener(port);
  BOOST_TEST(!f.apply_one(registration::enable(l.get(), 61, event::in, level_oneshot)));
  BOOST_TEST(f.count_for(61) == 0u);
  socket_handle c = tcp_connect_start(port);
  BOOST_TEST(f.wait_for(61) == event::in);
  socket_handle s = tcp_accept(l);
  BOOST_TEST(s.is_open());
}

PORT_CASE(connect_success_reports_out)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle l = tcp_listener(port);
  socket_handle c = tcp_connect_start(port);
  BOOST_TEST(!f.apply_one(registration::enable(c.get(), 62, event::out, level_oneshot)));
  event e = f.wait_for(62);
  BOOST_TEST(e == event::out);
}

PORT_CASE(connect_refused_reports_error)
{
  port_fixture f(backend);
  socket_handle c = tcp_connect_start(unused_tcp_port());
  BOOST_TEST(!f.apply_one(registration::enable(c.get(), 63, event::out, level_oneshot)));
  event e = f.wait_for(63);
  BOOST_TEST_MESSAGE(to_string(backend) << ": refused connect reports " << e);
  BOOST_TEST(has(e, event::error)); // out may accompany it
  BOOST_TEST(!has(e, event::remove));
}

PORT_CASE(peer_close_reports_hangup)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 64, event::in | event::hangup, level_oneshot)));
  BOOST_TEST(f.count_for(64) == 0u);
  p.server.close();
  event e = f.wait_for(64);
  BOOST_TEST_MESSAGE(to_string(backend) << ": peer close reports " << e);
  BOOST_TEST(has(e, event::hangup)); // in may come with it; PSN need not report it
}

// The emulations wake a reader that asks for in alone; PSN may not (hangup must be asked for).
PORT_CASE_IF(peer_half_close_wakes_a_reader, needs_kind_backend)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 65, event::in, level_oneshot)));
  shutdown_send(p.server);
  // A reader asking only for in must learn about the end of the stream.
  BOOST_TEST(has(f.wait_for(65), event::in));
}

PORT_CASE(peer_reset_reports_hangup_or_error)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 66, all_filter, level_oneshot)));
  BOOST_TEST(has(f.wait_for(66), event::out)); // writable at once
  abort_close(p.server);
  BOOST_TEST(f.gather(50ms).size() == 0u); // disarmed; give the reset time to arrive
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 66, event::in | event::hangup, level_oneshot)));
  event e = f.wait_for(66);
  BOOST_TEST_MESSAGE(to_string(backend) << ": peer reset reports " << e);
  BOOST_TEST(has(e, event::hangup | event::error));
}

PORT_CASE(datagram_reports_in)
{
  port_fixture f(backend);
  udp_link u;
  BOOST_TEST(!f.apply_one(
    registration::enable(u.rx.get(), 67, event::in | event::hangup, level_oneshot)));
  BOOST_TEST(f.count_for(67) == 0u);
  u.send("datagram");
  BOOST_TEST(f.wait_for(67) == event::in); // UDP has no hangup
}

PORT_CASE(out_when_send_space_returns)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  std::size_t queued = fill_send_buffer(p.client);
  BOOST_TEST(queued > 0u);
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 68, event::out, level_oneshot)));
  BOOST_TEST(f.count_for(68) == 0u); // full: not writable
  drain(p.server);
  event e = event::none;
  for (int i = 0; i < 50 && e == event::none; ++i)
  {
    drain(p.server);
    e = f.wait_for(68, 100ms);
  }
  BOOST_TEST(e == event::out);
}

PORT_CASE(unrequested_error_is_reported)
{
  port_fixture f(backend);
  socket_handle c = tcp_connect_start(unused_tcp_port());
  // Only hangup asked for; the failed connect's error arrives anyway.
  BOOST_TEST(!f.apply_one(registration::enable(c.get(), 69, event::hangup, level_oneshot)));
  BOOST_TEST(has(f.wait_for(69), event::error));
}

} // namespace sockn_test
