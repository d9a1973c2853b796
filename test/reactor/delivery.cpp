//
// test/reactor/delivery.cpp
//
// What the delivery paths promise, whichever this run takes (BOOST_SOCKN_DELIVERY; on Linux the
// io threads drain the port by default, on Windows a readiness thread does): many io threads
// draining one port at once (the TSan build runs this), a turn bounded so that a flooded socket
// starves neither another socket nor a posted handler, and shutdown while io threads drain. The
// cases hold on native Asio too.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace reactor_test {

using namespace sockn_test;
using tcp = net_under_test::tcp;

namespace {

/// Echoes `rounds` messages of `size` bytes between a pair's two sockets, the client starting;
/// the server keeps one read pending and writes what it read back.
class echo_session : public std::enable_shared_from_this<echo_session>
{
public:
  // A strand per session, as a multi-threaded server would have: its two sides' handlers never
  // run at once, while the sessions spread over the threads.
  echo_session(asio::io_context& ctx, int rounds, std::size_t size)
    : pair_(asio::make_strand(ctx)), rounds_left_(rounds), out_(size, 'x'), in_(size, '\0'), back_(size, '\0')
  {
  }

  void start()
  {
    auto self = shared_from_this();
    // The server echoes whatever it reads, one message at a time.
    serve();
    asio::async_write(pair_.client, asio::buffer(out_),
                      [self](error_code ec, std::size_t) { self->sent(ec); });
  }

  bool finished() const { return finished_; }
  error_code error() const { return error_; }

private:
  void serve()
  {
    auto self = shared_from_this();
    asio::async_read(pair_.server, asio::buffer(back_), [self](error_code ec, std::size_t) {
      if (ec)
        return self->fail(ec);
      asio::async_write(self->pair_.server, asio::buffer(self->back_),
                        [self](error_code ec, std::size_t) {
                          if (ec)
                            return self->fail(ec);
                          self->serve();
                        });
    });
  }

  void sent(error_code ec)
  {
    if (ec)
      return fail(ec);
    auto self = shared_from_this();
    asio::async_read(pair_.client, asio::buffer(in_), [self](error_code ec, std::size_t) {
      if (ec)
        return self->fail(ec);
      if (self->in_ != self->out_)
        return self->fail(asio::error::make_error_code(asio::error::fault));
      if (--self->rounds_left_ == 0)
      {
        self->finished_ = true;
        // Ends the server's pending read with eof, so the context runs out of work.
        self->pair_.client.shutdown(tcp::socket::shutdown_send);
        return;
      }
      asio::async_write(self->pair_.client, asio::buffer(self->out_),
                        [self](error_code ec, std::size_t) { self->sent(ec); });
    });
  }

  void fail(error_code ec)
  {
    if (ec == asio::error::eof && finished_)
      return;
    error_ = ec;
  }

  tcp_pair pair_;
  int rounds_left_;
  std::string out_;
  std::string in_;
  std::string back_;
  bool finished_ = false;
  error_code error_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(delivery, *boost::unit_test::precondition(runnable()))

BOOST_AUTO_TEST_CASE(many_io_threads_drain_one_port)
{
  // Every connection's handlers hop between the threads; the port is drained by whichever thread
  // the poller wakes (or the readiness thread posts to). Data and counts must come out whole.
  asio::io_context ctx(4);
  std::vector<std::shared_ptr<echo_session>> sessions;
  const int connections = 16;
  const int rounds = sanitized() ? 40 : 200;
  for (int i = 0; i < connections; ++i)
    sessions.push_back(std::make_shared<echo_session>(ctx, rounds, 64 + 37 * i));
  for (auto& s : sessions)
    s->start();
  BOOST_TEST(run_for(ctx, 4));
  for (auto& s : sessions)
  {
    BOOST_TEST(s->finished());
    BOOST_TEST(!s->error(), s->error().message());
  }
}

BOOST_AUTO_TEST_CASE(a_flooded_socket_starves_neither_another_socket_nor_a_posted_handler)
{
  // One connection is flooded from another thread for as long as the case runs, so its reads
  // always find data. A ping-pong on a second connection and a chain of posted handlers must
  // still finish on the one io thread.
  asio::io_context ctx(1);
  tcp::acceptor acceptor(ctx, tcp_loopback());
  asio::io_context plain; // never run: the feeder makes blocking calls only
  asio::ip::tcp::socket feeder(plain);
  feeder.connect(acceptor.local_endpoint());
  tcp::socket flooded(ctx);
  acceptor.accept(flooded);

  std::atomic<bool> stop{false};
  std::thread writer([&] {
    const std::vector<char> chunk(65536, 'f');
    error_code ec;
    while (!stop && !ec)
      asio::write(feeder, asio::buffer(chunk), ec);
  });

  // The others start once the flood is well under way, and it goes on while they run.
  auto session = std::make_shared<echo_session>(ctx, 100, 32);
  int posted = 0;
  std::function<void()> tick = [&] {
    if (++posted < 1000)
      asio::post(ctx, tick);
  };
  std::size_t flooded_bytes = 0;
  std::array<char, 4096> sink;
  std::function<void()> read_flood = [&] {
    flooded.async_read_some(asio::buffer(sink), [&](error_code ec, std::size_t n) {
      const bool starting = flooded_bytes < 256 * 1024 && flooded_bytes + n >= 256 * 1024;
      flooded_bytes += n;
      if (starting)
      {
        session->start();
        asio::post(ctx, tick);
      }
      if (!ec)
        read_flood();
    });
  };
  read_flood();

  const bool done = run_until(ctx, [&] { return session->finished() && posted == 1000; });
  stop = true;
  flooded.close(); // the feeder's blocked write fails, the pending read is aborted
  writer.join();
  ctx.restart();
  ctx.run_for(std::chrono::seconds(5));

  BOOST_TEST(done);
  BOOST_TEST(session->finished());
  BOOST_TEST(!session->error(), session->error().message());
  BOOST_TEST(posted == 1000);
  BOOST_TEST(flooded_bytes >= 256u * 1024u);
}

BOOST_AUTO_TEST_CASE(shutdown_while_io_threads_are_busy)
{
  // The context is stopped while two threads drain and perform for connections that never
  // finish, then destroyed with everything pending: no hang, no handler invoked, nothing left
  // (the sanitizer builds check the memory).
  for (int i = 0; i < 3; ++i)
  {
    auto ctx = std::make_unique<asio::io_context>(2);
    std::vector<std::shared_ptr<echo_session>> sessions;
    for (int c = 0; c < 8; ++c)
      sessions.push_back(std::make_shared<echo_session>(*ctx, 1 << 30, 128));
    for (auto& s : sessions)
      s->start();
    std::vector<std::weak_ptr<echo_session>> watch(sessions.begin(), sessions.end());
    sessions.clear(); // the handlers own them now
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
      threads.emplace_back([&] { ctx->run(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + 10 * i));
    ctx->stop();
    for (auto& t : threads)
      t.join();
    {
      watchdog w("destroying an io_context whose threads were draining");
      ctx.reset();
    }
    for (auto& s : watch)
      BOOST_TEST(s.expired());
  }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace reactor_test
