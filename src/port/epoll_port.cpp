//
// src/port/epoll_port.cpp
//
// The notification-port contract on Linux epoll.
//
// How the PSN rules map (docs/port.md has the user-facing version):
// - key and trigger live in a user-space slot indexed by fd; the kernel item's data carries the
//   fd and a generation, so an event dequeued for a registration that has since been removed, or
//   whose fd was closed and reused, is recognised as stale and dropped;
// - remove and post() have no kernel form: they go to a user-space queue signalled by an eventfd
//   that sits in the epoll set;
// - epoll reports EPOLLERR/EPOLLHUP even for an empty mask, so "disabled" means "not in the kernel
//   set" (EPOLL_CTL_DEL, re-added on enable), and a fired EPOLLONESHOT item (fully silent until
//   EPOLL_CTL_MOD) is how oneshot disarms in, out and hangup together;
// - EPOLLET is looser than PSN's edge (it re-fires on every arrival and reports a condition that
//   already holds at enable): extra notifications are allowed by the contract, missing ones not.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "port_backend.hpp"

#include <boost/asio/detail/socket_types.hpp>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <deque>
#include <mutex>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static_assert(std::is_same<boost_sockn::native_socket_type, boost::asio::detail::socket_type>::value,
              "native_socket_type must be Asio's socket type");

namespace boost_sockn {
namespace detail {
namespace {

boost::system::error_code errno_code(int e) noexcept
{
  return boost::system::error_code(e, boost::system::system_category());
}

constexpr std::uint64_t wake_data = ~std::uint64_t(0);

class epoll_port final : public port_backend
{
public:
  explicit epoll_port(boost::system::error_code& ec)
  {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0)
    {
      ec = errno_code(errno);
      return;
    }
    evfd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (evfd_ < 0)
    {
      ec = errno_code(errno);
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = wake_data;
    if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, evfd_, &ev) != 0) ec = errno_code(errno);
  }

  ~epoll_port() override
  {
    if (evfd_ >= 0) ::close(evfd_);
    if (epfd_ >= 0) ::close(epfd_);
  }

  backend_kind kind() const noexcept override { return backend_kind::epoll; }

  std::size_t process(registration* regs, std::size_t count, notification* out,
                      std::size_t capacity, std::chrono::milliseconds timeout,
                      boost::system::error_code& ec) override
  {
    if (count)
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t i = 0; i < count; ++i)
        if (!regs[i].result) regs[i].result = apply(regs[i]);
    }
    if (capacity == 0) return 0;

    // One kernel event never yields more than one notification, so the kernel batch is bounded
    // by the caller's capacity; the buffer is per thread because several threads may wait.
    thread_local std::vector<epoll_event> events;
    const std::size_t batch = capacity < 1024 ? capacity : 1024;
    if (events.size() < batch) events.resize(batch);

    wait_deadline deadline(timeout);
    for (;;)
    {
      int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(batch),
                           static_cast<int>(deadline.remaining_ms(INT_MAX)));
      if (n < 0)
      {
        if (errno == EINTR)
        {
          if (deadline.expired()) return 0;
          continue;
        }
        ec = errno_code(errno);
        return 0;
      }
      std::size_t got = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        bool woken = false;
        for (int i = 0; i < n; ++i)
        {
          if (events[i].data.u64 == wake_data)
            woken = true;
          else
            translate(events[i], out, got);
        }
        if (woken) drain_queue(out, capacity, got);
      }
      if (got || deadline.expired()) return got;
    }
  }

  // epoll descriptors are themselves pollable, and the posted queue is signalled by an eventfd
  // in the set whether or not a thread waits here.
  int pollable_descriptor() noexcept override { return epfd_; }

  void post(std::uintptr_t key, event events, boost::system::error_code& ec) override
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(notification{key, events});
    signal(ec);
    if (ec) queue_.pop_back();
  }

private:
  struct slot
  {
    std::uint32_t generation = 0;
    bool used = false;
    bool enabled = false;   // the contract's state: new notifications may be queued
    bool in_kernel = false; // the fd is in the epoll set (possibly as a fired oneshot item)
    bool armed = false;     // ...and its item is armed with the current filter and trigger
    std::uintptr_t key = 0;
    event filter = event::none;
    trigger triggers = trigger::none;
  };

  static std::uint64_t data_of(int fd, std::uint32_t generation) noexcept
  {
    return (std::uint64_t(generation) << 32) | std::uint32_t(fd);
  }

  static std::uint32_t kernel_mask(event filter, trigger t) noexcept
  {
    std::uint32_t m = 0;
    if (has(filter, event::in)) m |= EPOLLIN;
    if (has(filter, event::out)) m |= EPOLLOUT;
    if (has(filter, event::hangup)) m |= EPOLLRDHUP;
    if (has(t, trigger::oneshot)) m |= EPOLLONESHOT;
    if (has(t, trigger::edge)) m |= EPOLLET;
    return m;
  }

  boost::system::error_code apply(const registration& r)
  {
    const int fd = r.socket;
    if (fd < 0) return errno_code(EBADF);
    switch (r.op)
    {
    case port_op::none: return {};
    case port_op::enable: return enable(fd, r);
    case port_op::disable:
    case port_op::remove: return disable_or_remove(fd, r.key, r.op == port_op::remove);
    }
    return make_error_code(boost::system::errc::invalid_argument);
  }

  boost::system::error_code enable(int fd, const registration& r)
  {
    if (static_cast<std::size_t>(fd) >= slots_.size()) slots_.resize(std::size_t(fd) + 1);
    slot& s = slots_[fd];

    epoll_event ev{};
    ev.events = kernel_mask(r.filter, r.triggers);

    if (s.used && s.key != r.key)
    {
      // Either a live registration under another key (refused) or the remains of a registered
      // fd that was closed without remove, whose number the new socket now carries. The kernel
      // dropped the closed file's item, so ADD tells the two apart without side effects on a
      // live one (EEXIST). A disabled registration has no kernel item to ask.
      if (!s.in_kernel) return port_errc::key_mismatch;
      ev.data.u64 = data_of(fd, s.generation + 1);
      if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0)
        return errno == EEXIST ? boost::system::error_code(port_errc::key_mismatch)
                               : errno_code(errno);
      s = fresh(s, r);
      return {};
    }

    if (s.used)
    {
      // Enabling what is already enabled and armed changes nothing: no system call.
      if (s.enabled && s.armed && s.filter == r.filter && s.triggers == r.triggers) return {};
      ev.data.u64 = data_of(fd, s.generation);
      int rc = s.in_kernel ? ::epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev)
                           : ::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
      if (rc != 0 && s.in_kernel && errno == ENOENT) // closed and reused under the same key
        rc = ::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
      if (rc != 0)
      {
        const int e = errno;
        if (e == EBADF) s = slot{s.generation, false}; // closed: it deregistered silently
        return errno_code(e);
      }
      s.enabled = true;
      s.in_kernel = true;
      s.armed = true;
      s.filter = r.filter;
      s.triggers = r.triggers;
      return {};
    }

    ev.data.u64 = data_of(fd, s.generation + 1);
    int rc = ::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
    if (rc != 0 && errno == EEXIST) // an item left by a dup of a closed, registered fd
      rc = ::epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev);
    if (rc != 0) return errno_code(errno);
    s = fresh(s, r);
    return {};
  }

  // A registration just added to the kernel set.
  static slot fresh(const slot& old, const registration& r) noexcept
  {
    slot s;
    s.generation = old.generation + 1;
    s.used = true;
    s.enabled = true;
    s.in_kernel = true;
    s.armed = true;
    s.key = r.key;
    s.filter = r.filter;
    s.triggers = r.triggers;
    return s;
  }

  boost::system::error_code disable_or_remove(int fd, std::uintptr_t key, bool remove)
  {
    if (static_cast<std::size_t>(fd) >= slots_.size() || !slots_[fd].used)
      return port_errc::not_registered;
    slot& s = slots_[fd];
    if (s.key != key)
      return port_errc::key_mismatch;
    if (s.in_kernel)
    {
      epoll_event ev{};
      if (::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &ev) != 0)
      {
        if (errno != ENOENT && errno != EBADF) return errno_code(errno);
        // The fd was closed, which deregistered it silently (as closesocket does with PSN).
        s = slot{s.generation, false};
        return port_errc::not_registered;
      }
      s.in_kernel = false;
    }
    s.enabled = false;
    s.armed = false;
    if (remove)
    {
      boost::system::error_code ec;
      queue_.push_back(notification{s.key, event::remove});
      signal(ec);
      if (ec)
      {
        queue_.pop_back();
        return ec;
      }
      s.used = false;
    }
    return {};
  }

  void translate(const epoll_event& ev, notification* out, std::size_t& got)
  {
    const int fd = static_cast<int>(ev.data.u64 & 0xFFFFFFFFu);
    const std::uint32_t generation = static_cast<std::uint32_t>(ev.data.u64 >> 32);
    if (static_cast<std::size_t>(fd) >= slots_.size()) return;
    slot& s = slots_[fd];
    if (!s.used || s.generation != generation) return;
    if (has(s.triggers, trigger::oneshot)) s.armed = false; // the kernel disarmed the item
    if (!s.enabled) return;

    event m = event::none;
    if (ev.events & EPOLLERR) m |= event::error;
    if (ev.events & EPOLLIN) m |= event::in;
    if (ev.events & EPOLLOUT) m |= event::out;
    // End of stream reads without blocking; a fully hung-up socket also fails writes at once.
    if (ev.events & EPOLLRDHUP) m |= event::hangup | event::in;
    if (ev.events & EPOLLHUP) m |= event::hangup | event::in | event::out;
    m &= reportable(s.filter);

    if (m == event::none)
    {
      // Only an unrequested EPOLLHUP gets here. A level item would report it on every wait, so
      // take the fd out of the set; the next enable puts it back.
      if (!has(s.triggers, trigger::oneshot) && !has(s.triggers, trigger::edge))
      {
        epoll_event none{};
        if (::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &none) == 0) s.in_kernel = s.armed = false;
      }
      return;
    }
    if (has(s.triggers, trigger::oneshot)) s.enabled = false;
    out[got++] = notification{s.key, m};
  }

  void drain_queue(notification* out, std::size_t capacity, std::size_t& got)
  {
    while (got < capacity && !queue_.empty())
    {
      out[got++] = queue_.front();
      queue_.pop_front();
    }
    if (queue_.empty() && signalled_)
    {
      std::uint64_t v;
      while (::read(evfd_, &v, sizeof v) < 0 && errno == EINTR) {}
      signalled_ = false;
    }
  }

  void signal(boost::system::error_code& ec)
  {
    if (signalled_) return;
    std::uint64_t one = 1;
    ssize_t rc;
    while ((rc = ::write(evfd_, &one, sizeof one)) < 0 && errno == EINTR) {}
    if (rc < 0)
      ec = errno_code(errno);
    else
      signalled_ = true;
  }

  int epfd_ = -1;
  int evfd_ = -1;
  std::mutex mutex_;
  std::vector<slot> slots_;
  std::deque<notification> queue_; // posted packets and synthesized remove notifications
  bool signalled_ = false;         // evfd_ is readable; invariant: == !queue_.empty()
};

// epoll is part of every Linux kernel this builds for; a failure to create one (out of
// descriptors, say) is reported by open() with the system's error, not as "unavailable".
bool probe_epoll(std::string&)
{
  return true;
}

} // namespace

const backend_entry epoll_backend_entry{backend_kind::epoll, true, true, true, &probe_epoll,
                                        &create_backend<epoll_port>};

} // namespace detail
} // namespace boost_sockn
