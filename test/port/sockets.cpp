//
// test/port/sockets.cpp
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "sockets.hpp"


#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
using socklen_type = int;
#else
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
using socklen_type = socklen_t;
#endif

namespace sockn_test {

namespace {

#if defined(_WIN32)
constexpr native_socket_type bad_socket = INVALID_SOCKET;
int last_error() { return WSAGetLastError(); }
bool would_block(int e) { return e == WSAEWOULDBLOCK; }
bool in_progress(int e) { return e == WSAEWOULDBLOCK || e == WSAEINPROGRESS; }
void set_non_blocking(native_socket_type s)
{
  u_long one = 1;
  ioctlsocket(s, FIONBIO, &one);
}
int close_native(native_socket_type s) { return ::closesocket(s); }
long send_native(native_socket_type s, const void* d, std::size_t n)
{ return ::send(s, static_cast<const char*>(d), static_cast<int>(n), 0); }
long recv_native(native_socket_type s, void* d, std::size_t n)
{ return ::recv(s, static_cast<char*>(d), static_cast<int>(n), 0); }
#else
constexpr native_socket_type bad_socket = -1;
int last_error() { return errno; }
bool would_block(int e) { return e == EAGAIN || e == EWOULDBLOCK; }
bool in_progress(int e) { return e == EINPROGRESS; }
void set_non_blocking(native_socket_type s) { ::fcntl(s, F_SETFL, ::fcntl(s, F_GETFL) | O_NONBLOCK); }
int close_native(native_socket_type s) { return ::close(s); }
long send_native(native_socket_type s, const void* d, std::size_t n)
{ return ::send(s, d, n, MSG_NOSIGNAL); }
long recv_native(native_socket_type s, void* d, std::size_t n) { return ::recv(s, d, n, 0); }
#endif

[[noreturn]] void fail(const char* what)
{
  throw std::runtime_error(std::string("test socket setup: ") + what + " failed, error " +
                           std::to_string(last_error()));
}

sockaddr_in loopback(std::uint16_t port)
{
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

std::uint16_t local_port(native_socket_type s)
{
  sockaddr_in a{};
  socklen_type len = sizeof a;
  if (::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) fail("getsockname");
  return ntohs(a.sin_port);
}

socket_handle make_socket(int type)
{
  native_socket_type s = ::socket(AF_INET, type, 0);
  if (s == bad_socket) fail("socket");
  set_non_blocking(s);
  return socket_handle(s);
}

} // namespace

native_socket_type invalid_socket_value()
{
#if defined(_WIN32)
  // A handle value that is never a socket: handle values are multiples of four.
  return static_cast<native_socket_type>(0x7FFFFFF3);
#else
  return 1000000; // far above any descriptor this test opens
#endif
}

void init_sockets()
{
#if defined(_WIN32)
  static std::once_flag once;
  std::call_once(once, [] {
    WSADATA d;
    if (WSAStartup(MAKEWORD(2, 2), &d) != 0) throw std::runtime_error("WSAStartup failed");
  });
#endif
}

void socket_handle::close()
{
  if (open_)
  {
    close_native(s_);
    open_ = false;
  }
}

socket_handle tcp_listener(std::uint16_t& port)
{
  socket_handle s = make_socket(SOCK_STREAM);
  sockaddr_in a = loopback(0);
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fail("bind");
  if (::listen(s.get(), 1024) != 0) fail("listen");
  port = local_port(s.get());
  return s;
}

socket_handle tcp_connect_start(std::uint16_t port)
{
  socket_handle s = make_socket(SOCK_STREAM);
  sockaddr_in a = loopback(port);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 &&
      !in_progress(last_error()))
    fail("connect");
  return s;
}

socket_handle tcp_accept(const socket_handle& listener)
{
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;)
  {
    native_socket_type s = ::accept(listener.get(), nullptr, nullptr);
    if (s != bad_socket)
    {
      set_non_blocking(s);
      return socket_handle(s);
    }
    if (!would_block(last_error())) fail("accept");
    if (std::chrono::steady_clock::now() > end) fail("accept (timed out)");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

tcp_pair make_tcp_pair()
{
  std::uint16_t port = 0;
  socket_handle l = tcp_listener(port);
  tcp_pair p;
  p.client = tcp_connect_start(port);
  p.server = tcp_accept(l);
  // Wait until the client side sees the connection established, so tests start from a known state.
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;)
  {
    sockaddr_in peer{};
    socklen_type len = sizeof peer;
    if (::getpeername(p.client.get(), reinterpret_cast<sockaddr*>(&peer), &len) == 0) break;
    if (std::chrono::steady_clock::now() > end) fail("connect (timed out)");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return p;
}

socket_handle udp_socket(std::uint16_t& port)
{
  socket_handle s = make_socket(SOCK_DGRAM);
  sockaddr_in a = loopback(0);
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fail("bind");
  port = local_port(s.get());
  return s;
}

void udp_connect(const socket_handle& s, std::uint16_t port)
{
  sockaddr_in a = loopback(port);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fail("UDP connect");
}

void udp_send_to(const socket_handle& from, std::uint16_t port, const std::string& data)
{
  sockaddr_in a = loopback(port);
  if (::sendto(from.get(), data.data(), static_cast<int>(data.size()), 0,
               reinterpret_cast<sockaddr*>(&a), sizeof a) != static_cast<int>(data.size()))
    fail("sendto");
}

std::size_t send_some(const socket_handle& s, const void* data, std::size_t n)
{
  long r = send_native(s.get(), data, n);
  if (r < 0)
  {
    if (would_block(last_error())) return 0;
    fail("send");
  }
  return static_cast<std::size_t>(r);
}

std::size_t fill_send_buffer(const socket_handle& s)
{
  std::vector<char> chunk(64 * 1024, 'x');
  std::size_t total = 0;
  int idle_rounds = 0;
  // Loopback may accept more after a short pause as the peer's window opens; stop once sends
  // have kept blocking for a while.
  while (idle_rounds < 20)
  {
    std::size_t n = send_some(s, chunk.data(), chunk.size());
    if (n == 0)
    {
      ++idle_rounds;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    else
    {
      idle_rounds = 0;
      total += n;
    }
  }
  return total;
}

std::size_t drain(const socket_handle& s)
{
  char buf[65536];
  std::size_t total = 0;
  for (;;)
  {
    long r = recv_native(s.get(), buf, sizeof buf);
    if (r > 0)
    {
      total += static_cast<std::size_t>(r);
      continue;
    }
    if (r == 0 || would_block(last_error())) return total;
    return total; // reset or other error: nothing more to read
  }
}

void shutdown_send(const socket_handle& s)
{
#if defined(_WIN32)
  ::shutdown(s.get(), SD_SEND);
#else
  ::shutdown(s.get(), SHUT_WR);
#endif
}

void abort_close(socket_handle& s)
{
  linger l{};
  l.l_onoff = 1;
  l.l_linger = 0;
  ::setsockopt(s.get(), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&l), sizeof l);
  s.close();
}

descriptor_exhaustion::descriptor_exhaustion()
{
#if !defined(_WIN32)
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  saved_limit_ = lim.rlim_cur;
  // A low soft limit keeps this quick and leaves the hard limit alone.
  rlimit low = lim;
  low.rlim_cur = 256;
  if (::setrlimit(RLIMIT_NOFILE, &low) != 0) return;
  for (;;)
  {
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    held_.push_back(fd);
  }
  active_ = errno == EMFILE;
#endif
}

descriptor_exhaustion::~descriptor_exhaustion()
{
#if !defined(_WIN32)
  for (int fd : held_)
    ::close(fd);
  if (saved_limit_)
  {
    rlimit lim{};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = static_cast<rlim_t>(saved_limit_);
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
#endif
}

std::uint16_t unused_tcp_port()
{
  socket_handle s = make_socket(SOCK_STREAM);
  sockaddr_in a = loopback(0);
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fail("bind");
  return local_port(s.get()); // closed on return: nothing listens there
}

} // namespace sockn_test
