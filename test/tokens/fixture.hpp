//
// test/tokens/fixture.hpp
//
// Shared pieces of the token, executor and cancellation tests: one description per
// asynchronous operation kind, so that each completion token is exercised on every operation by
// the same loop, a move-only handler and a counting allocator. The connected pair, the outcome
// recorder and the runners are test/support's.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_TOKENS_FIXTURE_HPP
#define BOOST_SOCKN_TEST_TOKENS_FIXTURE_HPP

#include "support/support.hpp"

#include <boost/asio.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace tokens_test {

using namespace sockn_test;
using tcp = net_under_test::tcp;

/// The state every operation kind below works on.
struct scenario
{
  asio::io_context& ctx;
  tcp_pair pair;
  tcp::socket fresh;     // the socket async_connect opens / async_accept(socket) fills
  tcp::socket connector; // connects to pair.acceptor so that a pending accept completes
  std::array<char, 64> rx{};

  explicit scenario(asio::io_context& c) : ctx(c), pair(c), fresh(c), connector(c) {}
};

//--------------------------------------------------------------------------------------------------
// Operation kinds. start() initiates with any completion token and returns what the token makes
// of it; provoke() makes a pending operation complete; check() verifies a successful outcome.
//--------------------------------------------------------------------------------------------------

struct read_some_op
{
  static constexpr const char* name = "async_read_some";
  template <typename Token>
  static decltype(auto) start(scenario& s, Token&& token)
  {
    return s.pair.server.async_read_some(asio::buffer(s.rx), std::forward<Token>(token));
  }
  static void provoke(scenario& s) { send_text(s.pair.client, "hello"); }
  static void check(scenario& s, const outcome& o)
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(o.bytes == 5u);
    BOOST_TEST(std::string(s.rx.data(), o.bytes) == "hello");
  }
};

struct write_some_op
{
  static constexpr const char* name = "async_write_some";
  template <typename Token>
  static decltype(auto) start(scenario& s, Token&& token)
  {
    return s.pair.client.async_write_some(asio::buffer("hello", 5), std::forward<Token>(token));
  }
  static void provoke(scenario&) {}
  static void check(scenario& s, const outcome& o)
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(o.bytes == 5u);
    std::array<char, 5> got{};
    asio::read(s.pair.server, asio::buffer(got));
    BOOST_TEST(std::string(got.data(), got.size()) == "hello");
  }
};

struct connect_op
{
  static constexpr const char* name = "async_connect";
  template <typename Token>
  static decltype(auto) start(scenario& s, Token&& token)
  {
    return s.fresh.async_connect(s.pair.acceptor.local_endpoint(), std::forward<Token>(token));
  }
  static void provoke(scenario&) {}
  static void check(scenario& s, const outcome& o)
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(s.fresh.is_open());
    error_code ec;
    BOOST_TEST(s.fresh.remote_endpoint(ec) == s.pair.acceptor.local_endpoint());
    BOOST_TEST(!ec, ec.message());
  }
};

struct accept_into_op
{
  static constexpr const char* name = "async_accept(socket)";
  template <typename Token>
  static decltype(auto) start(scenario& s, Token&& token)
  {
    return s.pair.acceptor.async_accept(s.fresh, std::forward<Token>(token));
  }
  static void provoke(scenario& s) { s.connector.connect(s.pair.acceptor.local_endpoint()); }
  static void check(scenario& s, const outcome& o)
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(s.fresh.is_open());
    error_code ec;
    BOOST_TEST(s.fresh.remote_endpoint(ec) == s.connector.local_endpoint());
    BOOST_TEST(!ec, ec.message());
  }
};

struct move_accept_op
{
  static constexpr const char* name = "async_accept()";
  template <typename Token>
  static decltype(auto) start(scenario& s, Token&& token)
  {
    return s.pair.acceptor.async_accept(std::forward<Token>(token));
  }
  static void provoke(scenario& s) { s.connector.connect(s.pair.acceptor.local_endpoint()); }
  static void check(scenario& s, const outcome& o)
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(o.got_socket);
    BOOST_TEST(o.socket_open);
    BOOST_TEST(o.socket_remote == s.connector.local_endpoint());
  }
};

struct wait_op
{
  static constexpr const char* name = "async_wait";
  template <typename Token>
  static decltype(auto) start(scenario& s, Token&& token)
  {
    return s.pair.server.async_wait(tcp::socket::wait_read, std::forward<Token>(token));
  }
  static void provoke(scenario& s) { send_text(s.pair.client, "hello"); }
  static void check(scenario& s, const outcome& o)
  {
    BOOST_TEST(!o.ec, o.ec.message());
    BOOST_TEST(s.pair.server.available() == 5u); // a wait consumes nothing
  }
};

/// Calls f(op{}) for every operation kind.
template <typename F>
void for_each_op(F&& f)
{
  f(read_some_op{});
  f(write_some_op{});
  f(connect_op{});
  f(accept_into_op{});
  f(move_accept_op{});
  f(wait_op{});
}

/// A handler that can only be moved; Asio's requirement on completion handlers.
struct move_only_handler
{
  outcome* out;
  std::unique_ptr<int> payload = std::make_unique<int>(7);

  explicit move_only_handler(outcome& o) : out(&o) {}
  move_only_handler(move_only_handler&&) = default;
  move_only_handler& operator=(move_only_handler&&) = default;
  move_only_handler(const move_only_handler&) = delete;
  move_only_handler& operator=(const move_only_handler&) = delete;

  template <typename... Args>
  void operator()(const error_code& ec, Args&&... args)
  {
    out->record(ec, std::forward<Args>(args)...);
    out->flag = payload && *payload == 7; // the handler that runs is the one that was moved in
  }
};

/// Counts what the operations allocate through a handler's associated allocator.
struct alloc_counters
{
  std::atomic<int> allocations{0};
  std::atomic<int> deallocations{0};
};

template <typename T>
struct counting_allocator
{
  using value_type = T;
  alloc_counters* counters;

  explicit counting_allocator(alloc_counters& c) noexcept : counters(&c) {}
  template <typename U>
  counting_allocator(const counting_allocator<U>& other) noexcept : counters(other.counters) {}

  T* allocate(std::size_t n)
  {
    ++counters->allocations;
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n)
  {
    ++counters->deallocations;
    std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const counting_allocator<U>& other) const noexcept
  { return counters == other.counters; }
  template <typename U>
  bool operator!=(const counting_allocator<U>& other) const noexcept
  { return counters != other.counters; }
};

} // namespace tokens_test

#endif // BOOST_SOCKN_TEST_TOKENS_FIXTURE_HPP
