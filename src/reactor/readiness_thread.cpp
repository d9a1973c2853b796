//
// src/reactor/readiness_thread.cpp
//
// The readiness thread's loop: one port call per wake-up that applies the listed registrations
// and dequeues notifications, delivery of what it dequeued to the sockets' states, and the
// hand-over of ready states to the execution context. Locking: see reactor.cpp.
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
// The readiness thread
//--------------------------------------------------------------------------------------------------

void reactor_impl::build_batch(std::vector<descriptor_state*>& states,
                               std::vector<registration>& regs)
{
  regs.clear();
  batch_.clear();
  for (descriptor_state* d : states)
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->in_pending = false;
    registration r;
    if (!entry_for(d, r))
      continue;
    regs.push_back(r);
    batch_.push_back(d);
  }
}

void reactor_impl::apply_results(std::vector<descriptor_state*>& states,
                                 std::vector<registration>& regs)
{
  for (std::size_t i = 0; i < regs.size(); ++i)
  {
    descriptor_state* d = batch_[i];
    std::lock_guard<std::mutex> lock(d->mutex);
    if (apply_result(d, regs[i]))
      to_post_.push_back(d);
  }
  for (descriptor_state* d : states)
    release(d); // the pending entry's reference
  states.clear();
}

void reactor_impl::deliver(const notification* n, std::size_t count)
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
    if (!edge_)
    {
      d->armed = event::none; // oneshot: the whole registration is disarmed on delivery
      d->arm_active = false;
    }
    if (d->shutdown)
      continue;
    d->ready |= n[i].events;
    if (!d->perform_queued && ready_work(d))
    {
      post_perform(d);
      to_post_.push_back(d);
    }
    else if (!edge_ && !d->perform_queued && !d->in_pending && needs_arming(d))
    {
      // The one-shot registration is spent on conditions no queued operation waits for (say,
      // writable after the write wait completed, while a read wait still waits). An io thread
      // that saw the arming still in place registered nothing, and no perform will run to
      // notice: re-arm through the next batch (this thread is awake, so the entry is always
      // listed, never applied directly).
      const arming a = arm(d);
      assert(a == arming::listed);
      (void)a;
    }
  }
}

void reactor_impl::flush_performs()
{
  if (to_post_.empty())
    return;
  boost::asio::detail::op_queue<scheduler_op> ops;
  for (descriptor_state* d : to_post_)
  {
    scheduler_->work_started();
    ops.push(d);
  }
  performs_.fetch_add(to_post_.size(), std::memory_order_relaxed);
  to_post_.clear();
  scheduler_->post_deferred_completions(ops);
}

void reactor_impl::run()
{
  std::vector<descriptor_state*> states;
  std::vector<registration> regs;
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
        apply_results(states, regs);
      }

      if (n == 0)
      {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (shut_down_.load(std::memory_order_relaxed))
            return;
          if (!pending_.empty())
          {
            flush_performs();
            continue;
          }
          sleeping_ = true;
          wake_posted_ = false;
        }
        flush_performs();
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
      deliver(notes.data(), n);
      flush_performs();
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
