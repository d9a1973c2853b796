//
// test/tokens/connect_algorithms.cpp
//
// The free connect() / async_connect() algorithms: over a resolver result and over an iterator
// range, with and without a connect condition, the throwing and error_code forms, and the
// completion argument types (error_code, endpoint) / (error_code, iterator).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"
#include "pending_connect.hpp"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include <vector>

namespace tokens_test {

namespace {

/// A local port that is bound but not listening: a connection attempt to it is refused at once.
/// Holding the socket keeps the port from being reused by anyone else during the case.
struct refused_port
{
  tcp::socket holder;
  tcp::endpoint endpoint;

  explicit refused_port(asio::io_context& ctx) : holder(ctx)
  {
    holder.open(tcp::v4());
    holder.bind(tcp_loopback());
    endpoint = holder.local_endpoint();
  }
};

tcp::resolver::results_type resolve(asio::io_context& ctx, const tcp::endpoint& ep)
{
  tcp::resolver resolver(ctx);
  return resolver.resolve(ep.address().to_string(), std::to_string(ep.port()),
                          tcp::resolver::numeric_host | tcp::resolver::numeric_service);
}

} // namespace

BOOST_AUTO_TEST_SUITE(connect_algorithms, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(sync_over_resolver_results)
{
  asio::io_context ctx;
  tcp::acceptor acceptor(ctx, tcp_loopback());
  tcp::socket s(ctx);
  auto results = resolve(ctx, acceptor.local_endpoint());
  BOOST_REQUIRE(!results.empty());

  tcp::endpoint ep = net_under_test::connect(s, results);
  BOOST_TEST(ep == acceptor.local_endpoint());
  BOOST_TEST(s.remote_endpoint() == acceptor.local_endpoint());

  tcp::socket s2(ctx);
  error_code ec;
  ep = net_under_test::connect(s2, results, ec);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(ep == acceptor.local_endpoint());
}

BOOST_AUTO_TEST_CASE(sync_first_refused_then_second_connects)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  std::vector<tcp::endpoint> eps{refused.endpoint, acceptor.local_endpoint()};

  tcp::socket by_sequence(ctx);
  BOOST_TEST(net_under_test::connect(by_sequence, eps) == acceptor.local_endpoint());
  BOOST_TEST(by_sequence.remote_endpoint() == acceptor.local_endpoint());

  tcp::socket by_range(ctx);
  auto it = net_under_test::connect(by_range, eps.begin(), eps.end());
  BOOST_TEST((it == eps.begin() + 1));
  BOOST_TEST(by_range.remote_endpoint() == acceptor.local_endpoint());

  tcp::socket by_range_ec(ctx);
  error_code ec;
  it = net_under_test::connect(by_range_ec, eps.begin(), eps.end(), ec);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST((it == eps.begin() + 1));
}

BOOST_AUTO_TEST_CASE(sync_connect_condition_sees_each_attempt)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  std::vector<tcp::endpoint> eps{refused.endpoint, acceptor.local_endpoint()};

  // Accepting every endpoint: the condition is told the previous attempt's error.
  std::vector<std::pair<error_code, tcp::endpoint>> seen;
  auto accept_all = [&](const error_code& ec, const tcp::endpoint& ep) {
    seen.emplace_back(ec, ep);
    return true;
  };
  tcp::socket s(ctx);
  BOOST_TEST(net_under_test::connect(s, eps, accept_all) == acceptor.local_endpoint());
  BOOST_REQUIRE_EQUAL(seen.size(), 2u);
  BOOST_TEST(!seen[0].first);
  BOOST_TEST(seen[0].second == refused.endpoint);
  BOOST_TEST((seen[1].first == asio::error::connection_refused), seen[1].first.message());
  BOOST_TEST(seen[1].second == acceptor.local_endpoint());

  // Rejecting the refused endpoint: it is never tried.
  std::vector<tcp::endpoint> offered;
  auto skip_refused = [&](const error_code& ec, const tcp::endpoint& ep) {
    BOOST_TEST(!ec, ec.message());
    offered.push_back(ep);
    return ep != refused.endpoint;
  };
  tcp::socket s2(ctx);
  auto it = net_under_test::connect(s2, eps.begin(), eps.end(), skip_refused);
  BOOST_TEST((it == eps.begin() + 1));
  BOOST_TEST(offered.size() == 2u);
  BOOST_TEST(s2.remote_endpoint() == acceptor.local_endpoint());

  // Rejecting everything: not_found, nothing attempted.
  tcp::socket s3(ctx);
  error_code ec;
  auto reject_all = [](const error_code&, const tcp::endpoint&) { return false; };
  net_under_test::connect(s3, eps, reject_all, ec);
  BOOST_TEST((ec == asio::error::not_found), ec.message());
}

// Asio's legacy form of the condition: Iterator(const error_code&, Iterator next) returns the
// next endpoint to try itself (end: stop).
BOOST_AUTO_TEST_CASE(sync_legacy_iterator_condition)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  using iterator = std::vector<tcp::endpoint>::iterator;
  std::vector<tcp::endpoint> eps{refused.endpoint, refused.endpoint, acceptor.local_endpoint()};

  // Jump straight past both refused endpoints to the last one.
  int asked = 0;
  auto jump_to_last = [&](const error_code&, iterator next) {
    ++asked;
    return next == eps.end() ? next : eps.end() - 1;
  };
  tcp::socket s(ctx);
  iterator it = net_under_test::connect(s, eps.begin(), eps.end(), jump_to_last);
  BOOST_TEST((it == eps.end() - 1));
  BOOST_TEST(asked == 1);
  BOOST_TEST(s.remote_endpoint() == acceptor.local_endpoint());

  // Returning end stops the walk; the last attempt's error is the result.
  auto stop_after_a_failure = [&](const error_code& e, iterator next) {
    return e ? eps.end() : next;
  };
  tcp::socket s2(ctx);
  error_code ec;
  net_under_test::connect(s2, eps.begin(), eps.end(), stop_after_a_failure, ec);
  BOOST_TEST((ec == asio::error::connection_refused), ec.message());
}

BOOST_AUTO_TEST_CASE(async_legacy_iterator_condition)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  using iterator = std::vector<tcp::endpoint>::iterator;
  std::vector<tcp::endpoint> eps{refused.endpoint, refused.endpoint, acceptor.local_endpoint()};

  tcp::socket s(ctx);
  int asked = 0, calls = 0;
  net_under_test::async_connect(
    s, eps.begin(), eps.end(),
    [&](const error_code&, iterator next) {
      ++asked;
      return next == eps.end() ? next : eps.end() - 1;
    },
    [&](const error_code& ec, iterator it) {
      ++calls;
      BOOST_TEST(!ec, ec.message());
      BOOST_TEST((it == eps.end() - 1));
    });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 1);
  BOOST_TEST(asked == 1);
}

BOOST_AUTO_TEST_CASE(sync_errors_throw_or_set_ec)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  std::vector<tcp::endpoint> eps{refused.endpoint};

  tcp::socket s(ctx);
  error_code thrown;
  try
  {
    net_under_test::connect(s, eps);
  }
  catch (const boost::system::system_error& e)
  {
    thrown = e.code();
  }
  BOOST_TEST((thrown == asio::error::connection_refused), thrown.message());

  error_code ec;
  auto it = net_under_test::connect(s, eps.begin(), eps.end(), ec);
  BOOST_TEST((ec == asio::error::connection_refused), ec.message());
  BOOST_TEST((it == eps.end()));

  std::vector<tcp::endpoint> none;
  net_under_test::connect(s, none, ec);
  BOOST_TEST((ec == asio::error::not_found), ec.message());
  thrown = {};
  try
  {
    net_under_test::connect(s, none.begin(), none.end());
  }
  catch (const boost::system::system_error& e)
  {
    thrown = e.code();
  }
  BOOST_TEST((thrown == asio::error::not_found), thrown.message());
}

BOOST_AUTO_TEST_CASE(async_over_resolver_results_yields_endpoint)
{
  asio::io_context ctx;
  tcp::acceptor acceptor(ctx, tcp_loopback());
  refused_port refused(ctx);
  tcp::socket s(ctx);
  auto results = resolve(ctx, acceptor.local_endpoint());

  int calls = 0;
  net_under_test::async_connect(s, results, [&](const error_code& ec, auto ep) {
    static_assert(std::is_same_v<decltype(ep), tcp::endpoint>,
                  "a sequence overload completes with (error_code, endpoint)");
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(ep == acceptor.local_endpoint());
  });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 1);
  BOOST_TEST(s.remote_endpoint() == acceptor.local_endpoint());
}

BOOST_AUTO_TEST_CASE(async_first_refused_then_second_connects)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  std::vector<tcp::endpoint> eps{refused.endpoint, acceptor.local_endpoint()};
  using iterator = std::vector<tcp::endpoint>::iterator;

  tcp::socket by_sequence(ctx), by_range(ctx), by_range_condition(ctx);
  int calls = 0;
  net_under_test::async_connect(by_sequence, eps, [&](const error_code& ec, auto ep) {
    static_assert(std::is_same_v<decltype(ep), tcp::endpoint>, "(error_code, endpoint)");
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(ep == acceptor.local_endpoint());
  });
  // `-> void`: generic handlers with a deduced return type are generic_connect_handlers.cpp's.
  net_under_test::async_connect(by_range, eps.begin(), eps.end(),
                                [&](const error_code& ec, auto it) -> void {
    static_assert(std::is_same_v<decltype(it), iterator>, "(error_code, iterator)");
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((it == eps.begin() + 1));
  });
  std::vector<error_code> condition_saw;
  net_under_test::async_connect(
    by_range_condition, eps.begin(), eps.end(),
    [&](const error_code& ec, const tcp::endpoint&) {
      condition_saw.push_back(ec);
      return true;
    },
    [&](const error_code& ec, auto it) -> void {
      static_assert(std::is_same_v<decltype(it), iterator>, "(error_code, iterator)");
      ++calls;
      BOOST_TEST(!ec, ec.message());
      BOOST_TEST((it == eps.begin() + 1));
    });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 3);
  BOOST_TEST(by_sequence.remote_endpoint() == acceptor.local_endpoint());
  BOOST_TEST(by_range.remote_endpoint() == acceptor.local_endpoint());
  BOOST_REQUIRE_EQUAL(condition_saw.size(), 2u);
  BOOST_TEST(!condition_saw[0]);
  BOOST_TEST((condition_saw[1] == asio::error::connection_refused), condition_saw[1].message());
}

BOOST_AUTO_TEST_CASE(async_condition_skips_endpoints)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  std::vector<tcp::endpoint> eps{refused.endpoint, acceptor.local_endpoint()};

  tcp::socket s(ctx);
  int calls = 0;
  net_under_test::async_connect(
    s, eps,
    [&](const error_code& ec, const tcp::endpoint& ep) {
      BOOST_TEST(!ec, ec.message()); // the refused endpoint is never attempted
      return ep != refused.endpoint;
    },
    [&](const error_code& ec, const tcp::endpoint& ep) {
      ++calls;
      BOOST_TEST(!ec, ec.message());
      BOOST_TEST(ep == acceptor.local_endpoint());
    });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(async_errors)
{
  asio::io_context ctx;
  refused_port refused(ctx);
  std::vector<tcp::endpoint> only_refused{refused.endpoint};
  std::vector<tcp::endpoint> none;

  tcp::socket a(ctx), b(ctx), c(ctx);
  error_code refused_ec, empty_ec, rejected_ec;
  tcp::endpoint empty_ep(asio::ip::address_v4::any(), 1);
  std::vector<tcp::endpoint>::iterator refused_it = only_refused.begin();
  int calls = 0, inside_initiation = 0;
  bool initiating = true; // nothing to try: the errors are known at once, yet never delivered inline
  net_under_test::async_connect(a, only_refused.begin(), only_refused.end(),
                                [&](const error_code& ec, std::vector<tcp::endpoint>::iterator it) {
    ++calls;
    inside_initiation += initiating;
    refused_ec = ec;
    refused_it = it;
  });
  net_under_test::async_connect(b, none, [&](const error_code& ec, const tcp::endpoint& ep) {
    ++calls;
    inside_initiation += initiating;
    empty_ec = ec;
    empty_ep = ep;
  });
  net_under_test::async_connect(
    c, only_refused, [](const error_code&, const tcp::endpoint&) { return false; },
    [&](const error_code& ec, const tcp::endpoint&) {
      ++calls;
      inside_initiation += initiating;
      rejected_ec = ec;
    });
  initiating = false;
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 3);
  BOOST_TEST(inside_initiation == 0);
  BOOST_TEST((refused_ec == asio::error::connection_refused), refused_ec.message());
  BOOST_TEST((refused_it == only_refused.end()));
  BOOST_TEST((empty_ec == asio::error::not_found), empty_ec.message());
  BOOST_TEST((empty_ep == tcp::endpoint())); // a default endpoint when none connected
  BOOST_TEST((rejected_ec == asio::error::not_found), rejected_ec.message());
}

BOOST_AUTO_TEST_CASE(async_propagates_the_handler_executor_and_allocator)
{
  using strand_executor = asio::strand<asio::io_context::executor_type>;
  asio::io_context ctx;
  refused_port refused(ctx);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  std::vector<tcp::endpoint> eps{refused.endpoint, acceptor.local_endpoint()};
  strand_executor strand = asio::make_strand(ctx);

  alloc_counters seq_alloc, range_alloc;
  outcome by_sequence, by_range;
  int seq_allocs_at_call = -1, seq_deallocs_at_call = -1;
  int range_allocs_at_call = -1, range_deallocs_at_call = -1;
  tcp::socket a(ctx), b(ctx);
  net_under_test::async_connect(
    a, eps,
    asio::bind_executor(strand, asio::bind_allocator(counting_allocator<char>(seq_alloc),
                                                     [&](const error_code& ec, const tcp::endpoint& ep) {
      seq_allocs_at_call = seq_alloc.allocations.load();
      seq_deallocs_at_call = seq_alloc.deallocations.load();
      by_sequence.record(ec);
      by_sequence.flag = strand.running_in_this_thread();
      by_sequence.socket_remote = ep;
    })));
  net_under_test::async_connect(
    b, eps.begin(), eps.end(),
    asio::bind_executor(strand, asio::bind_allocator(counting_allocator<char>(range_alloc),
                                                     [&](const error_code& ec, auto it) -> void {
      range_allocs_at_call = range_alloc.allocations.load();
      range_deallocs_at_call = range_alloc.deallocations.load();
      by_range.record(ec);
      by_range.flag = strand.running_in_this_thread();
      by_range.socket_remote = *it;
    })));
  // Two threads: running in the strand is then more than running in the only thread.
  std::thread second([&] { ctx.run_for(patience); });
  ctx.run_for(patience);
  second.join();
  BOOST_TEST(ctx.stopped());
  for (const outcome* o : {&by_sequence, &by_range})
  {
    BOOST_TEST(o->calls == 1);
    BOOST_TEST(!o->ec, o->ec.message());
    BOOST_TEST(o->flag);
    BOOST_TEST(o->socket_remote == acceptor.local_endpoint());
  }
  // The per-attempt operations came from the handler's allocator and were all freed before the
  // final handler ran.
  BOOST_TEST(seq_allocs_at_call > 0);
  BOOST_TEST(seq_deallocs_at_call == seq_allocs_at_call);
  BOOST_TEST(range_allocs_at_call > 0);
  BOOST_TEST(range_deallocs_at_call == range_allocs_at_call);
}

BOOST_AUTO_TEST_CASE(async_cancellation_stops_the_walk,
                     *boost::unit_test::precondition(pending_connect_possible()))
{
  // Terminal and partial only: Asio's connect algorithms do not take total cancellation.
  for (auto type : {asio::cancellation_type::terminal, asio::cancellation_type::partial})
    BOOST_TEST_CONTEXT("cancellation type " << static_cast<int>(type))
    {
      saturated_listener listener;
      BOOST_REQUIRE_MESSAGE(listener.saturated, listener.why);
      asio::io_context ctx;
      tcp::acceptor acceptor(ctx, tcp_loopback());
      std::vector<tcp::endpoint> eps{listener.endpoint(), acceptor.local_endpoint()};
      asio::cancellation_signal seq_signal, range_signal;
      outcome by_sequence, by_range;
      tcp::endpoint seq_ep(asio::ip::address_v4::any(), 1);
      tcp::socket a(ctx), b(ctx);
      net_under_test::async_connect(
        a, eps, asio::bind_cancellation_slot(seq_signal.slot(),
                                             [&](const error_code& ec, const tcp::endpoint& ep) {
          by_sequence.record(ec);
          seq_ep = ep;
        }));
      net_under_test::async_connect(
        b, eps.begin(), eps.end(),
        asio::bind_cancellation_slot(range_signal.slot(), [&](const error_code& ec, auto) -> void {
          by_range.record(ec);
        }));
      ctx.poll();
      BOOST_TEST(by_sequence.calls == 0); // both wait on the first endpoint
      BOOST_TEST(by_range.calls == 0);
      seq_signal.emit(type);
      range_signal.emit(type);
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(by_sequence.calls == 1);
      BOOST_TEST((by_sequence.ec == asio::error::operation_aborted), by_sequence.ec.message());
      BOOST_TEST((seq_ep == tcp::endpoint()));
      BOOST_TEST(by_range.calls == 1);
      BOOST_TEST((by_range.ec == asio::error::operation_aborted), by_range.ec.message());
      // The walk stopped: neither socket went on to the second endpoint.
      error_code ec;
      a.remote_endpoint(ec);
      BOOST_TEST(!!ec);
      b.remote_endpoint(ec);
      BOOST_TEST(!!ec);
    }
}

BOOST_AUTO_TEST_CASE(async_closing_the_socket_stops_the_walk,
                     *boost::unit_test::precondition(pending_connect_possible()))
{
  // The way programs put a deadline on a connect (a timer that closes the socket): the walk
  // ends with operation_aborted instead of reopening the socket for the next endpoint.
  saturated_listener listener;
  BOOST_REQUIRE_MESSAGE(listener.saturated, listener.why);
  asio::io_context ctx;
  tcp::acceptor acceptor(ctx, tcp_loopback());
  std::vector<tcp::endpoint> eps{listener.endpoint(), acceptor.local_endpoint()};
  outcome by_sequence, by_range;
  tcp::socket a(ctx), b(ctx);
  net_under_test::async_connect(a, eps, [&](const error_code& ec, const tcp::endpoint&) {
    by_sequence.record(ec);
  });
  net_under_test::async_connect(b, eps.begin(), eps.end(), [&](const error_code& ec, auto) -> void {
    by_range.record(ec);
  });
  asio::steady_timer timer(ctx, 50ms);
  timer.async_wait([&](const error_code&) {
    a.close();
    b.close();
  });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(by_sequence.calls == 1);
  BOOST_TEST((by_sequence.ec == asio::error::operation_aborted), by_sequence.ec.message());
  BOOST_TEST(by_range.calls == 1);
  BOOST_TEST((by_range.ec == asio::error::operation_aborted), by_range.ec.message());
  BOOST_TEST(!a.is_open());
  BOOST_TEST(!b.is_open());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace tokens_test
