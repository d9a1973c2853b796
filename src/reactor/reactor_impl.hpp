//
// src/reactor/reactor_impl.hpp
//
// The reactor's internals: per-socket state, and the two ways readiness reaches the io threads
// (their own drain, or the readiness thread). No operating-system code lives here; the port
// backends, the poller watch and the socket-call layer hold it.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_REACTOR_IMPL_HPP
#define BOOST_SOCKN_SRC_REACTOR_IMPL_HPP

#include <boost_sockn/detail/reactor_service.hpp>
#include <boost_sockn/notification_port.hpp>
#include <boost_sockn/reactor.hpp>

#include "poller_watch.hpp"
#include "trigger_rules.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/detail/operation.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace boost_sockn {
namespace detail {

// Ready sockets are handed to the context's scheduler as operations it runs on its own threads,
// the way Asio's reactors hand over theirs: the operation lives in the socket's state, so the
// hand-over allocates nothing. (The scheduler's types are Asio internals; this is the only place
// the reactor depends on them.)
using scheduler_impl = boost::asio::detail::io_context_impl;
using scheduler_op = boost::asio::detail::operation;

/// A socket's state. It is itself the operation the scheduler runs to perform the socket's
/// ready operations (as Asio's descriptor_state is), so handing it over allocates nothing.
class descriptor_state : public scheduler_op
{
public:
  descriptor_state() : scheduler_op(&descriptor_state::do_complete) {}

  std::mutex mutex;
  reactor_impl* owner = nullptr;
  native_socket_type socket{};
  op_queue queues[max_ops];

  // Guarded by `mutex`.
  event armed = event::none;      // filter of the enabled, not yet delivered registration
  bool arm_active = false;        // a registration is enabled and not yet delivered (oneshot)
  event ready = event::none;      // notified conditions the next perform has to act on
  bool look_once = false;         // the next perform tries every queue, the port having said nothing
  event shut = event::none;       // sides the socket shut (in, out): their queues count them ready
  boost::system::error_code reg_error; // a failed enable, reported to the queued operations
  unsigned refs = 0;              // I/O object + port registration + pending entry + perform task
  bool registered = false;        // the port holds a registration for this state
  bool in_pending = false;        // listed for the readiness thread's next batch
  bool perform_queued = false;    // the state is posted to the execution context to perform
  bool shutdown = false;          // the I/O object let go; only the remove is awaited
  bool hangup_outlived[max_ops] = {}; // a queue's operations outlived a hang-up: stop asking
  unsigned deliveries = 0;        // notifications delivered so far: a batch built before one
                                  // may have had its arming spent by it (apply_result)

  // Guarded by the reactor's remove_mutex_.
  bool remove_seen = false;       // the remove notification (or the fence) was dequeued

  // Guarded by the reactor's mutex: the list of live states, for service shutdown.
  descriptor_state* live_prev = nullptr;
  descriptor_state* live_next = nullptr;

private:
  static void do_complete(void* owner, scheduler_op* base, const boost::system::error_code&,
                          std::size_t);
};

class reactor_impl;

/// The follow-up drain: a scheduler operation of the reactor's own, posted when a drain's turn
/// ended with news left in the port.
class drain_operation : public scheduler_op
{
public:
  explicit drain_operation(reactor_impl* r)
    : scheduler_op(&drain_operation::do_complete), reactor(r)
  {
  }

  reactor_impl* reactor;

private:
  static void do_complete(void* owner, scheduler_op* base, const boost::system::error_code&,
                          std::size_t);
};

/// What a drain's port call does besides applying the listed registrations.
enum class drain_kind
{
  none,   ///< (no follow-up is due)
  apply,  ///< only apply: made for registrations listed by the io threads
  dequeue ///< also dequeue: the poller signalled, or a turn left notifications behind
};

/// What the options come to on this system (reactor_impl::resolve).
struct resolved_options
{
  backend_kind backend = backend_kind::automatic;
  trigger_policy policy = trigger_policy::automatic;
  readiness_delivery delivery = readiness_delivery::automatic;
};

/// What arming a socket's registration came to (reactor_impl::arm).
enum class arming
{
  not_needed,   ///< nothing to register: no operation waits, or the registration covers them
  listed,       ///< listed for the next batched port call (the readiness thread's or a drain's)
  applied,      ///< applied at once by the calling thread
  applied_ready ///< applied at once, and a perform is due (an edge registration looks once, or
                ///< the entry failed and the operations must hear it): call post_now
};

// Keys: a state's address (even: states are aligned) is its registration's key, and the same
// address with the low bit set marks the fence posted when its remove failed. Wake-ups carry a
// key that is neither.
inline constexpr std::uintptr_t wake_key = ~std::uintptr_t(0);

inline std::uintptr_t key_of(const descriptor_state* d) noexcept
{
  return reinterpret_cast<std::uintptr_t>(d);
}

inline std::uintptr_t fence_key(const descriptor_state* d) noexcept { return key_of(d) | 1u; }

inline constexpr event read_conditions = event::in | event::hangup | event::error;
inline constexpr event write_conditions = event::out | event::hangup | event::error;
inline constexpr event except_conditions = event::hangup | event::error;
/// The condition each queue's operations wait for (read, write, except); the except queue's
/// wait for errors and hang-ups alone.
inline constexpr event queue_condition[max_ops] = {event::in, event::out, event::none};

class reactor_impl
{
public:
  explicit reactor_impl(boost::asio::execution_context& ctx);
  ~reactor_impl();

  void configure(const reactor_options& o, boost::system::error_code& ec, std::string& why);
  reactor_options options() const;
  backend_kind backend() const;
  trigger_policy policy() const;
  readiness_delivery delivery() const;
  reactor_statistics statistics() const;

  descriptor_state* register_descriptor(native_socket_type s, boost::system::error_code& ec);
  void start_op(descriptor_state* d, op_kind kind, reactor_op* op, bool allow_speculative);
  void cancel_ops(descriptor_state* d);
  void side_shut(descriptor_state* d, event sides);
  void cancel_op(descriptor_state* d, op_kind kind, reactor_op* op);
  /// Lets go of `d`'s socket: aborts its operations and removes its registration, waiting for
  /// the remove notification. Fails (leaving the registration) only when the port call fails
  /// whole, repeatedly; the state is then kept shut down.
  boost::system::error_code deregister_descriptor(descriptor_state* d);
  /// After a failed deregister_descriptor: the caller closed the handle, which deregisters it
  /// silently; the state is freed once the notifications already queued for it are dequeued.
  void abandon_descriptor(descriptor_state* d);
  bool edge() const noexcept { return rules_.edge(); }
  /// Why this reactor cannot serve a socket, when `ec` is the error that says it cannot (an
  /// unusable configuration, a context without io_context's scheduler); else empty.
  std::string explain(const boost::system::error_code& ec) const;

  /// Runs the ready operations of `d` on an execution-context thread.
  void perform(descriptor_state* d);

  void shutdown();

  /// Resolves automatic choices and environment overrides.
  static resolved_options resolve(const reactor_options& in, boost::system::error_code& ec,
                                  std::string& why);

  /// One turn of port calls on the calling io thread, whose ready states it performs next; if
  /// another thread holds the drain, that one goes round again instead. io_threads delivery
  /// drains whenever the poller signals; readiness_thread delivery while the port is lent.
  void drain(drain_kind kind);
  /// The follow-up drain, run from the scheduler.
  void follow_up();

private:
  void start(boost::system::error_code& ec);   // opens the port, starts the delivery;
                                               // start_mutex_ held, mutex_ not
  void start_thread(boost::system::error_code& ec); // start's, for readiness_thread delivery
  void run();                                  // the readiness thread
  static void drain_from_poller(void* self);   // poller_watch's callback
  void post_follow_up(drain_kind kind);        // no lock held
  void build_batch(std::vector<descriptor_state*>& states, std::vector<registration>& regs);
  // The three steps of a port call's results; `ready` collects the states whose perform is due,
  // and is the calling thread's own (the readiness thread and a drain may deliver at once).
  void apply_results(std::vector<descriptor_state*>& states, std::vector<registration>& regs,
                     std::vector<descriptor_state*>& ready);
  void deliver(const notification* n, std::size_t count, std::vector<descriptor_state*>& ready);
  arming arm(descriptor_state* d);                 // d->mutex held: the one place that decides
  bool list_for_batch(descriptor_state* d);        // arm's: false when d is to be applied now
  bool apply_now(descriptor_state* d);             // arm's: true when a perform is due
  void post_now(descriptor_state* d);              // hands d to the scheduler; no lock held
  void abort_ops(op_queue& ops);                   // operation_aborted, posted (or destroyed
                                                   // once shut down); no lock held
  bool entry_for(descriptor_state* d, registration& r) const; // d->mutex held
  // d->mutex held; true: post. `built_at` is d->deliveries when the entry was built.
  bool apply_result(descriptor_state* d, const registration& r, unsigned built_at);
  void post_perform(descriptor_state* d);          // d->mutex held; posted by flush_performs
  // Posts the perform tasks of `ready` and empties it; no lock held. From a drain they are
  // continuations of the draining io thread, from the readiness thread shared work.
  void flush_performs(std::vector<descriptor_state*>& ready, bool from_io_thread);
  bool lend_port(std::unique_lock<std::mutex>& lock); // the readiness thread's; mutex_ held
  void reclaim_port();                             // a closing thread's; no lock held
  event wanted(const descriptor_state* d) const;   // d->mutex held
  bool ready_work(const descriptor_state* d) const; // d->mutex held: ready bits meet queued ops
  bool needs_arming(const descriptor_state* d) const; // d->mutex held: a (re)enable is due
  bool has_ops(const descriptor_state* d) const;   // d->mutex held
  // Applies the remove of d's registration; false when the port call failed whole (ec), and
  // `await` when its remove notification is to come.
  bool remove_registration(descriptor_state* d, bool& await, boost::system::error_code& ec);
  void post_fence(descriptor_state* d);            // no remove will come: a fence ends it
  void await_remove(descriptor_state* d);          // until the remove notification is dequeued
  void removal_seen(descriptor_state* d);          // wakes the thread awaiting d's removal
  void deliver_removal(const notification& n);     // a remove notification or a fence
  void release(descriptor_state* d);               // drops one reference; d->mutex not held
  void free_state(descriptor_state* d);

  scheduler_impl* scheduler_ = nullptr;

  // Held while the reactor starts (the first socket): before mutex_, and before the poller's own
  // locks, which a drain holds while it takes mutex_.
  std::mutex start_mutex_;
  mutable std::mutex mutex_;            // options, pending list, sleeping and draining flags,
                                        // live list
  reactor_options options_;
  std::atomic<bool> started_{false};    // set under mutex_ once the delivery runs
  bool sleeping_ = false;               // the thread waits in the port with nothing to apply
  bool wake_posted_ = false;            // a wake-up is on its way (batched registration mode)
  bool draining_ = false;               // an io thread drains the port (io_threads)
  bool drain_again_ = false;            // news came during that drain: it goes round again
  bool drain_posted_ = false;           // the follow-up drain is queued
  drain_kind follow_up_kind_ = drain_kind::apply; // what the queued follow-up does
  unsigned follow_up_yields_ = 0;       // times the queued follow-up went behind the handlers
  std::size_t listed_at_yield_ = 0;     // pending_'s size at its last yield
  bool holder_dequeues_ = false;        // a caller that found the drain taken wanted a dequeue
  bool lent_ = false;                   // readiness_thread: the io threads hold the port; the
                                        // thread waits on lend_cv_ until they give it back
  std::uint64_t lent_turns_ = 0;        // drains made with the port lent: the thread's sign
                                        // that the io threads are still at it
  std::condition_variable lend_cv_;
  std::vector<descriptor_state*> pending_;
  descriptor_state* live_ = nullptr;
  // The length of live_: changed under mutex_, read without it by statistics().
  std::atomic<std::uint64_t> live_count_{0};
  std::vector<descriptor_state*> free_;

  // Held while the readiness thread builds and applies a batch, and while a socket's registration
  // is removed: no enable built before a close can reach the port after it.
  std::mutex registration_mutex_;

  // Closing threads wait here for their remove notification (descriptor_state::remove_seen).
  std::mutex remove_mutex_;
  std::condition_variable remove_cv_;
  bool thread_running_ = false;         // guarded by remove_mutex_: someone dequeues the port
  std::atomic<std::uint64_t> awaiting_remove_{0};

  notification_port port_;
  readiness_delivery delivery_ = readiness_delivery::readiness_thread;
  poller_watch watch_;
  drain_operation drain_op_{this};
  trigger_rules rules_ = trigger_rules::level_oneshot(); // fixed when the reactor starts
  trigger_policy policy_ = trigger_policy::level_oneshot;
  std::thread thread_;
  // Set once, under mutex_, by shutdown(): from then on the readiness thread ends, nothing is
  // posted, and operations are destroyed instead of completed. Read without the lock too.
  std::atomic<bool> shut_down_{false};

  // Scratch of the batch being applied (registration_mutex_ held).
  std::vector<descriptor_state*> batch_;   // the state of each entry of the current batch
  std::vector<unsigned> batch_built_at_;   // and its deliveries count when the entry was built
  // Scratch of the io thread holding the drain.
  std::vector<descriptor_state*> drain_ready_; // the drain's states whose perform task is due
  std::vector<descriptor_state*> drain_states_;
  std::vector<registration> drain_regs_;
  std::vector<notification> drain_notes_;
  unsigned failed_turns_ = 0;              // port calls failed in a row

  std::atomic<std::uint64_t> process_calls_{0}, registrations_{0}, notifications_{0},
      performs_{0}, speculative_{0}, queued_{0}, direct_registrations_{0}, wakeups_{0};
};

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_SRC_REACTOR_IMPL_HPP
