//
// boost_sockn/detail/reactor_op.hpp
//
// The type-erased operation the reactor queues per socket and direction. Concrete operations
// (detail/io_op.hpp) supply two functions: perform, which makes the non-blocking system call
// and reports whether the operation finished, and complete, which frees the operation and then
// hands the result to the handler (or only frees it, at shutdown).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_REACTOR_OP_HPP
#define BOOST_SOCKN_DETAIL_REACTOR_OP_HPP

#include <boost_sockn/notification_port.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>

namespace boost_sockn {
namespace detail {

/// The per-socket queues: reads (and accepts), writes (and connects), error waits.
enum op_kind : int
{
  read_op = 0,
  write_op = 1,
  except_op = 2,
  max_ops = 3
};

/// How a finished operation reaches its handler.
enum class completion_mode
{
  destroy,  ///< service shutdown: free the operation, never invoke the handler
  dispatch, ///< normal completion on an execution-context thread
  post      ///< completion decided inside the initiating function: never run the handler there
};

class reactor_op
{
public:
  using perform_func = bool (*)(reactor_op*, event);
  using complete_func = void (*)(reactor_op*, completion_mode);

  /// Makes the non-blocking attempt; true when the operation is finished (ec_ and bytes_ hold
  /// the outcome), false when it would block. `ready` holds the conditions the port reported,
  /// or event::none for an attempt made without a notification.
  bool perform(event ready) { return perform_(this, ready); }

  /// Frees the operation and delivers (or, with completion_mode::destroy, drops) its result.
  void complete(completion_mode mode) { complete_(this, mode); }

  boost::system::error_code ec_;
  std::size_t bytes_ = 0;
  reactor_op* next_ = nullptr;

protected:
  reactor_op(perform_func p, complete_func c) noexcept : perform_(p), complete_(c) {}
  ~reactor_op() = default;

private:
  perform_func perform_;
  complete_func complete_;
};

/// Intrusive FIFO of operations.
class op_queue
{
public:
  op_queue() = default;
  op_queue(const op_queue&) = delete;
  op_queue& operator=(const op_queue&) = delete;

  bool empty() const noexcept { return head_ == nullptr; }
  reactor_op* front() const noexcept { return head_; }

  void push(reactor_op* op) noexcept
  {
    op->next_ = nullptr;
    if (tail_)
      tail_->next_ = op;
    else
      head_ = op;
    tail_ = op;
  }

  reactor_op* pop() noexcept
  {
    reactor_op* op = head_;
    if (op)
    {
      head_ = op->next_;
      if (!head_)
        tail_ = nullptr;
      op->next_ = nullptr;
    }
    return op;
  }

  /// Moves every operation of `other` to the back of this queue.
  void splice(op_queue& other) noexcept
  {
    if (other.empty())
      return;
    if (tail_)
      tail_->next_ = other.head_;
    else
      head_ = other.head_;
    tail_ = other.tail_;
    other.head_ = other.tail_ = nullptr;
  }

  /// Unlinks `op` if it is queued here; false if it is not.
  bool erase(reactor_op* op) noexcept
  {
    reactor_op* prev = nullptr;
    for (reactor_op* p = head_; p; prev = p, p = p->next_)
    {
      if (p != op)
        continue;
      if (prev)
        prev->next_ = p->next_;
      else
        head_ = p->next_;
      if (tail_ == p)
        tail_ = prev;
      p->next_ = nullptr;
      return true;
    }
    return false;
  }

private:
  reactor_op* head_ = nullptr;
  reactor_op* tail_ = nullptr;
};

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_REACTOR_OP_HPP
