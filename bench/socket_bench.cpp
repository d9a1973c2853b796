//
// bench/socket_bench.cpp
//
// TCP throughput of boost_sockn's sockets against Asio's own sockets in the same run. The
// workload is written once, as templates over the protocol type: boost::asio::ip::tcp (Asio's
// reactor: epoll on Linux, I/O completion ports on Windows) or boost_sockn::ip::tcp (the reactor
// on the notification port, with the trigger policy set per run through reactor::configure; a
// "_batched" variant also turns reactor_options::direct_registration off).
//
// Cases (client and server in this process, on one io_context run by T threads; boost_sockn
// adds its readiness thread to those T):
// - pingpong: one connection; the client writes a message, the server reads it whole and writes
//   it back, the client reads it whole; a fixed number of round trips after an untimed warm-up.
// - rr<size>: C connections (64 by default), each a client looping over "write a 64-byte
//   request, read the whole response" against a server session looping over "read the request,
//   write <size> bytes"; every client runs at once. Timed over a fixed wall-clock span after an
//   untimed warm-up span: requests/s = completed requests / span.
// Connections are set up with the blocking calls (connect, then accept) before the io_context
// threads start, and TCP_NODELAY is set on both ends. The io_context's concurrency hint is T, as
// Asio's examples construct it.
//
// Schedule: for each case and thread count, the methods alternate run by run (A B C, C B A, ...),
// each run on a fresh io_context; the table shows medians over --reps runs and the ratio of the
// medians with the range of the ratios of runs paired in order. Per-operation costs (CPU time of
// the whole process, context switches, reactor counters) come from the same runs.
//
// --single METHOD runs each listed case once for one method and prints a summary: this is what
// bench/run_socket_bench.sh runs under `strace -c -f`.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include "common.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#if defined(_WIN32)
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#else
#include <sys/resource.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace {

using namespace sockn_bench;
using error_code = boost::system::error_code;
namespace asio = boost::asio;

// ---------------------------------------------------------------------------------------------
// Process-wide counters sampled at the start and the end of the timed part of a run

struct process_usage
{
  double cpu_seconds = 0;   // user + system, every thread of the process
  double switches = -1;     // voluntary + involuntary context switches; -1 where unknown
};

process_usage usage_now()
{
  process_usage u;
#if defined(_WIN32)
  FILETIME created, exited, kernel, user;
  if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
  {
    auto ticks = [](const FILETIME& f) {
      return (static_cast<std::uint64_t>(f.dwHighDateTime) << 32) | f.dwLowDateTime;
    };
    u.cpu_seconds = double(ticks(kernel) + ticks(user)) * 1e-7;
  }
#else
  rusage r{};
  if (::getrusage(RUSAGE_SELF, &r) == 0)
  {
    u.cpu_seconds = double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
                    double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e-6;
    u.switches = double(r.ru_nvcsw + r.ru_nivcsw);
  }
#endif
  return u;
}

// The reactor's counters. Some are optional (the set is still settling): a counter the library
// does not have reads as `absent`, and its column shows "-".
constexpr std::uint64_t absent = ~std::uint64_t(0);

#define BOOST_SOCKN_BENCH_OPTIONAL_COUNTER(name)                                                  \
  template <class S, class = void>                                                                \
  struct read_##name                                                                              \
  {                                                                                               \
    static std::uint64_t get(const S&) { return absent; }                                         \
  };                                                                                              \
  template <class S>                                                                              \
  struct read_##name<S, std::void_t<decltype(std::declval<const S&>().name)>>                    \
  {                                                                                               \
    static std::uint64_t get(const S& s) { return s.name; }                                       \
  };
BOOST_SOCKN_BENCH_OPTIONAL_COUNTER(wakeups)
BOOST_SOCKN_BENCH_OPTIONAL_COUNTER(direct_registrations)
#undef BOOST_SOCKN_BENCH_OPTIONAL_COUNTER

struct counters
{
  std::uint64_t process_calls = 0;
  std::uint64_t registrations = 0;
  std::uint64_t notifications = 0;
  std::uint64_t wakeups = 0;              // posts waking the readiness thread
  std::uint64_t direct_registrations = 0; // registrations made by the starting thread itself
  std::uint64_t performs = 0;
  std::uint64_t speculative = 0;
  std::uint64_t queued = 0;

  counters() = default;
  explicit counters(const boost_sockn::reactor_statistics& s)
    : process_calls(s.process_calls), registrations(s.registrations),
      notifications(s.notifications),
      wakeups(read_wakeups<boost_sockn::reactor_statistics>::get(s)),
      direct_registrations(read_direct_registrations<boost_sockn::reactor_statistics>::get(s)),
      performs(s.performs), speculative(s.speculative), queued(s.queued)
  {
  }

  // Deltas and sums keep an absent counter absent.
  static std::uint64_t minus(std::uint64_t b, std::uint64_t a)
  {
    return (a == absent || b == absent) ? absent : b - a;
  }
  static std::uint64_t plus(std::uint64_t a, std::uint64_t b)
  {
    return (a == absent || b == absent) ? absent : a + b;
  }
  counters since(const counters& a) const
  {
    counters d;
    d.process_calls = minus(process_calls, a.process_calls);
    d.registrations = minus(registrations, a.registrations);
    d.notifications = minus(notifications, a.notifications);
    d.wakeups = minus(wakeups, a.wakeups);
    d.direct_registrations = minus(direct_registrations, a.direct_registrations);
    d.performs = minus(performs, a.performs);
    d.speculative = minus(speculative, a.speculative);
    d.queued = minus(queued, a.queued);
    return d;
  }
  void add(const counters& b)
  {
    process_calls = plus(process_calls, b.process_calls);
    registrations = plus(registrations, b.registrations);
    notifications = plus(notifications, b.notifications);
    wakeups = plus(wakeups, b.wakeups);
    direct_registrations = plus(direct_registrations, b.direct_registrations);
    performs = plus(performs, b.performs);
    speculative = plus(speculative, b.speculative);
    queued = plus(queued, b.queued);
  }
};

// For stall reports: where the reactor stood.
std::string counters_text(const counters& c)
{
  if (c.process_calls == 0 && c.queued == 0 && c.speculative == 0) return "";
  auto v = [](std::uint64_t x) { return x == absent ? std::string("-") : std::to_string(x); };
  return "; reactor counters: process_calls " + v(c.process_calls) + ", registrations " +
         v(c.registrations) + ", notifications " + v(c.notifications) + ", wakeups " +
         v(c.wakeups) + ", direct_registrations " + v(c.direct_registrations) + ", performs " +
         v(c.performs) + ", speculative " + v(c.speculative) + ", queued " + v(c.queued);
}

struct sample
{
  clock_type::time_point time;
  process_usage usage;
  counters stats; // zero for Asio's sockets
  std::uint64_t ops = 0;
};

// ---------------------------------------------------------------------------------------------
// Methods

struct method
{
  std::string name;  // column title
  std::string key;   // command-line name
  bool sockn = false;
  boost_sockn::trigger_policy policy = boost_sockn::trigger_policy::automatic;
  bool batched = false; // reactor_options::direct_registration = false
  bool thread = false;  // reactor_options::delivery = readiness_thread (Windows' path)
  bool on_thread = false; // runs on the readiness thread, forced or not (judged as such)
};

// reactor_options::direct_registration, where the library has it.
template <class O, class = void>
struct direct_registration_option
{
  static constexpr bool exists = false;
  static void set(O&, bool) {}
};
template <class O>
struct direct_registration_option<O, std::void_t<decltype(std::declval<O&>().direct_registration)>>
{
  static constexpr bool exists = true;
  static void set(O& o, bool v) { o.direct_registration = v; }
};

// reactor_options::delivery, where the library has it.
template <class O, class = void>
struct delivery_option
{
  static constexpr bool exists = false;
  static void force_thread(O&) {}
};
template <class O>
struct delivery_option<O, std::void_t<decltype(std::declval<O&>().delivery)>>
{
  static constexpr bool exists = true;
  static void force_thread(O& o) { o.delivery = decltype(o.delivery)::readiness_thread; }
};

// Whether a context configured with `o` delivers on a readiness thread: every library before
// the io-thread delivery did, and Windows still does.
template <class Service, class = void>
struct runs_readiness_thread
{
  static bool get(const boost_sockn::reactor_options&) { return true; }
};
template <class Service>
struct runs_readiness_thread<Service, std::void_t<decltype(std::declval<Service&>().delivery())>>
{
  static bool get(const boost_sockn::reactor_options& o)
  {
    asio::io_context ioc;
    Service::configure(ioc, o);
    return asio::use_service<Service>(ioc).delivery() != decltype(
               asio::use_service<Service>(ioc).delivery())::io_threads;
  }
};

boost_sockn::reactor_options options_for(const method& m)
{
  boost_sockn::reactor_options o;
  o.policy = m.policy;
  if (m.batched)
    direct_registration_option<boost_sockn::reactor_options>::set(o, false);
  if (m.thread)
    delivery_option<boost_sockn::reactor_options>::force_thread(o);
  return o;
}

// What differs between the two protocol types: boost_sockn's reactor is configured before the
// first socket, and has counters to read.
template <class Protocol>
constexpr bool is_sockn = std::is_same<Protocol, boost_sockn::ip::tcp>::value;

template <class Protocol>
void prepare_context(asio::io_context& ioc, const method& m)
{
  if constexpr (is_sockn<Protocol>)
  {
    boost_sockn::reactor::configure(ioc, options_for(m));
  }
  else
  {
    (void)ioc;
    (void)m;
  }
}

template <class Protocol>
counters reactor_stats(asio::io_context& ioc)
{
  if constexpr (is_sockn<Protocol>)
    return counters(asio::use_service<boost_sockn::reactor>(ioc).statistics());
  else
  {
    (void)ioc;
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Results

struct run_result
{
  bool ok = false;
  std::string error;
  double seconds = 0;
  std::uint64_t ops = 0;    // round trips or requests in the timed part
  double rate = 0;          // ops/s
  double cpu_per_op = 0;    // µs of process CPU time per op
  double switches_per_op = -1;
  counters stats; // deltas over the timed part
};

run_result result_from(const sample& a, const sample& b)
{
  run_result r;
  r.ok = true;
  r.seconds = seconds_between(a.time, b.time);
  r.ops = b.ops - a.ops;
  if (r.ops == 0 || r.seconds <= 0)
  {
    r.ok = false;
    r.error = "no operation completed in the timed part";
    return r;
  }
  r.rate = double(r.ops) / r.seconds;
  r.cpu_per_op = (b.usage.cpu_seconds - a.usage.cpu_seconds) * 1e6 / double(r.ops);
  if (a.usage.switches >= 0 && b.usage.switches >= 0)
    r.switches_per_op = (b.usage.switches - a.usage.switches) / double(r.ops);
  r.stats = b.stats.since(a.stats);
  return r;
}

// Runs the io_context on `threads` threads until it runs out of work; `watch` is called every
// few milliseconds by the calling thread and returns false to give up (the context is then
// stopped and the run reported as stalled).
template <class Watch>
bool run_threads(asio::io_context& ioc, int threads, Watch watch, std::string& error)
{
  std::atomic<int> finished{0};
  std::vector<std::thread> pool;
  std::mutex error_mutex;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&] {
      try
      {
        ioc.run();
      }
      catch (const std::exception& e)
      {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (error.empty()) error = std::string("a handler threw: ") + e.what();
        ioc.stop();
      }
      finished.fetch_add(1);
    });
  bool ok = true;
  while (finished.load() < threads)
  {
    if (ok && !watch())
    {
      ok = false;
      ioc.stop();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (auto& t : pool) t.join();
  return ok;
}

// Errors from handlers: the first one wins and stops the context.
struct failure
{
  std::mutex mutex;
  std::string text;
  asio::io_context* ioc = nullptr;

  void set(const std::string& what, const error_code& ec)
  {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (text.empty()) text = what + ": " + ec.message();
    }
    ioc->stop();
  }
  void set(const std::string& what)
  {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (text.empty()) text = what;
    }
    ioc->stop();
  }
  std::string get()
  {
    std::lock_guard<std::mutex> lock(mutex);
    return text;
  }
};

// Connected pairs through a listening socket on 127.0.0.1 (an ephemeral port).
template <class Protocol>
void connect_pairs(asio::io_context& ioc, std::size_t n,
                   std::vector<std::unique_ptr<typename Protocol::socket>>& clients,
                   std::vector<std::unique_ptr<typename Protocol::socket>>& servers)
{
  using socket = typename Protocol::socket;
  typename Protocol::acceptor acceptor(
      ioc, typename Protocol::endpoint(asio::ip::address_v4::loopback(), 0));
  const auto ep = acceptor.local_endpoint();
  for (std::size_t i = 0; i < n; ++i)
  {
    clients.push_back(std::make_unique<socket>(ioc));
    clients.back()->connect(ep);
    clients.back()->set_option(asio::ip::tcp::no_delay(true));
  }
  for (std::size_t i = 0; i < n; ++i)
  {
    servers.push_back(std::make_unique<socket>(ioc));
    acceptor.accept(*servers.back());
    servers.back()->set_option(asio::ip::tcp::no_delay(true));
  }
}

// ---------------------------------------------------------------------------------------------
// Case 1: ping-pong on one connection

template <class Protocol>
class pingpong
{
public:
  pingpong(asio::io_context& ioc, failure& fail, std::size_t msg, std::uint64_t warmup,
           std::uint64_t count)
    : ioc_(ioc), fail_(fail), cbuf_(msg), sbuf_(msg), warmup_(warmup), total_(warmup + count)
  {
    connect_pairs<Protocol>(ioc, 1, clients_, servers_);
  }

  void start()
  {
    if (warmup_ == 0) start_ = take();
    server_read();
    client_write();
  }

  const sample& at_start() const { return start_; }
  const sample& at_end() const { return end_; }
  bool finished() const { return finished_.load(); }
  std::uint64_t done() const { return done_.load(std::memory_order_relaxed); }

private:
  sample take()
  {
    sample s;
    s.time = clock_type::now();
    s.usage = usage_now();
    s.stats = reactor_stats<Protocol>(ioc_);
    s.ops = done_.load(std::memory_order_relaxed);
    return s;
  }

  void client_write()
  {
    cbuf_[0] = static_cast<char>(done_.load(std::memory_order_relaxed));
    asio::async_write(*clients_[0], asio::buffer(cbuf_), [this](const error_code& ec, std::size_t) {
      if (ec) return fail_.set("client write", ec);
      client_read();
    });
  }

  void client_read()
  {
    asio::async_read(*clients_[0], asio::buffer(cbuf_), [this](const error_code& ec, std::size_t) {
      if (ec) return fail_.set("client read", ec);
      const std::uint64_t n = done_.load(std::memory_order_relaxed);
      if (cbuf_[0] != static_cast<char>(n)) return fail_.set("client read: wrong reply");
      done_.store(n + 1, std::memory_order_relaxed);
      if (n + 1 == warmup_) start_ = take();
      if (n + 1 < total_) return client_write();
      end_ = take();
      finished_.store(true);
      error_code ignored;
      clients_[0]->shutdown(asio::socket_base::shutdown_send, ignored); // ends the server's loop
    });
  }

  void server_read()
  {
    asio::async_read(*servers_[0], asio::buffer(sbuf_), [this](const error_code& ec, std::size_t) {
      if (ec == asio::error::eof) return;
      if (ec) return fail_.set("server read", ec);
      asio::async_write(*servers_[0], asio::buffer(sbuf_),
                        [this](const error_code& ec2, std::size_t) {
                          if (ec2) return fail_.set("server write", ec2);
                          server_read();
                        });
    });
  }

  asio::io_context& ioc_;
  failure& fail_;
  std::vector<std::unique_ptr<typename Protocol::socket>> clients_, servers_;
  std::vector<char> cbuf_, sbuf_;
  std::uint64_t warmup_, total_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<bool> finished_{false};
  sample start_, end_;
};

template <class Protocol>
run_result run_pingpong(const method& m, int threads, std::size_t msg, std::uint64_t warmup,
                        std::uint64_t count, double stall_seconds)
{
  run_result r;
  try
  {
    asio::io_context ioc(threads);
    prepare_context<Protocol>(ioc, m);
    failure fail;
    fail.ioc = &ioc;
    pingpong<Protocol> pp(ioc, fail, msg, warmup, count);
    pp.start();
    // A round trip that takes stall_seconds means a lost notification, not a slow machine.
    std::uint64_t last = ~std::uint64_t(0);
    auto since = clock_type::now();
    std::string thread_error;
    bool ok = run_threads(ioc, threads, [&] {
      const std::uint64_t d = pp.done();
      const auto now = clock_type::now();
      if (d != last || pp.finished())
      {
        last = d;
        since = now;
        return true;
      }
      return seconds_between(since, now) < stall_seconds;
    }, thread_error);
    std::string e = fail.get();
    if (e.empty()) e = thread_error;
    if (!ok)
      e = "stalled: no round trip completed for " + fixed(stall_seconds, 0) + " s after " +
          std::to_string(pp.done()) + " of " + std::to_string(warmup + count) +
          counters_text(reactor_stats<Protocol>(ioc));
    if (!e.empty())
    {
      r.error = e;
      return r;
    }
    if (!pp.finished())
    {
      r.error = "the io_context ran out of work before the last round trip";
      return r;
    }
    r = result_from(pp.at_start(), pp.at_end());
  }
  catch (const std::exception& e)
  {
    r.ok = false;
    r.error = e.what();
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Case 2: C connections, request/response

template <class Protocol>
class request_response
{
public:
  request_response(asio::io_context& ioc, failure& fail, std::size_t conns, std::size_t req,
                   std::size_t resp)
    : ioc_(ioc), fail_(fail), conns_(conns)
  {
    connect_pairs<Protocol>(ioc, conns, client_socks_, server_socks_);
    for (std::size_t i = 0; i < conns; ++i)
    {
      clients_.push_back(std::make_unique<client>());
      clients_.back()->req.assign(req, 'q');
      clients_.back()->resp.resize(resp);
      servers_.push_back(std::make_unique<server>());
      servers_.back()->req.resize(req);
      servers_.back()->resp.assign(resp, 'r');
    }
  }

  void start()
  {
    for (std::size_t i = 0; i < conns_; ++i)
    {
      server_read(i);
      client_write(i);
    }
  }

  void stop() { stop_.store(true, std::memory_order_relaxed); }

  sample take()
  {
    sample s;
    s.time = clock_type::now();
    s.usage = usage_now();
    s.stats = reactor_stats<Protocol>(ioc_);
    s.ops = total();
    return s;
  }

  std::uint64_t total() const
  {
    std::uint64_t n = 0;
    for (const auto& c : clients_) n += c->count.load(std::memory_order_relaxed);
    return n;
  }

  std::size_t clients_left() const { return left_.load(); }

private:
  struct client
  {
    std::vector<char> req, resp;
    std::atomic<std::uint64_t> count{0};
  };
  struct server
  {
    std::vector<char> req, resp;
  };

  void client_write(std::size_t i)
  {
    client& c = *clients_[i];
    asio::async_write(*client_socks_[i], asio::buffer(c.req),
                      [this, i](const error_code& ec, std::size_t) {
                        if (ec) return fail_.set("client write", ec);
                        client_read(i);
                      });
  }

  void client_read(std::size_t i)
  {
    client& c = *clients_[i];
    asio::async_read(*client_socks_[i], asio::buffer(c.resp),
                     [this, i](const error_code& ec, std::size_t) {
                       if (ec) return fail_.set("client read", ec);
                       client& c2 = *clients_[i];
                       if (c2.resp.front() != 'r' || c2.resp.back() != 'r')
                         return fail_.set("client read: wrong reply");
                       c2.count.store(c2.count.load(std::memory_order_relaxed) + 1,
                                      std::memory_order_relaxed);
                       if (!stop_.load(std::memory_order_relaxed)) return client_write(i);
                       left_.fetch_sub(1);
                       error_code ignored;
                       client_socks_[i]->shutdown(asio::socket_base::shutdown_send, ignored);
                     });
  }

  void server_read(std::size_t i)
  {
    server& s = *servers_[i];
    asio::async_read(*server_socks_[i], asio::buffer(s.req),
                     [this, i](const error_code& ec, std::size_t) {
                       if (ec == asio::error::eof) return;
                       if (ec) return fail_.set("server read", ec);
                       server& s2 = *servers_[i];
                       asio::async_write(*server_socks_[i], asio::buffer(s2.resp),
                                         [this, i](const error_code& ec2, std::size_t) {
                                           if (ec2) return fail_.set("server write", ec2);
                                           server_read(i);
                                         });
                     });
  }

  asio::io_context& ioc_;
  failure& fail_;
  std::size_t conns_;
  std::vector<std::unique_ptr<typename Protocol::socket>> client_socks_, server_socks_;
  std::vector<std::unique_ptr<client>> clients_;
  std::vector<std::unique_ptr<server>> servers_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> left_{conns_};
};

template <class Protocol>
run_result run_request_response(const method& m, int threads, std::size_t conns,
                                std::size_t resp, double warm_seconds, double seconds,
                                double stall_seconds)
{
  run_result r;
  try
  {
    asio::io_context ioc(threads);
    prepare_context<Protocol>(ioc, m);
    failure fail;
    fail.ioc = &ioc;
    request_response<Protocol> rr(ioc, fail, conns, 64, resp);
    rr.start();
    // The calling thread keeps the clock: warm-up span, timed span, then the stop flag; clients
    // finish their current request and shut down their sending side, which ends the sessions.
    const auto t0 = clock_type::now();
    int phase = 0; // 0 warm-up, 1 timed, 2 draining
    sample a, b;
    auto phase_start = t0;
    std::uint64_t last = 0;
    auto since = t0;
    std::string thread_error;
    bool ok = run_threads(ioc, threads, [&] {
      const auto now = clock_type::now();
      if (phase == 0 && seconds_between(t0, now) >= warm_seconds)
      {
        a = rr.take();
        phase = 1;
        phase_start = a.time;
      }
      else if (phase == 1 && seconds_between(phase_start, now) >= seconds)
      {
        b = rr.take();
        rr.stop();
        phase = 2;
      }
      const std::uint64_t n = rr.total();
      if (n != last)
      {
        last = n;
        since = now;
        return true;
      }
      return seconds_between(since, now) < stall_seconds;
    }, thread_error);
    std::string e = fail.get();
    if (e.empty()) e = thread_error;
    if (!ok)
      e = "stalled: no request completed for " + fixed(stall_seconds, 0) + " s (" +
          std::to_string(rr.total()) + " done, " + std::to_string(rr.clients_left()) +
          " clients still running" + (phase == 2 ? ", after the stop" : "") + ")" +
          counters_text(reactor_stats<Protocol>(ioc));
    if (e.empty() && phase != 2) e = "the io_context ran out of work before the timed span ended";
    if (!e.empty())
    {
      r.error = e;
      return r;
    }
    r = result_from(a, b);
  }
  catch (const std::exception& e)
  {
    r.ok = false;
    r.error = e.what();
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Cases and the schedule

struct bench_case
{
  std::string key;   // pingpong, rr64, rr4k, ...
  std::string title; // table row title
  bool pingpong = false;
  std::size_t size = 64; // message (ping-pong) or response size
  std::string unit;      // "round trips" or "requests"
};

struct options
{
  std::vector<std::string> cases{"pingpong", "rr64", "rr4k"};
  std::vector<int> threads{1, 2};
  std::vector<std::string> policies{"level_oneshot", "edge_persistent", "level_oneshot_batched",
                                    "level_oneshot_thread"};
  bool native = true;
#if defined(_WIN32)
  int reps = 3;
  std::uint64_t round_trips = 1000;
  std::uint64_t warmup = 100;
  double seconds = 0.3;
  double warm_seconds = 0.05;
#else
  int reps = 5;
  std::uint64_t round_trips = 20000;
  std::uint64_t warmup = 2000;
  double seconds = 0.5;
  double warm_seconds = 0.1;
#endif
  std::size_t connections = 64;
  double stall = 10;
  std::string single; // run each case once for this method only
  std::string out;
  bool quick = false;
};

std::vector<std::string> split(const std::string& s)
{
  std::vector<std::string> v;
  std::size_t p = 0;
  while (p <= s.size())
  {
    std::size_t q = s.find(',', p);
    if (q == std::string::npos) q = s.size();
    if (q > p) v.push_back(s.substr(p, q - p));
    p = q + 1;
  }
  return v;
}

bench_case make_case(const std::string& key, const options& o)
{
  bench_case c;
  c.key = key;
  if (key == "pingpong")
  {
    c.pingpong = true;
    c.size = 64;
    c.title = "ping-pong, 1 connection, 64 B";
    c.unit = "round trips";
    return c;
  }
  if (key.size() > 2 && key.compare(0, 2, "rr") == 0)
  {
    std::string s = key.substr(2);
    std::size_t mult = 1;
    if (!s.empty() && (s.back() == 'k' || s.back() == 'K'))
    {
      mult = 1024;
      s.pop_back();
    }
    c.size = std::stoul(s) * mult;
    c.title = std::to_string(o.connections) + " connections, 64 B request / " +
              (mult == 1024 ? s + " KiB" : s + " B") + " response";
    c.unit = "requests";
    return c;
  }
  throw std::runtime_error("unknown case " + key + " (pingpong, rr<bytes>, rr<KiB>k)");
}

void usage()
{
  std::puts(
    "usage: socket_bench [--quick] [--out FILE] [--cases pingpong,rr64,rr4k] [--threads 1,2]\n"
    "                    [--policies level_oneshot,edge_persistent,level_oneshot_batched,...]\n"
    "                    [--no-native] [--reps R]\n"
    "                    [--round-trips N] [--warmup N] [--seconds S] [--warm-seconds S]\n"
    "                    [--connections C] [--stall S] [--single asio|POLICY]\n"
    "  --policies     boost_sockn variants: a trigger policy, with _batched for\n"
    "                 reactor_options::direct_registration = false and then _thread for\n"
    "                 delivery = readiness_thread (Windows' path, forced on Linux)\n"
    "  --round-trips  timed ping-pong round trips per run (after --warmup untimed ones)\n"
    "  --seconds      timed span of a request/response run (after --warm-seconds)\n"
    "  --stall        a run where nothing completes for this long is reported as stalled\n"
    "  --quick        2 reps, a quarter of the round trips and half the span\n"
    "  --single M     each case and thread count once, method M only (for strace)\n"
    "  BOOST_SOCKN_BACKEND selects boost_sockn's backend; the policies are set per run.");
}

options parse(int argc, char** argv)
{
  options o;
  bool reps_set = false, rt_set = false, sec_set = false;
  for (int i = 1; i < argc; ++i)
  {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--quick") o.quick = true;
    else if (a == "--out") o.out = value();
    else if (a == "--cases") o.cases = split(value());
    else if (a == "--threads")
    {
      o.threads.clear();
      for (auto& t : split(value())) o.threads.push_back(std::max(1, std::stoi(t)));
    }
    else if (a == "--policies") o.policies = split(value());
    else if (a == "--no-native") o.native = false;
    else if (a == "--reps") { o.reps = std::max(1, std::stoi(value())); reps_set = true; }
    else if (a == "--round-trips") { o.round_trips = std::stoull(value()); rt_set = true; }
    else if (a == "--warmup") o.warmup = std::stoull(value());
    else if (a == "--seconds") { o.seconds = std::stod(value()); sec_set = true; }
    else if (a == "--warm-seconds") o.warm_seconds = std::stod(value());
    else if (a == "--connections") o.connections = std::max<std::size_t>(1, std::stoul(value()));
    else if (a == "--stall") o.stall = std::stod(value());
    else if (a == "--single") o.single = value();
    else if (a == "--help" || a == "-h") { usage(); std::exit(0); }
    else throw std::runtime_error("unknown option " + a + " (--help lists them)");
  }
  if (o.quick)
  {
    if (!reps_set) o.reps = 2;
    if (!rt_set) o.round_trips = std::max<std::uint64_t>(1, o.round_trips / 4);
    if (!sec_set) o.seconds /= 2;
  }
  if (o.round_trips == 0) o.round_trips = 1;
  return o;
}

run_result run_one(const method& m, const bench_case& c, int threads, const options& o)
{
  if (c.pingpong)
  {
    if (m.sockn)
      return run_pingpong<boost_sockn::ip::tcp>(m, threads, c.size, o.warmup, o.round_trips,
                                                o.stall);
    return run_pingpong<asio::ip::tcp>(m, threads, c.size, o.warmup, o.round_trips, o.stall);
  }
  if (m.sockn)
    return run_request_response<boost_sockn::ip::tcp>(m, threads, o.connections, c.size,
                                                      o.warm_seconds, o.seconds, o.stall);
  return run_request_response<asio::ip::tcp>(m, threads, o.connections, c.size, o.warm_seconds,
                                             o.seconds, o.stall);
}

std::string num(double v)
{
  char buf[64];
  if (v >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (v >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

struct side
{
  std::vector<run_result> runs;

  bool has_ok() const
  {
    for (const auto& r : runs)
      if (r.ok) return true;
    return false;
  }
  template <class F>
  double med(F f) const
  {
    std::vector<double> v;
    for (const auto& r : runs)
      if (r.ok) v.push_back(f(r));
    return median(v);
  }
  double rate() const { return med([](const run_result& r) { return r.rate; }); }
  std::string first_error() const
  {
    for (const auto& r : runs)
      if (!r.ok) return r.error;
    return "";
  }
  std::size_t failures() const
  {
    std::size_t n = 0;
    for (const auto& r : runs) n += !r.ok;
    return n;
  }
  // Sums over the successful runs: per-call ratios weighted by calls, per-op by ops.
  counters total_stats(std::uint64_t& ops) const
  {
    counters s;
    ops = 0;
    for (const auto& r : runs)
      if (r.ok)
      {
        ops += r.ops;
        s.add(r.stats);
      }
    return s;
  }
};

std::string ratio_cell(const side& a, const side& b)
{
  if (!a.has_ok() || !b.has_ok()) return "-";
  std::string s = ratio_text(a.rate() / b.rate());
  std::vector<double> pr;
  for (std::size_t i = 0; i < a.runs.size() && i < b.runs.size(); ++i)
    if (a.runs[i].ok && b.runs[i].ok) pr.push_back(a.runs[i].rate / b.runs[i].rate);
  if (!pr.empty())
  {
    auto mm = std::minmax_element(pr.begin(), pr.end());
    s += " (" + ratio_text(*mm.first) + "–" + ratio_text(*mm.second) + ")";
  }
  return s;
}

std::string rate_cell(const side& s, const bench_case& c)
{
  if (!s.has_ok()) return "error";
  std::string t = rate_text(s.rate()) + "/s";
  if (c.pingpong) t += ", " + num(1e6 / s.rate()) + " µs";
  if (s.failures()) t += " (" + std::to_string(s.failures()) + " failed)";
  return t;
}

std::vector<method> make_methods(const options& o, std::string& notes, bool& any_sockn)
{
  std::vector<method> ms;
  any_sockn = false;
  auto add_policy = [&](const std::string& p) {
    method m;
    m.key = p;
    m.sockn = true;
    std::string policy = p;
    auto strip = [&policy](const std::string& suffix) {
      if (policy.size() <= suffix.size()
          || policy.compare(policy.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
      policy.resize(policy.size() - suffix.size());
      return true;
    };
    m.thread = strip("_thread");
    m.batched = strip("_batched");
    if (policy == "level_oneshot") m.policy = boost_sockn::trigger_policy::level_oneshot;
    else if (policy == "edge_persistent") m.policy = boost_sockn::trigger_policy::edge_persistent;
    else throw std::runtime_error("unknown policy " + p);
    m.name = "boost_sockn " + policy + (m.batched ? ", batched registrations" : "")
             + (m.thread ? ", readiness thread" : "");
    if (m.batched && !direct_registration_option<boost_sockn::reactor_options>::exists)
    {
      notes += "- boost_sockn " + p + " not run: reactor_options has no direct_registration\n";
      return;
    }
    if (m.thread && !delivery_option<boost_sockn::reactor_options>::exists)
    {
      notes += "- boost_sockn " + p + " not run: reactor_options has no delivery\n";
      return;
    }
    std::string why;
    if (!boost_sockn::reactor::available(options_for(m), why))
    {
      notes += "- boost_sockn " + p + " not run: " + why + "\n";
      return;
    }
    m.on_thread = runs_readiness_thread<boost_sockn::reactor>::get(options_for(m));
    ms.push_back(m);
    any_sockn = true;
  };
  if (!o.single.empty())
  {
    if (o.single == "asio")
      ms.push_back(method{"native Asio", "asio", false, boost_sockn::trigger_policy::automatic});
    else
      add_policy(o.single);
    if (ms.empty()) throw std::runtime_error(notes);
    return ms;
  }
  if (o.native)
    ms.push_back(method{"native Asio", "asio", false, boost_sockn::trigger_policy::automatic});
  for (const auto& p : o.policies) add_policy(p);
  return ms;
}

std::string backend_in_use()
{
  asio::io_context ioc;
  return boost_sockn::to_string(asio::use_service<boost_sockn::reactor>(ioc).backend());
}

int single_mode(const options& o, const std::vector<method>& ms,
                const std::vector<bench_case>& cases)
{
  // One line per case and thread count, for the script to keep next to the strace summary.
  int rc = 0;
  for (const auto& c : cases)
    for (int t : o.threads)
    {
      run_result r = run_one(ms[0], c, t, o);
      if (!r.ok)
      {
        std::printf("%s %s threads=%d: error: %s\n", ms[0].key.c_str(), c.key.c_str(), t,
                    r.error.c_str());
        rc = 1;
        continue;
      }
      auto cnt = [](std::uint64_t v) {
        return v == absent ? std::string("-") : std::to_string(v);
      };
      const counters& st = r.stats;
      std::printf("%s %s threads=%d: %llu %s in %.3f s, %s/s, cpu %.2f us/op, switches %.2f/op, "
                  "process_calls %s "
                  "registrations %s notifications %s wakeups %s direct_registrations %s "
                  "performs %s speculative %s queued %s\n",
                  ms[0].key.c_str(), c.key.c_str(), t, (unsigned long long)r.ops, c.unit.c_str(),
                  r.seconds, rate_text(r.rate).c_str(), r.cpu_per_op, r.switches_per_op,
                  cnt(st.process_calls).c_str(),
                  cnt(st.registrations).c_str(), cnt(st.notifications).c_str(),
                  cnt(st.wakeups).c_str(), cnt(st.direct_registrations).c_str(),
                  cnt(st.performs).c_str(), cnt(st.speculative).c_str(), cnt(st.queued).c_str());
    }
  return rc;
}

} // namespace

int main(int argc, char** argv)
{
#if defined(_WIN32)
  _setmode(_fileno(stdout), _O_BINARY);
  // Under Wine every figure is Wine's: say so in the title.
  std::string platform = "Windows";
  using wine_version_fn = const char* (*)();
  if (HMODULE ntdll = GetModuleHandleA("ntdll.dll"))
    if (auto f = reinterpret_cast<wine_version_fn>(
            reinterpret_cast<void*>(GetProcAddress(ntdll, "wine_get_version"))))
      platform = std::string("Windows API under Wine ") + f();
  const char* native_kind = "I/O completion ports";
#else
  const char* platform = "Linux";
  const char* native_kind = "epoll reactor";
#endif

  options opt;
  std::vector<bench_case> cases;
  std::vector<method> methods;
  std::string notes;
  bool any_sockn = false;
  try
  {
    opt = parse(argc, argv);
    for (const auto& k : opt.cases) cases.push_back(make_case(k, opt));
    methods = make_methods(opt, notes, any_sockn);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "socket_bench: %s\n", e.what());
    return 2;
  }

  if (!opt.single.empty()) return single_mode(opt, methods, cases);

  const auto start = clock_type::now();
  const std::string backend = backend_in_use();
  std::fprintf(stderr, "socket_bench: %s, boost_sockn backend %s, %d reps\n",
               std::string(platform).c_str(), backend.c_str(), opt.reps);

  struct row
  {
    const bench_case* c;
    int threads;
    std::vector<side> sides;
  };
  std::vector<row> rows;
  for (const auto& c : cases)
    for (int t : opt.threads)
    {
      row rw{&c, t, std::vector<side>(methods.size())};
      const auto t_row = clock_type::now();
      for (int rep = 0; rep < opt.reps; ++rep)
        for (std::size_t j = 0; j < methods.size(); ++j)
        {
          // A B C, C B A, ...: every method runs first and last equally often.
          const std::size_t mi = (rep % 2 == 0) ? j : methods.size() - 1 - j;
          run_result r = run_one(methods[mi], c, t, opt);
          if (!r.ok)
            std::fprintf(stderr, "  %s, %d thread(s), %s: %s\n", c.key.c_str(), t,
                         methods[mi].name.c_str(), r.error.c_str());
          rw.sides[mi].runs.push_back(r);
        }
      std::fprintf(stderr, "  %-8s threads=%d:", c.key.c_str(), t);
      for (std::size_t j = 0; j < methods.size(); ++j)
        std::fprintf(stderr, "  %s %s", methods[j].key.c_str(),
                     rw.sides[j].has_ok() ? rate_text(rw.sides[j].rate()).c_str() : "error");
      std::fprintf(stderr, "  (%.1f s)\n", seconds_between(t_row, clock_type::now()));
      rows.push_back(std::move(rw));
    }

  // --- the document -------------------------------------------------------------------------
  const int native_idx = (!methods.empty() && !methods[0].sockn) ? 0 : -1;
  std::string doc;
  doc += std::string("### ") + platform + ": boost_sockn (" + backend +
         " backend) vs native Asio (" + native_kind + ")\n\n";
  doc += "Client and server in this process, on one io_context run by the stated number of "
         "threads (boost_sockn's readiness thread, where a method has one, comes on top); connections over 127.0.0.1 with "
         "TCP_NODELAY, set up before the timed part. Ping-pong: " +
         std::to_string(opt.round_trips) + " timed round trips per run after " +
         std::to_string(opt.warmup) + " untimed ones. Request/response: every client loops "
         "(write request, read whole response) at once; " +
         fixed(opt.seconds, 2) + " s timed per run after " + fixed(opt.warm_seconds, 2) +
         " s untimed. Rates are medians of " + std::to_string(opt.reps) +
         " runs; methods alternate run by run (A B C, C B A, ...), each run on a fresh "
         "io_context. Ratios are those of the medians (above 1: faster than the reference), with "
         "the range of the ratios of runs paired in order.\n\n";

  // Throughput table.
  doc += "| case | io threads |";
  for (const auto& m : methods) doc += " " + m.name + " |";
  std::vector<std::pair<int, int>> ratios; // (a, b): a / b
  for (std::size_t j = 0; j < methods.size(); ++j)
    if (methods[j].sockn && native_idx >= 0) ratios.emplace_back(int(j), native_idx);
  // Every other boost_sockn variant against level_oneshot (the policy comparison).
  int level_idx = -1;
  for (std::size_t j = 0; j < methods.size(); ++j)
    if (methods[j].key == "level_oneshot") level_idx = int(j);
  if (level_idx >= 0)
    for (std::size_t j = 0; j < methods.size(); ++j)
      if (methods[j].sockn && int(j) != level_idx) ratios.emplace_back(int(j), level_idx);
  auto short_name = [&](int j) {
    return methods[j].sockn ? methods[j].key : std::string("Asio");
  };
  for (auto& p : ratios) doc += " " + short_name(p.first) + " / " + short_name(p.second) + " |";
  doc += "\n|---|---:|";
  for (std::size_t j = 0; j < methods.size() + ratios.size(); ++j) doc += "---:|";
  doc += "\n";
  for (const auto& rw : rows)
  {
    doc += "| " + rw.c->title + " | " + std::to_string(rw.threads) + " |";
    for (const auto& s : rw.sides) doc += " " + rate_cell(s, *rw.c) + " |";
    for (auto& p : ratios) doc += " " + ratio_cell(rw.sides[p.first], rw.sides[p.second]) + " |";
    doc += "\n";
  }

  // Costs per operation.
  doc += "\nCosts per operation (an operation is a round trip or a request), medians over the "
         "runs: CPU = user + system time of the whole process (every thread, client and server "
         "together) per operation; switches = voluntary + involuntary context switches of the "
         "process per operation. Reactor counters (boost_sockn only) are totals over the runs: "
         "registrations and notifications per port call (the io threads' drains, or the "
         "readiness thread's calls); per operation: those port calls, posts waking the readiness "
         "thread, registrations applied directly in a call of their own (by a thread that is not "
         "an io thread, or while the readiness thread slept), performs (ready "
         "sockets handed to the io_context), operations completed at initiation (speculative) "
         "and operations queued for readiness. \"-\": the library has no such counter.\n\n";
  doc += "| case | io threads | method | CPU µs/op | switches/op | regs/call | notifs/call | "
         "calls/op | wakeups/op | direct regs/op | performs/op | speculative/op | queued/op |\n";
  doc += "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& rw : rows)
    for (std::size_t j = 0; j < methods.size(); ++j)
    {
      const side& s = rw.sides[j];
      doc += "| " + rw.c->key + " | " + std::to_string(rw.threads) + " | " + methods[j].name +
             " | ";
      if (!s.has_ok())
      {
        doc += "error | | | | | | | | | |\n";
        continue;
      }
      doc += num(s.med([](const run_result& r) { return r.cpu_per_op; })) + " | ";
      const double sw = s.med([](const run_result& r) { return r.switches_per_op; });
      doc += (sw >= 0 ? num(sw) : std::string("-")) + " | ";
      if (!methods[j].sockn)
      {
        doc += "- | - | - | - | - | - | - | - |\n";
        continue;
      }
      std::uint64_t ops = 0;
      const auto st = s.total_stats(ops);
      const double o = double(ops);
      auto per = [](std::uint64_t v, double d) {
        return v == absent ? std::string("-") : d > 0 ? num(double(v) / d) : std::string("0");
      };
      const double calls = double(st.process_calls);
      doc += per(st.registrations, calls) + " | " + per(st.notifications, calls) + " | " +
             per(st.process_calls, o) + " | " + per(st.wakeups, o) + " | " +
             per(st.direct_registrations, o) + " | " + per(st.performs, o) + " | " +
             per(st.speculative, o) + " | " + per(st.queued, o) + " |\n";
    }

  // Targets (the reactor-core issue's) and the policy comparison.
  if (native_idx >= 0 && any_sockn)
  {
    doc += "\nTargets (boost_sockn / native Asio, ratio of medians). Io threads draining the port "
           "(Linux's default): ping-pong at 1 thread ≥ 0.8; 64 connections ≥ 0.9 at 1 and 2 "
           "threads, with ≤ 0.1 switches and ≤ 1.3 × Asio's CPU per operation and (where "
           "registrations are made per operation) ≥ 4 registrations per port call. The readiness "
           "thread (Windows' path, methods ending in _thread): 64 connections ≥ 0.7 with ≤ 0.5 "
           "switches per operation (every method on a system without io-thread delivery).\n\n";
    auto verdict = [](bool met) { return met ? std::string(" — met") : std::string(" — **not met**"); };
    for (const auto& rw : rows)
    {
      const bool many = !rw.c->pingpong && opt.connections == 64;
      for (std::size_t j = 0; j < methods.size(); ++j)
      {
        if (!methods[j].sockn) continue;
        const bool thread = methods[j].on_thread;
        double target = 0;
        if (rw.c->pingpong && rw.threads == 1 && !thread) target = 0.8;
        else if (many) target = thread ? 0.7 : 0.9;
        if (target == 0) continue;
        const side& a = rw.sides[j];
        const side& b = rw.sides[native_idx];
        if (!a.has_ok() || !b.has_ok()) continue;
        const double r = a.rate() / b.rate();
        auto cpu = [](const run_result& x) { return x.cpu_per_op; };
        auto switches = [](const run_result& x) { return x.switches_per_op; };
        const double cpu_ratio = a.med(cpu) / b.med(cpu);
        const double sw = a.med(switches);
        std::string line = "- " + rw.c->title + ", " + std::to_string(rw.threads) +
                           " thread(s), " + methods[j].key + ": " + ratio_text(r) +
                           verdict(r >= target) + " (target " + ratio_text(target) + ")";
        if (many)
        {
          const double sw_target = thread ? 0.5 : 0.1;
          if (sw >= 0)
            line += "; switches " + num(sw) + "/op" + verdict(sw <= sw_target) + " (≤ " +
                    num(sw_target) + ")";
          else
            line += "; switches not counted here (target ≤ " + num(sw_target) + ")";
          std::uint64_t ops = 0;
          const auto st = a.total_stats(ops);
          if (st.registrations != absent && st.process_calls && st.registrations > ops / 10)
          {
            const double per_call = double(st.registrations) / double(st.process_calls);
            line += "; registrations per call " + num(per_call) + verdict(per_call >= 4) +
                    " (≥ 4)";
          }
        }
        line += "; CPU per operation " + ratio_text(cpu_ratio) + " × Asio's";
        if (many && !thread) line += verdict(cpu_ratio <= 1.3) + " (≤ 1.3)";
        doc += line + "\n";
      }
    }
  }
  if (level_idx >= 0)
  {
    std::string lines;
    for (auto& p : ratios)
    {
      if (p.second != level_idx) continue;
      double logsum = 0;
      int n = 0;
      for (const auto& rw : rows)
        if (rw.sides[p.first].has_ok() && rw.sides[p.second].has_ok())
        {
          logsum += std::log(rw.sides[p.first].rate() / rw.sides[p.second].rate());
          ++n;
        }
      if (n)
        lines += "- " + methods[p.first].key + " / level_oneshot: " +
                 ratio_text(std::exp(logsum / n)) + " (geometric mean of the ratios of medians "
                 "over " + std::to_string(n) + " rows)\n";
    }
    if (!lines.empty()) doc += "\nVariants against level_oneshot:\n\n" + lines;
  }

  for (const auto& rw : rows)
    for (std::size_t j = 0; j < methods.size(); ++j)
      if (rw.sides[j].failures())
        notes += "- " + rw.c->key + ", " + std::to_string(rw.threads) + " thread(s), " +
                 methods[j].name + ": " + std::to_string(rw.sides[j].failures()) + " of " +
                 std::to_string(rw.sides[j].runs.size()) + " runs failed; first: " +
                 rw.sides[j].first_error() + "\n";
  if (!notes.empty()) doc += "\nNotes:\n" + notes;
  doc += "\nTotal time: " + fixed(seconds_between(start, clock_type::now()), 1) + " s.\n";

  std::fwrite(doc.data(), 1, doc.size(), stdout);
  std::fflush(stdout);
  if (!opt.out.empty())
  {
    std::FILE* f = std::fopen(opt.out.c_str(), "wb");
    if (!f)
    {
      std::fprintf(stderr, "socket_bench: cannot write %s\n", opt.out.c_str());
      return 1;
    }
    std::fwrite(doc.data(), 1, doc.size(), f);
    std::fclose(f);
  }
  bool all_ok = true;
  for (const auto& rw : rows)
    for (const auto& s : rw.sides) all_ok = all_ok && s.failures() == 0;
  return all_ok ? 0 : 1;
}
