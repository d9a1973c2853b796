//
// src/port/model_port.cpp
//
// The strict model of ProcessSocketNotifications (backend_kind::model). It keeps the registrations
// and the completion queue itself, in user space, and uses the system's backend (the inner port)
// only to learn when something may have changed. Whatever the inner port reports, the model asks
// the socket what holds now (socket_probe.hpp) and queues what PSN would: where Microsoft's
// documentation is silent, the answer hardest for the caller.
//
// The rules, each checked by a conformance case (test/port/cases_model.cpp):
// - in only while something can be read; a peer's FIN alone is hangup, heard only by a filter that
//   holds hangup; a reset is hangup|error; a failed connect is error without out; no hangup on
//   datagram sockets;
// - error (and remove) are reported whatever the filter, hangup only when asked for;
// - oneshot disarms in, out and hangup together when the packet is queued; nothing is queued while
//   a registration is disabled, and a condition that arose meanwhile (error included) shows at the
//   next enable;
// - an enable, disable or remove under another key than the registration's fails the entry
//   (key_mismatch); a remove of an unregistered socket, or a second remove before the first one's
//   notification was dequeued, fails (not_registered); an enable of a socket whose remove
//   notification was not dequeued yet fails (remove_pending);
// - closing a handle while it is registered, that is before its remove notification was dequeued,
//   breaks the contract: the model records it, and after such a close no remove notification ever
//   comes; so does a call that breaks PSN's parameter rules.
//
// Edge triggers are the inner port's (epoll's EPOLLET), with the conditions reshaped as above:
// PSN's edge depends on the caller's drains, which no port can see, so the model delivers at least
// what PSN would and possibly more (the contract allows extra edge notifications).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "model_record.hpp"
#include "port_backend.hpp"
#include "socket_probe.hpp"

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace boost_sockn {

namespace detail {
namespace {

//--------------------------------------------------------------------------------------------------
// The model
//--------------------------------------------------------------------------------------------------

// Keys of the inner port: a registration's address, or this one for the model's own wake-ups.
constexpr std::uintptr_t inner_wake_key = 1;

struct model_registration
{
  native_socket_type socket{};
  socket_identity identity;
  probe_memory memory;
  std::uintptr_t key = 0;
  event filter = event::none;
  trigger triggers = trigger::none;
  bool enabled = false;     // new notifications may be queued
  bool removing = false;    // removed; its remove notification is queued, not yet dequeued
  bool queued = false;      // a notification packet of its own is in the queue
  event queued_events = event::none;
  bool inner_live = false;  // the inner port holds a registration for it
  bool recheck = false;     // listed to be looked at again by the next call
  bool watching_changes = false; // a level registration the inner port watches edge-triggered
};

// A queue entry: a registration's packet (its events are read when it is dequeued, so that
// conditions arising while it is queued are OR-ed into it), its remove notification, or a
// posted packet.
struct packet
{
  enum kind_type { conditions, removal, posted } kind;
  model_registration* reg;
  notification posted_notification;
};

bool is_level(trigger t) noexcept { return has(t, trigger::level); }
bool is_oneshot(trigger t) noexcept { return has(t, trigger::oneshot); }

class model_port final : public port_backend
{
public:
  explicit model_port(std::unique_ptr<port_backend> inner) : inner_(std::move(inner)) {}

  ~model_port() override
  {
    inner_.reset(); // no packet of the inner port can name a registration after this
    for (auto& kv : table_)
      delete kv.second;
    for (model_registration* r : retired_)
      delete r;
  }

  backend_kind kind() const noexcept override { return backend_kind::model; }

  std::size_t process(registration* regs, std::size_t count, notification* out,
                      std::size_t capacity, std::chrono::milliseconds timeout,
                      boost::system::error_code& ec) override
  {
    check_parameters(regs, count, out, capacity, timeout);
    if (auto failure = injected_call_failure(regs, count))
    {
      ec = failure;
      for (std::size_t i = 0; i < count; ++i)
        regs[i].result = failure;
      return 0;
    }

    {
      std::lock_guard<std::mutex> lock(mutex_);
      sweep();
      for (std::size_t i = 0; i < count; ++i)
        if (!regs[i].result)
          regs[i].result = apply(regs[i]);
      flush_rechecks();
    }
    if (capacity == 0)
      return 0;

    // A call returns fewer than `capacity` notifications only when nothing more is to be had
    // at that moment, as epoll's and PSN's calls do: a caller that polls the port's descriptor
    // from outside relies on it, since the descriptor does not signal again for what is left.
    // So the inner port is asked without waiting before any wait, and again while it fills the
    // buffer; a wait happens only when that found nothing.
    wait_deadline deadline(timeout);
    std::vector<notification>& inner = inner_buffer(capacity);
    std::size_t got = 0;
    bool polled = false; // the inner port was drained since the last dequeue
    for (;;)
    {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        got += dequeue(out + got, capacity - got);
        if (got == capacity || (got && polled))
          return got;
        if (polled && deadline.expired())
          return got;
        if (polled)
        {
          // About to wait: what was listed to be looked at again (by this call, or by another
          // thread's while this one waited) is looked at now, or it would go unwatched for the
          // whole wait.
          flush_rechecks();
          got += dequeue(out + got, capacity - got);
          if (got)
            return got;
        }
        ++waiters_;
      }
      const bool wait = polled && got == 0;
      const long long left = wait ? deadline.remaining_ms(1 << 30) : 0;
      boost::system::error_code inner_ec;
      std::size_t n = inner_->process(nullptr, 0, inner.data(), inner.size(),
                                      left < 0 ? notification_port::infinite
                                               : std::chrono::milliseconds(left),
                                      inner_ec);
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t i = 0; i < n; ++i)
        take_inner(inner[i]);
      --waiters_;
      free_retired();
      if (inner_ec)
      {
        // What was dequeued is delivered; the next call meets the error again.
        if (!got)
          ec = inner_ec;
        return got;
      }
      polled = n < inner.size();
    }
  }

  void post(std::uintptr_t key, event events, boost::system::error_code& ec) override
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(packet{packet::posted, nullptr, notification{key, events}});
    wake(ec);
    if (ec)
      queue_.pop_back();
  }

  // The inner port's descriptor; from now on every packet the model queues signals it too, since
  // the caller waits there rather than in process().
  int pollable_descriptor() noexcept override
  {
    std::lock_guard<std::mutex> lock(mutex_);
    watched_ = true;
    return inner_->pollable_descriptor();
  }

private:
  //------------------------------------------------------------------------------------------------
  // Calls
  //------------------------------------------------------------------------------------------------

  // PSN's parameter rules. The front end shapes every call so; a breach is a defect there.
  void check_parameters(const registration* regs, std::size_t count, const notification* out,
                        std::size_t capacity, std::chrono::milliseconds timeout)
  {
    if ((count == 0) != (regs == nullptr))
      report_violation(-1, "parameter rule",
                       "registrationInfos must be null exactly when registrationCount is 0");
    if ((capacity == 0) != (out == nullptr))
      report_violation(-1, "parameter rule",
                       "completionPortEntries must be null exactly when completionCount is 0");
    if (capacity == 0 && timeout.count() != 0)
      report_violation(-1, "parameter rule", "timeoutMs must be 0 when completionCount is 0");
    if (count == 0 && capacity == 0)
      report_violation(-1, "parameter rule", "a call with nothing to register or dequeue");
  }

  boost::system::error_code apply(const registration& e)
  {
    if (e.op == port_op::none)
      return {};
    if (auto failure = injected_entry_failure(e.op))
    {
      // A failed remove leaves no registration behind (as PSN's would, had the registration
      // gone already): no remove notification follows.
      if (e.op == port_op::remove)
        if (model_registration* r = find(e.socket))
          if (!r->removing)
            forget(r);
      return failure;
    }
    model_registration* r = find(e.socket);
    switch (e.op)
    {
    case port_op::enable:
      if (!r)
        return create(e);
      if (r->removing)
        return port_errc::remove_pending;
      if (r->key != e.key)
        return port_errc::key_mismatch;
      r->filter = e.filter;
      r->triggers = e.triggers;
      return arm(r);
    case port_op::disable:
      if (!r || r->removing)
        return port_errc::not_registered;
      if (r->key != e.key)
        return port_errc::key_mismatch;
      r->enabled = false;
      disarm_inner(r);
      return {};
    case port_op::remove:
      if (!r || r->removing)
        return port_errc::not_registered;
      if (r->key != e.key)
        return port_errc::key_mismatch;
      begin_remove(r);
      return {};
    case port_op::none:
      break;
    }
    return make_error_code(boost::system::errc::invalid_argument);
  }

  boost::system::error_code create(const registration& e)
  {
    socket_identity id;
    if (auto ec = identify_socket(e.socket, id))
      return ec;
    auto r = std::make_unique<model_registration>();
    r->socket = e.socket;
    r->identity = id;
    r->key = e.key;
    r->filter = e.filter;
    r->triggers = e.triggers;
    model_registration* p = r.release();
    table_.emplace(e.socket, p);
    if (auto ec = arm(p))
    {
      table_.erase(e.socket);
      delete p;
      return ec;
    }
    return {};
  }

  // Enables `r`: level triggers report a condition that holds now at once; otherwise the inner
  // port is asked to say when something may have changed.
  boost::system::error_code arm(model_registration* r)
  {
    r->enabled = true;
    if (is_level(r->triggers))
    {
      const event now = deliverable(r);
      if (now != event::none)
      {
        queue_conditions(r, now);
        if (!r->enabled)
          return {}; // a oneshot spent at once: nothing to watch
      }
    }
    return arm_inner(r);
  }

  boost::system::error_code arm_inner(model_registration* r)
  {
    // Level registrations are watched one change at a time (oneshot) and looked at again by the
    // next call; edge ones keep the inner port's edge triggers.
    const trigger inner_trigger = is_level(r->triggers) ? (trigger::level | trigger::oneshot)
                                                        : r->triggers;
    const boost::system::error_code ec = enable_inner(r, inner_trigger);
    if (!ec)
      r->watching_changes = false;
    return ec;
  }

  boost::system::error_code enable_inner(model_registration* r, trigger t)
  {
    registration e = registration::enable(r->socket, reinterpret_cast<std::uintptr_t>(r),
                                          r->filter, t);
    boost::system::error_code ec;
    inner_->process(&e, 1, nullptr, 0, std::chrono::milliseconds(0), ec);
    if (ec || e.result)
      return ec ? ec : e.result;
    r->inner_live = true;
    return {};
  }

  // The inner port woke for a level registration with nothing the model may report (epoll's
  // EPOLLHUP and EPOLLERR cannot be masked, and the model reshapes conditions: a socket gone
  // before it connected, a FIN outside the filter). Watched level-triggered again, it would wake
  // at once, for ever, where PSN stays silent: the inner port watches for the next change
  // instead. Arming it reports what holds once more; the flag keeps that report from re-arming.
  void watch_changes(model_registration* r)
  {
    if (r->watching_changes)
      return;
    if (enable_inner(r, trigger::edge))
    {
      list_recheck(r); // looked at again by the next call instead
      return;
    }
    r->watching_changes = true;
  }

  void disarm_inner(model_registration* r)
  {
    if (!r->inner_live)
      return;
    registration e = registration::disable(r->socket, reinterpret_cast<std::uintptr_t>(r));
    boost::system::error_code ec;
    inner_->process(&e, 1, nullptr, 0, std::chrono::milliseconds(0), ec);
  }

  void begin_remove(model_registration* r)
  {
    r->removing = true;
    r->enabled = false;
    remove_inner(r);
    queue_.push_back(packet{packet::removal, r, {}});
    boost::system::error_code ignored;
    wake(ignored);
  }

  void remove_inner(model_registration* r)
  {
    if (!r->inner_live)
      return;
    registration e = registration::remove(r->socket, reinterpret_cast<std::uintptr_t>(r));
    boost::system::error_code ec;
    inner_->process(&e, 1, nullptr, 0, std::chrono::milliseconds(0), ec);
    // The inner port's remove notification retires the registration's inner half; if the entry
    // failed (the handle is gone), none will come.
    if (ec || e.result)
      r->inner_live = false;
  }

  // Drops a registration without a remove notification (closesocket's silent deregistration).
  // Packets already queued for it may still be delivered.
  void forget(model_registration* r)
  {
    remove_inner(r);
    r->enabled = false;
    retire(r);
  }

  //------------------------------------------------------------------------------------------------
  // Conditions and the queue
  //------------------------------------------------------------------------------------------------

  // What `r` may report now: the conditions that hold, within its filter (plus error).
  event deliverable(model_registration* r)
  {
    const event holding = probe_conditions(r->socket, r->memory);
    return holding & (r->filter | event::error);
  }

  void queue_conditions(model_registration* r, event e)
  {
    if (r->queued)
      r->queued_events |= e;
    else
    {
      r->queued = true;
      r->queued_events = e;
      queue_.push_back(packet{packet::conditions, r, {}});
      boost::system::error_code ignored;
      wake(ignored);
    }
    if (is_oneshot(r->triggers))
    {
      r->enabled = false; // in, out and hangup together, as the packet is queued
      disarm_inner(r);
    }
  }

  // Something may have changed for `r` (the inner port said so).
  void take_inner(const notification& n)
  {
    if (n.key == inner_wake_key)
      return;
    auto* r = reinterpret_cast<model_registration*>(n.key);
    if (has(n.events, event::remove))
    {
      r->inner_live = false;
      maybe_free(r);
      return;
    }
    if (!r->enabled || r->removing)
      return;
    const event now = deliverable(r);
    if (now != event::none)
      queue_conditions(r, now);
    else if (is_level(r->triggers))
      watch_changes(r); // nothing to report
  }

  void list_recheck(model_registration* r)
  {
    if (r->recheck)
      return;
    r->recheck = true;
    rechecks_.push_back(r);
    // A thread waiting in the inner port is not watching `r` now: it goes round to look.
    if (waiters_ > 0)
    {
      boost::system::error_code ignored;
      inner_->post(inner_wake_key, event::none, ignored);
    }
  }

  // Level registrations that delivered or found nothing are looked at again once per call: a
  // condition that still holds is reported again, otherwise the inner port watches it.
  void flush_rechecks()
  {
    std::vector<model_registration*> list;
    list.swap(rechecks_);
    for (model_registration* r : list)
    {
      r->recheck = false;
      if (r->removing || !r->enabled || r->queued || !in_table(r))
      {
        maybe_free(r);
        continue;
      }
      const event now = deliverable(r);
      if (now != event::none)
        queue_conditions(r, now);
      else
        arm_inner(r);
    }
  }

  std::size_t dequeue(notification* out, std::size_t capacity)
  {
    std::size_t got = 0;
    while (got < capacity && !queue_.empty())
    {
      packet p = queue_.front();
      queue_.pop_front();
      switch (p.kind)
      {
      case packet::posted:
        out[got++] = p.posted_notification;
        break;
      case packet::conditions:
      {
        model_registration* r = p.reg;
        out[got++] = notification{r->key, r->queued_events};
        r->queued = false;
        r->queued_events = event::none;
        if (r->enabled && !r->removing && !is_oneshot(r->triggers) && is_level(r->triggers))
          list_recheck(r);
        maybe_free(r);
        break;
      }
      case packet::removal:
      {
        model_registration* r = p.reg;
        socket_identity now;
        if (identify_socket(r->socket, now) || now != r->identity)
        {
          report_violation(r->socket, "closed before its remove notification was dequeued",
                           "the remove notification is lost, as PSN may lose it");
        }
        else
          out[got++] = notification{r->key, event::remove};
        r->removing = false;
        retire(r);
        break;
      }
      }
    }
    return got;
  }

  //------------------------------------------------------------------------------------------------
  // Handles closed behind the model's back
  //------------------------------------------------------------------------------------------------

  // Every registered handle must still name its socket: closing one before its remove
  // notification was dequeued breaks the contract. A removing registration's notification is
  // then never delivered; a live one is dropped silently, as closesocket deregisters.
  void sweep()
  {
    if (table_.empty())
      return;
    std::vector<model_registration*> closed;
    for (auto& kv : table_)
    {
      socket_identity now;
      if (identify_socket(kv.second->socket, now) || now != kv.second->identity)
        closed.push_back(kv.second);
    }
    for (model_registration* r : closed)
    {
      if (r->removing)
      {
        report_violation(r->socket, "closed before its remove notification was dequeued",
                         "the remove notification is lost, as PSN may lose it");
        for (auto it = queue_.begin(); it != queue_.end(); ++it)
          if (it->kind == packet::removal && it->reg == r)
          {
            queue_.erase(it);
            break;
          }
        r->removing = false;
        retire(r);
      }
      else
      {
        report_violation(r->socket, "closed while registered",
                         "closed without a remove first (PSN deregisters it silently)");
        forget(r);
      }
    }
  }

  model_registration* find(native_socket_type s)
  {
    auto it = table_.find(s);
    if (it == table_.end())
      return nullptr;
    model_registration* r = it->second;
    // A handle value reused by a new socket while the old registration lingers: the old one was
    // closed behind the model's back.
    socket_identity now;
    if (identify_socket(s, now) || now != r->identity)
    {
      sweep();
      it = table_.find(s);
      return it == table_.end() ? nullptr : it->second;
    }
    return r;
  }

  bool in_table(const model_registration* r) const
  {
    auto it = table_.find(r->socket);
    return it != table_.end() && it->second == r;
  }

  // Takes `r` out of the table; it lives on while a packet or the inner port may name it.
  void retire(model_registration* r)
  {
    if (in_table(r))
      table_.erase(r->socket);
    retired_.push_back(r);
    maybe_free(r);
  }

  static bool named_anywhere(const model_registration* r)
  {
    return r->queued || r->removing || r->inner_live || r->recheck;
  }

  // A retired registration is freed when nothing can name it any more: no packet, no inner
  // registration, and no inner batch in flight (a thread that left the inner wait may hold its
  // address until it takes the lock; waiters_ counts such threads until then).
  void maybe_free(model_registration* r)
  {
    if (named_anywhere(r) || in_table(r) || waiters_ > 0)
      return;
    for (auto i = retired_.begin(); i != retired_.end(); ++i)
      if (*i == r)
      {
        retired_.erase(i);
        delete r;
        return;
      }
  }

  void free_retired()
  {
    if (waiters_ > 0)
      return;
    std::vector<model_registration*> keep;
    for (model_registration* r : retired_)
      if (named_anywhere(r) || in_table(r))
        keep.push_back(r);
      else
        delete r;
    retired_.swap(keep);
  }

  // Wakes a thread waiting in the inner port, so that it dequeues what was just queued.
  void wake(boost::system::error_code& ec)
  {
    if (waiters_ > 0 || watched_)
      inner_->post(inner_wake_key, event::none, ec);
  }

  static std::vector<notification>& inner_buffer(std::size_t capacity)
  {
    thread_local std::vector<notification> buffer;
    const std::size_t n = capacity < 256 ? capacity : 256;
    if (buffer.size() < n)
      buffer.resize(n);
    return buffer;
  }

  std::unique_ptr<port_backend> inner_;
  std::mutex mutex_;
  std::unordered_map<native_socket_type, model_registration*> table_;
  std::vector<model_registration*> retired_;
  std::vector<model_registration*> rechecks_;
  std::deque<packet> queue_;
  unsigned waiters_ = 0;
  bool watched_ = false; // a poller outside waits on the inner port's descriptor
};

// The system backend the model runs over: the automatic choice, never the model itself.
const backend_entry* inner_entry(std::string& why)
{
  std::size_t n = 0;
  const backend_entry* table = backend_table(n);
  for (std::size_t i = 0; i < n; ++i)
    if (table[i].automatic && table[i].kind != backend_kind::psn && table[i].probe(why))
      return &table[i];
  return nullptr;
}

bool probe_model(std::string& why)
{
  std::string inner_why;
  if (inner_entry(inner_why))
    return true;
  why = "model backend: no system backend to run over (" + inner_why + ")";
  return false;
}

std::unique_ptr<port_backend> create_model(boost::system::error_code& ec)
{
  std::string why;
  const backend_entry* e = inner_entry(why);
  if (!e)
  {
    ec = port_errc::backend_unavailable;
    return nullptr;
  }
  std::unique_ptr<port_backend> inner = e->create(ec);
  if (ec)
    return nullptr;
  return std::unique_ptr<port_backend>(new model_port(std::move(inner)));
}

} // namespace

// Edge triggers are its inner epoll port's.
const backend_entry model_backend_entry{backend_kind::model, false, true, true, &probe_model,
                                        &create_model};

} // namespace detail

} // namespace boost_sockn
