//
// test/watcher/watcher_tests.cpp
//
// boost_sockn::basic_socket_watcher on sockets it does not own: plain Asio sockets on an
// io_context of their own that never runs (they are used synchronously only), watched from a
// second io_context. Waits complete on readiness without consuming anything, cancel / release /
// destruction end pending waits with operation_aborted, and the watched socket stays open and
// usable whatever the watcher does.
//
// The watcher is a boost_sockn extension: built against native Asio, the file registers one case
// that reports itself skipped.
//


#include "support/net.hpp"

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

BOOST_AUTO_TEST_CASE(socket_watcher, *boost::unit_test::precondition(sockn_test::sockn_only{
  "the watcher is a boost_sockn extension; native Asio has no equivalent"}))
{
  BOOST_TEST_FAIL("the precondition never lets this case run");
}

#else // boost_sockn

#include "support/support.hpp"

#include <boost_sockn/basic_socket_watcher.hpp>

#include <boost/asio.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <thread>

#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {

using namespace sockn_test;
using std::chrono::milliseconds;
using watcher = boost_sockn::socket_watcher;
using handle_type = watcher::native_handle_type;

const error_code aborted = asio::error::make_error_code(asio::error::operation_aborted);
const error_code ok{};

// A connected TCP pair made with plain Asio, on an io_context of its own that never runs: the
// watcher under test lives on a different io_context, as it does for a socket owned by another
// library.
using plain_pair = basic_tcp_pair<asio::ip::tcp>;

// The pair still carries data both ways: neither handle was closed or disturbed.
void expect_exchange_works(plain_pair& p)
{
  error_code ec;
  const std::string ping = "ping", pong = "pong!";
  std::array<char, 16> buf{};

  asio::write(p.client, asio::buffer(ping), ec);
  BOOST_TEST(!ec, "write on the client: " << ec.message());
  std::size_t n = asio::read(p.server, asio::buffer(buf.data(), ping.size()), ec);
  BOOST_TEST(!ec, "read on the server: " << ec.message());
  BOOST_TEST(std::string(buf.data(), n) == ping);

  asio::write(p.server, asio::buffer(pong), ec);
  BOOST_TEST(!ec, "write on the server: " << ec.message());
  n = asio::read(p.client, asio::buffer(buf.data(), pong.size()), ec);
  BOOST_TEST(!ec, "read on the client: " << ec.message());
  BOOST_TEST(std::string(buf.data(), n) == pong);
}

// Reads the bytes a test sent only to wake a wait, so that expect_exchange_works starts clean.
void consume(asio::ip::tcp::socket& s, std::size_t n)
{
  std::array<char, 16> buf{};
  error_code ec;
  BOOST_TEST(asio::read(s, asio::buffer(buf.data(), n), ec) == n);
  BOOST_TEST(!ec, "consume: " << ec.message());
}

void send_byte(asio::ip::tcp::socket& s, char c = 'x')
{
  error_code ec;
  asio::write(s, asio::buffer(&c, 1), ec);
  BOOST_TEST_REQUIRE(!ec, "send: " << ec.message());
}

handle_type invalid_handle()
{
#if defined(_WIN32)
  return INVALID_SOCKET;
#else
  return -1;
#endif
}

bool is_invalid_handle_error(const error_code& ec)
{
  return ec == asio::error::bad_descriptor || ec == asio::error::not_socket;
}

} // namespace

BOOST_AUTO_TEST_SUITE(watcher_waits, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(wait_read_completes_when_data_arrives)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  BOOST_TEST(w.is_open());
  BOOST_TEST(w.native_handle() == p.server.native_handle());

  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0, "wait_read completed with nothing to read");

  send_byte(p.client, 'r');
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == ok, got.ec.message());

  // Readiness only: the byte is still there for the socket's owner.
  char c = 0;
  error_code ec;
  BOOST_TEST(p.server.read_some(asio::buffer(&c, 1), ec) == 1u);
  BOOST_TEST(!ec);
  BOOST_TEST(c == 'r');
}

BOOST_AUTO_TEST_CASE(wait_read_completes_at_once_when_data_is_already_there)
{
  plain_pair p;
  send_byte(p.client);
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());

  // Twice: the first completion consumed nothing, so the socket is still readable.
  for (int round = 0; round < 2; ++round)
  {
    outcome got;
    w.async_wait(asio::socket_base::wait_read, record(got));
    BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }, 5s),
               "round " << round);
    BOOST_TEST(got.ec == ok, got.ec.message());
  }
  BOOST_TEST(p.server.available() == 1u);
}

BOOST_AUTO_TEST_CASE(wait_read_completes_when_the_peer_shuts_down)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0);

  p.client.shutdown(asio::socket_base::shutdown_send);
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == ok, got.ec.message());

  char c;
  error_code ec;
  p.server.read_some(asio::buffer(&c, 1), ec);
  BOOST_TEST(ec == asio::error::eof, ec.message());
}

BOOST_AUTO_TEST_CASE(wait_write_completes_on_a_connected_socket)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_write, record(got));
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == ok, got.ec.message());
}

BOOST_AUTO_TEST_CASE(wait_write_waits_while_the_send_buffer_is_full)
{
  plain_pair p;
  p.client.set_option(asio::socket_base::receive_buffer_size(8192));
  p.server.set_option(asio::socket_base::send_buffer_size(8192));
  p.server.non_blocking(true);

  // Fill b's send buffer and a's receive buffer.
  std::array<char, 65536> chunk{};
  error_code ec;
  std::size_t queued = 0;
  for (int i = 0; i < 100000 && !ec; ++i)
    queued += p.server.write_some(asio::buffer(chunk), ec);
  BOOST_TEST_REQUIRE(ec == asio::error::would_block, "filling the buffers: " << ec.message());
  BOOST_TEST_MESSAGE("buffers full after " << queued << " bytes");

  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome got;
  w.async_wait(asio::socket_base::wait_write, record(got));
  run_briefly(ioc);
  BOOST_TEST(got.calls == 0, "wait_write completed while the send buffer was full");

  // Draining the peer makes room; keep draining until the wait completes.
  std::size_t drained = 0;
  const bool done = run_until(ioc, [&] {
    error_code e;
    while (p.client.available(e) > 0 && !e)
      drained += p.client.read_some(asio::buffer(chunk), e);
    return got.calls > 0;
  });
  BOOST_TEST(done, "wait_write still pending after draining " << drained << " bytes");
  BOOST_TEST(got.ec == ok, got.ec.message());
}

BOOST_AUTO_TEST_CASE(read_and_write_waits_are_independent)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome reading, writing;
  w.async_wait(asio::socket_base::wait_read, record(reading));
  w.async_wait(asio::socket_base::wait_write, record(writing));

  BOOST_TEST(run_until(ioc, [&] { return writing.calls > 0; }));
  BOOST_TEST(writing.ec == ok, writing.ec.message());
  run_briefly(ioc);
  BOOST_TEST(reading.calls == 0, "wait_read completed with the write wait, with nothing to read");

  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return reading.calls > 0; }));
  BOOST_TEST(reading.ec == ok, reading.ec.message());
  BOOST_TEST(writing.calls == 1);
}

BOOST_AUTO_TEST_CASE(handler_runs_on_the_watchers_executor)
{
  plain_pair p;
  asio::io_context ioc;
  auto strand = asio::make_strand(ioc);
  boost_sockn::basic_socket_watcher<asio::strand<asio::io_context::executor_type>> w(
    strand, p.server.native_handle());
  bool in_strand = false;
  int calls = 0;
  w.async_wait(asio::socket_base::wait_write, [&](error_code) {
    ++calls;
    in_strand = strand.running_in_this_thread();
  });
  BOOST_TEST(run_until(ioc, [&] { return calls > 0; }));
  BOOST_TEST(in_strand);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(watcher_cancellation, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(cancel_aborts_every_pending_wait_and_keeps_watching)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  outcome reading, error;
  w.async_wait(asio::socket_base::wait_read, record(reading));
  w.async_wait(asio::socket_base::wait_error, record(error));
  run_briefly(ioc);
  BOOST_TEST(reading.calls == 0);
  BOOST_TEST(error.calls == 0, "wait_error completed on a healthy socket: " << error.ec.message());

  w.cancel();
  BOOST_TEST(run_until(ioc, [&] { return reading.calls > 0 && error.calls > 0; }));
  BOOST_TEST(reading.ec == aborted, reading.ec.message());
  BOOST_TEST(error.ec == aborted, error.ec.message());
  BOOST_TEST(w.is_open());

  // Still watching: a new wait sees new data.
  outcome again;
  w.async_wait(asio::socket_base::wait_read, record(again));
  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return again.calls > 0; }));
  BOOST_TEST(again.ec == ok, again.ec.message());
  consume(p.server, 1);
  expect_exchange_works(p);
}

BOOST_AUTO_TEST_CASE(cancel_with_an_error_code_and_nothing_pending)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  error_code ec = asio::error::fault;
  w.cancel(ec);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(w.is_open());
}

BOOST_AUTO_TEST_CASE(per_operation_cancellation_ends_only_that_wait)
{
  plain_pair p;
  asio::io_context ioc;
  watcher w(ioc, p.server.native_handle());
  asio::cancellation_signal signal;
  outcome cancelled, other;
  w.async_wait(asio::socket_base::wait_read,
               asio::bind_cancellation_slot(signal.slot(), record(cancelled)));
  w.async_wait(asio::socket_base::wait_read, record(other));
  run_briefly(ioc);
  BOOST_TEST(cancelled.calls == 0);

  signal.emit(asio::cancellation_type::terminal);
  BOOST_TEST(run_until(ioc, [&] { return cancelled.calls > 0; }));
  BOOST_TEST(cancelled.ec == aborted, cancelled.ec.message());
  run_briefly(ioc);
  BOOST_TEST(other.calls == 0, "the other wait ended too: " << other.ec.message());

  send_byte(p.client);
  BOOST_TEST(run_until(ioc, [&] { return other.calls > 0; }));
  BOOST_TEST(other.ec == ok, other.ec.message());
  BOOST_TEST(cancelled.calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()

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

BOOST_AUTO_TEST_SUITE(watcher_errors, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(invalid_handle_is_an_error)
{
  asio::io_context ioc;
  watcher w(ioc);
  error_code ec;
  w.assign(invalid_handle(), ec);
  BOOST_TEST(is_invalid_handle_error(ec), "assign(invalid): " << ec.message());
  BOOST_TEST(!w.is_open());
  BOOST_CHECK_THROW(watcher(ioc, invalid_handle()), boost::system::system_error);
  BOOST_CHECK_THROW(watcher(ioc.get_executor(), invalid_handle()), boost::system::system_error);
}

BOOST_AUTO_TEST_CASE(closed_handle_is_an_error)
{
  // Start this context's reactor first, so that whatever handles it opens cannot take the number
  // of the socket closed below.
  plain_pair p;
  asio::io_context ioc;
  watcher running(ioc, p.server.native_handle());

  asio::io_context owner;
  asio::ip::tcp::socket s(owner, asio::ip::tcp::v4());
  const handle_type h = s.native_handle();
  s.close();

  watcher w(ioc);
  error_code ec;
  w.assign(h, ec);
  BOOST_TEST(is_invalid_handle_error(ec), "assign(closed handle): " << ec.message());
  BOOST_TEST(!w.is_open());
}

BOOST_AUTO_TEST_CASE(handle_that_is_not_a_socket_is_an_error)
{
  asio::io_context ioc;
  watcher w(ioc);
  error_code ec;
#if defined(_WIN32)
  HANDLE event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  BOOST_TEST_REQUIRE(event != nullptr);
  w.assign(reinterpret_cast<handle_type>(event), ec);
  ::CloseHandle(event);
#else
  int fds[2];
  BOOST_TEST_REQUIRE(::pipe(fds) == 0);
  w.assign(fds[0], ec);
  BOOST_TEST(::fcntl(fds[0], F_GETFD) != -1, "the pipe was closed");
  ::close(fds[0]);
  ::close(fds[1]);
#endif
  BOOST_TEST(is_invalid_handle_error(ec), "assign(not a socket): " << ec.message());
  BOOST_TEST(!w.is_open());
}

BOOST_AUTO_TEST_CASE(wait_on_a_watcher_that_watches_nothing_fails)
{
  asio::io_context ioc;
  watcher w(ioc);
  outcome got;
  w.async_wait(asio::socket_base::wait_read, record(got));
  BOOST_TEST(got.calls == 0, "the handler ran inside async_wait");
  BOOST_TEST(run_until(ioc, [&] { return got.calls > 0; }));
  BOOST_TEST(got.ec == asio::error::bad_descriptor, got.ec.message());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(watcher_contexts, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(watchers_on_different_io_contexts)
{
  constexpr int count = 3;
  plain_pair pairs[count];
  asio::io_context contexts[count];
  std::unique_ptr<watcher> watchers[count];
  std::atomic<int> calls[count];
  std::atomic<bool> on_own_thread[count];
  error_code results[count];

  std::thread threads[count];
  for (int i = 0; i < count; ++i)
  {
    calls[i] = 0;
    on_own_thread[i] = false;
    watchers[i] = std::make_unique<watcher>(contexts[i], pairs[i].server.native_handle());
    watchers[i]->async_wait(asio::socket_base::wait_read, [&, i](error_code ec) {
      results[i] = ec;
      on_own_thread[i] = contexts[i].get_executor().running_in_this_thread();
      ++calls[i];
    });
    threads[i] = std::thread([&, i] { contexts[i].run(); });
  }

  // One at a time, in reverse order: each completes alone, on its own context.
  for (int i = count - 1; i >= 0; --i)
  {
    std::this_thread::sleep_for(milliseconds(50));
    for (int j = 0; j < count; ++j)
      BOOST_TEST(calls[j] == (j > i ? 1 : 0), "watcher " << j << " after sending to " << i + 1);
    send_byte(pairs[i].client);
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (calls[i] == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(milliseconds(1));
    BOOST_TEST(calls[i] == 1, "watcher " << i);
  }

  for (int i = 0; i < count; ++i)
  {
    if (calls[i] == 0)
      contexts[i].stop(); // already reported; do not hang on the join
    threads[i].join();     // each context ran out of work with its only wait
    BOOST_TEST(results[i] == ok, "watcher " << i << ": " << results[i].message());
    BOOST_TEST(on_own_thread[i], "watcher " << i);
    BOOST_TEST(pairs[i].server.available() == 1u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

#endif // boost_sockn
