//
// test/acceptor/context_protocol_ctor.cpp
//
// Compile-only: the acceptor constructors that take an execution context and a protocol (GCC 12
// crashed on the first with an early version of the library, whose acceptor inherited its
// listening socket's constructors). At run time these behave like the executor forms, which
// lifecycle.cpp exercises.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

namespace {

using tcp = net_under_test::tcp;

[[maybe_unused]] void construct_from_context_and_protocol(boost::asio::io_context& ioc,
                                                          tcp::acceptor::native_handle_type h)
{
  tcp::acceptor from_protocol(ioc, tcp::v4());
  tcp::acceptor from_native(ioc, tcp::v4(), h);
  net_under_test::basic_socket_acceptor<tcp, boost::asio::io_context::executor_type> typed(
    ioc, tcp::v4());
}

} // namespace
