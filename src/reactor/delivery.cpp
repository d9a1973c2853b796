//
// src/reactor/delivery.cpp
//
// How readiness reaches the io threads, both ways. What one port call's results do, whoever made
// it: the batch of registrations built from the listed states and their results recorded, the
// dequeued notifications delivered to the sockets' states, and the ready states handed to the
// execution context to perform (socket_state.cpp). Then who makes the call:
//
// - readiness_delivery::io_threads (Linux): no thread of the reactor's waits in the port. The
//   io_context's own poller waits for the port's descriptor (poller_watch), and the io thread it
//   wakes drains the port: one zero-timeout port call applies the listed registrations and
//   dequeues, and the ready states go to that thread's private queue, so it performs them next.
//   One io thread drains at a time; one that finds the drain taken leaves a note that makes the
//   holder go round again, so no news is left behind. A turn is bounded: a full batch, or news
//   arriving after a second round, is left to a follow-up drain posted behind the handlers
//   already queued, which keeps one busy socket from starving the others and the posted
//   handlers. A follow-up made for registrations alone only applies them.
// - readiness_delivery::readiness_thread (Windows, whose port Asio's scheduler cannot wait on):
//   a thread waits in the port, makes one port call per wake-up, and posts the ready states.
//   Then it lends the port to the io threads (leader/follower): a drain posted behind those
//   states dequeues with a zero timeout on the io thread that performed them, and keeps
//   draining there, turn after turn, while it finds work; the first turn that finds none gives
//   the port back and the thread waits in it again. So a busy io_context is fed by its own io
//   threads, with no hand-off per batch, and registrations made meanwhile are applied together
//   by the next turn. The thread takes the port back when lend_limit passes without a turn: an
//   io thread held up in a long handler delays the port by no more than that.
//
// Locking: see reactor.cpp.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"

#include <cassert>
#include <thread>

namespace boost_sockn {
namespace detail {
//--------------------------------------------------------------------------------------------------
// A port call's results
//--------------------------------------------------------------------------------------------------

void reactor_impl::build_batch(std::vector<descriptor_state*>& states,
                               std::vector<registration>& regs)
{
  regs.clear();
  batch_.clear();
  batch_built_at_.clear();
  for (descriptor_state* d : states)
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->in_pending = false;
    registration r;
    if (!entry_for(d, r))
      continue;
    regs.push_back(r);
    batch_.push_back(d);
    batch_built_at_.push_back(d->deliveries);
  }
}

void reactor_impl::apply_results(std::vector<descriptor_state*>& states,
                                 std::vector<registration>& regs,
                                 std::vector<descriptor_state*>& ready)
{
  for (std::size_t i = 0; i < regs.size(); ++i)
  {
    descriptor_state* d = batch_[i];
    std::lock_guard<std::mutex> lock(d->mutex);
    if (apply_result(d, regs[i], batch_built_at_[i]))
      ready.push_back(d);
  }
  for (descriptor_state* d : states)
    release(d); // the pending entry's reference
  states.clear();
}

void reactor_impl::deliver(const notification* n, std::size_t count,
                           std::vector<descriptor_state*>& ready)
{
  for (std::size_t i = 0; i < count; ++i)
  {
    if (n[i].key == wake_key)
      continue;
    if ((n[i].key & 1u) || has(n[i].events, event::remove))
    {
      deliver_removal(n[i]);
      continue;
    }
    descriptor_state* d = reinterpret_cast<descriptor_state*>(n[i].key);
    std::lock_guard<std::mutex> lock(d->mutex);
    ++d->deliveries;
    if (rules_.spent_by_delivery())
    {
      d->armed = event::none; // the whole registration is disarmed on delivery
      d->arm_active = false;
    }
    if (d->shutdown)
      continue;
    d->ready |= n[i].events;
    if (!d->perform_queued && ready_work(d))
    {
      post_perform(d);
      ready.push_back(d);
    }
    else if (rules_.spent_by_delivery() && !d->perform_queued && !d->in_pending && needs_arming(d))
    {
      // The one-shot registration is spent on conditions no queued operation waits for (say,
      // writable after the write wait completed, while a read wait still waits). An io thread
      // that saw the arming still in place registered nothing, and no perform will run to
      // notice: re-arm through the next batch (the thread delivering makes that port call, the
      // readiness thread's loop or the io thread's drain, so the entry is always listed, never
      // applied directly: list_for_batch lists while a drain runs or the thread is awake).
      const arming a = arm(d);
      assert(a == arming::listed);
      (void)a;
    }
  }
}

void reactor_impl::flush_performs(std::vector<descriptor_state*>& ready, bool from_io_thread)
{
  if (ready.empty())
    return;
  performs_.fetch_add(ready.size(), std::memory_order_relaxed);
  if (from_io_thread)
  {
    // A continuation of the draining io thread: its private queue takes the states and it runs
    // them next, no other thread woken (the queue joins the shared one when the drain's handler
    // returns, where idle threads can take a share, as with Asio's own reactor). A drain made by
    // a closing thread outside the io_context posts to the shared queue instead (Asio's rule).
    for (descriptor_state* d : ready)
      scheduler_->post_immediate_completion(d, true);
  }
  else
  {
    boost::asio::detail::op_queue<scheduler_op> ops;
    for (descriptor_state* d : ready)
    {
      scheduler_->work_started();
      ops.push(d);
    }
    scheduler_->post_deferred_completions(ops);
  }
  ready.clear();
}

//--------------------------------------------------------------------------------------------------
// io_threads: the io threads drain the port
//--------------------------------------------------------------------------------------------------

void reactor_impl::drain_from_poller(void* self)
{
  reactor_impl* r = static_cast<reactor_impl*>(self);
  {
    // A dequeuing drain is already queued on an io thread: it takes what the poller saw.
    std::lock_guard<std::mutex> lock(r->mutex_);
    if (r->drain_posted_ && r->follow_up_kind_ == drain_kind::dequeue)
      return;
  }
  r->drain(drain_kind::dequeue);
}

void drain_operation::do_complete(void* owner, scheduler_op* base,
                                  const boost::system::error_code&, std::size_t)
{
  // owner is null when the scheduler destroys its queue at shutdown: the reactor is going.
  if (owner)
    static_cast<drain_operation*>(base)->reactor->follow_up();
}

namespace {

// How many times a follow-up made for registrations alone lets the handlers queued ahead of it
// run first while they keep listing entries (an accept storm lists one per accept handler).
// Each yield is one pass through the scheduler's queue, no system call; the entries wait that
// long, which a level registration does not mind (what became ready meanwhile is reported).
constexpr unsigned max_follow_up_yields = 64;

} // namespace

void reactor_impl::follow_up()
{
  drain_kind kind = drain_kind::apply;
  bool yield;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Registrations alone, and more were listed since the last look: go behind the handlers
    // queued now, which may list more, and apply them all in one call.
    yield = follow_up_kind_ == drain_kind::apply && follow_up_yields_ < max_follow_up_yields
            && pending_.size() > listed_at_yield_ && pending_.size() < options_.batch_capacity
            && !shut_down_.load(std::memory_order_relaxed);
    if (yield)
    {
      ++follow_up_yields_;
      listed_at_yield_ = pending_.size();
    }
    else
    {
      drain_posted_ = false;
      follow_up_yields_ = 0;
      listed_at_yield_ = 0;
      kind = follow_up_kind_;
      follow_up_kind_ = drain_kind::apply;
    }
  }
  if (yield)
    scheduler_->post_immediate_completion(&drain_op_, true); // still the queued follow-up
  else
    drain(kind);
}

void reactor_impl::post_follow_up(drain_kind kind)
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (kind == drain_kind::dequeue)
      follow_up_kind_ = drain_kind::dequeue;
    if (drain_posted_ || shut_down_.load(std::memory_order_relaxed))
      return;
    drain_posted_ = true;
  }
  // A continuation: on an io thread it joins that thread's private queue, behind what the drain
  // just posted.
  scheduler_->post_immediate_completion(&drain_op_, true);
}

void reactor_impl::drain(drain_kind kind)
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load(std::memory_order_relaxed))
      return;
    if (draining_)
    {
      // The holder goes round once more for this caller (and dequeues, if it asked to).
      drain_again_ = true;
      if (kind == drain_kind::dequeue)
        holder_dequeues_ = true;
      return;
    }
    draining_ = true;
  }

  drain_kind follow = drain_kind::none;
  for (int round = 0;; ++round)
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      drain_states_.swap(pending_);
      drain_again_ = false;
      if (holder_dequeues_)
        kind = drain_kind::dequeue;
      holder_dequeues_ = false;
    }

    std::size_t n = 0;
    boost::system::error_code ec;
    {
      std::lock_guard<std::mutex> reg_lock(registration_mutex_);
      build_batch(drain_states_, drain_regs_);
      // A turn made for registrations alone does not dequeue: the poller signals for whatever
      // is ready, and a dequeue here would find it first and leave the poller's drain empty.
      const std::size_t capacity = kind == drain_kind::dequeue ? drain_notes_.size() : 0;
      if (!drain_regs_.empty() || capacity)
      {
        n = port_.process(drain_regs_.data(), drain_regs_.size(), drain_notes_.data(), capacity,
                          std::chrono::milliseconds(0), ec);
        process_calls_.fetch_add(1, std::memory_order_relaxed);
        registrations_.fetch_add(drain_regs_.size(), std::memory_order_relaxed);
      }
      apply_results(drain_states_, drain_regs_, drain_ready_);
    }
    if (!ec)
    {
      failed_turns_ = 0;
      notifications_.fetch_add(n, std::memory_order_relaxed);
      deliver(drain_notes_.data(), n, drain_ready_);
    }
    else if (++failed_turns_ > 1)
    {
      // A port that keeps failing must not turn into a busy loop of follow-ups: back off, as
      // the readiness thread does, a little longer each time (this io thread's other handlers
      // wait that long; a port failing call after call leaves nothing better to do).
      std::this_thread::sleep_for(std::chrono::milliseconds(failed_turns_ < 10 ? failed_turns_
                                                                               : 10));
    }
    const bool found_work = !drain_ready_.empty();
    flush_performs(drain_ready_, true);

    std::lock_guard<std::mutex> lock(mutex_);
    const bool news = drain_again_ || !pending_.empty();
    // A full batch may have left notifications behind, and the poller will not signal again for
    // them; a failed call may have too (it is retried behind the queued handlers, not at once).
    // A drain that found work drains again behind it: the performs it handed over make their
    // peers' sockets ready (a response, the next request), so the next turn is likely to find
    // more, on this thread, before any other wait; and a lent port must be kept while it yields,
    // since nobody else dequeues until it goes back.
    const bool keep = found_work && (delivery_ == readiness_delivery::io_threads || lent_);
    const bool more = (kind == drain_kind::dequeue && n == drain_notes_.size()) || ec || keep;
    if (lent_)
      ++lent_turns_;
    if (lent_ && !more && !news)
    {
      lent_ = false;
      lend_cv_.notify_one();
    }
    if (shut_down_.load(std::memory_order_relaxed) || (!news && !more))
    {
      draining_ = false;
      break;
    }
    if (news && !more && round == 0)
      continue;
    draining_ = false;
    follow = (more || holder_dequeues_) ? drain_kind::dequeue : drain_kind::apply;
    holder_dequeues_ = false;
    break;
  }
  if (follow != drain_kind::none)
    post_follow_up(follow);
}

//--------------------------------------------------------------------------------------------------
// readiness_thread: a thread waits in the port, and lends it while the io threads are busy
//--------------------------------------------------------------------------------------------------

namespace {

// How long the readiness thread waits for a lent port to come back before it takes it back
// itself, unless a drain turn was made meanwhile: the bound on how long an io thread held up in
// a handler can keep the others' sockets undelivered.
constexpr std::chrono::milliseconds lend_limit(2);

} // namespace

bool reactor_impl::lend_port(std::unique_lock<std::mutex>& lock)
{
  if (shut_down_.load(std::memory_order_relaxed))
    return false;
  lent_ = true;
  lock.unlock();
  // Behind the states just posted: it runs on an io thread once they are performed.
  post_follow_up(drain_kind::dequeue);
  lock.lock();
  const auto given_back = [this] { return !lent_ || shut_down_.load(std::memory_order_relaxed); };
  for (;;)
  {
    const std::uint64_t turns = lent_turns_;
    if (lend_cv_.wait_for(lock, lend_limit, given_back) || lent_turns_ == turns)
      break;
  }
  // Given back, or taken back after a whole lend_limit without a turn: a drain still queued
  // behind a long handler then finds the port shared (process() may be called from several
  // threads at once) and applies and delivers without keeping it.
  lent_ = false;
  return !shut_down_.load(std::memory_order_relaxed);
}

void reactor_impl::reclaim_port()
{
  // A closing thread may be the io thread whose queue holds the lent port's drain: the
  // readiness thread goes back to the port at once to dequeue the remove notification.
  std::lock_guard<std::mutex> lock(mutex_);
  if (!lent_)
    return;
  lent_ = false;
  lend_cv_.notify_one();
}

void reactor_impl::run()
{
  std::vector<descriptor_state*> states;
  std::vector<registration> regs;
  std::vector<descriptor_state*> ready;
  std::vector<notification> notes(options_.batch_capacity);
  for (;;)
  {
    try
    {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (shut_down_.load(std::memory_order_relaxed))
          return;
        states.swap(pending_);
      }

      std::size_t n = 0;
      boost::system::error_code ec;
      if (!states.empty())
      {
        std::lock_guard<std::mutex> reg_lock(registration_mutex_);
        build_batch(states, regs);
        if (!regs.empty())
        {
          // Registrations and dequeue in one call; it does not wait, since a close may be
          // waiting for registration_mutex_.
          n = port_.process(regs.data(), regs.size(), notes.data(), notes.size(),
                            std::chrono::milliseconds(0), ec);
          process_calls_.fetch_add(1, std::memory_order_relaxed);
          registrations_.fetch_add(regs.size(), std::memory_order_relaxed);
        }
        apply_results(states, regs, ready);
      }

      if (n == 0)
      {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (shut_down_.load(std::memory_order_relaxed))
            return;
          if (!pending_.empty())
          {
            flush_performs(ready, false);
            continue;
          }
          sleeping_ = true;
          wake_posted_ = false;
        }
        flush_performs(ready, false);
        n = port_.process(nullptr, 0, notes.data(), notes.size(), notification_port::infinite,
                          ec);
        process_calls_.fetch_add(1, std::memory_order_relaxed);
        {
          std::lock_guard<std::mutex> lock(mutex_);
          sleeping_ = false;
        }
      }
      if (ec)
      {
        // A failing port must not turn into a busy loop; the operations keep waiting.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      notifications_.fetch_add(n, std::memory_order_relaxed);
      deliver(notes.data(), n, ready);
      const bool handed = !ready.empty();
      flush_performs(ready, false);
      if (handed)
      {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!lend_port(lock))
          return;
      }
    }
    catch (...)
    {
      // Never let an exception end the thread (and so the process): back off and go on.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

} // namespace detail
} // namespace boost_sockn
