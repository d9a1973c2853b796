//
// src/port/afd_port.cpp
//
// The notification-port contract on IOCTL_AFD_POLL + an I/O completion port, for Windows builds
// without ProcessSocketNotifications and for Wine. The approach is the one wepoll and mio use:
// polls are issued on a "helper" handle to \Device\Afd (no endpoint of its own) associated with
// the port, one poll in flight per registration, and the poll's completion is the notification.
//
// Invariants (all under mutex_):
// - a registration has at most one packet in flight: its poll, or the synthetic packet that
//   carries a remove when no poll was in flight. It is freed only when that packet is dequeued,
//   never while the kernel may still write its IO_STATUS_BLOCK or poll buffer;
// - `table_` maps a socket to its live registration; a removed registration leaves the table at
//   once (so the socket can be registered again) and lives on until its last packet;
// - every poll asks for AFD_POLL_LOCAL_CLOSE, so an armed socket closed without remove is noticed
//   and dropped silently, as closesocket deregisters silently under PSN. A disabled or disarmed
//   registration has nothing in flight: keeping a close-watching poll there would make every
//   re-enable cancel it first (a cancel and an extra packet per re-arm, and under Wine every
//   pending request slows all others). Its close is noticed when the next enable's poll fails or
//   when the port closes.
//
// AFD polls are level-triggered at submission and one-shot by nature, so level|oneshot and
// level|persistent are exact. Edge triggers need feedback from the caller's I/O (would-block) that
// a port never sees: they are refused with port_errc::unsupported_trigger.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "win_iocp.hpp"

#include <mswsock.h>
#include <winternl.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace boost_sockn {
namespace detail {
namespace {

// ---- Undocumented AFD interface (as used by wepoll, mio, libuv, c-ares; checked under Wine) ----

constexpr ULONG ioctl_afd_poll = 0x00012024; // FILE_DEVICE_NETWORK, function 9, METHOD_BUFFERED

constexpr ULONG afd_poll_receive = 0x0001;
constexpr ULONG afd_poll_send = 0x0004;
constexpr ULONG afd_poll_disconnect = 0x0008;
constexpr ULONG afd_poll_abort = 0x0010;
constexpr ULONG afd_poll_local_close = 0x0020;
constexpr ULONG afd_poll_accept = 0x0080;
constexpr ULONG afd_poll_connect_fail = 0x0100;

struct afd_poll_handle_info
{
  HANDLE handle;
  ULONG events;
  LONG status;
};

struct afd_poll_info
{
  LARGE_INTEGER timeout;
  ULONG number_of_handles;
  ULONG exclusive;
  afd_poll_handle_info handles[1];
};

#if defined(_WIN64)
static_assert(sizeof(afd_poll_info) == 32, "AFD_POLL_INFO is 32 bytes on x64");
#endif

constexpr LONG status_success = 0;
constexpr LONG status_pending = 0x00000103;
constexpr LONG status_cancelled = static_cast<LONG>(0xC0000120);

inline bool nt_error(LONG s) noexcept { return static_cast<ULONG>(s) >= 0xC0000000u; }

using nt_device_io_control_file_fn = LONG(NTAPI*)(HANDLE, HANDLE, PVOID, PVOID, IO_STATUS_BLOCK*,
                                                  ULONG, PVOID, ULONG, PVOID, ULONG);
using nt_cancel_io_file_ex_fn = LONG(NTAPI*)(HANDLE, IO_STATUS_BLOCK*, IO_STATUS_BLOCK*);
using nt_create_file_fn = LONG(NTAPI*)(PHANDLE, ACCESS_MASK, OBJECT_ATTRIBUTES*, IO_STATUS_BLOCK*,
                                       PLARGE_INTEGER, ULONG, ULONG, ULONG, ULONG, PVOID, ULONG);

struct nt_api
{
  nt_device_io_control_file_fn device_io_control_file = nullptr;
  nt_cancel_io_file_ex_fn cancel_io_file_ex = nullptr;
  nt_create_file_fn create_file = nullptr;

  bool complete() const noexcept
  {
    return device_io_control_file && cancel_io_file_ex && create_file;
  }
};

const nt_api& nt() noexcept
{
  static const nt_api api = [] {
    nt_api a;
    HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    auto get = [&](const char* name) {
      return ntdll ? reinterpret_cast<void*>(::GetProcAddress(ntdll, name)) : nullptr;
    };
    a.device_io_control_file = reinterpret_cast<nt_device_io_control_file_fn>(get("NtDeviceIoControlFile"));
    a.cancel_io_file_ex = reinterpret_cast<nt_cancel_io_file_ex_fn>(get("NtCancelIoFileEx"));
    a.create_file = reinterpret_cast<nt_create_file_fn>(get("NtCreateFile"));
    return a;
  }();
  return api;
}

// Opens \Device\Afd without extended attributes: a handle that talks to the driver but is no
// socket itself. The last path component is arbitrary but must be present.
LONG open_afd_helper(HANDLE& h) noexcept
{
  static wchar_t path[] = L"\\Device\\Afd\\BoostSockn";
  UNICODE_STRING name;
  name.Length = static_cast<USHORT>((sizeof path) - sizeof(wchar_t));
  name.MaximumLength = static_cast<USHORT>(sizeof path);
  name.Buffer = path;
  OBJECT_ATTRIBUTES attributes{};
  attributes.Length = sizeof attributes;
  attributes.ObjectName = &name;
  IO_STATUS_BLOCK iosb{};
  constexpr ULONG file_open = 1;
  return nt().create_file(&h, SYNCHRONIZE, &attributes, &iosb, nullptr, 0,
                          FILE_SHARE_READ | FILE_SHARE_WRITE, file_open, 0, nullptr, 0);
}

// AFD works on the base provider's handle; a layered provider's handle is rejected. Some layered
// providers fail SIO_BASE_HANDLE but answer SIO_BSP_HANDLE_POLL with the handle of the layer
// below, which may itself be layered: step down until SIO_BASE_HANDLE answers (wepoll's and
// trio's approach), and stop when a step makes no progress or the stack is implausibly deep.
boost::system::error_code base_socket(SOCKET s, SOCKET& base) noexcept
{
  DWORD bytes = 0;
  for (int depth = 0; depth < 16; ++depth)
  {
    if (::WSAIoctl(s, SIO_BASE_HANDLE, nullptr, 0, &base, sizeof base, &bytes, nullptr,
                   nullptr) == 0)
      return {};
    const int failure = ::WSAGetLastError();
    if (failure == WSAENOTSOCK)
      return win32_code(static_cast<DWORD>(failure));
    SOCKET below = INVALID_SOCKET;
    if (::WSAIoctl(s, SIO_BSP_HANDLE_POLL, nullptr, 0, &below, sizeof below, &bytes, nullptr,
                   nullptr) != 0 ||
        below == s || below == INVALID_SOCKET)
      return win32_code(static_cast<DWORD>(failure));
    s = below;
  }
  return win32_code(WSAEINVAL);
}

ULONG afd_events_for(event filter) noexcept
{
  // Abort and connect failure carry the error that is reported unasked; local close is how a
  // closed socket is noticed.
  ULONG m = afd_poll_abort | afd_poll_connect_fail | afd_poll_local_close;
  // Disconnect is needed for in: a receive-only poll does not complete on a FIN.
  if (has(filter, event::in)) m |= afd_poll_receive | afd_poll_accept | afd_poll_disconnect;
  if (has(filter, event::out)) m |= afd_poll_send;
  if (has(filter, event::hangup)) m |= afd_poll_disconnect;
  return m;
}

event events_from_afd(ULONG afd, event filter) noexcept
{
  event m = event::none;
  if (afd & (afd_poll_receive | afd_poll_accept)) m |= event::in;
  if (afd & afd_poll_send) m |= event::out;
  // The same readings as the epoll backend: end of stream reads without blocking; an aborted
  // connection is in error and fails reads and writes at once.
  if (afd & afd_poll_disconnect) m |= event::hangup | event::in;
  if (afd & afd_poll_abort) m |= event::hangup | event::in | event::out | event::error;
  if (afd & afd_poll_connect_fail) m |= event::error;
  return m & reportable(filter);
}

// Sockets per helper handle: cancelling costs more as a handle's pending requests grow.
constexpr std::size_t sockets_per_helper = 32;

// A helper handle lives while registrations use it. The first one stays open for the port's
// life, so that a lone socket does not open and close one per connection; the others close when
// their last registration goes, so that a burst of sockets does not leave its handles (and
// their memory in the kernel) behind. A closed helper's slot is reopened when needed.
struct afd_helper
{
  HANDLE handle = INVALID_HANDLE_VALUE;
  std::size_t users = 0;
};

enum class poll_state : std::uint8_t
{
  idle,       // nothing in flight
  pending,    // a poll is in flight
  cancelling, // a poll is in flight and has been cancelled
  posted      // the synthetic remove packet is in flight
};

struct afd_registration
{
  // The kernel writes these two while a poll is in flight.
  IO_STATUS_BLOCK iosb{};
  afd_poll_info info{};

  SOCKET socket = INVALID_SOCKET;
  SOCKET base = INVALID_SOCKET;
  afd_helper* helper = nullptr;
  std::uintptr_t key = 0;
  event filter = event::none;
  trigger triggers = trigger::none;
  poll_state poll = poll_state::idle;
  ULONG submitted = 0;   // the events the poll in flight asks for
  bool enabled = false;
  bool removing = false; // left the table; a remove notification is owed
  bool deferred = false; // in deferred_
};

class afd_port final : public iocp_backend
{
public:
  explicit afd_port(boost::system::error_code& ec) : iocp_backend(ec) {}

  ~afd_port() override { shutdown(); }

  backend_kind kind() const noexcept override { return backend_kind::afd; }

  std::size_t process(registration* regs, std::size_t count, notification* out,
                      std::size_t capacity, std::chrono::milliseconds timeout,
                      boost::system::error_code& ec) override
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t i = 0; i < count; ++i)
        if (!regs[i].result) regs[i].result = apply(regs[i]);
      // Registrations that delivered in an earlier call are re-armed now, after the consumer
      // has had its chance to re-enable them with the entries above: no cancel round trip then.
      flush_deferred();
    }
    if (capacity == 0) return 0;

    wait_deadline deadline(timeout);
    for (;;)
    {
      std::size_t n = capacity;
      OVERLAPPED_ENTRY* buf = entries(n);
      ULONG received = 0;
      if (!::GetQueuedCompletionStatusEx(iocp_, buf, static_cast<ULONG>(n), &received,
                                         timeout_ms(deadline), FALSE))
      {
        DWORD e = ::GetLastError();
        if (e != WAIT_TIMEOUT) ec = win32_code(e);
        return 0;
      }
      std::size_t got = 0;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (ULONG k = 0; k < received; ++k)
        {
          if (!buf[k].lpOverlapped) // posted by post()
            out[got++] = notification{buf[k].lpCompletionKey,
                                      static_cast<event>(buf[k].dwNumberOfBytesTransferred)};
          else
            complete(reinterpret_cast<afd_registration*>(buf[k].lpOverlapped), out, got);
        }
      }
      // A wake-up that produced nothing (a cancelled or filtered poll) keeps waiting.
      if (got || deadline.expired()) return got;
    }
  }

private:
  boost::system::error_code apply(const registration& r)
  {
    const SOCKET s = static_cast<SOCKET>(r.socket);
    auto it = table_.find(s);
    afd_registration* reg = it == table_.end() ? nullptr : it->second;
    switch (r.op)
    {
    case port_op::none: return {};
    case port_op::enable:
    {
      if (!reg) return create(s, r);
      if (reg->key != r.key) return port_errc::key_mismatch;
      reg->filter = r.filter;
      reg->triggers = r.triggers;
      reg->enabled = true;
      return update(reg);
    }
    case port_op::disable:
      if (!reg) return port_errc::not_registered;
      if (reg->key != r.key) return port_errc::key_mismatch;
      reg->enabled = false;
      return update(reg);
    case port_op::remove:
      if (!reg) return port_errc::not_registered;
      if (reg->key != r.key) return port_errc::key_mismatch;
      begin_remove(reg);
      return {};
    }
    return make_error_code(boost::system::errc::invalid_argument);
  }

  boost::system::error_code create(SOCKET s, const registration& r)
  {
    SOCKET base = INVALID_SOCKET;
    if (auto ec = base_socket(s, base)) return ec;
    afd_helper* helper = nullptr;
    if (auto ec = assign_helper(helper)) return ec;

    auto* reg = new afd_registration;
    reg->socket = s;
    reg->base = base;
    reg->helper = helper;
    reg->key = r.key;
    reg->filter = r.filter;
    reg->triggers = r.triggers;
    reg->enabled = true;
    ++helper->users;
    table_.emplace(s, reg);
    return update(reg);
  }

  // Brings the poll in flight in line with the registration's state. A poll that already asks
  // for everything needed is kept (a completion for something no longer wanted is filtered);
  // one that asks for too little is cancelled and re-issued when its completion arrives. A
  // disabled registration needs nothing in flight.
  boost::system::error_code update(afd_registration* reg)
  {
    if (reg->removing) return {};
    const ULONG want = afd_events_for(reg->filter);
    switch (reg->poll)
    {
    case poll_state::idle:
    {
      if (!reg->enabled) return {};
      LONG status = submit(reg, want);
      if (!nt_error(status)) return {};
      // The socket is gone (closed behind our back) or AFD refuses it.
      auto ec = ntstatus_code(status);
      release(reg);
      return ec;
    }
    case poll_state::pending:
      if (reg->enabled && (want & ~reg->submitted)) cancel(reg);
      return {};
    case poll_state::cancelling:
    case poll_state::posted:
      return {};
    }
    return {};
  }

  LONG submit(afd_registration* reg, ULONG want)
  {
    reg->info.timeout.QuadPart = INT64_MAX;
    reg->info.number_of_handles = 1;
    reg->info.exclusive = FALSE;
    reg->info.handles[0].handle = reinterpret_cast<HANDLE>(reg->base);
    reg->info.handles[0].events = want;
    reg->info.handles[0].status = 0;
    reg->iosb.Status = status_pending;
    LONG status = nt().device_io_control_file(reg->helper->handle, nullptr, nullptr, reg,
                                              &reg->iosb, ioctl_afd_poll, &reg->info,
                                              sizeof reg->info, &reg->info, sizeof reg->info);
    // Success and pending both end in a completion packet; a synchronous error posts none.
    if (!nt_error(status))
    {
      reg->poll = poll_state::pending;
      reg->submitted = want;
    }
    return status;
  }

  void cancel(afd_registration* reg)
  {
    IO_STATUS_BLOCK cancel_iosb{};
    LONG status = nt().cancel_io_file_ex(reg->helper->handle, &reg->iosb, &cancel_iosb);
    // Not found: the poll completed already and its packet is queued. Either way one packet comes.
    (void)status;
    reg->poll = poll_state::cancelling;
  }

  void begin_remove(afd_registration* reg)
  {
    detach(reg);
    reg->removing = true;
    reg->enabled = false;
    switch (reg->poll)
    {
    case poll_state::pending: cancel(reg); break;
    case poll_state::cancelling:
    case poll_state::posted: break;
    case poll_state::idle: post_remove(reg); break;
    }
  }

  // Nothing in flight to carry the remove notification: send one through the port ourselves.
  void post_remove(afd_registration* reg)
  {
    if (::PostQueuedCompletionStatus(iocp_, 0, 0, reinterpret_cast<LPOVERLAPPED>(reg)))
      reg->poll = poll_state::posted;
    else
      deferred_push(reg); // retried by the next flush
  }

  // A packet for `reg` was dequeued.
  void complete(afd_registration* reg, notification* out, std::size_t& got)
  {
    const bool was_poll = reg->poll == poll_state::pending || reg->poll == poll_state::cancelling;
    reg->poll = poll_state::idle;

    if (reg->removing)
    {
      out[got++] = notification{reg->key, event::remove};
      free(reg);
      return;
    }
    if (!was_poll) return; // cannot happen: only removes post packets

    const LONG status = reg->iosb.Status;
    if (status == status_cancelled)
    {
      update(reg); // re-issue with what is wanted now
      return;
    }
    const ULONG afd = (status == status_success && reg->info.number_of_handles)
                        ? reg->info.handles[0].events
                        : 0;
    if (afd & afd_poll_local_close)
    {
      release(reg); // closed without remove: deregistered silently
      return;
    }

    // A poll that failed (an NT error other than the cancellation above) says nothing about the
    // socket's conditions, but dropping the registration would leave its waiter hanging: report
    // an error, as wepoll does, and poll again as the trigger says. A socket that is really gone
    // fails the next submission, which ends the registration.
    const event m = !reg->enabled   ? event::none
                    : nt_error(status) ? event::error
                                       : events_from_afd(afd, reg->filter);
    if (m == event::none)
    {
      update(reg);
      return;
    }
    out[got++] = notification{reg->key, m};
    if (has(reg->triggers, trigger::oneshot))
      reg->enabled = false; // disarmed: nothing in flight until the next enable
    else
      deferred_push(reg);
  }

  void deferred_push(afd_registration* reg)
  {
    if (reg->deferred) return;
    reg->deferred = true;
    deferred_.push_back(reg);
  }

  // A persistent registration that delivered is re-armed by the next call (not at once: its
  // consumer has not acted on the notification yet, so a level condition would be reported again
  // before anyone could clear it).
  void flush_deferred()
  {
    if (deferred_.empty()) return;
    std::vector<afd_registration*> list;
    list.swap(deferred_);
    for (afd_registration* reg : list)
    {
      reg->deferred = false;
      if (reg->removing)
      {
        if (reg->poll == poll_state::idle) post_remove(reg); // a failed post, retried
      }
      else
        update(reg);
    }
  }

  // Takes a registration out of the table, unless a newer one for the socket took its place.
  void detach(afd_registration* reg)
  {
    auto it = table_.find(reg->socket);
    if (it != table_.end() && it->second == reg) table_.erase(it);
  }

  // Drops a registration that has nothing in flight, without a notification.
  void release(afd_registration* reg)
  {
    detach(reg);
    free(reg);
  }

  void free(afd_registration* reg)
  {
    if (reg->deferred)
      deferred_.erase(std::find(deferred_.begin(), deferred_.end(), reg));
    // Nothing is in flight on a registration being freed, so a helper without users has no
    // request pending either, and closing it cancels nothing.
    afd_helper& h = *reg->helper;
    if (--h.users == 0 && &h != &helpers_.front())
    {
      ::CloseHandle(h.handle);
      h.handle = INVALID_HANDLE_VALUE;
    }
    delete reg;
  }

  // An open helper with room, else a closed slot reopened, else a new slot.
  boost::system::error_code assign_helper(afd_helper*& out)
  {
    afd_helper* closed = nullptr;
    for (auto& h : helpers_)
    {
      if (h.handle == INVALID_HANDLE_VALUE)
      {
        if (!closed) closed = &h;
      }
      else if (h.users < sockets_per_helper)
      {
        out = &h;
        return {};
      }
    }
    if (!closed) // the slot first: the handle must not be opened when the slot cannot be had
    {
      helpers_.emplace_back();
      closed = &helpers_.back();
    }
    HANDLE handle = INVALID_HANDLE_VALUE;
    LONG status = open_afd_helper(handle);
    if (nt_error(status)) return ntstatus_code(status);
    if (!::CreateIoCompletionPort(handle, iocp_, 0, 0) ||
        !::SetFileCompletionNotificationModes(handle, FILE_SKIP_SET_EVENT_ON_HANDLE))
    {
      auto ec = win32_code(::GetLastError());
      ::CloseHandle(handle);
      return ec;
    }
    closed->handle = handle;
    out = closed;
    return {};
  }

  // Cancels every poll and waits for the packets, so no kernel write lands in freed memory. A
  // poll that never comes back (it should not happen) is leaked rather than freed unsafely.
  void shutdown() noexcept
  {
    std::vector<afd_registration*> live;
    for (auto& kv : table_)
      live.push_back(kv.second);
    table_.clear();
    for (afd_registration* reg : live)
    {
      reg->removing = true;
      if (reg->poll == poll_state::pending)
        cancel(reg);
      else if (reg->poll == poll_state::idle)
        free(reg);
    }
    for (afd_registration* reg : std::vector<afd_registration*>(deferred_))
      if (reg->poll == poll_state::idle) free(reg); // a remove whose post failed
    // What is still allocated has exactly one packet in flight.
    std::size_t in_flight = allocated();
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (in_flight && std::chrono::steady_clock::now() < end)
    {
      OVERLAPPED_ENTRY buf[64];
      ULONG received = 0;
      if (!::GetQueuedCompletionStatusEx(iocp_, buf, 64, &received, 100, FALSE)) continue;
      for (ULONG k = 0; k < received; ++k)
        if (buf[k].lpOverlapped)
        {
          free(reinterpret_cast<afd_registration*>(buf[k].lpOverlapped));
          --in_flight;
        }
    }
    for (auto& h : helpers_)
      if (h.handle != INVALID_HANDLE_VALUE) ::CloseHandle(h.handle);
  }

  std::size_t allocated() const noexcept
  {
    std::size_t n = 0;
    for (const auto& h : helpers_)
      n += h.users;
    return n;
  }

  std::mutex mutex_;
  std::unordered_map<SOCKET, afd_registration*> table_;
  std::vector<afd_registration*> deferred_;
  std::deque<afd_helper> helpers_; // stable addresses: registrations point into it
};

bool probe_afd(std::string& why)
{
  if (!nt().complete())
  {
    why = "afd backend: ntdll.dll lacks NtDeviceIoControlFile, NtCancelIoFileEx or NtCreateFile";
    return false;
  }
  // Only success is remembered: a transient failure (no handles left) must not stick.
  static std::atomic<bool> opened{false};
  if (opened) return true;
  HANDLE h = INVALID_HANDLE_VALUE;
  LONG status = open_afd_helper(h);
  if (!nt_error(status))
  {
    ::CloseHandle(h);
    opened = true;
    return true;
  }
  why = "afd backend: \\Device\\Afd cannot be opened: " + ntstatus_code(status).message();
  return false;
}

std::unique_ptr<port_backend> create_afd(boost::system::error_code& ec)
{
  // The front end has probed; a helper that cannot be opened now fails the first enable with
  // the system's error.
  if (!nt().complete())
  {
    ec = port_errc::backend_unavailable;
    return nullptr;
  }
  return create_backend<afd_port>(ec);
}

} // namespace

const backend_entry afd_backend_entry{backend_kind::afd, true, false, false, &probe_afd,
                                      &create_afd};

} // namespace detail
} // namespace boost_sockn
