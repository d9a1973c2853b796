//
// test/port/cases_model.cpp
//
// The strict PSN model's own rules (src/port/model_port.cpp): where the emulations are kinder than
// ProcessSocketNotifications may be, the model gives the harsh answer, and these cases pin each
// one down. They run on the model only; the rules every backend keeps are in the other files.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"

#include <boost_sockn/port_model.hpp>

#include <string>

namespace sockn_test {

namespace {
constexpr trigger level_oneshot = trigger::level | trigger::oneshot;
constexpr trigger level_persistent = trigger::level | trigger::persistent;

// The only violation recorded since the last look, with its rule containing `rule`.
void expect_violation(const std::string& rule)
{
  std::vector<model::violation> v = model::take_violations();
  BOOST_TEST_REQUIRE(v.size() == 1u);
  BOOST_TEST(v[0].rule.find(rule) != std::string::npos, v[0].rule);
}
} // namespace

PORT_CASE_IF(model_fin_alone_is_hangup_not_in, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 1, event::in | event::hangup, level_oneshot)));
  shutdown_send(p.server);
  BOOST_TEST(f.wait_for(1) == event::hangup); // the end of the stream is not data
}

PORT_CASE_IF(model_fin_is_not_heard_without_hangup_in_the_filter, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 2, event::in, level_oneshot)));
  shutdown_send(p.server);
  BOOST_TEST(f.count_for(2) == 0u);
  // Asking for it now reports it (level).
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 2, event::in | event::hangup, level_oneshot)));
  BOOST_TEST(f.wait_for(2) == event::hangup);
}

PORT_CASE_IF(model_data_then_fin_is_in_and_hangup, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  send_some(p.server, "x", 1);
  shutdown_send(p.server);
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 3, event::in | event::hangup, level_oneshot)));
  BOOST_TEST(f.wait_for(3) == (event::in | event::hangup));
}

PORT_CASE_IF(model_reset_is_hangup_and_error, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(
    registration::enable(p.client.get(), 4, event::in | event::hangup, level_oneshot)));
  abort_close(p.server);
  BOOST_TEST(f.wait_for(4) == (event::hangup | event::error));
}

PORT_CASE_IF(model_failed_connect_is_error_without_out, needs_model)
{
  port_fixture f(backend);
  socket_handle c = tcp_connect_start(unused_tcp_port());
  BOOST_TEST(!f.apply_one(
    registration::enable(c.get(), 5, event::out | event::hangup, level_oneshot)));
  BOOST_TEST(f.wait_for(5) == event::error);
}

PORT_CASE_IF(model_error_is_reported_whatever_the_filter, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  fill_send_buffer(p.client); // not writable: the out filter alone hears nothing
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 6, event::out, level_oneshot)));
  BOOST_TEST(f.count_for(6) == 0u);
  abort_close(p.server);
  BOOST_TEST(f.wait_for(6) == event::error); // no hangup: it was not asked for
}

PORT_CASE_IF(model_datagram_sockets_never_hang_up, needs_model)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle s = udp_socket(port);
  udp_connect(s, unused_tcp_port()); // nothing listens there: the send draws an ICMP error
  BOOST_TEST(!f.apply_one(
    registration::enable(s.get(), 7, event::in | event::hangup, level_oneshot)));
  send_some(s, "x", 1);
  const event e = f.wait_for(7);
  BOOST_TEST_MESSAGE("model: datagram to a closed port reports " << e);
  BOOST_TEST(!has(e, event::hangup));
  BOOST_TEST(has(e, event::error));
}

PORT_CASE_IF(model_oneshot_disarms_in_out_and_hangup_together, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  const event all = event::in | event::out | event::hangup;
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 8, all, level_oneshot)));
  BOOST_TEST(f.wait_for(8) == event::out); // writable at once
  send_some(p.server, "x", 1);
  shutdown_send(p.server);
  BOOST_TEST(f.count_for(8) == 0u); // disarmed: neither the data nor the FIN is heard
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 8, all, level_oneshot)));
  BOOST_TEST(f.wait_for(8) == all);
}

PORT_CASE_IF(model_error_waits_while_disabled_and_shows_at_enable, needs_model)
{
  port_fixture f(backend);
  tcp_pair p = make_tcp_pair();
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 9, event::in, level_persistent)));
  BOOST_TEST(!f.apply_one(registration::disable(p.client.get(), 9)));
  abort_close(p.server);
  BOOST_TEST(f.count_for(9) == 0u);
  BOOST_TEST(!f.apply_one(registration::enable(p.client.get(), 9, event::in, level_persistent)));
  BOOST_TEST(f.wait_for(9) == event::error);
}

PORT_CASE_IF(model_refuses_an_enable_before_the_remove_is_dequeued, needs_model)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 10, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(10) == event::in);
  BOOST_TEST(!f.apply_one(registration::remove(u.rx.get(), 10)));
  BOOST_TEST(f.apply_one(registration::enable(u.rx.get(), 11, event::in, level_oneshot)) ==
             port_errc::remove_pending);
  BOOST_TEST(f.apply_one(registration::remove(u.rx.get(), 10)) == port_errc::not_registered);
  BOOST_TEST(f.wait_for(10) == event::remove);
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 11, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(11) == event::in);
}

PORT_CASE_IF(model_close_before_the_remove_is_dequeued_loses_it, needs_model)
{
  port_fixture f(backend);
  udp_link u;
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 12, event::in, level_oneshot)));
  BOOST_TEST(!f.apply_one(registration::remove(u.rx.get(), 12)));
  u.rx.close();
  BOOST_TEST(f.count_for(12) == 0u); // the remove notification never comes
  expect_violation("closed before its remove notification was dequeued");
}

PORT_CASE_IF(model_close_while_registered_is_a_violation, needs_model)
{
  port_fixture f(backend);
  udp_link u;
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 13, event::in, level_persistent)));
  u.rx.close();
  BOOST_TEST(f.count_for(13) == 0u);
  expect_violation("closed while registered");
}

PORT_CASE_IF(model_calls_reach_it_in_psn_shape, needs_model)
{
  // The front end passes null arrays for zero counts and timeout 0 without a dequeue, and makes
  // no call with nothing to do; the model records any call that breaks PSN's rules.
  port_fixture f(backend);
  registration none[1];
  notification out[1];
  boost::system::error_code ec;
  BOOST_TEST(f.port.process(none, 0, out, 0, 100ms, ec) == 0u);
  BOOST_TEST(f.port.process(nullptr, 0, nullptr, 0, 0ms, ec) == 0u);
  BOOST_TEST(f.port.process(none, 0, out, 1, 0ms, ec) == 0u);
  BOOST_TEST(model::take_violations().empty());
}

PORT_CASE_IF(model_failed_call_applies_nothing, needs_model)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");
  model::fail_next_calls(make_error_code(boost::system::errc::not_enough_memory));
  registration r = registration::enable(u.rx.get(), 14, event::in, level_oneshot);
  boost::system::error_code ec;
  notification out[4];
  BOOST_TEST(f.port.process(&r, 1, out, 4, 0ms, ec) == 0u);
  BOOST_TEST(ec == boost::system::errc::not_enough_memory);
  BOOST_TEST(r.result == boost::system::errc::not_enough_memory);
  BOOST_TEST(f.count_for(14) == 0u); // nothing was registered
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 14, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(14) == event::in);
}

PORT_CASE_IF(model_failed_entry_leaves_the_others, needs_model)
{
  port_fixture f(backend);
  udp_link a, b;
  a.send("a");
  b.send("b");
  model::fail_next_entry(port_op::enable, make_error_code(boost::system::errc::io_error));
  std::vector<registration> regs{registration::enable(a.rx.get(), 15, event::in, level_oneshot),
                                 registration::enable(b.rx.get(), 16, event::in, level_oneshot)};
  f.apply(regs);
  BOOST_TEST(regs[0].result == boost::system::errc::io_error);
  BOOST_TEST(!regs[1].result);
  BOOST_TEST(f.wait_for(16) == event::in);
  BOOST_TEST(f.count_for(15) == 0u);
}

PORT_CASE_IF(model_failed_remove_brings_no_remove_notification, needs_model)
{
  port_fixture f(backend);
  udp_link u;
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 17, event::in, level_oneshot)));
  model::fail_next_entry(port_op::remove, make_error_code(boost::system::errc::io_error));
  BOOST_TEST(f.apply_one(registration::remove(u.rx.get(), 17)) == boost::system::errc::io_error);
  BOOST_TEST(f.count_for(17) == 0u);
  // The registration is gone, as after a close: the socket registers afresh.
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 18, event::in, level_oneshot)));
  u.send("ping");
  BOOST_TEST(f.wait_for(18) == event::in);
}

} // namespace sockn_test
