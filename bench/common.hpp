//
// bench/common.hpp
//
// What port_bench and socket_bench both need to turn runs into a table: the clock and elapsed
// seconds, the median of a set of runs, and the formatting of figures (fixed decimals, ratios,
// rates with a k / M suffix). One definition, so that the two result tables read the same.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BENCH_COMMON_HPP
#define BOOST_SOCKN_BENCH_COMMON_HPP

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace sockn_bench {

using clock_type = std::chrono::steady_clock;

inline double seconds_between(clock_type::time_point a, clock_type::time_point b)
{
  return std::chrono::duration<double>(b - a).count();
}

inline double seconds_since(clock_type::time_point t0)
{
  return seconds_between(t0, clock_type::now());
}

/// The median of the runs; 0 when there are none (every run failed), which the tables show as a
/// failure anyway.
inline double median(std::vector<double> v)
{
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

inline std::string fixed(double v, int prec)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

/// A ratio with two decimals where they matter, and none above 10.
inline std::string ratio_text(double r)
{
  char buf[64];
  if (r >= 10)
    std::snprintf(buf, sizeof buf, "%.0f", r);
  else if (r >= 0.1)
    std::snprintf(buf, sizeof buf, "%.2f", r);
  else
    std::snprintf(buf, sizeof buf, "%.2g", r);
  return buf;
}

/// A rate in operations per second, "1.23 M", "45.6 k" or "789".
inline std::string rate_text(double r)
{
  char buf[64];
  if (r >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2f M", r / 1e6);
  else if (r >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1f k", r / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", r);
  return buf;
}

} // namespace sockn_bench

#endif // BOOST_SOCKN_BENCH_COMMON_HPP
