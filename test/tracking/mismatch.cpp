//
// test/tracking/mismatch.cpp
//
// A program built with BOOST_ASIO_ENABLE_HANDLER_TRACKING against the library built without it.
// Before the link-time check this linked, and crashed in the scheduler at the first completion
// (the two sides laid out Asio's operations differently); now its link must fail, naming the
// setting (test/tracking/CMakeLists.txt checks the message).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio/io_context.hpp>

int main()
{
  boost::asio::io_context ctx;
  boost_sockn::ip::tcp::socket socket(ctx, boost_sockn::ip::tcp::v4());
  socket.async_wait(boost_sockn::ip::tcp::socket::wait_write, [](boost::system::error_code) {});
  ctx.run();
}
