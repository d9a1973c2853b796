//
// test/tracking/handler_tracking.cpp
//
// With BOOST_ASIO_ENABLE_HANDLER_TRACKING (library and program), boost_sockn's operations appear
// in Asio's tracking output as Asio's own socket operations do, so that handlerviz draws them: a
// creation line naming the operation on a "socket" object, then one invocation (begin, with the
// error code and, where the handler takes one, the byte count; end) per operation.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#define BOOST_TEST_MODULE handler_tracking
#include <boost/test/unit_test.hpp>

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

#if !defined(BOOST_ASIO_ENABLE_HANDLER_TRACKING)
#error "this test is built with BOOST_ASIO_ENABLE_HANDLER_TRACKING (test/tracking/CMakeLists.txt)"
#endif

using tcp = boost_sockn::ip::tcp;
using udp = boost_sockn::ip::udp;
using error_code = boost::system::error_code;

/// Sends what the process writes to standard error (where Asio's tracking goes) to a file while
/// it lives.
class stderr_capture
{
public:
  stderr_capture()
  {
    std::fflush(stderr);
    char name[] = "/tmp/sockn_tracking_XXXXXX";
    file_ = ::mkstemp(name);
    BOOST_TEST_REQUIRE(file_ >= 0);
    ::unlink(name);
    saved_ = ::dup(2);
    BOOST_TEST_REQUIRE(::dup2(file_, 2) == 2);
  }

  ~stderr_capture() { restore(); }

  /// Restores standard error and returns what was written meanwhile.
  std::string finish()
  {
    restore();
    std::string text;
    ::lseek(file_, 0, SEEK_SET);
    char buf[4096];
    for (ssize_t n; (n = ::read(file_, buf, sizeof buf)) > 0;)
      text.append(buf, static_cast<std::size_t>(n));
    ::close(file_);
    file_ = -1;
    return text;
  }

private:
  void restore()
  {
    if (saved_ < 0)
      return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }

  int file_ = -1;
  int saved_ = -1;
};

/// One tracked handler as the output tells it.
struct tracked
{
  std::string object; // the object type before '@'
  std::string op;     // the operation after '.'
  std::vector<std::string> invocations; // what each '>' line carried after the id
  int ends = 0;
  int destroyed = 0;
};

std::map<std::string, tracked> parse(const std::string& text)
{
  static const std::regex creation(R"(^@asio\|[0-9.]+\|[0-9]+\*([0-9]+)\|([a-z_]+)@[^.]+\.([a-z_]+)$)");
  static const std::regex begin(R"(^@asio\|[0-9.]+\|>([0-9]+)\|(.*)$)");
  static const std::regex end(R"(^@asio\|[0-9.]+\|<([0-9]+)\|$)");
  static const std::regex destroyed(R"(^@asio\|[0-9.]+\|~([0-9]+)\|$)");
  std::map<std::string, tracked> handlers;
  std::istringstream lines(text);
  std::smatch m;
  for (std::string line; std::getline(lines, line);)
  {
    if (std::regex_match(line, m, creation))
      handlers[m[1]] = tracked{m[2], m[3], {}, 0, 0};
    else if (std::regex_match(line, m, begin))
      handlers[m[1]].invocations.push_back(m[2]);
    else if (std::regex_match(line, m, end))
      ++handlers[m[1]].ends;
    else if (std::regex_match(line, m, destroyed))
      ++handlers[m[1]].destroyed;
  }
  return handlers;
}

std::string ec_text(const error_code& ec)
{
  return std::string("ec=") + ec.category().name() + ":" + std::to_string(ec.value());
}

/// An io_context whose services can be shut down before it is destroyed.
struct shutting_context : boost::asio::io_context
{
  using boost::asio::io_context::shutdown;
};

} // namespace

BOOST_AUTO_TEST_CASE(operations_appear_as_asio_socket_operations)
{
  std::string output;
  {
    stderr_capture capture;
    boost::asio::io_context ctx;

    tcp::acceptor acceptor(ctx, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    tcp::socket client(ctx), server(ctx);
    std::array<char, 5> received{};
    acceptor.async_accept(server, [&](error_code ec) {
      BOOST_TEST(!ec);
      boost::asio::async_read(server, boost::asio::buffer(received), [](error_code, std::size_t) {});
      server.async_wait(tcp::socket::wait_write, [](error_code) {});
    });
    client.async_connect(acceptor.local_endpoint(), [&](error_code ec) {
      BOOST_TEST(!ec);
      boost::asio::async_write(client, boost::asio::buffer("hello", 5), [](error_code, std::size_t) {});
    });

    udp::socket a(ctx, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    udp::socket b(ctx, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    std::array<char, 3> datagram{};
    udp::endpoint sender;
    b.async_receive_from(boost::asio::buffer(datagram), sender, [](error_code, std::size_t) {});
    a.async_send_to(boost::asio::buffer("abc", 3), b.local_endpoint(), [](error_code, std::size_t) {});

    // Decided in the initiating function: created and invoked all the same.
    tcp::socket closed(ctx);
    closed.async_receive(boost::asio::buffer(received), [](error_code, std::size_t) {});

    ctx.run();
    output = capture.finish();
    BOOST_TEST(std::string(received.data(), received.size()) == "hello");
  }

  const auto handlers = parse(output);
  std::map<std::string, std::vector<const tracked*>> by_op;
  for (const auto& [id, h] : handlers)
    if (h.object == "socket")
      by_op[h.op].push_back(&h);

  const std::string ok = ec_text(error_code());
  const std::map<std::string, std::vector<std::string>> expected{
      {"async_accept", {ok}},
      {"async_connect", {ok}},
      {"async_send", {ok + ",bytes_transferred=5"}},
      {"async_receive",
       {ok + ",bytes_transferred=5", ec_text(boost::asio::error::bad_descriptor) + ",bytes_transferred=0"}},
      {"async_wait", {ok}},
      {"async_send_to", {ok + ",bytes_transferred=3"}},
      {"async_receive_from", {ok + ",bytes_transferred=3"}},
  };
  for (const auto& [op, invocations] : expected)
  {
    BOOST_TEST_CONTEXT("operation " << op)
    {
      const auto found = by_op.find(op);
      BOOST_TEST_REQUIRE((found != by_op.end()), "no creation line for " << op << " in:\n" << output);
      std::vector<std::string> seen;
      for (const tracked* h : found->second)
      {
        BOOST_TEST(h->invocations.size() == 1u); // invoked exactly once
        BOOST_TEST(h->ends == 1);
        BOOST_TEST(h->destroyed == 0);
        seen.insert(seen.end(), h->invocations.begin(), h->invocations.end());
      }
      std::vector<std::string> want = invocations;
      std::sort(seen.begin(), seen.end());
      std::sort(want.begin(), want.end());
      BOOST_TEST(seen == want, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(operations_destroyed_at_shutdown_are_tracked_as_destroyed)
{
  std::string output;
  {
    stderr_capture capture;
    {
      shutting_context ctx;
      udp::socket s(ctx, udp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
      std::array<char, 1> buf{};
      s.async_receive(boost::asio::buffer(buf), [](error_code, std::size_t) {});
      ctx.run_for(std::chrono::milliseconds(10)); // nothing arrives: the receive stays queued
      // What the context's destructor does first, while the socket still lives (its own
      // destructor would cancel the receive): the pending handler is destroyed, never invoked.
      ctx.shutdown();
    }
    output = capture.finish();
  }
  const auto handlers = parse(output);
  int receives = 0;
  for (const auto& [id, h] : handlers)
  {
    if (h.op != "async_receive")
      continue;
    ++receives;
    BOOST_TEST(h.invocations.empty());
    BOOST_TEST(h.destroyed == 1);
  }
  BOOST_TEST(receives == 1, output);
}
