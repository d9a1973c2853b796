//
// test/socket/moves.cpp
//
// Moving sockets that have operations pending: the operation belongs to the connection, so it
// completes (or is cancelled) through the moved-to object; the moved-from object is closed,
// keeps its executor and can be opened again.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <array>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;
using ioc_socket = net_under_test::basic_stream_socket<tcp, asio::io_context::executor_type>;


// Writes from `from` until its send buffer and the peer's receive buffer are full; returns how
// much was written. Both buffers get a fixed size first: Linux otherwise tunes them as data
// arrives.
std::size_t fill_send_buffers(tcp::socket& from, tcp::socket& to)
{
  from.set_option(asio::socket_base::send_buffer_size(32 * 1024));
  to.set_option(asio::socket_base::receive_buffer_size(32 * 1024));
  std::vector<char> chunk(64 * 1024, 'f');
  std::size_t total = 0;
  from.non_blocking(true);
  for (;;)
  {
    error_code ec;
    const std::size_t n = from.write_some(asio::buffer(chunk), ec);
    total += n;
    if (ec == asio::error::would_block)
      break;
    if (ec)
      throw boost::system::system_error(ec, "filling the send buffers");
  }
  from.non_blocking(false);
  return total;
}

static_assert(std::is_same<tcp::socket::rebind_executor<asio::io_context::executor_type>::other,
                           ioc_socket>::value,
              "rebind_executor names the same socket template on the new executor");
static_assert(std::is_nothrow_move_constructible<tcp::socket>::value ||
                std::is_move_constructible<tcp::socket>::value,
              "sockets are movable");
static_assert(!std::is_copy_constructible<tcp::socket>::value, "sockets are not copyable");

} // namespace

BOOST_AUTO_TEST_SUITE(moves, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(move_construct_with_pending_read)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();

  tcp::socket moved(std::move(p.client));
  BOOST_TEST(!p.client.is_open());
  BOOST_TEST((p.client.get_executor() == tcp::socket::executor_type(ioc.get_executor())));
  BOOST_TEST(moved.is_open());

  asio::write(p.server, asio::buffer("moved", 5));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == "moved");

  // The connection goes on through the new object, both ways.
  asio::write(moved, asio::buffer("back", 4));
  std::array<char, 4> back{};
  asio::read(p.server, asio::buffer(back));
  BOOST_TEST(std::string(back.data(), 4) == "back");
}

BOOST_AUTO_TEST_CASE(cancel_through_the_moved_to_object)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 16> buf{};
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();
  tcp::socket moved(std::move(p.client));

  // The moved-from object has nothing to cancel: it is closed.
  error_code ec;
  p.client.cancel(ec);
  BOOST_TEST(ec == error_code(asio::error::bad_descriptor));
  ioc.poll();
  BOOST_TEST(got.calls == 0);

  moved.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
}

BOOST_AUTO_TEST_CASE(move_assign_with_pending_reads_on_both_sides)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  tcp_pair q(ioc);
  std::array<char, 16> pbuf{}, qbuf{};
  outcome p_read, q_read;
  p.client.async_read_some(asio::buffer(pbuf), record(p_read));
  q.client.async_read_some(asio::buffer(qbuf), record(q_read));
  ioc.poll();

  // q.client's old connection is closed by the assignment: its read is aborted; p.client's
  // read carries over to q.client.
  q.client = std::move(p.client);
  BOOST_TEST(!p.client.is_open());
  BOOST_TEST((p.client.get_executor() == tcp::socket::executor_type(ioc.get_executor())));
  BOOST_TEST(q.client.is_open());

  asio::write(p.server, asio::buffer("assigned", 8));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(q_read.calls == 1);
  BOOST_TEST(q_read.ec == aborted);
  BOOST_TEST(p_read.calls == 1);
  BOOST_TEST(!p_read.ec, p_read.ec.message());
  BOOST_TEST(std::string(pbuf.data(), p_read.bytes) == "assigned");

  // The peer of the connection that was closed by the assignment sees eof.
  std::array<char, 1> one{};
  error_code ec;
  q.server.read_some(asio::buffer(one), ec);
  BOOST_TEST(ec == error_code(asio::error::eof));
}

BOOST_AUTO_TEST_CASE(moved_from_socket_can_be_reused)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  tcp::socket moved(std::move(p.client));
  BOOST_TEST(!p.client.is_open());

  // Open and connect it again, and run an operation on it.
  net_under_test::tcp::acceptor acceptor(ioc, tcp_loopback());
  p.client.open(tcp::v4());
  p.client.connect(acceptor.local_endpoint());
  tcp::socket peer(ioc);
  acceptor.accept(peer);
  std::array<char, 5> buf{};
  outcome got;
  asio::async_read(p.client, asio::buffer(buf), record(got));
  asio::write(peer, asio::buffer("again", 5));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), 5) == "again");
}

BOOST_AUTO_TEST_CASE(converting_move_with_pending_read)
{
  asio::io_context ioc;
  ioc_socket client(ioc.get_executor());
  ioc_socket server(ioc.get_executor());
  connect_pair(client, server);
  std::array<char, 16> buf{};
  outcome got;
  client.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();

  tcp::socket general(std::move(client)); // io_context executor -> any_io_executor
  BOOST_TEST(!client.is_open());
  BOOST_TEST(general.is_open());
  BOOST_TEST((client.get_executor() == ioc.get_executor()));

  asio::write(server, asio::buffer("converted", 9));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == "converted");

  // Converting move assignment: the same, into an existing object.
  outcome again;
  server.async_read_some(asio::buffer(buf), record(again));
  ioc.poll();
  tcp::socket target(ioc);
  target = std::move(server);
  BOOST_TEST(!server.is_open());
  asio::write(general, asio::buffer("assigned", 8));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(again.calls == 1);
  BOOST_TEST(!again.ec, again.ec.message());
  BOOST_TEST(std::string(buf.data(), again.bytes) == "assigned");
}

BOOST_AUTO_TEST_CASE(move_with_pending_write_and_read)
{
  // A pending write and a pending read move together. (Single operations: a composed
  // asio::async_write would keep calling the object it was started on.)
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::size_t filled = fill_send_buffers(p.client, p.server);
  std::vector<char> more(1 << 20, 'm');
  std::array<char, 16> buf{};
  outcome wrote, read;
  // Room can still appear after the first would_block (segments in flight on the loopback are
  // delivered and acknowledged later, slowly under a sanitizer): a write that finds some takes
  // it, and the next one is started, until one stays pending.
  for (int attempt = 0; attempt < 100; ++attempt)
  {
    wrote = outcome{};
    p.client.async_write_some(asio::buffer(more), record(wrote));
    ioc.poll();
    ioc.restart();
    if (wrote.calls == 0)
      break;
    BOOST_REQUIRE(!wrote.ec);
    filled += wrote.bytes;
  }
  BOOST_REQUIRE(wrote.calls == 0);
  p.client.async_read_some(asio::buffer(buf), record(read));
  ioc.poll();
  ioc.restart();

  tcp::socket moved(std::move(p.client));
  // The peer drains what was queued, takes at least one byte of the pending write, answers.
  std::thread peer([&] {
    std::vector<char> sink(filled);
    error_code ec;
    asio::read(p.server, asio::buffer(sink), ec);
    p.server.read_some(asio::buffer(sink), ec);
    asio::write(p.server, asio::buffer("ok", 2), ec);
  });
  bool in_time;
  {
    watchdog w("the peer of move_with_pending_write_and_read", 90s);
    in_time = run_for(ioc, 2);
    peer.join();
  }
  BOOST_TEST(in_time);
  BOOST_TEST(wrote.calls == 1);
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  BOOST_TEST(wrote.bytes > 0u);
  BOOST_TEST(read.calls == 1);
  BOOST_TEST(!read.ec, read.ec.message());
  BOOST_TEST(std::string(buf.data(), read.bytes) == "ok");
}

BOOST_AUTO_TEST_SUITE_END()
