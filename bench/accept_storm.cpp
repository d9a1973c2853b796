//
// bench/accept_storm.cpp
//
// How batched registration holds up when a thousand clients connect at once: the server accepts
// each connection and starts a read on it that has to wait, and each of those reads is a
// registration. The reactor-core issue asks for at least 100 registrations per port call
// in such a storm. Run per delivery (io threads, readiness thread) and trigger policy, with the
// reactor's own counters; no timing target, the storm's length is printed for reference.
//
//   accept_storm [--clients N] [--rounds R]      (bench/run_storm_bench.sh writes the results)
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#if !defined(_WIN32)
# include <sys/resource.h>
#endif

namespace asio = boost::asio;
using tcp = boost_sockn::ip::tcp;

namespace {

// Client and server ends of every connection are open at once.
void raise_fd_limit(std::size_t clients)
{
#if !defined(_WIN32)
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return;
  const rlim_t want = static_cast<rlim_t>(2 * clients + 64);
  if (rl.rlim_cur >= want)
    return;
  rl.rlim_cur = std::min(want, rl.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &rl);
#else
  (void)clients;
#endif
}

struct server
{
  tcp::acceptor acceptor;
  std::vector<std::unique_ptr<tcp::socket>> peers;
  std::size_t expected;
  std::size_t accepted = 0;
  std::atomic<std::size_t> accepted_count{0}; // read by the client thread
  std::size_t read_done = 0;
  std::size_t errors = 0;
  char byte = 0;

  server(asio::io_context& ioc, std::size_t n)
    : acceptor(ioc, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), expected(n)
  {
    acceptor.listen(4096);
  }

  void accept()
  {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec)
      {
        ++errors;
        return;
      }
      peers.push_back(std::make_unique<tcp::socket>(std::move(s)));
      read(*peers.back());
      accepted_count.store(accepted + 1);
      if (++accepted < expected)
        accept();
    });
  }

  // Each accepted connection waits for its client's one byte: one registration per socket.
  void read(tcp::socket& s)
  {
    s.async_read_some(asio::buffer(&byte, 1), [this](boost::system::error_code ec, std::size_t) {
      if (ec)
        ++errors;
      ++read_done;
    });
  }
};

struct result
{
  boost_sockn::reactor_statistics stats;
  double seconds = 0;
  std::size_t errors = 0;
  bool complete = false;
};

result storm(boost_sockn::readiness_delivery delivery, boost_sockn::trigger_policy policy,
             bool direct_registration, std::size_t clients)
{
  asio::io_context ioc;
  boost_sockn::reactor_options o;
  o.delivery = delivery;
  o.policy = policy;
  o.direct_registration = direct_registration;
  boost_sockn::reactor::configure(ioc, o);
  server srv(ioc, clients);
  srv.accept();
  const auto endpoint = srv.acceptor.local_endpoint();
  auto& r = asio::use_service<boost_sockn::reactor>(ioc);
  const auto before = r.statistics();

  // The clients: plain Asio, blocking. They all connect before the server runs (the kernel
  // completes the handshakes into the backlog), so the acceptor meets a thousand connections at
  // once; each sends its byte only once every connection is accepted, so that every read waits.
  asio::io_context client_ctx;
  std::vector<asio::ip::tcp::socket> conns;
  conns.reserve(clients);
  for (std::size_t i = 0; i < clients; ++i)
  {
    conns.emplace_back(client_ctx);
    boost::system::error_code ec;
    conns.back().connect(asio::ip::tcp::endpoint(endpoint.address(), endpoint.port()), ec);
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::thread client([&] {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (srv.accepted_count.load() < clients && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (auto& c : conns)
    {
      boost::system::error_code ec;
      asio::write(c, asio::buffer("x", 1), ec);
    }
  });
  ioc.run_for(std::chrono::seconds(30));
  client.join();
  result res;
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  res.complete = srv.read_done == clients;
  res.errors = srv.errors;
  const auto after = r.statistics();
  res.stats.process_calls = after.process_calls - before.process_calls;
  res.stats.registrations = after.registrations - before.registrations;
  res.stats.notifications = after.notifications - before.notifications;
  res.stats.direct_registrations = after.direct_registrations - before.direct_registrations;
  return res;
}

} // namespace

int main(int argc, char** argv)
{
  std::size_t clients = 1000;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2)
  {
    if (std::strcmp(argv[i], "--clients") == 0)
      clients = std::strtoul(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--rounds") == 0)
      rounds = std::atoi(argv[i + 1]);
  }
  raise_fd_limit(clients);

  struct variant
  {
    const char* name;
    boost_sockn::readiness_delivery delivery;
    boost_sockn::trigger_policy policy;
    bool direct;
  };
  const variant variants[] = {
      {"level_oneshot, automatic delivery", boost_sockn::readiness_delivery::automatic,
       boost_sockn::trigger_policy::level_oneshot, true},
      {"level_oneshot, readiness thread", boost_sockn::readiness_delivery::readiness_thread,
       boost_sockn::trigger_policy::level_oneshot, true},
      {"level_oneshot, readiness thread, batched registrations",
       boost_sockn::readiness_delivery::readiness_thread, boost_sockn::trigger_policy::level_oneshot,
       false},
  };

  std::printf("| method | round | storm (s) | port calls | registrations | per call | direct "
              "registrations | notifications per call | complete |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
  bool ok = true;
  for (const variant& v : variants)
    for (int round = 1; round <= rounds; ++round)
    {
      const result r = storm(v.delivery, v.policy, v.direct, clients);
      ok = ok && r.complete && r.errors == 0;
      std::printf("| %s | %d | %.3f | %llu | %llu | %.1f | %llu | %.1f | %s |\n", v.name, round,
                  r.seconds, static_cast<unsigned long long>(r.stats.process_calls),
                  static_cast<unsigned long long>(r.stats.registrations),
                  r.stats.registrations_per_call(),
                  static_cast<unsigned long long>(r.stats.direct_registrations),
                  r.stats.notifications_per_call(),
                  r.complete && r.errors == 0 ? "yes" : "NO");
    }
  return ok ? 0 : 1;
}
