//
// test/faults/allocation.cpp
//
// An operation whose memory cannot be had: the handler's associated allocator throws
// std::bad_alloc, and the initiating function throws it on to its caller before anything has
// happened (nothing queued, registered, sent or received; no work left on the context). The
// socket then works as before.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
#include <boost_sockn/reactor.hpp>
#endif

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <new>
#include <string>
#include <thread>

namespace faults_allocation {

using namespace sockn_test;
using tcp = net_under_test::tcp;

namespace {

/// Refuses every allocation, counting the attempts.
template <typename T>
class refusing_allocator
{
public:
  using value_type = T;

  explicit refusing_allocator(int& attempts) noexcept : attempts_(&attempts) {}
  template <typename U>
  refusing_allocator(const refusing_allocator<U>& other) noexcept : attempts_(other.attempts_)
  {
  }

  T* allocate(std::size_t)
  {
    ++*attempts_;
    throw std::bad_alloc();
  }
  void deallocate(T*, std::size_t) noexcept {}

  template <typename U>
  bool operator==(const refusing_allocator<U>& other) const noexcept
  {
    return attempts_ == other.attempts_;
  }
  template <typename U>
  bool operator!=(const refusing_allocator<U>& other) const noexcept
  {
    return attempts_ != other.attempts_;
  }

private:
  template <typename U>
  friend class refusing_allocator;
  int* attempts_;
};

/// What the reactor has queued, registered and completed so far (zeros on native Asio).
struct counters
{
  std::uint64_t queued = 0, speculative = 0, entries = 0;

  static counters of(asio::io_context& ioc)
  {
    counters c;
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
    const auto s = asio::use_service<boost_sockn::reactor>(ioc).statistics();
    c.queued = s.queued;
    c.speculative = s.speculative;
    c.entries = s.registrations + s.direct_registrations;
#else
    (void)ioc;
#endif
    return c;
  }
};

/// Waits (briefly) until `s` has `n` bytes to read.
inline void until_available(tcp::socket& s, std::size_t n)
{
  watchdog limit("waiting for loopback data", 10s);
  while (s.available() < n)
    std::this_thread::yield();
}

/// Starts one kind of operation with the refusing allocator; checks it threw bad_alloc having
/// done nothing, then that the same kind of operation, started normally, completes. `prepare`
/// sets the sockets up first (data waiting, say).
template <typename Prepare, typename Start, typename Provoke, typename Check>
void refused_then_normal(const char* what, Prepare prepare, Start start, Provoke provoke,
                         Check check)
{
  BOOST_TEST_CONTEXT(what)
  {
    asio::io_context ioc;
    tcp_pair p(ioc);
    std::array<char, 8> rx{};
    int attempts = 0;
    int invoked = 0;
    prepare(p);
    const std::size_t server_available = p.server.available();
    const std::size_t client_available = p.client.available();
    const counters before = counters::of(ioc);
    bool threw_bad_alloc = false;
    try
    {
      start(ioc, p, rx, refusing_allocator<char>(attempts), invoked);
    }
    catch (const std::bad_alloc&)
    {
      threw_bad_alloc = true;
    }
    BOOST_TEST(threw_bad_alloc);
    BOOST_TEST(attempts >= 1);
    const counters after = counters::of(ioc);
    BOOST_TEST(after.queued == before.queued);           // not queued
    BOOST_TEST(after.speculative == before.speculative); // not tried either
    BOOST_TEST(after.entries == before.entries);         // and nothing registered
    BOOST_TEST(p.server.available() == server_available); // nothing sent or received
    BOOST_TEST(p.client.available() == client_available);
    BOOST_TEST(run_for(ioc, 1, 5s)); // no work outstanding: run() returns at once
    BOOST_TEST(invoked == 0);

    // The socket works as before.
    outcome normal;
    start(ioc, p, rx, std::allocator<char>(), normal);
    provoke(p);
    BOOST_TEST(run_for(ioc, 1, 10s));
    BOOST_TEST(normal.calls == 1);
    BOOST_TEST(!normal.ec, normal.ec.message());
    check(p, rx, normal);
    BOOST_TEST(invoked == 0);
  }
}

/// A handler that counts its invocations into an int, or records into an outcome.
inline auto counting(int& n)
{
  return [&n](const error_code&, auto&&...) { ++n; };
}
inline auto counting(outcome& o)
{
  return [&o](const error_code& ec, auto&&... args) {
    o.record(ec, std::forward<decltype(args)>(args)...);
  };
}

} // namespace

BOOST_AUTO_TEST_SUITE(allocation_failure, *boost::unit_test::precondition(runnable()))

BOOST_AUTO_TEST_CASE(async_read_some_throws_bad_alloc_and_the_socket_reads_afterwards)
{
  refused_then_normal(
      "async_read_some", [](tcp_pair&) {},
      [](asio::io_context&, tcp_pair& p, std::array<char, 8>& rx, auto alloc, auto& sink) {
        p.server.async_read_some(asio::buffer(rx), asio::bind_allocator(alloc, counting(sink)));
      },
      [](tcp_pair& p) { send_text(p.client, "data"); },
      [](tcp_pair&, std::array<char, 8>& rx, const outcome& o) {
        BOOST_TEST(o.bytes == 4u);
        BOOST_TEST(std::string(rx.data(), 4) == "data");
      });
}

BOOST_AUTO_TEST_CASE(async_read_some_with_data_waiting_throws_bad_alloc_and_consumes_nothing)
{
  // Data is there already: the read could complete at once, but its memory comes first.
  refused_then_normal(
      "async_read_some, data waiting",
      [](tcp_pair& p) {
        send_text(p.client, "data");
        until_available(p.server, 4);
      },
      [](asio::io_context&, tcp_pair& p, std::array<char, 8>& rx, auto alloc, auto& sink) {
        p.server.async_read_some(asio::buffer(rx), asio::bind_allocator(alloc, counting(sink)));
      },
      [](tcp_pair&) {},
      [](tcp_pair&, std::array<char, 8>& rx, const outcome& o) {
        BOOST_TEST(o.bytes == 4u); // the first, refused read took none of it
        BOOST_TEST(std::string(rx.data(), 4) == "data");
      });
}

BOOST_AUTO_TEST_CASE(async_wait_throws_bad_alloc_and_the_socket_waits_afterwards)
{
  refused_then_normal(
      "async_wait", [](tcp_pair&) {},
      [](asio::io_context&, tcp_pair& p, std::array<char, 8>&, auto alloc, auto& sink) {
        p.server.async_wait(tcp::socket::wait_read, asio::bind_allocator(alloc, counting(sink)));
      },
      [](tcp_pair& p) { send_text(p.client, "data"); },
      [](tcp_pair& p, std::array<char, 8>&, const outcome&) {
        BOOST_TEST(p.server.available() == 4u); // the wait consumed nothing
      });
}

BOOST_AUTO_TEST_CASE(async_write_some_throws_bad_alloc_without_sending)
{
  refused_then_normal(
      "async_write_some", [](tcp_pair&) {},
      [](asio::io_context&, tcp_pair& p, std::array<char, 8>&, auto alloc, auto& sink) {
        p.client.async_write_some(asio::buffer("data", 4),
                                  asio::bind_allocator(alloc, counting(sink)));
      },
      [](tcp_pair& p) { until_available(p.server, 4); },
      [](tcp_pair& p, std::array<char, 8>&, const outcome& o) {
        BOOST_TEST(o.bytes == 4u);
        BOOST_TEST(p.server.available() == 4u); // the normal write's bytes, and only those
      });
}

BOOST_AUTO_TEST_CASE(async_accept_throws_bad_alloc_and_the_acceptor_accepts_afterwards)
{
  refused_then_normal(
      "async_accept", [](tcp_pair&) {},
      [](asio::io_context&, tcp_pair& p, std::array<char, 8>&, auto alloc, auto& sink) {
        p.acceptor.async_accept(asio::bind_allocator(alloc, counting(sink)));
      },
      [](tcp_pair& p) {
        p.client.close();
        p.client.connect(p.acceptor.local_endpoint());
      },
      [](tcp_pair& p, std::array<char, 8>&, const outcome& o) {
        BOOST_TEST(o.got_socket);
        BOOST_TEST(o.socket_open);
        BOOST_TEST(o.socket_remote == p.client.local_endpoint());
      });
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace faults_allocation
