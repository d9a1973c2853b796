//
// test/watcher/ownership.cpp
//
// The watcher never owns what it watches: release(), destruction and the io_context's end leave
// the handle open and usable, a released handle number reused at once is watched correctly,
// moves transfer the watch, and a second assign is refused.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <deque>
#include <set>
#include <utility>

#if !defined(_WIN32)
#include <fcntl.h>
#endif

// The native-Asio build has no watcher: asio_twin.cpp lists it there as one skipped case.
#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace watcher_test {

BOOST_AUTO_TEST_SUITE(watcher_ownership, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(release_returns_the_handle_open_and_usable)
{
  plain_pair p;
  const handle_type h = p.server.native_handle();
  asio::io_context ioc;
  watcher w(ioc);
  BOOST_TEST(!w.is_open());
  w.assign(h);
  BOOST_TEST(w.is_open());

  BOOST_TEST(w.release() == h);
  BOOST_TEST(!w.is_open());
  expect_exchange_works(p);

  // The handle can be watched again, by the same watcher.
  error_code ec;
  w.assign(h, ec);
  BOOST_TEST(!ec, ec.message());
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == ok, got.ec.message());

  ec = asio::error::fault;
  BOOST_TEST(w.release(ec) == h);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(!w.is_open());
}

BOOST_AUTO_TEST_CASE(release_aborts_a_pending_wait)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0);

  BOOST_TEST(w.release() == p.server.native_handle());
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted, got.ec.message());

  // Data arriving after the release completes nothing more.
  send_byte(p.client);
  run_briefly(ioc);
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(p.server.available() == 1u);
}

BOOST_AUTO_TEST_CASE(destructor_leaves_the_handle_open)
{
  plain_pair p;
  asio::io_context ioc;
  outcome got;
  {
    watcher w(ioc, p.server.native_handle());
    w.async_wait(asio::socket_base::wait_read, record(got));
    run_briefly(ioc);
    BOOST_TEST(got.calls == 0);
  }
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == aborted, got.ec.message());
  BOOST_TEST(p.server.is_open());
#if !defined(_WIN32)
  BOOST_TEST(::fcntl(p.server.native_handle(), F_GETFD) != -1, "the descriptor was closed");
#endif
  expect_exchange_works(p);
}

BOOST_AUTO_TEST_CASE(destroying_the_io_context_leaves_the_handle_open)
{
  plain_pair p;
  {
    asio::io_context ioc;
    watcher w(ioc, p.server.native_handle());
    outcome got;
    w.async_wait(asio::socket_base::wait_read, record(got));
    run_briefly(ioc);
    BOOST_TEST(got.calls == 0);
    ioc.stop();
  }
  expect_exchange_works(p);
}

// Owners such as curl close a socket as soon as the watcher lets go of it, and the system gives
// the same number to the next socket at once. A watch of the new socket must work whatever the
// reactor still had to do for the old one.
BOOST_AUTO_TEST_CASE(handle_numbers_reused_right_after_release)
{
  asio::io_context owner, ioc;
  asio::ip::tcp::acceptor acceptor(owner, {asio::ip::make_address("127.0.0.1"), 0});
  watcher w(ioc);
  std::deque<outcome> released; // waits pending at a release, each to end with operation_aborted
  std::set<handle_type> seen;
  int reused = 0;

  const int rounds = 300;
  for (int round = 0; round < rounds; ++round)
  {
    asio::ip::tcp::socket a(owner), b(owner);
    a.connect(acceptor.local_endpoint());
    acceptor.accept(b);
    const handle_type h = b.native_handle();
    reused += seen.count(h) ? 1 : 0;
    seen.insert(h);

    w.assign(h);
    outcome got;
    w.async_wait(asio::socket_base::wait_read, record(got));
    if (round % 2)
      ioc.poll(); // sometimes the reactor registers the socket before the data comes
    send_byte(a);
    BOOST_TEST_REQUIRE(run_until(ioc, [&] { return got.calls > 0; }, 5s),
                       "round " << round << ": wait_read on handle " << h << " never completed");
    BOOST_TEST_REQUIRE(got.ec == ok, "round " << round << ": " << got.ec.message());
    consume(b, 1);

    // Leave with a wait pending (registered or not yet), release, and close both ends at once.
    released.emplace_back();
    w.async_wait(asio::socket_base::wait_read, record(released.back()));
    if (round % 3 == 0)
      ioc.poll();
    BOOST_TEST_REQUIRE(w.release() == h);
  }

  BOOST_TEST(run_until(ioc, [&] {
    for (const outcome& o : released)
      if (o.calls == 0)
        return false;
    return true;
  }));
  int aborted_count = 0;
  for (const outcome& o : released)
    aborted_count += o.calls == 1 && o.ec == aborted ? 1 : 0;
  BOOST_TEST(aborted_count == rounds);
  BOOST_TEST_MESSAGE(reused << " of " << rounds << " rounds watched a reused handle number");
  BOOST_WARN(reused > 0);
}

BOOST_AUTO_TEST_CASE(move_construction_and_assignment_transfer_the_watch)
{
  plain_pair p1, p2;
  asio::io_context ioc;
  watcher w1(ioc, p1.server.native_handle());

  watcher w2(std::move(w1));
  BOOST_TEST(!w1.is_open());
  BOOST_TEST(w2.is_open());
  BOOST_TEST(w2.native_handle() == p1.server.native_handle());

  // Assigning over a watcher releases what it watched, without closing it.
  watcher w3(ioc, p2.server.native_handle());
  w3 = std::move(w2);
  BOOST_TEST(!w2.is_open());
  BOOST_TEST(w3.native_handle() == p1.server.native_handle());
  expect_exchange_works(p2);

  outcome got;
  w3.async_wait(asio::socket_base::wait_read, record(got));
  send_byte(p1.client);
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == ok, got.ec.message());

  // The moved-from watcher can watch again.
  error_code ec;
  w1.assign(p2.server.native_handle(), ec);
  BOOST_TEST(!ec, ec.message());
  outcome again;
  w1.async_wait(asio::socket_base::wait_read, record(again));
  send_byte(p2.client);
  BOOST_TEST(run_until(ioc, [&] { return again.calls > 0; }));
  BOOST_TEST(again.ec == ok, again.ec.message());
}

BOOST_AUTO_TEST_CASE(assign_twice_is_already_open)
{
  plain_pair p1, p2;
  asio::io_context ioc;
  watcher w(ioc, p1.server.native_handle());

  error_code ec;
  w.assign(p2.server.native_handle(), ec);
  BOOST_TEST(ec == asio::error::already_open, ec.message());
  BOOST_CHECK_THROW(w.assign(p2.server.native_handle()), boost::system::system_error);
  BOOST_TEST(w.native_handle() == p1.server.native_handle());

  // Still watching the first socket, not the second.
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  send_byte(p2.client);
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0, "the watcher reacted to the socket it refused");
  send_byte(p1.client);
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == ok, got.ec.message());
  consume(p2.server, 1);
  expect_exchange_works(p2);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace watcher_test

#endif
