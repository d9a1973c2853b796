//
// boost_sockn/beast/basic_stream.hpp
//
// beast::basic_stream, member for member, over boost_sockn's stream socket: a socket with
// timeouts and a rate policy that Beast's HTTP and WebSocket algorithms take as their next layer.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BEAST_BASIC_STREAM_HPP
#define BOOST_SOCKN_BEAST_BASIC_STREAM_HPP

#include <boost_sockn/basic_stream_socket.hpp>
#include <boost_sockn/beast/rate_policy.hpp>
#include <boost_sockn/connect.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/async_base.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/core/empty_value.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

namespace boost {
namespace asio {
namespace ssl {
template <class>
class stream;
} // namespace ssl
} // namespace asio
} // namespace boost

namespace boost_sockn {

/// A stream socket with timeouts and a rate policy, as beast::basic_stream.
///
/// The socket and the timers live in a shared state that pending operations keep alive, so the
/// stream may be destroyed with operations pending: they complete with operation_aborted. When an
/// expiry set by expires_after/expires_at passes while an operation waits, the socket is closed and
/// that operation completes with beast::error::timeout. One read and one write may be pending at
/// a time, as with Beast.
template <class Protocol, class Executor = boost::asio::any_io_executor,
          class RatePolicy = unlimited_rate_policy>
class basic_stream
{
public:
  using socket_type = basic_stream_socket<Protocol, Executor>;
  using executor_type = typename socket_type::executor_type;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;

  template <class Executor1>
  struct rebind_executor
  {
    using other = basic_stream<Protocol, Executor1, RatePolicy>;
  };

private:
  // ssl::stream reaches the socket through lowest_layer(), as it does with Beast's stream; the
  // layer stays private so that beast::get_lowest_layer stops at this stream.
  template <class>
  friend class boost::asio::ssl::stream;
  template <class, class, class>
  friend class basic_stream;

  using lowest_layer_type = socket_type;
  lowest_layer_type& lowest_layer() noexcept { return impl_->socket; }
  const lowest_layer_type& lowest_layer() const noexcept { return impl_->socket; }

  using clock_type = std::chrono::steady_clock;
  using timer_type = boost::asio::basic_waitable_timer<
      clock_type, boost::asio::wait_traits<clock_type>, Executor>;

  static clock_type::time_point never() noexcept { return (clock_type::time_point::max)(); }

  // The deadline of one direction. `tick` tells a late timeout handler that the operation it
  // was armed for has finished: cancelling the timer is not enough, since the handler may already
  // be queued when the operation completes.
  struct direction
  {
    timer_type timer;
    std::uint64_t tick = 0;
    bool pending = false;
    bool timed_out = false;

    explicit direction(const executor_type& ex) : timer(ex, never()) {}
  };

  struct impl_type : boost::empty_value<RatePolicy>
  {
    socket_type socket;
    direction read;
    direction write;
    timer_type rate_timer;   // waits for the next refill of an exhausted budget
    clock_type::time_point refilled = clock_type::now();
    unsigned rate_waiters = 0;

    template <class... Args>
    explicit impl_type(std::false_type, Args&&... args)
      : socket(std::forward<Args>(args)...), read(socket.get_executor()),
        write(socket.get_executor()), rate_timer(socket.get_executor())
    {
    }

    template <class Policy, class... Args>
    impl_type(std::true_type, Policy&& policy, Args&&... args)
      : boost::empty_value<RatePolicy>(boost::empty_init_t(), std::forward<Policy>(policy)),
        socket(std::forward<Args>(args)...), read(socket.get_executor()),
        write(socket.get_executor()), rate_timer(socket.get_executor())
    {
    }

    RatePolicy& policy() noexcept { return this->get(); }

    // Budgets refill once a second, and only when an operation finds its budget empty: an idle
    // stream keeps no timer running.
    bool refill_if_due()
    {
      auto now = clock_type::now();
      if (now - refilled < std::chrono::seconds(1))
        return false;
      refilled = now;
      rate_policy_access::on_timer(policy());
      return true;
    }

    void close() noexcept
    {
      boost::system::error_code ignored;
      socket.close(ignored);
      try
      {
        rate_timer.cancel();
      }
      catch (...)
      {
      }
    }
  };

  std::shared_ptr<impl_type> impl_;

  template <class T>
  using if_not_policy = typename std::enable_if<
      !std::is_constructible<RatePolicy, T>::value>::type;
  template <class T>
  using if_policy = typename std::enable_if<std::is_constructible<RatePolicy, T>::value>::type;
  template <class T>
  using if_sequence =
      typename std::enable_if<boost::asio::is_endpoint_sequence<T>::value>::type;

  template <class OpExecutor>
  class timeout_handler;
  template <bool IsRead, class Buffers, class Handler>
  class transfer_op;
  template <class Handler>
  class connect_op;
  struct initiate_transfer;
  struct initiate_connect;

public:
  /// Closes the socket; pending operations complete with operation_aborted.
  ~basic_stream() { impl_->close(); }

  /// Constructs the socket from the arguments (an executor or context, a socket to adopt, ...).
  template <class Arg0, class... Args, class = if_not_policy<Arg0>>
  explicit basic_stream(Arg0&& arg0, Args&&... args)
    : impl_(std::make_shared<impl_type>(std::false_type(), std::forward<Arg0>(arg0),
                                        std::forward<Args>(args)...))
  {
  }

  /// As above, with the rate policy first.
  template <class RatePolicy_, class Arg0, class... Args, class = if_policy<RatePolicy_>>
  basic_stream(RatePolicy_&& policy, Arg0&& arg0, Args&&... args)
    : impl_(std::make_shared<impl_type>(std::true_type(), std::forward<RatePolicy_>(policy),
                                        std::forward<Arg0>(arg0), std::forward<Args>(args)...))
  {
  }

  /// Moves the state; the moved-from stream keeps an executor and a closed socket.
  basic_stream(basic_stream&& other)
    : impl_(std::make_shared<impl_type>(std::move(*other.impl_)))
  {
  }

  /// Takes the socket of a stream on another executor type (see rebind_executor).
  template <class Executor_>
  basic_stream(basic_stream<Protocol, Executor_, RatePolicy>&& other)
    : impl_(std::make_shared<impl_type>(std::false_type(), std::move(other.impl_->socket)))
  {
  }

  basic_stream& operator=(basic_stream&&) = delete;

  socket_type& socket() noexcept { return impl_->socket; }
  const socket_type& socket() const noexcept { return impl_->socket; }

  /// Cancels what is pending and hands the socket over; the stream is left with a closed one.
  socket_type release_socket()
  {
    cancel();
    return std::move(impl_->socket);
  }

  RatePolicy& rate_policy() noexcept { return impl_->policy(); }
  const RatePolicy& rate_policy() const noexcept { return impl_->get(); }

  /// Sets the deadline of the next operations. A direction with an operation pending keeps its
  /// deadline: the new one applies from its next operation.
  void expires_after(boost::asio::steady_timer::duration expiry_time)
  {
    set_expiry([&](timer_type& t) { t.expires_after(expiry_time); });
  }

  void expires_at(boost::asio::steady_timer::time_point expiry_time)
  {
    set_expiry([&](timer_type& t) { t.expires_at(expiry_time); });
  }

  void expires_never()
  {
    set_expiry([](timer_type& t) { t.expires_at(never()); });
  }

  /// Cancels the pending operations, including one waiting for its rate budget.
  void cancel()
  {
    boost::system::error_code ignored;
    impl_->socket.cancel(ignored);
    impl_->rate_timer.cancel();
  }

  void close() { impl_->close(); }

  executor_type get_executor() noexcept { return impl_->socket.get_executor(); }

  // Synchronous connect: no timeouts, as in Beast.

  void connect(const endpoint_type& ep) { socket().connect(ep); }
  void connect(const endpoint_type& ep, boost::system::error_code& ec) { socket().connect(ep, ec); }

  template <class EndpointSequence, class = if_sequence<EndpointSequence>>
  endpoint_type connect(const EndpointSequence& endpoints)
  {
    return boost_sockn::connect(socket(), endpoints);
  }
  template <class EndpointSequence, class = if_sequence<EndpointSequence>>
  endpoint_type connect(const EndpointSequence& endpoints, boost::system::error_code& ec)
  {
    return boost_sockn::connect(socket(), endpoints, ec);
  }
  template <class Iterator>
  Iterator connect(Iterator begin, Iterator end)
  {
    return boost_sockn::connect(socket(), begin, end);
  }
  template <class Iterator>
  Iterator connect(Iterator begin, Iterator end, boost::system::error_code& ec)
  {
    return boost_sockn::connect(socket(), begin, end, ec);
  }
  template <class EndpointSequence, class ConnectCondition,
            class = if_sequence<EndpointSequence>>
  endpoint_type connect(const EndpointSequence& endpoints, ConnectCondition connect_condition)
  {
    return boost_sockn::connect(socket(), endpoints, connect_condition);
  }
  template <class EndpointSequence, class ConnectCondition,
            class = if_sequence<EndpointSequence>>
  endpoint_type connect(const EndpointSequence& endpoints, ConnectCondition connect_condition,
                        boost::system::error_code& ec)
  {
    return boost_sockn::connect(socket(), endpoints, connect_condition, ec);
  }
  template <class Iterator, class ConnectCondition>
  Iterator connect(Iterator begin, Iterator end, ConnectCondition connect_condition)
  {
    return boost_sockn::connect(socket(), begin, end, connect_condition);
  }
  template <class Iterator, class ConnectCondition>
  Iterator connect(Iterator begin, Iterator end, ConnectCondition connect_condition,
                   boost::system::error_code& ec)
  {
    return boost_sockn::connect(socket(), begin, end, connect_condition, ec);
  }

  // Asynchronous connect, under the write deadline.

  template <class ConnectToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_connect(const endpoint_type& ep,
                     ConnectToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ConnectToken, void(boost::system::error_code)>(
          std::declval<initiate_connect>(), token, ep))
  {
    return boost::asio::async_initiate<ConnectToken, void(boost::system::error_code)>(
        initiate_connect{this}, token, ep);
  }

  template <class EndpointSequence,
            class RangeConnectToken = boost::asio::default_completion_token_t<executor_type>,
            class = if_sequence<EndpointSequence>>
  auto async_connect(const EndpointSequence& endpoints,
                     RangeConnectToken&& token =
                         boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<RangeConnectToken,
                                              void(boost::system::error_code, endpoint_type)>(
          std::declval<initiate_connect>(), token, endpoints, detail::default_connect_condition()))
  {
    return boost::asio::async_initiate<RangeConnectToken,
                                       void(boost::system::error_code, endpoint_type)>(
        initiate_connect{this}, token, endpoints, detail::default_connect_condition());
  }

  template <class EndpointSequence, class ConnectCondition,
            class RangeConnectToken = boost::asio::default_completion_token_t<executor_type>,
            class = if_sequence<EndpointSequence>>
  auto async_connect(const EndpointSequence& endpoints, ConnectCondition connect_condition,
                     RangeConnectToken&& token =
                         boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<RangeConnectToken,
                                              void(boost::system::error_code, endpoint_type)>(
          std::declval<initiate_connect>(), token, endpoints, connect_condition))
  {
    return boost::asio::async_initiate<RangeConnectToken,
                                       void(boost::system::error_code, endpoint_type)>(
        initiate_connect{this}, token, endpoints, connect_condition);
  }

  template <class Iterator,
            class IteratorConnectToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_connect(Iterator begin, Iterator end,
                     IteratorConnectToken&& token =
                         boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<IteratorConnectToken,
                                              void(boost::system::error_code, Iterator)>(
          std::declval<initiate_connect>(), token, begin, end,
          detail::default_connect_condition()))
  {
    return boost::asio::async_initiate<IteratorConnectToken,
                                       void(boost::system::error_code, Iterator)>(
        initiate_connect{this}, token, begin, end, detail::default_connect_condition());
  }

  template <class Iterator, class ConnectCondition,
            class IteratorConnectToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_connect(Iterator begin, Iterator end, ConnectCondition connect_condition,
                     IteratorConnectToken&& token =
                         boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<IteratorConnectToken,
                                              void(boost::system::error_code, Iterator)>(
          std::declval<initiate_connect>(), token, begin, end, connect_condition))
  {
    return boost::asio::async_initiate<IteratorConnectToken,
                                       void(boost::system::error_code, Iterator)>(
        initiate_connect{this}, token, begin, end, connect_condition);
  }

  // Synchronous transfers pass straight to the socket: no timeouts and no rate limit, as in Beast.

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers)
  {
    return impl_->socket.read_some(buffers);
  }
  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec)
  {
    return impl_->socket.read_some(buffers, ec);
  }
  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers)
  {
    return impl_->socket.write_some(buffers);
  }
  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec)
  {
    return impl_->socket.write_some(buffers, ec);
  }

  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_read_some(const MutableBufferSequence& buffers,
                       ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken,
                                              void(boost::system::error_code, std::size_t)>(
          std::declval<initiate_transfer>(), token, std::true_type(), buffers))
  {
    static_assert(boost::asio::is_mutable_buffer_sequence<MutableBufferSequence>::value,
                  "MutableBufferSequence type requirements not met");
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        initiate_transfer{this}, token, std::true_type(), buffers);
  }

  template <class ConstBufferSequence,
            class WriteToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_write_some(const ConstBufferSequence& buffers,
                        WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken,
                                              void(boost::system::error_code, std::size_t)>(
          std::declval<initiate_transfer>(), token, std::false_type(), buffers))
  {
    static_assert(boost::asio::is_const_buffer_sequence<ConstBufferSequence>::value,
                  "ConstBufferSequence type requirements not met");
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        initiate_transfer{this}, token, std::false_type(), buffers);
  }

private:
  template <class Set>
  void set_expiry(Set set)
  {
    // Beast's contract: with both directions pending no deadline can change.
    BOOST_ASSERT(!impl_->read.pending || !impl_->write.pending);
    if (!impl_->read.pending)
      set(impl_->read.timer);
    if (!impl_->write.pending)
      set(impl_->write.timer);
  }
};

} // namespace boost_sockn

#include <boost_sockn/beast/impl/basic_stream.hpp>

// Beast's own basic_stream brings its WebSocket teardown and close_socket hooks with it, so
// websocket::stream<beast::tcp_stream> needs no further include; ours must not need one either.
// Included last: teardown.hpp uses the complete class.
#include <boost_sockn/beast/teardown.hpp>

#endif
