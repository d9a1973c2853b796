//
// test/hostile/http_server.cpp
//
// Hostile clients against example/http_server: a header trickled a byte at a time, oversized
// headers and bodies, malformed requests, clients that reset in the middle of a large response,
// thousands of idle connections, and connections beyond --max-connections. Each case starts a
// server of its own, with the limits it tests, and checks that the server answers a
// well-behaved client meanwhile, stays up, and (POSIX) exits with status 0 on SIGTERM.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "clients.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <utility>

namespace hostile_http {

using namespace hostile;
namespace ut = boost::unit_test;

std::string request_with(const std::string& extra_fields, const std::string& body = "")
{
  return "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_fields +
         "Connection: close\r\n\r\n" + body;
}

// Refused: answered with an error status, or the connection ended; either within the limit.
void check_refused(const exchange_result& r, const std::string& what)
{
  BOOST_CHECK_MESSAGE(!r.timed_out && (r.status() >= 400 || (r.status() == 0 && r.closed())),
                      what + ": refused (" + r.describe() + ")");
  BOOST_TEST_MESSAGE(what << ": " << r.describe());
}

BOOST_AUTO_TEST_SUITE(http_server)

// The deadline (--timeout) covers the whole request: a client that sends its header a byte at
// a time is cut off when it expires, and others are served meanwhile.
BOOST_AUTO_TEST_CASE(trickled_header_is_cut_off_at_the_timeout)
{
  const int timeout_s = 2;
  hostile::server s(config().http_server, {"--timeout", std::to_string(timeout_s)});
  const std::string header = request_with("X-Slow: " + std::string(200, 'x') + "\r\n");

  trickler t(s.endpoint(), header, seconds(4 * timeout_s));

  // Well-behaved clients while the trickler is connected.
  int served = 0, asked = 0;
  milliseconds slowest{0};
  while (!t.done())
  {
    const auto g = good_get(s.endpoint());
    ++asked;
    if (g.status == 200)
      ++served;
    else
      BOOST_ERROR("while a header trickles in: a GET /hello got " << g.detail);
    slowest = std::max(slowest, g.elapsed);
    std::this_thread::sleep_for(milliseconds(200));
  }
  t.join();

  BOOST_TEST_MESSAGE("trickler: " << t.sent << " of " << header.size() << " bytes sent, cut off ("
                                  << t.how << ") after " << t.cut_after.count() << " ms; "
                                  << served << " of " << asked
                                  << " well-behaved requests served meanwhile, slowest "
                                  << slowest.count() << " ms");
  BOOST_CHECK_MESSAGE(!t.how.empty() && t.sent < header.size(),
                      "the trickled header is cut off before it is complete (" +
                        std::to_string(t.sent) + " of " + std::to_string(header.size()) +
                        " bytes sent)");
  BOOST_CHECK_MESSAGE(t.cut_after >= milliseconds(timeout_s * 1000 - 500) &&
                        t.cut_after <= milliseconds(timeout_s * 1000 + 3000),
                      "cut off at the " + std::to_string(timeout_s) + " s timeout (after " +
                        std::to_string(t.cut_after.count()) + " ms)");
  BOOST_CHECK_MESSAGE(served >= 1 && served == asked,
                      "well-behaved clients served meanwhile: " + std::to_string(served) +
                        " of " + std::to_string(asked));
  s.stop_and_check();
}

// --header-limit and --body-limit: what fits is served, what does not is refused; Beast's
// parser ends the read with header_limit or body_limit and the server drops the connection.
BOOST_AUTO_TEST_CASE(oversized_headers_and_bodies_are_refused)
{
  hostile::server s(config().http_server,
                    {"--header-limit", "4096", "--body-limit", "65536", "--timeout", "5"});
  const auto limit = milliseconds(5000);
  const auto base = memory_base(s);

  auto r = exchange(s.endpoint(), request_with("X-Fits: " + std::string(3000, 'a') + "\r\n"),
                    limit);
  BOOST_CHECK_MESSAGE(r.status() == 200, "a 3 KB header under a 4 KiB limit: 200 (" +
                                           r.describe() + ")");

  check_refused(exchange(s.endpoint(), request_with("X-Big: " + std::string(5000, 'a') + "\r\n"),
                         limit),
                "a 5 KB field over a 4 KiB header limit");
  std::string many;
  for (int i = 0; i < 2000; ++i)
    many += "X-Field-" + std::to_string(i) + ": v\r\n";
  check_refused(exchange(s.endpoint(), request_with(many), limit),
                "2,000 small fields over a 4 KiB header limit");
  check_refused(exchange(s.endpoint(), request_with("X-Huge: " + std::string(1 << 20, 'a') +
                                                    "\r\n"),
                         limit),
                "a 1 MiB field");
  check_serves(s.endpoint(), "after the oversized headers");

  // POST is answered 405 once its body has been read: a body within the limit is read whole.
  const std::string fits(60000, 'b');
  r = exchange(s.endpoint(),
               "POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                 std::to_string(fits.size()) + "\r\nConnection: close\r\n\r\n" + fits,
               limit);
  BOOST_CHECK_MESSAGE(r.status() == 405, "a 60 KB body under a 64 KiB limit is read (" +
                                           r.describe() + ")");

  const std::string big(4 << 20, 'c');
  check_refused(exchange(s.endpoint(),
                         "POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                           std::to_string(big.size()) + "\r\n\r\n" + big,
                         limit),
                "a 4 MiB body, Content-Length given, over a 64 KiB limit");
  check_refused(exchange(s.endpoint(),
                         "POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Length: 1000000000000\r\n\r\nabc",
                         limit),
                "a declared 1 TB body");
  std::string chunked = "POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 40; ++i)
    chunked += "1000\r\n" + std::string(0x1000, 'd') + "\r\n";
  chunked += "0\r\n\r\n";
  check_refused(exchange(s.endpoint(), chunked, limit), "a 160 KiB chunked body");

  check_serves(s.endpoint(), "after the oversized bodies");
  check_memory(s, base, "after the oversized requests");
  s.stop_and_check();
}

// Requests Beast's parser rejects: answered with an error or closed, never a hang or a crash.
// (An obsolete line folding is not among them: Beast accepts it, as RFC 9112 allows.)
BOOST_AUTO_TEST_CASE(malformed_requests_are_refused)
{
  hostile::server s(config().http_server, {"--timeout", "5"});
  const std::pair<const char*, std::string> requests[] = {
    {"garbage", "GARBAGE\r\n\r\n"},
    {"an unknown version", "GET /hello HTTP/9.9\r\nHost: a\r\n\r\n"},
    {"no version (HTTP/0.9)", "GET /hello\r\n\r\n"},
    {"a space in the target", "GET /he llo HTTP/1.1\r\nHost: a\r\n\r\n"},
    {"a field without a colon", "GET /hello HTTP/1.1\r\nHost a\r\n\r\n"},
    {"a control character in a field", "GET /hello HTTP/1.1\r\nHost: a\x01\x02\r\n\r\n"},
    {"NUL bytes", std::string("GET /\0\0\0 HTTP/1.1\r\n\r\n", 21)},
    {"binary noise", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\xfe", 13)},
    {"a negative Content-Length", "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"},
    {"two different Content-Lengths",
     "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"},
    {"an overflowing Content-Length",
     "POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n"},
    {"a bad chunk size",
     "POST /hello HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n"},
    {"bare LF line ends", "GET /hello HTTP/1.1\nHost: a\n\n"},
  };
  for (const auto& [what, bytes] : requests)
  {
    const auto r = exchange(s.endpoint(), bytes, milliseconds(5000));
    check_refused(r, std::string("malformed: ") + what);
  }
  check_serves(s.endpoint(), "after the malformed requests");
  s.stop_and_check();
}

// Clients that ask for a large file and reset the connection (SO_LINGER 0) in the middle of
// the response: the write fails on the server's side, the session ends, nothing is kept.
BOOST_AUTO_TEST_CASE(reset_in_the_middle_of_a_response)
{
  const auto root = std::filesystem::temp_directory_path() /
                    ("boost_sockn_hostile_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(root);
  struct remove_root
  {
    std::filesystem::path p;
    ~remove_root()
    {
      std::error_code ignored;
      std::filesystem::remove_all(p, ignored);
    }
  } cleanup{root};
  const std::size_t big_size = 16 << 20;
  {
    std::ofstream out(root / "big.bin", std::ios::binary);
    const std::string block(1 << 20, 'z');
    for (std::size_t i = 0; i < big_size / block.size(); ++i)
      out << block;
    std::ofstream(root / "hello") << "hello\n";
  }
  hostile::server s(config().http_server, {"--doc-root", root.string(), "--timeout", "5"});

  const auto base = memory_base(s);
  const int resets = 30;
  int reset_after_data = 0;
  for (int i = 0; i < resets; ++i)
  {
    asio::io_context io;
    tcp::socket socket(io);
    error_code ec;
    socket.connect(s.endpoint(), ec);
    BOOST_REQUIRE_MESSAGE(!ec, "connect: " + ec.message());
    const std::string request = "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    asio::write(socket, asio::buffer(request), ec);
    // Every other client resets before reading a byte; the others after some of the body.
    if (i % 2 == 1)
    {
      std::vector<char> data(64 * 1024);
      std::size_t got = 0;
      while (got < data.size() && !ec)
        got += socket.read_some(asio::buffer(data.data() + got, data.size() - got), ec);
      if (got == data.size())
        ++reset_after_data;
    }
    socket.set_option(asio::socket_base::linger(true, 0), ec);
    socket.close(ec);
  }
  BOOST_CHECK_MESSAGE(reset_after_data == resets / 2,
                      std::to_string(reset_after_data) + " of " + std::to_string(resets / 2) +
                        " readers got 64 KiB of the response before they reset");
  check_serves(s.endpoint(), "after " + std::to_string(resets) + " resets mid-response");

  // The whole file still comes, to a client that reads it.
  const auto r = exchange(s.endpoint(),
                          "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                          milliseconds(20000));
  BOOST_CHECK_MESSAGE(r.status() == 200 && r.received.size() > big_size,
                      "a reader gets the whole 16 MiB file (" + r.describe() + ", " +
                        std::to_string(r.received.size()) + " bytes)");
  check_memory(s, base, "after the resets and a whole 16 MiB response");
  s.stop_and_check();
}

boost::test_tools::assertion_result memory_readable(ut::test_unit_id)
{
  // The same child as the case itself, asked once: can its memory be read here at all?
  boost::test_tools::assertion_result result(true);
#if defined(_WIN32)
  hostile::server probe(config().http_server, {});
  std::string why;
  if (!server_memory(probe, why))
  {
    result = boost::test_tools::assertion_result(false);
    result.message() << "the server's memory cannot be read here: " << why;
  }
#endif
  return result;
}

// Thousands of connections that send nothing (or half a request line) and wait: each costs
// the server a session and a descriptor; its memory must stay bounded, others must be served,
// and once the connections close every session goes.
BOOST_AUTO_TEST_CASE(thousands_of_idle_connections,
                     *ut::precondition(memory_readable))
{
  std::string scaled;
  const std::size_t count = connections_allowed(2000, scaled);
  if (!scaled.empty())
    BOOST_TEST_MESSAGE("idle connections: " << count << ", " << scaled);
  BOOST_REQUIRE_MESSAGE(count >= 100, "at least 100 connections can be held open (" << count
                                                                                  << ")");
  hostile::server s(config().http_server, {"--timeout", "60", "--statistics", "1"});
  check_serves(s.endpoint(), "before the idle connections");
  std::string why;
  const auto base = server_memory(s, why);
  BOOST_REQUIRE_MESSAGE(base, "the server's memory: " + why);

  asio::io_context io;
  std::vector<tcp::socket> idle;
  idle.reserve(count);
  const auto start = clock_type::now();
  for (std::size_t i = 0; i < count; ++i)
  {
    idle.emplace_back(io);
    error_code ec;
    idle.back().connect(s.endpoint(), ec);
    BOOST_REQUIRE_MESSAGE(!ec, "idle connection " << i << ": " << ec.message());
    if (i % 4 == 0)
      asio::write(idle.back(), asio::buffer(std::string("GET /hel")), ec);
  }
  const auto opened = std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
  // How fast the backlog is accepted is not this test's concern (see `patience`): the
  // well-behaved client comes once every idle connection has its session.
  const auto sessions = s.process().wait_for_line(
      [&](const std::string& l) {
        return l.find("sessions=" + std::to_string(count) + " ") != std::string::npos;
      },
      patience);
  BOOST_CHECK_MESSAGE(sessions, "the server reports " << count << " sessions open");
  BOOST_TEST_MESSAGE("idle connections: all accepted after "
                     << std::chrono::duration_cast<milliseconds>(clock_type::now() - start).count()
                     << " ms (the statistics come once a second)");
  const auto g = good_get(s.endpoint());
  BOOST_CHECK_MESSAGE(g.status == 200, "with " << count << " idle connections open: GET /hello ("
                                               << g.detail << ")");
  const auto peak = server_memory(s, why);

  const auto closing = clock_type::now();
  for (auto& socket : idle)
  {
    error_code ignored;
    socket.close(ignored);
  }
  idle.clear();
  const auto closed = clock_type::now();
  const auto drained = s.process().wait_for_line(
      [](const std::string& l) { return l.find("sessions=0 ") != std::string::npos; },
      patience);
  BOOST_CHECK_MESSAGE(drained, "every session ends once its client has closed");
  BOOST_TEST_MESSAGE("idle connections: closed in "
                     << std::chrono::duration_cast<milliseconds>(closed - closing).count()
                     << " ms; the server's sessions gone "
                     << std::chrono::duration_cast<milliseconds>(clock_type::now() - closed).count()
                     << " ms later");
  check_serves(s.endpoint(), "after the idle connections closed");
  const auto after = server_memory(s, why);

  BOOST_REQUIRE(peak && after);
  BOOST_TEST_MESSAGE("idle connections: " << count << " opened in " << opened.count()
                     << " ms; server memory " << mib(*base) << " before, " << mib(*peak)
                     << " with them open (" << (*peak > *base ? (*peak - *base) / count : 0)
                     << " bytes each), " << mib(*after) << " after they closed");
  BOOST_CHECK_MESSAGE(*peak < *base + memory_bound,
                      "memory with " + std::to_string(count) + " idle connections (" +
                        mib(*peak) + ") within 64 MiB of " + mib(*base));
  BOOST_CHECK_MESSAGE(*after < *base + memory_bound,
                      "memory after they closed (" + mib(*after) + ") within 64 MiB of " +
                        mib(*base));
  s.stop_and_check();
}

// --max-connections: connections beyond the cap are closed at once; when one of those within
// it ends, a new client is served again.
BOOST_AUTO_TEST_CASE(connections_beyond_the_cap_are_closed)
{
  const int cap = 8;
  hostile::server s(config().http_server,
                    {"--max-connections", std::to_string(cap), "--statistics", "1"});
  asio::io_context io;
  std::vector<tcp::socket> held;
  for (int i = 0; i < cap; ++i)
  {
    held.emplace_back(io);
    error_code ec;
    held.back().connect(s.endpoint(), ec);
    BOOST_REQUIRE_MESSAGE(!ec, "connection " << i << " within the cap: " << ec.message());
  }
  BOOST_REQUIRE(s.process().wait_for_line(
      [&](const std::string& l) {
        return l.find("sessions=" + std::to_string(cap) + " ") != std::string::npos;
      },
      seconds(5)));

  const auto over = good_get(s.endpoint());
  BOOST_CHECK_MESSAGE(over.status == 0 && over.elapsed < good_client_limit,
                      "a client beyond the cap of " << cap << " is closed at once ("
                                                    << over.detail << ")");
  BOOST_CHECK_MESSAGE(s.process().wait_for_line(
                        [](const std::string& l) {
                          return l.find("rejected=1") != std::string::npos;
                        },
                        seconds(5)),
                      "the server counts the rejected connection");

  error_code ignored;
  held.front().close(ignored);
  BOOST_REQUIRE(s.process().wait_for_line(
      [&](const std::string& l) {
        return l.find("sessions=" + std::to_string(cap - 1) + " ") != std::string::npos;
      },
      seconds(5)));
  check_serves(s.endpoint(), "with one connection below the cap");
  s.stop_and_check();
}

boost::test_tools::assertion_result posix(ut::test_unit_id)
{
#if defined(_WIN32)
  boost::test_tools::assertion_result result(false);
  result.message() << "no SIGTERM on Windows: the server is ended with TerminateProcess, whose "
                      "exit status is the caller's choice";
  return result;
#else
  return true;
#endif
}

// SIGTERM during an attack: the server still stops cleanly, with exit status 0.
BOOST_AUTO_TEST_CASE(sigterm_with_attackers_connected, *ut::precondition(posix))
{
  hostile::server s(config().http_server, {"--timeout", "30"});
  asio::io_context io;
  std::vector<tcp::socket> attackers;
  for (int i = 0; i < 50; ++i)
  {
    attackers.emplace_back(io);
    error_code ec;
    attackers.back().connect(s.endpoint(), ec);
    BOOST_REQUIRE(!ec);
    asio::write(attackers.back(), asio::buffer(request_with("X-Half: ").substr(0, 30 + i)), ec);
  }
  check_serves(s.endpoint(), "with 50 half-sent requests open");
  s.stop_and_check();
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace hostile_http
