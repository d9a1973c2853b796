//
// boost_sockn/basic_socket_watcher.hpp
//
// async_wait on a socket the program does not own (one created by libcurl, c-ares, libpq...).
// The watcher registers the handle with the reactor but never closes it and never changes its
// blocking mode; release() or destruction stops watching and leaves the handle to its owner.
// Release before the owner closes the handle: a closed and reused handle value cannot be told
// apart from the socket that was watched.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BASIC_SOCKET_WATCHER_HPP
#define BOOST_SOCKN_BASIC_SOCKET_WATCHER_HPP

#include <boost_sockn/detail/io_object.hpp>
#include <boost_sockn/detail/socket_service.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/detail/throw_error.hpp>
#include <boost/asio/socket_base.hpp>

namespace boost_sockn {

template <class Executor = boost::asio::any_io_executor>
class basic_socket_watcher
{
  template <class T>
  using if_context = typename std::enable_if<
      std::is_convertible<T&, boost::asio::execution_context&>::value, int>::type;

public:
  using executor_type = Executor;
  using native_handle_type = boost::asio::detail::socket_type;
  using wait_type = boost::asio::socket_base::wait_type;

  template <class Executor1>
  struct rebind_executor
  {
    using other = basic_socket_watcher<Executor1>;
  };

  explicit basic_socket_watcher(const executor_type& ex) : executor_(ex) {}

  template <class ExecutionContext>
  explicit basic_socket_watcher(ExecutionContext& context, if_context<ExecutionContext> = 0)
    : executor_(context.get_executor())
  {
  }

  basic_socket_watcher(const executor_type& ex, native_handle_type s) : executor_(ex) { assign(s); }

  template <class ExecutionContext>
  basic_socket_watcher(ExecutionContext& context, native_handle_type s,
                       if_context<ExecutionContext> = 0)
    : executor_(context.get_executor())
  {
    assign(s);
  }

  basic_socket_watcher(basic_socket_watcher&& other) noexcept
    : executor_(other.executor_), impl_(std::move(other.impl_))
  {
  }

  basic_socket_watcher& operator=(basic_socket_watcher&& other)
  {
    if (this != &other)
    {
      stop();
      detail::move_socket(impl_, other.impl_);
      executor_ = other.executor_;
    }
    return *this;
  }

  ~basic_socket_watcher() { stop(); }

  const executor_type& get_executor() const noexcept { return executor_; }

  /// Starts watching `s`. Fails with bad_descriptor or not_socket when `s` is not a socket, and
  /// with already_open when this watcher already watches one.
  void assign(native_handle_type s)
  {
    boost::system::error_code ec;
    assign(s, ec);
    detail::throw_reactor_error(detail::reactor_for(executor_), ec, "assign");
  }

  BOOST_ASIO_SYNC_OP_VOID assign(native_handle_type s, boost::system::error_code& ec)
  {
    if (impl_.is_open())
    {
      ec = boost::asio::error::already_open;
      BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
    }
    int type = 0;
    if (!detail::socket_type_of(s, type, ec))
      BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
    detail::assign_socket(detail::reactor_for(executor_), impl_, type, s, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool is_open() const noexcept { return impl_.is_open(); }
  native_handle_type native_handle() const noexcept { return impl_.socket; }

  /// Stops watching: pending waits complete with operation_aborted; the handle is returned, open.
  native_handle_type release()
  {
    boost::system::error_code ec;
    native_handle_type s = release(ec);
    boost::asio::detail::throw_error(ec, "release");
    return s;
  }

  native_handle_type release(boost::system::error_code& ec)
  {
    return detail::release_socket(impl_, ec);
  }

  void cancel()
  {
    boost::system::error_code ec;
    cancel(ec);
    boost::asio::detail::throw_error(ec, "cancel");
  }

  BOOST_ASIO_SYNC_OP_VOID cancel(boost::system::error_code& ec)
  {
    detail::cancel_socket(impl_, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

private:
  class initiate_async_wait
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_wait(basic_socket_watcher* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class WaitHandler>
    void operator()(WaitHandler&& handler, wait_type w) const
    {
      detail::async_wait(self_->impl_, w, std::forward<WaitHandler>(handler), self_->executor_);
    }

  private:
    basic_socket_watcher* self_;
  };

public:
  /// Waits until the socket is readable, writable or has an error: void(error_code).
  template <class WaitToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_wait(wait_type w,
                  WaitToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WaitToken, void(boost::system::error_code)>(
          std::declval<initiate_async_wait>(), token, w))
  {
    return boost::asio::async_initiate<WaitToken, void(boost::system::error_code)>(
        initiate_async_wait(this), token, w);
  }

private:
  void stop() noexcept
  {
    boost::system::error_code ignored;
    if (impl_.is_open())
      detail::release_socket(impl_, ignored);
  }

  executor_type executor_;
  detail::socket_impl impl_;
};

using socket_watcher = basic_socket_watcher<>;

} // namespace boost_sockn

#endif // BOOST_SOCKN_BASIC_SOCKET_WATCHER_HPP
