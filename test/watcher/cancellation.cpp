//
// test/watcher/cancellation.cpp
//
// Ending waits without ending the watch: cancel() aborts every pending wait and the watcher keeps
// watching; per-operation cancellation ends only the wait bound to the signal.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

// The native-Asio build has no watcher: asio_twin.cpp lists it there as one skipped case.
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace watcher_test {

BOOST_AUTO_TEST_SUITE(watcher_cancellation, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(cancel_aborts_every_pending_wait_and_keeps_watching)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome reading, error;
  w.async_wait(asio::socket_base::wait_read, record(reading));
  w.async_wait(asio::socket_base::wait_error, record(error));
  run_briefly(ioc);
  BOOST_TEST(reading.calls == 0);
  BOOST_TEST(error.calls == 0, "wait_error completed on a healthy socket: " << error.ec.message());

  w.cancel();
  BOOST_TEST(run_until(ioc, [&] { return reading.calls > 0 && error.calls > 0; }));
  BOOST_TEST(reading.ec == aborted, reading.ec.message());
  BOOST_TEST(error.ec == aborted, error.ec.message());
  BOOST_TEST(w.is_open());

  // Still watching: a new wait sees new data.
  outcome again;
  w.async_wait(asio::socket_base::wait_read, record(again));
  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return again.calls > 0; }));
  BOOST_TEST(again.ec == ok, again.ec.message());
  consume(p.server, 1);
  expect_exchange_works(p);
}

BOOST_AUTO_TEST_CASE(cancel_with_an_error_code_and_nothing_pending)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  error_code ec = asio::error::fault;
  w.cancel(ec);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(w.is_open());
}

BOOST_AUTO_TEST_CASE(per_operation_cancellation_ends_only_that_wait)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  asio::cancellation_signal signal;
  outcome cancelled, other;
  w.async_wait(asio::socket_base::wait_read,
               asio::bind_cancellation_slot(signal.slot(), record(cancelled)));
  w.async_wait(asio::socket_base::wait_read, record(other));
  run_briefly(ioc);
  BOOST_TEST(cancelled.calls == 0);

  signal.emit(asio::cancellation_type::terminal);
  BOOST_TEST(run_until(ioc, [&] { return cancelled.calls > 0; }));
  BOOST_TEST(cancelled.ec == aborted, cancelled.ec.message());
  run_briefly(ioc);
  BOOST_TEST(other.calls == 0, "the other wait ended too: " << other.ec.message());

  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return other.calls > 0; }));
  BOOST_TEST(other.ec == ok, other.ec.message());
  BOOST_TEST(cancelled.calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace watcher_test

#endif
