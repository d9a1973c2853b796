//
// test/misuse/beast_tcp_stream.cpp
//
// Must not compile: Beast's tcp_stream made from a boost_sockn socket (test/misuse/CMakeLists.txt
// checks the message).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>

int main()
{
  boost::asio::io_context ctx;
  boost_sockn::ip::tcp::socket socket(ctx);
  boost::beast::tcp_stream stream(std::move(socket));
}
