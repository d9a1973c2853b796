//
// test/tokens/default_token_connect.cpp
//
// Compiled, never run (built into token_tests_awaitable, as C++20): the free async_connect on a
// socket whose executor carries a default completion token (use_awaitable.as_default_on),
// awaited with that default token, and with an explicit one after a connect condition. Asio's
// connect algorithms take the executor from the socket; none of this may need a
// default-constructed executor, which executor_with_default does not have.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#if !defined(BOOST_ASIO_HAS_CO_AWAIT)
#error "built only where C++20 coroutines are available"
#endif

#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <vector>

namespace tokens_test {

using default_socket = asio::use_awaitable_t<>::as_default_on_t<tcp::socket>;

asio::awaitable<void> connect_with_default_tokens(default_socket& s, std::vector<tcp::endpoint> eps)
{
  tcp::endpoint ep = co_await net_under_test::async_connect(s, eps);
  auto it = co_await net_under_test::async_connect(s, eps.begin(), eps.end());
  ep = co_await net_under_test::async_connect(
    s, eps, [](const error_code&, const tcp::endpoint&) { return true; }, asio::use_awaitable);
  (void)ep;
  (void)it;
}

} // namespace tokens_test
