//
// test/udp/load.cpp
//
// Many datagrams on an io_context run by two threads: several clients each keep a window of
// datagrams in flight to their own echo server and verify every echo. The window stays far below
// the receive buffer, so loopback drops nothing and every datagram must come back.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

namespace {

using namespace sockn_test;
using udp = net_under_test::udp;

constexpr std::size_t clients = 4;
constexpr std::uint32_t datagrams_per_client = 2500;
constexpr std::uint32_t window = 16;
constexpr std::size_t max_payload = 1024;

// Receives and sends back, one datagram at a time (so its operations never overlap).
class echo_server
{
public:
  // On a strand, so that closing it from elsewhere is serialized with its own handlers.
  explicit echo_server(asio::io_context& ioc) : socket(asio::make_strand(ioc), udp_loopback()) {}

  void start()
  {
    if (stopping_)
      return;
    socket.async_receive_from(asio::buffer(buf_), from_, [this](const error_code& ec, std::size_t n) {
      if (ec)
      {
        if (!(stopping_ && ec == asio::error::operation_aborted))
          error = ec;
        return;
      }
      socket.async_send_to(asio::buffer(buf_.data(), n), from_, [this](const error_code& e, std::size_t) {
        if (e)
        {
          if (!(stopping_ && e == asio::error::operation_aborted))
            error = e;
          return;
        }
        ++echoed;
        start();
      });
    });
  }

  // Closes the socket on its strand, after whatever handler of it is running.
  void stop()
  {
    asio::post(socket.get_executor(), [this] {
      stopping_ = true;
      socket.close();
    });
  }

  udp::socket socket;
  std::size_t echoed = 0;
  error_code error;

private:
  std::array<unsigned char, max_payload + 8> buf_{};
  udp::endpoint from_;
  bool stopping_ = false;
};

// Sends numbered datagrams with seeded payloads, `window` at a time, and checks each echo. Its
// socket runs on a strand: the receive chain and the sends share it and the bookkeeping.
class client
{
public:
  client(asio::io_context& ioc, std::uint64_t seed, udp::endpoint server,
         std::function<void()> on_done)
    : socket(asio::make_strand(ioc), udp_loopback()), server_(server), data_(seed),
      sizes_(seed + 1, max_payload), seen_(datagrams_per_client, false), on_done_(std::move(on_done))
  {
  }

  void start()
  {
    receive();
    for (std::uint32_t i = 0; i < window; ++i)
      send_next();
  }

  udp::socket socket;
  std::uint32_t received = 0;
  std::uint32_t bad = 0;
  error_code error;

private:
  void send_next()
  {
    if (next_ == datagrams_per_client)
      return;
    const std::uint32_t seq = next_++;
    const std::size_t len = sizes_.next();
    auto d = std::make_shared<std::vector<unsigned char>>(8 + len);
    std::memcpy(d->data(), &seq, 4);
    const std::uint32_t l = static_cast<std::uint32_t>(len);
    std::memcpy(d->data() + 4, &l, 4);
    data_.fill(std::uint64_t(seq) * max_payload, d->data() + 8, len);
    socket.async_send_to(asio::buffer(*d), server_, [this, d](const error_code& ec, std::size_t n) {
      if (ec)
        error = ec;
      else if (n != d->size())
        ++bad;
    });
  }

  void receive()
  {
    socket.async_receive_from(asio::buffer(buf_), from_, [this](const error_code& ec, std::size_t n) {
      if (ec)
      {
        error = ec;
        on_done_();
        return;
      }
      check(n);
      ++received;
      if (received < datagrams_per_client)
      {
        send_next();
        receive();
      }
      else
        on_done_();
    });
  }

  void check(std::size_t n)
  {
    std::uint32_t seq = 0, len = 0;
    if (n < 8 || from_ != server_)
    {
      ++bad;
      return;
    }
    std::memcpy(&seq, buf_.data(), 4);
    std::memcpy(&len, buf_.data() + 4, 4);
    if (seq >= datagrams_per_client || seen_[seq] || n != 8 + std::size_t(len) ||
        data_.mismatch(std::uint64_t(seq) * max_payload, buf_.data() + 8, len) != len)
    {
      ++bad;
      return;
    }
    seen_[seq] = true;
  }

  udp::endpoint server_;
  byte_stream data_;
  chunker sizes_;
  std::vector<bool> seen_;
  std::uint32_t next_ = 0;
  std::array<unsigned char, max_payload + 8> buf_{};
  udp::endpoint from_;
  std::function<void()> on_done_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(udp_load, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(many_datagrams_on_two_io_threads)
{
  asio::io_context ioc;
  std::vector<std::unique_ptr<echo_server>> servers;
  std::vector<std::unique_ptr<client>> senders;
  // When the last client is done, the servers' pending receives are all that is left: closing
  // the servers lets the io threads run out of work.
  std::atomic<std::size_t> done{0};
  auto client_done = [&] {
    if (++done == clients)
      for (auto& s : servers)
        s->stop();
  };
  for (std::size_t i = 0; i < clients; ++i)
  {
    servers.push_back(std::make_unique<echo_server>(ioc));
    senders.push_back(std::make_unique<client>(ioc, 0xda7a0000 + i,
                                               servers.back()->socket.local_endpoint(), client_done));
  }
  for (auto& s : servers)
    s->start();
  for (auto& c : senders)
    c->start();

  const auto t0 = std::chrono::steady_clock::now();
  BOOST_TEST(run_for(ioc, 2, 120s), "not every echo arrived within 120 s");
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_TEST_MESSAGE(net_under_test::name() << ": " << clients * datagrams_per_client
                                            << " datagrams echoed in " << secs << " s");

  for (std::size_t i = 0; i < clients; ++i)
  {
    BOOST_TEST_CONTEXT("client " << i)
    {
      BOOST_TEST(!senders[i]->error, senders[i]->error.message());
      BOOST_TEST(!servers[i]->error, servers[i]->error.message());
      BOOST_TEST(senders[i]->received == datagrams_per_client);
      BOOST_TEST(senders[i]->bad == 0u);
      BOOST_TEST(servers[i]->echoed == datagrams_per_client);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
