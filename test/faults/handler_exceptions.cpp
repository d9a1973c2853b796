//
// test/faults/handler_exceptions.cpp
//
// A completion handler that throws: as with Asio, the exception leaves the io_context's run() on
// the thread that ran the handler, and the context then goes on where it stopped: the operations
// still pending, and those that finished together with the throwing one, complete exactly once
// when it runs again, and new operations work.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace faults_handlers {

using namespace sockn_test;
using tcp = net_under_test::tcp;

namespace {

struct handler_failure : std::runtime_error
{
  handler_failure() : std::runtime_error("thrown by a completion handler") {}
};

/// One plain call of ioc.run() (no restart, no catch inside), stopped from outside if it is still
/// running after `limit`: `late` says so. What escaped run() is kept in `error`.
struct bounded_run
{
  bool late = false;
  std::exception_ptr error;

  bounded_run(asio::io_context& ioc, std::chrono::seconds limit)
  {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread stopper([&] {
      std::unique_lock<std::mutex> l(m);
      if (!cv.wait_for(l, limit, [&] { return done; }))
      {
        late = true;
        ioc.stop();
      }
    });
    try
    {
      ioc.run();
    }
    catch (...)
    {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> l(m);
      done = true;
    }
    cv.notify_all();
    stopper.join();
  }

  bool threw_handler_failure() const
  {
    if (!error)
      return false;
    try
    {
      std::rethrow_exception(error);
    }
    catch (const handler_failure&)
    {
      return true;
    }
    catch (...)
    {
      return false;
    }
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(handler_exceptions, *boost::unit_test::precondition(runnable()))

BOOST_AUTO_TEST_CASE(the_exception_leaves_run_and_the_context_goes_on_after_restart)
{
  asio::io_context ioc;
  tcp_pair a(ioc), b(ioc);
  std::array<char, 8> rx_a{}, rx_b{};
  int thrower_calls = 0;
  outcome pending_b;
  a.server.async_read_some(asio::buffer(rx_a), [&](const error_code&, std::size_t) {
    ++thrower_calls;
    throw handler_failure();
  });
  b.server.async_read_some(asio::buffer(rx_b), record(pending_b));
  ioc.poll(); // both wait in the port
  send_text(a.client, "boom");

  {
    bounded_run first(ioc, 10s);
    BOOST_TEST(!first.late); // run() was left by the exception, not by the stop
    BOOST_TEST(first.threw_handler_failure());
  }
  BOOST_TEST(thrower_calls == 1);
  BOOST_TEST(pending_b.calls == 0);
  BOOST_TEST(!ioc.stopped()); // Asio: run() may be called again, without restart() even

  // The read still pending on b, and a new read on a, complete when the context runs again; the
  // throwing handler is not called again.
  ioc.restart();
  outcome again_a;
  a.server.async_read_some(asio::buffer(rx_a), record(again_a));
  send_text(a.client, "next");
  send_text(b.client, "late");
  {
    bounded_run second(ioc, 10s);
    BOOST_TEST(!second.late); // out of work: every operation completed
    BOOST_TEST(!second.error);
  }
  BOOST_TEST(thrower_calls == 1);
  BOOST_TEST(pending_b.calls == 1);
  BOOST_TEST(!pending_b.ec, pending_b.ec.message());
  BOOST_TEST(std::string(rx_b.data(), pending_b.bytes) == "late");
  BOOST_TEST(again_a.calls == 1);
  BOOST_TEST(!again_a.ec, again_a.ec.message());
  BOOST_TEST(std::string(rx_a.data(), again_a.bytes) == "next"); // the first read took "boom"
}

namespace {

/// An executor of an io_context that runs what it is given at once, on the calling thread, and
/// lets an exception go (where the io_context's own executor holds it until the handler it runs
/// in returns); a program's "inline executor". Asked never to block, it posts to the io_context.
class inline_executor
{
public:
  explicit inline_executor(asio::io_context::executor_type inner, bool never_blocking = false)
    : inner_(inner), never_blocking_(never_blocking)
  {
  }

  template <typename F>
  void execute(F&& f) const
  {
    if (never_blocking_)
      asio::execution::execute(asio::require(inner_, asio::execution::blocking.never),
                               std::forward<F>(f));
    else
      std::forward<F>(f)();
  }

  inline_executor require(asio::execution::blocking_t::never_t) const
  {
    return inline_executor(inner_, true);
  }

  asio::execution_context& query(asio::execution::context_t) const noexcept
  {
    return inner_.context();
  }

  asio::execution::blocking_t query(asio::execution::blocking_t) const noexcept
  {
    return never_blocking_ ? asio::execution::blocking_t(asio::execution::blocking.never)
                           : asio::execution::blocking_t(asio::execution::blocking.always);
  }

  friend bool operator==(const inline_executor& a, const inline_executor& b) noexcept
  {
    return a.inner_ == b.inner_ && a.never_blocking_ == b.never_blocking_;
  }
  friend bool operator!=(const inline_executor& a, const inline_executor& b) noexcept
  {
    return !(a == b);
  }

private:
  asio::io_context::executor_type inner_;
  bool never_blocking_;
};

/// A wait and a read queued on the same socket finish on the same readiness: the wait's handler,
/// run through `executor_for(ioc)`, throws. The read's completion, already decided, is delivered
/// once when the context runs again, and the socket goes on.
template <typename ExecutorFor>
void read_finished_with_a_throwing_wait_completes(ExecutorFor executor_for)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 8> rx{};
  int thrower_calls = 0;
  outcome read;
  p.server.async_wait(tcp::socket::wait_read,
                      asio::bind_executor(executor_for(ioc), [&](const error_code&) {
                        ++thrower_calls;
                        throw handler_failure();
                      }));
  p.server.async_read_some(asio::buffer(rx), record(read));
  ioc.poll(); // both wait in the port, the read behind the wait
  BOOST_TEST_REQUIRE(thrower_calls == 0);
  BOOST_TEST_REQUIRE(read.calls == 0);
  send_text(p.client, "data");

  {
    bounded_run first(ioc, 10s);
    BOOST_TEST(!first.late);
    BOOST_TEST(first.threw_handler_failure());
  }
  BOOST_TEST(thrower_calls == 1);

  ioc.restart();
  {
    bounded_run second(ioc, 10s);
    BOOST_TEST(!second.late); // out of work: nothing was left behind
    BOOST_TEST(!second.error);
  }
  BOOST_TEST(thrower_calls == 1);
  BOOST_TEST(read.calls == 1);
  BOOST_TEST(!read.ec, read.ec.message());
  BOOST_TEST(std::string(rx.data(), read.bytes) == "data");

  outcome next;
  p.server.async_read_some(asio::buffer(rx), record(next));
  send_text(p.client, "more");
  BOOST_TEST(run_for(ioc, 1, 10s));
  BOOST_TEST(next.calls == 1);
  BOOST_TEST(std::string(rx.data(), next.bytes) == "more");
}

} // namespace

BOOST_AUTO_TEST_CASE(operations_completed_with_the_throwing_one_complete_after_restart)
{
  // The io_context's executor runs a dispatched handler at once and holds its exception until
  // that handler's turn ends.
  read_finished_with_a_throwing_wait_completes(
      [](asio::io_context& ioc) { return ioc.get_executor(); });
}

BOOST_AUTO_TEST_CASE(operations_completed_with_one_thrown_through_an_inline_executor_complete)
{
  // An executor that runs the handler at once and lets its exception go: it leaves the turn that
  // performed both operations (Asio posts the others before it completes the first).
  read_finished_with_a_throwing_wait_completes(
      [](asio::io_context& ioc) { return inline_executor(ioc.get_executor()); });
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace faults_handlers
