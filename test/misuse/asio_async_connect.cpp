//
// test/misuse/asio_async_connect.cpp
//
// Must not compile: Asio's free async_connect with a boost_sockn socket (test/misuse/CMakeLists.txt
// checks the message).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>

int main()
{
  boost::asio::io_context ctx;
  boost_sockn::ip::tcp::socket socket(ctx);
  boost::asio::ip::tcp::resolver::results_type endpoints;
  boost::asio::async_connect(socket, endpoints,
                             [](boost::system::error_code, boost::asio::ip::tcp::endpoint) {});
  ctx.run();
}
