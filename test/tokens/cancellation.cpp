//
// test/tokens/cancellation.cpp
//
// Per-operation cancellation through bind_cancellation_slot: terminal, partial and total on a
// pending read, accept, connect and wait; only the operation bound to the slot is cancelled; an
// emit after completion changes nothing.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"
#include "pending_connect.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <memory>
#include <vector>

namespace tokens_test {

namespace {

struct named_type
{
  asio::cancellation_type type;
  const char* name;
};

const named_type cancellation_types[] = {
  {asio::cancellation_type::terminal, "terminal"},
  {asio::cancellation_type::partial, "partial"},
  {asio::cancellation_type::total, "total"},
};

/// Starts op on a socket that has to wait, checks that it is pending, emits `type` and expects
/// operation_aborted.
template <typename Start>
void expect_cancelled(asio::io_context& ctx, asio::cancellation_type type, Start start)
{
  asio::cancellation_signal signal;
  outcome o;
  start(asio::bind_cancellation_slot(signal.slot(), record(o)));
  ctx.restart();
  ctx.poll();
  BOOST_TEST(o.calls == 0); // still pending
  signal.emit(type);
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(o.calls == 1);
  BOOST_TEST((o.ec == asio::error::operation_aborted), o.ec.message());
  BOOST_TEST(o.bytes == 0u);
  BOOST_TEST(!o.socket_open);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cancellation, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(pending_read)
{
  for (const named_type& t : cancellation_types)
    BOOST_TEST_CONTEXT(t.name)
    {
      asio::io_context ctx;
      tcp_pair pair(ctx);
      std::array<char, 16> rx{};
      expect_cancelled(ctx, t.type, [&](auto&& h) {
        pair.server.async_read_some(asio::buffer(rx), std::forward<decltype(h)>(h));
      });
      // Nothing was lost: the next read gets what the peer sends next.
      outcome o;
      pair.server.async_read_some(asio::buffer(rx), record(o));
      send_text(pair.client, "after");
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      BOOST_TEST(!o.ec, o.ec.message());
      BOOST_TEST(std::string(rx.data(), o.bytes) == "after");
    }
}

BOOST_AUTO_TEST_CASE(pending_accept_both_forms)
{
  for (const named_type& t : cancellation_types)
    BOOST_TEST_CONTEXT(t.name)
    {
      asio::io_context ctx;
      tcp::acceptor acceptor(ctx, tcp_loopback());
      tcp::socket target(ctx);
      expect_cancelled(ctx, t.type, [&](auto&& h) {
        acceptor.async_accept(target, std::forward<decltype(h)>(h));
      });
      BOOST_TEST(!target.is_open());
      expect_cancelled(ctx, t.type, [&](auto&& h) {
        acceptor.async_accept(std::forward<decltype(h)>(h));
      });
      // The acceptor still accepts.
      tcp::socket connector(ctx);
      outcome o;
      acceptor.async_accept(record(o));
      connector.connect(acceptor.local_endpoint());
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      BOOST_TEST(!o.ec, o.ec.message());
      BOOST_TEST(o.socket_remote == connector.local_endpoint());
    }
}

BOOST_AUTO_TEST_CASE(pending_wait)
{
  for (const named_type& t : cancellation_types)
    BOOST_TEST_CONTEXT(t.name)
    {
      asio::io_context ctx;
      tcp_pair pair(ctx);
      expect_cancelled(ctx, t.type, [&](auto&& h) {
        pair.server.async_wait(tcp::socket::wait_read, std::forward<decltype(h)>(h));
      });
      outcome o;
      pair.server.async_wait(tcp::socket::wait_read, record(o));
      send_text(pair.client, "x");
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      BOOST_TEST(!o.ec, o.ec.message());
    }
}

BOOST_AUTO_TEST_CASE(pending_write)
{
  for (const named_type& t : cancellation_types)
    BOOST_TEST_CONTEXT(t.name)
    {
      asio::io_context ctx;
      tcp_pair pair(ctx);
      // Fill the connection until the client's send buffer is full and a write has to wait.
      std::vector<char> chunk(64 * 1024, 'w');
      pair.client.non_blocking(true);
      error_code ec;
      std::size_t queued = 0;
      while (!ec)
        queued += pair.client.write_some(asio::buffer(chunk), ec);
      pair.client.non_blocking(false);
      BOOST_REQUIRE_MESSAGE(ec == asio::error::would_block, ec.message());
      expect_cancelled(ctx, t.type, [&](auto&& h) {
        pair.client.async_write_some(asio::buffer(chunk), std::forward<decltype(h)>(h));
      });
      // The connection still works: once the peer drained it, the next write goes through,
      // and the cancelled write added nothing to the stream.
      std::vector<char> sink(queued);
      asio::read(pair.server, asio::buffer(sink));
      outcome o;
      pair.client.async_write_some(asio::buffer("end", 3), record(o));
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      BOOST_TEST(!o.ec, o.ec.message());
      std::array<char, 3> tail{};
      asio::read(pair.server, asio::buffer(tail));
      BOOST_TEST(std::string(tail.data(), tail.size()) == "end");
    }
}

BOOST_AUTO_TEST_CASE(pending_connect, *boost::unit_test::precondition(pending_connect_possible()))
{
  for (const named_type& t : cancellation_types)
    BOOST_TEST_CONTEXT(t.name)
    {
      saturated_listener listener;
      BOOST_REQUIRE_MESSAGE(listener.saturated, listener.why);
      asio::io_context ctx;
      tcp::socket s(ctx);
      expect_cancelled(ctx, t.type, [&](auto&& h) {
        s.async_connect(listener.endpoint(), std::forward<decltype(h)>(h));
      });
      error_code ec;
      s.close(ec);
      BOOST_TEST(!ec, ec.message());
    }
}

BOOST_AUTO_TEST_CASE(only_the_bound_operation_is_cancelled)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{};
  asio::cancellation_signal read_signal, wait_signal;
  outcome read_o, wait_o, accept_o;
  pair.server.async_read_some(asio::buffer(rx),
                              asio::bind_cancellation_slot(read_signal.slot(), record(read_o)));
  pair.server.async_wait(tcp::socket::wait_read,
                         asio::bind_cancellation_slot(wait_signal.slot(), record(wait_o)));
  pair.acceptor.async_accept(record(accept_o));
  ctx.poll();
  read_signal.emit(asio::cancellation_type::terminal);
  BOOST_TEST(run_until(ctx, [&] { return read_o.calls > 0; }));
  BOOST_TEST(read_o.calls == 1);
  BOOST_TEST((read_o.ec == asio::error::operation_aborted), read_o.ec.message());
  BOOST_TEST(wait_o.calls == 0);
  BOOST_TEST(accept_o.calls == 0);

  send_text(pair.client, "x");
  tcp::socket connector(ctx);
  connector.connect(pair.acceptor.local_endpoint());
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(wait_o.calls == 1);
  BOOST_TEST(!wait_o.ec, wait_o.ec.message());
  BOOST_TEST(accept_o.calls == 1);
  BOOST_TEST(!accept_o.ec, accept_o.ec.message());
  BOOST_TEST(pair.server.available() == 1u);
}

BOOST_AUTO_TEST_CASE(emit_after_completion_is_harmless)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{};
  asio::cancellation_signal signal;

  outcome first;
  pair.server.async_read_some(asio::buffer(rx),
                              asio::bind_cancellation_slot(signal.slot(), record(first)));
  send_text(pair.client, "one");
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(first.calls == 1);
  BOOST_TEST(first.bytes == 3u);

  for (const named_type& t : cancellation_types)
    signal.emit(t.type);
  ctx.restart();
  ctx.poll();
  BOOST_TEST(first.calls == 1);

  // The slot is reused by the next operation, which is not affected by the earlier emits.
  outcome second;
  pair.server.async_read_some(asio::buffer(rx),
                              asio::bind_cancellation_slot(signal.slot(), record(second)));
  send_text(pair.client, "two");
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(second.calls == 1);
  BOOST_TEST(!second.ec, second.ec.message());
  BOOST_TEST(std::string(rx.data(), second.bytes) == "two");
}

BOOST_AUTO_TEST_CASE(emit_between_completion_and_upcall)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{};
  asio::cancellation_signal signal;
  send_text(pair.client, "ready");
  // Let the data arrive, so that the read below can complete as soon as it is initiated.
  pair.server.wait(tcp::socket::wait_read);

  outcome o;
  pair.server.async_read_some(asio::buffer(rx),
                              asio::bind_cancellation_slot(signal.slot(), record(o)));
  signal.emit(asio::cancellation_type::terminal);
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(o.calls == 1);
  // Either the read had already completed (Asio's behaviour: it completes at initiation) or it
  // was cancelled before it took anything; never cancelled with the data consumed.
  if (o.ec == asio::error::operation_aborted)
  {
    BOOST_TEST(o.bytes == 0u);
    BOOST_TEST(pair.server.available() == 5u);
  }
  else
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(std::string(rx.data(), o.bytes) == "ready");
  }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace tokens_test
