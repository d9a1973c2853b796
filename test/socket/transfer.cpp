//
// test/socket/transfer.cpp
//
// Bulk loopback transfer: 64 MiB each way at the same time, random chunk sizes on both the
// writing and the reading side, every byte verified against a seeded stream, and the end of
// each stream seen as eof after the writer's shutdown(send).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;

constexpr std::uint64_t stream_bytes = std::uint64_t(64) << 20;
constexpr std::uint64_t no_mismatch = std::numeric_limits<std::uint64_t>::max();

enum class style
{
  some,     // async_read_some / async_write_some chains
  composed  // asio::async_read / asio::async_write of random sizes
};

// One direction: `from` writes the stream in random chunks, `to` reads it in other random chunks
// and verifies every byte. Both sockets run on strands, because each also carries the other
// direction's chain.
class one_way
{
public:
  one_way(tcp::socket& from, tcp::socket& to, std::uint64_t seed, style s, std::size_t max_chunk)
    : from_(from), to_(to), data_(seed), style_(s), write_sizes_(seed * 3 + 1, max_chunk),
      read_sizes_(seed * 5 + 2, max_chunk), write_buf_(max_chunk), read_buf_(max_chunk)
  {
  }

  void start()
  {
    write_next();
    read_next();
  }

  std::uint64_t written = 0;
  std::uint64_t read = 0;
  error_code write_error;
  error_code read_error;
  error_code shutdown_error;
  std::uint64_t mismatch_at = no_mismatch;
  std::size_t write_ops = 0;
  std::size_t read_ops = 0;
  // The read after the last byte: eof with nothing.
  int final_calls = 0;
  error_code final_error;
  std::size_t final_bytes = 0;

private:
  void write_next()
  {
    if (written == stream_bytes)
    {
      from_.shutdown(tcp::socket::shutdown_send, shutdown_error);
      return;
    }
    const std::size_t n =
      static_cast<std::size_t>(std::min<std::uint64_t>(write_sizes_.next(), stream_bytes - written));
    data_.fill(written, write_buf_.data(), n);
    ++write_ops;
    auto done = [this, n](const error_code& ec, std::size_t k) {
      if (ec || (style_ == style::composed && k != n))
      {
        write_error = ec ? ec : asio::error::make_error_code(asio::error::fault);
        return;
      }
      written += k;
      write_next();
    };
    if (style_ == style::some)
      from_.async_write_some(asio::buffer(write_buf_.data(), n), done);
    else
      asio::async_write(from_, asio::buffer(write_buf_.data(), n), done);
  }

  void read_next()
  {
    if (read >= stream_bytes)
    {
      auto last = [this](const error_code& ec, std::size_t k) {
        ++final_calls;
        final_error = ec;
        final_bytes = k;
      };
      if (style_ == style::some)
        to_.async_read_some(asio::buffer(read_buf_.data(), read_buf_.size()), last);
      else
        asio::async_read(to_, asio::buffer(read_buf_.data(), read_buf_.size()), last);
      return;
    }
    std::size_t n = read_sizes_.next();
    if (style_ == style::composed)
      n = static_cast<std::size_t>(std::min<std::uint64_t>(n, stream_bytes - read));
    ++read_ops;
    auto done = [this, n](const error_code& ec, std::size_t k) {
      if (ec || (style_ == style::composed && k != n))
      {
        read_error = ec ? ec : asio::error::make_error_code(asio::error::fault);
        return;
      }
      if (read + k > stream_bytes)
      {
        mismatch_at = read; // more bytes than were written
        return;
      }
      const std::size_t bad = data_.mismatch(read, read_buf_.data(), k);
      if (bad != k)
      {
        mismatch_at = read + bad;
        return;
      }
      read += k;
      read_next();
    };
    if (style_ == style::some)
      to_.async_read_some(asio::buffer(read_buf_.data(), n), done);
    else
      asio::async_read(to_, asio::buffer(read_buf_.data(), n), done);
  }

  tcp::socket& from_;
  tcp::socket& to_;
  byte_stream data_;
  style style_;
  chunker write_sizes_;
  chunker read_sizes_;
  std::vector<unsigned char> write_buf_;
  std::vector<unsigned char> read_buf_;
};

void check(const one_way& w, const char* direction)
{
  BOOST_TEST_CONTEXT(direction)
  {
    BOOST_TEST(!w.write_error, "write failed: " << w.write_error.message());
    BOOST_TEST(!w.read_error, "read failed: " << w.read_error.message());
    BOOST_TEST(!w.shutdown_error, "shutdown failed: " << w.shutdown_error.message());
    BOOST_TEST(w.mismatch_at == no_mismatch, "first wrong byte at offset " << w.mismatch_at);
    BOOST_TEST(w.written == stream_bytes);
    BOOST_TEST(w.read == stream_bytes);
    BOOST_TEST(w.final_calls == 1);
    BOOST_TEST(w.final_error == error_code(asio::error::eof));
    BOOST_TEST(w.final_bytes == 0u);
  }
}

void transfer_both_ways(style s, std::size_t max_chunk, unsigned threads)
{
  asio::io_context ioc;
  tcp::socket a(asio::make_strand(ioc));
  tcp::socket b(asio::make_strand(ioc));
  connect_pair(a, b);

  one_way a_to_b(a, b, 0x5eed0001, s, max_chunk);
  one_way b_to_a(b, a, 0x5eed0002, s, max_chunk);
  a_to_b.start();
  b_to_a.start();

  const auto t0 = std::chrono::steady_clock::now();
  const bool in_time = run_for(ioc, threads, 120s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  BOOST_TEST(in_time, "the transfer did not finish within 120 s");
  check(a_to_b, "client to server");
  check(b_to_a, "server to client");
  BOOST_TEST_MESSAGE(net_under_test::name()
                     << ": 2 x 64 MiB in " << secs << " s; writes " << a_to_b.write_ops << "/"
                     << b_to_a.write_ops << ", reads " << a_to_b.read_ops << "/" << b_to_a.read_ops);
}

} // namespace

BOOST_AUTO_TEST_SUITE(transfer, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(both_ways_read_some_write_some_two_threads)
{
  transfer_both_ways(style::some, 64 * 1024, 2);
}

BOOST_AUTO_TEST_CASE(both_ways_composed_two_threads)
{
  transfer_both_ways(style::composed, 1024 * 1024, 2);
}

BOOST_AUTO_TEST_CASE(both_ways_read_some_write_some_one_thread)
{
  transfer_both_ways(style::some, 64 * 1024, 1);
}

BOOST_AUTO_TEST_SUITE_END()
