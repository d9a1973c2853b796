//
// test/watcher/asio_twin.cpp
//
// The watcher in the native-Asio build: one case that reports itself skipped, since Asio has no
// equivalent of watching a socket another library owns. The boost_sockn build has no such case;
// its cases are in the other files of this directory.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/net.hpp"

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

BOOST_AUTO_TEST_CASE(socket_watcher, *boost::unit_test::precondition(sockn_test::sockn_only{
  "the watcher is a boost_sockn extension; native Asio has no equivalent"}))
{
  BOOST_TEST_FAIL("the precondition never lets this case run");
}

#endif
