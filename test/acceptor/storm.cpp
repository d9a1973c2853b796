//
// test/acceptor/storm.cpp
//
// Load on the acceptor: a thousand clients connecting at once against several accept chains,
// and ten thousand connect/accept/close cycles that must leave the count of open descriptors
// (handles on Windows) and the resident size where they were.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <boost/optional.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;

constexpr std::size_t storm_clients = 1000;
constexpr std::size_t churn_cycles = 10000;

// Descriptors the storm holds at once: every client and every accepted socket, plus slack.
struct room_for_storm
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    std::string why;
    if (descriptor_room(2 * storm_clients + 64, why))
      return true;
    boost::test_tools::assertion_result r(false);
    r.message() << why;
    return r;
  }
};

struct not_sanitized
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    if (!sanitized())
      return true;
    boost::test_tools::assertion_result r(false);
    r.message() << "a sanitizer is compiled in: its quarantine and shadow memory make the "
                   "resident size grow by design";
    return r;
  }
};

// Connect, accept, one byte each way, close: `count` times in a row, on one io thread. The side
// that closes first alternates, so both ends' teardown paths run.
class churn
{
public:
  churn(asio::io_context& ioc, tcp::acceptor& acceptor)
    : ioc_(ioc), acceptor_(acceptor), ep_(acceptor.local_endpoint())
  {
  }

  // Runs `count` cycles; false if the context did not finish in time.
  bool run(std::size_t count, std::chrono::seconds limit = 240s)
  {
    remaining_ = count;
    next();
    return run_for(ioc_, 1, limit);
  }

  std::size_t completed = 0;
  error_code first_error;
  std::string failed_step;

private:
  void fail(const error_code& ec, const char* step)
  {
    if (!first_error)
    {
      first_error = ec;
      failed_step = step;
    }
  }

  void next()
  {
    if (remaining_ == 0 || first_error)
      return;
    --remaining_;
    client_.emplace(ioc_);
    server_.reset();
    pending_ = 2;
    client_->async_connect(ep_, [this](const error_code& ec) {
      if (ec)
        return fail(ec, "connect");
      joined();
    });
    acceptor_.async_accept([this](const error_code& ec, tcp::socket s) {
      if (ec)
        return fail(ec, "accept");
      server_.emplace(std::move(s));
      joined();
    });
  }

  void joined()
  {
    if (--pending_ != 0)
      return;
    pending_ = 2;
    asio::async_write(*client_, asio::buffer(out_, 1), [this](const error_code& ec, std::size_t) {
      if (ec)
        return fail(ec, "client write");
      asio::async_read(*client_, asio::buffer(in_client_, 1), [this](const error_code& e, std::size_t) {
        if (e)
          return fail(e, "client read");
        exchanged();
      });
    });
    asio::async_read(*server_, asio::buffer(in_server_, 1), [this](const error_code& ec, std::size_t) {
      if (ec)
        return fail(ec, "server read");
      asio::async_write(*server_, asio::buffer(out_, 1), [this](const error_code& e, std::size_t) {
        if (e)
          return fail(e, "server write");
        exchanged();
      });
    });
  }

  void exchanged()
  {
    if (--pending_ != 0)
      return;
    if (completed % 2 == 0)
    {
      client_->close();
      server_->close();
    }
    else
    {
      server_->close();
      client_->close();
    }
    client_.reset();
    server_.reset();
    ++completed;
    next();
  }

  asio::io_context& ioc_;
  tcp::acceptor& acceptor_;
  tcp::endpoint ep_;
  std::size_t remaining_ = 0;
  int pending_ = 0;
  boost::optional<tcp::socket> client_;
  boost::optional<tcp::socket> server_;
  char out_[1] = {'x'};
  char in_client_[1] = {};
  char in_server_[1] = {};
};

} // namespace

BOOST_AUTO_TEST_SUITE(load, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(accept_storm_of_a_thousand_clients, *boost::unit_test::precondition(room_for_storm()))
{
  asio::io_context ioc;
  // The accept chains share the acceptor: a strand serializes them and their bookkeeping.
  tcp::acceptor acceptor(asio::make_strand(ioc), tcp_loopback());
  const auto ep = acceptor.local_endpoint();

  std::vector<tcp::socket> accepted;
  accepted.reserve(storm_clients);
  error_code accept_error;
  int aborted_chains = 0;
  constexpr int chains = 4;

  std::function<void()> accept_next = [&] {
    acceptor.async_accept([&](const error_code& ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted)
      {
        ++aborted_chains;
        return;
      }
      if (ec)
      {
        accept_error = ec;
        acceptor.cancel();
        return;
      }
      accepted.push_back(std::move(s));
      if (accepted.size() == storm_clients)
        acceptor.cancel(); // ends the other chains' pending accepts
      else
        accept_next();
    });
  };
  for (int i = 0; i < chains; ++i)
    accept_next();

  std::vector<tcp::socket> clients;
  clients.reserve(storm_clients);
  std::atomic<std::size_t> connected{0};
  std::mutex m;
  error_code connect_error;
  for (std::size_t i = 0; i < storm_clients; ++i)
  {
    clients.emplace_back(ioc);
    clients.back().async_connect(ep, [&](const error_code& ec) {
      if (!ec)
      {
        ++connected;
        return;
      }
      std::lock_guard<std::mutex> l(m);
      connect_error = ec;
    });
  }

  const auto t0 = std::chrono::steady_clock::now();
  BOOST_TEST(run_for(ioc, 2, 120s));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_TEST_MESSAGE(net_under_test::name() << ": " << storm_clients << " connects accepted in "
                                            << secs << " s");

  BOOST_TEST(!accept_error, accept_error.message());
  BOOST_TEST(!connect_error, connect_error.message());
  BOOST_TEST(connected.load() == storm_clients);
  BOOST_TEST(accepted.size() == storm_clients);
  BOOST_TEST(aborted_chains == chains - 1);

  // Each accepted socket is the other end of exactly one client.
  std::set<unsigned short> client_ports, peer_ports;
  for (auto& c : clients)
  {
    error_code ec;
    client_ports.insert(c.local_endpoint(ec).port());
  }
  for (auto& s : accepted)
  {
    error_code ec;
    peer_ports.insert(s.remote_endpoint(ec).port());
  }
  BOOST_TEST(client_ports.size() == storm_clients);
  BOOST_TEST((client_ports == peer_ports));
}

BOOST_AUTO_TEST_CASE(connect_accept_close_cycles_leave_no_descriptors_behind)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  churn c(ioc, acceptor);

  // Warm up first: the reactor's thread, port and caches exist from here on.
  BOOST_TEST_REQUIRE(c.run(200));
  const long before = open_descriptors();
  BOOST_TEST_REQUIRE(before > 0, "this system does not report its open descriptors");

  const auto t0 = std::chrono::steady_clock::now();
  const bool in_time = c.run(churn_cycles);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const long after = open_descriptors();

  BOOST_TEST(in_time);
  BOOST_TEST(!c.first_error, c.failed_step << ": " << c.first_error.message());
  BOOST_TEST(c.completed == 200 + churn_cycles);
  BOOST_TEST(after - before <= 8, "descriptors: " << before << " before, " << after << " after");
  BOOST_TEST(before - after <= 8, "descriptors: " << before << " before, " << after << " after");
  BOOST_TEST_MESSAGE(net_under_test::name() << ": " << churn_cycles << " cycles in " << secs
                                            << " s; descriptors " << before << " -> " << after);
}

// Many sockets waiting at once, then closed: whatever the backend opened for them (the afd
// backend's helper handles, one per 32 waiting sockets) must go with them, or every burst of
// connections would leave its handles behind.
BOOST_AUTO_TEST_CASE(a_burst_of_waiting_sockets_leaves_no_descriptors_behind,
                     *boost::unit_test::precondition(room_for_storm()))
{
  constexpr std::size_t waiting = 256;
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  std::vector<tcp::socket> clients, servers;
  char buffer[waiting][1];
  std::size_t completed = 0;
  // True when the n reads completed, each once, in time.
  auto wait_on = [&](std::size_t n) {
    completed = 0;
    for (std::size_t i = 0; i < n; ++i)
    {
      clients.emplace_back(ioc);
      servers.emplace_back(ioc);
      clients.back().connect(acceptor.local_endpoint());
      acceptor.accept(servers.back());
      servers.back().async_read_some(asio::buffer(buffer[i]),
                                     [&](error_code, std::size_t) { ++completed; });
    }
    run_briefly(ioc); // every read finds nothing and waits
    for (std::size_t i = 0; i < n; ++i)
    {
      clients[i].close();
      servers[i].close();
    }
    const bool done = run_for(ioc);
    clients.clear();
    servers.clear();
    return done && completed == n;
  };

  // One waiting socket first: what the first wait opens for good is open from here on.
  BOOST_TEST_REQUIRE(wait_on(1));
  const long before = open_files();
  BOOST_TEST_REQUIRE(before > 0, "this system does not report its open descriptors");

  BOOST_TEST(wait_on(waiting), completed << " of " << waiting << " reads completed");
  const long after = open_files();
  BOOST_TEST(after == before, "descriptors: " << before << " before, " << after << " after");
}

BOOST_AUTO_TEST_CASE(connect_accept_close_cycles_keep_resident_size_bounded,
                     *boost::unit_test::precondition(not_sanitized()))
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  churn c(ioc, acceptor);

  BOOST_TEST_REQUIRE(c.run(1000));
  const std::size_t before = resident_bytes();
  BOOST_TEST_REQUIRE(before > 0u, "this system does not report the resident size");
  const bool in_time = c.run(churn_cycles);
  const std::size_t after = resident_bytes();

  BOOST_TEST(in_time);
  BOOST_TEST(!c.first_error, c.failed_step << ": " << c.first_error.message());
  // A leak of a few hundred bytes per cycle would exceed this.
  constexpr std::size_t allowed = 4u << 20;
  BOOST_TEST(after <= before + allowed,
             "resident size grew from " << before / 1024 << " KiB to " << after / 1024 << " KiB");
  BOOST_TEST_MESSAGE(net_under_test::name() << ": resident " << before / 1024 << " KiB -> "
                                            << after / 1024 << " KiB over " << churn_cycles
                                            << " cycles");
}

BOOST_AUTO_TEST_SUITE_END()
