//
// boost_sockn/detail/misuse.hpp
//
// Compile-time errors that say what to write instead, for the usual slips when a program moves
// from Asio's sockets to boost_sockn's: Asio's free connect/async_connect given a boost_sockn
// socket (boost_sockn::connect does the same job), and a boost_sockn socket turned into an Asio
// one (how beast::tcp_stream fails when given one: boost_sockn::tcp_stream is its counterpart),
// and ip::tcp::iostream, which would otherwise be Asio's, on Asio's sockets.
// Without these the compiler lists every Asio overload it rejected.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_MISUSE_HPP
#define BOOST_SOCKN_DETAIL_MISUSE_HPP

namespace boost_sockn {

template <class Protocol, class Executor>
class basic_socket;

namespace detail {

/// False, but only once T is known: a static_assert on it fires when the template is used.
template <class T>
constexpr bool misuse = false;

/// What ip::tcp::iostream names: a type that cannot be used.
template <class Protocol>
struct asio_only_iostream
{
  static_assert(misuse<Protocol>,
                "boost_sockn::ip::tcp has no iostream: Asio's would run on Asio's own sockets; "
                "write boost::asio::ip::tcp::iostream to keep using it");
  template <class... Args>
  explicit asio_only_iostream(Args&&...)
  {
  }
};

} // namespace detail
} // namespace boost_sockn

namespace boost {
namespace asio {

// Taking the socket as `const volatile&` and the rest as `const&` makes these the worst viable
// match: where boost_sockn's own overloads are found too (an unqualified call finds both through
// the socket's namespaces), boost_sockn's win; only a call naming boost::asio reaches these.

template <class Protocol, class Executor, class... Args>
auto connect(const volatile boost_sockn::basic_socket<Protocol, Executor>&, const Args&...)
{
  static_assert(boost_sockn::detail::misuse<Protocol>,
                "boost::asio::connect works on Asio's sockets only: for a boost_sockn socket call "
                "boost_sockn::connect (same arguments, <boost_sockn/connect.hpp>)");
}

template <class Protocol, class Executor, class... Args>
auto async_connect(const volatile boost_sockn::basic_socket<Protocol, Executor>&, const Args&...)
{
  static_assert(boost_sockn::detail::misuse<Protocol>,
                "boost::asio::async_connect works on Asio's sockets only: for a boost_sockn socket "
                "call boost_sockn::async_connect (same arguments, <boost_sockn/connect.hpp>)");
}

} // namespace asio
} // namespace boost

#endif // BOOST_SOCKN_DETAIL_MISUSE_HPP
