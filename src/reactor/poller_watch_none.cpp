//
// src/reactor/poller_watch_none.cpp
//
// Where Asio's scheduler is not epoll-based (Windows: it waits on its own completion port, which
// cannot wait for another port), there is nothing to watch with: the reactor's readiness thread
// waits in the port instead. docs/reactor.md, "Delivery", records what Windows would need.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "poller_watch.hpp"

#include <boost/asio/error.hpp>

namespace boost_sockn {
namespace detail {

struct poller_watch::impl
{
};

// Never allocated here; freed all the same, so that the member is the same on every system.
poller_watch::~poller_watch() { delete impl_; }

bool poller_watch::available() noexcept { return false; }

void poller_watch::prepare(boost::asio::execution_context&) {}

void poller_watch::start(int, drain_function, void*, boost::system::error_code& ec)
{
  ec = boost::asio::error::operation_not_supported;
}

void poller_watch::stop() noexcept {}

} // namespace detail
} // namespace boost_sockn
