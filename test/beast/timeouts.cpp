//
// test/beast/timeouts.cpp
//
// basic_stream's deadlines and rate limits. A deadline that passes closes the socket and the
// pending operation completes with beast::error::timeout, leaving nothing pending; a rate policy
// spreads a transfer over Beast's one-second slices.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "beast/fixture.hpp"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace beast_test;
using net_under_test::basic_stream;
using net_under_test::simple_rate_policy;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

const std::string deadline_hello = "hello, deadline";

/// The listen backlog of 1 on `acceptor` is full: one more connection attempt (`hung`, closed
/// before returning) got no answer within 300 ms. Fills it with `fillers`, at most `max` of them.
bool fill_backlog(asio::io_context& ioc, asio::ip::tcp::acceptor& acceptor,
                  std::vector<std::unique_ptr<asio::ip::tcp::socket>>& fillers, int max = 16)
{
  for (int i = 0; i < max; ++i)
  {
    auto s = std::make_unique<asio::ip::tcp::socket>(ioc);
    bool done = false;
    s->async_connect(acceptor.local_endpoint(), [&](error_code) { done = true; });
    asio::steady_timer t(ioc, milliseconds(300));
    t.async_wait([&](error_code) {
      if (!done)
        s->close();
    });
    run_for(ioc);
    if (!s->is_open())
      return true;
    fillers.push_back(std::move(s));
  }
  return false;
}

/// Whether this system leaves a connection attempt unanswered once a listen backlog is full
/// (Linux drops the SYN), which makes a connect that times out deterministic.
struct backlog_drops_syns
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    asio::io_context ioc;
    asio::ip::tcp::acceptor acceptor(ioc);
    acceptor.open(asio::ip::tcp::v4());
    acceptor.bind(tcp_loopback());
    acceptor.listen(1);
    std::vector<std::unique_ptr<asio::ip::tcp::socket>> fillers;
    if (fill_backlog(ioc, acceptor, fillers))
      return true;
    return skipped_because("this system answers connection attempts beyond a full listen "
                           "backlog, so no connect can be made to hang deterministically");
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(timeouts, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(read_from_a_silent_peer_times_out)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  std::array<char, 16> buf{};
  outcome got;
  const auto start = clock_type::now();
  s.expires_after(milliseconds(200));
  s.async_read_some(asio::buffer(buf), record(got));
  // run() returning shows that neither the read nor the deadline's timer is left pending.
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == timed_out, got.ec.message());
  BOOST_TEST(got.bytes == 0u);
  BOOST_TEST(seconds_since(start) >= 0.19);
  BOOST_TEST(!s.socket().is_open());

  // The peer sees the connection end.
  error_code ec;
  peer.read_some(asio::buffer(buf), ec);
  BOOST_TEST((ec == asio::error::eof || ec == asio::error::connection_reset), ec.message());
}

BOOST_AUTO_TEST_CASE(write_stuck_on_a_full_peer_buffer_times_out)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  std::vector<char> big(64 << 20, 'x');
  outcome got;
  s.expires_after(milliseconds(300));
  asio::async_write(s, asio::buffer(big), record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == timed_out, got.ec.message());
  BOOST_TEST(got.bytes < big.size());
  BOOST_TEST(!s.socket().is_open());
}

BOOST_AUTO_TEST_CASE(expires_at_sets_the_same_deadline)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  std::array<char, 16> buf{};
  outcome got;
  s.expires_at(clock_type::now() + milliseconds(200));
  s.async_read_some(asio::buffer(buf), record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.ec == timed_out, got.ec.message());
  BOOST_TEST(!s.socket().is_open());
}

BOOST_AUTO_TEST_CASE(expires_never_cancels_the_deadline)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  s.expires_after(milliseconds(100));
  s.expires_never();
  std::array<char, 64> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  // The peer answers well after the cancelled deadline.
  asio::steady_timer later(ioc, milliseconds(600));
  later.async_wait([&](error_code) { asio::write(peer, asio::buffer(deadline_hello)); });
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == deadline_hello);
  BOOST_TEST(s.socket().is_open());
}

BOOST_AUTO_TEST_CASE(a_met_deadline_does_not_fire_later)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  asio::write(peer, asio::buffer(deadline_hello));
  s.expires_after(milliseconds(300));
  std::array<char, 64> buf{};
  outcome got;
  asio::async_read(s, asio::buffer(buf.data(), deadline_hello.size()), record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!got.ec, got.ec.message());

  // Idle past the deadline: no operation was pending, so nothing closes the socket.
  asio::steady_timer idle(ioc, milliseconds(700));
  idle.async_wait([](error_code) {});
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(s.socket().is_open());

  s.expires_never();
  outcome wrote, read;
  asio::async_write(s, asio::buffer(deadline_hello), record(wrote));
  asio::async_read(peer, asio::buffer(buf.data(), deadline_hello.size()), record(read));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  BOOST_TEST(!read.ec, read.ec.message());
}

BOOST_AUTO_TEST_CASE(a_deadline_that_passed_applies_to_the_next_operation)
{
  // Beast keeps the expiry after an operation completes: the next operation started after it
  // without a new deadline times out at once.
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  s.expires_at(clock_type::now() - milliseconds(1));
  std::array<char, 16> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  BOOST_TEST(run_for(ioc, 1, std::chrono::seconds(10)));
  BOOST_TEST(got.ec == timed_out, got.ec.message());
}

BOOST_AUTO_TEST_CASE(each_direction_has_its_own_deadline)
{
  // A read that times out while a write on the same stream completes in time.
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  s.expires_after(milliseconds(300));
  std::array<char, 16> buf{}, peer_buf{};
  outcome read, wrote, peer_read;
  s.async_read_some(asio::buffer(buf), record(read));
  asio::async_write(s, asio::buffer(deadline_hello), record(wrote));
  asio::async_read(peer, asio::buffer(peer_buf.data(), 5), record(peer_read));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  BOOST_TEST(!peer_read.ec, peer_read.ec.message());
  BOOST_TEST(read.ec == timed_out, read.ec.message());
}

BOOST_AUTO_TEST_CASE(timeout_on_a_strand_executor)
{
  asio::io_context ioc;
  using stream = basic_stream<tcp, asio::strand<asio::io_context::executor_type>>;
  stream s(asio::make_strand(ioc)), peer(asio::make_strand(ioc));
  connect_streams(s, peer);
  s.expires_after(milliseconds(200));
  std::array<char, 16> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  BOOST_TEST(run_for(ioc, 2));
  BOOST_TEST(got.ec == timed_out, got.ec.message());
  BOOST_TEST(!s.socket().is_open());
}

BOOST_AUTO_TEST_CASE(connect_times_out, *boost::unit_test::precondition(backlog_drops_syns()))
{
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor(ioc);
  acceptor.open(asio::ip::tcp::v4());
  acceptor.bind(tcp_loopback());
  acceptor.listen(1);
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> fillers;
  BOOST_TEST_REQUIRE(fill_backlog(ioc, acceptor, fillers));

  tcp_stream s(ioc);
  outcome got;
  const auto start = clock_type::now();
  s.expires_after(milliseconds(300));
  s.async_connect(tcp::endpoint(acceptor.local_endpoint()), record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == timed_out, got.ec.message());
  BOOST_TEST(seconds_since(start) >= 0.29);
  BOOST_TEST(!s.socket().is_open());
}

//--------------------------------------------------------------------------------------------------
// Rate limits
//--------------------------------------------------------------------------------------------------

// Beast refills a limited budget once per second, and the first refill comes at once: a transfer
// of k slices' worth ends no earlier than about k - 2 seconds after it started.
constexpr std::size_t limit = 64 * 1024;
constexpr std::size_t slices = 4;
constexpr std::size_t total = slices * limit;
constexpr double lower_bound = double(slices - 2) - 0.25;

using limited_stream = basic_stream<tcp, asio::any_io_executor, simple_rate_policy>;

/// Seconds it took to move `total` bytes through `limited` (reading if `read`), with a plain
/// stream at the other end; checks the data arrived whole.
double timed_transfer(asio::io_context& ioc, limited_stream& limited, tcp_stream& other, bool read)
{
  std::vector<char> out(total), in(total);
  for (std::size_t i = 0; i < total; ++i)
    out[i] = static_cast<char>(i * 7 + 1);
  outcome wrote, got;
  const auto start = clock_type::now();
  clock_type::time_point end;
  auto done = [&](outcome& o) {
    return [&o, &end](error_code ec, std::size_t n) {
      record(o)(ec, n);
      end = clock_type::now();
    };
  };
  if (read)
  {
    asio::async_write(other, asio::buffer(out), record(wrote));
    asio::async_read(limited, asio::buffer(in), done(got));
  }
  else
  {
    asio::async_write(limited, asio::buffer(out), done(wrote));
    asio::async_read(other, asio::buffer(in), record(got));
  }
  // Once limited, the stream's slice timer ticks for as long as the stream is open: run until
  // the transfer is done, not until the context runs out of work.
  BOOST_TEST(run_until(ioc, [&] { return wrote.calls == 1 && got.calls == 1; }));
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(got.bytes == total);
  BOOST_TEST((in == out));
  return std::chrono::duration<double>(end - start).count();
}

BOOST_AUTO_TEST_CASE(read_limit_spreads_a_transfer)
{
  asio::io_context ioc;
  simple_rate_policy policy;
  policy.read_limit(limit);
  limited_stream s(policy, ioc);
  tcp_stream peer(ioc);
  connect_streams(s, peer);
  const double took = timed_transfer(ioc, s, peer, true);
  BOOST_TEST_MESSAGE("read " << total << " bytes at " << limit << " B/s in " << took << " s");
  BOOST_TEST(took >= lower_bound);
  BOOST_TEST(took < 60.0);
  // Closing the stream stops its slice timer: then nothing is left pending.
  s.close();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_CASE(write_limit_spreads_a_transfer)
{
  asio::io_context ioc;
  simple_rate_policy policy;
  policy.write_limit(limit);
  limited_stream s(policy, ioc);
  tcp_stream peer(ioc);
  connect_streams(s, peer);
  const double took = timed_transfer(ioc, s, peer, false);
  BOOST_TEST_MESSAGE("wrote " << total << " bytes at " << limit << " B/s in " << took << " s");
  BOOST_TEST(took >= lower_bound);
  BOOST_TEST(took < 60.0);
  s.close();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_CASE(budget_refills_and_slice_timer_as_beast,
                     *boost::unit_test::precondition(known_deviation{
                         sockn_build,
                         "boost_sockn's rate policy refills a budget one second after the "
                         "previous refill (Beast refills the first exhausted budget at once) and "
                         "keeps no slice timer running between operations (Beast's ticks every "
                         "second until the stream closes)"}))
{
  asio::io_context ioc;
  simple_rate_policy policy;
  policy.read_limit(limit);
  limited_stream s(policy, ioc);
  tcp_stream peer(ioc);
  connect_streams(s, peer);
  std::vector<char> out(2 * limit, 'r'), in(2 * limit);
  outcome wrote;
  asio::async_write(peer, asio::buffer(out), record(wrote));

  // The first budget, then at once a second one: two slices with no wait, which a deadline far
  // shorter than a slice does not interrupt.
  s.expires_after(std::chrono::milliseconds(800));
  outcome first;
  asio::async_read(s, asio::buffer(in.data(), 2 * limit), record(first));
  BOOST_TEST(run_until(ioc, [&] { return first.calls == 1 && wrote.calls == 1; }));
  BOOST_TEST(!first.ec, first.ec.message());
  BOOST_TEST(first.bytes == 2 * limit);

  // The slice timer keeps ticking while the stream is open, though nothing else is pending.
  s.expires_never();
  ioc.restart();
  const std::size_t handlers = ioc.run_for(std::chrono::milliseconds(2500));
  BOOST_TEST(!ioc.stopped());
  BOOST_TEST(handlers >= 1u); // at least one tick ran

  s.close();
  peer.close();
  BOOST_TEST(run_for(ioc));
}

BOOST_AUTO_TEST_CASE(a_read_limit_leaves_writes_alone)
{
  asio::io_context ioc;
  simple_rate_policy policy;
  policy.read_limit(limit);
  limited_stream s(policy, ioc);
  tcp_stream peer(ioc);
  connect_streams(s, peer);
  const double took = timed_transfer(ioc, s, peer, false);
  BOOST_TEST_MESSAGE("wrote " << total << " bytes, reads limited, in " << took << " s");
  // Well under the limited time: the write never waited for a slice.
  BOOST_TEST(took < lower_bound);
}

BOOST_AUTO_TEST_CASE(unlimited_policy_does_not_wait)
{
  asio::io_context ioc;
  limited_stream s(ioc); // simple_rate_policy without limits
  tcp_stream peer(ioc);
  connect_streams(s, peer);
  const double took_read = timed_transfer(ioc, s, peer, true);
  const double took_write = timed_transfer(ioc, s, peer, false);
  BOOST_TEST_MESSAGE("unlimited: read in " << took_read << " s, wrote in " << took_write << " s");
  BOOST_TEST(took_read < lower_bound);
  BOOST_TEST(took_write < lower_bound);

  basic_stream<tcp, asio::any_io_executor, net_under_test::unlimited_rate_policy> u(
      net_under_test::unlimited_rate_policy{}, ioc);
  BOOST_TEST(!u.socket().is_open());
}

BOOST_AUTO_TEST_SUITE_END()
