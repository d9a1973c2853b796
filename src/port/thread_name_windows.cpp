//
// src/port/thread_name_windows.cpp
//
// Thread names on Windows: SetThreadDescription (Windows 10 1607 and later), looked up at run
// time so that the library still loads where it is missing.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "thread_name.hpp"

#include <windows.h>

namespace boost_sockn {
namespace detail {

void name_this_thread(const char* name) noexcept
{
  using set_description = HRESULT(WINAPI*)(HANDLE, PCWSTR);
  const HMODULE kernel = ::GetModuleHandleW(L"kernel32.dll");
  if (!kernel)
    return;
  const auto set = reinterpret_cast<set_description>(
      reinterpret_cast<void (*)()>(::GetProcAddress(kernel, "SetThreadDescription")));
  if (!set)
    return;
  wchar_t wide[32] = {};
  for (int i = 0; i < 31 && name[i]; ++i)
    wide[i] = static_cast<wchar_t>(static_cast<unsigned char>(name[i])); // ASCII names only
  set(::GetCurrentThread(), wide);
}

} // namespace detail
} // namespace boost_sockn
