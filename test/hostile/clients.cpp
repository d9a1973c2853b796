//
// test/hostile/clients.cpp
//
// What the hostile tests share (clients.hpp says what).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "clients.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <stdexcept>

#if !defined(_WIN32)
#include <sys/resource.h>
#endif

namespace hostile {

bool under_wine()
{
#if defined(_WIN32)
  const HMODULE ntdll = ::GetModuleHandleA("ntdll.dll");
  return ntdll && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
#else
  return false;
#endif
}

server::server(const std::string& program, std::vector<std::string> args)
{
  args.insert(args.begin(), program);
  args.insert(args.end(), {"--address", "127.0.0.1", "--port", "0"});
  process_ = std::make_unique<child_process>(args);
  // Wine starts a process in seconds, not milliseconds.
  const auto line = process_->wait_for_line(
      [](const std::string& l) { return l.find(": listening on ") != std::string::npos; },
      seconds(30));
  if (!line)
    throw std::runtime_error(program + " printed no \"listening on\" line");
  // "...: listening on http://127.0.0.1:P/"
  const auto end = line->find_last_not_of('/');
  const auto colon = line->rfind(':', end);
  const unsigned long port = std::stoul(line->substr(colon + 1, end - colon));
  endpoint_ = tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
}

server::~server()
{
  if (!stopped_)
    process_->stop(seconds(10));
}

void server::stop_and_check()
{
  BOOST_CHECK_MESSAGE(process_->running(), "the server is still running at the end of the case");
  const auto status = process_->stop(seconds(10));
  stopped_ = true;
#if defined(_WIN32)
  (void)status;
#else
  BOOST_CHECK_MESSAGE(status && *status == 0,
                      "SIGTERM ends the server with exit status 0 (" +
                        (status ? "status " + std::to_string(*status) : "no exit in 10 s") +
                        ")");
#endif
}

int exchange_result::status() const
{
  if (received.size() < 12 || received.compare(0, 7, "HTTP/1.") != 0)
    return 0;
  return std::atoi(received.substr(9, 3).c_str());
}

std::string exchange_result::describe() const
{
  std::string s;
  if (status() != 0)
    s = "status " + std::to_string(status()) + ", then ";
  else
    s = std::to_string(received.size()) + " bytes, then ";
  if (timed_out)
    s += "no end within the limit";
  else
    s += "closed (" + ec.message() + ")";
  return s + " after " + std::to_string(elapsed.count()) + " ms";
}

bool run_for(asio::io_context& io, const std::vector<tcp::socket*>& sockets, milliseconds limit)
{
  io.restart();
  io.run_for(limit);
  if (io.stopped())
    return true;
  for (auto* s : sockets)
  {
    error_code ignored;
    s->close(ignored);
  }
  io.restart();
  io.run();
  return false;
}

exchange_result exchange(const tcp::endpoint& server, const std::string& request,
                         milliseconds limit)
{
  asio::io_context io;
  tcp::socket socket(io);
  exchange_result r;
  const auto start = clock_type::now();
  std::array<char, 16384> buffer;
  std::function<void()> read = [&] {
    socket.async_read_some(asio::buffer(buffer), [&](error_code ec, std::size_t n) {
      r.received.append(buffer.data(), n);
      if (ec)
      {
        r.ec = ec;
        // Ends a write the server no longer reads.
        error_code ignored;
        socket.close(ignored);
        return;
      }
      read();
    });
  };
  socket.async_connect(server, [&](error_code ec) {
    if (ec)
    {
      r.ec = ec;
      return;
    }
    asio::async_write(socket, asio::buffer(request), [](error_code, std::size_t) {});
    read();
  });
  r.timed_out = !run_for(io, {&socket}, limit);
  r.elapsed = std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
  return r;
}

trickler::trickler(const tcp::endpoint& server, std::string bytes, milliseconds limit)
{
  thread_ = std::thread([this, server, bytes = std::move(bytes), limit] {
    asio::io_context io;
    tcp::socket socket(io);
    error_code ec;
    socket.connect(server, ec);
    if (ec)
    {
      how = "connect failed: " + ec.message();
      done_ = true;
      return;
    }
    socket.non_blocking(true);
    const auto start = clock_type::now();
    while (sent < bytes.size() && clock_type::now() - start < limit)
    {
      socket.write_some(asio::buffer(&bytes[sent], 1), ec);
      if (!ec)
        ++sent;
      char c;
      if (!ec)
        socket.read_some(asio::buffer(&c, 1), ec);
      if (ec && ec != asio::error::would_block)
      {
        how = ec.message();
        cut_after = std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
        break;
      }
      std::this_thread::sleep_for(milliseconds(250));
    }
    done_ = true;
  });
}

trickler::~trickler()
{
  join();
}

void trickler::join()
{
  if (thread_.joinable())
    thread_.join();
}

good_result good_get(const tcp::endpoint& server, const std::string& target)
{
  const auto r = exchange(server,
                          "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "User-Agent: hostile_tests (well-behaved)\r\nConnection: close\r\n\r\n",
                          good_client_limit);
  return good_result{r.timed_out ? 0 : r.status(), r.elapsed, r.describe()};
}

void check_serves(const tcp::endpoint& server, const std::string& when)
{
  const auto g = good_get(server);
  BOOST_CHECK_MESSAGE(g.status == 200, when + ": a well-behaved GET /hello is answered 200 (" +
                                         g.detail + ")");
  BOOST_TEST_MESSAGE(when << ": a well-behaved GET /hello: " << g.detail);
}

std::optional<std::size_t> server_memory(server& s, std::string& why)
{
  return s.process().resident_bytes(why);
}

std::string mib(std::size_t bytes)
{
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

std::optional<std::size_t> memory_base(server& s)
{
  std::string why;
  const auto base = server_memory(s, why);
  if (!base)
    BOOST_TEST_MESSAGE("the memory checks of this case are skipped: " << why);
  return base;
}

void check_memory(server& s, const std::optional<std::size_t>& base, const std::string& when)
{
  if (!base)
    return;
  std::string why;
  const auto now = server_memory(s, why);
  BOOST_REQUIRE_MESSAGE(now, "the server's memory could be read before, not now: " + why);
  BOOST_TEST_MESSAGE("server memory " << when << ": " << mib(*now) << " (" << mib(*base)
                                      << " at the start)");
  BOOST_CHECK_MESSAGE(*now < *base + memory_bound, "server memory " + when + " (" + mib(*now) +
                                                     ") within 64 MiB of " + mib(*base));
}

std::size_t connections_allowed(std::size_t wanted, std::string& why)
{
#if defined(_WIN32)
  if (under_wine())
  {
    // Under Wine a closesocket() costs more the more sockets are open (some 10 ms each with
    // 2,000 open, on either side): 2,000 connections take the test 20 s and the server as long
    // to close; 500 take a second.
    const std::size_t wine_max = 500;
    if (wanted > wine_max)
    {
      why = "scaled down from " + std::to_string(wanted) + " under Wine, whose closesocket() "
            "slows down with the sockets open";
      return wine_max;
    }
  }
  return wanted;
#else
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
  {
    why = "getrlimit failed; 200 connections";
    return std::min<std::size_t>(wanted, 200);
  }
  if (limit.rlim_cur < limit.rlim_max)
  {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  // The server inherits the limit; both sides keep a margin for their other descriptors.
  const std::size_t margin = 64;
  const std::size_t usable = limit.rlim_cur > margin ? limit.rlim_cur - margin : 0;
  if (usable < wanted)
  {
    why = "scaled down from " + std::to_string(wanted) + " to the descriptor limit (" +
          std::to_string(limit.rlim_cur) + ") less a margin";
    return usable;
  }
  return wanted;
#endif
}

} // namespace hostile
