//
// src/port/psn_port.cpp
//
// The native backend: ProcessSocketNotifications (Windows 10 build 20348+, Windows 11, Server
// 2022). Deliberately thin: the contract is PSN's own, so this file only translates entries,
// calls the function and maps the results. Everything else (the completion port, post(), the
// entry buffers) is shared with the afd backend in win_iocp.cpp.
//
// The declarations come from psn_api.hpp (shared with the probe that asks Windows what PSN
// does); the function is resolved at run time.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "psn_api.hpp"
#include "win_iocp.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace boost_sockn {
namespace detail {
namespace {

using psn_api::sock_notify_registration;

// Our enums carry PSN's values, so entries translate by cast; these pin that down.
static_assert(static_cast<unsigned>(event::in) == psn_api::event_in &&
                static_cast<unsigned>(event::out) == psn_api::event_out &&
                static_cast<unsigned>(event::hangup) == psn_api::event_hangup &&
                static_cast<unsigned>(event::error) == psn_api::event_err &&
                static_cast<unsigned>(event::remove) == psn_api::event_remove,
              "SOCK_NOTIFY_EVENT_* values");
static_assert(static_cast<unsigned>(port_op::enable) == psn_api::op_enable &&
                static_cast<unsigned>(port_op::disable) == psn_api::op_disable &&
                static_cast<unsigned>(port_op::remove) == psn_api::op_remove,
              "SOCK_NOTIFY_OP_* values");
static_assert(static_cast<unsigned>(trigger::oneshot) == psn_api::trigger_oneshot &&
                static_cast<unsigned>(trigger::persistent) == psn_api::trigger_persistent &&
                static_cast<unsigned>(trigger::level) == psn_api::trigger_level &&
                static_cast<unsigned>(trigger::edge) == psn_api::trigger_edge,
              "SOCK_NOTIFY_TRIGGER_* values");

psn_api::function psn() noexcept
{
  static const psn_api::function f = psn_api::resolve();
  return f;
}

// registrationResult is documented only as ERROR_SUCCESS on success; accept an NTSTATUS too.
boost::system::error_code entry_code(DWORD r) noexcept
{
  if (r >= 0xC0000000u) return ntstatus_code(static_cast<LONG>(r));
  return win32_code(r);
}

class psn_port final : public iocp_backend
{
public:
  explicit psn_port(boost::system::error_code& ec) : iocp_backend(ec) {}

  backend_kind kind() const noexcept override { return backend_kind::psn; }

  std::size_t process(registration* regs, std::size_t count, notification* out,
                      std::size_t capacity, std::chrono::milliseconds timeout,
                      boost::system::error_code& ec) override
  {
    thread_local std::vector<sock_notify_registration> native;
    thread_local std::vector<std::size_t> index;
    native.clear();
    index.clear();
    for (std::size_t i = 0; i < count; ++i)
    {
      const registration& r = regs[i];
      if (r.result || r.op == port_op::none) continue; // rejected, or nothing to do
      native.push_back(sock_notify_registration{
        static_cast<SOCKET>(r.socket), reinterpret_cast<PVOID>(r.key),
        static_cast<UINT16>(r.filter), static_cast<UINT8>(r.op),
        static_cast<UINT8>(r.triggers), 0});
      index.push_back(i);
    }

    // Every entry was refused by the front end or asks for nothing: a call with nothing to
    // register and nothing to dequeue is a combination PSN does not document, so none is made.
    if (native.empty() && capacity == 0)
      return 0;

    std::size_t n = capacity;
    OVERLAPPED_ENTRY* buf = n ? entries(n) : nullptr;
    UINT32 received = 0;
    // PSN's parameter rules: null arrays for zero counts, timeout 0 without a dequeue.
    DWORD rc = psn()(iocp_, static_cast<UINT32>(native.size()),
                     native.empty() ? nullptr : native.data(),
                     n ? timeout_ms(wait_deadline(timeout)) : 0, static_cast<ULONG>(n), buf,
                     n ? &received : nullptr);

    // The documentation names WAIT_TIMEOUT in one place and ERROR_TIMEOUT in another.
    const bool timed_out = rc == WAIT_TIMEOUT || rc == ERROR_TIMEOUT;
    if (rc != ERROR_SUCCESS && !timed_out)
    {
      ec = win32_code(rc); // the call failed whole: nothing was applied
      for (std::size_t j = 0; j < index.size(); ++j)
        regs[index[j]].result = ec;
      return 0;
    }
    for (std::size_t j = 0; j < index.size(); ++j)
      if (native[j].registrationResult != ERROR_SUCCESS)
        regs[index[j]].result = entry_code(native[j].registrationResult);
    if (timed_out) return 0;
    for (UINT32 k = 0; k < received; ++k)
      out[k] = notification{buf[k].lpCompletionKey,
                            static_cast<event>(buf[k].dwNumberOfBytesTransferred & 0xFFFFu)};
    return received;
  }
};

bool probe_psn(std::string& why)
{
  if (psn()) return true;
  why = "psn backend: ProcessSocketNotifications is not exported by ws2_32.dll on this system "
        "(it needs Windows 10 build 20348 or later, Windows 11 or Server 2022; Wine lacks it)";
  return false;
}

std::unique_ptr<port_backend> create_psn(boost::system::error_code& ec)
{
  if (!psn())
  {
    ec = port_errc::backend_unavailable;
    return nullptr;
  }
  return create_backend<psn_port>(ec);
}

} // namespace

const backend_entry psn_backend_entry{backend_kind::psn, true, true, false, &probe_psn,
                                      &create_psn};

} // namespace detail
} // namespace boost_sockn
