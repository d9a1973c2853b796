//
// boost_sockn/basic_socket.hpp
//
// The socket base: Asio 1.81's boost::asio::basic_socket, member for member, on the reactor.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BASIC_SOCKET_HPP
#define BOOST_SOCKN_BASIC_SOCKET_HPP

#include <boost_sockn/detail/io_object.hpp>
#include <boost_sockn/detail/socket_service.hpp>
#include <boost_sockn/reactor.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/detail/throw_error.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>

#include <type_traits>
#include <utility>

namespace boost_sockn {

template <class Protocol, class Executor>
class basic_socket_acceptor;

template <class Protocol, class Executor = boost::asio::any_io_executor>
class basic_socket : public boost::asio::socket_base
{
  template <class T>
  using if_context = typename std::enable_if<
      std::is_convertible<T&, boost::asio::execution_context&>::value, int>::type;

public:
  using executor_type = Executor;

  template <class Executor1>
  struct rebind_executor
  {
    using other = basic_socket<Protocol, Executor1>;
  };

  using native_handle_type = boost::asio::detail::socket_type;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;
  using lowest_layer_type = basic_socket<Protocol, Executor>;

  explicit basic_socket(const executor_type& ex)
    : executor_(ex), protocol_(endpoint_type().protocol())
  {
  }

  template <class ExecutionContext>
  explicit basic_socket(ExecutionContext& context, if_context<ExecutionContext> = 0)
    : executor_(context.get_executor()), protocol_(endpoint_type().protocol())
  {
  }

  basic_socket(const executor_type& ex, const protocol_type& protocol)
    : basic_socket(ex)
  {
    open(protocol);
  }

  template <class ExecutionContext>
  basic_socket(ExecutionContext& context, const protocol_type& protocol,
               if_context<ExecutionContext> = 0)
    : basic_socket(context)
  {
    open(protocol);
  }

  basic_socket(const executor_type& ex, const endpoint_type& endpoint)
    : basic_socket(ex)
  {
    open(endpoint.protocol());
    bind(endpoint);
  }

  template <class ExecutionContext>
  basic_socket(ExecutionContext& context, const endpoint_type& endpoint,
               if_context<ExecutionContext> = 0)
    : basic_socket(context)
  {
    open(endpoint.protocol());
    bind(endpoint);
  }

  basic_socket(const executor_type& ex, const protocol_type& protocol,
               const native_handle_type& native_socket)
    : basic_socket(ex)
  {
    assign(protocol, native_socket);
  }

  template <class ExecutionContext>
  basic_socket(ExecutionContext& context, const protocol_type& protocol,
               const native_handle_type& native_socket, if_context<ExecutionContext> = 0)
    : basic_socket(context)
  {
    assign(protocol, native_socket);
  }

  /// The moved-from socket keeps its executor and is closed; pending operations go on (they
  /// belong to the socket's reactor state, not to this object).
  basic_socket(basic_socket&& other) noexcept
    : executor_(other.executor_), protocol_(other.protocol_), impl_(std::move(other.impl_))
  {
  }

  basic_socket& operator=(basic_socket&& other)
  {
    if (this != &other)
    {
      detail::destroy_socket(impl_);
      detail::move_socket(impl_, other.impl_);
      executor_ = other.executor_;
      protocol_ = other.protocol_;
    }
    return *this;
  }

  template <class Protocol1, class Executor1>
  basic_socket(basic_socket<Protocol1, Executor1>&& other,
               typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                                       && std::is_convertible<Executor1, Executor>::value,
                                       int>::type = 0)
    : executor_(other.executor_), protocol_(other.protocol_), impl_(std::move(other.impl_))
  {
  }

  template <class Protocol1, class Executor1>
  typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                              && std::is_convertible<Executor1, Executor>::value,
                          basic_socket&>::type
  operator=(basic_socket<Protocol1, Executor1>&& other)
  {
    detail::destroy_socket(impl_);
    detail::move_socket(impl_, other.impl_);
    executor_ = Executor(other.executor_);
    protocol_ = Protocol(other.protocol_);
    return *this;
  }

  const executor_type& get_executor() const noexcept { return executor_; }

  lowest_layer_type& lowest_layer() { return *this; }
  const lowest_layer_type& lowest_layer() const { return *this; }

  void open(const protocol_type& protocol = protocol_type())
  {
    boost::system::error_code ec;
    open(protocol, ec);
    detail::throw_reactor_error(detail::reactor_for(executor_), ec, "open");
  }

  BOOST_ASIO_SYNC_OP_VOID open(const protocol_type& protocol, boost::system::error_code& ec)
  {
    if (impl_.is_open())
    {
      ec = boost::asio::error::already_open;
      BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
    }
    detail::open_socket(detail::reactor_for(executor_), impl_, protocol.family(), protocol.type(),
                        protocol.protocol(), ec);
    if (!ec)
      protocol_ = protocol;
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void assign(const protocol_type& protocol, const native_handle_type& native_socket)
  {
    boost::system::error_code ec;
    assign(protocol, native_socket, ec);
    detail::throw_reactor_error(detail::reactor_for(executor_), ec, "assign");
  }

  BOOST_ASIO_SYNC_OP_VOID assign(const protocol_type& protocol,
                                 const native_handle_type& native_socket,
                                 boost::system::error_code& ec)
  {
    detail::assign_socket(detail::reactor_for(executor_), impl_, protocol.type(), native_socket, ec);
    if (!ec)
      protocol_ = protocol;
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool is_open() const { return impl_.is_open(); }

  void close()
  {
    boost::system::error_code ec;
    close(ec);
    boost::asio::detail::throw_error(ec, "close");
  }

  BOOST_ASIO_SYNC_OP_VOID close(boost::system::error_code& ec)
  {
    detail::close_socket(impl_, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  /// Gives the handle back to the program: pending operations complete with operation_aborted,
  /// the port forgets the socket, and this object is left closed. The handle stays in
  /// non-blocking mode if an asynchronous operation had set it.
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

  native_handle_type native_handle() { return impl_.socket; }

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

  bool at_mark() const
  {
    boost::system::error_code ec;
    bool b = at_mark(ec);
    boost::asio::detail::throw_error(ec, "at_mark");
    return b;
  }

  bool at_mark(boost::system::error_code& ec) const
  {
    return detail::sockops::sockatmark(impl_.socket, ec);
  }

  std::size_t available() const
  {
    boost::system::error_code ec;
    std::size_t n = available(ec);
    boost::asio::detail::throw_error(ec, "available");
    return n;
  }

  std::size_t available(boost::system::error_code& ec) const
  {
    return detail::sockops::available(impl_.socket, ec);
  }

  void bind(const endpoint_type& endpoint)
  {
    boost::system::error_code ec;
    bind(endpoint, ec);
    boost::asio::detail::throw_error(ec, "bind");
  }

  BOOST_ASIO_SYNC_OP_VOID bind(const endpoint_type& endpoint, boost::system::error_code& ec)
  {
    detail::sockops::bind(impl_.socket, endpoint.data(), endpoint.size(), ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void connect(const endpoint_type& peer_endpoint)
  {
    boost::system::error_code ec;
    connect(peer_endpoint, ec);
    boost::asio::detail::throw_error(ec, "connect");
  }

  BOOST_ASIO_SYNC_OP_VOID connect(const endpoint_type& peer_endpoint, boost::system::error_code& ec)
  {
    if (!is_open())
    {
      open(peer_endpoint.protocol(), ec);
      if (ec)
        BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
    }
    detail::sockops::sync_connect(impl_.socket, peer_endpoint.data(), peer_endpoint.size(), ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

private:
  class initiate_async_connect;
  class initiate_async_wait;

public:
  /// Opens the socket first if it is closed; an open failure is delivered through the handler.
  template <class ConnectToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_connect(const endpoint_type& peer_endpoint,
                     ConnectToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ConnectToken, void(boost::system::error_code)>(
          std::declval<initiate_async_connect>(), token, peer_endpoint,
          std::declval<boost::system::error_code&>()))
  {
    boost::system::error_code open_ec;
    if (!is_open())
    {
      const protocol_type protocol = peer_endpoint.protocol();
      open(protocol, open_ec);
    }
    return boost::asio::async_initiate<ConnectToken, void(boost::system::error_code)>(
        initiate_async_connect(this), token, peer_endpoint, open_ec);
  }

  template <class SettableSocketOption>
  void set_option(const SettableSocketOption& option)
  {
    boost::system::error_code ec;
    set_option(option, ec);
    boost::asio::detail::throw_error(ec, "set_option");
  }

  template <class SettableSocketOption>
  BOOST_ASIO_SYNC_OP_VOID set_option(const SettableSocketOption& option,
                                     boost::system::error_code& ec)
  {
    detail::sockops::setsockopt(impl_.socket, impl_.state, option.level(protocol_),
                                option.name(protocol_), option.data(protocol_),
                                option.size(protocol_), ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class GettableSocketOption>
  void get_option(GettableSocketOption& option) const
  {
    boost::system::error_code ec;
    get_option(option, ec);
    boost::asio::detail::throw_error(ec, "get_option");
  }

  template <class GettableSocketOption>
  BOOST_ASIO_SYNC_OP_VOID get_option(GettableSocketOption& option,
                                     boost::system::error_code& ec) const
  {
    std::size_t size = option.size(protocol_);
    detail::sockops::getsockopt(impl_.socket, impl_.state, option.level(protocol_),
                                option.name(protocol_), option.data(protocol_), &size, ec);
    if (!ec)
      option.resize(protocol_, size);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class IoControlCommand>
  void io_control(IoControlCommand& command)
  {
    boost::system::error_code ec;
    io_control(command, ec);
    boost::asio::detail::throw_error(ec, "io_control");
  }

  template <class IoControlCommand>
  BOOST_ASIO_SYNC_OP_VOID io_control(IoControlCommand& command, boost::system::error_code& ec)
  {
    detail::sockops::ioctl(impl_.socket, impl_.state, command.name(),
                           static_cast<boost::asio::detail::ioctl_arg_type*>(command.data()), ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool non_blocking() const { return (impl_.state & detail::sockops::user_set_non_blocking) != 0; }

  void non_blocking(bool mode)
  {
    boost::system::error_code ec;
    non_blocking(mode, ec);
    boost::asio::detail::throw_error(ec, "non_blocking");
  }

  BOOST_ASIO_SYNC_OP_VOID non_blocking(bool mode, boost::system::error_code& ec)
  {
    detail::sockops::set_user_non_blocking(impl_.socket, impl_.state, mode, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool native_non_blocking() const
  {
    return (impl_.state & detail::sockops::internal_non_blocking) != 0;
  }

  void native_non_blocking(bool mode)
  {
    boost::system::error_code ec;
    native_non_blocking(mode, ec);
    boost::asio::detail::throw_error(ec, "native_non_blocking");
  }

  BOOST_ASIO_SYNC_OP_VOID native_non_blocking(bool mode, boost::system::error_code& ec)
  {
    detail::sockops::set_internal_non_blocking(impl_.socket, impl_.state, mode, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  endpoint_type local_endpoint() const
  {
    boost::system::error_code ec;
    endpoint_type ep = local_endpoint(ec);
    boost::asio::detail::throw_error(ec, "local_endpoint");
    return ep;
  }

  endpoint_type local_endpoint(boost::system::error_code& ec) const
  {
    endpoint_type endpoint;
    std::size_t len = endpoint.capacity();
    if (detail::sockops::getsockname(impl_.socket, endpoint.data(), &len, ec))
      return endpoint_type();
    endpoint.resize(len);
    return endpoint;
  }

  endpoint_type remote_endpoint() const
  {
    boost::system::error_code ec;
    endpoint_type ep = remote_endpoint(ec);
    boost::asio::detail::throw_error(ec, "remote_endpoint");
    return ep;
  }

  endpoint_type remote_endpoint(boost::system::error_code& ec) const
  {
    endpoint_type endpoint;
    std::size_t len = endpoint.capacity();
    if (detail::sockops::getpeername(impl_.socket, endpoint.data(), &len, false, ec))
      return endpoint_type();
    endpoint.resize(len);
    return endpoint;
  }

  void shutdown(shutdown_type what)
  {
    boost::system::error_code ec;
    shutdown(what, ec);
    boost::asio::detail::throw_error(ec, "shutdown");
  }

  BOOST_ASIO_SYNC_OP_VOID shutdown(shutdown_type what, boost::system::error_code& ec)
  {
    detail::shutdown_socket(impl_, what, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void wait(wait_type w)
  {
    boost::system::error_code ec;
    wait(w, ec);
    boost::asio::detail::throw_error(ec, "wait");
  }

  BOOST_ASIO_SYNC_OP_VOID wait(wait_type w, boost::system::error_code& ec)
  {
    detail::sync_wait(impl_.socket, impl_.state, w, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class WaitToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_wait(wait_type w,
                  WaitToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WaitToken, void(boost::system::error_code)>(
          std::declval<initiate_async_wait>(), token, w))
  {
    return boost::asio::async_initiate<WaitToken, void(boost::system::error_code)>(
        initiate_async_wait(this), token, w);
  }

protected:
  /// Like close(), but never throws and never blocks on a user-set linger.
  ~basic_socket() { detail::destroy_socket(impl_); }

  executor_type executor_;
  Protocol protocol_;
  detail::socket_impl impl_;

private:
  template <class, class>
  friend class basic_socket;
  template <class, class>
  friend class basic_socket_acceptor;
  template <class, class>
  friend struct detail::accept_into_action;
  template <class, class>
  friend struct detail::move_accept_action;

  /// Takes ownership of a handle returned by accept, registered with this socket's reactor.
  void adopt_accepted(detail::accepted_socket& accepted, boost::system::error_code& ec)
  {
    if (impl_.is_open())
    {
      ec = boost::asio::error::already_open;
      return;
    }
    detail::adopt_accepted(detail::reactor_for(executor_), impl_, protocol_.type(),
                           accepted.get(), ec);
    accepted.release(); // adopt_accepted closes the handle itself on failure
  }

  class initiate_async_connect
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_connect(basic_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class ConnectHandler>
    void operator()(ConnectHandler&& handler, const endpoint_type& peer_endpoint,
                    const boost::system::error_code& open_ec) const
    {
      detail::async_connect(self_->impl_, peer_endpoint, open_ec,
                            std::forward<ConnectHandler>(handler), self_->executor_);
    }

  private:
    basic_socket* self_;
  };

  class initiate_async_wait
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_wait(basic_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class WaitHandler>
    void operator()(WaitHandler&& handler, wait_type w) const
    {
      detail::async_wait(self_->impl_, w, std::forward<WaitHandler>(handler), self_->executor_);
    }

  private:
    basic_socket* self_;
  };
};

} // namespace boost_sockn

#include <boost_sockn/detail/misuse.hpp>

#endif // BOOST_SOCKN_BASIC_SOCKET_HPP
