//
// boost_sockn/detail/io_op.hpp
//
// The concrete operation: an action (the system call and its arguments) plus the handler, with
// Asio's rules for asynchronous operations — memory from the handler's associated allocator,
// freed before the upcall; outstanding work on the I/O executor and the handler's executor until
// completion; completion through the handler's associated executor, posted when it is decided
// inside the initiating function; per-operation cancellation through the associated slot. With
// BOOST_ASIO_ENABLE_HANDLER_TRACKING, operations show in Asio's tracking output as Asio's own
// socket operations do (created by the initiating function, invoked or destroyed once).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_IO_OP_HPP
#define BOOST_SOCKN_DETAIL_IO_OP_HPP

#include <boost_sockn/detail/actions.hpp>
#include <boost_sockn/detail/io_object.hpp>
#include <boost_sockn/detail/reactor_op.hpp>
#include <boost_sockn/detail/reactor_service.hpp>

#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/detail/handler_cont_helpers.hpp>
#include <boost/asio/detail/handler_tracking.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/recycling_allocator.hpp>

#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace boost_sockn {
namespace detail {

/// Installed in a handler's cancellation slot: aborts the operation if it is still queued. Every
/// kind of cancellation (terminal, partial, total) does the same, as in Asio's reactive sockets:
/// a queued operation has had no side effects.
struct op_cancellation
{
  descriptor_state* desc;
  op_kind kind;
  reactor_op* op;

  void operator()(boost::asio::cancellation_type_t type) const
  {
    if (type != boost::asio::cancellation_type::none)
      cancel_op(desc, kind, op);
  }
};

template <class Action, class Handler, class IoExecutor>
class io_op final : public reactor_op BOOST_ASIO_ALSO_INHERIT_TRACKED_HANDLER
{
public:
  using handler_executor = typename boost::asio::associated_executor<Handler, IoExecutor>::type;
  using allocator_type = typename boost::asio::associated_allocator<
      Handler, boost::asio::recycling_allocator<void>>::type;
  using slot_type = typename boost::asio::associated_cancellation_slot<Handler>::type;
  using op_allocator = typename std::allocator_traits<allocator_type>::template rebind_alloc<io_op>;

  /// Allocates the operation from the handler's allocator. Handler tracking records it as
  /// created by the I/O object `object`, on handle `handle`, as Asio's sockets record theirs.
  template <class H>
  static io_op* create(Action&& action, H&& handler, const IoExecutor& ex,
                       [[maybe_unused]] void* object, [[maybe_unused]] std::uintmax_t handle)
  {
    // Read the associations before the handler is moved.
    op_allocator alloc(
        boost::asio::get_associated_allocator(handler, boost::asio::recycling_allocator<void>()));
    io_op* mem = std::allocator_traits<op_allocator>::allocate(alloc, 1);
    io_op* op;
    try
    {
      op = ::new (static_cast<void*>(mem)) io_op(std::move(action), std::forward<H>(handler), ex);
    }
    catch (...)
    {
      std::allocator_traits<op_allocator>::deallocate(alloc, mem, 1);
      throw;
    }
    BOOST_ASIO_HANDLER_CREATION((context_of(ex), *op, "socket", object, handle,
                                 Action::tracking_name));
    return op;
  }

  /// Hands the operation to the reactor: queue `kind` of `d`, tried at once when `speculative`
  /// and nothing waits ahead of it. Its handler's cancellation slot now reaches it.
  void start(descriptor_state* d, op_kind kind, bool speculative)
  {
    if (slot_.is_connected())
      slot_.template emplace<op_cancellation>(op_cancellation{d, kind, this});
    start_op(d, kind, this, speculative);
  }

  /// Completes the operation with `ec` (and `bytes`), posted: it was decided inside the
  /// initiating function, where the handler must not run.
  void fail(const boost::system::error_code& ec, std::size_t bytes = 0)
  {
    ec_ = ec;
    bytes_ = bytes;
    complete(completion_mode::post);
  }

private:
  template <class H>
  io_op(Action&& action, H&& handler, const IoExecutor& ex)
    : reactor_op(&do_perform, &do_complete),
      action_(std::move(action)),
      handler_(std::forward<H>(handler)),
      work1_(ex),
      work2_(boost::asio::get_associated_executor(handler_, ex)),
      slot_(boost::asio::get_associated_cancellation_slot(handler_))
  {
  }

  static bool do_perform(reactor_op* base, event ready)
  {
    io_op* o = static_cast<io_op*>(base);
    return perform_action(o->action_, ready, o->ec_, o->bytes_);
  }

  static void do_complete(reactor_op* base, completion_mode mode)
  {
    io_op* o = static_cast<io_op*>(base);
    BOOST_ASIO_HANDLER_COMPLETION((*o)); // before the operation is freed: it reads the id
    if (o->slot_.is_connected())
      o->slot_.clear();

    // Take everything out and free the operation before the upcall, so that the handler may
    // start the next operation with the same memory.
    allocator_type handler_alloc(
        boost::asio::get_associated_allocator(o->handler_, boost::asio::recycling_allocator<void>()));
    Handler handler(std::move(o->handler_));
    Action action(std::move(o->action_));
    boost::asio::executor_work_guard<IoExecutor> work1(std::move(o->work1_));
    boost::asio::executor_work_guard<handler_executor> work2(std::move(o->work2_));
    boost::system::error_code ec = o->ec_;
    const std::size_t bytes = o->bytes_;
    op_allocator alloc(handler_alloc);
    o->~io_op();
    std::allocator_traits<op_allocator>::deallocate(alloc, o, 1);

    if (mode == completion_mode::destroy)
      return;
    action.finish(ec, bytes);
    const bool continuation = boost_asio_handler_cont_helpers::is_continuation(handler);
    auto bound = boost::asio::bind_allocator(handler_alloc, action.bind(std::move(handler), ec, bytes));
    if (Action::reports_bytes)
      BOOST_ASIO_HANDLER_INVOCATION_BEGIN((ec, bytes));
    else
      BOOST_ASIO_HANDLER_INVOCATION_BEGIN((ec));
    if (mode == completion_mode::dispatch)
      boost::asio::dispatch(work2.get_executor(), std::move(bound));
    else
      post_completion(work2.get_executor(), handler_alloc, continuation, std::move(bound));
    BOOST_ASIO_HANDLER_INVOCATION_END;
  }

  // A completion decided in the initiating function is posted. When the handler continues a
  // chain (a composed operation's next step), it is posted as a continuation, as Asio's own
  // sockets do: the io_context keeps it on the current thread instead of waking another.
  template <class Ex, class F>
  static void post_completion(const Ex& ex, const allocator_type& alloc, bool continuation, F&& f,
      typename std::enable_if<boost::asio::execution::is_executor<Ex>::value>::type* = nullptr)
  {
    if (continuation)
      boost::asio::execution::execute(
          boost::asio::prefer(boost::asio::require(ex, boost::asio::execution::blocking.never),
                              boost::asio::execution::relationship.continuation,
                              boost::asio::execution::allocator(alloc)),
          std::forward<F>(f));
    else
      boost::asio::post(ex, std::forward<F>(f));
  }

  template <class Ex, class F>
  static void post_completion(const Ex& ex, const allocator_type& alloc, bool continuation, F&& f,
      typename std::enable_if<!boost::asio::execution::is_executor<Ex>::value>::type* = nullptr)
  {
    if (continuation)
      ex.defer(std::forward<F>(f), alloc);
    else
      boost::asio::post(ex, std::forward<F>(f));
  }

  Action action_;
  Handler handler_;
  boost::asio::executor_work_guard<IoExecutor> work1_;
  boost::asio::executor_work_guard<handler_executor> work2_;
  slot_type slot_;
};

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_IO_OP_HPP
