//
// test/beast/stream_api.cpp
//
// basic_stream's interface member by member: the constructor forms, rebinding and moving,
// release_socket, cancel, close, the connect overloads, per-operation cancellation, and the
// executor types it must instantiate with.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "beast/fixture.hpp"

#include <array>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using namespace beast_test;
using net_under_test::basic_stream;
using net_under_test::simple_rate_policy;

const std::string hello = "hello, stream";

/// One message from `from` arrives on `to`, both asynchronously: the stream works.
template <typename From, typename To>
void expect_transfer(asio::io_context& ioc, From& from, To& to)
{
  std::array<char, 64> buf{};
  outcome wrote, read;
  asio::async_write(from, asio::buffer(hello), record(wrote));
  asio::async_read(to, asio::buffer(buf.data(), hello.size()), record(read));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(wrote.calls == 1);
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  BOOST_TEST(read.calls == 1);
  BOOST_TEST(!read.ec, read.ec.message());
  BOOST_TEST(std::string(buf.data(), read.bytes) == hello);
}

/// Both directions of a connected pair of streams work.
template <typename Stream>
void expect_duplex(asio::io_context& ioc, Stream& a, Stream& b)
{
  expect_transfer(ioc, a, b);
  expect_transfer(ioc, b, a);
}

using any_ex = asio::any_io_executor;

} // namespace

BOOST_AUTO_TEST_SUITE(stream_api, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(types_mirror_beast)
{
  using socket_type = tcp_stream::socket_type;
  static_assert(std::is_same_v<socket_type, net_under_test::basic_stream_socket<tcp, any_ex>>);
  static_assert(std::is_same_v<tcp_stream::executor_type, any_ex>);
  static_assert(std::is_same_v<tcp_stream::protocol_type, tcp>);
  static_assert(std::is_same_v<tcp_stream::endpoint_type, tcp::endpoint>);
  using strand_stream = tcp_stream::rebind_executor<asio::strand<any_ex>>::other;
  static_assert(std::is_same_v<strand_stream::executor_type, asio::strand<any_ex>>);
  static_assert(beast::is_sync_stream<tcp_stream>::value);
  static_assert(beast::is_async_stream<tcp_stream>::value);
  // Beast finds the lowest layer by following next_layer(): the stream is its own lowest layer.
  static_assert(std::is_same_v<beast::lowest_layer_type<tcp_stream>, tcp_stream>);
  static_assert(!std::is_move_assignable_v<tcp_stream>);
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(constructor_forms)
{
  asio::io_context ioc;
  const any_ex ex = ioc.get_executor();

  tcp_stream from_context(ioc);
  BOOST_TEST((from_context.get_executor() == ex));
  BOOST_TEST(!from_context.socket().is_open());

  tcp_stream from_executor(ioc.get_executor());
  BOOST_TEST((from_executor.get_executor() == ex));

  // Further arguments go to the socket: a protocol opens it.
  tcp_stream opened(ioc, tcp::v4());
  BOOST_TEST(opened.socket().is_open());

  tcp::socket s(ioc, tcp::v4());
  const auto native = s.native_handle();
  tcp_stream from_socket(std::move(s));
  BOOST_TEST(from_socket.socket().is_open());
  BOOST_TEST(from_socket.socket().native_handle() == native);
  BOOST_TEST(!s.is_open());

  // A rate policy first, then the socket's arguments.
  simple_rate_policy policy;
  policy.read_limit(1000);
  basic_stream<tcp, any_ex, simple_rate_policy> limited(policy, ioc);
  BOOST_TEST((limited.get_executor() == ex));
  basic_stream<tcp, any_ex, simple_rate_policy> limited_default(ioc);
  BOOST_TEST((limited_default.get_executor() == ex));
  const auto& crp = static_cast<const decltype(limited)&>(limited).rate_policy();
  (void)crp;

  // The constructed streams connect and transfer.
  tcp_stream a(ioc), b(ioc);
  connect_streams(a, b);
  expect_duplex(ioc, a, b);
  connect_streams(limited, from_context);
  expect_transfer(ioc, limited, from_context);
}

BOOST_AUTO_TEST_CASE(rebinding_constructor_and_rebind_executor)
{
  asio::io_context ioc;
  using ioc_stream = basic_stream<tcp, asio::io_context::executor_type>;
  ioc_stream a(ioc), b(ioc);
  connect_streams(a, b);

  // io_context::executor_type converts to any_io_executor: the socket moves over.
  const auto native = a.socket().native_handle();
  tcp_stream any(std::move(a));
  BOOST_TEST(any.socket().native_handle() == native);
  BOOST_TEST(!a.socket().is_open());
  expect_transfer(ioc, any, b);

  // An executor with a default completion token, as as_default_on builds it.
  using deferred_stream = asio::deferred_t::as_default_on_t<tcp_stream>;
  static_assert(std::is_same_v<deferred_stream,
                               tcp_stream::rebind_executor<
                                   asio::deferred_t::executor_with_default<any_ex>>::other>);
  deferred_stream d(std::move(any));
  BOOST_TEST(d.socket().native_handle() == native);
  std::array<char, 64> buf{};
  outcome got;
  auto op = d.async_read_some(asio::buffer(buf)); // the default token: nothing started yet
  asio::write(b, asio::buffer(hello));
  std::move(op)(record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == hello);
}

BOOST_AUTO_TEST_CASE(move_constructor_keeps_the_moved_from_executor)
{
  asio::io_context ioc;
  tcp_stream a(ioc), peer(ioc);
  connect_streams(a, peer);
  a.expires_after(std::chrono::seconds(30));

  tcp_stream b(std::move(a));
  BOOST_TEST(b.socket().is_open());
  BOOST_TEST(!a.socket().is_open());
  BOOST_TEST((a.get_executor() == any_ex(ioc.get_executor())));
  expect_duplex(ioc, b, peer);

  // The moved-from stream is as if new: it connects and transfers again.
  tcp_stream peer2(ioc);
  connect_streams(a, peer2);
  expect_duplex(ioc, a, peer2);
}

BOOST_AUTO_TEST_CASE(release_socket_cancels_and_hands_over)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  std::array<char, 16> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();
  BOOST_TEST(got.calls == 0);

  tcp::socket released = s.release_socket();
  BOOST_TEST(released.is_open());
  BOOST_TEST(!s.socket().is_open());
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
  expect_transfer(ioc, peer, released);
  expect_transfer(ioc, released, peer);
}

BOOST_AUTO_TEST_CASE(cancel_ends_pending_operations_and_keeps_the_socket)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  s.expires_after(std::chrono::seconds(30));
  std::array<char, 16> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();
  BOOST_TEST(got.calls == 0);

  s.cancel();
  BOOST_TEST(run_for(ioc)); // the timeout's timer is gone too
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
  BOOST_TEST(s.socket().is_open());
  s.expires_never();
  expect_duplex(ioc, s, peer);
}

BOOST_AUTO_TEST_CASE(close_ends_pending_operations)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  s.expires_after(std::chrono::seconds(30));
  std::array<char, 16> buf{};
  outcome got;
  s.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();

  s.close();
  BOOST_TEST(!s.socket().is_open());
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted); // closed by the caller, not by the deadline
}

BOOST_AUTO_TEST_CASE(destructor_ends_pending_operations)
{
  asio::io_context ioc;
  tcp_stream peer(ioc);
  std::array<char, 16> buf{};
  outcome got;
  {
    tcp_stream s(ioc);
    connect_streams(s, peer);
    s.expires_after(std::chrono::seconds(30));
    s.async_read_some(asio::buffer(buf), record(got));
    ioc.poll();
  }
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);
}

BOOST_AUTO_TEST_CASE(sync_connect_overloads)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const tcp::endpoint good = acceptor.local_endpoint();
  const tcp::endpoint bad = closed_tcp_endpoint();
  const std::vector<tcp::endpoint> eps{bad, good};
  const auto any_endpoint = [](const error_code&, const tcp::endpoint&) { return true; };
  const auto not_bad = [&](const error_code&, const tcp::endpoint& ep) { return ep != bad; };
  int accepted = 0;
  auto expect_accepted = [&](tcp_stream& s) {
    tcp::socket server(ioc);
    acceptor.accept(server);
    ++accepted;
    BOOST_TEST(server.remote_endpoint() == s.socket().local_endpoint());
  };

  {
    tcp_stream s(ioc);
    s.connect(good);
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    s.connect(good, ec);
    BOOST_TEST(!ec, ec.message());
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    s.connect(bad, ec);
    BOOST_TEST(ec == asio::error::connection_refused);
    BOOST_CHECK_THROW(s.connect(bad), boost::system::system_error);
  }
  {
    tcp_stream s(ioc);
    BOOST_TEST(s.connect(eps) == good);
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    BOOST_TEST(s.connect(eps, ec) == good);
    BOOST_TEST(!ec, ec.message());
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    BOOST_TEST(s.connect(eps, not_bad) == good);
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    BOOST_TEST(s.connect(eps, any_endpoint, ec) == good);
    BOOST_TEST(!ec, ec.message());
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    const std::vector<tcp::endpoint> only_bad{bad};
    s.connect(only_bad, ec);
    BOOST_TEST(ec == asio::error::connection_refused);
  }
  {
    tcp_stream s(ioc);
    BOOST_TEST((s.connect(eps.begin(), eps.end()) == eps.begin() + 1));
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    BOOST_TEST((s.connect(eps.begin(), eps.end(), ec) == eps.begin() + 1));
    BOOST_TEST(!ec, ec.message());
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    BOOST_TEST((s.connect(eps.begin(), eps.end(), not_bad) == eps.begin() + 1));
    expect_accepted(s);
  }
  {
    tcp_stream s(ioc);
    error_code ec;
    const auto none = [](const error_code&, const tcp::endpoint&) { return false; };
    BOOST_TEST((s.connect(eps.begin(), eps.end(), none, ec) == eps.end()));
    BOOST_TEST(ec == asio::error::not_found);
  }
  BOOST_TEST(accepted == 9);
}

BOOST_AUTO_TEST_CASE(async_connect_overloads)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const tcp::endpoint good = acceptor.local_endpoint();
  const tcp::endpoint bad = closed_tcp_endpoint();
  const std::vector<tcp::endpoint> eps{bad, good};
  using iterator = std::vector<tcp::endpoint>::const_iterator;
  const auto not_bad = [&](const error_code&, const tcp::endpoint& ep) { return ep != bad; };

  struct result
  {
    int calls = 0;
    error_code ec;
    tcp::endpoint ep;
    iterator it;
  };
  std::array<result, 6> r;
  std::array<tcp_stream, 6> s{tcp_stream(ioc), tcp_stream(ioc), tcp_stream(ioc),
                              tcp_stream(ioc), tcp_stream(ioc), tcp_stream(ioc)};
  for (auto& x : s)
    x.expires_after(patience);
  s[0].async_connect(good, [&](error_code ec) { ++r[0].calls, r[0].ec = ec; });
  s[1].async_connect(eps, [&](error_code ec, tcp::endpoint ep) {
    ++r[1].calls, r[1].ec = ec, r[1].ep = ep;
  });
  s[2].async_connect(eps, not_bad, [&](error_code ec, tcp::endpoint ep) {
    ++r[2].calls, r[2].ec = ec, r[2].ep = ep;
  });
  s[3].async_connect(eps.begin(), eps.end(), [&](error_code ec, iterator it) {
    ++r[3].calls, r[3].ec = ec, r[3].it = it;
  });
  s[4].async_connect(eps.begin(), eps.end(), not_bad, [&](error_code ec, iterator it) {
    ++r[4].calls, r[4].ec = ec, r[4].it = it;
  });
  s[5].async_connect(bad, [&](error_code ec) { ++r[5].calls, r[5].ec = ec; });
  BOOST_TEST(run_for(ioc));

  for (int i = 0; i < 5; ++i)
  {
    BOOST_TEST_CONTEXT("operation " << i)
    {
      BOOST_TEST(r[i].calls == 1);
      BOOST_TEST(!r[i].ec, r[i].ec.message());
      BOOST_TEST(s[i].socket().is_open());
      tcp::socket server(ioc);
      acceptor.accept(server);
    }
  }
  BOOST_TEST(r[1].ep == good);
  BOOST_TEST(r[2].ep == good);
  BOOST_TEST((r[3].it == eps.begin() + 1));
  BOOST_TEST((r[4].it == eps.begin() + 1));
  BOOST_TEST(r[5].calls == 1);
  BOOST_TEST(r[5].ec == asio::error::connection_refused);
}

BOOST_AUTO_TEST_CASE(per_operation_cancellation_passes_through)
{
  asio::io_context ioc;
  tcp_stream s(ioc), peer(ioc);
  connect_streams(s, peer);
  // With a deadline pending too: the cancellation must not be mistaken for the timeout.
  s.expires_after(patience);
  asio::cancellation_signal read_signal, write_signal;
  std::array<char, 16> buf{};
  outcome read;
  s.async_read_some(asio::buffer(buf),
                    asio::bind_cancellation_slot(read_signal.slot(), record(read)));
  ioc.poll();
  BOOST_TEST(read.calls == 0);
  read_signal.emit(asio::cancellation_type::terminal);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(read.calls == 1);
  BOOST_TEST(read.ec == aborted);

  // A write stuck on the peer's full buffer, cancelled the same way.
  std::vector<char> big(64 << 20, 'x');
  outcome wrote;
  asio::async_write(s, asio::buffer(big),
                    asio::bind_cancellation_slot(write_signal.slot(), record(wrote)));
  bool stuck = false;
  asio::steady_timer t(ioc, std::chrono::milliseconds(200));
  t.async_wait([&](error_code) {
    stuck = wrote.calls == 0;
    write_signal.emit(asio::cancellation_type::terminal);
  });
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(stuck);
  BOOST_TEST(wrote.calls == 1);
  BOOST_TEST(wrote.ec == aborted);
  BOOST_TEST(wrote.bytes < big.size());
}

// (Beast's own basic_stream does not compile with strand<any_io_executor>: its operations count
// work on the strand's inner executor the pre-standard way.)
using executor_types = std::tuple<any_ex, asio::strand<asio::io_context::executor_type>,
                                  asio::io_context::executor_type>;

template <typename Executor>
bool inside(const Executor& ex)
{
  if constexpr (std::is_same_v<Executor, any_ex>)
    return true; // any_io_executor cannot say
  else
    return ex.running_in_this_thread();
}

BOOST_AUTO_TEST_CASE_TEMPLATE(executor_types_instantiate, Executor, executor_types)
{
  using stream = basic_stream<tcp, Executor>;
  asio::io_context ioc;
  const Executor ex(ioc.get_executor());
  stream a(ex), b(ex);
  connect_streams(a, b);
  a.expires_after(patience);
  b.expires_after(patience);
  std::array<char, 64> buf{};
  outcome wrote, read;
  bool on_executor = false;
  asio::async_write(a, asio::buffer(hello), record(wrote));
  asio::async_read(b, asio::buffer(buf.data(), hello.size()), [&](error_code ec, std::size_t n) {
    on_executor = inside(b.get_executor());
    record(read)(ec, n);
  });
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  BOOST_TEST(!read.ec, read.ec.message());
  BOOST_TEST(std::string(buf.data(), read.bytes) == hello);
  BOOST_TEST(on_executor);

  // The connect members with this executor.
  tcp::acceptor acceptor(ex, tcp_loopback());
  stream c(ex);
  outcome connected;
  c.async_connect(acceptor.local_endpoint(), record(connected));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!connected.ec, connected.ec.message());
  stream d(ex);
  const std::vector<tcp::endpoint> eps{acceptor.local_endpoint()};
  BOOST_TEST(d.connect(eps) == acceptor.local_endpoint());
}

BOOST_AUTO_TEST_CASE(sync_read_and_write_pass_through)
{
  asio::io_context ioc;
  tcp_stream a(ioc), b(ioc);
  connect_streams(a, b);
  BOOST_TEST(a.write_some(asio::buffer(hello)) == hello.size());
  std::array<char, 64> buf{};
  std::size_t n = asio::read(b, asio::buffer(buf.data(), hello.size()));
  BOOST_TEST(std::string(buf.data(), n) == hello);
  error_code ec;
  BOOST_TEST(b.write_some(asio::buffer(hello), ec) == hello.size());
  BOOST_TEST(!ec);
  n = a.read_some(asio::buffer(buf), ec);
  BOOST_TEST(!ec);
  BOOST_TEST(std::string(buf.data(), n) == hello);
  b.close();
  a.read_some(asio::buffer(buf), ec);
  BOOST_TEST(ec == asio::error::eof);
}

BOOST_AUTO_TEST_CASE(zero_size_operations_complete_at_once)
{
  asio::io_context ioc;
  tcp_stream a(ioc), b(ioc);
  connect_streams(a, b);
  outcome r, w;
  bool initiating = true;
  a.async_read_some(asio::mutable_buffer(), recorder{&r, &initiating});
  a.async_write_some(asio::const_buffer(), recorder{&w, &initiating});
  initiating = false;
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(r.calls == 1);
  BOOST_TEST(!r.ec, r.ec.message());
  BOOST_TEST(r.bytes == 0u);
  BOOST_TEST(!r.ran_inside_initiation);
  BOOST_TEST(w.calls == 1);
  BOOST_TEST(!w.ec, w.ec.message());
  BOOST_TEST(!w.ran_inside_initiation);
}

BOOST_AUTO_TEST_SUITE_END()
