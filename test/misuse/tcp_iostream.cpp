//
// test/misuse/tcp_iostream.cpp
//
// Must not compile: boost_sockn's tcp has no iostream (Asio's would run on Asio's sockets
// unnoticed); test/misuse/CMakeLists.txt checks that the error names what to use.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

int main()
{
  using tcp = boost_sockn::ip::tcp;
  tcp::iostream stream("localhost", "80");
  return stream ? 0 : 1;
}
