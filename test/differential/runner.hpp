//
// test/differential/runner.hpp
//
// Runs a script on one library (native Asio or boost_sockn: the socket types are the only
// difference) and records its trace.
//
// The script's thread starts each step, then lets the io_context settle: it runs (one io thread:
// polls the io_context itself; two: waits while two threads run it) until nothing has happened
// for a quiet period. A step thus finds every effect of the steps before it delivered, so that
// on a loopback connection what an operation completes with follows from the script alone and
// two libraries that keep Asio's contract leave equal traces. Synchronous transfers run with the
// socket non-blocking, so that no step can block the script.
//
// Handlers check Asio's guarantees as they run: called once, never from inside the initiating
// function (the script's thread marks its initiating calls), and on the associated executor
// (every other operation is bound to a strand).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_DIFFERENTIAL_RUNNER_HPP
#define BOOST_SOCKN_TEST_DIFFERENTIAL_RUNNER_HPP

#include "differential/script.hpp"
#include "differential/trace.hpp"

#include <boost/asio.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace differential {

namespace asio = boost::asio;
using boost::system::error_code;

/// How long "nothing happened" must last before a step counts as settled.
struct pace
{
  std::chrono::microseconds quiet;
};

namespace detail {

/// Set on the script's thread while it is inside an initiating function.
inline thread_local bool initiating = false;

struct initiation
{
  initiation() { initiating = true; }
  ~initiation() { initiating = false; }
  initiation(const initiation&) = delete;
  initiation& operator=(const initiation&) = delete;
};

/// The byte a slot's connection number `generation` sends at stream offset `offset`: each
/// connection and direction has its own sequence, so misdelivered bytes change the hash.
inline unsigned char pattern(int slot, std::uint64_t generation, std::uint64_t offset)
{
  return static_cast<unsigned char>((offset * 131u + generation * 29u + static_cast<unsigned>(slot) * 7u) % 251u);
}

} // namespace detail

template <class Tcp>
class runner
{
public:
  using socket = typename Tcp::socket;
  using acceptor = typename Tcp::acceptor;

  runner(const script& s, pace p) : script_(s), pace_(p), strand_(ioc_.get_executor()) {}

  trace run()
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      trace_.steps.resize(script_.steps.size());
    }
    error_code ec;
    acceptor_.emplace(ioc_);
    acceptor_->open(asio::ip::tcp::v4(), ec);
    if (!ec)
      acceptor_->bind({asio::ip::make_address_v4("127.0.0.1"), 0}, ec);
    if (!ec)
      acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw boost::system::system_error(ec, "differential: listening socket");
    endpoint_ = acceptor_->local_endpoint();

    // Work is held while the script runs, as a server's io_context has it: without, Asio's
    // poll() returns at once whenever no operation is pending, and a readiness event it had
    // taken from the kernel would wait in its queue, to be delivered late to a later operation.
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    work.emplace(ioc_.get_executor());
    std::vector<std::thread> threads;
    if (script_.threads > 1)
      for (int i = 0; i < script_.threads; ++i)
        threads.emplace_back([this] { ioc_.run(); });

    const std::size_t setup = static_cast<std::size_t>(-1);
    connect_pair(0, setup);
    connect_pair(1, setup);
    settle();
    for (std::size_t i = 0; i < script_.steps.size(); ++i)
    {
      current_step_.store(i, std::memory_order_relaxed);
      perform(i, script_.steps[i]);
      settle();
    }
    current_step_.store(script_.steps.size(), std::memory_order_relaxed);

    // Teardown: every operation still pending must now complete. Cancelling first, then
    // closing: a close can reset the peer, whose pending read would then race the peer's own
    // close (a reset or an abort, by timing alone).
    for (auto& s : slots_)
      s->cancel(ec);
    settle();
    for (auto& s : slots_)
      s->close(ec);
    acceptor_->close(ec);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pending() > 0 && std::chrono::steady_clock::now() < deadline)
      settle();
    // With nothing pending run() returns, as on Asio: a library that kept work counted would
    // hang here, so it gets a bound and a breach instead.
    work.reset();
    if (threads.empty())
    {
      ioc_.restart();
      ioc_.run_for(std::chrono::seconds(10));
    }
    const auto returned_by = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!ioc_.stopped() && std::chrono::steady_clock::now() < returned_by)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!ioc_.stopped())
    {
      std::lock_guard<std::mutex> lock(mutex_);
      trace_.breaches.push_back("io_context::run() did not return with nothing pending");
    }
    ioc_.stop();
    for (auto& t : threads)
      t.join();

    std::lock_guard<std::mutex> lock(mutex_);
    for (const operation& op : trace_.operations)
      if (!op.completed)
        trace_.breaches.push_back("operation never completed: " + op.what);
    return trace_;
  }

private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  /// The operation a cancellation signal index reaches, and the socket object it was started on.
  struct bound
  {
    asio::cancellation_signal* signal = nullptr;
    std::size_t op = none;
    int slot = 0;
    std::uint64_t object = 0;
  };

  //------------------------------------------------------------------------------------------------
  // Operations and their handlers

  /// Starts recording an operation; returns its number.
  std::size_t begin(std::size_t step, std::string what, int slot = -1, char direction = '-',
                    std::size_t requested = 0)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    operation op;
    op.step = step;
    op.what = std::move(what);
    op.slot = slot;
    op.direction = direction;
    op.requested = requested;
    op.connection = slot >= 0 ? generation_[static_cast<std::size_t>(slot)] : 0;
    trace_.operations.push_back(std::move(op));
    return trace_.operations.size() - 1;
  }

  /// Records a completion and checks the guarantees. `on_strand` says which executor the
  /// handler is bound to. `data` holds what a read received (null for other operations).
  void complete(std::size_t id, bool on_strand, const error_code& ec, std::size_t bytes, int slot,
                const unsigned char* data, std::string result = {})
  {
    const bool inline_call = detail::initiating;
    const bool right_executor =
        on_strand ? strand_.running_in_this_thread() : ioc_.get_executor().running_in_this_thread();
    std::lock_guard<std::mutex> lock(mutex_);
    operation& op = trace_.operations[id];
    if (op.completed)
      trace_.breaches.push_back("handler called twice: " + op.what);
    if (inline_call)
      trace_.breaches.push_back("handler called inside its initiating function: " + op.what);
    if (!right_executor)
      trace_.breaches.push_back("handler called off its associated executor: " + op.what);
    op.completed = true;
    op.after_shutdown = op.slot >= 0 && shut_[static_cast<std::size_t>(op.slot)].load();
    op.settled_in = current_step_.load(std::memory_order_relaxed);
    op.ec = ec;
    op.bytes = bytes;
    op.result = std::move(result);
    if (data && slot >= 0)
    {
      op.content = content_hash(data, bytes);
      trace_.bytes_in[static_cast<std::size_t>(slot)] += bytes;
    }
    events_.fetch_add(1, std::memory_order_release);
  }

  /// A completion handler for operation `id`, bound to the strand for odd numbers.
  template <class F>
  void with_handler(std::size_t id, F&& start)
  {
    detail::initiation mark;
    if (id % 2 == 1)
      start(true, [this](auto wrap) { return asio::bind_executor(strand_, std::move(wrap)); });
    else
      start(false, [](auto wrap) { return wrap; });
  }

  void connect_pair(int pair, std::size_t step)
  {
    const int a = 2 * pair, b = 2 * pair + 1;
    error_code ignored;
    // Cancelled and settled before closing, as at teardown: a close can reset the peer, whose
    // pending read would race its own close.
    if (slots_[a])
    {
      slots_[a]->cancel(ignored);
      slots_[b]->cancel(ignored);
      settle();
    }
    for (int s : {a, b})
    {
      if (slots_[s])
      {
        slots_[s]->close(ignored);
        retired_.push_back(std::move(slots_[s]));
      }
      slots_[s] = std::make_unique<socket>(ioc_);
      ++generation_[s];
      ++object_[s];
      shut_[s] = false;
      written_[s] = 0;
      std::lock_guard<std::mutex> lock(mutex_);
      read_base_[s] = trace_.bytes_in[static_cast<std::size_t>(s)];
    }
    const std::size_t accept_id = begin(step, "accept " + std::to_string(b));
    with_handler(accept_id, [&](bool on_strand, auto bind) {
      acceptor_->async_accept(*slots_[b], bind([this, accept_id, on_strand](const error_code& ec) {
        complete(accept_id, on_strand, ec, 0, -1, nullptr);
      }));
    });
    const std::size_t connect_id = begin(step, "connect " + std::to_string(a));
    with_handler(connect_id, [&](bool on_strand, auto bind) {
      slots_[a]->async_connect(endpoint_, bind([this, connect_id, on_strand](const error_code& ec) {
        complete(connect_id, on_strand, ec, 0, -1, nullptr);
      }));
    });
    // The next step must find the connection made, on both libraries: a quiet period alone
    // let a late accept (a busy machine, two io threads) leave the slot's socket closed for the
    // script's next steps on one library only.
    await_completion({accept_id, connect_id});
  }

  std::shared_ptr<std::vector<unsigned char>> outgoing(int slot, int size)
  {
    auto data = std::make_shared<std::vector<unsigned char>>(static_cast<std::size_t>(size));
    for (std::size_t i = 0; i < data->size(); ++i)
      (*data)[i] = detail::pattern(slot, generation_[slot], written_[slot] + i);
    return data;
  }

  /// A write is left out (and the trace says so) while the slot has more than this many bytes
  /// on their way: the peer may never read them, and neither library may block the script.
  static constexpr std::uint64_t backlog_limit = 128 * 1024;

  //------------------------------------------------------------------------------------------------
  // Steps

  void note(std::size_t step, std::string text)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const int slot = script_.steps[step].a;
    trace_.steps[step] = step_note{std::move(text), slot, generation_[static_cast<std::size_t>(slot)]};
  }

  void perform(std::size_t i, const step& st)
  {
    const std::string what = std::string(name(st.what)) + " " + std::to_string(st.a) + " " +
                             std::to_string(st.b) + " " + std::to_string(st.c);
    const int s = st.a;
    error_code ec;
    switch (st.what)
    {
    case action::read:
    case action::read_signal:
    case action::read_all:
    {
      auto buffer = std::make_shared<std::vector<unsigned char>>(static_cast<std::size_t>(st.b));
      const std::size_t id = begin(i, what, s, 'r', static_cast<std::size_t>(st.b));
      auto handler = [this, id, buffer, s](bool on_strand) {
        return [this, id, buffer, s, on_strand](const error_code& e, std::size_t n) {
          complete(id, on_strand, e, n, s, buffer->data());
        };
      };
      with_handler(id, [&](bool on_strand, auto bind) {
        if (st.what == action::read_all)
          asio::async_read(*slots_[s], asio::buffer(*buffer), bind(handler(on_strand)));
        else if (st.what == action::read)
          slots_[s]->async_read_some(asio::buffer(*buffer), bind(handler(on_strand)));
        else
          slots_[s]->async_read_some(asio::buffer(*buffer),
              asio::bind_cancellation_slot(bind_signal(st.c, id, s), bind(handler(on_strand))));
      });
      return;
    }
    case action::write:
    case action::write_all:
    {
      if (backlog(s) > backlog_limit)
      {
        note(i, "backlog");
        return;
      }
      auto data = outgoing(s, st.b);
      written_[s] += static_cast<std::uint64_t>(st.b);
      const std::size_t id = begin(i, what, s, 'w', static_cast<std::size_t>(st.b));
      auto handler = [this, id, data](bool on_strand) {
        return [this, id, data, on_strand](const error_code& e, std::size_t n) {
          complete(id, on_strand, e, n, -1, nullptr);
        };
      };
      with_handler(id, [&](bool on_strand, auto bind) {
        if (st.what == action::write_all)
          asio::async_write(*slots_[s], asio::buffer(*data), bind(handler(on_strand)));
        else
          slots_[s]->async_write_some(asio::buffer(*data), bind(handler(on_strand)));
      });
      return;
    }
    case action::read_now:
    {
      make_non_blocking(s);
      std::vector<unsigned char> buffer(static_cast<std::size_t>(st.b));
      const std::size_t n = slots_[s]->read_some(asio::buffer(buffer), ec);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        trace_.bytes_in[static_cast<std::size_t>(s)] += n;
      }
      note(i, describe(ec) + " " + std::to_string(n) + " bytes, hash " +
                  std::to_string(content_hash(buffer.data(), n)));
      return;
    }
    case action::write_now:
    {
      make_non_blocking(s);
      if (backlog(s) > backlog_limit)
      {
        note(i, "backlog");
        return;
      }
      auto data = outgoing(s, st.b);
      const std::size_t n = slots_[s]->write_some(asio::buffer(*data), ec);
      written_[s] += n;
      note(i, describe(ec) + " " + std::to_string(n));
      return;
    }
    case action::wait:
    case action::wait_signal:
    {
      const std::size_t id = begin(i, what, s, st.b == 0 ? 'r' : st.b == 1 ? 'w' : 'e');
      const auto type = st.b == 0 ? socket::wait_read
                      : st.b == 1 ? socket::wait_write : socket::wait_error;
      auto handler = [this, id](bool on_strand) {
        return [this, id, on_strand](const error_code& e) {
          complete(id, on_strand, e, 0, -1, nullptr);
        };
      };
      with_handler(id, [&](bool on_strand, auto bind) {
        if (st.what == action::wait)
          slots_[s]->async_wait(type, bind(handler(on_strand)));
        else
          slots_[s]->async_wait(type,
              asio::bind_cancellation_slot(bind_signal(st.c, id, s), bind(handler(on_strand))));
      });
      return;
    }
    case action::emit:
    {
      const auto type = st.b == 0 ? asio::cancellation_type::terminal
                      : st.b == 1 ? asio::cancellation_type::partial
                                  : asio::cancellation_type::total;
      if (bound_[st.a].signal && still_bound(bound_[st.a]))
        bound_[st.a].signal->emit(type);
      return;
    }
    case action::cancel:
      slots_[s]->cancel(ec);
      note(i, describe(ec));
      return;
    case action::shutdown:
      shut_[s] = shut_[s ^ 1] = true;
      slots_[s]->shutdown(st.b == 0 ? socket::shutdown_receive
                          : st.b == 1 ? socket::shutdown_send : socket::shutdown_both, ec);
      note(i, describe(ec));
      return;
    case action::close:
      shut_[s] = shut_[s ^ 1] = true;
      slots_[s]->close(ec);
      note(i, describe(ec));
      return;
    case action::reset:
    {
      error_code option_ec;
      shut_[s] = shut_[s ^ 1] = true;
      slots_[s]->set_option(asio::socket_base::linger(true, 0), option_ec);
      slots_[s]->close(ec);
      note(i, describe(option_ec) + " " + describe(ec));
      return;
    }
    case action::move:
    {
      auto moved = std::make_unique<socket>(std::move(*slots_[s]));
      retired_.push_back(std::move(slots_[s]));
      slots_[s] = std::move(moved);
      ++object_[s];
      note(i, slots_[s]->is_open() ? "open" : "closed");
      return;
    }
    case action::timer_cancel:
    case action::timer_close:
    {
      timers_.emplace_back(ioc_, std::chrono::steady_clock::duration::zero());
      const bool closes = st.what == action::timer_close;
      const std::size_t id = begin(i, what);
      detail::initiation mark;
      timers_.back().async_wait([this, id, s, closes](const error_code& e) {
        error_code result;
        if (closes)
          slots_[s]->close(result);
        else
          slots_[s]->cancel(result);
        complete(id, false, e, 0, -1, nullptr, describe(result));
      });
      return;
    }
    case action::reconnect:
      connect_pair(st.a, i);
      return;
    case action::count_:
      break;
    }
  }

  /// A transfer at once must never block the script. The socket stays non-blocking after it:
  /// turning the mode off again would, on Asio, turn off the internal non-blocking mode its
  /// pending operations rely on (socket_ops::set_user_non_blocking), and the reactor would then
  /// block in a read.
  void make_non_blocking(int s)
  {
    error_code ignored;
    slots_[s]->non_blocking(true, ignored);
  }

  /// A signal of its own for operation `id`, which "emit c" reaches from now on. Signals live
  /// as long as the run: an operation still holds its slot when a later one takes the index.
  asio::cancellation_slot bind_signal(int c, std::size_t id, int slot)
  {
    signals_.emplace_back();
    bound_[c] = bound{&signals_.back(), id, slot, object_[slot]};
    return signals_.back().slot();
  }

  /// Emitting is left out once the operation completed or its socket object was replaced (moved,
  /// reconnected): Asio's reactor keeps a pointer into the socket object in the slot's handler
  /// and never clears the slot, so an emit then would touch freed memory on Asio. Leaving it out
  /// writes nothing to the trace: where the two libraries disagree on whether the operation is
  /// still pending, the operation's own outcome shows it.
  bool still_bound(const bound& b)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return !trace_.operations[b.op].completed && object_[b.slot] == b.object;
  }

  /// Bytes slot s handed to writes on its current connection that its peer has not read: an
  /// upper bound of what is on its way (a partial write counts whole, on both libraries alike).
  std::uint64_t backlog(int s)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const int peer = s ^ 1;
    const std::uint64_t read = trace_.bytes_in[static_cast<std::size_t>(peer)] - read_base_[peer];
    return written_[s] > read ? written_[s] - read : 0;
  }

  std::size_t pending()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t n = 0;
    for (const operation& op : trace_.operations)
      n += op.completed ? 0 : 1;
    return n;
  }

  /// Runs the io_context until nothing has happened for the quiet period.
  /// Runs the context (one-thread scripts) or waits until operations `ids` have completed, for
  /// at most 10 s; what has not completed by then shows in the trace.
  void await_completion(std::initializer_list<std::size_t> ids)
  {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;)
    {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (std::all_of(ids.begin(), ids.end(),
                        [&](std::size_t id) { return trace_.operations[id].completed; }))
          return;
      }
      if (std::chrono::steady_clock::now() >= deadline)
        return;
      std::size_t ran = 0;
      if (script_.threads == 1)
      {
        ioc_.restart();
        ran = ioc_.poll();
      }
      if (ran == 0)
        std::this_thread::sleep_for(pace_.quiet / 4);
    }
  }

  void settle()
  {
    const auto slice = pace_.quiet / 4;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int quiet = 0;
    std::uint64_t seen = events_.load(std::memory_order_acquire);
    while (quiet < 4 && std::chrono::steady_clock::now() < deadline)
    {
      std::size_t ran = 0;
      if (script_.threads == 1)
      {
        ioc_.restart();
        ran = ioc_.poll();
      }
      const std::uint64_t now = events_.load(std::memory_order_acquire);
      if (ran != 0 || now != seen)
        quiet = 0;
      else
      {
        ++quiet;
        std::this_thread::sleep_for(slice);
      }
      seen = now;
    }
  }

  const script& script_;
  const pace pace_;
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> strand_;
  std::optional<acceptor> acceptor_;
  asio::ip::tcp::endpoint endpoint_;
  std::array<std::unique_ptr<socket>, slot_count> slots_;
  // Socket objects a slot no longer holds (moved from, replaced) live until the run ends: a
  // composed operation (async_read, async_write) holds a reference to the object it started on.
  std::vector<std::unique_ptr<socket>> retired_;
  std::array<std::uint64_t, slot_count> generation_{};
  std::array<std::uint64_t, slot_count> written_{};   // bytes handed to writes, this connection
  std::array<std::uint64_t, slot_count> read_base_{}; // received count when the connection began
  std::list<asio::cancellation_signal> signals_;
  std::array<bound, signal_count> bound_{};
  std::array<std::uint64_t, slot_count> object_{}; // bumped when a slot's socket object changes
  std::array<std::atomic<bool>, slot_count> shut_{}; // the connection was shut down, closed, reset
  std::list<asio::steady_timer> timers_;
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::size_t> current_step_{0}; // setup counts as step 0
  std::mutex mutex_;
  trace trace_;
};

/// Runs `s` on the library whose TCP protocol type is Tcp.
template <class Tcp>
trace run(const script& s, pace p)
{
  runner<Tcp> r(s, p);
  return r.run();
}

} // namespace differential

#endif // BOOST_SOCKN_TEST_DIFFERENTIAL_RUNNER_HPP
