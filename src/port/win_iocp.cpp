//
// src/port/win_iocp.cpp
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "win_iocp.hpp"

#include <boost/asio/detail/socket_types.hpp>

#include <type_traits>

static_assert(std::is_same<boost_sockn::native_socket_type, boost::asio::detail::socket_type>::value,
              "native_socket_type must be Asio's socket type (SOCKET)");

namespace boost_sockn {
namespace detail {

boost::system::error_code ntstatus_code(LONG status) noexcept
{
  using rtl_fn = ULONG(WINAPI*)(LONG);
  static const rtl_fn to_dos = reinterpret_cast<rtl_fn>(reinterpret_cast<void*>(
    ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "RtlNtStatusToDosError")));
  if (!to_dos) return win32_code(ERROR_MR_MID_NOT_FOUND);
  return win32_code(to_dos(status));
}

iocp_backend::iocp_backend(boost::system::error_code& ec)
{
  iocp_ = ::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  if (!iocp_) ec = win32_code(::GetLastError());
}

iocp_backend::~iocp_backend()
{
  if (iocp_) ::CloseHandle(iocp_);
}

void iocp_backend::post(std::uintptr_t key, event events, boost::system::error_code& ec)
{
  // A null OVERLAPPED marks a posted packet; the afd backend's own packets always carry one.
  if (!::PostQueuedCompletionStatus(iocp_, static_cast<DWORD>(events), key, nullptr))
    ec = win32_code(::GetLastError());
}

OVERLAPPED_ENTRY* iocp_backend::entries(std::size_t& n)
{
  thread_local std::vector<OVERLAPPED_ENTRY> buffer;
  if (n > 1024) n = 1024;
  if (buffer.size() < n) buffer.resize(n);
  return buffer.data();
}

} // namespace detail
} // namespace boost_sockn
