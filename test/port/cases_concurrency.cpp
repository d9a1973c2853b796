//
// test/port/cases_concurrency.cpp
//
// Registration from other threads while one thread waits in process(); several waiters.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "harness.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace sockn_test {

namespace {

constexpr trigger level_oneshot = trigger::level | trigger::oneshot;
constexpr std::uintptr_t stop_key = ~std::uintptr_t(0);

struct mailbox
{
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<notification> items;

  void push(const notification& n)
  {
    {
      std::lock_guard<std::mutex> lock(mutex);
      items.push_back(n);
    }
    cv.notify_one();
  }

  bool pop(notification& n, std::chrono::milliseconds limit)
  {
    std::unique_lock<std::mutex> lock(mutex);
    if (!cv.wait_for(lock, limit, [&] { return !items.empty(); })) return false;
    n = items.front();
    items.pop_front();
    return true;
  }
};

} // namespace

PORT_CASE(register_rearm_remove_10000_times_while_another_thread_waits)
{
  port_fixture f(backend);
  constexpr std::size_t workers = 2;
  constexpr std::uintptr_t cycles = 5000;
  constexpr std::uintptr_t stride = 1000000;

  std::uint16_t unused = 0;
  socket_handle tx = udp_socket(unused);
  std::vector<socket_handle> rx(workers);
  for (std::size_t w = 0; w < workers; ++w)
  {
    std::uint16_t port = 0;
    rx[w] = udp_socket(port);
    udp_send_to(tx, port, "stays unread"); // always readable: every enable fires
  }

  std::vector<mailbox> boxes(workers);
  std::mutex log_mutex;
  std::map<std::uintptr_t, std::vector<event>> log;
  std::atomic<bool> call_failed{false};

  std::thread waiter([&] {
    std::vector<notification> buf(64);
    for (;;)
    {
      boost::system::error_code ec;
      std::size_t n = f.port.process(nullptr, 0, buf.data(), buf.size(),
                                     notification_port::infinite, ec);
      if (ec)
      {
        call_failed = true;
        return;
      }
      for (std::size_t i = 0; i < n; ++i)
      {
        if (buf[i].key == stop_key) return;
        {
          std::lock_guard<std::mutex> lock(log_mutex);
          log[buf[i].key].push_back(buf[i].events);
        }
        std::size_t w = buf[i].key / stride - 1;
        if (w < workers) boxes[w].push(buf[i]);
      }
    }
  });

  std::atomic<std::size_t> failures{0};
  std::vector<std::string> first_failure(workers);
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      auto fail = [&](const std::string& what) {
        if (failures++ == 0 || first_failure[w].empty()) first_failure[w] = what;
      };
      auto expect = [&](std::uintptr_t key, event e, const char* step) {
        notification n;
        if (!boxes[w].pop(n, must_arrive))
          return fail(std::string("lost notification at ") + step + " of key " +
                      std::to_string(key)),
                 false;
        if (n.key != key || n.events != e)
          return fail(std::string("unexpected notification at ") + step), false;
        return true;
      };
      auto call = [&](registration r, const char* step) {
        boost::system::error_code ec;
        f.port.apply(&r, 1, ec);
        if (ec || r.result)
          return fail(std::string(step) + " failed: " + (ec ? ec : r.result).message()), false;
        return true;
      };
      const native_socket_type s = rx[w].get();
      for (std::uintptr_t c = 0; c < cycles && failures == 0; ++c)
      {
        const std::uintptr_t key = (w + 1) * stride + c;
        if (!call(registration::enable(s, key, event::in, level_oneshot), "enable") ||
            !expect(key, event::in, "first enable") ||
            !call(registration::enable(s, key, event::in, level_oneshot), "re-enable") ||
            !expect(key, event::in, "re-enable") || !call(registration::remove(s, key), "remove") ||
            !expect(key, event::remove, "remove"))
          return;
      }
    });
  for (std::thread& t : threads)
    t.join();

  // Anything late (a duplicate, or a notification after a remove) shows up in the log.
  std::this_thread::sleep_for(quiet_period);
  f.port.post(stop_key, event::none);
  waiter.join();

  BOOST_TEST(!call_failed);
  BOOST_TEST(failures == 0u);
  for (const std::string& s : first_failure)
    if (!s.empty()) BOOST_TEST_MESSAGE(s);
  std::size_t complete = 0;
  for (const auto& kv : log)
  {
    const std::vector<event>& seq = kv.second;
    const bool ok =
      seq.size() == 3 && seq[0] == event::in && seq[1] == event::in && seq[2] == event::remove;
    if (ok)
      ++complete;
    else
      BOOST_TEST_MESSAGE("key " << kv.first << " saw " << seq.size() << " notifications");
  }
  BOOST_TEST(complete == workers * cycles);
  BOOST_TEST(log.size() == workers * cycles);
}

PORT_CASE(posts_wake_every_waiting_thread)
{
  port_fixture f(backend);
  constexpr int waiters = 3;
  std::atomic<int> woken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < waiters; ++i)
    threads.emplace_back([&] {
      notification n;
      for (;;)
      {
        boost::system::error_code ec;
        std::size_t got = f.port.process(nullptr, 0, &n, 1, notification_port::infinite, ec);
        if (ec) return;
        if (got == 1 && n.key == stop_key)
        {
          ++woken;
          return;
        }
      }
    });
  std::this_thread::sleep_for(50ms);
  for (int i = 0; i < waiters; ++i)
    f.port.post(stop_key, event::none);
  for (std::thread& t : threads)
    t.join();
  BOOST_TEST(woken == waiters);
}

} // namespace sockn_test
