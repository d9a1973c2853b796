//
// test/support/support.hpp
//
// Utilities shared by the I/O object tests (socket, acceptor, UDP, tokens, reactor, watcher,
// Beast): running an io_context with a time limit (a hang fails the case instead of stalling CI),
// loopback connections, counters of open descriptors and resident memory, seeded byte streams and
// chunk sizes, and one recorder for what completion handlers receive.
//
// Boost.Test assertions are not thread-safe: handlers running on io threads only record what
// happened, and the test body checks it on the main thread after the io threads were joined.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_SUPPORT_SUPPORT_HPP
#define BOOST_SOCKN_TEST_SUPPORT_SUPPORT_HPP


#include "support/environment.hpp"
#include "support/net.hpp"

#include <boost/asio.hpp>
#include <boost/optional.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace sockn_test {

namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

/// The error codes the cases compare with most.
inline const error_code aborted = asio::error::make_error_code(asio::error::operation_aborted);
inline const error_code bad_descriptor = asio::error::make_error_code(asio::error::bad_descriptor);
inline const error_code invalid_argument =
    asio::error::make_error_code(asio::error::invalid_argument);
inline const error_code eof_error = asio::error::make_error_code(asio::error::eof);

/// How long a case may wait for something that must happen. Generous: Wine routes every socket
/// call through the wineserver and the sanitizers slow everything down severalfold.
constexpr std::chrono::seconds patience = 60s;

//--------------------------------------------------------------------------------------------------
// Running an io_context
//--------------------------------------------------------------------------------------------------

/// Runs `ioc` (restarted first) until it runs out of work, on the calling thread and `threads` - 1
/// new ones: with one thread, handlers run where the case's checks do. Returns false if that took
/// longer than `limit`: the context is then stopped, so the case fails on its own checks. Aborts
/// the process if the threads do not return even after the stop. An exception escaping a handler
/// is rethrown here, on the caller's thread.
bool run_for(asio::io_context& ioc, unsigned threads = 1, std::chrono::seconds limit = patience);

/// Runs `ioc` (restarted first) on the calling thread, one handler at a time, until `done()`
/// holds; false if it did not within `limit`. For cases that leave other work pending.
bool run_until(asio::io_context& ioc, const std::function<bool()>& done,
               std::chrono::seconds limit = patience);

/// Lets `ioc` (restarted first) run on the calling thread for `span`, whatever is left pending:
/// for the checks that something has not happened (yet).
void run_briefly(asio::io_context& ioc, std::chrono::milliseconds span = 150ms);

/// `threads` threads running `ioc` (restarted first) with a work guard, for cases that act on
/// sockets from the test thread while the context runs elsewhere.
class io_threads
{
public:
  io_threads(asio::io_context& ioc, unsigned threads);
  ~io_threads();
  io_threads(const io_threads&) = delete;
  io_threads& operator=(const io_threads&) = delete;

  /// Drops the work guard and waits for the threads to finish the remaining work; false (after
  /// stopping the context) if that takes longer than `limit`.
  bool join(std::chrono::seconds limit = patience);

private:
  asio::io_context& ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
  std::mutex m_;
  std::condition_variable cv_;
  unsigned finished_ = 0;
  std::exception_ptr error_;
  bool joined_ = false;
};

/// Aborts the process, saying what hung, unless destroyed within `limit`: the last resort for
/// blocking (synchronous) calls, which no io_context stop can interrupt.
class watchdog
{
public:
  explicit watchdog(std::string what, std::chrono::seconds limit = patience);
  ~watchdog();
  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

private:
  std::string what_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

//--------------------------------------------------------------------------------------------------
// Loopback connections
//--------------------------------------------------------------------------------------------------

inline asio::ip::tcp::endpoint tcp_loopback(unsigned short port = 0)
{
  return asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port);
}

inline asio::ip::udp::endpoint udp_loopback(unsigned short port = 0)
{
  return asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), port);
}

/// Connects two closed sockets of the library under test to each other over 127.0.0.1 with the
/// blocking calls: `client` connects, `server` is accepted. The sockets keep their executors, so
/// each may have its own (tcp_pair's share one).
template <typename Client, typename Server>
void connect_pair(Client& client, Server& server)
{
  net_under_test::tcp::acceptor acceptor(client.get_executor(), tcp_loopback());
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);
}

/// A connected loopback pair: `client` connected with the blocking call to `server`, which
/// `acceptor` accepted. The acceptor stays open and listening, for cases that accept more.
/// `Tcp` says whose sockets these are: the library under test's (tcp_pair), or plain Asio's for
/// the cases about sockets the library does not own.
template <typename Tcp>
class basic_tcp_pair
{
  // Declared first, so that it exists before the sockets built on it.
  std::unique_ptr<asio::io_context> owner_;

public:
  /// The sockets on `e`, an execution context or an executor.
  template <typename ExecutionContextOrExecutor>
  explicit basic_tcp_pair(ExecutionContextOrExecutor&& e)
    : acceptor(e, tcp_loopback()), client(e), server(e)
  {
    connect();
  }

  /// The sockets on an io_context of the pair's own that nobody runs: they are for blocking
  /// calls only, as those of a program that watches another library's sockets.
  basic_tcp_pair()
    : owner_(std::make_unique<asio::io_context>()), acceptor(*owner_, tcp_loopback()),
      client(*owner_), server(*owner_)
  {
    connect();
  }

  typename Tcp::acceptor acceptor;
  typename Tcp::socket client;
  typename Tcp::socket server;

private:
  void connect()
  {
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
};

using tcp_pair = basic_tcp_pair<net_under_test::tcp>;

/// Writes all of `text` with the blocking call.
template <typename SyncWriteStream>
void send_text(SyncWriteStream& s, const std::string& text)
{
  asio::write(s, asio::buffer(text));
}

/// A TCP endpoint on 127.0.0.1 on which nothing listens (a port that was just released).
asio::ip::tcp::endpoint closed_tcp_endpoint();

//--------------------------------------------------------------------------------------------------
// Process resources
//--------------------------------------------------------------------------------------------------

/// Open descriptors (/proc/self/fd) on Linux, open handles (GetProcessHandleCount) on Windows;
/// -1 if the system does not say.
long open_descriptors();

/// The descriptors that stand for files and sockets: on POSIX every open descriptor, on Windows
/// the handles to File objects (sockets, the afd backend's helper handles, files). Unlike
/// open_descriptors(), it leaves out the events and semaphores Windows and Wine create lazily,
/// the first time a lock is contended or a thread does some call; -1 if the system does not say.
long open_files();

/// Resident set size in bytes (working set on Windows); 0 if the system does not say.
std::size_t resident_bytes();

/// Whether this process runs under Wine (ntdll exports wine_get_version there).
bool on_wine();

/// CPU time this process has used, user and system together, in seconds; negative if the
/// system does not say.
double process_cpu_seconds();

/// Makes sure the process may hold `count` more descriptors than it has now, raising the soft
/// limit if needed; false, with the reason, if it cannot.
bool descriptor_room(std::size_t count, std::string& why);

/// Whether a sanitizer is compiled in (they keep freed memory in quarantine and grow shadow
/// memory, so resident size says nothing about leaks under them).
constexpr bool sanitized()
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

//--------------------------------------------------------------------------------------------------
// Seeded data
//--------------------------------------------------------------------------------------------------

/// An endless pseudo-random byte stream: the byte at any offset is a function of (seed, offset),
/// so a reader can verify whatever slice it received without keeping the writer's data.
class byte_stream
{
public:
  explicit byte_stream(std::uint64_t seed) : seed_(seed) {}

  void fill(std::uint64_t offset, unsigned char* out, std::size_t n) const;
  /// Index of the first byte of `data` that differs from the stream at `offset`, or n.
  std::size_t mismatch(std::uint64_t offset, const unsigned char* data, std::size_t n) const;

private:
  std::uint64_t word(std::uint64_t index) const;
  std::uint64_t seed_;
};

/// Random chunk sizes in [1, max], spread evenly over the powers of two, so that single bytes and
/// whole buffers both occur often.
class chunker
{
public:
  chunker(std::uint64_t seed, std::size_t max) : rng_(seed), max_(max) {}
  std::size_t next();

private:
  std::mt19937_64 rng_;
  std::size_t max_;
};

//--------------------------------------------------------------------------------------------------
// Outcome recorders
//--------------------------------------------------------------------------------------------------

/// What the completions of one handler delivered; each one overwrites what the previous one left,
/// apart from the flags. Read it only after the io threads were joined (or on the thread that ran
/// the handler).
struct outcome
{
  int calls = 0;
  error_code ec;
  /// The byte count of a read or write.
  std::size_t bytes = 0;
  /// What a move-accept delivered: a socket, whether it was open, and its peer.
  bool got_socket = false;
  bool socket_open = false;
  asio::ip::tcp::endpoint socket_remote;
  /// Set when the handler ran before the initiating function had returned (see recorder).
  bool ran_inside_initiation = false;
  /// Whatever else a case wants to observe inside the handler, such as running in a strand.
  bool flag = false;
  /// The thread the handler ran on.
  std::thread::id thread;

  /// Notes one completion: (error_code), (error_code, size_t), or (error_code, socket).
  template <typename... Args>
  void record(const error_code& e, Args&&... args)
  {
    static_assert(sizeof...(Args) <= 1, "a completion with more than one value after the error");
    ++calls;
    ec = e;
    thread = std::this_thread::get_id();
    bytes = 0;
    got_socket = socket_open = false;
    socket_remote = {};
    (note(std::forward<Args>(args)), ...);
  }

private:
  template <typename Arg>
  void note(Arg&& arg)
  {
    if constexpr (std::is_integral_v<std::decay_t<Arg>>)
    {
      bytes = static_cast<std::size_t>(arg);
    }
    else
    {
      got_socket = true;
      socket_open = arg.is_open();
      if (socket_open)
      {
        error_code ignored;
        socket_remote = arg.remote_endpoint(ignored);
      }
    }
  }
};

/// A completion handler of any of the signatures outcome::record takes, recording into `out`.
/// `initiating` (optional) is true while the initiating function runs.
struct recorder
{
  outcome* out;
  const bool* initiating = nullptr;

  template <typename... Args>
  void operator()(const error_code& ec, Args&&... args) const
  {
    if (initiating && *initiating)
      out->ran_inside_initiation = true;
    out->record(ec, std::forward<Args>(args)...);
  }
};

inline recorder record(outcome& o) { return recorder{&o}; }

/// A move-accept's outcome that also keeps the accepted socket, for the case to use it.
template <typename Socket>
struct accept_outcome : outcome
{
  boost::optional<Socket> socket;
};

/// A move-accept handler recording into `o`; `initiating` as for recorder.
template <typename Socket>
auto record_accept(accept_outcome<Socket>& o, const bool* initiating = nullptr)
{
  return [&o, initiating](const error_code& ec, Socket s) {
    recorder{&o, initiating}(ec, s);
    o.socket.emplace(std::move(s));
  };
}

} // namespace sockn_test

#endif // BOOST_SOCKN_TEST_SUPPORT_SUPPORT_HPP
