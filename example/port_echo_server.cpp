//
// example/port_echo_server.cpp
//
// A TCP echo server driven directly by boost_sockn::notification_port: non-blocking sockets,
// level|oneshot registrations, and every re-arm, new registration and removal of one loop turn
// applied together in the next process() call (the batching that ProcessSocketNotifications is
// designed for).
//
// Usage:
//   port_echo_server [PORT]       listen on 127.0.0.1:PORT (default 8080) until SIGINT/SIGTERM
//   port_echo_server --self-test  listen on an ephemeral port, echo through a few clients of its
//                                 own (small and large messages), check the bytes, exit 0 if right
//   (--once is a synonym of --self-test)
//
// The backend is chosen as backend_kind::automatic does: psn or afd on Windows, epoll on Linux;
// the environment variable BOOST_SOCKN_BACKEND=psn|afd|epoll forces one.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/notification_port.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

//--------------------------------------------------------------------------------------------------
// The operating-system differences, all of them.
//--------------------------------------------------------------------------------------------------

#if defined(_WIN32)

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

namespace os {

using socket_t = SOCKET;
const socket_t invalid_socket = INVALID_SOCKET;
constexpr int shut_wr = SD_SEND;
constexpr int send_flags = 0;

inline int last_error() { return ::WSAGetLastError(); }
inline bool would_block(int e) { return e == WSAEWOULDBLOCK; }
inline bool interrupted(int e) { return e == WSAEINTR; }
inline void close_socket(socket_t s) { ::closesocket(s); }

inline bool set_non_blocking(socket_t s)
{
  u_long on = 1;
  return ::ioctlsocket(s, FIONBIO, &on) == 0;
}

// SO_REUSEADDR lets another process steal the port on Windows: leave the default.
inline void allow_quick_rebind(socket_t) {}

inline long recv_some(socket_t s, char* p, std::size_t n)
{
  return ::recv(s, p, static_cast<int>(n < INT_MAX ? n : INT_MAX), 0);
}

inline long send_some(socket_t s, const char* p, std::size_t n)
{
  return ::send(s, p, static_cast<int>(n < INT_MAX ? n : INT_MAX), send_flags);
}

struct network
{
  bool ok = false;
  network()
  {
    WSADATA data;
    ok = ::WSAStartup(MAKEWORD(2, 2), &data) == 0;
  }
  ~network()
  {
    if (ok) ::WSACleanup();
  }
};

std::atomic<bool> stop_requested{false};

inline BOOL WINAPI on_console_event(DWORD type)
{
  if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT || type == CTRL_CLOSE_EVENT)
  {
    stop_requested = true;
    return TRUE;
  }
  return FALSE;
}

inline void install_stop_handlers() { ::SetConsoleCtrlHandler(&on_console_event, TRUE); }

} // namespace os

#else // POSIX (Linux)

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace os {

using socket_t = int;
const socket_t invalid_socket = -1;
constexpr int shut_wr = SHUT_WR;
constexpr int send_flags = MSG_NOSIGNAL; // a peer that went away gives EPIPE, not SIGPIPE

inline int last_error() { return errno; }
inline bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }
inline bool interrupted(int e) { return e == EINTR; }
inline void close_socket(socket_t s) { ::close(s); }

inline bool set_non_blocking(socket_t s)
{
  int flags = ::fcntl(s, F_GETFL, 0);
  return flags >= 0 && ::fcntl(s, F_SETFL, flags | O_NONBLOCK) == 0;
}

inline void allow_quick_rebind(socket_t s)
{
  int on = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
}

inline long recv_some(socket_t s, char* p, std::size_t n) { return ::recv(s, p, n, 0); }
inline long send_some(socket_t s, const char* p, std::size_t n)
{
  return ::send(s, p, n, send_flags);
}

struct network
{
  bool ok = true;
};

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" inline void on_signal(int) { stop_requested = true; }

inline void install_stop_handlers()
{
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = &on_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

} // namespace os

#endif

//--------------------------------------------------------------------------------------------------
// Portable from here on.
//--------------------------------------------------------------------------------------------------

namespace {

using boost_sockn::event;
using boost_sockn::notification;
using boost_sockn::notification_port;
using boost_sockn::registration;
using boost_sockn::trigger;

std::string error_text(int e)
{
  return boost::system::error_code(e, boost::system::system_category()).message();
}

// printf to stdout, one line, flushed at once (the output is often a pipe or a log file).
void say(const char* fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  std::vfprintf(stdout, fmt, args);
  va_end(args);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

boost_sockn::native_socket_type native(os::socket_t s)
{
  return static_cast<boost_sockn::native_socket_type>(s);
}

// Opens a non-blocking listening socket on 127.0.0.1:port; port 0 picks a free one, and `port`
// then receives it.
os::socket_t open_listener(unsigned short& port, std::string& err)
{
  os::socket_t s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == os::invalid_socket)
  {
    err = "socket: " + error_text(os::last_error());
    return s;
  }
  os::allow_quick_rebind(s);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  socklen_t len = sizeof addr;
  if (::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    err = "bind 127.0.0.1:" + std::to_string(port) + ": " + error_text(os::last_error());
  else if (::listen(s, SOMAXCONN) != 0)
    err = "listen: " + error_text(os::last_error());
  else if (::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    err = "getsockname: " + error_text(os::last_error());
  else if (!os::set_non_blocking(s))
    err = "set non-blocking: " + error_text(os::last_error());
  if (!err.empty())
  {
    os::close_socket(s);
    return os::invalid_socket;
  }
  port = ntohs(addr.sin_port);
  return s;
}

//--------------------------------------------------------------------------------------------------
// The server.
//--------------------------------------------------------------------------------------------------

class echo_server
{
public:
  static constexpr std::uintptr_t listener_key = 1;
  static constexpr std::uintptr_t wake_key = 2; // post()ed to interrupt a wait
  static constexpr trigger triggers = trigger::level | trigger::oneshot;

  echo_server(notification_port& port, os::socket_t listener) : port_(port), listener_(listener)
  {
    queue(registration::enable(native(listener_), listener_key, event::in, triggers), listener_key);
  }

  ~echo_server()
  {
    // Closing the port ends every registration (without remove notifications); then the sockets.
    port_.close();
    for (auto& c : conns_)
      if (c.second.sock != os::invalid_socket) os::close_socket(c.second.sock);
    os::close_socket(listener_);
  }

  // One turn of the loop: apply the pending registrations, wait up to `timeout`, handle what
  // arrived. Returns false if the port failed.
  bool run_once(std::chrono::milliseconds timeout)
  {
    notification notifs[64];
    std::vector<registration> regs;
    std::vector<std::uintptr_t> keys;
    regs.swap(pending_);
    keys.swap(pending_keys_);
    boost::system::error_code ec;
    std::size_t n = port_.process(regs.data(), regs.size(), notifs, 64, timeout, ec);
    ++calls_;
    registrations_ += regs.size();
    notifications_ += n;
    if (ec)
    {
      say("process() failed: %s", ec.message().c_str());
      return false;
    }
    for (std::size_t i = 0; i < regs.size(); ++i)
      check_result(regs[i], keys[i]);
    for (std::size_t i = 0; i < n; ++i)
      dispatch(notifs[i]);
    return true;
  }

  std::size_t connections() const { return conns_.size(); }
  std::size_t accepted() const { return accepted_; }
  bool failed() const { return failed_; }

  void print_statistics() const
  {
    say("statistics: %llu process() calls, %llu registration entries, %llu notifications, "
        "%llu connections",
        static_cast<unsigned long long>(calls_), static_cast<unsigned long long>(registrations_),
        static_cast<unsigned long long>(notifications_),
        static_cast<unsigned long long>(accepted_));
  }

private:
  struct connection
  {
    std::uintptr_t key = 0;
    os::socket_t sock = os::invalid_socket;
    std::string out;          // received, not yet echoed
    std::size_t out_pos = 0;  // bytes of `out` already sent
    std::uint64_t echoed = 0;
    bool removing = false;    // a remove entry is pending or applied; wait for event::remove
    const char* why = "";
  };

  // Entries go to the next process() call; `key` names the connection the entry is about.
  void queue(const registration& r, std::uintptr_t key)
  {
    pending_.push_back(r);
    pending_keys_.push_back(key);
  }

  void check_result(const registration& r, std::uintptr_t key)
  {
    if (key == listener_key)
    {
      if (r.result)
      {
        say("cannot register the listening socket: %s", r.result.message().c_str());
        failed_ = true;
      }
      return;
    }
    auto it = conns_.find(key);
    if (it == conns_.end()) return;
    if (!r.result)
      return; // a removed socket is closed when its remove notification arrives (dispatch)
    // Give up on the connection: closing the socket ends any registration it still has (silently,
    // as closesocket does with PSN), and keys are never reused, so whatever might still arrive
    // for this one is ignored.
    say("[conn %llu] registration failed: %s", static_cast<unsigned long long>(it->first),
        r.result.message().c_str());
    if (it->second.sock != os::invalid_socket) os::close_socket(it->second.sock);
    conns_.erase(it);
  }

  void dispatch(const notification& n)
  {
    if (n.key == wake_key) return;
    if (n.key == listener_key)
    {
      accept_all();
      queue(registration::enable(native(listener_), listener_key, event::in, triggers),
            listener_key);
      return;
    }
    auto it = conns_.find(n.key);
    if (it == conns_.end()) return;
    connection& c = it->second;
    if (boost_sockn::has(n.events, event::remove))
    {
      // The last notification for this key: the socket may be closed and the state may go
      // (Microsoft's protocol: remove, wait for the remove notification, then close; a socket
      // closed earlier may lose its remove notification).
      say("[conn %llu] closed (%s), %llu bytes echoed", static_cast<unsigned long long>(n.key),
          c.why, static_cast<unsigned long long>(c.echoed));
      if (c.sock != os::invalid_socket) os::close_socket(c.sock);
      conns_.erase(it);
      return;
    }
    if (c.removing) return;

    const bool error_reported = boost_sockn::has(n.events, event::error);
    bool progressed = c.out_pos < c.out.size() ? flush(c) : read_and_echo(c);
    if (c.removing) return;
    if (error_reported && !progressed)
    {
      begin_remove(c, "socket error");
      return;
    }
    // Re-arm for what the connection waits for now; applied by the next process() call. A read
    // asks for hangup too: PSN reports a peer's orderly close only to a filter that holds it.
    const event want = c.out_pos < c.out.size() ? event::out : event::in | event::hangup;
    queue(registration::enable(native(c.sock), c.key, want, triggers), c.key);
  }

  void accept_all()
  {
    for (int i = 0; i < 64; ++i)
    {
      os::socket_t s = ::accept(listener_, nullptr, nullptr);
      if (s == os::invalid_socket)
      {
        int e = os::last_error();
        if (!os::would_block(e) && !os::interrupted(e))
          say("accept: %s", error_text(e).c_str());
        return;
      }
      if (!os::set_non_blocking(s))
      {
        say("accept: cannot make the socket non-blocking: %s", error_text(os::last_error()).c_str());
        os::close_socket(s);
        continue;
      }
      std::uintptr_t key = next_key_++;
      connection& c = conns_[key];
      c.key = key;
      c.sock = s;
      ++accepted_;
      say("[conn %llu] accepted", static_cast<unsigned long long>(key));
      queue(registration::enable(native(s), key, event::in | event::hangup, triggers), key);
    }
  }

  // Reads what is there and echoes it; stops at would-block, at unsent output or after a few
  // rounds (level triggering brings us back). Returns true if anything happened.
  bool read_and_echo(connection& c)
  {
    char buf[16384];
    bool progressed = false;
    for (int round = 0; round < 16; ++round)
    {
      long got = os::recv_some(c.sock, buf, sizeof buf);
      if (got == 0)
      {
        begin_remove(c, "end of stream");
        return true;
      }
      if (got < 0)
      {
        int e = os::last_error();
        if (os::interrupted(e)) continue;
        if (!os::would_block(e))
        {
          say("[conn %llu] recv: %s", static_cast<unsigned long long>(c.key),
              error_text(e).c_str());
          begin_remove(c, "receive error");
          return true;
        }
        return progressed;
      }
      progressed = true;
      c.out.assign(buf, static_cast<std::size_t>(got));
      c.out_pos = 0;
      flush(c);
      if (c.removing || c.out_pos < c.out.size()) return true; // wait for event::out
    }
    return progressed;
  }

  // Sends the unsent output. Returns true if anything happened.
  bool flush(connection& c)
  {
    bool progressed = false;
    while (c.out_pos < c.out.size())
    {
      long sent = os::send_some(c.sock, c.out.data() + c.out_pos, c.out.size() - c.out_pos);
      if (sent < 0)
      {
        int e = os::last_error();
        if (os::interrupted(e)) continue;
        if (os::would_block(e)) return progressed;
        say("[conn %llu] send: %s", static_cast<unsigned long long>(c.key),
            error_text(e).c_str());
        begin_remove(c, "send error");
        return true;
      }
      progressed = true;
      c.out_pos += static_cast<std::size_t>(sent);
      c.echoed += static_cast<std::uint64_t>(sent);
    }
    c.out.clear();
    c.out_pos = 0;
    return progressed;
  }

  // Queues the removal; the socket is closed and the state freed on the remove notification
  // (dispatch).
  void begin_remove(connection& c, const char* why)
  {
    c.removing = true;
    c.why = why;
    queue(registration::remove(native(c.sock), c.key), c.key);
  }

  notification_port& port_;
  os::socket_t listener_;
  std::map<std::uintptr_t, connection> conns_;
  std::vector<registration> pending_;        // applied by the next process() call
  std::vector<std::uintptr_t> pending_keys_; // the key each pending entry is about
  std::uintptr_t next_key_ = 16;
  std::uint64_t calls_ = 0, registrations_ = 0, notifications_ = 0, accepted_ = 0;
  bool failed_ = false;
};

//--------------------------------------------------------------------------------------------------
// The self-test clients (blocking sockets, one sender thread each so that a large message cannot
// deadlock against the server's echo).
//--------------------------------------------------------------------------------------------------

bool run_client(unsigned short port, const std::string& message, std::string& err)
{
  os::socket_t s = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == os::invalid_socket)
  {
    err = "socket: " + error_text(os::last_error());
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
  {
    err = "connect: " + error_text(os::last_error());
    os::close_socket(s);
    return false;
  }

  std::string send_error;
  std::thread sender([&] {
    std::size_t done = 0;
    while (done < message.size())
    {
      long n = ::send(s, message.data() + done,
                      static_cast<int>(message.size() - done < 65536 ? message.size() - done : 65536),
                      os::send_flags);
      if (n < 0)
      {
        int e = os::last_error();
        if (os::interrupted(e)) continue;
        send_error = "send: " + error_text(e);
        return;
      }
      done += static_cast<std::size_t>(n);
    }
    ::shutdown(s, os::shut_wr); // the server sees end of stream after the last byte
  });

  std::string received;
  std::vector<char> buf(65536);
  for (;;)
  {
    long n = ::recv(s, buf.data(), static_cast<int>(buf.size()), 0);
    if (n == 0) break;
    if (n < 0)
    {
      int e = os::last_error();
      if (os::interrupted(e)) continue;
      err = "recv: " + error_text(e);
      break;
    }
    received.append(buf.data(), static_cast<std::size_t>(n));
  }
  sender.join();
  os::close_socket(s);
  if (err.empty() && !send_error.empty()) err = send_error;
  if (!err.empty()) return false;
  if (received != message)
  {
    err = "echo mismatch: sent " + std::to_string(message.size()) + " bytes, received " +
          std::to_string(received.size());
    return false;
  }
  return true;
}

std::string make_message(std::size_t size, unsigned seed)
{
  std::string m(size, '\0');
  std::uint32_t x = 2463534242u ^ seed;
  for (char& ch : m)
  {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    ch = static_cast<char>(x);
  }
  return m;
}

void usage(const char* argv0)
{
  std::printf("usage: %s [PORT] [--self-test|--once]\n"
              "  PORT         port on 127.0.0.1 to listen on (default 8080; 0 picks a free one)\n"
              "  --self-test  echo through clients of its own, check the result, exit (0 = ok)\n"
              "environment: BOOST_SOCKN_BACKEND=psn|afd|epoll forces a backend\n",
              argv0);
}

} // namespace

int main(int argc, char** argv)
{
  bool self_test = false;
  bool port_given = false;
  unsigned long port_arg = 8080;
  for (int i = 1; i < argc; ++i)
  {
    std::string a = argv[i];
    if (a == "--self-test" || a == "--once")
      self_test = true;
    else if (a == "-h" || a == "--help")
    {
      usage(argv[0]);
      return 0;
    }
    else
    {
      char* end = nullptr;
      port_arg = std::strtoul(a.c_str(), &end, 10);
      if (a.empty() || *end || port_arg > 65535)
      {
        usage(argv[0]);
        return 2;
      }
      port_given = true;
    }
  }
  unsigned short port = static_cast<unsigned short>(self_test && !port_given ? 0 : port_arg);

  os::network net;
  if (!net.ok)
  {
    std::fprintf(stderr, "cannot initialise the socket library\n");
    return 1;
  }

  notification_port nport;
  try
  {
    nport.open(boost_sockn::backend_kind::automatic);
  }
  catch (const boost::system::system_error& e)
  {
    std::fprintf(stderr, "cannot open a notification port: %s\n", e.what());
    return 1;
  }

  std::string err;
  os::socket_t listener = open_listener(port, err);
  if (listener == os::invalid_socket)
  {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  os::install_stop_handlers();

  say("boost_sockn port_echo_server: backend %s, listening on 127.0.0.1:%u",
      boost_sockn::to_string(nport.backend()), static_cast<unsigned>(port));
  if (!self_test) say("try: nc 127.0.0.1 %u   (Ctrl+C stops the server)", static_cast<unsigned>(port));

  echo_server server(nport, listener);

  // A signal handler may not call notification_port::post() (it takes a lock), so the loop
  // wakes up at least every 250 ms to look at the stop flag. The self-test clients post().
  const auto tick = std::chrono::milliseconds(250);

  if (!self_test)
  {
    while (!os::stop_requested && !server.failed())
      if (!server.run_once(tick)) return 1;
    say("stopping");
    server.print_statistics();
    return server.failed() ? 1 : 0;
  }

  // Self-test: clients of increasing size, concurrently; a small one, one that fits the socket
  // buffers and one that does not (so the server must wait for event::out).
  const std::size_t sizes[] = {13, 64 * 1024, 4 * 1024 * 1024};
  const std::size_t nclients = sizeof sizes / sizeof sizes[0];
  std::atomic<std::size_t> finished{0};
  std::vector<std::string> errors(nclients);
  std::vector<int> ok(nclients, 0);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < nclients; ++i)
    clients.emplace_back([&, i] {
      std::string m = i == 0 ? std::string("hello, port!\n") : make_message(sizes[i], unsigned(i));
      ok[i] = run_client(port, m, errors[i]) ? 1 : 0;
      ++finished;
      boost::system::error_code ec;
      nport.post(echo_server::wake_key, event::in, ec); // wake the server loop at once
    });

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool timed_out = false;
  // Done when every client has its echo and the server has seen every remove notification.
  while (!(finished == nclients && server.connections() == 0))
  {
    if (os::stop_requested || server.failed() || !server.run_once(tick)) break;
    if (std::chrono::steady_clock::now() > deadline)
    {
      timed_out = true;
      break;
    }
  }
  if (timed_out || finished != nclients)
  {
    std::fprintf(stderr, "self-test FAILED: %s (%zu of %zu clients finished, %zu connections open)\n",
                 timed_out ? "timed out" : "server loop ended", finished.load(), nclients,
                 server.connections());
    std::fflush(stderr);
    std::_Exit(1); // client threads may still be blocked in recv
  }
  for (auto& t : clients)
    t.join();

  bool all_ok = true;
  for (std::size_t i = 0; i < nclients; ++i)
    if (!ok[i])
    {
      all_ok = false;
      std::fprintf(stderr, "self-test client %zu (%zu bytes) FAILED: %s\n", i, sizes[i],
                   errors[i].c_str());
    }
  if (server.accepted() != nclients)
  {
    all_ok = false;
    std::fprintf(stderr, "self-test FAILED: the server accepted %zu connections, expected %zu\n",
                 server.accepted(), nclients);
  }
  server.print_statistics();
  say("self-test %s: %zu clients on backend %s", all_ok ? "passed" : "FAILED", nclients,
      boost_sockn::to_string(nport.backend()));
  return all_ok ? 0 : 1;
}
