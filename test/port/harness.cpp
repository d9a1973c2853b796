//
// test/port/harness.cpp
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"

#include <boost_sockn/port_model.hpp>

#include <algorithm>

namespace boost_sockn {

std::ostream& operator<<(std::ostream& os, event e)
{
  if (e == event::none) return os << "none";
  const char* sep = "";
  auto bit = [&](event b, const char* name) {
    if (has(e, b))
    {
      os << sep << name;
      sep = "|";
    }
  };
  bit(event::in, "in");
  bit(event::out, "out");
  bit(event::hangup, "hangup");
  bit(event::error, "error");
  bit(event::remove, "remove");
  return os;
}

std::ostream& operator<<(std::ostream& os, backend_kind k)
{
  return os << to_string(k);
}

} // namespace boost_sockn

namespace sockn_test {

bool needs_edge(backend_kind k, std::string& why)
{
  notification_port p(k);
  if (p.supports(trigger::edge | trigger::persistent)) return true;
  why = std::string(to_string(k)) + " backend: edge triggers are not supported (exactly)";
  return false;
}

bool needs_no_edge(backend_kind k, std::string& why)
{
  notification_port p(k);
  if (!p.supports(trigger::edge | trigger::persistent)) return true;
  why = std::string(to_string(k)) + " backend: supports edge triggers, nothing to refuse";
  return false;
}

bool needs_model(backend_kind k, std::string& why)
{
  if (k == backend_kind::model) return true;
  why = std::string(to_string(k)) + " backend: a rule only the strict PSN model enforces";
  return false;
}

bool needs_kind_backend(backend_kind k, std::string& why)
{
  if (k != backend_kind::model) return true;
  why = "model backend: PSN may not give this (the emulations do); cases_model.cpp checks the "
        "strict answer";
  return false;
}

void expect_close_violation(backend_kind k)
{
  if (k != backend_kind::model) return;
  std::vector<model::violation> v = model::take_violations();
  BOOST_TEST(v.size() == 1u);
  for (const model::violation& x : v)
    BOOST_TEST_MESSAGE("model: recorded as expected: " << x.rule);
}

port_fixture::port_fixture(backend_kind k) : port(k)
{
  BOOST_REQUIRE_EQUAL(port.backend(), k);
}

void port_fixture::apply(std::vector<registration>& regs)
{
  boost::system::error_code ec;
  port.apply(regs.data(), regs.size(), ec);
  BOOST_REQUIRE_MESSAGE(!ec, "registration call failed: " << ec.message());
}

boost::system::error_code port_fixture::apply_one(registration r)
{
  boost::system::error_code ec;
  port.apply(&r, 1, ec);
  BOOST_REQUIRE_MESSAGE(!ec, "registration call failed: " << ec.message());
  return r.result;
}

std::vector<notification> port_fixture::poll(std::chrono::milliseconds timeout,
                                             std::size_t capacity)
{
  std::vector<notification> out(capacity);
  boost::system::error_code ec;
  std::size_t n = port.process(nullptr, 0, out.data(), out.size(), timeout, ec);
  BOOST_REQUIRE_MESSAGE(!ec, "process failed: " << ec.message());
  BOOST_REQUIRE_LE(n, capacity);
  out.resize(n);
  return out;
}

event port_fixture::wait_for(std::uintptr_t key, std::chrono::milliseconds limit)
{
  auto it = std::find_if(kept_.begin(), kept_.end(),
                         [&](const notification& n) { return n.key == key; });
  if (it != kept_.end())
  {
    event e = it->events;
    kept_.erase(it);
    return e;
  }
  auto end = std::chrono::steady_clock::now() + limit;
  for (;;)
  {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return event::none;
    std::vector<notification> got = poll(left);
    event found = event::none;
    bool seen = false;
    for (const notification& n : got)
    {
      if (!seen && n.key == key)
      {
        found = n.events;
        seen = true;
      }
      else
        kept_.push_back(n);
    }
    if (seen) return found;
  }
}

std::vector<notification> port_fixture::gather(std::chrono::milliseconds period)
{
  std::vector<notification> all;
  all.swap(kept_);
  auto end = std::chrono::steady_clock::now() + period;
  for (;;)
  {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return all;
    std::vector<notification> got = poll(left);
    all.insert(all.end(), got.begin(), got.end());
  }
}

std::size_t port_fixture::count_for(std::uintptr_t key, std::chrono::milliseconds period)
{
  std::vector<notification> all = gather(period);
  std::size_t n = 0;
  for (const notification& x : all)
  {
    if (x.key == key)
      ++n;
    else
      kept_.push_back(x);
  }
  return n;
}

} // namespace sockn_test
