//
// boost_sockn/beast/tcp_stream.hpp
//
// boost_sockn::tcp_stream: what beast::tcp_stream is, over boost_sockn's TCP socket.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BEAST_TCP_STREAM_HPP
#define BOOST_SOCKN_BEAST_TCP_STREAM_HPP

#include <boost_sockn/beast/basic_stream.hpp>
#include <boost_sockn/ip/tcp.hpp>

namespace boost_sockn {

using tcp_stream =
    basic_stream<ip::tcp, boost::asio::any_io_executor, unlimited_rate_policy>;

} // namespace boost_sockn

#endif
