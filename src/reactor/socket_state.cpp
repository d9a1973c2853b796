//
// src/reactor/socket_state.cpp
//
// A socket's life in the reactor: its state (created, referenced, pooled), arming its
// registration (arm() decides, once for every caller), starting and cancelling operations,
// performing them when the port reports readiness, and the close protocol (remove, await the
// remove notification or a fence). Locking: see reactor.cpp.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"

#include <boost/asio/error.hpp>

namespace boost_sockn {
namespace detail {

//--------------------------------------------------------------------------------------------------
// Per-socket state
//--------------------------------------------------------------------------------------------------

descriptor_state* reactor_impl::register_descriptor(native_socket_type s,
                                                    boost::system::error_code& ec)
{
  if (!scheduler_)
  {
    // The readiness thread needs somewhere to hand ready sockets to (explain() says which
    // contexts have one).
    ec = boost::asio::error::operation_not_supported;
    return nullptr;
  }
  if (!started_.load(std::memory_order_acquire))
  {
    std::lock_guard<std::mutex> starting(start_mutex_);
    if (!started_.load(std::memory_order_relaxed))
    {
      start(ec);
      if (ec)
        return nullptr;
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (shut_down_.load(std::memory_order_relaxed))
  {
    ec = boost::asio::error::operation_aborted;
    return nullptr;
  }
  descriptor_state* d;
  if (!free_.empty())
  {
    d = free_.back();
    free_.pop_back();
  }
  else
    d = new descriptor_state;
  d->owner = this;
  d->socket = s;
  d->armed = event::none;
  d->arm_active = false;
  d->ready = event::none;
  d->reg_error.clear();
  d->refs = 1;
  d->registered = d->in_pending = d->perform_queued = d->shutdown = false;
  for (bool& outlived : d->hangup_outlived)
    outlived = false;
  d->look_once = false;
  d->shut = event::none;
  d->remove_seen = false; // nobody waits on a state that is not in use
  d->live_prev = nullptr;
  d->live_next = live_;
  if (live_)
    live_->live_prev = d;
  live_ = d;
  live_count_.store(live_count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  ec.clear();
  return d;
}

void reactor_impl::release(descriptor_state* d)
{
  bool last;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    last = (--d->refs == 0);
  }
  if (last)
    free_state(d);
}

void reactor_impl::free_state(descriptor_state* d)
{
  std::lock_guard<std::mutex> lock(mutex_);
  if (d->live_prev)
    d->live_prev->live_next = d->live_next;
  else
    live_ = d->live_next;
  if (d->live_next)
    d->live_next->live_prev = d->live_prev;
  d->live_prev = d->live_next = nullptr;
  live_count_.store(live_count_.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
  // Keep a bounded pool: a server's connection churn reuses states instead of allocating.
  if (free_.size() < 1024)
    free_.push_back(d);
  else
    delete d;
}

bool reactor_impl::ready_work(const descriptor_state* d) const
{
  // Edge triggers report every condition of the filter: an edge on a direction with nothing
  // queued needs no hand-over (its bit stays recorded for the next perform).
  return (has(d->ready, read_conditions) && !d->queues[read_op].empty())
         || (has(d->ready, write_conditions) && !d->queues[write_op].empty())
         || (has(d->ready, except_conditions) && !d->queues[except_op].empty());
}

event reactor_impl::wanted(const descriptor_state* d) const
{
  // Each queue asks for its own condition and for the hang-up, which PSN delivers only when
  // asked for: a read must see the end of its stream (a peer's orderly close is hangup alone);
  // a write must run to fail on a connection reset after another operation took the error (PSN
  // need not report it again, and the socket is never writable); an error wait must see a
  // reset. Errors are reported unasked. A queue whose operations outlived a hang-up (an error
  // wait after a FIN; a write with no room after one) asks no more: the hang-up holds and would
  // report them again at once.
  event e = event::none;
  for (int k = 0; k < max_ops; ++k)
    if (!d->queues[k].empty())
      e |= d->hangup_outlived[k] ? queue_condition[k] : queue_condition[k] | event::hangup;
  return e;
}

bool reactor_impl::has_ops(const descriptor_state* d) const
{
  return !d->queues[read_op].empty() || !d->queues[write_op].empty()
         || !d->queues[except_op].empty();
}

bool reactor_impl::needs_arming(const descriptor_state* d) const
{
  if (d->shutdown || !has_ops(d))
    return false;
  return rules_.needs_entry(d->registered, d->arm_active, d->armed, wanted(d));
}

arming reactor_impl::arm(descriptor_state* d)
{
  // A listed state is armed when its batch is built, from what is queued by then.
  if (d->in_pending || !needs_arming(d))
    return arming::not_needed;
  if (list_for_batch(d))
    return arming::listed;
  return apply_now(d) ? arming::applied_ready : arming::applied;
}

bool reactor_impl::list_for_batch(descriptor_state* d)
{
  bool wake = false;
  bool post_drain = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (delivery_ == readiness_delivery::io_threads)
    {
      // The drain under way goes round once more for it; on an io thread, a drain posted behind
      // the running handler applies it together with whatever else that turn lists (the
      // batching). Elsewhere, waking an io thread for one entry would cost more than applying it.
      if (draining_)
        drain_again_ = true;
      else if (options_.direct_registration && !scheduler_->can_dispatch())
        return false;
      else
        post_drain = true;
    }
    else if (draining_ || lent_)
    {
      // The io threads hold the lent port: its next turn (a drain under way going round again,
      // or the one queued) applies the entry with the others listed meanwhile.
      if (draining_)
        drain_again_ = true;
    }
    else if (sleeping_)
    {
      // An asleep readiness thread would need a wake-up and two port calls for this one entry:
      // by default the caller applies it directly instead (a registration-only call, allowed
      // from any thread while another waits). While the thread is awake, entries gather into
      // its next batch.
      if (options_.direct_registration)
        return false;
      wake = !wake_posted_;
      wake_posted_ = true;
    }
    pending_.push_back(d);
  }
  d->in_pending = true;
  ++d->refs;
  if (post_drain)
    post_follow_up(drain_kind::apply);
  if (wake)
  {
    boost::system::error_code ignored;
    port_.post(wake_key, event::none, ignored);
    wakeups_.fetch_add(1, std::memory_order_relaxed);
  }
  return true;
}

bool reactor_impl::apply_now(descriptor_state* d)
{
  // Under the socket's own lock, not the registration lock: a close takes this lock to mark the
  // socket shut down before it removes the registration, so no enable built here can follow
  // that removal; and io threads registering different sockets do not contend. No delivery for
  // this socket can slip between the call and its bookkeeping either, as delivering needs this
  // lock too.
  registration r;
  if (!entry_for(d, r))
    return false;
  boost::system::error_code ec;
  port_.apply(&r, 1, ec);
  if (ec && !r.result)
    r.result = ec;
  direct_registrations_.fetch_add(1, std::memory_order_relaxed);
  return apply_result(d, r, d->deliveries);
}

void reactor_impl::post_now(descriptor_state* d)
{
  scheduler_->post_immediate_completion(d, false);
  performs_.fetch_add(1, std::memory_order_relaxed);
}

bool reactor_impl::entry_for(descriptor_state* d, registration& r) const
{
  if (!needs_arming(d))
    return false; // completed, closed or already covered since it was listed
  r = registration::enable(d->socket, key_of(d), rules_.filter(wanted(d)), rules_.triggers());
  return true;
}

bool reactor_impl::apply_result(descriptor_state* d, const registration& r, unsigned built_at)
{
  if (!r.result)
  {
    // The arming is in place unless a notification delivered since the entry was built may
    // have spent it. A direct registration holds d's lock across its port call, so nothing is
    // delivered in between; but a batch is applied by one thread while another may dequeue
    // (the readiness thread and an io thread holding the lent port): the notification the
    // entry caused can be delivered before this runs. Counted as spent then, the arming is
    // renewed by the next perform or batch: a spare enable at worst, never a lost one.
    const bool spent = d->deliveries != built_at && rules_.spent_by_delivery();
    d->armed = spent ? event::none : r.filter;
    d->arm_active = !spent;
    if (d->registered)
      return false;
    d->registered = true;
    ++d->refs;
    if (!rules_.look_after_registering())
      return false;
    // The port reported nothing for what held before the registration: the operations ask the
    // socket themselves (as at initiation).
    d->look_once = true;
  }
  else
  {
    if (d->shutdown)
      return false;
    d->reg_error = r.result;
  }
  if (d->perform_queued || (!has_ops(d) && !d->reg_error))
    return false;
  post_perform(d);
  return true;
}

void reactor_impl::post_perform(descriptor_state* d)
{
  d->perform_queued = true;
  ++d->refs;
}

//--------------------------------------------------------------------------------------------------
// Operations
//--------------------------------------------------------------------------------------------------

void reactor_impl::start_op(descriptor_state* d, op_kind kind, reactor_op* op,
                            bool allow_speculative)
{
  std::unique_lock<std::mutex> lock(d->mutex);
  if (d->shutdown)
  {
    lock.unlock();
    op->ec_ = boost::asio::error::bad_descriptor;
    op->complete(shut_down_.load(std::memory_order_acquire) ? completion_mode::destroy
                                                            : completion_mode::post);
    return;
  }
  if (shut_down_.load(std::memory_order_acquire))
  {
    lock.unlock();
    op->complete(completion_mode::destroy);
    return;
  }

  const event known = d->shut & queue_condition[kind];
  if (allow_speculative && d->queues[kind].empty() && op->perform(known))
  {
    lock.unlock();
    speculative_.fetch_add(1, std::memory_order_relaxed);
    op->complete(completion_mode::post);
    return;
  }

  d->queues[kind].push(op);
  queued_.fetch_add(1, std::memory_order_relaxed);
  if (known != event::none)
  {
    // Counted readable: the port need not (and may never) report it.
    const bool post = !d->perform_queued;
    if (post)
      post_perform(d);
    lock.unlock();
    if (post)
      post_now(d);
    return;
  }
  if (arm(d) == arming::applied_ready)
  {
    lock.unlock();
    post_now(d);
  }
}

void reactor_impl::cancel_ops(descriptor_state* d)
{
  op_queue aborted;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    for (op_queue& q : d->queues)
      aborted.splice(q);
  }
  abort_ops(aborted);
}

// A socket that shut a side of its own may never be reported ready on it again (AFD reports
// nothing after a shutdown of the receiving side, and PSN is read as harshly for both), so an
// operation queued then would wait for ever, where Asio's fails at once with the shutdown's
// error. From here on the side's queue counts the socket ready, as Linux reports it (a transfer
// fails with the error or finds the end of file, a wait completes), and the queues are tried
// once now, as after a registration.
void reactor_impl::side_shut(descriptor_state* d, event sides)
{
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->shut = d->shut | sides;
    if (d->shutdown || !has_ops(d))
      return;
    d->look_once = true;
    if (d->perform_queued)
      return; // the perform on its way looks
    post_perform(d);
  }
  post_now(d);
}

void reactor_impl::cancel_op(descriptor_state* d, op_kind kind, reactor_op* op)
{
  op_queue aborted;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    if (!d->queues[kind].erase(op))
      return;
  }
  aborted.push(op);
  abort_ops(aborted);
}

void reactor_impl::abort_ops(op_queue& ops)
{
  const completion_mode mode = shut_down_.load(std::memory_order_acquire)
                                   ? completion_mode::destroy
                                   : completion_mode::post;
  while (reactor_op* op = ops.pop())
  {
    op->ec_ = boost::asio::error::operation_aborted;
    op->bytes_ = 0;
    op->complete(mode);
  }
}

boost::system::error_code reactor_impl::deregister_descriptor(descriptor_state* d)
{
  op_queue aborted;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->shutdown = true;
    for (op_queue& q : d->queues)
      aborted.splice(q);
  }

  // Microsoft's protocol: remove, wait for the remove notification, then close. The caller
  // closes (or hands back) the handle when this returns, so the wait happens here: a handle
  // closed earlier may lose its remove notification, and the state with it.
  bool await = false;
  boost::system::error_code ec;
  if (!remove_registration(d, await, ec))
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->shutdown = false; // the registration is still live: the socket stays usable
  }

  abort_ops(aborted);
  if (ec)
    return ec; // the I/O object keeps its reference
  if (await)
    await_remove(d);
  release(d); // the I/O object's reference
  return {};
}

bool reactor_impl::remove_registration(descriptor_state* d, bool& await,
                                       boost::system::error_code& ec)
{
  std::lock_guard<std::mutex> reg_lock(registration_mutex_);
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    if (!d->registered)
      return true;
  }
  registration r = registration::remove(d->socket, key_of(d));
  // A call that failed whole applied nothing: the registration is live and may still deliver,
  // so the state cannot go. Try again before giving up.
  for (int attempt = 0; attempt < 3; ++attempt)
  {
    port_.apply(&r, 1, ec);
    if (!ec)
      break;
  }
  if (ec)
    return false;
  if (!r.result)
  {
    await = true;
    awaiting_remove_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  // The entry failed: the registration is gone already (the handle was closed or never
  // registered, as far as the port knows) and no remove notification will come, but
  // notifications queued before may. The port is first in, first out: once a fence posted now
  // is dequeued, none can follow, and the registration's reference goes with it.
  post_fence(d);
  return true;
}

void reactor_impl::abandon_descriptor(descriptor_state* d)
{
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->shutdown = true;
  }
  post_fence(d);
  release(d); // the I/O object's reference
}

void reactor_impl::post_fence(descriptor_state* d)
{
  boost::system::error_code ec;
  port_.post(fence_key(d), event::none, ec);
  if (!ec)
    return;
  // Not even a packet can be queued (out of memory): let the registration go now and accept
  // the small risk of a stale notification, rather than keep the state for ever.
  bool drop;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    drop = d->registered;
    d->registered = false;
  }
  if (drop)
    release(d);
}

void reactor_impl::await_remove(descriptor_state* d)
{
  reclaim_port();
  std::unique_lock<std::mutex> lock(remove_mutex_);
  while (!d->remove_seen)
  {
    if (thread_running_)
    {
      // The readiness thread dequeues the notification: the remove itself wakes it.
      remove_cv_.wait(lock);
      continue;
    }
    if (delivery_ == readiness_delivery::io_threads && !shut_down_.load(std::memory_order_acquire))
    {
      // No thread of the reactor's waits in the port, and this may be the only io thread: drain
      // here, delivering everything (other sockets' readiness included). When another thread
      // holds the drain it goes round again for this; a port whose remove notification comes
      // later than the call (PSN may) is asked again shortly.
      lock.unlock();
      drain(drain_kind::dequeue);
      lock.lock();
      if (!d->remove_seen)
        remove_cv_.wait_for(lock, std::chrono::milliseconds(1));
      continue;
    }
    // The service has shut down and nobody else dequeues: this thread does, keeping the
    // removals and fences (the other notifications have no operations left to serve).
    lock.unlock();
    notification notes[64];
    boost::system::error_code ec;
    std::size_t n = port_.process(nullptr, 0, notes, 64, std::chrono::milliseconds(50), ec);
    for (std::size_t i = 0; i < n; ++i)
      if (notes[i].key != wake_key
          && ((notes[i].key & 1u) || has(notes[i].events, event::remove)))
        deliver_removal(notes[i]);
    if (ec)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    lock.lock();
  }
}

void reactor_impl::removal_seen(descriptor_state* d)
{
  std::lock_guard<std::mutex> lock(remove_mutex_);
  d->remove_seen = true;
  remove_cv_.notify_all();
}

void reactor_impl::deliver_removal(const notification& n)
{
  const bool fence = (n.key & 1u) != 0;
  descriptor_state* d = reinterpret_cast<descriptor_state*>(n.key & ~std::uintptr_t(1));
  bool drop;
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    drop = d->registered;
    d->registered = false;
    d->armed = event::none;
    d->arm_active = false;
  }
  if (!fence)
  {
    awaiting_remove_.fetch_sub(1, std::memory_order_relaxed);
    removal_seen(d);
  }
  if (drop)
    release(d); // the registration's reference
}

void descriptor_state::do_complete(void* owner, scheduler_op* base,
                                   const boost::system::error_code&, std::size_t)
{
  // owner is null when the scheduler destroys queued operations at shutdown: nothing to free,
  // the state belongs to the reactor.
  descriptor_state* d = static_cast<descriptor_state*>(base);
  if (owner)
    d->owner->perform(d);
}

void reactor_impl::perform(descriptor_state* d)
{
  op_queue done;
  bool repost = false; // a failed direct registration reports through another perform
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    d->perform_queued = false;
    if (!d->shutdown)
    {
      if (d->reg_error)
      {
        const boost::system::error_code ec = d->reg_error;
        d->reg_error.clear();
        for (op_queue& q : d->queues)
          while (reactor_op* op = q.pop())
          {
            op->ec_ = ec;
            op->bytes_ = 0;
            done.push(op);
          }
      }
      const bool look = d->look_once;
      const event ev = look ? event::none : d->ready;
      d->ready = event::none;
      d->look_once = false;
      auto run = [&](op_kind k) {
        op_queue& q = d->queues[k];
        const event seen = ev | (d->shut & queue_condition[k]);
        while (reactor_op* op = q.front())
        {
          if (!op->perform(seen))
            break;
          q.pop();
          done.push(op);
        }
        if (has(ev, event::hangup) && !q.empty())
          d->hangup_outlived[k] = true;
      };
      if (look || has(ev, read_conditions) || has(d->shut, event::in))
        run(read_op);
      if (look || has(ev, write_conditions) || has(d->shut, event::out))
        run(write_op);
      if (look || has(ev, except_conditions))
        run(except_op);
      // Oneshot registrations are spent by the delivery that led here; persistent ones stay.
      if (rules_.spent_by_delivery())
        repost = (arm(d) == arming::applied_ready);
    }
  }
  if (repost)
    post_now(d);
  // Complete before letting go of the state: a completing operation clears its cancellation
  // slot, whose handler points at the state.
  try
  {
    while (reactor_op* op = done.pop())
      op->complete(completion_mode::dispatch);
  }
  catch (...)
  {
    // A handler threw through an executor that runs it at once and lets the exception go: it
    // leaves run() as with Asio's sockets. The operations that finished with it complete when
    // the context runs again (Asio posts them before it completes the first), and the state is
    // let go.
    while (reactor_op* op = done.pop())
      op->complete(completion_mode::post);
    release(d);
    throw;
  }
  release(d); // the perform task's reference
}

} // namespace detail
} // namespace boost_sockn
