//
// test/socket/idle_waits.cpp
//
// A wait that has nothing to complete on costs nothing while it waits. Each case leaves one
// async_wait pending under a condition that must not complete it, lets the io_context run for
// a fixed time, and measures the CPU time the whole process used meanwhile: a wait that is
// re-armed and reported again at once (a level-triggered condition the wait does not accept)
// burns a core, an idle one nothing. The bound, 1% of the time waited, is the measurement's
// own: no case is timed.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;

constexpr auto waited = 2s;

// CPU seconds the process used while `ioc` ran for `waited`, the pending wait still pending.
double cpu_while_waiting(asio::io_context& ioc, const outcome& wait)
{
  ioc.poll(); // whatever the setup left ready runs now, outside the measurement
  const double before = process_cpu_seconds();
  ioc.restart();
  ioc.run_for(waited);
  const double used = process_cpu_seconds() - before;
  BOOST_TEST(wait.calls == 0, "the wait completed although nothing it waits for happened");
  BOOST_TEST_MESSAGE("CPU while waiting " << waited.count() << " s: " << used << " s");
  return used;
}

constexpr double limit = 0.01 * std::chrono::duration<double>(waited).count();

} // namespace

BOOST_AUTO_TEST_SUITE(idle_waits, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(error_wait_across_a_peer_close)
{
  // The peer's orderly close is no error condition: the wait goes on, and must not spin on the
  // hang-up the port keeps reporting.
  asio::io_context ioc;
  tcp_pair p(ioc);
  outcome error;
  p.client.async_wait(tcp::socket::wait_error, record(error));
  p.server.shutdown(tcp::socket::shutdown_send);
  BOOST_TEST(cpu_while_waiting(ioc, error) < limit);
  p.client.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(error.ec == aborted);
}

BOOST_AUTO_TEST_CASE(error_wait_on_an_idle_connection)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  outcome error;
  p.client.async_wait(tcp::socket::wait_error, record(error));
  BOOST_TEST(cpu_while_waiting(ioc, error) < limit);
  p.client.cancel();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_CASE(read_wait_with_nothing_to_read)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  outcome readable;
  p.client.async_wait(tcp::socket::wait_read, record(readable));
  BOOST_TEST(cpu_while_waiting(ioc, readable) < limit);
  p.client.cancel();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_CASE(write_wait_with_a_full_send_buffer)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::vector<char> chunk(64 * 1024, 'w');
  p.client.non_blocking(true);
  error_code ec;
  while (!ec)
    p.client.write_some(asio::buffer(chunk), ec);
  p.client.non_blocking(false);
  outcome writable;
  p.client.async_wait(tcp::socket::wait_write, record(writable));
  BOOST_TEST(cpu_while_waiting(ioc, writable) < limit);
  p.client.cancel();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_CASE(read_wait_beside_a_completed_write_wait)
{
  // One registration covers both waits; the write wait completes at once, and the read wait
  // then waits alone on a socket that stays writable.
  asio::io_context ioc;
  tcp_pair p(ioc);
  outcome writable, readable;
  p.client.async_wait(tcp::socket::wait_write, record(writable));
  p.client.async_wait(tcp::socket::wait_read, record(readable));
  BOOST_TEST(run_until(ioc, [&] { return writable.calls == 1; }));
  BOOST_TEST(cpu_while_waiting(ioc, readable) < limit);
  p.client.cancel();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_SUITE_END()
