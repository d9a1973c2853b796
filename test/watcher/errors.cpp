//
// test/watcher/errors.cpp
//
// What the watcher refuses: an invalid handle, a closed one, a handle that is not a socket, and a
// wait on a watcher that watches nothing.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"


#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

// The native-Asio build has no watcher: asio_twin.cpp lists it there as one skipped case.
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace watcher_test {

BOOST_AUTO_TEST_SUITE(watcher_errors, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(invalid_handle_is_an_error)
{
  asio::io_context ioc;
  watcher w(ioc);
  error_code ec;
  w.assign(invalid_handle(), ec);
  BOOST_TEST(is_invalid_handle_error(ec), "assign(invalid): " << ec.message());
  BOOST_TEST(!w.is_open());
  BOOST_CHECK_THROW(watcher(ioc, invalid_handle()), boost::system::system_error);
  BOOST_CHECK_THROW(watcher(ioc.get_executor(), invalid_handle()), boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(closed_handle_is_an_error)
{
  // Start this context's reactor first, so that whatever handles it opens cannot take the number
  // of the socket closed below.
  plain_pair p;
  asio::io_context ioc;
  watcher running(ioc, p.server.native_handle());

  asio::io_context owner;
  asio::ip::tcp::socket s(owner, asio::ip::tcp::v4());
  const handle_type h = s.native_handle();
  s.close();

  watcher w(ioc);
  error_code ec;
  w.assign(h, ec);
  BOOST_TEST(is_invalid_handle_error(ec), "assign(closed handle): " << ec.message());
  BOOST_TEST(!w.is_open());
}

BOOST_AUTO_TEST_CASE(handle_that_is_not_a_socket_is_an_error)
{
  asio::io_context ioc;
  watcher w(ioc);
  error_code ec;
#if defined(_WIN32)
  HANDLE event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  BOOST_TEST_REQUIRE(event != nullptr);
  w.assign(reinterpret_cast<handle_type>(event), ec);
  ::CloseHandle(event);
#else
  int fds[2];
  BOOST_TEST_REQUIRE(::pipe(fds) == 0);
  w.assign(fds[0], ec);
  BOOST_TEST(::fcntl(fds[0], F_GETFD) != -1, "the pipe was closed");
  ::close(fds[0]);
  ::close(fds[1]);
#endif
  BOOST_TEST(is_invalid_handle_error(ec), "assign(not a socket): " << ec.message());
  BOOST_TEST(!w.is_open());
}

BOOST_AUTO_TEST_CASE(wait_on_a_watcher_that_watches_nothing_fails)
{
  asio::io_context ioc;
  watcher w(ioc);
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  BOOST_TEST(got.calls == 0, "the handler ran inside async_wait");
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == asio::error::bad_descriptor, got.ec.message());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace watcher_test

#endif
