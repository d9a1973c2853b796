//
// test/port/sockets.hpp
//
// Plain loopback sockets for the conformance suite. The suite talks to the port contract only;
// these helpers are the one place in the tests where Windows and POSIX socket calls differ.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_PORT_SOCKETS_HPP
#define BOOST_SOCKN_TEST_PORT_SOCKETS_HPP

#include <boost_sockn/notification_port.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sockn_test {

using boost_sockn::native_socket_type;

/// A value that is not an open socket on this system.
native_socket_type invalid_socket_value();

/// Starts the socket library (WSAStartup) once; a no-op on POSIX.
void init_sockets();

/// An owned, non-blocking socket; closes on destruction.
class socket_handle
{
public:
  socket_handle() = default;
  explicit socket_handle(native_socket_type s) : s_(s), open_(true) {}
  socket_handle(socket_handle&& o) noexcept : s_(o.s_), open_(std::exchange(o.open_, false)) {}
  socket_handle& operator=(socket_handle&& o) noexcept
  {
    if (this != &o)
    {
      close();
      s_ = o.s_;
      open_ = std::exchange(o.open_, false);
    }
    return *this;
  }
  ~socket_handle() { close(); }

  native_socket_type get() const { return s_; }
  bool is_open() const { return open_; }
  void close();

private:
  native_socket_type s_{};
  bool open_ = false;
};

/// A TCP listener on 127.0.0.1 with an ephemeral port.
socket_handle tcp_listener(std::uint16_t& port);
/// Starts a non-blocking connect to 127.0.0.1:port; the connect is usually still in progress.
socket_handle tcp_connect_start(std::uint16_t port);
/// Accepts one connection, waiting up to two seconds; the accepted socket is non-blocking.
socket_handle tcp_accept(const socket_handle& listener);

struct tcp_pair
{
  socket_handle client;
  socket_handle server;
};
/// A connected loopback TCP pair, both ends non-blocking.
tcp_pair make_tcp_pair();

/// A non-blocking UDP socket bound to 127.0.0.1 with an ephemeral port.
socket_handle udp_socket(std::uint16_t& port);
/// Connects a UDP socket to 127.0.0.1:port (its sends then report the port's unreachability).
void udp_connect(const socket_handle& s, std::uint16_t port);
/// Sends one datagram to 127.0.0.1:port.
void udp_send_to(const socket_handle& from, std::uint16_t port, const std::string& data);

/// A bound UDP receiver and a sender aimed at it: the conformance suite's usual subject.
struct udp_link
{
  std::uint16_t port = 0;
  socket_handle rx = udp_socket(port);
  std::uint16_t sender_port = 0;
  socket_handle tx = udp_socket(sender_port);

  /// Makes `rx` readable with one datagram.
  void send(const std::string& data) const { udp_send_to(tx, port, data); }
};

/// Sends what fits; returns the number of bytes sent (0 when it would block).
std::size_t send_some(const socket_handle& s, const void* data, std::size_t n);
/// Fills the socket's send path until a send would block; returns the bytes sent.
std::size_t fill_send_buffer(const socket_handle& s);
/// Reads until the read would block or the stream ends; returns the bytes read.
std::size_t drain(const socket_handle& s);

void shutdown_send(const socket_handle& s);
/// Closes with SO_LINGER {on, 0}, so the peer sees a reset.
void abort_close(socket_handle& s);

/// Uses up this process's descriptors (POSIX) while alive; on Windows there is no such limit and
/// `active()` is false.
class descriptor_exhaustion
{
public:
  descriptor_exhaustion();
  ~descriptor_exhaustion();
  descriptor_exhaustion(const descriptor_exhaustion&) = delete;
  descriptor_exhaustion& operator=(const descriptor_exhaustion&) = delete;
  bool active() const { return active_; }

private:
  bool active_ = false;
  unsigned long long saved_limit_ = 0;
  std::vector<int> held_;
};

/// A loopback TCP port on which nothing listens (bound, then closed).
std::uint16_t unused_tcp_port();

} // namespace sockn_test

#endif
