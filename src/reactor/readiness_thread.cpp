//
// src/reactor/readiness_thread.cpp
//
// The readiness thread (readiness_delivery::readiness_thread, Windows' path): it waits in the
// port, makes one port call per wake-up that applies the listed registrations and dequeues
// notifications, and posts the ready states to the io threads (delivery.cpp). Locking: see
// reactor.cpp.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"

#include <cassert>
#include <thread>

namespace boost_sockn {
namespace detail {

//--------------------------------------------------------------------------------------------------
// The readiness thread
//--------------------------------------------------------------------------------------------------

void reactor_impl::run()
{
  std::vector<descriptor_state*> states;
  std::vector<registration> regs;
  std::vector<notification> notes(options_.batch_capacity);
  for (;;)
  {
    try
    {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (shut_down_.load(std::memory_order_relaxed))
          return;
        states.swap(pending_);
      }

      std::size_t n = 0;
      boost::system::error_code ec;
      if (!states.empty())
      {
        std::lock_guard<std::mutex> reg_lock(registration_mutex_);
        build_batch(states, regs);
        if (!regs.empty())
        {
          // Registrations and dequeue in one call; it does not wait, since a close may be
          // waiting for registration_mutex_.
          n = port_.process(regs.data(), regs.size(), notes.data(), notes.size(),
                            std::chrono::milliseconds(0), ec);
          process_calls_.fetch_add(1, std::memory_order_relaxed);
          registrations_.fetch_add(regs.size(), std::memory_order_relaxed);
        }
        apply_results(states, regs);
      }

      if (n == 0)
      {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (shut_down_.load(std::memory_order_relaxed))
            return;
          if (!pending_.empty())
          {
            flush_performs();
            continue;
          }
          sleeping_ = true;
          wake_posted_ = false;
        }
        flush_performs();
        n = port_.process(nullptr, 0, notes.data(), notes.size(), notification_port::infinite,
                          ec);
        process_calls_.fetch_add(1, std::memory_order_relaxed);
        {
          std::lock_guard<std::mutex> lock(mutex_);
          sleeping_ = false;
        }
      }
      if (ec)
      {
        // A failing port must not turn into a busy loop; the operations keep waiting.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      notifications_.fetch_add(n, std::memory_order_relaxed);
      deliver(notes.data(), n);
      flush_performs();
    }
    catch (...)
    {
      // Never let an exception end the thread (and so the process): back off and go on.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

} // namespace detail
} // namespace boost_sockn
