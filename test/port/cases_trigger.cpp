//
// test/port/cases_trigger.cpp
//
// Trigger semantics: level/edge x oneshot/persistent, coalescing, filter replacement.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"

namespace sockn_test {

namespace {
constexpr trigger level_persistent = trigger::level | trigger::persistent;
constexpr trigger level_oneshot = trigger::level | trigger::oneshot;
constexpr trigger edge_persistent = trigger::edge | trigger::persistent;
constexpr trigger edge_oneshot = trigger::edge | trigger::oneshot;
} // namespace

PORT_CASE(level_persistent_fires_while_unread)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  std::uint16_t unused = 0;
  socket_handle tx = udp_socket(unused);
  udp_send_to(tx, port, "ping");

  BOOST_TEST(!f.apply_one(registration::enable(rx.get(), 7, event::in, level_persistent)));
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(f.wait_for(7) == event::in);

  drain(rx);
  // At most one notification queued before the drain may still be delivered; then silence.
  f.gather();
  BOOST_TEST(f.count_for(7) == 0u);
}

PORT_CASE(level_oneshot_fires_once_and_rearms)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 7, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(7) == event::in);
  BOOST_TEST(f.count_for(7) == 0u);

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 7, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(7) == event::in);
  BOOST_TEST(f.count_for(7) == 0u);
}

PORT_CASE(oneshot_disarms_in_out_and_hangup_together)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  // The connected client is writable at once: that out notification disarms the registration.
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 3, event::in | event::out | event::hangup,
                         level_oneshot)));
  event first = f.wait_for(3);
  BOOST_TEST(has(first, event::out));

  // Data and a FIN from the peer: no notification while disarmed.
  send_some(p.server, "abc", 3);
  shutdown_send(p.server);
  BOOST_TEST(f.count_for(3) == 0u);

  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 3, event::in | event::out | event::hangup,
                         level_oneshot)));
  event again = f.wait_for(3);
  BOOST_TEST(has(again, event::in));
}

PORT_CASE_IF(edge_persistent_fires_on_change, needs_edge)
{
  port_fixture f(backend);
  udp_link u;

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 9, event::in, edge_persistent)));
  BOOST_TEST(f.count_for(9) == 0u); // not readable: nothing

  u.send("one");
  BOOST_TEST(f.wait_for(9) == event::in);
  BOOST_TEST(f.count_for(9) == 0u); // unread, unchanged: no second notification

  drain(u.rx);
  u.send("two");
  BOOST_TEST(f.wait_for(9) == event::in); // not-ready -> ready again, still enabled
}

PORT_CASE_IF(edge_oneshot_fires_once, needs_edge)
{
  port_fixture f(backend);
  udp_link u;

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 9, event::in, edge_oneshot)));
  u.send("one");
  BOOST_TEST(f.wait_for(9) == event::in);
  drain(u.rx);
  u.send("two");
  BOOST_TEST(f.count_for(9) == 0u); // disarmed by the first delivery
}

PORT_CASE_IF(edge_refused_where_unsupported, needs_no_edge)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  BOOST_TEST(!f.port.supports(edge_persistent));
  BOOST_TEST(f.port.supports(level_oneshot));
  BOOST_TEST(f.apply_one(registration::enable(rx.get(), 1, event::in, edge_persistent)) ==
             port_errc::unsupported_trigger);
  BOOST_TEST(f.apply_one(registration::enable(rx.get(), 1, event::in, edge_oneshot)) ==
             port_errc::unsupported_trigger);
  // The refused entry registered nothing.
  BOOST_TEST(f.apply_one(registration::remove(rx.get(), 1)) == port_errc::not_registered);
}

PORT_CASE(conditions_coalesce_into_one_notification)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  send_some(p.server, "data", 4);
  // Give loopback time to deliver, so both conditions hold when the registration is made.
  BOOST_TEST(f.gather(50ms).empty());

  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 4, event::in | event::out, level_oneshot)));
  event e = f.wait_for(4);
  BOOST_TEST(e == (event::in | event::out));
  BOOST_TEST(f.count_for(4) == 0u);
}

PORT_CASE(enable_replaces_filter)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 5, event::out, level_oneshot)));
  BOOST_TEST(f.wait_for(5) == event::out);

  // Same socket and key, filter now in only: a writable socket with no data stays silent.
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 5, event::in, level_oneshot)));
  BOOST_TEST(f.count_for(5) == 0u);
  send_some(p.server, "x", 1);
  BOOST_TEST(f.wait_for(5) == event::in); // no out bit, although writable
}

PORT_CASE(enable_replaces_trigger)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 6, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(6) == event::in);
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 6, event::in, level_persistent)));
  BOOST_TEST(f.wait_for(6) == event::in);
  BOOST_TEST(f.wait_for(6) == event::in); // persistent now: fires again while unread
}

} // namespace sockn_test
