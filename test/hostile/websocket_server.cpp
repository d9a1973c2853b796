//
// test/hostile/websocket_server.cpp
//
// Hostile clients against example/websocket_server: messages over --message-limit (one frame,
// fragments, a frame header that declares a terabyte), an opening handshake trickled a byte at
// a time, malformed and oversized handshakes, an upgraded peer that never answers the server's
// pings, connections beyond --max-connections, and one that never answers the close at
// shutdown. Each case starts a server of its own and checks that a well-behaved client still
// gets its echo, that the server stays up and (POSIX) that it exits with status 0 on SIGTERM.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "clients.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdint>
#include <thread>
#include <utility>

namespace hostile_websocket {

using namespace hostile;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ut = boost::unit_test;

// A Beast WebSocket client on a plain Asio socket whose every call has a time limit.
class client
{
public:
  error_code connect(const tcp::endpoint& server)
  {
    auto ec = run([&](auto handler) { ws_.next_layer().async_connect(server, handler); });
    if (ec)
      return ec;
    return run([&](auto handler) {
      ws_.async_handshake("127.0.0.1:" + std::to_string(server.port()), "/", handler);
    });
  }

  error_code write(const std::string& message)
  {
    ws_.binary(true);
    return run([&](auto handler) { ws_.async_write(asio::buffer(message), handler); });
  }

  // One frame of a message; `last` ends it.
  error_code write_fragment(const std::string& bytes, bool last)
  {
    ws_.binary(true);
    return run([&](auto handler) { ws_.async_write_some(last, asio::buffer(bytes), handler); });
  }

  // Bytes written below the WebSocket layer.
  error_code write_raw(const std::string& bytes)
  {
    return run([&](auto handler) {
      asio::async_write(ws_.next_layer(), asio::buffer(bytes), handler);
    });
  }

  error_code read(std::string& message)
  {
    beast::flat_buffer buffer;
    auto ec = run([&](auto handler) { ws_.async_read(buffer, handler); });
    message = beast::buffers_to_string(buffer.data());
    return ec;
  }

  websocket::close_reason reason() const { return ws_.reason(); }

private:
  template <class Start>
  error_code run(Start start)
  {
    error_code result = asio::error::would_block;
    start([&result](error_code ec, auto&&...) { result = ec; });
    if (!hostile::run_for(io_, {&ws_.next_layer()}, good_client_limit))
      return asio::error::timed_out;
    return result;
  }

  asio::io_context io_;
  websocket::stream<tcp::socket> ws_{io_};
};

// A well-behaved client: connects, has a message echoed, closes.
void check_echoes(const tcp::endpoint& server, const std::string& when)
{
  client c;
  const auto start = clock_type::now();
  auto ec = c.connect(server);
  std::string echo;
  if (!ec)
    ec = c.write("hello, echo");
  if (!ec)
    ec = c.read(echo);
  const auto ms = std::chrono::duration_cast<milliseconds>(clock_type::now() - start).count();
  BOOST_CHECK_MESSAGE(!ec && echo == "hello, echo",
                      when + ": a well-behaved client gets its echo (" + ec.message() + ", " +
                        std::to_string(ms) + " ms)");
  BOOST_TEST_MESSAGE(when << ": a well-behaved echo in " << ms << " ms");
}

// After a message over the limit: the server's close frame with 1009 (too big), or the
// connection dropped. Once the close frame has arrived, the error the client's own write or
// teardown ends with depends on how far the server's close had gone (closed, or ENOTCONN and
// EPIPE from a socket the server already dropped): the reason alone says the server refused.
void check_too_big(client& c, error_code write_ec, const std::string& what)
{
  std::string ignored;
  const auto ec = write_ec ? write_ec : c.read(ignored);
  const bool closed_too_big = c.reason().code == websocket::close_code::too_big;
  const bool dropped = ec == asio::error::eof || ec == asio::error::connection_reset ||
                       ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
  BOOST_CHECK_MESSAGE(closed_too_big || dropped,
                      what + ": closed with 1009 or dropped (" + ec.message() + ", close code " +
                        std::to_string(c.reason().code) + ")");
  BOOST_TEST_MESSAGE(what << ": " << ec.message() << ", close code " << c.reason().code);
}

std::string handshake_request(const tcp::endpoint& server, const std::string& extra = "")
{
  return "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
         extra + "\r\n";
}

BOOST_AUTO_TEST_SUITE(websocket_server)

BOOST_AUTO_TEST_CASE(messages_over_the_limit_are_refused_with_1009)
{
  hostile::server s(config().websocket_server, {"--message-limit", "65536",
                                                "--handshake-timeout", "5"});
  const auto base = memory_base(s);
  {
    client c;
    BOOST_REQUIRE(!c.connect(s.endpoint()));
    std::string echo;
    const std::string fits(60000, 'f');
    BOOST_CHECK(!c.write(fits) && !c.read(echo) && echo == fits);
  }
  {
    client c;
    BOOST_REQUIRE(!c.connect(s.endpoint()));
    check_too_big(c, c.write(std::string(100000, 'b')), "one 100 KB frame over a 64 KiB limit");
  }
  {
    client c;
    BOOST_REQUIRE(!c.connect(s.endpoint()));
    error_code ec;
    for (int i = 0; i < 4 && !ec; ++i)
      ec = c.write_fragment(std::string(20000, 'p'), i == 3);
    check_too_big(c, ec, "four 20 KB fragments of one message over a 64 KiB limit");
  }
  {
    client c;
    BOOST_REQUIRE(!c.connect(s.endpoint()));
    // A masked binary frame whose header declares 2^40 bytes, followed by a few.
    std::string frame = {'\x82', '\xff', 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    frame += std::string(100, 'x');
    check_too_big(c, c.write_raw(frame), "a frame header declaring 1 TiB");
  }
  check_echoes(s.endpoint(), "after the messages over the limit");
  check_memory(s, base, "after the messages over the limit");
  s.stop_and_check();
}

// --handshake-timeout: an opening handshake sent a byte at a time is cut off when it expires;
// others are served meanwhile.
BOOST_AUTO_TEST_CASE(trickled_handshake_is_cut_off_at_the_timeout)
{
  const int timeout_s = 2;
  hostile::server s(config().websocket_server,
                    {"--handshake-timeout", std::to_string(timeout_s)});
  const std::string request = handshake_request(s.endpoint(), "X-Slow: " +
                                                                std::string(100, 's') + "\r\n");
  trickler t(s.endpoint(), request, seconds(4 * timeout_s));
  int echoes = 0;
  while (!t.done())
  {
    check_echoes(s.endpoint(), "while a handshake trickles in");
    ++echoes;
    std::this_thread::sleep_for(milliseconds(200));
  }
  t.join();
  BOOST_TEST_MESSAGE("trickler: " << t.sent << " of " << request.size() << " bytes sent, cut off ("
                                  << t.how << ") after " << t.cut_after.count() << " ms; "
                                  << echoes << " echo clients meanwhile");
  BOOST_CHECK_MESSAGE(!t.how.empty() && t.sent < request.size(),
                      "the trickled handshake is cut off before it is complete (" +
                        std::to_string(t.sent) + " of " + std::to_string(request.size()) + ")");
  BOOST_CHECK_MESSAGE(t.cut_after >= milliseconds(timeout_s * 1000 - 500) &&
                        t.cut_after <= milliseconds(timeout_s * 1000 + 3000),
                      "cut off at the " + std::to_string(timeout_s) + " s handshake timeout (" +
                        std::to_string(t.cut_after.count()) + " ms)");
  s.stop_and_check();
}

// Opening handshakes Beast refuses: answered with an error status, or closed.
BOOST_AUTO_TEST_CASE(malformed_handshakes_are_refused)
{
  hostile::server s(config().websocket_server, {"--handshake-timeout", "5"});
  const auto ep = s.endpoint();
  const std::pair<const char*, std::string> requests[] = {
    {"a plain GET, no upgrade", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"},
    {"version 12", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 12\r\n\r\n"},
    {"no key", "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n"},
    {"POST", "POST / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"},
    {"garbage", "GARBAGE\r\n\r\n"},
    {"binary noise", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xff\xfe", 13)},
    {"a 64 KB field", handshake_request(ep, "X-Big: " + std::string(64000, 'a') + "\r\n")},
  };
  for (const auto& [what, bytes] : requests)
  {
    const auto r = exchange(ep, bytes, milliseconds(8000));
    BOOST_CHECK_MESSAGE(!r.timed_out && (r.status() >= 400 || (r.status() == 0 && r.closed())),
                        std::string("handshake: ") + what + ": refused (" + r.describe() + ")");
    BOOST_TEST_MESSAGE("handshake: " << what << ": " << r.describe());
  }
  check_echoes(ep, "after the malformed handshakes");
  s.stop_and_check();
}

// --idle-timeout: an upgraded peer that sends nothing and answers no ping is closed.
BOOST_AUTO_TEST_CASE(silent_peer_is_closed_at_the_idle_timeout)
{
  const int timeout_s = 2;
  hostile::server s(config().websocket_server, {"--idle-timeout", std::to_string(timeout_s)});
  std::atomic<bool> done{false};
  exchange_result r;
  std::thread silent([&] {
    r = exchange(s.endpoint(), handshake_request(s.endpoint()), milliseconds(timeout_s * 4000));
    done = true;
  });
  while (!done)
  {
    check_echoes(s.endpoint(), "while a silent peer is connected");
    std::this_thread::sleep_for(milliseconds(300));
  }
  silent.join();
  BOOST_TEST_MESSAGE("silent peer: " << r.describe());
  BOOST_CHECK_MESSAGE(r.status() == 101 && r.closed() &&
                        r.elapsed >= milliseconds(timeout_s * 1000 - 500) &&
                        r.elapsed <= milliseconds(timeout_s * 1000 + 3000),
                      "upgraded, then closed at the " + std::to_string(timeout_s) +
                        " s idle timeout (" + r.describe() + ")");
  s.stop_and_check();
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_cap_are_closed)
{
  const int cap = 4;
  hostile::server s(config().websocket_server,
                    {"--max-connections", std::to_string(cap), "--handshake-timeout", "5"});
  std::vector<std::unique_ptr<client>> held;
  for (int i = 0; i < cap; ++i)
  {
    held.push_back(std::make_unique<client>());
    BOOST_REQUIRE_MESSAGE(!held.back()->connect(s.endpoint()), "client " << i << " within the cap");
  }
  {
    client over;
    const auto ec = over.connect(s.endpoint());
    BOOST_CHECK_MESSAGE(ec && ec != asio::error::timed_out,
                        "a client beyond the cap of " << cap << " is closed at once ("
                                                      << ec.message() << ")");
  }
  held.pop_back();    // an abrupt close: the session ends once it reads the end of stream
  bool served = false;
  for (int attempt = 0; attempt < 20 && !served; ++attempt)
  {
    client c;
    std::string echo;
    served = !c.connect(s.endpoint()) && !c.write("again") && !c.read(echo) && echo == "again";
    if (!served)
      std::this_thread::sleep_for(milliseconds(100));
  }
  BOOST_CHECK_MESSAGE(served, "with one connection below the cap, a client is served again");
  // Gone before the server stops: clients whose context no longer runs would never answer its
  // close frames, and its exit would wait out the close handshake's timeout.
  held.clear();
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

// SIGTERM with a peer that never answers the server's close frame: the close handshake times
// out after --handshake-timeout, and the server exits with status 0.
BOOST_AUTO_TEST_CASE(sigterm_with_a_peer_that_never_answers_the_close,
                     *ut::precondition(posix))
{
  hostile::server s(config().websocket_server, {"--handshake-timeout", "2"});
  asio::io_context io;
  tcp::socket silent(io);
  silent.connect(s.endpoint());
  asio::write(silent, asio::buffer(handshake_request(s.endpoint())));
  std::string response;
  error_code ec;
  while (response.find("\r\n\r\n") == std::string::npos && !ec)
  {
    char c[256];
    response.append(c, silent.read_some(asio::buffer(c), ec));
  }
  BOOST_REQUIRE_MESSAGE(response.rfind("HTTP/1.1 101", 0) == 0, "upgraded: " << response);
  check_echoes(s.endpoint(), "with a silent upgraded peer");
  const auto start = clock_type::now();
  s.stop_and_check();
  BOOST_TEST_MESSAGE("the server exited "
                     << std::chrono::duration_cast<milliseconds>(clock_type::now() - start).count()
                     << " ms after SIGTERM");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace hostile_websocket
