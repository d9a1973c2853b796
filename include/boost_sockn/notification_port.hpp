//
// boost_sockn/notification_port.hpp
//
// The ProcessSocketNotifications (PSN) contract as a C++ API: one call applies a batch of socket
// registrations and then dequeues readiness notifications from a completion queue. The same
// contract is provided by every backend (native PSN, AFD polling on older Windows and Wine, epoll
// on Linux); docs/port.md states it in full together with each backend's deviations.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_NOTIFICATION_PORT_HPP
#define BOOST_SOCKN_NOTIFICATION_PORT_HPP

#include <boost_sockn/port_error.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace boost_sockn {

/// The operating system's socket handle (SOCKET on Windows, a file descriptor elsewhere).
/// Identical to boost::asio::detail::socket_type; the backends check that at compile time.
#if defined(_WIN32)
using native_socket_type = std::uintptr_t;
#else
using native_socket_type = int;
#endif

/// Readiness conditions, with the values of PSN's SOCK_NOTIFY_EVENT_* / SOCK_NOTIFY_REGISTER_EVENT_*.
/// in, out and hangup may be requested in a registration's filter; error and remove are reported
/// whether requested or not.
enum class event : std::uint16_t
{
  none = 0x00,
  in = 0x01,      ///< data (or a pending connection, or end of stream) can be read without blocking
  out = 0x02,     ///< data can be written without blocking; a connect attempt has completed
  hangup = 0x04,  ///< a stream connection was closed or aborted by the peer
  error = 0x40,   ///< the socket is in an error state
  remove = 0x80   ///< the registration has been removed: the last notification for its key
};

/// What a registration entry asks the port to do (PSN's SOCK_NOTIFY_OP_*).
enum class port_op : std::uint8_t
{
  none = 0x00,    ///< no change: the entry only reports success
  enable = 0x01,  ///< register the socket, or replace the filter and trigger of its registration
  disable = 0x02, ///< keep the registration but queue no new notifications until enabled again
  remove = 0x04   ///< end the registration; exactly one notification with event::remove follows
};

/// How notifications are delivered (PSN's SOCK_NOTIFY_TRIGGER_*). An enable names exactly one of
/// oneshot/persistent and exactly one of level/edge.
enum class trigger : std::uint8_t
{
  none = 0x00,
  oneshot = 0x01,    ///< the registration is disabled when a notification is delivered
  persistent = 0x02, ///< the registration stays enabled until disabled or removed
  level = 0x04,      ///< notify whenever a requested condition holds
  edge = 0x08        ///< notify when a requested condition changes from not holding to holding
};

constexpr event operator|(event a, event b) noexcept
{ return static_cast<event>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b)); }
constexpr event operator&(event a, event b) noexcept
{ return static_cast<event>(static_cast<std::uint16_t>(a) & static_cast<std::uint16_t>(b)); }
constexpr event operator~(event a) noexcept
{ return static_cast<event>(~static_cast<std::uint16_t>(a) & 0xC7u); }
constexpr event& operator|=(event& a, event b) noexcept { return a = a | b; }
constexpr event& operator&=(event& a, event b) noexcept { return a = a & b; }
/// True if any bit of `b` is set in `a`.
constexpr bool has(event a, event b) noexcept { return (a & b) != event::none; }

constexpr trigger operator|(trigger a, trigger b) noexcept
{ return static_cast<trigger>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b)); }
constexpr trigger operator&(trigger a, trigger b) noexcept
{ return static_cast<trigger>(static_cast<std::uint8_t>(a) & static_cast<std::uint8_t>(b)); }
constexpr bool has(trigger a, trigger b) noexcept { return (a & b) != trigger::none; }

/// One entry of a batched registration call. After process() returns, `result` holds this
/// entry's own outcome (success means it took effect).
struct registration
{
  native_socket_type socket{};
  std::uintptr_t key = 0; ///< fixed when the registration is created; reported in notifications
  event filter = event::none;
  port_op op = port_op::none;
  trigger triggers = trigger::none;
  boost::system::error_code result;

  /// Build an entry and nothing more: the port acts on it only when it is passed to process().
  /// Every entry names the registration's key: a disable or remove under another key fails with
  /// port_errc::key_mismatch.
  static constexpr registration enable(native_socket_type s, std::uintptr_t key, event filter,
                                       trigger t) noexcept
  { return registration{s, key, filter, port_op::enable, t, {}}; }
  static constexpr registration disable(native_socket_type s, std::uintptr_t key) noexcept
  { return registration{s, key, event::none, port_op::disable, trigger::none, {}}; }
  static constexpr registration remove(native_socket_type s, std::uintptr_t key) noexcept
  { return registration{s, key, event::none, port_op::remove, trigger::none, {}}; }
};

/// One dequeued notification: the registration's key and the coalesced conditions, or a packet
/// queued with notification_port::post().
struct notification
{
  std::uintptr_t key = 0;
  event events = event::none;
};

/// The implementations of the contract.
enum class backend_kind
{
  automatic, ///< psn where the system has it, else afd (Windows); epoll (Linux)
  psn,       ///< ProcessSocketNotifications, Windows 10 build 20348+ / Windows 11 / Server 2022
  afd,       ///< IOCTL_AFD_POLL on an I/O completion port: older Windows and Wine
  epoll,     ///< Linux epoll
  model      ///< a strict model of PSN over the system's backend, for tests; never automatic
             ///< (boost_sockn/port_model.hpp)
};

/// "psn", "afd", "epoll", "model" or "automatic".
const char* to_string(backend_kind k) noexcept;

namespace detail { class port_backend; }

/// A notification port: a completion queue on which sockets are registered for readiness.
///
/// Thread safety: process() may be called from several threads at once, and a registration-only
/// call (no notification capacity) may run on any thread while another thread waits in process().
/// post() may be called from any thread.
class notification_port
{
public:
  /// A timeout that never expires.
  /// (Parenthesised: a program may include <windows.h> without NOMINMAX before this header.)
  static constexpr std::chrono::milliseconds infinite = (std::chrono::milliseconds::max)();

  /// Creates a port that is not open.
  notification_port() noexcept;

  /// Opens a port on the given backend. With backend_kind::automatic, the environment variable
  /// BOOST_SOCKN_BACKEND ("psn", "afd", "epoll", "model") overrides the choice.
  /// @throws boost::system::system_error naming what is missing when the backend is unavailable.
  explicit notification_port(backend_kind kind);

  notification_port(notification_port&& other) noexcept;
  notification_port& operator=(notification_port&& other) noexcept;
  ~notification_port();

  /// Opens the port (see the constructor). An open port is left as it is and the call fails with
  /// port_errc::already_open: close it first to change backends.
  void open(backend_kind kind = backend_kind::automatic);
  void open(backend_kind kind, boost::system::error_code& ec);
  bool is_open() const noexcept;

  /// Closes the port. Registrations end without remove notifications; pending kernel requests are
  /// cancelled and awaited before memory is released.
  void close() noexcept;

  /// The backend actually in use (never automatic once open).
  backend_kind backend() const noexcept;

  /// True if this port honours the trigger combination exactly. An enable that asks for a
  /// combination it does not support fails with port_errc::unsupported_trigger.
  bool supports(trigger t) const noexcept;

  /// Whether ports of backend `kind` honour the trigger combination, known without opening one
  /// (for backend_kind::automatic: the backend it resolves to). False for a backend not compiled
  /// into this build.
  static bool supports(backend_kind kind, trigger t);

  /// Linux: a descriptor that becomes readable (edge style: once per batch of news) whenever
  /// process() may have something new to dequeue, so that a program's own poller can wait for
  /// the port instead of a thread blocked in process(). Once asked for, it is kept signalled
  /// for every notification. -1 when the port is closed or its backend has none (Windows: its
  /// port is a completion port).
  int pollable_descriptor() noexcept;

  /// Whether ports of `kind` have a pollable_descriptor(), known without opening one.
  static bool pollable(backend_kind kind);

  /// Applies every registration in order, then dequeues up to `capacity` notifications, waiting
  /// up to `timeout` for the first one (zero: do not wait; notification_port::infinite: no limit).
  /// Returns the number dequeued; 0 on timeout, which is not an error.
  ///
  /// Each entry's `result` reports that entry's outcome. The call fails as a whole (`ec` set) only
  /// for bad arguments or a closed port, before anything is applied (every entry then carries the
  /// call's error), or when the wait itself fails after the entries were applied.
  /// With capacity 0 the call only registers; `notifications` may then be null.
  std::size_t process(registration* registrations, std::size_t count,
                      notification* notifications, std::size_t capacity,
                      std::chrono::milliseconds timeout, boost::system::error_code& ec);

  /// Throwing overload.
  std::size_t process(registration* registrations, std::size_t count,
                      notification* notifications, std::size_t capacity,
                      std::chrono::milliseconds timeout);

  /// Registration-only call (no dequeue).
  void apply(registration* registrations, std::size_t count, boost::system::error_code& ec)
  { process(registrations, count, nullptr, 0, std::chrono::milliseconds(0), ec); }

  /// Queues a user notification {key, events} and wakes one waiter (the role of
  /// PostQueuedCompletionStatus). Posted notifications are not coalesced.
  void post(std::uintptr_t key, event events, boost::system::error_code& ec);
  void post(std::uintptr_t key, event events);

  /// True if the backend is compiled in and usable on this system; otherwise `why` says what is
  /// missing. For backend_kind::automatic: whether open(automatic) would find a backend.
  static bool available(backend_kind kind, std::string& why);

  /// The backend backend_kind::automatic selects on this system (BOOST_SOCKN_BACKEND included).
  static backend_kind resolve(backend_kind kind, boost::system::error_code& ec, std::string& why);

private:
  std::unique_ptr<detail::port_backend> impl_;
  bool edge_ = false; // the open backend honours trigger::edge
};

} // namespace boost_sockn

#endif // BOOST_SOCKN_NOTIFICATION_PORT_HPP
