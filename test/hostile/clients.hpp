//
// test/hostile/clients.hpp
//
// What the hostile tests share: the servers' paths from the command line, starting a server and
// finding its port, raw exchanges on plain Boost.Asio sockets with a time limit, the
// well-behaved HTTP client, the memory check and how many connections this system allows.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_HOSTILE_CLIENTS_HPP
#define BOOST_SOCKN_TEST_HOSTILE_CLIENTS_HPP

#include "child_process.hpp"

#include <boost/asio.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace hostile {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::milliseconds;
using std::chrono::seconds;
using clock_type = std::chrono::steady_clock;

// Set from the command line (after "--") by the module's main.
struct configuration
{
  std::string http_server;         // paths of the programs under test
  std::string websocket_server;
};
configuration& config();

// How long a well-behaved client may wait for its answer while the server is under attack:
// generous, since the strict model and Wine are slow, yet far below the attacks' durations.
inline constexpr milliseconds good_client_limit{3000};

// How long the server may take for what must happen in the end (thousands of sessions
// accepted, or gone): the strict model checks every registered socket on each call, and the
// sanitizers and Wine slow everything down severalfold.
inline constexpr seconds patience{60};

bool under_wine();

// A server of the example programs, started with `args`; the constructor waits for its
// "listening on" line and takes the port from it.
class server
{
public:
  server(const std::string& program, std::vector<std::string> args);
  ~server();

  tcp::endpoint endpoint() const { return endpoint_; }
  child_process& process() { return *process_; }

  // Checks that the server is still running, then stops it: on POSIX with SIGTERM, which must
  // end it with exit status 0 within a few seconds.
  void stop_and_check();

private:
  std::unique_ptr<child_process> process_;
  tcp::endpoint endpoint_;
  bool stopped_ = false;
};

// How a raw exchange ended.
struct exchange_result
{
  std::string received;
  error_code ec;            // of the read that ended it: eof, connection_reset, timed_out...
  bool timed_out = false;
  milliseconds elapsed{0};

  bool closed() const { return !timed_out && ec; }
  // The status code of the response received, or 0.
  int status() const;
  std::string describe() const;
};

// Connects, sends `request` (while reading), and reads until the server closes or `limit`
// passes.
exchange_result exchange(const tcp::endpoint& server, const std::string& request,
                         milliseconds limit);

// A well-behaved GET with Connection: close; the status (0 if none) and how long it took.
struct good_result
{
  int status = 0;
  milliseconds elapsed{0};
  std::string detail;
};
good_result good_get(const tcp::endpoint& server, const std::string& target = "/hello");

// Sends `bytes` to `server` a byte every 250 ms, on a thread of its own, reading meanwhile, until
// the server cuts it off, all is sent, or `limit` passes. done() turns true when it stops; the
// results are read after join().
class trickler
{
public:
  trickler(const tcp::endpoint& server, std::string bytes, milliseconds limit);
  ~trickler();
  trickler(const trickler&) = delete;
  trickler& operator=(const trickler&) = delete;

  bool done() const { return done_; }
  void join();

  std::size_t sent = 0;       // bytes the server took
  milliseconds cut_after{0};  // when the server cut it off
  std::string how;            // how it was cut off (empty: it never was)

private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// Checks that a well-behaved client gets a 200 within good_client_limit.
void check_serves(const tcp::endpoint& server, const std::string& when);

// The server's memory now, in bytes; nullopt with the reason when it cannot be read.
std::optional<std::size_t> server_memory(server& s, std::string& why);

// The largest growth of the server's memory a case allows: far above what its connections cost
// (some KiB each), far below what a server that kept what it is sent would reach.
inline constexpr std::size_t memory_bound = 64u << 20;

std::string mib(std::size_t bytes);

// The server's memory as the base of a later check_memory(); where it cannot be read, nullopt,
// and the log says that the memory checks of the case are skipped, and why.
std::optional<std::size_t> memory_base(server& s);

// Checks that the server's memory is within memory_bound of `base`, and logs both.
void check_memory(server& s, const std::optional<std::size_t>& base, const std::string& when);

// How many connections a test may hold open at once: min(wanted, what the descriptor limit
// allows this process and the server, which inherits it), after raising the soft limit to the
// hard one; the reason for any reduction goes to `why`.
std::size_t connections_allowed(std::size_t wanted, std::string& why);

// Runs `io` until its work is done or `limit` has passed; then cancels what is pending on
// `sockets` and drains it. True if the work finished in time.
bool run_for(asio::io_context& io, const std::vector<tcp::socket*>& sockets, milliseconds limit);

} // namespace hostile

#endif
