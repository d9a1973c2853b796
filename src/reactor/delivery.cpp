//
// src/reactor/delivery.cpp
//
// What one port call's results do, whichever thread made it (the readiness thread, or an io
// thread draining the port): the batch of registrations built from the listed states and their
// results recorded, the dequeued notifications delivered to the sockets' states, and the ready
// states handed to the execution context to perform (socket_state.cpp). Locking: see reactor.cpp.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"

#include <cassert>

namespace boost_sockn {
namespace detail {

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
      // notice: re-arm through the next batch (the thread delivering makes that port call, the
      // readiness thread's loop or the io thread's drain, so the entry is always listed, never
      // applied directly).
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
  performs_.fetch_add(to_post_.size(), std::memory_order_relaxed);
  if (delivery_ == readiness_delivery::io_threads)
  {
    // A continuation of the draining io thread: its private queue takes the states and it runs
    // them next, no other thread woken (the queue joins the shared one when the drain's handler
    // returns, where idle threads can take a share, as with Asio's own reactor).
    for (descriptor_state* d : to_post_)
      scheduler_->post_immediate_completion(d, true);
  }
  else
  {
    boost::asio::detail::op_queue<scheduler_op> ops;
    for (descriptor_state* d : to_post_)
    {
      scheduler_->work_started();
      ops.push(d);
    }
    scheduler_->post_deferred_completions(ops);
  }
  to_post_.clear();
}

} // namespace detail
} // namespace boost_sockn
