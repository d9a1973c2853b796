//
// test/differential/trace.hpp
//
// What one run of a script leaves behind, in a form two runs can be compared in: per
// asynchronous operation (numbered in the order the script started them) what completed it,
// per synchronous step what it returned, per socket how many bytes it received, and every breach of
// Asio's handler guarantees seen (a handler called twice, inside its initiating function, or off
// its associated executor; an operation that never completed).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_DIFFERENTIAL_TRACE_HPP
#define BOOST_SOCKN_TEST_DIFFERENTIAL_TRACE_HPP

#include "differential/script.hpp"

#include <boost/system/error_code.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace differential {

/// An error code as the comparison sees it: category and value, with the message for a reader.
/// Both libraries share Asio's categories, so equal codes print equal.
inline std::string describe(const boost::system::error_code& ec)
{
  if (!ec)
    return "ok";
  return std::string(ec.category().name()) + ":" + std::to_string(ec.value()) + " (" +
         ec.message() + ")";
}

/// One asynchronous operation: which step started it, and how it completed.
struct operation
{
  std::size_t step = 0;    // index of the starting step; setup operations have step npos
  std::string what;        // "read 0 512", "connect 2"
  int slot = -1;           // the socket a transfer or wait was started on
  char direction = '-';    // the queue: 'r' reads, 'w' writes, 'e' wait_error, '-' no socket's
  bool after_shutdown = false;    // completed after either end shut down, closed or reset
  std::size_t requested = 0;      // bytes a transfer asked for
  std::uint64_t connection = 0;   // which of the slot's connections it was started on
  bool completed = false;
  std::size_t settled_in = 0; // the step whose settling completed it (teardown: the step count)
  boost::system::error_code ec;
  std::size_t bytes = 0;
  std::uint64_t content = 0; // a read's bytes, hashed (content_hash)
  std::string result;      // what a timer's handler did, for timers
};

/// An FNV-1a hash of a read's bytes: equal bytes, equal hash, on either library.
inline std::uint64_t content_hash(const unsigned char* p, std::size_t n)
{
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/// What a synchronous step returned, and the connection it acted on.
struct step_note
{
  std::string text;
  int slot = -1;
  std::uint64_t connection = 0;
};

struct trace
{
  std::vector<operation> operations;
  std::vector<step_note> steps;                     // per step: what the synchronous part returned
  std::array<std::uint64_t, slot_count> bytes_in{}; // over every connection a slot held
  std::vector<std::string> breaches;              // of Asio's handler guarantees
};

/// A trace as text, for a reader studying a mismatch.
inline std::string dump(const trace& t)
{
  std::string out;
  for (std::size_t i = 0; i < t.operations.size(); ++i)
  {
    const operation& op = t.operations[i];
    out += "  #" + std::to_string(i) + " " + op.what + ": " +
           (op.completed ? describe(op.ec) + ", " + std::to_string(op.bytes) + " bytes" : "pending") +
           (op.result.empty() ? "" : ", " + op.result) + "\n";
  }
  for (std::size_t i = 0; i < t.steps.size(); ++i)
    if (!t.steps[i].text.empty())
      out += "  step " + std::to_string(i) + ": " + t.steps[i].text + "\n";
  for (std::size_t s = 0; s < t.bytes_in.size(); ++s)
    out += "  slot " + std::to_string(s) + " received " + std::to_string(t.bytes_in[s]) + "\n";
  for (const std::string& b : t.breaches)
    out += "  breach: " + b + "\n";
  return out;
}

} // namespace differential

#endif // BOOST_SOCKN_TEST_DIFFERENTIAL_TRACE_HPP
