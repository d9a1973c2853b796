//
// boost_sockn/reactor.hpp
//
// The reactor: an execution_context service that owns a notification port. One port call applies
// every pending registration and dequeues ready sockets; the execution context's threads perform
// the non-blocking system calls and complete the handlers. On Linux the io_context's own poller
// waits for the port and the io thread it wakes makes that call; on Windows a readiness thread
// waits in the port and posts the ready sockets. The I/O objects (ip::tcp::socket, ...) use it;
// programs touch it only to choose options or read statistics.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_REACTOR_HPP
#define BOOST_SOCKN_REACTOR_HPP

#include <boost_sockn/notification_port.hpp>

#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace boost_sockn {

/// How the reactor registers sockets with the port.
enum class trigger_policy
{
  automatic,      ///< BOOST_SOCKN_TRIGGER if set, else the measured default (docs/design/trigger-policy-default.md)
  level_oneshot,  ///< re-armed after each notification, batched into the next port call; every backend
  edge_persistent ///< registered once; needs a backend with edge triggers (epoll, psn)
};

/// "automatic", "level_oneshot" or "edge_persistent".
const char* to_string(trigger_policy p) noexcept;

/// Which threads dequeue the port and perform the ready operations (docs/reactor.md, "Delivery").
enum class readiness_delivery
{
  automatic,       ///< BOOST_SOCKN_DELIVERY if set, else io_threads where it can run, else
                   ///< readiness_thread
  io_threads,      ///< the io_context's own poller waits for the port, and the io thread it wakes
                   ///< dequeues and performs in place: no thread hand-off (Linux: epoll, model)
  readiness_thread ///< a thread of the reactor's (sockn-port) waits in the port and posts ready
                   ///< sockets to the io threads: Windows' path, which Linux can force
};

/// "automatic", "io_threads" or "readiness_thread".
const char* to_string(readiness_delivery d) noexcept;

/// Options of one execution context's reactor. Set them with reactor::configure() before the
/// first socket of that context is opened.
struct reactor_options
{
  backend_kind backend = backend_kind::automatic; ///< BOOST_SOCKN_BACKEND overrides automatic
  trigger_policy policy = trigger_policy::automatic;
  std::size_t batch_capacity = 256; ///< notifications dequeued per port call (1..65536)
  /// While the readiness thread waits, an operation that must be (re)armed applies its own
  /// registration (one registration-only port call) instead of waking the thread to batch it.
  /// While the thread is busy, registrations always gather into its next batched call. With
  /// io_threads delivery, registrations made on an io thread always gather into the port call
  /// that follows on that thread; this option applies to those made on other threads.
  bool direct_registration = true;
  readiness_delivery delivery = readiness_delivery::automatic;
};

/// Counters since the reactor started; they make batching visible. Two members are gauges, not
/// counters: awaiting_remove and live_states say how things stand now.
struct reactor_statistics
{
  std::uint64_t process_calls = 0;   ///< port calls that apply a batch or dequeue (made by the
                                     ///< readiness thread, or by io threads draining the port)
  std::uint64_t registrations = 0;   ///< registration entries passed in those calls
  std::uint64_t notifications = 0;   ///< notifications dequeued by those calls (the reactor's own
                                     ///< wake-ups and remove notifications included)
  std::uint64_t direct_registrations = 0; ///< entries applied in a registration-only call of
                                          ///< their own: by a thread that is not an io thread
                                          ///< (io_threads), or while the readiness thread slept
  std::uint64_t wakeups = 0;         ///< posts that woke the readiness thread to batch entries
                                     ///< (direct_registration = false)
  std::uint64_t performs = 0;        ///< ready sockets handed to the execution context
  std::uint64_t speculative = 0;     ///< operations completed at initiation, without the port
  std::uint64_t queued = 0;          ///< operations that had to wait for readiness
  std::uint64_t awaiting_remove = 0; ///< now: closes waiting for the port's remove notification
  std::uint64_t live_states = 0;     ///< now: per-socket states the reactor holds (open sockets,
                                     ///< and closed ones whose state a queued notification or
                                     ///< perform task still refers to); steady under churn

  double registrations_per_call() const noexcept
  { return process_calls ? double(registrations) / double(process_calls) : 0.0; }
  double notifications_per_call() const noexcept
  { return process_calls ? double(notifications) / double(process_calls) : 0.0; }
};

namespace detail {
class reactor_impl;
class descriptor_state;
class reactor_op;
} // namespace detail

/// The service. One per execution context (an io_context; on Linux also a thread_pool or the
/// system_executor's context: docs/reactor.md, "Execution contexts"); created on first use.
class reactor : public boost::asio::execution_context::service
{
public:
  using key_type = reactor;
  static boost::asio::execution_context::id id;

  explicit reactor(boost::asio::execution_context& ctx);
  ~reactor() override;
  reactor(const reactor&) = delete;
  reactor& operator=(const reactor&) = delete;

  /// Sets the options of ctx's reactor. Fails with boost::asio::error::already_started once the
  /// reactor has started (its first socket was opened), and with port errors for a backend or
  /// policy the system cannot provide.
  static void configure(boost::asio::execution_context& ctx, const reactor_options& options);
  static void configure(boost::asio::execution_context& ctx, const reactor_options& options,
                        boost::system::error_code& ec);

  /// Whether a reactor with these options can run here (environment overrides included); if not,
  /// `why` says what is missing.
  static bool available(const reactor_options& options, std::string& why);

  /// The options as given to configure() (or the defaults).
  reactor_options options() const;
  /// The backend and policy in use; before the reactor has started, what it would choose.
  backend_kind backend() const;
  trigger_policy policy() const;
  readiness_delivery delivery() const;

  reactor_statistics statistics() const;

  /// The implementation used by the I/O objects.
  detail::reactor_impl& impl() noexcept { return *impl_; }

private:
  void shutdown() override;

  detail::reactor_impl* impl_;
};

} // namespace boost_sockn

#endif // BOOST_SOCKN_REACTOR_HPP
