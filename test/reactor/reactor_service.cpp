//
// test/reactor/reactor_service.cpp
//
// boost_sockn::reactor as a program sees it: configure() before and after the first socket,
// options and the backend/policy in use, and the statistics counters.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/environment.hpp"
#include "support/support.hpp"

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <memory>
#include <string>
#include <vector>

namespace reactor_test {

using namespace sockn_test;
using tcp = net_under_test::tcp;

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

BOOST_AUTO_TEST_SUITE(reactor_service, *boost::unit_test::precondition(sockn_only{
  "boost_sockn::reactor does not exist in the native Asio build"}))
BOOST_AUTO_TEST_CASE(configure_and_statistics)
{
  // Never runs (the suite's precondition is false here); listed so that the report shows why.
  BOOST_TEST(std::string(net_under_test::name()) == "boost_sockn");
}
BOOST_AUTO_TEST_SUITE_END()

#else

namespace {

using boost_sockn::readiness_delivery;
using boost_sockn::reactor;
using boost_sockn::reactor_options;
using boost_sockn::reactor_statistics;

/// The policy BOOST_SOCKN_TRIGGER asks for, or automatic when it is unset.
boost_sockn::trigger_policy policy_from_environment()
{
  const char* v = std::getenv("BOOST_SOCKN_TRIGGER");
  if (!v)
    return boost_sockn::trigger_policy::automatic;
  const std::string s = sockn_test::upper_case(v); // the library ignores case
  if (s == "LEVEL_ONESHOT")
    return boost_sockn::trigger_policy::level_oneshot;
  if (s == "EDGE_PERSISTENT")
    return boost_sockn::trigger_policy::edge_persistent;
  return boost_sockn::trigger_policy::automatic;
}

/// One read that has to wait for the peer, completed through the port.
void pending_read_round_trip(asio::io_context& ctx, tcp_pair& pair)
{
  std::array<char, 16> rx{};
  int calls = 0;
  pair.server.async_read_some(asio::buffer(rx), [&](const error_code& ec, std::size_t n) {
    ++calls;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(n == 4u);
  });
  asio::steady_timer later(ctx, 20ms);
  later.async_wait([&](const error_code&) { send_text(pair.client, "ping"); });
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(calls == 1);
}

} // namespace

BOOST_AUTO_TEST_SUITE(reactor_service, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(configure_before_first_socket_succeeds_after_it_fails)
{
  asio::io_context ctx;
  reactor_options opts;
  opts.batch_capacity = 64;
  error_code ec;
  reactor::configure(ctx, opts, ec);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(asio::use_service<reactor>(ctx).options().batch_capacity == 64u);

  // Configuring again before any socket is still allowed.
  opts.batch_capacity = 32;
  BOOST_CHECK_NO_THROW(reactor::configure(ctx, opts));
  BOOST_TEST(asio::use_service<reactor>(ctx).options().batch_capacity == 32u);

  tcp_pair pair(ctx);
  pending_read_round_trip(ctx, pair);

  reactor::configure(ctx, reactor_options{}, ec);
  BOOST_TEST((ec == asio::error::already_started), ec.message());
  error_code thrown;
  try
  {
    reactor::configure(ctx, reactor_options{});
  }
  catch (const boost::system::system_error& e)
  {
    thrown = e.code();
  }
  BOOST_TEST((thrown == asio::error::already_started), thrown.message());
  // The running reactor kept its options.
  BOOST_TEST(asio::use_service<reactor>(ctx).options().batch_capacity == 32u);
}

BOOST_AUTO_TEST_CASE(configure_after_merely_opening_a_socket_fails)
{
  asio::io_context ctx;
  tcp::socket s(ctx);
  s.open(tcp::v4());
  error_code ec;
  reactor::configure(ctx, reactor_options{}, ec);
  BOOST_TEST((ec == asio::error::already_started), ec.message());
}

BOOST_AUTO_TEST_CASE(configure_rejects_a_backend_the_system_lacks)
{
  reactor_options opts;
#if defined(_WIN32)
  opts.backend = boost_sockn::backend_kind::epoll;
#else
  opts.backend = boost_sockn::backend_kind::psn;
#endif
  std::string why;
  BOOST_TEST(!reactor::available(opts, why));
  BOOST_TEST(!why.empty());
  asio::io_context ctx;
  error_code ec;
  reactor::configure(ctx, opts, ec);
  BOOST_TEST(!!ec);
  BOOST_TEST((ec != asio::error::already_started), ec.message());

  // A failed configure leaves the context usable with its defaults.
  tcp_pair pair(ctx);
  pending_read_round_trip(ctx, pair);
}

BOOST_AUTO_TEST_CASE(policy_follows_the_environment)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  pending_read_round_trip(ctx, pair);
  const reactor& r = asio::use_service<reactor>(ctx);
  BOOST_TEST_MESSAGE("backend " << boost_sockn::to_string(r.backend()) << ", policy "
                                << boost_sockn::to_string(r.policy()));
  BOOST_TEST((r.policy() != boost_sockn::trigger_policy::automatic));
  BOOST_TEST((r.backend() != boost_sockn::backend_kind::automatic));
  const auto wanted = policy_from_environment();
  if (wanted != boost_sockn::trigger_policy::automatic)
    BOOST_TEST((r.policy() == wanted));
}

BOOST_AUTO_TEST_CASE(statistics_count_port_calls_and_registrations)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  const reactor& r = asio::use_service<reactor>(ctx);
  const reactor_statistics before = r.statistics();

  pending_read_round_trip(ctx, pair);
  const reactor_statistics after = r.statistics();
  BOOST_TEST(after.process_calls > 0u);
  BOOST_TEST(after.process_calls >= before.process_calls);
  // Batched by the readiness thread or applied directly by the starting thread: either way the
  // waiting read's socket was registered.
  BOOST_TEST(after.registrations + after.direct_registrations > 0u);
  BOOST_TEST(after.queued > before.queued); // the read had to wait
  BOOST_TEST(after.notifications > before.notifications);
  BOOST_TEST(after.performs > before.performs);

  // A second waiting read adds to the counters.
  pending_read_round_trip(ctx, pair);
  const reactor_statistics again = r.statistics();
  BOOST_TEST(again.queued > after.queued);
  BOOST_TEST(again.notifications > after.notifications);
  BOOST_TEST(again.process_calls > after.process_calls);
}

BOOST_AUTO_TEST_CASE(live_states_follow_the_open_sockets)
{
  // The gauge a soak test watches: it must come back once sockets are gone, whatever the sockets
  // did through the port.
  asio::io_context ctx;
  const reactor& r = asio::use_service<reactor>(ctx);
  const auto base = r.statistics().live_states;
  constexpr std::size_t n = 16;
  {
    std::vector<tcp::socket> sockets;
    for (std::size_t i = 0; i < n; ++i)
      sockets.emplace_back(ctx, tcp::v4());
    BOOST_TEST(r.statistics().live_states == base + n);

    // A connected pair (acceptor, client, server) whose read waited through the port, and a read
    // still pending when the pair is destroyed: its abort is a handler the context has to run.
    tcp_pair pair(ctx);
    BOOST_TEST(r.statistics().live_states == base + n + 3);
    pending_read_round_trip(ctx, pair);
    BOOST_TEST(r.statistics().live_states == base + n + 3);
    std::array<char, 16> rx{};
    pair.server.async_read_some(asio::buffer(rx), [](const error_code&, std::size_t) {});
    ctx.restart();
    ctx.poll();
  }
  // Closed; a closed socket's state can outlive the close until the context has run what still
  // refers to it (the abort above, a notification queued for it), and, with the readiness
  // thread, until that thread has dequeued the remove notification, which is no work of the
  // context's: the gauge is given the patience to come back.
  BOOST_TEST(run_for(ctx));
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (r.statistics().live_states != base && std::chrono::steady_clock::now() < deadline)
  {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ctx.restart();
    ctx.poll();
  }
  BOOST_TEST(r.statistics().live_states == base);
}

BOOST_AUTO_TEST_CASE(without_direct_registration_every_entry_goes_through_the_batch)
{
  asio::io_context ctx;
  reactor_options opts;
  opts.direct_registration = false;
  reactor::configure(ctx, opts);
  BOOST_TEST(!asio::use_service<reactor>(ctx).options().direct_registration);
  tcp_pair pair(ctx);
  pending_read_round_trip(ctx, pair);
  pending_read_round_trip(ctx, pair);
  const reactor_statistics st = asio::use_service<reactor>(ctx).statistics();
  BOOST_TEST(st.direct_registrations == 0u);
  BOOST_TEST(st.registrations > 0u);
  BOOST_TEST(st.registrations_per_call() > 0.0);
  BOOST_TEST(st.queued >= 2u);
}

BOOST_AUTO_TEST_CASE(batch_capacity_one_still_serves_every_socket)
{
  asio::io_context ctx;
  reactor_options opts;
  opts.batch_capacity = 1;
  reactor::configure(ctx, opts);
  constexpr int pairs = 8;
  std::vector<std::unique_ptr<tcp_pair>> conns;
  std::vector<std::array<char, 8>> bufs(pairs);
  int completed = 0;
  for (int i = 0; i < pairs; ++i)
  {
    conns.push_back(std::make_unique<tcp_pair>(ctx));
    conns.back()->server.async_read_some(asio::buffer(bufs[i]),
                                         [&](const error_code& ec, std::size_t n) {
      BOOST_TEST(!ec, ec.message());
      if (n == 1)
        ++completed;
    });
  }
  ctx.poll();
  for (auto& c : conns)
    send_text(c->client, "z");
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(completed == pairs);
  const reactor_statistics st = asio::use_service<reactor>(ctx).statistics();
  BOOST_TEST(st.notifications_per_call() <= 1.0);
}

#if defined(__linux__)
// What a user counting threads in /proc or a debugger sees.
int threads_named_sockn_port()
{
  int count = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec))
  {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    std::getline(comm, name);
    count += (name == "sockn-port");
  }
  return count;
}

BOOST_AUTO_TEST_CASE(readiness_thread_carries_a_name)
{
  // The thread the reactor starts with the context's first socket is named.
  const int before = threads_named_sockn_port();
  asio::io_context ctx;
  reactor_options o;
  o.delivery = readiness_delivery::readiness_thread;
  reactor::configure(ctx, o);
  tcp::socket s(ctx, tcp::v4());
  BOOST_TEST((asio::use_service<reactor>(ctx).delivery() == readiness_delivery::readiness_thread));
  // The thread names itself as it starts: give it a moment.
  for (int i = 0; i < 200 && threads_named_sockn_port() == before; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  BOOST_TEST(threads_named_sockn_port() == before + 1);
}

struct io_threads_available
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    reactor_options o;
    o.delivery = readiness_delivery::io_threads;
    std::string why;
    if (reactor::available(o, why))
      return true;
    return skipped_because(why);
  }
};

BOOST_AUTO_TEST_CASE(io_threads_delivery_starts_no_thread,
                     *boost::unit_test::precondition(io_threads_available()))
{
  asio::io_context ctx;
  reactor_options o;
  o.delivery = readiness_delivery::io_threads;
  reactor::configure(ctx, o);
  const int before = threads_named_sockn_port();
  tcp::socket s(ctx, tcp::v4());
  BOOST_TEST((asio::use_service<reactor>(ctx).delivery() == readiness_delivery::io_threads));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  BOOST_TEST(threads_named_sockn_port() == before);
}
#endif

BOOST_AUTO_TEST_SUITE_END()

#endif

} // namespace reactor_test
