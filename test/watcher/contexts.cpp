//
// test/watcher/contexts.cpp
//
// Watchers on several io_contexts, each run by its own thread: each wait completes alone, on its
// own context.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

// The native-Asio build has no watcher: asio_twin.cpp lists it there as one skipped case.
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace watcher_test {

using std::chrono::milliseconds;

BOOST_AUTO_TEST_SUITE(watcher_contexts, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(watchers_on_different_io_contexts)
{
  constexpr int count = 3;
  plain_pair pairs[count];
  asio::io_context contexts[count];
  std::unique_ptr<watcher> watchers[count];
  std::atomic<int> calls[count];
  std::atomic<bool> on_own_thread[count];
  error_code results[count];

  std::thread threads[count];
  for (int i = 0; i < count; ++i)
  {
    calls[i] = 0;
    on_own_thread[i] = false;
    watchers[i] = std::make_unique<watcher>(contexts[i], pairs[i].server.native_handle());
    watchers[i]->async_wait(asio::socket_base::wait_read, [&, i](error_code ec) {
      results[i] = ec;
      on_own_thread[i] = contexts[i].get_executor().running_in_this_thread();
      ++calls[i];
    });
    threads[i] = std::thread([&, i] { contexts[i].run(); });
  }

  // One at a time, in reverse order: each completes alone, on its own context.
  for (int i = count - 1; i >= 0; --i)
  {
    std::this_thread::sleep_for(milliseconds(50));
    for (int j = 0; j < count; ++j)
      BOOST_TEST(calls[j] == (j > i ? 1 : 0), "watcher " << j << " after sending to " << i + 1);
    send_byte(pairs[i].client);
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (calls[i] == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(milliseconds(1));
    BOOST_TEST(calls[i] == 1, "watcher " << i);
  }

  for (int i = 0; i < count; ++i)
  {
    if (calls[i] == 0)
      contexts[i].stop(); // already reported; do not hang on the join
    threads[i].join();     // each context ran out of work with its only wait
    BOOST_TEST(results[i] == ok, "watcher " << i << ": " << results[i].message());
    BOOST_TEST(on_own_thread[i], "watcher " << i);
    BOOST_TEST(pairs[i].server.available() == 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace watcher_test

#endif
