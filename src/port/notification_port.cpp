//
// src/port/notification_port.cpp
//
// The backend-independent front end: argument and entry validation (so that every backend
// rejects the same entries with the same codes), backend selection, and the error category.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "names.hpp"
#include "port_backend.hpp"

#include <boost/system/system_error.hpp>

#include <cstdlib>
#include <utility>

namespace boost_sockn {

namespace {

class port_category_impl final : public boost::system::error_category
{
public:
  const char* name() const noexcept override { return "boost_sockn.port"; }

  std::string message(int ev) const override
  {
    switch (static_cast<port_errc>(ev))
    {
    case port_errc::backend_not_built:
      return "the notification-port backend is not compiled into this build";
    case port_errc::backend_unavailable:
      return "the notification-port backend is not available on this system";
    case port_errc::unknown_backend:
      return "BOOST_SOCKN_BACKEND names no notification-port backend (use psn, afd, epoll or model)";
    case port_errc::not_open:
      return "the notification port is not open";
    case port_errc::unsupported_trigger:
      return "the notification-port backend cannot honour this trigger combination exactly";
    case port_errc::not_registered:
      return "the socket is not registered with this notification port";
    case port_errc::key_mismatch:
      return "the socket is registered under another key; remove it before registering a new key";
    case port_errc::remove_pending:
      return "the socket's remove notification has not been dequeued yet; enable it after that";
    case port_errc::unknown_policy:
      return "BOOST_SOCKN_TRIGGER names no trigger policy (use automatic, level_oneshot or edge_persistent)";
    case port_errc::already_open:
      return "the port is already open; close it before opening it again";
    case port_errc::unknown_delivery:
      return "BOOST_SOCKN_DELIVERY names no readiness delivery (use automatic, io_threads or readiness_thread)";
    }
    return "unknown boost_sockn.port error";
  }
};

bool parse_backend(const char* s, backend_kind& k) noexcept
{
  for (backend_kind c : {backend_kind::automatic, backend_kind::psn, backend_kind::afd,
                         backend_kind::epoll, backend_kind::model})
    if (detail::equal_names(s, to_string(c)))
    {
      k = c;
      return true;
    }
  return false;
}

const detail::backend_entry* find_entry(backend_kind k) noexcept
{
  std::size_t n = 0;
  const detail::backend_entry* table = detail::backend_table(n);
  for (std::size_t i = 0; i < n; ++i)
    if (table[i].kind == k) return &table[i];
  return nullptr;
}

// Checks one entry against the contract; returns the error to report for it, if any.
boost::system::error_code validate(const registration& r, bool edge_supported) noexcept
{
  using boost::system::errc::invalid_argument;
  const auto known_filter = event::in | event::out | event::hangup;
  switch (r.op)
  {
  case port_op::none:
  case port_op::disable:
  case port_op::remove:
    return {};
  case port_op::enable:
  {
    if ((r.filter & ~known_filter) != event::none)
      return make_error_code(invalid_argument);
    const bool oneshot = has(r.triggers, trigger::oneshot);
    const bool persistent = has(r.triggers, trigger::persistent);
    const bool level = has(r.triggers, trigger::level);
    const bool edge = has(r.triggers, trigger::edge);
    const auto all = trigger::oneshot | trigger::persistent | trigger::level | trigger::edge;
    if (oneshot == persistent || level == edge ||
        static_cast<std::uint8_t>(r.triggers) & ~static_cast<std::uint8_t>(all))
      return make_error_code(invalid_argument);
    if (edge && !edge_supported) return port_errc::unsupported_trigger;
    return {};
  }
  }
  return make_error_code(invalid_argument);
}

} // namespace

const boost::system::error_category& port_category() noexcept
{
  static const port_category_impl instance;
  return instance;
}

const char* to_string(backend_kind k) noexcept
{
  switch (k)
  {
  case backend_kind::automatic: return "automatic";
  case backend_kind::psn: return "psn";
  case backend_kind::afd: return "afd";
  case backend_kind::epoll: return "epoll";
  case backend_kind::model: return "model";
  }
  return "?";
}

bool notification_port::available(backend_kind kind, std::string& why)
{
  why.clear();
  if (kind == backend_kind::automatic)
  {
    // Whether open(automatic) would find a backend (BOOST_SOCKN_BACKEND included).
    boost::system::error_code ec;
    resolve(kind, ec, why);
    return !ec;
  }
  const detail::backend_entry* e = find_entry(kind);
  if (!e)
  {
    why = std::string(to_string(kind)) + " backend: not compiled into this build of boost_sockn";
    return false;
  }
  return e->probe(why);
}

backend_kind notification_port::resolve(backend_kind kind, boost::system::error_code& ec,
                                        std::string& why)
{
  ec.clear();
  why.clear();
  if (kind == backend_kind::automatic)
  {
    if (const char* env = std::getenv("BOOST_SOCKN_BACKEND"))
    {
      if (*env && !parse_backend(env, kind))
      {
        ec = port_errc::unknown_backend;
        why = std::string("BOOST_SOCKN_BACKEND=") + env
              + ": no such backend (psn, afd, epoll or model, in any case)";
        return backend_kind::automatic;
      }
    }
  }
  if (kind != backend_kind::automatic)
  {
    if (!find_entry(kind))
    {
      ec = port_errc::backend_not_built;
      why = std::string(to_string(kind)) + " backend: not compiled into this build of boost_sockn";
    }
    else if (!available(kind, why))
      ec = port_errc::backend_unavailable;
    return kind;
  }
  std::size_t n = 0;
  const detail::backend_entry* table = detail::backend_table(n);
  std::string reasons;
  for (std::size_t i = 0; i < n; ++i)
  {
    if (!table[i].automatic) continue;
    std::string w;
    if (table[i].probe(w)) return table[i].kind;
    reasons += (reasons.empty() ? "" : "; ") + w;
  }
  ec = port_errc::backend_unavailable;
  why = "no notification-port backend is available: " + reasons;
  return backend_kind::automatic;
}

notification_port::notification_port() noexcept = default;

notification_port::notification_port(backend_kind kind)
{
  open(kind);
}

notification_port::notification_port(notification_port&& other) noexcept = default;
notification_port& notification_port::operator=(notification_port&& other) noexcept = default;
notification_port::~notification_port() = default;

void notification_port::open(backend_kind kind)
{
  std::string why;
  boost::system::error_code ec;
  backend_kind chosen = resolve(kind, ec, why);
  if (!ec)
  {
    open(chosen, ec);
    if (ec == port_errc::already_open)
      why = "notification_port::open";
    else if (ec)
      why = std::string(to_string(chosen)) + " backend";
  }
  if (ec) throw boost::system::system_error(ec, why);
}

void notification_port::open(backend_kind kind, boost::system::error_code& ec)
{
  if (impl_)
  {
    // As Asio's objects refuse (already_open): replacing the backend would drop its
    // registrations without their remove notifications.
    ec = port_errc::already_open;
    return;
  }
  std::string why;
  backend_kind chosen = resolve(kind, ec, why);
  if (ec) return;
  const detail::backend_entry* entry = find_entry(chosen);
  std::unique_ptr<detail::port_backend> b = entry->create(ec);
  if (ec) return;
  impl_ = std::move(b);
  edge_ = entry->edge_triggers;
}

bool notification_port::is_open() const noexcept
{
  return impl_ != nullptr;
}

void notification_port::close() noexcept
{
  impl_.reset();
}

backend_kind notification_port::backend() const noexcept
{
  return impl_ ? impl_->kind() : backend_kind::automatic;
}

bool notification_port::supports(trigger t) const noexcept
{
  if (!impl_) return false;
  return !has(t, trigger::edge) || edge_;
}

bool notification_port::supports(backend_kind kind, trigger t)
{
  if (kind == backend_kind::automatic)
  {
    boost::system::error_code ec;
    std::string why;
    kind = resolve(kind, ec, why);
    if (ec) return false;
  }
  const detail::backend_entry* e = find_entry(kind);
  return e && (!has(t, trigger::edge) || e->edge_triggers);
}

int notification_port::pollable_descriptor() noexcept
{
  return impl_ ? impl_->pollable_descriptor() : -1;
}

bool notification_port::pollable(backend_kind kind)
{
  if (kind == backend_kind::automatic)
  {
    boost::system::error_code ec;
    std::string why;
    kind = resolve(kind, ec, why);
    if (ec) return false;
  }
  const detail::backend_entry* e = find_entry(kind);
  return e && e->pollable;
}

std::size_t notification_port::process(registration* regs, std::size_t count,
                                       notification* notifications, std::size_t capacity,
                                       std::chrono::milliseconds timeout,
                                       boost::system::error_code& ec)
{
  ec.clear();
  if (!impl_)
    ec = port_errc::not_open;
  else if ((count && !regs) || (capacity && !notifications) || count > 0xFFFFFFFFu ||
           capacity > 0xFFFFFFFFu)
    ec = make_error_code(boost::system::errc::invalid_argument);
  if (ec)
  {
    for (std::size_t i = 0; i < count && regs; ++i)
      regs[i].result = ec;
    return 0;
  }

  const bool edge = edge_;
  for (std::size_t i = 0; i < count; ++i)
    regs[i].result = validate(regs[i], edge);

  // Every backend gets the call in the shape PSN's parameter rules require: null arrays for zero
  // counts, timeout 0 without a dequeue, and no call at all with nothing to do.
  if (count == 0) regs = nullptr;
  if (capacity == 0)
  {
    notifications = nullptr;
    timeout = std::chrono::milliseconds(0);
  }
  if (timeout.count() < 0) timeout = std::chrono::milliseconds(0);
  if (count == 0 && capacity == 0) return 0;
  return impl_->process(regs, count, notifications, capacity, timeout, ec);
}

std::size_t notification_port::process(registration* regs, std::size_t count,
                                       notification* notifications, std::size_t capacity,
                                       std::chrono::milliseconds timeout)
{
  boost::system::error_code ec;
  std::size_t n = process(regs, count, notifications, capacity, timeout, ec);
  if (ec) throw boost::system::system_error(ec, "boost_sockn::notification_port::process");
  return n;
}

void notification_port::post(std::uintptr_t key, event events, boost::system::error_code& ec)
{
  ec.clear();
  if (!impl_)
  {
    ec = port_errc::not_open;
    return;
  }
  impl_->post(key, events, ec);
}

void notification_port::post(std::uintptr_t key, event events)
{
  boost::system::error_code ec;
  post(key, events, ec);
  if (ec) throw boost::system::system_error(ec, "boost_sockn::notification_port::post");
}

} // namespace boost_sockn
