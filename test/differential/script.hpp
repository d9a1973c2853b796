//
// test/differential/script.hpp
//
// An operation script: what the differential suite runs, step by step, on native Asio and on
// boost_sockn. A script works on four TCP sockets, two connected pairs (slots 0-1 and 2-3; the
// even slot connected, the odd one accepted), and two per-operation cancellation signals. Its text
// form, one step per line ("read 0 512"), is what a failing seed is saved as.
//
// The generator is seeded and portable: it draws from std::mt19937_64, whose sequence the
// standard fixes, and maps draws to choices itself (the standard distributions differ between
// standard libraries), so a seed names the same script on Linux and under Wine.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_DIFFERENTIAL_SCRIPT_HPP
#define BOOST_SOCKN_TEST_DIFFERENTIAL_SCRIPT_HPP

#include <cstddef>
#include <cstdint>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace differential {

constexpr int slot_count = 4;   // two connected pairs
constexpr int signal_count = 2; // per-operation cancellation signals

/// What a step does. Each has up to three integer arguments (a, b, c), named below.
enum class action : std::uint8_t
{
  read,          // a=slot b=size: async_read_some
  read_all,      // a=slot b=size: asio::async_read of exactly b bytes
  write,         // a=slot b=size: async_write_some
  write_all,     // a=slot b=size: asio::async_write
  read_now,      // a=slot b=size: read_some with the socket non-blocking (never blocks the script)
  write_now,     // a=slot b=size: write_some with the socket non-blocking
  wait,          // a=slot b=wait type (0 read, 1 write, 2 error): async_wait
  read_signal,   // a=slot b=size c=signal: async_read_some bound to a cancellation signal
  wait_signal,   // a=slot b=wait type c=signal: async_wait bound to a cancellation signal
  emit,          // a=signal b=type (0 terminal, 1 partial, 2 total): emit the signal
  cancel,        // a=slot: socket::cancel
  shutdown,      // a=slot b=how (0 receive, 1 send, 2 both)
  close,         // a=slot
  reset,         // a=slot: SO_LINGER 0, then close: the peer sees a reset
  move,          // a=slot: the socket moves into a new object, pending operations with it
  timer_cancel,  // a=slot: a zero timer whose handler cancels the socket
  timer_close,   // a=slot: a zero timer whose handler closes the socket
  reconnect,     // a=pair: close both sockets of the pair, connect a new pair in their slots
  count_
};

inline const char* name(action a)
{
  static const char* const names[] = {"read", "read_all", "write", "write_all", "read_now",
    "write_now", "wait", "read_signal", "wait_signal", "emit", "cancel", "shutdown", "close",
    "reset", "move", "timer_cancel", "timer_close", "reconnect"};
  static_assert(sizeof(names) / sizeof(names[0]) == static_cast<std::size_t>(action::count_),
                "one name per action");
  return names[static_cast<std::size_t>(a)];
}

struct step
{
  action what;
  int a = 0, b = 0, c = 0;
};

struct script
{
  std::uint64_t seed = 0; // 0 for a script that was written or shrunk, not generated
  int threads = 1;        // io threads: 1 (the script's thread polls) or 2
  std::vector<step> steps;
};

/// The text form: a "threads N" line, then one step per line with its three arguments.
inline std::string to_text(const script& s)
{
  std::ostringstream out;
  out << "threads " << s.threads << "\n";
  for (const step& st : s.steps)
    out << name(st.what) << ' ' << st.a << ' ' << st.b << ' ' << st.c << "\n";
  return out.str();
}

inline script from_text(const std::string& text, std::uint64_t seed = 0)
{
  script s;
  s.seed = seed;
  std::istringstream in(text);
  std::string word;
  while (in >> word)
  {
    if (word == "threads")
    {
      in >> s.threads;
      continue;
    }
    step st{action::count_};
    for (int i = 0; i < static_cast<int>(action::count_); ++i)
      if (word == name(static_cast<action>(i)))
        st.what = static_cast<action>(i);
    if (st.what == action::count_ || !(in >> st.a >> st.b >> st.c))
      throw std::invalid_argument("differential script: bad step '" + word + "'");
    s.steps.push_back(st);
  }
  return s;
}

/// Draws from a seeded std::mt19937_64 mapped to choices by this code alone.
class draw
{
public:
  explicit draw(std::uint64_t seed) : engine_(seed) {}
  int below(int n) { return static_cast<int>(engine_() % static_cast<std::uint64_t>(n)); }
  bool one_in(int n) { return below(n) == 0; }

  /// A transfer size: mostly small, sometimes a few segments' worth.
  int size()
  {
    static const int sizes[] = {1, 2, 7, 64, 100, 512, 1000, 1460, 4096, 9000, 16384, 40000};
    return sizes[below(static_cast<int>(sizeof(sizes) / sizeof(sizes[0])))];
  }

private:
  std::mt19937_64 engine_;
};

/// The script a seed names: 8 to 40 steps, one or two io threads. The weights favour transfers
/// and waits, the common path; the rest (cancel, shutdown, close, reset, moves, timers, new
/// connections) come often enough that most scripts have a few.
inline script generate(std::uint64_t seed)
{
  draw d(seed);
  script s;
  s.seed = seed;
  s.threads = d.one_in(2) ? 2 : 1;
  const int length = 8 + d.below(33);
  struct weight
  {
    action what;
    int weight;
  };
  static const weight weights[] = {
    {action::read, 14}, {action::read_all, 4}, {action::write, 12}, {action::write_all, 6},
    {action::read_now, 5}, {action::write_now, 4}, {action::wait, 8}, {action::read_signal, 4},
    {action::wait_signal, 3}, {action::emit, 5}, {action::cancel, 4}, {action::shutdown, 3},
    {action::close, 2}, {action::reset, 2}, {action::move, 3}, {action::timer_cancel, 2},
    {action::timer_close, 1}, {action::reconnect, 2}};
  int total = 0;
  for (const weight& w : weights)
    total += w.weight;
  for (int i = 0; i < length; ++i)
  {
    int pick = d.below(total);
    action what = action::read;
    for (const weight& w : weights)
    {
      if (pick < w.weight)
      {
        what = w.what;
        break;
      }
      pick -= w.weight;
    }
    step st{what};
    st.a = d.below(slot_count);
    switch (what)
    {
    case action::read: case action::read_all: case action::write: case action::write_all:
    case action::read_now: case action::write_now:
      st.b = d.size();
      break;
    case action::wait:
      st.b = d.below(3);
      break;
    case action::read_signal:
      st.b = d.size();
      st.c = d.below(signal_count);
      break;
    case action::wait_signal:
      st.b = d.below(3);
      st.c = d.below(signal_count);
      break;
    case action::emit:
      st.a = d.below(signal_count);
      st.b = d.below(3);
      break;
    case action::shutdown:
      st.b = d.below(3);
      break;
    case action::reconnect:
      st.a = d.below(slot_count / 2);
      break;
    default:
      break;
    }
    s.steps.push_back(st);
  }
  return s;
}

} // namespace differential

#endif // BOOST_SOCKN_TEST_DIFFERENTIAL_SCRIPT_HPP
