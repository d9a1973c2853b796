//
// src/reactor/configuration.cpp
//
// What a reactor runs with and why a configuration cannot run: the options, the environment's
// overrides (BOOST_SOCKN_BACKEND through the port, BOOST_SOCKN_TRIGGER and BOOST_SOCKN_DELIVERY
// here), their resolution, configure(), and the explanations the throwing overloads of open and
// assign carry.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "reactor_impl.hpp"
#include "../port/names.hpp"

#include <boost/asio/detail/scheduler.hpp>
#include <boost/asio/detail/throw_error.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstdlib>
#include <type_traits>

namespace boost_sockn {

namespace {

// Chosen by bench/socket_bench (see docs/reactor.md).
constexpr trigger_policy default_policy = trigger_policy::level_oneshot;

// Whether thread_pool and system_context run io_context's scheduler type, and so can be served:
// they do where io_context's scheduler is Asio's portable one (not on Windows, where io_context
// runs on its completion port).
constexpr bool scheduler_shared_by_other_contexts =
    std::is_same<detail::scheduler_impl, boost::asio::detail::scheduler>::value;

} // namespace

const char* to_string(readiness_delivery d) noexcept
{
  switch (d)
  {
  case readiness_delivery::automatic: return "automatic";
  case readiness_delivery::io_threads: return "io_threads";
  case readiness_delivery::readiness_thread: return "readiness_thread";
  }
  return "unknown";
}

const char* to_string(trigger_policy p) noexcept
{
  switch (p)
  {
  case trigger_policy::automatic: return "automatic";
  case trigger_policy::level_oneshot: return "level_oneshot";
  case trigger_policy::edge_persistent: return "edge_persistent";
  }
  return "unknown";
}

namespace detail {

resolved_options reactor_impl::resolve(const reactor_options& in, boost::system::error_code& ec,
                                       std::string& why)
{
  resolved_options out;
  ec.clear();
  if (in.batch_capacity < 1 || in.batch_capacity > 65536)
  {
    ec = boost::asio::error::invalid_argument;
    why = "batch_capacity must be between 1 and 65536";
    return out;
  }
  out.backend = notification_port::resolve(in.backend, ec, why);
  if (ec)
    return out;

  trigger_policy& policy = out.policy;
  policy = in.policy;
  if (policy == trigger_policy::automatic)
  {
    policy = default_policy;
    if (const char* env = std::getenv("BOOST_SOCKN_TRIGGER"))
    {
      if (equal_names(env, to_string(trigger_policy::level_oneshot)))
        policy = trigger_policy::level_oneshot;
      else if (equal_names(env, to_string(trigger_policy::edge_persistent)))
        policy = trigger_policy::edge_persistent;
      else if (*env && !equal_names(env, to_string(trigger_policy::automatic)))
      {
        // "automatic" is accepted as BOOST_SOCKN_BACKEND accepts it: the default stands.
        ec = port_errc::unknown_policy;
        why = std::string("BOOST_SOCKN_TRIGGER=") + env
              + ": no such trigger policy (automatic, level_oneshot or edge_persistent, in any case)";
        return out;
      }
    }
  }

  // Known from the backend's kind: a getter asking for the policy opens no port.
  if (policy == trigger_policy::edge_persistent)
  {
    if (!notification_port::supports(out.backend, trigger::edge | trigger::persistent))
    {
      ec = port_errc::unsupported_trigger;
      why = std::string("the ") + to_string(out.backend)
            + " backend has no edge triggers, which the edge_persistent policy needs";
      return out;
    }
  }

  readiness_delivery& delivery = out.delivery;
  delivery = in.delivery;
  if (delivery == readiness_delivery::automatic)
  {
    if (const char* env = std::getenv("BOOST_SOCKN_DELIVERY"))
    {
      if (equal_names(env, to_string(readiness_delivery::io_threads)))
        delivery = readiness_delivery::io_threads;
      else if (equal_names(env, to_string(readiness_delivery::readiness_thread)))
        delivery = readiness_delivery::readiness_thread;
      else if (*env && !equal_names(env, to_string(readiness_delivery::automatic)))
      {
        ec = port_errc::unknown_delivery;
        why = std::string("BOOST_SOCKN_DELIVERY=") + env
              + ": no such readiness delivery (automatic, io_threads or readiness_thread, in any "
                "case)";
        return out;
      }
    }
  }
  // io threads can drain the port only where their own poller can wait for it.
  const bool io_threads_possible =
      poller_watch::available() && notification_port::pollable(out.backend);
  if (delivery == readiness_delivery::automatic)
    delivery = io_threads_possible ? readiness_delivery::io_threads
                                   : readiness_delivery::readiness_thread;
  else if (delivery == readiness_delivery::io_threads && !io_threads_possible)
  {
    ec = boost::asio::error::operation_not_supported;
    why = poller_watch::available()
              ? std::string("io_threads delivery needs a port the io_context's poller can wait "
                            "for, which the ")
                    + to_string(out.backend) + " backend lacks"
              : std::string("io_threads delivery needs an io_context that polls with epoll; "
                            "this one waits on a completion port (use readiness_thread)");
  }
  return out;
}

void reactor_impl::configure(const reactor_options& o, boost::system::error_code& ec,
                             std::string& why)
{
  std::lock_guard<std::mutex> starting(start_mutex_); // no start can be reading the options
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_ || shut_down_.load(std::memory_order_relaxed))
  {
    ec = boost::asio::error::already_started;
    why = "the reactor of this execution context is in use already: configure it before the "
          "context's first boost_sockn socket is opened";
    return;
  }
  resolve(o, ec, why);
  if (!ec)
    options_ = o;
}

// Derived again from what is fixed, never kept from an earlier failure: a reason recorded then
// could be paired later with an unrelated error that has the same code (a socket() that fails
// with the errno an earlier port open failed with).
std::string reactor_impl::explain(const boost::system::error_code& ec) const
{
  if (!ec)
    return std::string();
  if (!scheduler_)
    return ec == boost::asio::error::operation_not_supported
               ? std::string("boost_sockn's I/O objects run their operations on the scheduler of "
                             "an io_context, which this execution context lacks: use an "
                             "io_context")
                     + (scheduler_shared_by_other_contexts
                            ? ", a thread_pool or the system_executor"
                            : " (here thread_pool and system_executor run another scheduler)")
               : std::string();
  reactor_options o;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_)
      return std::string(); // its configuration runs: the error has another cause
    o = options_;
  }
  boost::system::error_code again;
  std::string why;
  resolve(o, again, why);
  return again == ec ? why : std::string();
}

reactor_options reactor_impl::options() const
{
  std::lock_guard<std::mutex> lock(mutex_);
  return options_;
}

backend_kind reactor_impl::backend() const
{
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_)
    return port_.backend();
  boost::system::error_code ec;
  std::string why;
  return resolve(options_, ec, why).backend;
}

trigger_policy reactor_impl::policy() const
{
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_)
    return policy_;
  boost::system::error_code ec;
  std::string why;
  return resolve(options_, ec, why).policy;
}

readiness_delivery reactor_impl::delivery() const
{
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_)
    return delivery_;
  boost::system::error_code ec;
  std::string why;
  return resolve(options_, ec, why).delivery;
}

BOOST_SOCKN_ABI_BEGIN

void throw_reactor_error(reactor_impl& r, const boost::system::error_code& ec, const char* what)
{
  if (!ec)
    return;
  const std::string why = r.explain(ec);
  if (why.empty())
    boost::asio::detail::throw_error(ec, what);
  boost::throw_exception(boost::system::system_error(ec, std::string(what) + ": " + why));
}

BOOST_SOCKN_ABI_END

} // namespace detail

void reactor::configure(boost::asio::execution_context& ctx, const reactor_options& options,
                        boost::system::error_code& ec)
{
  std::string why;
  boost::asio::use_service<reactor>(ctx).impl_->configure(options, ec, why);
}

void reactor::configure(boost::asio::execution_context& ctx, const reactor_options& options)
{
  boost::system::error_code ec;
  std::string why;
  boost::asio::use_service<reactor>(ctx).impl_->configure(options, ec, why);
  if (ec)
    boost::throw_exception(boost::system::system_error(ec, "configure: " + why));
}

bool reactor::available(const reactor_options& options, std::string& why)
{
  boost::system::error_code ec;
  detail::reactor_impl::resolve(options, ec, why);
  return !ec;
}

} // namespace boost_sockn
