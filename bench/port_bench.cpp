//
// bench/port_bench.cpp
//
// Throughput of boost_sockn::notification_port against the raw OS readiness call doing the same
// work in the same run: raw epoll on Linux, raw select() on Windows (what Asio's Windows reactor
// uses for readiness waits).
//
// Workload (one "round"): N UDP sockets bound to 127.0.0.1, of which k = max(1, round(f * N)) are
// readable because each holds one unread datagram. Every socket is re-armed with filter in and
// trigger level|oneshot, B registrations per process() call; each call also dequeues up to C
// notifications (C = B unless --capacity says otherwise) with timeout 0. After the last batch,
// dequeue-only calls continue until each ready socket has been notified exactly once in the round.
// A run ends where it started (ready sockets disarmed, the others armed), so runs can share one
// registration of the sockets. Two schedules:
// - interleaved (default on Linux): every run registers afresh (untimed), and the port and the
//   baseline alternate run by run (A B, B A, ...);
// - blocks (default on Windows): each method registers once per (N, f) pair and does all its
//   runs on that; the port is closed before the baseline starts, because under Wine the AFD polls
//   of a live port slow select() down (wineserver walks the process's pending requests).
// A run does an untimed warm-up round (abandoning configurations slower than --round-limit per
// round), then timed rounds until it has taken at least --min-time seconds.
// Rates: registrations/s = N * rounds / time, notifications/s = k * rounds / time; the table shows
// the medians of --reps runs and the ratio of the medians.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#include <fcntl.h>
#include <io.h>
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#endif

#include <boost_sockn/notification_port.hpp>

#include "common.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using namespace sockn_bench;
using boost_sockn::native_socket_type;

// ---------------------------------------------------------------------------------------------
// Sockets

#if defined(_WIN32)
int last_socket_error() { return WSAGetLastError(); }
void close_socket(native_socket_type s) { ::closesocket(static_cast<SOCKET>(s)); }
bool set_nonblocking(native_socket_type s)
{
  u_long one = 1;
  return ::ioctlsocket(static_cast<SOCKET>(s), FIONBIO, &one) == 0;
}
bool would_block(int e) { return e == WSAEWOULDBLOCK; }
#else
int last_socket_error() { return errno; }
void close_socket(native_socket_type s) { ::close(s); }
bool set_nonblocking(native_socket_type s)
{
  int fl = ::fcntl(s, F_GETFL, 0);
  return fl >= 0 && ::fcntl(s, F_SETFL, fl | O_NONBLOCK) == 0;
}
bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }
#endif

bool invalid(native_socket_type s)
{
#if defined(_WIN32)
  return static_cast<SOCKET>(s) == INVALID_SOCKET;
#else
  return s < 0;
#endif
}

// A pool of UDP sockets bound to 127.0.0.1; a socket is "ready" while it holds one datagram.
class socket_pool
{
public:
  // Opens up to n sockets; stops at the first failure and records why in error().
  void open(std::size_t n)
  {
    sender_ = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (invalid(sender_)) throw std::runtime_error("cannot create the sender socket");
    socks_.reserve(n);
    addrs_.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
    {
      native_socket_type s = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
      if (invalid(s))
      {
        error_ = "socket() failed after " + std::to_string(i) + " sockets, error " +
                 std::to_string(last_socket_error());
        break;
      }
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = 0;
      socklen_t len = sizeof a;
      if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
          ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0 || !set_nonblocking(s))
      {
        error_ = "bind/getsockname/non-blocking failed after " + std::to_string(i) +
                 " sockets, error " + std::to_string(last_socket_error());
        close_socket(s);
        break;
      }
      socks_.push_back(s);
      addrs_.push_back(a);
    }
    loaded_.assign(socks_.size(), 0);
  }

  ~socket_pool()
  {
    for (native_socket_type s : socks_) close_socket(s);
    if (!invalid(sender_)) close_socket(sender_);
  }

  std::size_t size() const noexcept { return socks_.size(); }
  const std::string& error() const noexcept { return error_; }
  native_socket_type operator[](std::size_t i) const noexcept { return socks_[i]; }

  // Makes sockets [0, n) ready exactly where `ready` says so.
  void apply(const std::vector<char>& ready, std::size_t n)
  {
    for (std::size_t i = 0; i < n; ++i)
    {
      if (ready[i] && !loaded_[i])
      {
        const char byte = 'x';
        if (::sendto(sender_, &byte, 1, 0, reinterpret_cast<const sockaddr*>(&addrs_[i]),
                     sizeof addrs_[i]) != 1)
          throw std::runtime_error("sendto failed, error " + std::to_string(last_socket_error()));
        loaded_[i] = 1;
      }
      else if (!ready[i] && loaded_[i])
      {
        char buf[16];
        for (;;)
        {
          int r = static_cast<int>(::recv(socks_[i], buf, sizeof buf, 0));
          if (r >= 0) continue;
          if (would_block(last_socket_error())) break;
          throw std::runtime_error("recv failed, error " + std::to_string(last_socket_error()));
        }
        loaded_[i] = 0;
      }
    }
  }

private:
#if defined(_WIN32)
  native_socket_type sender_ = static_cast<native_socket_type>(INVALID_SOCKET);
#else
  native_socket_type sender_ = -1;
#endif
  std::vector<native_socket_type> socks_;
  std::vector<sockaddr_in> addrs_;
  std::vector<char> loaded_;
  std::string error_;
};

// ---------------------------------------------------------------------------------------------
// Round accounting shared by every method

struct tally
{
  const std::vector<char>* ready = nullptr;
  std::vector<std::uint32_t> seen; // the round in which each key was last notified
  std::uint32_t round = 0;
  std::size_t k = 0;
  std::size_t notified = 0;
  std::uint64_t unexpected = 0; // notification for a socket without data, or without `in`
  std::uint64_t duplicate = 0;  // a second notification for a key within one round

  tally(const std::vector<char>& r, std::size_t n, std::size_t k_) : ready(&r), seen(n, 0), k(k_) {}

  void on(std::size_t key, bool readable)
  {
    if (key >= seen.size() || !(*ready)[key] || !readable)
    {
      ++unexpected;
      return;
    }
    if (seen[key] == round)
    {
      ++duplicate;
      return;
    }
    seen[key] = round;
    ++notified;
  }
};

// Registrations per call in the untimed registration round, and in the rest of a round that
// went over its time limit.
constexpr std::size_t registration_batch = 1024;

// ---------------------------------------------------------------------------------------------
// Method A: boost_sockn::notification_port

class port_method
{
public:
  port_method(const socket_pool& pool, std::size_t n, boost_sockn::backend_kind kind)
    : pool_(pool), kind_(kind), regs_(n)
  {
  }

  void open() { port_.open(kind_); }
  void close() { port_.close(); }
  void registered() {}
  void set_capacity(std::size_t c) { notes_.resize(c); }

  std::size_t step(std::size_t first, std::size_t count, tally& t)
  {
    using namespace boost_sockn;
    for (std::size_t j = 0; j < count; ++j)
      regs_[j] = registration::enable(pool_[first + j], first + j, event::in,
                                      trigger::level | trigger::oneshot);
    boost::system::error_code ec;
    std::size_t got = port_.process(count ? regs_.data() : nullptr, count, notes_.data(),
                                    notes_.size(), std::chrono::milliseconds(0), ec);
    if (ec) throw std::runtime_error("process: " + ec.message());
    for (std::size_t j = 0; j < count; ++j)
      if (regs_[j].result)
        throw std::runtime_error("registration of socket #" + std::to_string(first + j) + ": " +
                                 regs_[j].result.message());
    for (std::size_t i = 0; i < got; ++i)
      t.on(notes_[i].key, has(notes_[i].events, event::in));
    return got;
  }

private:
  const socket_pool& pool_;
  boost_sockn::backend_kind kind_;
  boost_sockn::notification_port port_;
  std::vector<boost_sockn::registration> regs_;
  std::vector<boost_sockn::notification> notes_;
};

#if !defined(_WIN32)
// ---------------------------------------------------------------------------------------------
// Method B (Linux): raw epoll, EPOLL_CTL_MOD with EPOLLIN|EPOLLONESHOT, epoll_wait(timeout 0)

class epoll_method
{
public:
  epoll_method(const socket_pool& pool, std::size_t) : pool_(pool) {}
  ~epoll_method() { close(); }

  void open()
  {
    ep_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) throw std::runtime_error("epoll_create1: " + std::string(std::strerror(errno)));
    op_ = EPOLL_CTL_ADD; // the registration round
  }
  void close()
  {
    if (ep_ >= 0) ::close(ep_);
    ep_ = -1;
  }
  void registered() { op_ = EPOLL_CTL_MOD; }
  void set_capacity(std::size_t c) { events_.resize(c); }

  std::size_t step(std::size_t first, std::size_t count, tally& t)
  {
    for (std::size_t j = 0; j < count; ++j)
    {
      epoll_event ev;
      ev.events = EPOLLIN | EPOLLONESHOT;
      ev.data.u64 = first + j;
      if (::epoll_ctl(ep_, op_, pool_[first + j], &ev) != 0)
        throw std::runtime_error("epoll_ctl: " + std::string(std::strerror(errno)));
    }
    int n = ::epoll_wait(ep_, events_.data(), static_cast<int>(events_.size()), 0);
    if (n < 0)
    {
      if (errno == EINTR) return 0;
      throw std::runtime_error("epoll_wait: " + std::string(std::strerror(errno)));
    }
    for (int i = 0; i < n; ++i)
      t.on(static_cast<std::size_t>(events_[i].data.u64), (events_[i].events & EPOLLIN) != 0);
    return static_cast<std::size_t>(n);
  }

private:
  const socket_pool& pool_;
  std::vector<epoll_event> events_;
  int ep_ = -1;
  int op_ = EPOLL_CTL_ADD;
};
using baseline_method = epoll_method;
#else
// ---------------------------------------------------------------------------------------------
// Method B (Windows): raw select() with a select reactor's bookkeeping. Re-arming adds a socket
// to the interest set; each call selects (timeout 0) over every armed socket and disarms the
// readable ones, as a select-based reactor does with the sockets that have pending operations.

static_assert(offsetof(fd_set, fd_array) == sizeof(SOCKET), "fd_set layout");

class select_method
{
public:
  select_method(const socket_pool& pool, std::size_t n)
    : pool_(pool), armed_pos_(n, npos), set_storage_(n + 1)
  {
    armed_.reserve(n);
    index_.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) index_[static_cast<SOCKET>(pool[i])] = i;
  }

  void open()
  {
    armed_.clear();
    std::fill(armed_pos_.begin(), armed_pos_.end(), npos);
  }
  void close() {}
  void registered() {}
  void set_capacity(std::size_t) {}

  std::size_t step(std::size_t first, std::size_t count, tally& t)
  {
    for (std::size_t j = 0; j < count; ++j)
    {
      std::size_t i = first + j;
      if (armed_pos_[i] == npos)
      {
        armed_pos_[i] = armed_.size();
        armed_.push_back(i);
      }
    }
    if (armed_.empty()) return 0;
    fd_set* set = reinterpret_cast<fd_set*>(set_storage_.data());
    SOCKET* arr = set_storage_.data() + 1;
    set->fd_count = static_cast<u_int>(armed_.size());
    for (std::size_t j = 0; j < armed_.size(); ++j) arr[j] = static_cast<SOCKET>(pool_[armed_[j]]);
    timeval zero{0, 0};
    if (::select(0, set, nullptr, nullptr, &zero) == SOCKET_ERROR)
      throw std::runtime_error("select failed, error " + std::to_string(WSAGetLastError()));
    std::size_t got = set->fd_count;
    for (std::size_t j = 0; j < got; ++j)
    {
      auto it = index_.find(arr[j]);
      if (it == index_.end()) throw std::runtime_error("select returned an unknown socket");
      const std::size_t i = it->second;
      t.on(i, true);
      // Disarm (oneshot): swap-remove from the interest set.
      std::size_t p = armed_pos_[i];
      if (p != npos)
      {
        std::size_t last = armed_.back();
        armed_[p] = last;
        armed_pos_[last] = p;
        armed_.pop_back();
        armed_pos_[i] = npos;
      }
    }
    return got;
  }

private:
  static constexpr std::size_t npos = ~std::size_t(0);
  const socket_pool& pool_;
  std::vector<std::size_t> armed_;
  std::vector<std::size_t> armed_pos_;
  std::vector<SOCKET> set_storage_; // element 0 holds fd_count (padded), then fd_array
  std::unordered_map<SOCKET, std::size_t> index_;
};
using baseline_method = select_method;
#endif

// ---------------------------------------------------------------------------------------------
// Rounds and runs

// How often a round reads the clock to notice that it is over its time limit: a Linux call costs
// well under a microsecond, so every 32nd; under Wine (or Windows) every call.
#if defined(_WIN32)
constexpr std::size_t clock_check_mask = 0;
#else
constexpr std::size_t clock_check_mask = 31;
#endif

struct round_info
{
  std::uint64_t calls = 0;      // process() (epoll_wait, select) calls
  bool over_limit = false;      // the soft limit passed while re-arming
  std::size_t rearmed_in_time = 0;
  double seconds_in_time = 0;
};

// One round: re-arm sockets [0, n) in calls of `batch`, then dequeue until every ready socket has
// been notified once. Past `soft_limit` the rest is re-armed in calls of registration_batch, so
// that the round still ends in the state every round ends in. A round whose dequeue calls find
// nothing for `stall` while ready sockets are still owed a notification fails (the method lost
// notifications).
template <class Method>
void run_round(Method& m, std::size_t n, std::size_t batch, tally& t,
               clock_type::time_point soft_limit, clock_type::duration stall, round_info& info)
{
  const auto t0 = clock_type::now();
  t.notified = 0;
  ++t.round;
  std::size_t steps = 0;
  for (std::size_t i = 0; i < n;)
  {
    const std::size_t count = std::min(batch, n - i);
    m.step(i, count, t);
    ++info.calls;
    i += count;
    if (!info.over_limit && (++steps & clock_check_mask) == 0)
    {
      auto now = clock_type::now();
      if (now > soft_limit && i < n)
      {
        info.over_limit = true;
        info.rearmed_in_time = i;
        info.seconds_in_time = std::chrono::duration<double>(now - t0).count();
        batch = std::max(batch, registration_batch);
      }
    }
  }
  // Dequeue-only calls; the clock is read every few empty ones.
  constexpr std::size_t drain_check_mask = clock_check_mask * 8 + 7;
  std::size_t idle = 0;
  bool idle_spell = false;
  clock_type::time_point idle_since;
  while (t.notified < t.k)
  {
    ++info.calls;
    const std::size_t before = t.notified;
    m.step(0, 0, t);
    if (t.notified != before)
    {
      idle = 0;
      idle_spell = false;
      continue;
    }
    if ((++idle & drain_check_mask) != 0) continue;
    const auto now = clock_type::now();
    if (!idle_spell)
    {
      idle_spell = true;
      idle_since = now;
    }
    else if (now - idle_since > stall)
      throw std::runtime_error("only " + std::to_string(t.notified) + " of " +
                               std::to_string(t.k) + " ready sockets notified in a round");
  }
}

clock_type::duration seconds(double s)
{
  return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
}

// Opens the method and registers every socket (untimed). Returns an error message or "".
template <class Method>
std::string setup(Method& m, std::size_t n, tally& t, double round_limit)
{
  try
  {
    m.open();
    const std::size_t b = std::min(n, registration_batch);
    m.set_capacity(b);
    round_info info;
    run_round(m, n, b, t, clock_type::time_point::max(), seconds(10 * round_limit), info);
    m.registered();
    return "";
  }
  catch (const std::exception& e)
  {
    return std::string("registration: ") + e.what();
  }
}

struct run_result
{
  bool ok = false;
  bool too_slow = false;   // the warm-up round went over the round limit
  double partial_rate = 0; // re-arms/s reached until then (an upper bound)
  bool broken = false;     // the method cannot go on in this configuration
  std::string error;
  double seconds = 0;
  std::uint64_t rounds = 0;
  double reg_rate = 0;
  double note_rate = 0;
  double calls_per_round = 0;
  std::uint64_t unexpected = 0;
  std::uint64_t duplicate = 0;
};

// One run: a warm-up round (untimed; a configuration whose round takes longer than round_limit
// is abandoned there), then timed rounds until min_time has passed. A run that follows one of
// the same batch size on the same registrations may skip the warm-up.
template <class Method>
run_result measure(Method& m, std::size_t n, std::size_t batch, std::size_t capacity, tally& t,
                   double min_time, double round_limit, bool warm_up = true)
{
  run_result res;
  try
  {
    m.set_capacity(capacity);
    round_info warm;
    auto t0 = clock_type::now();
    if (warm_up)
      run_round(m, n, batch, t, t0 + seconds(round_limit), seconds(10 * round_limit), warm);
    if (warm.over_limit)
    {
      res.too_slow = true;
      res.partial_rate = double(warm.rearmed_in_time) / warm.seconds_in_time;
      res.error = "a round took over " + fixed(round_limit, 1) + " s (" +
                  std::to_string(warm.rearmed_in_time) + " of " + std::to_string(n) +
                  " re-arms done); abandoned";
      return res;
    }
    t.unexpected = t.duplicate = 0;
    round_info info;
    std::uint64_t rounds = 0;
    double elapsed = 0;
    auto t1 = clock_type::now();
    do
    {
      run_round(m, n, batch, t, clock_type::time_point::max(), seconds(10 * round_limit), info);
      ++rounds;
      elapsed = seconds_since(t1);
    } while (elapsed < min_time);
    res.ok = true;
    res.seconds = elapsed;
    res.rounds = rounds;
    res.reg_rate = double(n) * double(rounds) / elapsed;
    res.note_rate = double(t.k) * double(rounds) / elapsed;
    res.calls_per_round = double(info.calls) / double(rounds);
    res.unexpected = t.unexpected;
    res.duplicate = t.duplicate;
  }
  catch (const std::exception& e)
  {
    res.error = e.what();
    res.broken = true;
  }
  return res;
}

struct side_summary
{
  std::vector<run_result> runs;

  bool has_ok() const
  {
    for (const auto& r : runs)
      if (r.ok) return true;
    return false;
  }
  bool too_slow() const { return !runs.empty() && runs.front().too_slow; }
  double med(bool notes) const
  {
    std::vector<double> v;
    for (const auto& r : runs)
      if (r.ok) v.push_back(notes ? r.note_rate : r.reg_rate);
    return median(v);
  }
  double calls() const
  {
    std::vector<double> v;
    for (const auto& r : runs)
      if (r.ok) v.push_back(r.calls_per_round);
    return median(v);
  }
  std::string cell(bool notes) const
  {
    if (has_ok()) return rate_text(med(notes));
    if (too_slow())
    {
      // Only the registration rate of an abandoned round is known (as an upper bound).
      return notes ? "-" : "< " + rate_text(runs.front().partial_rate);
    }
    return "error";
  }
  std::uint64_t anomalies() const
  {
    std::uint64_t a = 0;
    for (const auto& r : runs) a += r.unexpected + r.duplicate;
    return a;
  }
};

// ---------------------------------------------------------------------------------------------
// Command line

std::vector<double> parse_list(const std::string& s)
{
  std::vector<double> v;
  std::size_t p = 0;
  while (p <= s.size())
  {
    std::size_t q = s.find(',', p);
    if (q == std::string::npos) q = s.size();
    if (q > p) v.push_back(std::stod(s.substr(p, q - p)));
    p = q + 1;
  }
  return v;
}

struct options
{
  std::vector<double> sockets{16, 256, 1024, 10000};
  std::vector<double> ready{0.01, 0.1, 1.0};
  std::vector<double> batches{1, 16, 64, 256, 1024};
  std::size_t capacity = 0; // 0: equal to the batch size
#if defined(_WIN32)
  int reps = 3; // under Wine every call is a round trip to wineserver: keep the run short
#else
  int reps = 5;
#endif
  double min_time = 0.2;
  double round_limit = 2.0;
  bool baseline = true;
#if defined(_WIN32)
  bool interleave = false; // under Wine a live port slows select() down (and vice versa)
#else
  bool interleave = true;
#endif
  std::string out;
  std::string backend = "automatic";
  bool quick = false;
};

void usage()
{
  std::puts(
    "usage: port_bench [--quick] [--out FILE] [--sockets 16,256,...] [--ready 0.01,0.1,1]\n"
    "                  [--batch 1,16,...] [--capacity C] [--reps R] [--min-time SECONDS]\n"
    "                  [--round-limit SECONDS] [--backend automatic|psn|afd|epoll] [--no-baseline]\n"
    "                  [--interleave | --blocks]\n"
    "  --quick        smaller matrix (sockets 16,1024,10000; ready 0.01,1; batch 1,64,1024;\n"
    "                 0.1 s per run)\n"
    "  --capacity C   notifications dequeued per call (default: the batch size)\n"
    "  --round-limit  abandon a configuration whose warm-up round takes longer (default 2 s)\n"
    "  --interleave   register afresh for every run, alternating the methods run by run\n"
    "                 (default on Linux)\n"
    "  --blocks       register once per method and (sockets, ready) pair, all runs of the port\n"
    "                 before those of the baseline (default on Windows)\n"
    "  BOOST_SOCKN_BACKEND selects the backend when --backend is automatic.");
}

options parse(int argc, char** argv)
{
  options o;
  bool sockets_set = false, ready_set = false, batch_set = false, time_set = false;
  for (int i = 1; i < argc; ++i)
  {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--quick") o.quick = true;
    else if (a == "--out") o.out = value();
    else if (a == "--sockets") { o.sockets = parse_list(value()); sockets_set = true; }
    else if (a == "--ready") { o.ready = parse_list(value()); ready_set = true; }
    else if (a == "--batch") { o.batches = parse_list(value()); batch_set = true; }
    else if (a == "--capacity") o.capacity = std::stoul(value());
    else if (a == "--reps") o.reps = std::stoi(value());
    else if (a == "--min-time") { o.min_time = std::stod(value()); time_set = true; }
    else if (a == "--round-limit") o.round_limit = std::stod(value());
    else if (a == "--backend") o.backend = value();
    else if (a == "--no-baseline") o.baseline = false;
    else if (a == "--interleave") o.interleave = true;
    else if (a == "--blocks") o.interleave = false;
    else if (a == "--help" || a == "-h") { usage(); std::exit(0); }
    else throw std::runtime_error("unknown option " + a + " (--help lists them)");
  }
  if (o.quick)
  {
    if (!sockets_set) o.sockets = {16, 1024, 10000};
    if (!ready_set) o.ready = {0.01, 1.0};
    if (!batch_set) o.batches = {1, 64, 1024};
    if (!time_set) o.min_time = 0.1;
  }
  if (o.reps < 1) o.reps = 1;
  return o;
}

// A run on a fresh registration: open, register, measure, close.
template <class Method>
run_result fresh_run(Method& m, std::size_t n, std::size_t k, const std::vector<char>& ready,
                     std::size_t batch, const options& opt)
{
  tally t(ready, n, k);
  run_result r;
  std::string error = setup(m, n, t, opt.round_limit);
  if (error.empty())
    r = measure(m, n, batch, opt.capacity ? opt.capacity : batch, t, opt.min_time,
                opt.round_limit);
  else
  {
    r.error = error;
    r.broken = true;
  }
  m.close();
  return r;
}

// Every batch size and repetition on one registration of the method.
template <class Method>
void session(Method& m, std::size_t n, std::size_t k, const std::vector<char>& ready,
             const std::vector<std::size_t>& batches, const options& opt,
             std::vector<side_summary>& out)
{
  tally t(ready, n, k);
  std::string error = setup(m, n, t, opt.round_limit);
  for (std::size_t bi = 0; bi < batches.size() && error.empty(); ++bi)
    for (int rep = 0; rep < opt.reps; ++rep)
    {
      run_result r = measure(m, n, batches[bi], opt.capacity ? opt.capacity : batches[bi], t,
                             opt.min_time, opt.round_limit, rep == 0);
      out[bi].runs.push_back(r);
      if (r.broken) error = r.error; // the registrations are in an unknown state
      if (!r.ok) break;
    }
  if (!error.empty())
    for (auto& s : out)
      if (s.runs.empty())
      {
        run_result r;
        r.error = error;
        r.broken = true;
        s.runs.push_back(r);
      }
  m.close();
}

boost_sockn::backend_kind parse_backend(const std::string& s)
{
  using boost_sockn::backend_kind;
  for (backend_kind k : {backend_kind::automatic, backend_kind::psn, backend_kind::afd,
                         backend_kind::epoll})
    if (s == boost_sockn::to_string(k)) return k;
  throw std::runtime_error("unknown backend " + s);
}

std::string raise_fd_limit()
{
#if defined(_WIN32)
  return "";
#else
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return "getrlimit failed";
  rlim_t want = rl.rlim_max == RLIM_INFINITY ? rlim_t(1) << 20 : rl.rlim_max;
  if (rl.rlim_cur < want)
  {
    rlimit r2 = rl;
    r2.rlim_cur = want;
    if (::setrlimit(RLIMIT_NOFILE, &r2) == 0) rl = r2;
  }
  return "RLIMIT_NOFILE " + std::to_string(rl.rlim_cur) + " (hard " +
         (rl.rlim_max == RLIM_INFINITY ? std::string("unlimited") : std::to_string(rl.rlim_max)) +
         ")";
#endif
}

} // namespace

int main(int argc, char** argv)
{
#if defined(_WIN32)
  _setmode(_fileno(stdout), _O_BINARY);
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
  {
    std::fprintf(stderr, "WSAStartup failed\n");
    return 1;
  }
  const char* baseline_name = "raw select()";
  const char* platform = "Windows";
#else
  const char* baseline_name = "raw epoll";
  const char* platform = "Linux";
#endif

  options opt;
  try
  {
    opt = parse(argc, argv);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "port_bench: %s\n", e.what());
    return 2;
  }

  const std::string limit_note = raise_fd_limit();

  boost_sockn::backend_kind kind;
  boost_sockn::notification_port probe;
  try
  {
    kind = parse_backend(opt.backend);
    probe.open(kind);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "port_bench: cannot open a notification port: %s\n", e.what());
    return 1;
  }
  const std::string backend_name = boost_sockn::to_string(probe.backend());
  probe.close();

  std::size_t max_n = 0;
  for (double n : opt.sockets) max_n = std::max(max_n, static_cast<std::size_t>(n));

  auto start = clock_type::now();
  socket_pool pool;
  try
  {
    pool.open(max_n);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "port_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "port_bench: %s, backend %s, %zu of %zu sockets opened in %.2f s%s%s\n",
               platform, backend_name.c_str(), pool.size(), max_n, seconds_since(start),
               pool.error().empty() ? "" : ": ", pool.error().c_str());

  std::string table;
  std::string notes;
  table += "| sockets | ready (k) | batch | boost_sockn reg/s | boost_sockn notif/s | ";
  table += std::string(baseline_name) + " reg/s | " + baseline_name + " notif/s | boost_sockn/" +
           (opt.baseline ? baseline_name : std::string("-")) + " (pair range) |\n";
  table += "|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  for (double nd : opt.sockets)
  {
    std::size_t want = static_cast<std::size_t>(nd);
    std::size_t n = std::min(want, pool.size());
    if (n == 0) continue;
    std::string n_cell = std::to_string(n);
    if (n < want) n_cell = std::to_string(want) + " → " + std::to_string(n) + " opened";
    for (double f : opt.ready)
    {
      std::size_t k = static_cast<std::size_t>(std::llround(f * double(n)));
      k = std::max<std::size_t>(1, std::min(k, n));
      std::vector<char> ready(pool.size(), 0);
      for (std::size_t i = 0; i < n; ++i) ready[i] = ((i + 1) * k / n) != (i * k / n);
      try
      {
        pool.apply(ready, n);
      }
      catch (const std::exception& e)
      {
        std::fprintf(stderr, "port_bench: preparing %zu ready sockets: %s\n", k, e.what());
        return 1;
      }
      char fbuf[64];
      std::snprintf(fbuf, sizeof fbuf, "%g (%zu)", f, k);
      auto where = [&](std::size_t batch) {
        return std::string("- N=") + std::to_string(n) + " ready=" + fbuf +
               (batch ? " B=" + std::to_string(batch) : std::string()) + ", ";
      };

      std::vector<std::size_t> batches;
      for (double bd : opt.batches)
      {
        // A batch larger than N is the same work as B = N: run it once, as B = N.
        const std::size_t batch = std::min(n, std::max<std::size_t>(1, static_cast<std::size_t>(bd)));
        if (std::find(batches.begin(), batches.end(), batch) == batches.end())
          batches.push_back(batch);
      }
      std::vector<side_summary> sa(batches.size()), sb(batches.size());
      const auto t_pair = clock_type::now();
      if (opt.interleave)
      {
        // Every run registers afresh; the two methods alternate run by run (A B, B A, ...).
        for (std::size_t bi = 0; bi < batches.size(); ++bi)
          for (int rep = 0; rep < opt.reps; ++rep)
            for (int side = 0; side < 2; ++side)
            {
              const bool do_a = (side == 0) == (rep % 2 == 0);
              side_summary& s = do_a ? sa[bi] : sb[bi];
              if (!do_a && !opt.baseline) continue;
              if (!s.runs.empty() && !s.runs.front().ok) continue; // abandoned or failed
              if (do_a)
              {
                port_method m(pool, n, kind);
                s.runs.push_back(fresh_run(m, n, k, ready, batches[bi], opt));
              }
              else
              {
                baseline_method m(pool, n);
                s.runs.push_back(fresh_run(m, n, k, ready, batches[bi], opt));
              }
            }
      }
      else
      {
        // One registration per method for all batch sizes and repetitions (a round ends in the
        // state it starts from); the port is closed before the baseline runs, so that neither
        // measures with the other's requests pending.
        {
          port_method m(pool, n, kind);
          session(m, n, k, ready, batches, opt, sa);
        }
        if (opt.baseline)
        {
          baseline_method m(pool, n);
          session(m, n, k, ready, batches, opt, sb);
        }
      }
      std::fprintf(stderr, "  N=%zu ready=%s: %.1f s\n", n, fbuf, seconds_since(t_pair));

      for (std::size_t bi = 0; bi < batches.size(); ++bi)
      {
        const std::size_t batch = batches[bi];
        const side_summary& a = sa[bi];
        const side_summary& b = sb[bi];
        std::vector<double> pair_ratios;
        for (std::size_t r = 0; r < a.runs.size() && r < b.runs.size(); ++r)
          if (a.runs[r].ok && b.runs[r].ok) pair_ratios.push_back(a.runs[r].reg_rate / b.runs[r].reg_rate);

        std::string ratio = "-";
        if (a.has_ok() && b.has_ok())
        {
          ratio = ratio_text(a.med(false) / b.med(false));
          if (!pair_ratios.empty())
          {
            auto mm = std::minmax_element(pair_ratios.begin(), pair_ratios.end());
            ratio += " (" + ratio_text(*mm.first) + "–" + ratio_text(*mm.second) + ")";
          }
        }
        else if (a.has_ok() && b.too_slow())
          ratio = "> " + ratio_text(a.med(false) / b.runs.front().partial_rate);
        else if (a.too_slow() && b.has_ok())
          ratio = "< " + ratio_text(a.runs.front().partial_rate / b.med(false));

        table += "| " + n_cell + " | " + fbuf + " | " + std::to_string(batch) + " | " +
                 a.cell(false) + " | " + a.cell(true) + " | " +
                 (opt.baseline ? b.cell(false) : "-") + " | " +
                 (opt.baseline ? b.cell(true) : "-") + " | " + ratio + " |\n";

        auto note_errors = [&](const side_summary& s, const char* who) {
          for (const auto& r : s.runs)
            if (!r.error.empty())
            {
              notes += where(batch) + who + ": " + r.error + "\n";
              break;
            }
          if (s.anomalies())
            notes += where(batch) + who + ": " + std::to_string(s.anomalies()) +
                     " unexpected or duplicate notifications\n";
        };
        note_errors(a, "boost_sockn");
        note_errors(b, baseline_name);

        std::fprintf(stderr,
                     "  N=%-6zu ready=%-12s B=%-5zu boost_sockn %10s reg/s (%.0f calls/round)  "
                     "%s %10s reg/s (%.0f calls/round)  ratio %s\n",
                     n, fbuf, batch, a.cell(false).c_str(), a.calls(), baseline_name,
                     opt.baseline ? b.cell(false).c_str() : "-", b.calls(), ratio.c_str());
      }
    }
  }

  std::string doc;
  doc += std::string("### ") + platform + ": boost_sockn " + backend_name + " backend vs " +
         (opt.baseline ? baseline_name : "(no baseline)") + "\n\n";
  doc += "Round: re-arm all N sockets (enable, filter in, level|oneshot) in process() calls of B "
         "entries, each dequeuing up to C notifications with timeout 0, until each of the k "
         "readable sockets (one unread datagram each) has been notified once. ";
#if defined(_WIN32)
  doc += "Baseline: raw select() with timeout 0 over every armed socket after each batch of B "
         "re-arms, readable sockets disarmed (a select-based reactor's work, which is what Asio "
         "uses for readiness waits on Windows); not the same kernel mechanism as the port. ";
#else
  doc += "Baseline: raw epoll_ctl(EPOLL_CTL_MOD, EPOLLIN|EPOLLONESHOT) per socket and "
         "epoll_wait(C, timeout 0) after each batch of B. ";
#endif
  doc += "C = " + (opt.capacity ? std::to_string(opt.capacity) : std::string("B")) +
         ". Rates are medians of " + std::to_string(opt.reps) + " runs of at least " +
         fixed(opt.min_time, 2) + " s each; the ratio is that of the medians (higher is better "
         "for boost_sockn), with the range of the ratios of runs paired in order. ";
  if (opt.interleave)
    doc += "Each run registers the sockets afresh (1024 per call, untimed) and does an untimed "
           "warm-up round; the two methods alternate run by run (A B, B A, ...). ";
  else
    doc += "Each method registers the sockets once per (sockets, ready) pair (1024 per call, "
           "untimed) and keeps them for all its runs; the first run of each batch size starts "
           "with an untimed warm-up round; all runs of the port come before those of the baseline, and the port "
           "is closed before the baseline starts (not interleaved: under Wine, pending AFD polls "
           "of a live port slow select() down tenfold or more). ";
  doc += "\"< x\": the warm-up round took over " + fixed(opt.round_limit, 1) +
         " s and the configuration was abandoned (not repeated); x is the re-arm rate reached "
         "until then (an upper bound). Batch sizes above N are run once, as B = N.\n\n";
  doc += "Sockets: " + std::to_string(pool.size()) + " of " + std::to_string(max_n) +
         " requested opened" + (pool.error().empty() ? "" : " (" + pool.error() + ")") + "." +
         (limit_note.empty() ? "" : " " + limit_note + ".") + "\n\n";
  doc += table;
  if (!notes.empty()) doc += "\nNotes:\n" + notes;
  doc += "\nTotal time: " + fixed(seconds_since(start), 1) + " s.\n";

  std::fwrite(doc.data(), 1, doc.size(), stdout);
  std::fflush(stdout);
  if (!opt.out.empty())
  {
    std::FILE* f = std::fopen(opt.out.c_str(), "wb");
    if (!f)
    {
      std::fprintf(stderr, "port_bench: cannot write %s\n", opt.out.c_str());
      return 1;
    }
    std::fwrite(doc.data(), 1, doc.size(), f);
    std::fclose(f);
  }
#if defined(_WIN32)
  WSACleanup();
#endif
  return 0;
}
