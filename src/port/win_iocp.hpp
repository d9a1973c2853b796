//
// src/port/win_iocp.hpp
//
// What the two Windows backends share: the I/O completion port that is the notification queue,
// post() as PostQueuedCompletionStatus, per-thread buffers of OVERLAPPED_ENTRY, and the mapping of
// Win32, Winsock and NTSTATUS codes to error_code. The psn backend hands the port to
// ProcessSocketNotifications; the afd backend feeds it with IOCTL_AFD_POLL completions.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_WIN_IOCP_HPP
#define BOOST_SOCKN_SRC_PORT_WIN_IOCP_HPP

#include "port_backend.hpp"

#include <winsock2.h>
#include <windows.h>

#include <vector>

namespace boost_sockn {
namespace detail {

inline boost::system::error_code win32_code(DWORD e) noexcept
{
  return boost::system::error_code(static_cast<int>(e), boost::system::system_category());
}

/// Maps an NTSTATUS to the Win32 code Windows itself would report (RtlNtStatusToDosError).
boost::system::error_code ntstatus_code(LONG status) noexcept;

/// GQCSEx/PSN take a DWORD timeout in milliseconds, INFINITE meaning no limit.
inline DWORD timeout_ms(const wait_deadline& d) noexcept
{
  long long ms = d.remaining_ms(INFINITE - 1);
  return ms < 0 ? INFINITE : static_cast<DWORD>(ms);
}

class iocp_backend : public port_backend
{
public:
  ~iocp_backend() override;

  void post(std::uintptr_t key, event events, boost::system::error_code& ec) override;

protected:
  /// Creates the completion port; on failure sets ec and leaves the object unusable.
  explicit iocp_backend(boost::system::error_code& ec);

  /// The calling thread's entry buffer, at least `n` entries (at most 1024 are dequeued at once).
  static OVERLAPPED_ENTRY* entries(std::size_t& n);

  HANDLE iocp_ = nullptr;
};

} // namespace detail
} // namespace boost_sockn

#endif
