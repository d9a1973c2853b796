//
// test/watcher/waits.cpp
//
// Waits on a watched socket complete on readiness and consume nothing: reading when data
// arrives, is already there or the peer shuts down; writing when there is room, and not while
// the send buffer is full; read and write waits independent; handlers on the watcher's executor.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <array>
#include <cstddef>

// The native-Asio build has no watcher: asio_twin.cpp lists it there as one skipped case.
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace watcher_test {

BOOST_AUTO_TEST_SUITE(watcher_waits, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(wait_read_completes_when_data_arrives)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  BOOST_TEST(w.is_open());
  BOOST_TEST(w.native_handle() == p.server.native_handle());

  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0, "wait_read completed with nothing to read");

  send_byte(p.client, 'r');
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == ok, got.ec.message());

  // Readiness only: the byte is still there for the socket's owner.
  char c = 0;
  error_code ec;
  BOOST_TEST(p.server.read_some(asio::buffer(&c, 1), ec) == 1u);
  BOOST_TEST(!ec);
  BOOST_TEST(c == 'r');
}

BOOST_AUTO_TEST_CASE(wait_read_completes_at_once_when_data_is_already_there)
{
  plain_pair p;
  send_byte(p.client);
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());

  // Twice: the first completion consumed nothing, so the socket is still readable.
  for (int round = 0; round < 2; ++round)
  {
    outcome got;
    w.async_wait(asio::socket_base::wait_read, record(got));
    BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }, 5s),
               "round " << round);
    BOOST_TEST(got.ec == ok, got.ec.message());
  }
  BOOST_TEST(p.server.available() == 1u);
}

BOOST_AUTO_TEST_CASE(wait_read_completes_when_the_peer_shuts_down)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0);

  p.client.shutdown(asio::socket_base::shutdown_send);
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == ok, got.ec.message());

  char c;
  error_code ec;
  p.server.read_some(asio::buffer(&c, 1), ec);
  BOOST_TEST(ec == asio::error::eof, ec.message());
}

BOOST_AUTO_TEST_CASE(wait_write_completes_on_a_connected_socket)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_write, record(got));
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == ok, got.ec.message());
}

BOOST_AUTO_TEST_CASE(wait_write_waits_while_the_send_buffer_is_full)
{
  plain_pair p;
  p.client.set_option(asio::socket_base::receive_buffer_size(8192));
  p.server.set_option(asio::socket_base::send_buffer_size(8192));
  p.server.non_blocking(true);

  // Fill b's send buffer and a's receive buffer.
  std::array<char, 65536> chunk{};
  error_code ec;
  std::size_t queued = 0;
  for (int i = 0; i < 100000 && !ec; ++i)
    queued += p.server.write_some(asio::buffer(chunk), ec);
  BOOST_TEST_REQUIRE(ec == asio::error::would_block, "filling the buffers: " << ec.message());
  BOOST_TEST_MESSAGE("buffers full after " << queued << " bytes");

  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_write, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0, "wait_write completed while the send buffer was full");

  // Draining the peer makes room; keep draining until the wait completes.
  std::size_t drained = 0;
  const bool done = run_until(ioc, [&] {
    error_code e;
    while (p.client.available(e) > 0 && !e)
      drained += p.client.read_some(asio::buffer(chunk), e);
    return got.calls > 0;
  });
  BOOST_TEST(done, "wait_write still pending after draining " << drained << " bytes");
  BOOST_TEST(got.ec == ok, got.ec.message());
}

BOOST_AUTO_TEST_CASE(read_and_write_waits_are_independent)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome reading, writing;
  w.async_wait(asio::socket_base::wait_read, record(reading));
  w.async_wait(asio::socket_base::wait_write, record(writing));

  BOOST_TEST(run_until(ioc, [&] { return writing.calls > 0; }));
  BOOST_TEST(writing.ec == ok, writing.ec.message());
  run_briefly(ioc);
  BOOST_TEST(reading.calls == 0, "wait_read completed with the write wait, with nothing to read");

  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return reading.calls > 0; }));
  BOOST_TEST(reading.ec == ok, reading.ec.message());
  BOOST_TEST(writing.calls == 1);
}

BOOST_AUTO_TEST_CASE(handler_runs_on_the_watchers_executor)
{
  plain_pair p;
  asio::io_context ioc;
  auto strand = asio::make_strand(ioc);
  boost_sockn::basic_socket_watcher<asio::strand<asio::io_context::executor_type>> w(
    strand, p.server.native_handle());
  bool in_strand = false;
  int calls = 0;
  w.async_wait(asio::socket_base::wait_write, [&](error_code) {
    ++calls;
    in_strand = strand.running_in_this_thread();
  });
  BOOST_TEST(run_until(ioc, [&] { return calls > 0; }));
  BOOST_TEST(in_strand);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace watcher_test

#endif
