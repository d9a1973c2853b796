//
// test/port/cases_lifecycle.cpp
//
// Registration lifecycle: remove, disable, batches, per-entry results, keys, closed sockets.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"

#include <map>

namespace sockn_test {

namespace {
constexpr trigger level_persistent = trigger::level | trigger::persistent;
constexpr trigger level_oneshot = trigger::level | trigger::oneshot;
} // namespace

PORT_CASE(remove_yields_exactly_one_remove_notification)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping"); // stays readable throughout

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 11, event::in, level_persistent)));
  BOOST_TEST(f.wait_for(11) == event::in);
  BOOST_TEST(!f.apply_one(registration::remove(u.rx.get(), 11)));

  // Notifications queued before the remove may still arrive; the remove comes exactly once and
  // nothing follows it.
  std::vector<notification> all = f.gather(quiet_period * 2);
  std::size_t removes = 0, after = 0;
  for (const notification& n : all)
  {
    BOOST_TEST(n.key == 11u);
    if (removes) ++after;
    if (has(n.events, event::remove)) ++removes;
  }
  BOOST_TEST(removes == 1u);
  BOOST_TEST(after == 0u);
}

PORT_CASE(remove_of_disabled_registration)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  BOOST_TEST(!f.apply_one(registration::enable(rx.get(), 12, event::in, level_oneshot)));
  BOOST_TEST(!f.apply_one(registration::disable(rx.get(), 12)));
  BOOST_TEST(!f.apply_one(registration::remove(rx.get(), 12)));
  BOOST_TEST(f.wait_for(12) == event::remove);
  BOOST_TEST(f.count_for(12) == 0u);
}

PORT_CASE(remove_of_unregistered_socket_fails_its_entry)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  boost::system::error_code r = f.apply_one(registration::remove(rx.get(), 1));
  BOOST_TEST(!!r);
  BOOST_TEST_MESSAGE("remove of an unregistered socket: " << r.message());
  BOOST_TEST(f.gather().empty());
}

PORT_CASE(second_remove_fails_and_adds_nothing)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  BOOST_TEST(!f.apply_one(registration::enable(rx.get(), 13, event::in, level_oneshot)));
  std::vector<registration> two{registration::remove(rx.get(), 13),
                                registration::remove(rx.get(), 13)};
  f.apply(two);
  BOOST_TEST(!two[0].result);
  BOOST_TEST(!!two[1].result);
  BOOST_TEST(f.count_for(13) == 1u);
}

PORT_CASE(disable_stops_notifications_and_enable_resumes)
{
  port_fixture f(backend);
  udp_link u;

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 14, event::in, level_persistent)));
  BOOST_TEST(!f.apply_one(registration::disable(u.rx.get(), 14)));
  u.send("ping"); // becomes readable while disabled
  BOOST_TEST(f.count_for(14) == 0u);

  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 14, event::in, level_persistent)));
  BOOST_TEST(f.wait_for(14) == event::in);
}

PORT_CASE(disable_of_unregistered_socket_fails_its_entry)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  BOOST_TEST(!!f.apply_one(registration::disable(rx.get(), 1)));
}

PORT_CASE(batch_of_1000_entries_reports_1000_results)
{
  port_fixture f(backend);
  constexpr std::size_t sockets = 250;
  std::vector<socket_handle> rx;
  std::vector<registration> regs;
  for (std::size_t i = 0; i < sockets; ++i)
  {
    std::uint16_t port = 0;
    rx.push_back(udp_socket(port));
  }
  for (std::size_t i = 0; i < sockets; ++i)
  {
    native_socket_type s = rx[i].get();
    regs.push_back(registration::enable(s, 1000 + i, event::in, level_oneshot));
    regs.push_back(registration::disable(s, 1000 + i));
    regs.push_back(registration::enable(s, 1000 + i, event::out, level_oneshot));
    regs.push_back(registration::remove(s, 1000 + i));
  }
  for (registration& r : regs) // stale results must be overwritten
    r.result = make_error_code(boost::system::errc::io_error);
  BOOST_REQUIRE_EQUAL(regs.size(), 1000u);
  f.apply(regs);
  std::size_t ok = 0;
  for (const registration& r : regs)
    ok += !r.result;
  BOOST_TEST(ok == 1000u);

  // Exactly one remove per key; the transient out interest may or may not have fired first.
  std::map<std::uintptr_t, int> removes;
  std::vector<notification> all = f.gather(quiet_period * 3);
  for (const notification& n : all)
  {
    BOOST_TEST((n.key >= 1000u && n.key < 1000u + sockets));
    if (has(n.events, event::remove)) ++removes[n.key];
  }
  // Large batches may take more than one wait to surface under emulation.
  for (int round = 0; removes.size() < sockets && round < 20; ++round)
    for (const notification& n : f.gather(quiet_period))
      if (has(n.events, event::remove)) ++removes[n.key];
  BOOST_TEST(removes.size() == sockets);
  for (const auto& kv : removes)
    BOOST_TEST(kv.second == 1);
}

PORT_CASE(invalid_socket_fails_only_its_entry)
{
  port_fixture f(backend);
  std::uint16_t p1 = 0, p2 = 0, unused = 0;
  socket_handle a = udp_socket(p1);
  socket_handle b = udp_socket(p2);
  socket_handle tx = udp_socket(unused);
  std::vector<registration> regs{registration::enable(a.get(), 21, event::in, level_oneshot),
                                 registration::enable(invalid_socket_value(), 22, event::in,
                                                      level_oneshot),
                                 registration::enable(b.get(), 23, event::in, level_oneshot)};
  f.apply(regs);
  BOOST_TEST(!regs[0].result);
  BOOST_TEST(!!regs[1].result);
  BOOST_TEST_MESSAGE("enable of an invalid socket: " << regs[1].result.message());
  BOOST_TEST(!regs[2].result);
  udp_send_to(tx, p1, "a");
  udp_send_to(tx, p2, "b");
  BOOST_TEST(f.wait_for(21) == event::in);
  BOOST_TEST(f.wait_for(23) == event::in);
  BOOST_TEST(f.count_for(22) == 0u);
}

PORT_CASE(malformed_entries_are_invalid_arguments)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  using boost::system::errc::invalid_argument;
  const native_socket_type s = rx.get();
  BOOST_TEST(f.apply_one(registration::enable(s, 1, event::in, trigger::level)) ==
             invalid_argument);
  BOOST_TEST(f.apply_one(registration::enable(s, 1, event::in, trigger::oneshot)) ==
             invalid_argument);
  BOOST_TEST(f.apply_one(registration::enable(
                 s, 1, event::in, trigger::oneshot | trigger::persistent | trigger::level)) ==
             invalid_argument);
  BOOST_TEST(f.apply_one(registration::enable(
                 s, 1, event::in, trigger::oneshot | trigger::level | trigger::edge)) ==
             invalid_argument);
  BOOST_TEST(f.apply_one(registration::enable(s, 1, event::in | event::error, level_oneshot)) ==
             invalid_argument);
  registration bad_op = registration::enable(s, 1, event::in, level_oneshot);
  bad_op.op = static_cast<port_op>(3); // two operations at once
  BOOST_TEST(f.apply_one(bad_op) == invalid_argument);
  // None of them registered anything, and an op-none entry just succeeds.
  registration nothing{s, 1, event::none, port_op::none, trigger::none, {}};
  BOOST_TEST(!f.apply_one(nothing));
  BOOST_TEST(f.apply_one(registration::remove(s, 1)) == port_errc::not_registered);
}

PORT_CASE(enable_under_another_key_is_refused)
{
  port_fixture f(backend);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  BOOST_TEST(!f.apply_one(registration::enable(rx.get(), 31, event::in, level_oneshot)));
  BOOST_TEST(f.apply_one(registration::enable(rx.get(), 32, event::in, level_oneshot)) ==
             port_errc::key_mismatch);
  // The registration keeps its key: a remove under the other key fails too, and the remove
  // reports 31.
  BOOST_TEST(f.apply_one(registration::remove(rx.get(), 32)) == port_errc::key_mismatch);
  BOOST_TEST(f.apply_one(registration::disable(rx.get(), 32)) == port_errc::key_mismatch);
  BOOST_TEST(!f.apply_one(registration::remove(rx.get(), 31)));
  BOOST_TEST(f.wait_for(31) == event::remove);
  BOOST_TEST(f.count_for(32) == 0u);
}

// The emulations accept the new registration before the old one's remove notification is
// dequeued; the model refuses it (cases_model.cpp).
PORT_CASE_IF(register_again_after_remove, needs_kind_backend)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 41, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(41) == event::in);
  BOOST_TEST(!f.apply_one(registration::remove(u.rx.get(), 41)));
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 42, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(42) == event::in);
  BOOST_TEST(f.wait_for(41) == event::remove);
  BOOST_TEST(f.count_for(41) == 0u);
}

PORT_CASE(closing_a_registered_socket_deregisters_it)
{
  port_fixture f(backend);
  udp_link u;
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 51, event::in, level_persistent)));
  u.rx.close();
  // No remove notification for a close (PSN: automatic deregistration is silent).
  BOOST_TEST(f.count_for(51) == 0u);
  expect_close_violation(backend);

  // A new socket, which may well reuse the handle value, registers afresh.
  socket_handle again = udp_socket(u.port);
  BOOST_TEST(!f.apply_one(registration::enable(again.get(), 52, event::in, level_persistent)));
  u.send("ping");
  BOOST_TEST(f.wait_for(52) == event::in);
  BOOST_TEST(f.count_for(51) == 0u);
}

namespace {
bool notices_close_of_disarmed(backend_kind k, std::string& why)
{
  if (k != backend_kind::afd) return true;
  why = "afd backend: the close of a disarmed or disabled socket is noticed only at its next "
        "enable or when the port closes (docs/port.md)";
  return false;
}
} // namespace

PORT_CASE(enabling_a_closed_socket_fails_its_entry)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");
  const native_socket_type old = u.rx.get();
  BOOST_TEST(!f.apply_one(registration::enable(old, 55, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(55) == event::in); // disarmed now
  u.rx.close();
  // No socket is opened in between, so the handle value is not reused.
  boost::system::error_code r =
    f.apply_one(registration::enable(old, 55, event::in, level_oneshot));
  BOOST_TEST(!!r);
  expect_close_violation(backend);
  BOOST_TEST_MESSAGE(to_string(backend) << ": enable of a closed socket: " << r.message());
  // The registration is gone: a new socket is registered afresh under a new key.
  socket_handle again = udp_socket(u.port);
  BOOST_TEST(!f.apply_one(registration::enable(again.get(), 56, event::in, level_oneshot)));
  u.send("ping");
  BOOST_TEST(f.wait_for(56) == event::in);
  BOOST_TEST(f.count_for(55) == 0u);
}

PORT_CASE_IF(closing_a_disarmed_socket_deregisters_it, notices_close_of_disarmed)
{
  port_fixture f(backend);
  udp_link u;
  u.send("ping");
  BOOST_TEST(!f.apply_one(registration::enable(u.rx.get(), 53, event::in, level_oneshot)));
  BOOST_TEST(f.wait_for(53) == event::in); // disarmed now
  u.rx.close();
  BOOST_TEST(f.poll(20ms).empty());
  expect_close_violation(backend);

  socket_handle again = udp_socket(u.port);
  BOOST_TEST(!f.apply_one(registration::enable(again.get(), 54, event::in, level_oneshot)));
  u.send("ping");
  BOOST_TEST(f.wait_for(54) == event::in);
  BOOST_TEST(f.count_for(53) == 0u);
}

} // namespace sockn_test
