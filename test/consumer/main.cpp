//
// test/consumer/main.cpp
//
// Uses an installed boost_sockn: opens a notification port, posts a notification, dequeues it,
// and (built by CMake) checks that version.hpp says the version the package config says.
// Exit status 0 on success.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/notification_port.hpp>
#include <boost_sockn/version.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

int main()
{
  const std::string version = std::to_string(BOOST_SOCKN_VERSION / 100000) + "."
                              + std::to_string(BOOST_SOCKN_VERSION / 100 % 1000) + "."
                              + std::to_string(BOOST_SOCKN_VERSION % 100);
  std::printf("consumer: boost_sockn %s\n", version.c_str());
#if defined(BOOST_SOCKN_PACKAGE_VERSION)
  if (version != BOOST_SOCKN_PACKAGE_VERSION)
  {
    std::printf("consumer: FAILED: the package says %s\n", BOOST_SOCKN_PACKAGE_VERSION);
    return 1;
  }
#endif
  try
  {
    boost_sockn::notification_port port(boost_sockn::backend_kind::automatic);
    std::printf("consumer: backend %s\n", boost_sockn::to_string(port.backend()));

    const std::uintptr_t key = 0x5eed;
    port.post(key, boost_sockn::event::in);

    boost_sockn::notification n[4];
    std::size_t got = port.process(nullptr, 0, n, 4, std::chrono::seconds(5));
    if (got != 1 || n[0].key != key || n[0].events != boost_sockn::event::in)
    {
      std::printf("consumer: FAILED: got %zu notification(s)\n", got);
      return 1;
    }
    // Nothing else is queued: a zero-timeout call returns at once with nothing.
    got = port.process(nullptr, 0, n, 4, std::chrono::milliseconds(0));
    if (got != 0)
    {
      std::printf("consumer: FAILED: %zu unexpected notification(s)\n", got);
      return 1;
    }
    std::printf("consumer: ok\n");
    return 0;
  }
  catch (const std::exception& e)
  {
    std::printf("consumer: FAILED: %s\n", e.what());
    return 1;
  }
}
