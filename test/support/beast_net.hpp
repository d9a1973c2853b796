//
// test/support/beast_net.hpp
//
// The Beast stream under test, next to net.hpp's sockets: Beast's own tcp_stream and rate
// policies in the native-Asio build, boost_sockn's otherwise. A header of its own so that the
// suites which do not use Beast do not compile it.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_SUPPORT_BEAST_NET_HPP
#define BOOST_SOCKN_TEST_SUPPORT_BEAST_NET_HPP

#include "support/net.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/core.hpp>

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace net_under_test {
template <typename Protocol, typename Executor = boost::asio::any_io_executor,
          typename RatePolicy = boost::beast::unlimited_rate_policy>
using basic_stream = boost::beast::basic_stream<Protocol, Executor, RatePolicy>;
using boost::beast::simple_rate_policy;
using boost::beast::tcp_stream;
using boost::beast::unlimited_rate_policy;
} // namespace net_under_test

#else

#include <boost_sockn/beast.hpp>

namespace net_under_test {
template <typename Protocol, typename Executor = boost::asio::any_io_executor,
          typename RatePolicy = boost_sockn::unlimited_rate_policy>
using basic_stream = boost_sockn::basic_stream<Protocol, Executor, RatePolicy>;
using boost_sockn::simple_rate_policy;
using boost_sockn::tcp_stream;
using boost_sockn::unlimited_rate_policy;
} // namespace net_under_test

#endif

#endif // BOOST_SOCKN_TEST_SUPPORT_BEAST_NET_HPP
