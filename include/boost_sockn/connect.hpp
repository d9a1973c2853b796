//
// boost_sockn/connect.hpp
//
// boost_sockn::connect / async_connect: Asio's free functions over endpoint sequences and
// iterator ranges (boost::asio::connect accepts only Asio's own sockets). Same overloads, same
// completion signatures, same results: the first endpoint that connects, error::not_found when
// the condition rejects every endpoint or there is none, otherwise the last error.
//
// Distributed under the Boost Software License, Version 1.0.
//

#ifndef BOOST_SOCKN_CONNECT_HPP
#define BOOST_SOCKN_CONNECT_HPP

#include <boost_sockn/basic_socket.hpp>

#include <boost/asio/compose.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>

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

/// A connect condition returns bool for (error_code, endpoint); a completion handler does not.
template <class T, class Endpoint, class = void>
struct is_connect_condition : std::false_type
{
};
template <class T, class Endpoint>
struct is_connect_condition<T, Endpoint, typename std::enable_if<std::is_convertible<
    decltype(std::declval<T&>()(std::declval<const boost::system::error_code&>(),
                                std::declval<const Endpoint&>())),
    bool>::value>::type> : std::true_type
{
};

template <class Sequence>
using if_sequence = typename std::enable_if<boost::asio::is_endpoint_sequence<Sequence>::value,
                                            int>::type;
template <class Iterator>
using if_iterator = typename std::enable_if<!boost::asio::is_endpoint_sequence<Iterator>::value,
                                            int>::type;

template <class Protocol, class Executor, class Iterator, class Condition>
Iterator connect_range(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                       Condition cond, boost::system::error_code& ec)
{
  ec.clear();
  for (Iterator it = begin; it != end; ++it)
  {
    typename Protocol::endpoint ep = *it;
    if (!cond(ec, ep))
      continue;
    boost::system::error_code ignored;
    s.close(ignored);
    s.connect(ep, ec);
    if (!ec)
      return it;
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
  bool started = false;

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {})
  {
    if (started)
    {
      if (!ec)
        return self.complete(ec, it);
      if (self.get_cancellation_state().cancelled() != boost::asio::cancellation_type::none)
        return self.complete(boost::asio::error::operation_aborted, end);
      ++it;
    }
    started = true;
    for (; it != end; ++it)
    {
      typename Protocol::endpoint ep = *it;
      if (!cond(ec, ep))
        continue;
      boost::system::error_code ignored;
      socket.close(ignored);
      socket.async_connect(ep, std::move(self));
      return;
    }
    if (!ec)
      ec = boost::asio::error::not_found;
    self.complete(ec, end);
  }
};

} // namespace detail

// Synchronous, over an endpoint sequence: return the endpoint that connected.

template <class Protocol, class Executor, class EndpointSequence>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   detail::if_sequence<EndpointSequence> = 0)
{
  boost::system::error_code ec;
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(),
                                  detail::default_connect_condition(), ec);
  boost::asio::detail::throw_error(ec, "connect");
  return *it;
}

template <class Protocol, class Executor, class EndpointSequence>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   boost::system::error_code& ec,
                                   detail::if_sequence<EndpointSequence> = 0)
{
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(),
                                  detail::default_connect_condition(), ec);
  return ec ? typename Protocol::endpoint() : typename Protocol::endpoint(*it);
}

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   ConnectCondition connect_condition,
                                   detail::if_sequence<EndpointSequence> = 0)
{
  boost::system::error_code ec;
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(), connect_condition, ec);
  boost::asio::detail::throw_error(ec, "connect");
  return *it;
}

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition>
typename Protocol::endpoint connect(basic_socket<Protocol, Executor>& s,
                                   const EndpointSequence& endpoints,
                                   ConnectCondition connect_condition,
                                   boost::system::error_code& ec,
                                   detail::if_sequence<EndpointSequence> = 0)
{
  auto it = detail::connect_range(s, endpoints.begin(), endpoints.end(), connect_condition, ec);
  return ec ? typename Protocol::endpoint() : typename Protocol::endpoint(*it);
}

// Synchronous, over an iterator range: return the iterator that connected.

template <class Protocol, class Executor, class Iterator>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 detail::if_iterator<Iterator> = 0)
{
  boost::system::error_code ec;
  Iterator it = detail::connect_range(s, begin, end, detail::default_connect_condition(), ec);
  boost::asio::detail::throw_error(ec, "connect");
  return it;
}

template <class Protocol, class Executor, class Iterator>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 boost::system::error_code& ec, detail::if_iterator<Iterator> = 0)
{
  return detail::connect_range(s, begin, end, detail::default_connect_condition(), ec);
}

template <class Protocol, class Executor, class Iterator, class ConnectCondition>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 ConnectCondition connect_condition, detail::if_iterator<Iterator> = 0)
{
  boost::system::error_code ec;
  Iterator it = detail::connect_range(s, begin, end, connect_condition, ec);
  boost::asio::detail::throw_error(ec, "connect");
  return it;
}

template <class Protocol, class Executor, class Iterator, class ConnectCondition>
Iterator connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                 ConnectCondition connect_condition, boost::system::error_code& ec,
                 detail::if_iterator<Iterator> = 0)
{
  return detail::connect_range(s, begin, end, connect_condition, ec);
}

// Asynchronous, over an iterator range: void(error_code, Iterator).

template <class Protocol, class Executor, class Iterator, class ConnectCondition,
          class IteratorConnectToken = boost::asio::default_completion_token_t<Executor>>
auto async_connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                   ConnectCondition connect_condition,
                   IteratorConnectToken&& token = boost::asio::default_completion_token_t<Executor>(),
                   detail::if_iterator<Iterator> = 0,
                   typename std::enable_if<detail::is_connect_condition<
                       ConnectCondition, typename Protocol::endpoint>::value, int>::type = 0)
    -> decltype(boost::asio::async_compose<IteratorConnectToken,
                                           void(boost::system::error_code, Iterator)>(
        std::declval<detail::connect_range_op<Protocol, Executor, Iterator, ConnectCondition>>(),
        token, s))
{
  return boost::asio::async_compose<IteratorConnectToken, void(boost::system::error_code, Iterator)>(
      detail::connect_range_op<Protocol, Executor, Iterator, ConnectCondition>{
          s, begin, end, connect_condition},
      token, s);
}

template <class Protocol, class Executor, class Iterator,
          class IteratorConnectToken = boost::asio::default_completion_token_t<Executor>>
auto async_connect(basic_socket<Protocol, Executor>& s, Iterator begin, Iterator end,
                   IteratorConnectToken&& token = boost::asio::default_completion_token_t<Executor>(),
                   detail::if_iterator<Iterator> = 0,
                   typename std::enable_if<!detail::is_connect_condition<
                       IteratorConnectToken, typename Protocol::endpoint>::value, int>::type = 0)
    -> decltype(boost_sockn::async_connect(s, begin, end, detail::default_connect_condition(),
                                           std::forward<IteratorConnectToken>(token)))
{
  return boost_sockn::async_connect(s, begin, end, detail::default_connect_condition(),
                                    std::forward<IteratorConnectToken>(token));
}

// Asynchronous, over an endpoint sequence: void(error_code, Protocol::endpoint).

namespace detail {

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition>
struct initiate_sequence_connect
{
  basic_socket<Protocol, Executor>* socket;
  using executor_type = Executor;
  const executor_type& get_executor() const noexcept { return socket->get_executor(); }

  template <class Handler>
  void operator()(Handler&& handler, const EndpointSequence& endpoints,
                  ConnectCondition cond) const
  {
    using iterator = decltype(endpoints.begin());
    using endpoint = typename Protocol::endpoint;
    // The walk needs the sequence alive until completion: keep a copy in the handler chain.
    auto seq = std::make_shared<EndpointSequence>(endpoints);
    boost_sockn::async_connect(
        *socket, seq->begin(), seq->end(), cond,
        iterator_to_endpoint_keep<endpoint, iterator, typename std::decay<Handler>::type,
                                  EndpointSequence>{seq->end(), std::forward<Handler>(handler), seq});
  }

  template <class Endpoint, class Iterator, class Handler, class Sequence>
  struct iterator_to_endpoint_keep
  {
    Iterator end;
    Handler handler;
    std::shared_ptr<Sequence> keep;

    using executor_type = boost::asio::associated_executor_t<Handler, Executor>;
    executor_type get_executor() const noexcept
    {
      return boost::asio::get_associated_executor(handler, Executor());
    }
    using allocator_type = boost::asio::associated_allocator_t<Handler>;
    allocator_type get_allocator() const noexcept { return boost::asio::get_associated_allocator(handler); }
    using cancellation_slot_type = boost::asio::associated_cancellation_slot_t<Handler>;
    cancellation_slot_type get_cancellation_slot() const noexcept
    {
      return boost::asio::get_associated_cancellation_slot(handler);
    }

    void operator()(const boost::system::error_code& ec, Iterator it)
    {
      Endpoint ep = it == end ? Endpoint() : Endpoint(*it);
      keep.reset();
      std::move(handler)(ec, ep);
    }
  };
};

} // namespace detail

template <class Protocol, class Executor, class EndpointSequence, class ConnectCondition,
          class RangeConnectToken = boost::asio::default_completion_token_t<Executor>>
auto async_connect(basic_socket<Protocol, Executor>& s, const EndpointSequence& endpoints,
                   ConnectCondition connect_condition,
                   RangeConnectToken&& token = boost::asio::default_completion_token_t<Executor>(),
                   detail::if_sequence<EndpointSequence> = 0,
                   typename std::enable_if<detail::is_connect_condition<
                       ConnectCondition, typename Protocol::endpoint>::value, int>::type = 0)
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
          class RangeConnectToken = boost::asio::default_completion_token_t<Executor>>
auto async_connect(basic_socket<Protocol, Executor>& s, const EndpointSequence& endpoints,
                   RangeConnectToken&& token = boost::asio::default_completion_token_t<Executor>(),
                   detail::if_sequence<EndpointSequence> = 0,
                   typename std::enable_if<!detail::is_connect_condition<
                       RangeConnectToken, typename Protocol::endpoint>::value, int>::type = 0)
    -> decltype(boost_sockn::async_connect(s, endpoints, detail::default_connect_condition(),
                                           std::forward<RangeConnectToken>(token)))
{
  return boost_sockn::async_connect(s, endpoints, detail::default_connect_condition(),
                                    std::forward<RangeConnectToken>(token));
}

} // namespace boost_sockn

#endif // BOOST_SOCKN_CONNECT_HPP
