//
// src/reactor/poller_watch.hpp
//
// Waits for the port in the execution context's own poller, so that the io thread the poller
// wakes drains the port itself and no thread hands readiness to another. Linux: Asio's
// epoll_reactor watches the port's descriptor (poller_watch_epoll.cpp). Elsewhere Asio's
// scheduler waits on a completion port that cannot wait for ours: available() is false and the
// reactor keeps its readiness thread (poller_watch_none.cpp).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_REACTOR_POLLER_WATCH_HPP
#define BOOST_SOCKN_SRC_REACTOR_POLLER_WATCH_HPP

#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

namespace boost_sockn {
namespace detail {

class poller_watch
{
public:
  /// Called on the io thread that the poller woke for the port's descriptor, inside a handler
  /// of the scheduler's (so the thread's private queue takes what it posts).
  using drain_function = void (*)(void* owner);

  poller_watch() noexcept = default;
  poller_watch(const poller_watch&) = delete;
  poller_watch& operator=(const poller_watch&) = delete;
  ~poller_watch();

  /// Whether this build's Asio polls with something that can wait for a port descriptor.
  static bool available() noexcept;

  /// Creates the context's poller now. Asio shuts services down newest first: a poller made
  /// before the reactor outlives it, so the reactor can still take its descriptor out.
  void prepare(boost::asio::execution_context& ctx);

  /// Watches `descriptor` until stop(); each time it signals, drain(owner) runs.
  void start(int descriptor, drain_function drain, void* owner, boost::system::error_code& ec);

  /// Takes the descriptor out of the poller; a drain already running on another thread may still
  /// be finishing. Idempotent.
  void stop() noexcept;

private:
  struct impl;
  impl* impl_ = nullptr;
};

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_SRC_REACTOR_POLLER_WATCH_HPP
