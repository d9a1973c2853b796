//
// src/reactor/reactor.cpp
//
// The reactor service as the program and the I/O objects see it: the service object, starting
// (the port, and the io threads' watch or the readiness thread) and shutting down, the
// statistics, and the functions the I/O objects call. A socket's life in the reactor is in
// socket_state.cpp; how readiness reaches the io threads (their own drain of the port, or the
// readiness thread) in delivery.cpp, with the poller watch in poller_watch_*.cpp; what the
// reactor is configured with, and why a configuration fails, in configuration.cpp.
//
// Locking, for all of them: a state's mutex may be followed by the reactor's mutex_, never the
// other way round; registration_mutex_ comes before both. The delivering thread takes a state's
// mutex only without mutex_ held. Asio's lock for the port's descriptor (held while the poller
// runs a drain) comes before all three, and start_mutex_ before that; the scheduler's own lock
// comes after every one of them.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"
#include "../port/thread_name.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

namespace boost_sockn {
namespace detail {

reactor_impl::reactor_impl(boost::asio::execution_context& ctx)
{
  // Ready sockets are handed to the context's own threads: io_context (and, where it shares the
  // scheduler type, thread_pool) qualify.
  if (boost::asio::has_service<scheduler_impl>(ctx))
  {
    scheduler_ = &boost::asio::use_service<scheduler_impl>(ctx);
    // Before this service is registered: the poller then outlives it (poller_watch.hpp).
    if (poller_watch::available())
      watch_.prepare(ctx);
  }
}

reactor_impl::~reactor_impl()
{
  shutdown();
  descriptor_state* d = live_;
  while (d)
  {
    descriptor_state* next = d->live_next;
    delete d;
    d = next;
  }
  for (descriptor_state* f : free_)
    delete f;
}

reactor_statistics reactor_impl::statistics() const
{
  reactor_statistics s;
  s.process_calls = process_calls_.load(std::memory_order_relaxed);
  s.registrations = registrations_.load(std::memory_order_relaxed);
  s.notifications = notifications_.load(std::memory_order_relaxed);
  s.performs = performs_.load(std::memory_order_relaxed);
  s.speculative = speculative_.load(std::memory_order_relaxed);
  s.queued = queued_.load(std::memory_order_relaxed);
  s.direct_registrations = direct_registrations_.load(std::memory_order_relaxed);
  s.wakeups = wakeups_.load(std::memory_order_relaxed);
  s.awaiting_remove = awaiting_remove_.load(std::memory_order_relaxed);
  s.live_states = live_count_.load(std::memory_order_relaxed);
  return s;
}

//--------------------------------------------------------------------------------------------------
// Starting and stopping
//--------------------------------------------------------------------------------------------------

void reactor_impl::start(boost::system::error_code& ec)
{
  reactor_options o;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load(std::memory_order_relaxed))
    {
      ec = boost::asio::error::operation_aborted;
      return;
    }
    o = options_;
  }
  std::string why;
  const resolved_options r = resolve(o, ec, why);
  if (ec)
    return;
  port_.open(r.backend, ec);
  if (ec)
    return;
  policy_ = r.policy;
  rules_ = r.policy == trigger_policy::edge_persistent ? trigger_rules::edge_persistent()
                                                       : trigger_rules::level_oneshot();
  delivery_ = r.delivery;
  drain_notes_.resize(o.batch_capacity); // readiness_thread drains too, while the port is lent
  if (delivery_ == readiness_delivery::io_threads)
    watch_.start(port_.pollable_descriptor(), &reactor_impl::drain_from_poller, this, ec);
  else
    start_thread(ec);
  if (ec)
  {
    port_.close();
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  started_.store(true, std::memory_order_release);
}

void reactor_impl::start_thread(boost::system::error_code& ec)
{
  {
    std::lock_guard<std::mutex> lock(remove_mutex_);
    thread_running_ = true;
  }
  try
  {
    thread_ = std::thread([this] {
      name_this_thread(readiness_thread_name);
      run();
      // Closing threads that still wait for a remove notification dequeue it themselves now.
      std::lock_guard<std::mutex> lock(remove_mutex_);
      thread_running_ = false;
      remove_cv_.notify_all();
    });
  }
  catch (const std::system_error& e)
  {
    std::lock_guard<std::mutex> lock(remove_mutex_);
    thread_running_ = false;
    ec = e.code();
  }
}

void reactor_impl::shutdown()
{
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_.load(std::memory_order_relaxed))
      return;
    shut_down_.store(true, std::memory_order_release);
    lend_cv_.notify_all();
  }
  if (thread_.joinable())
  {
    boost::system::error_code ignored;
    port_.post(wake_key, event::none, ignored);
    thread_.join();
  }
  // io_threads: no drain starts now; one under way on another thread ends at its next look at
  // the flag, and must have ended before the operations it may still hand over are destroyed.
  watch_.stop();
  for (;;)
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!draining_)
        break;
    }
    std::this_thread::yield();
  }

  // Destroy, never invoke, what is still queued; outside every lock, since a handler's
  // destructor may destroy a socket that calls back into this reactor.
  std::vector<descriptor_state*> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (descriptor_state* d = live_; d; d = d->live_next)
      all.push_back(d);
  }
  op_queue ops;
  for (descriptor_state* d : all)
  {
    std::lock_guard<std::mutex> lock(d->mutex);
    for (op_queue& q : d->queues)
      ops.splice(q);
  }
  while (reactor_op* op = ops.pop())
    op->complete(completion_mode::destroy);
}

//--------------------------------------------------------------------------------------------------
// The functions the I/O objects call
//--------------------------------------------------------------------------------------------------

BOOST_SOCKN_ABI_BEGIN

reactor_impl& reactor_of(boost::asio::execution_context& ctx)
{
  return boost::asio::use_service<reactor>(ctx).impl();
}

descriptor_state* register_descriptor(reactor_impl& r, native_socket_type s,
                                      boost::system::error_code& ec)
{
  return r.register_descriptor(s, ec);
}

void start_op(descriptor_state* d, op_kind kind, reactor_op* op, bool allow_speculative)
{
  d->owner->start_op(d, kind, op, allow_speculative);
}

void cancel_ops(descriptor_state* d) { d->owner->cancel_ops(d); }
void side_shut(descriptor_state* d, event sides) { d->owner->side_shut(d, sides); }

void cancel_op(descriptor_state* d, op_kind kind, reactor_op* op)
{
  d->owner->cancel_op(d, kind, op);
}

boost::system::error_code deregister_descriptor(descriptor_state* d)
{
  return d->owner->deregister_descriptor(d);
}

void abandon_descriptor(descriptor_state* d) { d->owner->abandon_descriptor(d); }

bool edge_triggered(const descriptor_state* d) noexcept { return d->owner->edge(); }

BOOST_SOCKN_ABI_END

} // namespace detail

//--------------------------------------------------------------------------------------------------
// The service
//--------------------------------------------------------------------------------------------------

boost::asio::execution_context::id reactor::id;

reactor::reactor(boost::asio::execution_context& ctx)
  : boost::asio::execution_context::service(ctx), impl_(new detail::reactor_impl(ctx))
{
}

reactor::~reactor() { delete impl_; }

void reactor::shutdown() { impl_->shutdown(); }

reactor_options reactor::options() const { return impl_->options(); }
backend_kind reactor::backend() const { return impl_->backend(); }
trigger_policy reactor::policy() const { return impl_->policy(); }
readiness_delivery reactor::delivery() const { return impl_->delivery(); }
reactor_statistics reactor::statistics() const { return impl_->statistics(); }

} // namespace boost_sockn
