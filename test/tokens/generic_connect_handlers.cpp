//
// test/tokens/generic_connect_handlers.cpp
//
// Compiled, never run (built into token_tests): handlers of the iterator forms of async_connect
// written as generic lambdas whose body is valid only for the iterator they are given, as
// programs written for Asio do (`it->endpoint()` on a resolver iterator). Asio selects its
// overloads by partial ordering and never instantiates such a handler with an endpoint; an
// overload test that calls the handler with (error_code, endpoint) to tell it from a connect
// condition makes these programs fail to compile.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <vector>

namespace tokens_test {

void generic_iterator_handlers(tcp::socket& s, std::vector<tcp::endpoint>& eps,
                               const tcp::resolver::results_type& results)
{
  net_under_test::async_connect(s, eps.begin(), eps.end(), [](const error_code&, auto it) {
    static_assert(std::is_same_v<decltype(it), std::vector<tcp::endpoint>::iterator>, "");
    (void)it->port();
  });
  net_under_test::async_connect(s, results.begin(), results.end(), [](auto ec, auto it) {
    (void)ec;
    (void)it->endpoint();
  });
  net_under_test::async_connect(
    s, eps.begin(), eps.end(), [](const error_code&, const tcp::endpoint&) { return true; },
    [](const error_code&, auto it) { (void)it->port(); });
  // The sequence forms complete with an endpoint: the same style with an endpoint body.
  net_under_test::async_connect(s, eps, [](const error_code&, auto ep) { (void)ep.port(); });
  net_under_test::async_connect(s, results, [](auto ec, auto ep) {
    (void)ec;
    (void)ep.address();
  });
}

} // namespace tokens_test
