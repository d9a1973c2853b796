//
// src/reactor/io_thread_drain.cpp
//
// readiness_delivery::io_threads (Linux's path): no thread of the reactor's waits in the port.
// The io_context's own poller waits for the port's descriptor (poller_watch), and the io thread
// it wakes drains the port: one zero-timeout port call applies the listed registrations and
// dequeues, and the ready states go to that thread's private queue (delivery.cpp), so it performs
// them next. One io thread drains at a time; one that finds the drain taken leaves a note that
// makes the holder go round again, so no news is left behind. A turn is bounded: a full batch,
// or news arriving after a second round, is left to a follow-up drain posted behind the handlers
// already queued, which keeps one busy socket from starving the others and the posted handlers.
// Locking: see reactor.cpp.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"

namespace boost_sockn {
namespace detail {

void reactor_impl::drain_from_poller(void* self)
{
  static_cast<reactor_impl*>(self)->drain(drain_kind::dequeue);
}

void drain_operation::do_complete(void* owner, scheduler_op* base,
                                  const boost::system::error_code&, std::size_t)
{
  // owner is null when the scheduler destroys its queue at shutdown: the reactor is going.
  if (owner)
    static_cast<drain_operation*>(base)->reactor->follow_up();
}

void reactor_impl::follow_up()
{
  drain_kind kind;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drain_posted_ = false;
    kind = follow_up_kind_;
    follow_up_kind_ = drain_kind::apply;
  }
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

drain_turn reactor_impl::drain(drain_kind kind)
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load(std::memory_order_relaxed))
      return drain_turn::finished;
    if (draining_)
    {
      drain_again_ = true;
      if (kind == drain_kind::dequeue)
        holder_dequeues_ = true;
      return drain_turn::left_to_holder;
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
      apply_results(drain_states_, drain_regs_);
    }
    if (!ec)
    {
      notifications_.fetch_add(n, std::memory_order_relaxed);
      deliver(drain_notes_.data(), n);
    }
    flush_performs();

    std::lock_guard<std::mutex> lock(mutex_);
    const bool news = drain_again_ || !pending_.empty();
    // A full batch may have left notifications behind, and the poller will not signal again for
    // them; a failed call may have too (it is retried behind the queued handlers, not at once).
    const bool more = (kind == drain_kind::dequeue && n == drain_notes_.size()) || ec;
    if (shut_down_.load(std::memory_order_relaxed) || (!news && !more))
    {
      draining_ = false;
      break;
    }
    if (news && !more && round == 0)
    {
      if (holder_dequeues_)
        kind = drain_kind::dequeue;
      continue;
    }
    draining_ = false;
    follow = (more || holder_dequeues_) ? drain_kind::dequeue : drain_kind::apply;
    holder_dequeues_ = false;
    break;
  }
  if (follow != drain_kind::none)
    post_follow_up(follow);
  return drain_turn::finished;
}

} // namespace detail
} // namespace boost_sockn
