//
// src/port/psn_api.hpp
//
// ProcessSocketNotifications as Windows declares it (winsock2.h, SDK 10.0.20348), for the psn
// backend and for the probe that asks Windows what PSN does (test/psn_probe). mingw-w64 10 has an
// import-library entry but no declarations, and Windows before build 20348 (and Wine) does not
// export the function: the structure and constants come from Microsoft's documentation, the
// function from GetProcAddress.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_PSN_API_HPP
#define BOOST_SOCKN_SRC_PORT_PSN_API_HPP

#include <winsock2.h>
#include <windows.h>

#include <cstddef>
#include <initializer_list>

namespace boost_sockn {
namespace detail {
namespace psn_api {

struct sock_notify_registration
{
  SOCKET socket;
  PVOID completionKey;
  UINT16 eventFilter;
  UINT8 operation;
  UINT8 triggerFlags;
  DWORD registrationResult;
};

#if defined(_WIN64)
static_assert(sizeof(sock_notify_registration) == 24, "SOCK_NOTIFY_REGISTRATION is 24 bytes on x64");
static_assert(offsetof(sock_notify_registration, completionKey) == 8, "layout");
static_assert(offsetof(sock_notify_registration, eventFilter) == 16, "layout");
static_assert(offsetof(sock_notify_registration, operation) == 18, "layout");
static_assert(offsetof(sock_notify_registration, triggerFlags) == 19, "layout");
static_assert(offsetof(sock_notify_registration, registrationResult) == 20, "layout");
#else
static_assert(sizeof(sock_notify_registration) == 16, "SOCK_NOTIFY_REGISTRATION is 16 bytes on x86");
#endif

// SOCK_NOTIFY_REGISTER_EVENT_* / SOCK_NOTIFY_EVENT_*
constexpr UINT16 event_in = 0x01;
constexpr UINT16 event_out = 0x02;
constexpr UINT16 event_hangup = 0x04;
constexpr UINT16 event_err = 0x40;
constexpr UINT16 event_remove = 0x80;
// SOCK_NOTIFY_OP_*
constexpr UINT8 op_none = 0x00;
constexpr UINT8 op_enable = 0x01;
constexpr UINT8 op_disable = 0x02;
constexpr UINT8 op_remove = 0x04;
// SOCK_NOTIFY_TRIGGER_*
constexpr UINT8 trigger_oneshot = 0x01;
constexpr UINT8 trigger_persistent = 0x02;
constexpr UINT8 trigger_level = 0x04;
constexpr UINT8 trigger_edge = 0x08;

using function = DWORD(WSAAPI*)(HANDLE completionPort, UINT32 registrationCount,
                                sock_notify_registration* registrationInfos, UINT32 timeoutMs,
                                ULONG completionCount, OVERLAPPED_ENTRY* completionPortEntries,
                                UINT32* receivedEntryCount);

/// ProcessSocketNotifications where this Windows has it, else null. ws2_32 is where Microsoft
/// documents it (and the program links it); some builds forward it to mswsock. A DLL not loaded
/// yet is loaded from System32 only: LoadLibraryW would search the application's directory
/// first, where a planted mswsock.dll would be run.
inline function resolve() noexcept
{
  for (const wchar_t* dll : {L"ws2_32.dll", L"mswsock.dll"})
  {
    HMODULE m = ::GetModuleHandleW(dll);
    if (!m) m = ::LoadLibraryExW(dll, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!m) continue;
    if (FARPROC f = ::GetProcAddress(m, "ProcessSocketNotifications"))
      return reinterpret_cast<function>(reinterpret_cast<void*>(f));
  }
  return nullptr;
}

} // namespace psn_api
} // namespace detail
} // namespace boost_sockn

#endif
