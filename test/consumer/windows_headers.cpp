//
// test/consumer/windows_headers.cpp
//
// A Windows program that includes <windows.h> its own way (whole, with the min/max macros) before
// boost_sockn, as much existing code does: the installed target must not take ShellExecuteA or
// min away from it, and boost_sockn's headers must compile under those macros. Exit status 0 on
// success.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

// Winsock 2 before <windows.h>, which would otherwise bring the old winsock.h: Asio's own rule
// for every program that includes <windows.h> first.
#include <winsock2.h>
#include <windows.h>

// Asio and the standard library first: libstdc++ (unlike Visual C++'s library) cannot be parsed
// under the macros below, which is why mingw-w64's <windows.h> leaves them out of C++.
#include <boost/asio.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

// Visual C++'s <windows.h> defines these function-like macros unless NOMINMAX is set. Defined
// here as it does, they show what an MSVC program meets in boost_sockn's own headers.
#if !defined(min)
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#if !defined(max)
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif

#include <boost_sockn/boost_sockn.hpp>

#include <cstdio>


int main()
{
  // Both disappear when the package forces WIN32_LEAN_AND_MEAN or NOMINMAX on its users.
  auto shell_execute = &ShellExecuteA;
  const int smaller = min(3, 4) + max(0, 0);

  boost::asio::io_context ctx;
  boost_sockn::ip::tcp::socket socket(ctx);
  boost::system::error_code ec;
  socket.open(boost_sockn::ip::tcp::v4(), ec);
  if (ec || smaller != 3 || shell_execute == nullptr)
  {
    std::printf("windows headers consumer: FAILED: %s\n", ec.message().c_str());
    return 1;
  }
  std::printf("windows headers consumer: ok\n");
  return 0;
}
