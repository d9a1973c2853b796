//
// src/reactor/poller_watch_epoll.cpp
//
// Linux: the port's descriptor joins the epoll set of the io_context's own reactor, with one
// operation that never completes. Asio's internal-descriptor registration (the one its signal
// handling uses) counts no outstanding work, so a watched port never keeps run() from returning.
// The operation's perform step runs on the io thread that took the event, inside the scheduler's
// handler for the descriptor: the drain it calls posts the ready sockets to that thread's
// private queue, and they run there next.
//
// Asio registers such descriptors edge-triggered: the port's descriptor signals once per batch
// of news, so whatever a drain leaves in the port is the drain's to come back for (the
// reactor's follow-up turn), not the poller's.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "poller_watch.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>
#include <boost/asio/error.hpp>

#include <type_traits>

// The scheduler's task must be this very reactor type, or the descriptor would sit in a poller
// nobody waits in (io_uring as Asio's default, or epoll disabled).
#if !defined(BOOST_ASIO_HAS_EPOLL) || defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
# error "poller_watch_epoll.cpp needs Asio's epoll reactor; build poller_watch_none.cpp instead"
#endif

namespace boost_sockn {
namespace detail {

using epoll_poller = boost::asio::detail::epoll_reactor;
static_assert(std::is_same<boost::asio::detail::reactor, epoll_poller>::value,
              "Asio's scheduler waits in epoll_reactor");

struct poller_watch::impl
{
  // Stays queued for the descriptor's whole watch: perform drains and reports not_done.
  class watch_op : public boost::asio::detail::reactor_op
  {
  public:
    watch_op()
      : boost::asio::detail::reactor_op(boost::system::error_code(), &watch_op::do_perform,
                                        &watch_op::do_complete)
    {
    }

    drain_function drain = nullptr;
    void* owner = nullptr;

  private:
    static status do_perform(boost::asio::detail::reactor_op* base)
    {
      watch_op* op = static_cast<watch_op*>(base);
      op->drain(op->owner);
      return not_done;
    }

    // Reached only when the poller destroys its queued operations (deregistration, shutdown):
    // the operation belongs to the watch, which frees it.
    static void do_complete(void*, boost::asio::detail::operation*,
                            const boost::system::error_code&, std::size_t)
    {
    }
  };

  explicit impl(epoll_poller& p) : poller(p) {}

  epoll_poller& poller;
  epoll_poller::per_descriptor_data data = nullptr;
  int descriptor = -1;
  watch_op op;
};

poller_watch::~poller_watch()
{
  stop();
  delete impl_;
}

bool poller_watch::available() noexcept { return true; }

void poller_watch::prepare(boost::asio::execution_context& ctx)
{
  if (!impl_)
    impl_ = new impl(boost::asio::use_service<epoll_poller>(ctx));
}

void poller_watch::start(int descriptor, drain_function drain, void* owner,
                         boost::system::error_code& ec)
{
  ec.clear();
  if (!impl_ || impl_->descriptor >= 0 || descriptor < 0)
  {
    ec = boost::asio::error::invalid_argument;
    return;
  }
  impl_->op.drain = drain;
  impl_->op.owner = owner;
  // The scheduler runs the poller as its task only once someone asks: a context whose only I/O
  // objects are ours would otherwise never wait in epoll at all.
  impl_->poller.init_task();
  if (int err = impl_->poller.register_internal_descriptor(epoll_poller::read_op, descriptor,
                                                           impl_->data, &impl_->op))
  {
    ec = boost::system::error_code(err, boost::asio::error::get_system_category());
    // The failed registration still holds the operation: take it back before the state goes.
    impl_->poller.deregister_internal_descriptor(descriptor, impl_->data);
    impl_->poller.cleanup_descriptor_data(impl_->data);
    return;
  }
  impl_->descriptor = descriptor;
}

void poller_watch::stop() noexcept
{
  if (!impl_ || impl_->descriptor < 0)
    return;
  impl_->poller.deregister_internal_descriptor(impl_->descriptor, impl_->data);
  impl_->poller.cleanup_descriptor_data(impl_->data);
  impl_->descriptor = -1;
}

} // namespace detail
} // namespace boost_sockn
