//
// boost_sockn/beast.hpp
//
// Boost.Beast on boost_sockn: basic_stream and tcp_stream (beast::basic_stream/tcp_stream over
// boost_sockn's sockets), the rate policies, and the hooks Beast's WebSocket and close_socket look
// up, so that websocket::stream<boost_sockn::tcp_stream>, websocket::stream<boost_sockn::ip::
// tcp::socket> and ssl::stream<boost_sockn::tcp_stream> work. Include it where a program switches
// from beast::tcp_stream to boost_sockn::tcp_stream.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BEAST_HPP
#define BOOST_SOCKN_BEAST_HPP

#include <boost_sockn/boost_sockn.hpp>
#include <boost_sockn/beast/basic_stream.hpp>
#include <boost_sockn/beast/rate_policy.hpp>
#include <boost_sockn/beast/tcp_stream.hpp>
#include <boost_sockn/beast/teardown.hpp>

#endif
