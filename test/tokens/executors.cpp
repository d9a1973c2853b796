//
// test/tokens/executors.cpp
//
// Executor and allocator association, the rule that a handler never runs inside the initiating
// function, and outstanding-work accounting (run() returns exactly when nothing is pending).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <boost/asio/bind_allocator.hpp>

#include <atomic>
#include <vector>

namespace tokens_test {

namespace {

using io_executor = asio::io_context::executor_type;
using strand_executor = asio::strand<io_executor>;

} // namespace

BOOST_AUTO_TEST_SUITE(executors, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(strand_bound_handlers_of_many_sockets_never_overlap)
{
  asio::io_context ctx;
  auto strand = asio::make_strand(ctx);
  constexpr int pairs = 8;
  std::vector<std::unique_ptr<tcp_pair>> conns;
  std::vector<std::array<char, 16>> bufs(pairs);
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  std::atomic<int> outside_strand{0};
  std::atomic<int> completed{0};
  for (int i = 0; i < pairs; ++i)
  {
    conns.push_back(std::make_unique<tcp_pair>(ctx));
    conns.back()->server.async_read_some(
      asio::buffer(bufs[i]), asio::bind_executor(strand, [&, strand](const error_code& ec, std::size_t n) {
        if (inside.fetch_add(1) != 0)
          ++overlaps;
        if (!strand.running_in_this_thread())
          ++outside_strand;
        std::this_thread::sleep_for(2ms); // widen the window an unserialised handler would hit
        if (!ec && n == 1)
          ++completed;
        inside.fetch_sub(1);
      }));
  }
  std::thread a([&] { ctx.run_for(patience); });
  std::thread b([&] { ctx.run_for(patience); });
  for (auto& c : conns)
    send_text(c->client, "x");
  a.join();
  b.join();
  BOOST_TEST(ctx.stopped());
  BOOST_TEST(completed.load() == pairs);
  BOOST_TEST(overlaps.load() == 0);
  BOOST_TEST(outside_strand.load() == 0);
}

BOOST_AUTO_TEST_CASE(objects_constructed_on_make_strand_complete_in_it)
{
  asio::io_context ctx;
  tcp_pair pair(asio::make_strand(ctx)); // any_io_executor holding a strand
  const asio::any_io_executor server_ex = pair.server.get_executor();
  const auto* strand = server_ex.target<strand_executor>();
  BOOST_REQUIRE(strand != nullptr);
  const asio::any_io_executor acceptor_ex = pair.acceptor.get_executor();
  const auto* acceptor_strand = acceptor_ex.target<strand_executor>();
  BOOST_REQUIRE(acceptor_strand != nullptr);
  tcp::socket accepted_target(pair.acceptor.get_executor());
  tcp::socket connector(ctx);

  // The handlers run on two threads: they only record, the checks come after the join.
  std::array<char, 16> rx{};
  outcome read_o, accept_o;
  pair.server.async_read_some(asio::buffer(rx), [&](const error_code& ec, std::size_t n) {
    read_o.record(ec, n);
    read_o.flag = strand->running_in_this_thread();
  });
  pair.acceptor.async_accept(accepted_target, [&](const error_code& ec) {
    accept_o.record(ec);
    accept_o.flag = acceptor_strand->running_in_this_thread();
  });
  std::thread second([&] { ctx.run_for(patience); });
  send_text(pair.client, "x");
  connector.connect(pair.acceptor.local_endpoint());
  ctx.run_for(patience);
  second.join();
  BOOST_TEST(ctx.stopped());
  BOOST_TEST(read_o.calls == 1);
  BOOST_TEST(!read_o.ec, read_o.ec.message());
  BOOST_TEST(read_o.bytes == 1u);
  BOOST_TEST(read_o.flag);
  BOOST_TEST(accept_o.calls == 1);
  BOOST_TEST(!accept_o.ec, accept_o.ec.message());
  BOOST_TEST(accept_o.flag);
}

BOOST_AUTO_TEST_CASE(io_context_executor_type_objects)
{
  using socket_t = net_under_test::basic_stream_socket<tcp, io_executor>;
  using acceptor_t = net_under_test::basic_socket_acceptor<tcp, io_executor>;
  static_assert(std::is_same_v<socket_t::executor_type, io_executor>, "");
  static_assert(std::is_same_v<acceptor_t::executor_type, io_executor>, "");

  asio::io_context ctx;
  acceptor_t acceptor(ctx, tcp_loopback());
  socket_t client(ctx.get_executor());
  socket_t server(ctx);
  int calls = 0;
  bool all_on_ctx = true;
  std::array<char, 16> rx{};
  acceptor.async_accept(server, [&](const error_code& ec) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
    all_on_ctx = all_on_ctx && ctx.get_executor().running_in_this_thread();
    server.async_read_some(asio::buffer(rx), [&](const error_code& ec2, std::size_t n) {
      ++calls;
      BOOST_TEST(!ec2, ec2.message());
      BOOST_TEST(std::string(rx.data(), n) == "typed");
      all_on_ctx = all_on_ctx && ctx.get_executor().running_in_this_thread();
    });
  });
  client.async_connect(acceptor.local_endpoint(), [&](const error_code& ec) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
    all_on_ctx = all_on_ctx && ctx.get_executor().running_in_this_thread();
    client.async_write_some(asio::buffer("typed", 5), [&](const error_code& ec2, std::size_t n) {
      ++calls;
      BOOST_TEST(!ec2, ec2.message());
      BOOST_TEST(n == 5u);
    });
  });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 4);
  BOOST_TEST(all_on_ctx);
  BOOST_TEST((client.get_executor() == ctx.get_executor()));
}

BOOST_AUTO_TEST_CASE(strand_executor_type_objects)
{
  using socket_t = net_under_test::basic_stream_socket<tcp, strand_executor>;
  using acceptor_t = net_under_test::basic_socket_acceptor<tcp, strand_executor>;
  asio::io_context ctx;
  strand_executor strand = asio::make_strand(ctx);
  acceptor_t acceptor(strand, tcp_loopback());
  socket_t client(strand), server(strand);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);

  std::array<char, 16> rx{};
  outcome o;
  server.async_read_some(asio::buffer(rx), [&](const error_code& ec, std::size_t n) {
    o.record(ec, n);
    o.flag = server.get_executor().running_in_this_thread();
  });
  std::thread second([&] { ctx.run_for(patience); });
  asio::write(client, asio::buffer("s", 1));
  ctx.run_for(patience);
  second.join();
  BOOST_TEST(ctx.stopped());
  BOOST_TEST(o.calls == 1);
  BOOST_TEST(!o.ec, o.ec.message());
  BOOST_TEST(o.bytes == 1u);
  BOOST_TEST(o.flag);
}

BOOST_AUTO_TEST_CASE(explicit_any_io_executor_objects)
{
  using socket_t = net_under_test::basic_stream_socket<tcp, asio::any_io_executor>;
  static_assert(std::is_same_v<socket_t, tcp::socket>, "any_io_executor is the default");
  asio::io_context ctx;
  asio::any_io_executor ex = ctx.get_executor();
  tcp_pair pair(ex);
  socket_t& server = pair.server;
  BOOST_TEST((server.get_executor() == ex));
  int calls = 0;
  server.async_wait(tcp::socket::wait_read, [&](const error_code& ec) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
  });
  send_text(pair.client, "x");
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(move_accept_onto_another_executor_or_context)
{
  asio::io_context ctx;
  asio::io_context other;
  tcp::acceptor acceptor(ctx, tcp_loopback());
  tcp::socket c1(ctx), c2(ctx);
  strand_executor strand = asio::make_strand(ctx);

  int calls = 0;
  acceptor.async_accept(strand, [&](const error_code& ec, auto sock) {
    using S = decltype(sock);
    static_assert(std::is_same_v<typename S::executor_type, strand_executor>,
                  "the accepted socket has the executor given to async_accept");
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(sock.is_open());
    BOOST_TEST((sock.get_executor() == strand));
    BOOST_TEST(ctx.get_executor().running_in_this_thread()); // the handler stays on ctx
  });
  c1.connect(acceptor.local_endpoint());
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 1);

  // On another io_context: the accepted socket then does its I/O on that context's threads.
  std::unique_ptr<tcp::socket> moved;
  acceptor.async_accept(other, [&](const error_code& ec, tcp::socket sock) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((&asio::query(sock.get_executor(), asio::execution::context) ==
                static_cast<asio::execution_context*>(&other)));
    moved = std::make_unique<tcp::socket>(std::move(sock));
  });
  c2.connect(acceptor.local_endpoint());
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 2);
  BOOST_REQUIRE(moved);
  std::array<char, 16> rx{};
  bool on_other = false;
  moved->async_read_some(asio::buffer(rx), [&](const error_code& ec, std::size_t n) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(n == 2u);
    on_other = other.get_executor().running_in_this_thread();
  });
  send_text(c2, "hi");
  BOOST_TEST(run_for(other));
  BOOST_TEST(calls == 3);
  BOOST_TEST(on_other);
  moved.reset(); // before `other` goes
}

BOOST_AUTO_TEST_CASE(associated_allocator_is_used_and_released_before_the_upcall)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      alloc_counters counters;
      int allocations_at_call = -1, deallocations_at_call = -1;
      Op::start(s, asio::bind_allocator(counting_allocator<char>(counters),
                                        [&](const error_code& ec, auto&&... args) {
        allocations_at_call = counters.allocations.load();
        deallocations_at_call = counters.deallocations.load();
        o.record(ec, std::forward<decltype(args)>(args)...);
      }));
      Op::provoke(s);
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      Op::check(s, o);
      BOOST_TEST(allocations_at_call > 0); // the operation's state came from the handler's allocator
      BOOST_TEST(deallocations_at_call == allocations_at_call); // and was freed before the upcall
      BOOST_TEST(counters.deallocations.load() == counters.allocations.load());
    }
  });
}

//--------------------------------------------------------------------------------------------------
// A handler never runs inside the initiating function: not for an operation that must wait, not
// for one that can complete at once, not for an immediate error, and also not when the
// initiating function is itself called from a handler on the io_context's thread.
//--------------------------------------------------------------------------------------------------

namespace {

template <typename Op>
void check_never_inside_initiation(bool ready_at_initiation, bool from_handler)
{
  asio::io_context ctx;
  scenario s(ctx);
  outcome o;
  bool initiating = false;
  auto initiate = [&] {
    initiating = true;
    Op::start(s, [&](const error_code& ec, auto&&... args) {
      o.record(ec, std::forward<decltype(args)>(args)...);
      o.flag = initiating;
    });
    initiating = false;
  };
  auto provoke = [&] { Op::provoke(s); };
  if (ready_at_initiation)
    provoke();
  if (from_handler)
  {
    asio::post(ctx, initiate);
    if (!ready_at_initiation)
      asio::post(ctx, provoke); // runs after the initiating handler returned
  }
  else
  {
    initiate();
    if (!ready_at_initiation)
      provoke();
  }
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(o.calls == 1);
  BOOST_TEST(!o.flag);
  Op::check(s, o);
}

} // namespace

BOOST_AUTO_TEST_CASE(never_inside_initiation_every_op_kind)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    for (bool ready : {false, true})
      for (bool from_handler : {false, true})
        BOOST_TEST_CONTEXT(Op::name << (ready ? ", ready at initiation" : ", must wait")
                                    << (from_handler ? ", initiated from a handler" : ""))
        {
          check_never_inside_initiation<Op>(ready, from_handler);
        }
  });
}

BOOST_AUTO_TEST_CASE(immediate_errors_are_never_delivered_inside_initiation)
{
  for (bool from_handler : {false, true})
  {
    BOOST_TEST_CONTEXT((from_handler ? "initiated from a handler" : "initiated outside run()"))
    {
      asio::io_context ctx;
      tcp::socket closed(ctx);
      tcp::acceptor closed_acceptor(ctx);
      tcp::socket target(ctx);
      std::array<char, 8> rx{};
      bool initiating = false;
      int calls = 0, inside = 0;
      std::vector<error_code> codes;
      auto h = [&](const error_code& ec, auto&&...) {
        ++calls;
        if (initiating)
          ++inside;
        codes.push_back(ec);
      };
      auto initiate = [&] {
        initiating = true;
        closed.async_read_some(asio::buffer(rx), h);
        closed.async_write_some(asio::buffer("x", 1), h);
        closed.async_wait(tcp::socket::wait_read, h);
        closed.async_wait(tcp::socket::wait_write, h);
        closed_acceptor.async_accept(target, h);
        closed_acceptor.async_accept(h);
        closed_acceptor.async_wait(tcp::acceptor::wait_read, h);
        initiating = false;
      };
      if (from_handler)
        asio::post(ctx, initiate);
      else
        initiate();
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(calls == 7);
      BOOST_TEST(inside == 0);
      for (const error_code& ec : codes)
        BOOST_TEST((ec == asio::error::bad_descriptor), ec.message());
    }
  }
}

BOOST_AUTO_TEST_CASE(immediate_completions_honour_the_handler_associations)
{
  // Completions known at initiation (an error on a closed socket, a zero-length read, a write
  // that fits) still go through the handler's executor and allocator.
  asio::io_context ctx;
  tcp_pair pair(ctx);
  tcp::socket closed(ctx);
  auto strand = asio::make_strand(ctx);
  std::array<alloc_counters, 3> counters;
  std::array<char, 8> rx{};
  std::vector<outcome> outcomes(3);
  std::vector<int> allocations_at_call(3, -1), deallocations_at_call(3, -1);
  auto handler = [&](std::size_t i) {
    return asio::bind_executor(
      strand, asio::bind_allocator(counting_allocator<char>(counters[i]),
                                   [&, i](const error_code& ec, std::size_t n) {
        outcomes[i].record(ec, n);
        outcomes[i].flag = strand.running_in_this_thread();
        allocations_at_call[i] = counters[i].allocations.load();
        deallocations_at_call[i] = counters[i].deallocations.load();
      }));
  };
  closed.async_read_some(asio::buffer(rx), handler(0));
  pair.server.async_read_some(asio::buffer(rx, 0), handler(1));
  pair.client.async_write_some(asio::buffer("x", 1), handler(2));
  std::thread second([&] { ctx.run_for(patience); });
  ctx.run_for(patience);
  second.join();
  BOOST_TEST(ctx.stopped());
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    BOOST_TEST_CONTEXT("completion " << i)
    {
      BOOST_TEST(outcomes[i].calls == 1);
      BOOST_TEST(outcomes[i].flag);
      BOOST_TEST(allocations_at_call[i] > 0);
      BOOST_TEST(deallocations_at_call[i] == allocations_at_call[i]);
      BOOST_TEST(counters[i].deallocations.load() == counters[i].allocations.load());
    }
  BOOST_TEST((outcomes[0].ec == asio::error::bad_descriptor), outcomes[0].ec.message());
  BOOST_TEST(!outcomes[1].ec, outcomes[1].ec.message());
  BOOST_TEST(!outcomes[2].ec, outcomes[2].ec.message());
  BOOST_TEST(outcomes[2].bytes == 1u);
}

BOOST_AUTO_TEST_CASE(zero_length_read_completes_at_once_but_not_inline)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 8> rx{};
  bool initiating = true;
  int calls = 0;
  pair.server.async_read_some(asio::buffer(rx, 0), [&](const error_code& ec, std::size_t n) {
    ++calls;
    BOOST_TEST(!initiating);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(n == 0u);
  });
  initiating = false;
  BOOST_TEST(run_for(ctx)); // no data ever arrives: the operation must not wait for any
  BOOST_TEST(calls == 1);
}

//--------------------------------------------------------------------------------------------------
// Outstanding work
//--------------------------------------------------------------------------------------------------

namespace {

/// Runs ctx with a timer that calls act() after 100 ms; returns how long run() took.
template <typename Act>
std::chrono::steady_clock::duration run_with_delayed(asio::io_context& ctx, Act act)
{
  asio::steady_timer timer(ctx, 100ms);
  timer.async_wait([&](const error_code& ec) {
    BOOST_TEST(!ec, ec.message());
    act();
  });
  const auto t0 = std::chrono::steady_clock::now();
  ctx.run_for(patience);
  return std::chrono::steady_clock::now() - t0;
}

} // namespace

BOOST_AUTO_TEST_CASE(pending_read_keeps_run_busy_until_it_completes)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{};
  int calls = 0;
  pair.server.async_read_some(asio::buffer(rx), [&](const error_code& ec, std::size_t n) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(std::string(rx.data(), n) == "late");
  });
  auto took = run_with_delayed(ctx, [&] { send_text(pair.client, "late"); });
  BOOST_TEST(ctx.stopped()); // returned because the work ran out, not at the time limit
  BOOST_TEST(calls == 1);
  BOOST_TEST((took >= 90ms));
}

BOOST_AUTO_TEST_CASE(pending_accept_and_wait_keep_run_busy)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  tcp::socket accepted(ctx), connector(ctx);
  int calls = 0;
  pair.acceptor.async_accept(accepted, [&](const error_code& ec) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
  });
  pair.client.async_wait(tcp::socket::wait_read, [&](const error_code& ec) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
  });
  auto took = run_with_delayed(ctx, [&] {
    connector.connect(pair.acceptor.local_endpoint());
    send_text(pair.server, "w");
  });
  BOOST_TEST(ctx.stopped());
  BOOST_TEST(calls == 2);
  BOOST_TEST((took >= 90ms));
}

BOOST_AUTO_TEST_CASE(open_sockets_without_operations_are_not_work)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{};
  // One completed round trip first, so that the sockets are known to the reactor.
  int calls = 0;
  pair.server.async_read_some(asio::buffer(rx), [&](const error_code&, std::size_t) { ++calls; });
  pair.client.async_write_some(asio::buffer("x", 1), [&](const error_code&, std::size_t) { ++calls; });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 2);

  // run() returns at once: nothing is pending. (What it returns counts the library's internal
  // work items too, so only the return itself is checked.)
  const auto t0 = std::chrono::steady_clock::now();
  ctx.restart();
  ctx.run_for(patience);
  BOOST_TEST(ctx.stopped());
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < patience / 2));
  BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(cancelled_and_closed_operations_release_their_work)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{}, rx2{};
  std::vector<error_code> codes;
  auto h = [&](const error_code& ec, auto&&...) { codes.push_back(ec); };
  pair.server.async_read_some(asio::buffer(rx), h);
  pair.acceptor.async_accept(h);
  pair.client.async_read_some(asio::buffer(rx2), h);
  ctx.poll();
  BOOST_TEST(codes.empty());
  pair.server.cancel();
  pair.acceptor.close();
  pair.client.close();
  BOOST_TEST(run_for(ctx));
  BOOST_REQUIRE_EQUAL(codes.size(), 3u);
  for (const error_code& ec : codes)
    BOOST_TEST((ec == asio::error::operation_aborted), ec.message());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace tokens_test
