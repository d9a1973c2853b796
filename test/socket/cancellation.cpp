//
// test/socket/cancellation.cpp
//
// Ending pending operations: cancel(), close(), destruction and per-operation cancellation all
// complete them with operation_aborted, whether or not an io thread runs at the time, and from
// another thread while one does; poll() does not complete an operation that is not ready.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <array>
#include <future>
#include <memory>
#include <string>

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;


// Data sent by the peer arrives on `s`, read with one async_read_some.
void expect_still_usable(asio::io_context& ioc, tcp::socket& s, tcp::socket& peer)
{
  const std::string hello = "still usable";
  asio::write(peer, asio::buffer(hello));
  std::array<char, 64> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == hello);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cancellation, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(cancel_pending_read_after_poll)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  ioc.poll(); // the read is now waiting for readiness
  BOOST_TEST(got.calls == 0);

  p.client.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
  BOOST_TEST(got.bytes == 0u);
  BOOST_TEST(p.client.is_open());
  expect_still_usable(ioc, p.client, p.server);
}

BOOST_AUTO_TEST_CASE(close_pending_read_after_poll)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();
  BOOST_TEST(got.calls == 0);

  p.client.close();
  BOOST_TEST(!p.client.is_open());
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
  BOOST_TEST(got.bytes == 0u);
}

BOOST_AUTO_TEST_CASE(cancel_and_close_before_any_io_thread_ran)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> b1{}, b2{};
  outcome cancelled, closed;
  p.client.async_read_some(asio::buffer(b1), record(cancelled));
  p.server.async_read_some(asio::buffer(b2), record(closed));
  // Nothing has run the context yet: the operations were only initiated.
  p.client.cancel();
  p.server.close();
  BOOST_TEST(cancelled.calls == 0);
  BOOST_TEST(closed.calls == 0);

  BOOST_TEST(run_for(ioc));
  BOOST_TEST(cancelled.calls == 1);
  BOOST_TEST(cancelled.ec == aborted);
  BOOST_TEST(closed.calls == 1);
  BOOST_TEST(closed.ec == aborted);
}

BOOST_AUTO_TEST_CASE(cancel_ends_every_pending_kind)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome read, wait_read, wait_error;
  p.client.async_read_some(asio::buffer(buf), record(read));
  p.client.async_wait(tcp::socket::wait_read, record(wait_read));
  p.client.async_wait(tcp::socket::wait_error, record(wait_error));
  ioc.poll();
  BOOST_TEST(read.calls + wait_read.calls + wait_error.calls == 0);

  p.client.cancel();
  BOOST_TEST(run_for(ioc));
  for (const outcome* o : {&read, &wait_read, &wait_error})
  {
    BOOST_TEST(o->calls == 1);
    BOOST_TEST(o->ec == aborted);
  }
}

BOOST_AUTO_TEST_CASE(poll_leaves_a_pending_read_pending)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  for (int i = 0; i < 20; ++i)
  {
    ioc.poll();
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(got.calls == 0);
  BOOST_TEST(!ioc.stopped());

  asio::write(p.server, asio::buffer("abc", 3));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == "abc");
}

BOOST_AUTO_TEST_CASE(close_from_another_thread_while_io_runs)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  std::promise<outcome> done;
  auto result = done.get_future();
  p.client.async_read_some(asio::buffer(buf), [&done](const error_code& ec, std::size_t n) {
    outcome o;
    o.calls = 1;
    o.ec = ec;
    o.bytes = n;
    done.set_value(o);
  });

  io_threads io(ioc, 1);
  std::this_thread::sleep_for(50ms); // let the io thread take up the pending read
  p.client.close();                  // this thread, while the io thread runs
  const bool arrived = result.wait_for(patience) == std::future_status::ready;
  BOOST_TEST(arrived, "the read did not complete after close()");
  BOOST_TEST(io.join());
  if (arrived)
  {
    const outcome o = result.get();
    BOOST_TEST(o.ec == aborted);
    BOOST_TEST(o.bytes == 0u);
  }
}

BOOST_AUTO_TEST_CASE(cancel_from_another_thread_while_io_runs_on_two)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  std::promise<error_code> done;
  auto result = done.get_future();
  p.client.async_read_some(asio::buffer(buf),
                           [&done](const error_code& ec, std::size_t) { done.set_value(ec); });

  io_threads io(ioc, 2);
  std::this_thread::sleep_for(50ms);
  p.client.cancel();
  const bool arrived = result.wait_for(patience) == std::future_status::ready;
  BOOST_TEST(arrived, "the read did not complete after cancel()");
  BOOST_TEST(io.join());
  if (arrived)
    BOOST_TEST(result.get() == aborted);
}

BOOST_AUTO_TEST_CASE(close_pending_composed_write)
{
  // The peer never reads, so a large write fills both socket buffers and stays pending.
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::vector<char> big(64 << 20);
  outcome got;
  asio::async_write(p.client, asio::buffer(big), record(got));
  ioc.run_for(500ms); // writes what fits, then waits for room that never comes
  BOOST_TEST(got.calls == 0);

  p.client.close();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
  BOOST_TEST(got.bytes > 0u);
  BOOST_TEST(got.bytes < big.size());
}

BOOST_AUTO_TEST_CASE(destroying_the_socket_aborts_its_pending_read)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome got;
  {
    tcp::socket doomed(std::move(p.client));
    doomed.async_read_some(asio::buffer(buf), record(got));
    ioc.poll();
  }
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
}

BOOST_AUTO_TEST_CASE(per_operation_cancellation)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome read, wait;
  asio::cancellation_signal read_signal, wait_signal;
  p.client.async_read_some(asio::buffer(buf),
                           asio::bind_cancellation_slot(read_signal.slot(), record(read)));
  p.client.async_wait(tcp::socket::wait_read,
                      asio::bind_cancellation_slot(wait_signal.slot(), record(wait)));
  ioc.poll();

  // Cancelling one operation leaves the other pending.
  read_signal.emit(asio::cancellation_type::terminal);
  BOOST_TEST(run_until(ioc, [&] { return read.calls == 1; }));
  BOOST_TEST(read.ec == aborted);
  BOOST_TEST(wait.calls == 0);

  asio::write(p.server, asio::buffer("x", 1));
  BOOST_TEST(run_until(ioc, [&] { return wait.calls == 1; }));
  BOOST_TEST(!wait.ec, wait.ec.message());
}

BOOST_AUTO_TEST_SUITE_END()
