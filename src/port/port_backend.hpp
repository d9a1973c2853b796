//
// src/port/port_backend.hpp
//
// The interface every notification-port backend implements, and the table through which the
// front end (notification_port.cpp) finds the backends compiled for this operating system.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_PORT_BACKEND_HPP
#define BOOST_SOCKN_SRC_PORT_PORT_BACKEND_HPP

#include <boost_sockn/notification_port.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace boost_sockn {
namespace detail {

class port_backend
{
public:
  virtual ~port_backend() = default;

  virtual backend_kind kind() const noexcept = 0;

  /// Applies the entries whose `result` is clear (the front end has already rejected the others
  /// and set their result), then dequeues as notification_port::process() describes. `capacity`
  /// is never 0 when `timeout` is not zero.
  virtual std::size_t process(registration* regs, std::size_t count, notification* out,
                              std::size_t capacity, std::chrono::milliseconds timeout,
                              boost::system::error_code& ec) = 0;

  virtual void post(std::uintptr_t key, event events, boost::system::error_code& ec) = 0;

  /// A descriptor that another poller (the io_context's epoll) can wait on: it signals, edge
  /// style, whenever something new may be dequeued. Asking commits the backend to signal it for
  /// every notification, not only while a thread waits in process(). -1 where there is none.
  virtual int pollable_descriptor() noexcept { return -1; }
};

/// One backend compiled into this build.
struct backend_entry
{
  backend_kind kind;
  bool automatic; ///< a candidate for backend_kind::automatic (the model never is)
  bool edge_triggers; ///< honours trigger::edge (known without opening a port)
  bool pollable;      ///< has a pollable_descriptor() (known without opening a port)
  /// True if usable here; otherwise sets `why`.
  bool (*probe)(std::string& why);
  std::unique_ptr<port_backend> (*create)(boost::system::error_code& ec);
};

/// Constructs a backend whose constructor reports failure through `ec`.
template <class Backend>
std::unique_ptr<port_backend> create_backend(boost::system::error_code& ec)
{
  std::unique_ptr<port_backend> p(new Backend(ec));
  if (ec) p.reset();
  return p;
}

/// Each backend file defines its entry; backends_<os>.cpp lists those of its OS.
extern const backend_entry epoll_backend_entry;
extern const backend_entry afd_backend_entry;
extern const backend_entry psn_backend_entry;
extern const backend_entry model_backend_entry;

/// The backends of this build, best first (the order backend_kind::automatic tries the ones
/// marked automatic).
/// Defined once per operating system (backends_posix.cpp, backends_windows.cpp).
const backend_entry* backend_table(std::size_t& count) noexcept;

/// Splits a wait into slices the OS call accepts and tracks the remaining time across the
/// retries a backend makes when a wake-up produced no notification.
class wait_deadline
{
public:
  explicit wait_deadline(std::chrono::milliseconds timeout)
    : infinite_(timeout == notification_port::infinite),
      end_(infinite_ || timeout.count() <= 0 ? clock::time_point()
                                             : clock::now() + timeout),
      zero_(!infinite_ && timeout.count() <= 0)
  {
  }

  /// Milliseconds left, rounded up so that a wait never returns before the deadline; `cap` bounds
  /// a finite result (the OS call's own maximum).
  long long remaining_ms(long long cap) const noexcept
  {
    if (infinite_) return -1;
    if (zero_) return 0;
    auto left = end_ - clock::now();
    if (left <= clock::duration::zero()) return 0;
    long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     left + std::chrono::milliseconds(1) - clock::duration(1)).count();
    return ms > cap ? cap : ms;
  }

  bool expired() const noexcept { return !infinite_ && remaining_ms(1) == 0; }

private:
  using clock = std::chrono::steady_clock;
  bool infinite_;
  clock::time_point end_;
  bool zero_;
};

/// The notification bits a registration may report: its filter plus the unrequested ones.
inline event reportable(event filter) noexcept
{
  return (filter & (event::in | event::out | event::hangup)) | event::error;
}

} // namespace detail
} // namespace boost_sockn

#endif
