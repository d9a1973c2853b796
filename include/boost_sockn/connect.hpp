//
// boost_sockn/connect.hpp
//
// boost_sockn::connect / async_connect: Asio's free functions over endpoint sequences and
// iterator ranges (boost::asio::connect accepts only Asio's own sockets). Same overloads, same
// completion signatures, same results: the first endpoint that connects, error::not_found when
// the condition rejects every endpoint or there is none, otherwise the last error.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_CONNECT_HPP
#define BOOST_SOCKN_CONNECT_HPP

#include <boost_sockn/basic_socket.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace boost_sockn {

namespace detail {

struct default_connect_condition
{
  template <class Endpoint>
  bool operator()(const boost::system::error_code&, const Endpoint&) const noexcept
  {
    return true;
  }
};

template <class Sequence>
using if_sequence = typename std::enable_if<boost::asio::is_endpoint_sequence<Sequence>::value,
                                            int>::type;
template <class Iterator>
using if_iterator = typename std::enable_if<!boost::asio::is_endpoint_sequence<Iterator>::value,
                                            int>::type;

// The next endpoint the condition accepts, from `it` on. A condition comes in Asio's two forms,
// bool(const error_code&, const endpoint&) and the legacy Iterator(const error_code&, Iterator)
// that returns the next iterator to try itself; Asio's own dispatcher tells them apart, so both
// mean here exactly what they mean to boost::asio::connect.
template <class Condition, class Iterator>
Iterator next_candidate(Condition& cond, const boost::system::error_code& ec, Iterator it,
                        Iterator end)
{
  return boost::asio::detail::call_connect_condition(cond, ec, it, end);
}

template <class Protocol, class Executor, class Iterator, class Condition>
Iterator connect_range(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                       Condition cond, boost::system::error_code& ec)
{
  ec.clear();
  for (Iterator it = next_candidate(cond, ec, begin, end); it != end;)
  {
    boost::system::error_code ignored;
    s.close(ignored);
    s.connect(*it, ec);
    if (!ec)
      return it;
    ++it;
    it = next_candidate(cond, ec, it, end);
  }
  if (!ec)
    ec = boost::asio::error::not_found;
  return end;
}

/// The asynchronous range walk, as a composed operation (cancellation passes through to the
/// socket's async_connect).
template <class Protocol, class Executor, class Iterator, class Condition>
struct connect_range_op
{
  basic_socket<Protocol, Executor>& socket;
  Iterator it;
  Iterator end;
  Condition cond;
  enum { starting, connecting, finishing } state = starting;
  boost::system::error_code last_error = {};

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {})
  {
    switch (state)
    {
    case starting:
      // Partial cancellation reaches the connect in progress, as in Asio's range connect.
      self.reset_cancellation_state(boost::asio::enable_partial_cancellation());
      break;
    case connecting:
      if (!ec)
        return self.complete(ec, it);
      // Cancelled, or the socket closed (a timer closing it is the usual connect timeout):
      // the walk ends there, as Asio's does.
      if (self.get_cancellation_state().cancelled() != boost::asio::cancellation_type::none
          || !socket.is_open())
        return self.complete(boost::asio::error::operation_aborted, end);
      last_error = ec;
      ++it;
      break;
    case finishing:
      return self.complete(last_error ? last_error : make_error_code(boost::asio::error::not_found),
                           end);
    }
    it = next_candidate(cond, last_error, it, end);
    if (it != end)
    {
      boost::system::error_code ignored;
      socket.close(ignored);
      state = connecting;
      socket.async_connect(*it, std::move(self));
      return;
    }
    // Nothing (left) to try: complete through the executor, never inside the initiating call.
    const bool inside_initiation = (state == starting);
    state = finishing;
    if (inside_initiation)
      return boost::asio::post(socket.get_executor(), std::move(self));
    self.complete(last_error ? last_error : make_error_code(boost::asio::error::not_found), end);
  }
};

} // namespace detail

// Synchronous, over an endpoint sequence: return the endpoint that connected.

template <class Protocol, class Executor, class EndpointSequence,
          detail::if_sequence<EndpointSequence> = 0>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints)
{
  boost::system::error_code ec;
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(),
                                  detail::default_connect_condition(), ec);
  boost::asio::detail::throw_error(ec, "connect");
  return *it;
}

template <class Protocol, class Executor, class EndpointSequence,
          detail::if_sequence<EndpointSequence> = 0>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   boost::system::error_code& ec)
{
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(),
                                  detail::default_connect_condition(), ec);
  return ec ? typename Protocol::endpoint() : typename Protocol::endpoint(*it);
}

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition,
          detail::if_sequence<EndpointSequence> = 0>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   ConnectCondition connect_condition)
{
  boost::system::error_code ec;
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(), connect_condition, ec);
  boost::asio::detail::throw_error(ec, "connect");
  return *it;
}

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition,
          detail::if_sequence<EndpointSequence> = 0>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   ConnectCondition connect_condition,
                                   boost::system::error_code& ec)
{
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(), connect_condition, ec);
  return ec ? typename Protocol::endpoint() : typename Protocol::endpoint(*it);
}

// Synchronous, over an iterator range: return the iterator that connected.

template <class Protocol, class Executor, class Iterator,
          detail::if_iterator<Iterator> = 0>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end)
{
  boost::system::error_code ec;
  Iterator it = detail::connect_range(s, begin, end, detail::default_connect_condition(), ec);
  boost::asio::detail::throw_error(ec, "connect");
  return it;
}

template <class Protocol, class Executor, class Iterator, detail::if_iterator<Iterator> = 0>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 boost::system::error_code& ec)
{
  return detail::connect_range(s, begin, end, detail::default_connect_condition(), ec);
}

template <class Protocol, class Executor, class Iterator, class ConnectCondition,
          detail::if_iterator<Iterator> = 0>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 ConnectCondition connect_condition)
{
  boost::system::error_code ec;
  Iterator it = detail::connect_range(s, begin, end, connect_condition, ec);
  boost::asio::detail::throw_error(ec, "connect");
  return it;
}

template <class Protocol, class Executor, class Iterator, class ConnectCondition,
          detail::if_iterator<Iterator> = 0>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 ConnectCondition connect_condition, boost::system::error_code& ec)
{
  return detail::connect_range(s, begin, end, connect_condition, ec);
}

// Asynchronous forms. As in Asio, a call without a condition cannot pick the condition overloads
// when the executor has no default completion token: their defaulted token parameter would be
// `void&&`.

namespace detail {

template <class Protocol, class Executor, class Iterator, class ConnectCondition>
struct initiate_range_connect
{
  basic_socket<Protocol, Executor>* socket;
  using executor_type = Executor;
  const executor_type& get_executor() const noexcept { return socket->get_executor(); }

  template <class Handler>
  void operator()(Handler&& handler, Iterator begin, Iterator end, ConnectCondition cond) const
  {
    boost::asio::async_compose<Handler, void(boost::system::error_code, Iterator)>(
        connect_range_op<Protocol, Executor, Iterator, ConnectCondition>{*socket, begin, end, cond},
        handler, *socket);
  }
};

/// Walks a copy of the sequence (kept alive by the handler chain) and reports the endpoint.
template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition>
struct initiate_sequence_connect
{
  basic_socket<Protocol, Executor>* socket;
  using executor_type = Executor;
  const executor_type& get_executor() const noexcept { return socket->get_executor(); }

  using iterator = decltype(std::declval<const EndpointSequence&>().begin());
  using endpoint = typename Protocol::endpoint;

  template <class Handler>
  struct to_endpoint
  {
    std::shared_ptr<const EndpointSequence> keep;
    Handler handler;

    using allocator_type = boost::asio::associated_allocator_t<Handler>;
    using cancellation_slot_type = boost::asio::associated_cancellation_slot_t<Handler>;
    allocator_type get_allocator() const noexcept
    {
      return boost::asio::get_associated_allocator(handler);
    }
    cancellation_slot_type get_cancellation_slot() const noexcept
    {
      return boost::asio::get_associated_cancellation_slot(handler);
    }

    void operator()(const boost::system::error_code& ec, iterator it)
    {
      endpoint ep = it == keep->end() ? endpoint() : endpoint(*it);
      keep.reset();
      std::move(handler)(ec, ep);
    }
  };

  template <class Handler>
  void operator()(Handler&& handler, const EndpointSequence& endpoints,
                  ConnectCondition cond) const
  {
    using handler_type = typename std::decay<Handler>::type;
    auto seq = std::make_shared<const EndpointSequence>(endpoints);
    auto begin = seq->begin();
    auto end = seq->end();
    // The executor association is read from the handler before it moves into the wrapper.
    auto ex = boost::asio::get_associated_executor(handler, socket->get_executor());
    auto wrapped = boost::asio::bind_executor(
        ex, to_endpoint<handler_type>{std::move(seq), std::forward<Handler>(handler)});
    boost::asio::async_compose<decltype(wrapped), void(boost::system::error_code, iterator)>(
        connect_range_op<Protocol, Executor, iterator, ConnectCondition>{*socket, begin, end, cond},
        wrapped, *socket);
  }
};

} // namespace detail

template <class Protocol, class Executor, class Iterator, class ConnectCondition,
          class IteratorConnectToken = boost::asio::default_completion_token_t<Executor>,
          detail::if_iterator<Iterator> = 0>
auto async_connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                   ConnectCondition connect_condition,
                   IteratorConnectToken&& token = boost::asio::default_completion_token_t<Executor>())
    -> decltype(boost::asio::async_initiate<IteratorConnectToken,
                                            void(boost::system::error_code, Iterator)>(
        std::declval<detail::initiate_range_connect<Protocol, Executor, Iterator, ConnectCondition>>(),
        token, begin, end, connect_condition))
{
  return boost::asio::async_initiate<IteratorConnectToken, void(boost::system::error_code, Iterator)>(
      detail::initiate_range_connect<Protocol, Executor, Iterator, ConnectCondition>{&s}, token,
      begin, end, connect_condition);
}

template <class Protocol, class Executor, class Iterator,
          class IteratorConnectToken = boost::asio::default_completion_token_t<Executor>,
          detail::if_iterator<Iterator> = 0>
auto async_connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                   IteratorConnectToken&& token = boost::asio::default_completion_token_t<Executor>())
    -> decltype(boost::asio::async_initiate<IteratorConnectToken,
                                            void(boost::system::error_code, Iterator)>(
        std::declval<detail::initiate_range_connect<Protocol, Executor, Iterator,
                                                    detail::default_connect_condition>>(),
        token, begin, end, detail::default_connect_condition()))
{
  return boost::asio::async_initiate<IteratorConnectToken, void(boost::system::error_code, Iterator)>(
      detail::initiate_range_connect<Protocol, Executor, Iterator,
                                     detail::default_connect_condition>{&s},
      token, begin, end, detail::default_connect_condition());
}

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition,
          class RangeConnectToken = boost::asio::default_completion_token_t<Executor>,
          detail::if_sequence<EndpointSequence> = 0>
auto async_connect(basic_socket<Protocol, Executor>& s, const EndpointSequence& endpoints,
                   ConnectCondition connect_condition,
                   RangeConnectToken&& token = boost::asio::default_completion_token_t<Executor>())
    -> decltype(boost::asio::async_initiate<RangeConnectToken,
                                            void(boost::system::error_code,
                                                 typename Protocol::endpoint)>(
        std::declval<detail::initiate_sequence_connect<Protocol, Executor, EndpointSequence,
                                                       ConnectCondition>>(),
        token, endpoints, connect_condition))
{
  return boost::asio::async_initiate<RangeConnectToken,
                                     void(boost::system::error_code, typename Protocol::endpoint)>(
      detail::initiate_sequence_connect<Protocol, Executor, EndpointSequence, ConnectCondition>{&s},
      token, endpoints, connect_condition);
}

template <class Protocol, class Executor, class EndpointSequence,
          class RangeConnectToken = boost::asio::default_completion_token_t<Executor>,
          detail::if_sequence<EndpointSequence> = 0>
auto async_connect(basic_socket<Protocol, Executor>& s, const EndpointSequence& endpoints,
                   RangeConnectToken&& token = boost::asio::default_completion_token_t<Executor>())
    -> decltype(boost::asio::async_initiate<RangeConnectToken,
                                            void(boost::system::error_code,
                                                 typename Protocol::endpoint)>(
        std::declval<detail::initiate_sequence_connect<Protocol, Executor, EndpointSequence,
                                                       detail::default_connect_condition>>(),
        token, endpoints, detail::default_connect_condition()))
{
  return boost::asio::async_initiate<RangeConnectToken,
                                     void(boost::system::error_code, typename Protocol::endpoint)>(
      detail::initiate_sequence_connect<Protocol, Executor, EndpointSequence,
                                        detail::default_connect_condition>{&s},
      token, endpoints, detail::default_connect_condition());
}

} // namespace boost_sockn

#endif // BOOST_SOCKN_CONNECT_HPP
