//
// boost_sockn/beast/impl/basic_stream.hpp
//
// The asynchronous operations of basic_stream: a transfer guarded by a deadline and a rate
// budget, and connect guarded by the write deadline. They are composed with Beast's async_base,
// which brings the handler's executor, allocator, work and cancellation slot along.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BEAST_IMPL_BASIC_STREAM_HPP
#define BOOST_SOCKN_BEAST_IMPL_BASIC_STREAM_HPP

#include <algorithm>

namespace boost_sockn {

// Runs when a deadline passes. It holds the state weakly: a stream that is gone has nothing left
// to close. It carries the operation's executor so that, under a strand, closing the socket is
// serialised with the operation it interrupts.
template <class Protocol, class Executor, class RatePolicy>
template <class OpExecutor>
class basic_stream<Protocol, Executor, RatePolicy>::timeout_handler
{
public:
  using executor_type = OpExecutor;

  timeout_handler(const std::shared_ptr<impl_type>& impl, direction impl_type::*which,
                  executor_type ex)
    : impl_(impl), which_(which), tick_((impl.get()->*which).tick), ex_(std::move(ex))
  {
  }

  executor_type get_executor() const noexcept { return ex_; }

  void operator()(boost::system::error_code ec)
  {
    if (ec == boost::asio::error::operation_aborted)
      return;
    auto impl = impl_.lock();
    if (!impl)
      return;
    direction& d = impl.get()->*which_;
    if (d.tick != tick_)
      return; // the operation finished while this handler was queued
    impl->close();
    d.timed_out = true;
  }

private:
  std::weak_ptr<impl_type> impl_;
  direction impl_type::*which_;
  std::uint64_t tick_;
  executor_type ex_;
};

template <class Protocol, class Executor, class RatePolicy>
template <bool IsRead, class Buffers, class Handler>
class basic_stream<Protocol, Executor, RatePolicy>::transfer_op
  : public boost::beast::async_base<Handler, Executor>
{
  using base = boost::beast::async_base<Handler, Executor>;
  enum class step : unsigned char { zero_size, budget, transfer };

  std::shared_ptr<impl_type> impl_;
  Buffers buffers_;
  step step_ = step::transfer;
  bool owns_pending_ = false;
  bool armed_ = false;

  static constexpr direction impl_type::*which() noexcept
  {
    return IsRead ? &impl_type::read : &impl_type::write;
  }
  direction& dir() const noexcept { return impl_.get()->*which(); }

  std::size_t available() const
  {
    if constexpr (IsRead)
      return rate_policy_access::available_read_bytes(impl_->policy());
    else
      return rate_policy_access::available_write_bytes(impl_->policy());
  }

  void spend(std::size_t n) const
  {
    if constexpr (IsRead)
      rate_policy_access::transfer_read_bytes(impl_->policy(), n);
    else
      rate_policy_access::transfer_write_bytes(impl_->policy(), n);
  }

  void perform(std::size_t amount)
  {
    if constexpr (IsRead)
      impl_->socket.async_read_some(boost::beast::buffers_prefix(amount, buffers_),
                                    std::move(*this));
    else
      impl_->socket.async_write_some(boost::beast::buffers_prefix(amount, buffers_),
                                     std::move(*this));
  }

  // Every exit funnels through here: the deadline is disarmed first, so a timeout that fired is
  // reported as beast::error::timeout whatever error the interrupted call returned.
  void finish(boost::system::error_code ec, std::size_t n)
  {
    direction& d = dir();
    if (armed_)
    {
      ++d.tick;
      if (d.timer.cancel() == 0 && d.timed_out)
      {
        d.timed_out = false;
        ec = boost::beast::error::timeout;
      }
    }
    if (owns_pending_)
      d.pending = false;
    spend(n);
    this->complete_now(ec, n);
  }

public:
  template <class Handler_>
  transfer_op(Handler_&& h, basic_stream& s, const Buffers& b)
    : base(std::forward<Handler_>(h), s.get_executor()), impl_(s.impl_), buffers_(b)
  {
    this->set_allowed_cancellation(boost::asio::cancellation_type::all);
    direction& d = dir();
    if (boost::asio::buffer_size(buffers_) == 0)
    {
      // A zero-size transfer next to a pending one of the same direction completes at once, as
      // Asio's zero-size rule asks; otherwise it still goes to the socket to report its state.
      if (d.pending)
      {
        this->complete(false, boost::system::error_code(), 0);
        return;
      }
      d.pending = owns_pending_ = true;
      step_ = step::zero_size;
      perform(0);
      return;
    }

    BOOST_ASSERT(!d.pending);
    d.pending = owns_pending_ = true;
    if (d.timer.expiry() != never())
    {
      armed_ = true;
      d.timer.async_wait(timeout_handler<typename base::executor_type>(impl_, which(),
                                                                        this->get_executor()));
    }
    if (available() == 0 && !impl_->refill_if_due())
    {
      wait_for_budget();
      return;
    }
    perform((std::max<std::size_t>)(available(), 1));
  }

  void operator()(boost::system::error_code ec, std::size_t n = 0)
  {
    switch (step_)
    {
    case step::zero_size:
      if (dir().timer.expiry() <= clock_type::now())
      {
        impl_->close();
        ec = boost::beast::error::timeout;
      }
      finish(ec, 0);
      return;
    case step::budget:
      --impl_->rate_waiters;
      if (ec)
      {
        finish(ec, 0);
        return;
      }
      impl_->refill_if_due();
      step_ = step::transfer;
      // A policy that grants nothing still lets one byte through per second, so nothing stalls.
      perform((std::max<std::size_t>)(available(), 1));
      return;
    case step::transfer:
      finish(ec, n);
      return;
    }
  }

private:
  void wait_for_budget()
  {
    step_ = step::budget;
    // Both directions wait for the same refill, so the timer is set only by the first waiter:
    // setting it again would cancel the other direction's wait.
    if (impl_->rate_waiters++ == 0)
      impl_->rate_timer.expires_at(impl_->refilled + std::chrono::seconds(1));
    impl_->rate_timer.async_wait(std::move(*this));
  }
};

template <class Protocol, class Executor, class RatePolicy>
template <class Handler>
class basic_stream<Protocol, Executor, RatePolicy>::connect_op
  : public boost::beast::async_base<Handler, Executor>
{
  using base = boost::beast::async_base<Handler, Executor>;

  std::shared_ptr<impl_type> impl_;
  bool armed_ = false;

  // A connect occupies both directions, as in Beast: nothing may be read or written meanwhile.
  void arm()
  {
    this->set_allowed_cancellation(boost::asio::cancellation_type::all);
    BOOST_ASSERT(!impl_->read.pending && !impl_->write.pending);
    impl_->read.pending = impl_->write.pending = true;
    if (impl_->write.timer.expiry() != never())
    {
      armed_ = true;
      impl_->write.timer.async_wait(timeout_handler<typename base::executor_type>(
          impl_, &impl_type::write, this->get_executor()));
    }
  }

public:
  template <class Handler_>
  connect_op(Handler_&& h, basic_stream& s, const endpoint_type& ep)
    : base(std::forward<Handler_>(h), s.get_executor()), impl_(s.impl_)
  {
    arm();
    impl_->socket.async_connect(ep, std::move(*this));
  }

  template <class Handler_, class EndpointSequence, class Condition>
  connect_op(Handler_&& h, basic_stream& s, const EndpointSequence& eps, const Condition& cond)
    : base(std::forward<Handler_>(h), s.get_executor()), impl_(s.impl_)
  {
    arm();
    boost_sockn::async_connect(impl_->socket, eps, cond, std::move(*this));
  }

  template <class Handler_, class Iterator, class Condition>
  connect_op(Handler_&& h, basic_stream& s, Iterator begin, Iterator end, const Condition& cond)
    : base(std::forward<Handler_>(h), s.get_executor()), impl_(s.impl_)
  {
    arm();
    boost_sockn::async_connect(impl_->socket, begin, end, cond, std::move(*this));
  }

  template <class... Args>
  void operator()(boost::system::error_code ec, Args&&... args)
  {
    direction& d = impl_->write;
    if (armed_)
    {
      ++d.tick;
      if (d.timer.cancel() == 0 && d.timed_out)
      {
        d.timed_out = false;
        ec = boost::beast::error::timeout;
      }
    }
    impl_->read.pending = impl_->write.pending = false;
    this->complete_now(ec, std::forward<Args>(args)...);
  }
};

template <class Protocol, class Executor, class RatePolicy>
struct basic_stream<Protocol, Executor, RatePolicy>::initiate_transfer
{
  using executor_type = Executor;
  basic_stream* self;

  executor_type get_executor() const noexcept { return self->get_executor(); }

  template <class Handler, bool IsRead, class Buffers>
  void operator()(Handler&& handler, std::integral_constant<bool, IsRead>,
                  const Buffers& buffers) const
  {
    transfer_op<IsRead, Buffers, typename std::decay<Handler>::type>(
        std::forward<Handler>(handler), *self, buffers);
  }
};

template <class Protocol, class Executor, class RatePolicy>
struct basic_stream<Protocol, Executor, RatePolicy>::initiate_connect
{
  using executor_type = Executor;
  basic_stream* self;

  executor_type get_executor() const noexcept { return self->get_executor(); }

  template <class Handler, class... Args>
  void operator()(Handler&& handler, const Args&... args) const
  {
    connect_op<typename std::decay<Handler>::type>(std::forward<Handler>(handler), *self,
                                                   args...);
  }
};

} // namespace boost_sockn

#endif
