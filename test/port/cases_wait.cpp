//
// test/port/cases_wait.cpp
//
// The wait part of process(): timeouts, post(), capacity, registration-only calls.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"
#include "support/environment.hpp"

#include <boost/system/system_error.hpp>

#include <set>
#include <thread>

namespace sockn_test {

namespace {
using clock_type = std::chrono::steady_clock;
constexpr trigger level_oneshot = trigger::level | trigger::oneshot;
} // namespace

PORT_CASE(zero_timeout_returns_at_once)
{
  port_fixture f(backend);
  auto t0 = clock_type::now();
  BOOST_TEST(f.poll(0ms).empty());
  // Not a speed check: only that a zero timeout does not wait (a wait would be seconds here).
  BOOST_TEST(((clock_type::now() - t0) < 2s));
}

PORT_CASE(finite_timeout_waits_and_returns_nothing)
{
  port_fixture f(backend);
  auto t0 = clock_type::now();
  BOOST_TEST(f.poll(50ms).empty());
  auto waited = clock_type::now() - t0;
  BOOST_TEST_MESSAGE(to_string(backend) << ": 50 ms wait took "
                     << std::chrono::duration_cast<std::chrono::microseconds>(waited).count()
                     << " us");
  BOOST_TEST((waited >= 45ms));
  BOOST_TEST((waited < 5s));
}

PORT_CASE(infinite_wait_is_woken_by_post)
{
  port_fixture f(backend);
  std::vector<notification> got;
  std::thread waiter([&] {
    std::vector<notification> buf(4);
    boost::system::error_code ec;
    std::size_t n = f.port.process(nullptr, 0, buf.data(), buf.size(),
                                   notification_port::infinite, ec);
    BOOST_TEST(!ec);
    got.assign(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  });
  std::this_thread::sleep_for(50ms);
  f.port.post(0xABCDu, event::in | event::out);
  waiter.join();
  BOOST_REQUIRE_EQUAL(got.size(), 1u);
  BOOST_TEST(got[0].key == 0xABCDu);
  BOOST_TEST(got[0].events == (event::in | event::out));
}

PORT_CASE(posted_notifications_are_all_delivered)
{
  port_fixture f(backend);
  for (std::uintptr_t k = 1; k <= 100; ++k)
    f.port.post(k, event::in);
  std::vector<notification> all;
  while (all.size() < 100)
  {
    std::vector<notification> got = f.poll(must_arrive, 16);
    if (got.empty()) break;
    BOOST_TEST(got.size() <= 16u);
    all.insert(all.end(), got.begin(), got.end());
  }
  BOOST_REQUIRE_EQUAL(all.size(), 100u);
  std::set<std::uintptr_t> keys;
  for (const notification& n : all)
    keys.insert(n.key);
  BOOST_TEST(keys.size() == 100u); // posted packets are never coalesced
  BOOST_TEST(f.gather(50ms).empty());
}

PORT_CASE(notifications_beyond_capacity_arrive_next_call)
{
  port_fixture f(backend);
  constexpr std::size_t n = 10;
  std::vector<socket_handle> rx;
  std::uint16_t unused = 0;
  socket_handle tx = udp_socket(unused);
  std::vector<registration> regs;
  for (std::size_t i = 0; i < n; ++i)
  {
    std::uint16_t port = 0;
    rx.push_back(udp_socket(port));
    udp_send_to(tx, port, "x");
    regs.push_back(registration::enable(rx.back().get(), 100 + i, event::in, level_oneshot));
  }
  f.apply(regs);
  std::multiset<std::uintptr_t> seen;
  auto end = clock_type::now() + must_arrive;
  while (seen.size() < n && clock_type::now() < end)
    for (const notification& x : f.poll(100ms, 4)) // capacity 4: at most 4 per call
      seen.insert(x.key);
  BOOST_TEST(seen.size() == n);
  for (std::size_t i = 0; i < n; ++i)
    BOOST_TEST(seen.count(100 + i) == 1u);
}

PORT_CASE(registration_only_call_does_not_dequeue)
{
  port_fixture f(backend);
  f.port.post(77, event::in);
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  registration r = registration::enable(rx.get(), 78, event::out, level_oneshot);
  boost::system::error_code ec;
  std::size_t n = f.port.process(&r, 1, nullptr, 0, 1s, ec);
  BOOST_TEST(!ec);
  BOOST_TEST(n == 0u);
  BOOST_TEST(!r.result);
  std::set<std::uintptr_t> keys;
  for (const notification& x : f.gather())
    keys.insert(x.key);
  BOOST_TEST(keys.count(77) == 1u);
  BOOST_TEST(keys.count(78) == 1u); // a bound UDP socket is writable
}

PORT_CASE(registrations_apply_even_when_the_wait_times_out)
{
  port_fixture f(backend);
  udp_link u;
  registration r = registration::enable(u.rx.get(), 79, event::in, level_oneshot);
  std::vector<notification> buf(4);
  boost::system::error_code ec;
  BOOST_TEST(f.port.process(&r, 1, buf.data(), buf.size(), 20ms, ec) == 0u);
  BOOST_TEST(!ec);
  BOOST_TEST(!r.result);
  u.send("x");
  BOOST_TEST(f.wait_for(79) == event::in);
}

PORT_CASE(closed_port_and_bad_arguments_fail_the_call)
{
  notification_port closed;
  BOOST_TEST(!closed.is_open());
  registration r = registration::remove(invalid_socket_value(), 1);
  std::vector<notification> buf(1);
  boost::system::error_code ec;
  BOOST_TEST(closed.process(&r, 1, buf.data(), 1, 0ms, ec) == 0u);
  BOOST_TEST(ec == port_errc::not_open);
  BOOST_TEST(r.result == port_errc::not_open);
  closed.post(1, event::in, ec);
  BOOST_TEST(ec == port_errc::not_open);
  BOOST_CHECK_THROW(closed.post(1, event::in), boost::system::system_error);

  port_fixture f(backend);
  f.port.process(nullptr, 3, buf.data(), 1, 0ms, ec);
  BOOST_TEST(ec == boost::system::errc::invalid_argument);
  f.port.process(&r, 1, nullptr, 4, 0ms, ec);
  BOOST_TEST(ec == boost::system::errc::invalid_argument);
  BOOST_TEST(r.result == boost::system::errc::invalid_argument);

  // Opening an open port leaves it (and its registrations) alone, as Asio's objects do.
  f.port.open(backend, ec);
  BOOST_TEST(ec == port_errc::already_open);
  BOOST_TEST(f.port.is_open());
  BOOST_CHECK_THROW(f.port.open(backend), boost::system::system_error);

  // Moving a port moves the registrations' home; the moved-from port is closed.
  notification_port moved(std::move(f.port));
  BOOST_TEST(moved.is_open());
  BOOST_TEST(!f.port.is_open());
  moved.close();
  BOOST_TEST(!moved.is_open());
  moved.close(); // closing twice is harmless
}

PORT_CASE(named_backend_and_environment_choice)
{
  notification_port p(backend);
  BOOST_TEST(p.backend() == backend);
  // What a backend's kind says without a port is what its open port says.
  for (trigger t : {trigger::level | trigger::oneshot, trigger::level | trigger::persistent,
                    trigger::edge | trigger::oneshot, trigger::edge | trigger::persistent})
    BOOST_TEST(notification_port::supports(backend, t) == p.supports(t));
  std::string why;
  BOOST_TEST(notification_port::available(backend, why));
  BOOST_TEST(why.empty());
  boost::system::error_code ec;
  // Every backend kind either opens or says what is missing, by name.
  for (backend_kind k :
       {backend_kind::psn, backend_kind::afd, backend_kind::epoll, backend_kind::model})
  {
    notification_port q;
    q.open(k, ec);
    if (ec)
    {
      BOOST_TEST(!notification_port::available(k, why));
      BOOST_TEST(why.find(to_string(k)) != std::string::npos);
      BOOST_TEST((ec == port_errc::backend_unavailable || ec == port_errc::backend_not_built));
      BOOST_CHECK_THROW(notification_port{k}, boost::system::system_error);
    }
    else
      BOOST_TEST(q.backend() == k);
  }
}

namespace {
bool needs_descriptor_limit([[maybe_unused]] backend_kind k, [[maybe_unused]] std::string& why)
{
#if !defined(_WIN32)
  return true;
#else
  why = std::string(to_string(k)) + " backend: Windows has no per-process descriptor limit to exhaust";
  return false;
#endif
}
} // namespace

PORT_CASE_IF(opening_without_descriptors_fails_cleanly, needs_descriptor_limit)
{
  boost::system::error_code ec;
  {
    descriptor_exhaustion none_left;
    BOOST_REQUIRE(none_left.active());
    notification_port p;
    p.open(backend, ec);
    BOOST_TEST(!p.is_open());
    BOOST_CHECK_THROW(notification_port{backend}, boost::system::system_error);
  }
  BOOST_TEST(ec == boost::system::errc::too_many_files_open);
  notification_port after(backend); // and all is well once descriptors are back
  BOOST_TEST(after.is_open());
}

PORT_CASE(environment_overrides_automatic_choice)
{
  sockn_test::scoped_environment guard("BOOST_SOCKN_BACKEND", to_string(backend));
  notification_port chosen(backend_kind::automatic);
  BOOST_TEST(chosen.backend() == backend);

  // Names match without regard to case.
  const std::string shouted = sockn_test::upper_case(to_string(backend));
  sockn_test::set_environment("BOOST_SOCKN_BACKEND", shouted.c_str());
  notification_port chosen_again(backend_kind::automatic);
  BOOST_TEST(chosen_again.backend() == backend);

  sockn_test::set_environment("BOOST_SOCKN_BACKEND", "no-such-backend");
  notification_port p;
  boost::system::error_code ec;
  p.open(backend_kind::automatic, ec);
  BOOST_TEST(ec == port_errc::unknown_backend);
  BOOST_TEST(!p.is_open());
  try
  {
    notification_port q(backend_kind::automatic);
    BOOST_ERROR("an unknown BOOST_SOCKN_BACKEND must not open a port");
  }
  catch (const boost::system::system_error& e)
  {
    BOOST_TEST(std::string(e.what()).find("no-such-backend") != std::string::npos);
  }
  // A named backend ignores the variable.
  notification_port named(backend);
  BOOST_TEST(named.backend() == backend);

  sockn_test::set_environment("BOOST_SOCKN_BACKEND", nullptr);
  std::string why;
  backend_kind best = notification_port::resolve(backend_kind::automatic, ec, why);
  BOOST_TEST(!ec);
  BOOST_TEST(notification_port::available(best, why));
  // automatic is available exactly when it resolves to a backend.
  BOOST_TEST(notification_port::available(backend_kind::automatic, why), why);
  sockn_test::set_environment("BOOST_SOCKN_BACKEND", "no-such-backend");
  BOOST_TEST(!notification_port::available(backend_kind::automatic, why));
  BOOST_TEST(why.find("no-such-backend") != std::string::npos);
  sockn_test::set_environment("BOOST_SOCKN_BACKEND", nullptr);
}

} // namespace sockn_test
