//
// test/reactor/shutdown.cpp
//
// Destroying an io_context with operations still pending: every handler is destroyed and none
// is invoked. The handlers own the I/O objects they work on (the usual shared_from_this shape of
// a session), so the objects themselves are destroyed while the services shut down.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <array>
#include <atomic>
#include <memory>
#include <thread>
#include <utility>

namespace reactor_test {

using namespace sockn_test;
using tcp = net_under_test::tcp;

namespace {

struct tally
{
  std::atomic<int> destroyed{0};
  std::atomic<int> invoked{0};
};

/// Counts its own destruction (once, however often it was moved) and any invocation.
class tracked_handler
{
public:
  tracked_handler(tally& t, std::shared_ptr<void> owned) : tally_(&t), owned_(std::move(owned)) {}
  tracked_handler(tracked_handler&& other) noexcept
    : tally_(std::exchange(other.tally_, nullptr)), owned_(std::move(other.owned_))
  {
  }
  tracked_handler& operator=(tracked_handler&&) = delete;
  tracked_handler(const tracked_handler&) = delete;
  ~tracked_handler()
  {
    if (tally_)
      ++tally_->destroyed;
  }

  template <typename... Args>
  void operator()(Args&&...)
  {
    if (tally_)
      ++tally_->invoked;
  }

private:
  tally* tally_;
  std::shared_ptr<void> owned_;
};

/// The objects a set of pending operations works on, every one held only by handlers.
struct pending_set
{
  int operations = 0;

  void start(asio::io_context& ctx, tally& t, bool include_completed)
  {
    auto acceptor = std::make_shared<tcp::acceptor>(ctx, tcp_loopback());
    auto client = std::make_shared<tcp::socket>(ctx);
    auto server = std::make_shared<tcp::socket>(ctx);
    client->connect(acceptor->local_endpoint());
    acceptor->accept(*server);
    auto rx = std::make_shared<std::array<char, 16>>();

    server->async_read_some(asio::buffer(*rx), tracked_handler(t, std::make_shared<std::pair<
      std::shared_ptr<tcp::socket>, std::shared_ptr<std::array<char, 16>>>>(server, rx)));
    server->async_wait(tcp::socket::wait_error, tracked_handler(t, server));
    client->async_wait(tcp::socket::wait_read, tracked_handler(t, client));
    acceptor->async_accept(tracked_handler(t, acceptor));
    auto target = std::make_shared<tcp::socket>(ctx);
    acceptor->async_accept(*target, tracked_handler(t, std::make_shared<std::pair<
      std::shared_ptr<tcp::acceptor>, std::shared_ptr<tcp::socket>>>(acceptor, target)));
    operations += 5;

    if (include_completed)
    {
      // Completed at once, its handler queued but not yet run when the context goes.
      client->async_write_some(asio::buffer("x", 1), tracked_handler(t, client));
      auto never_opened = std::make_shared<tcp::socket>(ctx);
      never_opened->async_read_some(asio::buffer(*rx), tracked_handler(t, never_opened));
      operations += 2;
    }
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(service_shutdown, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(destroying_the_context_destroys_pending_handlers_uninvoked)
{
  for (bool polled : {false, true})
    BOOST_TEST_CONTEXT((polled ? "after poll()" : "never run"))
    {
      tally t;
      pending_set ops;
      {
        auto ctx = std::make_unique<asio::io_context>();
        ops.start(*ctx, t, false);
        if (polled)
          ctx->poll(); // registers everything; nothing can complete
        BOOST_TEST(t.invoked.load() == 0);
        BOOST_TEST(t.destroyed.load() == 0);
        ctx.reset();
      }
      BOOST_TEST(t.destroyed.load() == ops.operations);
      BOOST_TEST(t.invoked.load() == 0);
    }
}

BOOST_AUTO_TEST_CASE(completed_but_unrun_handlers_are_destroyed_too)
{
  tally t;
  pending_set ops;
  {
    auto ctx = std::make_unique<asio::io_context>();
    ops.start(*ctx, t, true);
    ctx.reset();
  }
  BOOST_TEST(t.destroyed.load() == ops.operations);
  BOOST_TEST(t.invoked.load() == 0);
}

BOOST_AUTO_TEST_CASE(stop_join_destroy_with_running_threads)
{
  tally t;
  pending_set ops;
  {
    auto ctx = std::make_unique<asio::io_context>();
    ops.start(*ctx, t, false);
    std::thread a([&] { ctx->run_for(patience); });
    std::thread b([&] { ctx->run_for(patience); });
    std::this_thread::sleep_for(50ms); // both threads are inside run()
    ctx->stop();
    a.join();
    b.join();
    BOOST_TEST(t.invoked.load() == 0);
    ctx.reset();
  }
  BOOST_TEST(t.destroyed.load() == ops.operations);
  BOOST_TEST(t.invoked.load() == 0);
}

BOOST_AUTO_TEST_CASE(context_can_be_destroyed_after_objects_with_finished_operations)
{
  // The ordinary order, for contrast: objects go first, their aborted handlers are queued, and
  // the context then destroys those queued handlers without running them.
  tally t;
  {
    asio::io_context ctx;
    auto pair = std::make_unique<tcp_pair>(ctx);
    std::array<char, 16> rx{};
    pair->server.async_read_some(asio::buffer(rx), tracked_handler(t, nullptr));
    pair->acceptor.async_accept(tracked_handler(t, nullptr));
    ctx.poll();
    pair.reset();
  }
  BOOST_TEST(t.destroyed.load() == 2);
  BOOST_TEST(t.invoked.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace reactor_test
