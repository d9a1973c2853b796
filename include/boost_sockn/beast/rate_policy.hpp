//
// boost_sockn/beast/rate_policy.hpp
//
// Rate policies for boost_sockn::basic_stream, with the interface of Beast's. Beast's own
// policies keep their hooks private and open them only to beast::basic_stream (through
// beast::rate_policy_access), so our stream needs policies of its own; a user-written policy
// befriends boost_sockn::rate_policy_access instead of Beast's.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BEAST_RATE_POLICY_HPP
#define BOOST_SOCKN_BEAST_RATE_POLICY_HPP

#include <cstddef>
#include <limits>

namespace boost_sockn {

template <class, class, class>
class basic_stream;

/// The door through which basic_stream reaches a policy's private hooks.
class rate_policy_access
{
  template <class, class, class>
  friend class basic_stream;

  template <class Policy>
  static std::size_t available_read_bytes(Policy& p) { return p.available_read_bytes(); }
  template <class Policy>
  static std::size_t available_write_bytes(Policy& p) { return p.available_write_bytes(); }
  template <class Policy>
  static void transfer_read_bytes(Policy& p, std::size_t n) { p.transfer_read_bytes(n); }
  template <class Policy>
  static void transfer_write_bytes(Policy& p, std::size_t n) { p.transfer_write_bytes(n); }
  template <class Policy>
  static void on_timer(Policy& p) { p.on_timer(); }
};

/// No limit: the stream never waits for a budget.
class unlimited_rate_policy
{
  friend class rate_policy_access;

  static constexpr std::size_t all = (std::numeric_limits<std::size_t>::max)();

  std::size_t available_read_bytes() const noexcept { return all; }
  std::size_t available_write_bytes() const noexcept { return all; }
  void transfer_read_bytes(std::size_t) const noexcept {}
  void transfer_write_bytes(std::size_t) const noexcept {}
  void on_timer() const noexcept {}
};

/// A budget of bytes per second for each direction, refilled once a second.
class simple_rate_policy
{
  friend class rate_policy_access;

  static constexpr std::size_t all = (std::numeric_limits<std::size_t>::max)();

  std::size_t read_left_ = all;
  std::size_t write_left_ = all;
  std::size_t read_limit_ = all;
  std::size_t write_limit_ = all;

  std::size_t available_read_bytes() const noexcept { return read_left_; }
  std::size_t available_write_bytes() const noexcept { return write_left_; }
  static void spend(std::size_t& left, std::size_t n) noexcept
  {
    if (left != all)
      left = n < left ? left - n : 0;
  }
  void transfer_read_bytes(std::size_t n) noexcept { spend(read_left_, n); }
  void transfer_write_bytes(std::size_t n) noexcept { spend(write_left_, n); }
  void on_timer() noexcept
  {
    read_left_ = read_limit_;
    write_left_ = write_limit_;
  }

public:
  /// Bytes per second the stream may read; takes effect at once for the current second.
  void read_limit(std::size_t bytes_per_second) noexcept
  {
    read_limit_ = bytes_per_second;
    if (read_left_ > bytes_per_second)
      read_left_ = bytes_per_second;
  }

  /// Bytes per second the stream may write; takes effect at once for the current second.
  void write_limit(std::size_t bytes_per_second) noexcept
  {
    write_limit_ = bytes_per_second;
    if (write_left_ > bytes_per_second)
      write_left_ = bytes_per_second;
  }
};

} // namespace boost_sockn

#endif
