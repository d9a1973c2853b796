//
// boost_sockn/basic_socket_acceptor.hpp
//
// Asio 1.81's boost::asio::basic_socket_acceptor, member for member, on the reactor. Accepted
// sockets are registered with the reactor of their own executor's context.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BASIC_SOCKET_ACCEPTOR_HPP
#define BOOST_SOCKN_BASIC_SOCKET_ACCEPTOR_HPP

#include <boost_sockn/basic_socket.hpp>

#include <boost/asio/is_executor.hpp>
#include <boost/asio/execution/executor.hpp>

namespace boost_sockn {

template <class Protocol, class Executor = boost::asio::any_io_executor>
class basic_socket_acceptor : public boost::asio::socket_base
{
  template <class T>
  using if_context = typename std::enable_if<
      std::is_convertible<T&, boost::asio::execution_context&>::value, int>::type;
  template <class E>
  using if_executor = typename std::enable_if<
      boost::asio::is_executor<E>::value || boost::asio::execution::is_executor<E>::value, int>::type;

  // The listening socket; the acceptor exposes the subset of its members that Asio's does.
  struct listener : basic_socket<Protocol, Executor>
  {
    // Forwarding rather than inherited constructors: GCC 12 crashes substituting the inherited
    // constructors' defaulted constraint arguments.
    template <class... Args>
    explicit listener(Args&&... args) : basic_socket<Protocol, Executor>(std::forward<Args>(args)...)
    {
    }
    listener(listener&& other) noexcept : basic_socket<Protocol, Executor>(std::move(other)) {}
    listener& operator=(listener&& other)
    {
      basic_socket<Protocol, Executor>::operator=(std::move(other));
      return *this;
    }
    using basic_socket<Protocol, Executor>::operator=;
    using basic_socket<Protocol, Executor>::impl_;
  };

public:
  using executor_type = Executor;

  template <class Executor1>
  struct rebind_executor
  {
    using other = basic_socket_acceptor<Protocol, Executor1>;
  };

  using native_handle_type = boost::asio::detail::socket_type;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;

  template <class Executor1>
  using socket_for = typename Protocol::socket::template rebind_executor<Executor1>::other;

  explicit basic_socket_acceptor(const executor_type& ex) : s_(ex) {}
  template <class ExecutionContext>
  explicit basic_socket_acceptor(ExecutionContext& context, if_context<ExecutionContext> = 0)
    : s_(context) {}

  basic_socket_acceptor(const executor_type& ex, const protocol_type& protocol) : s_(ex, protocol) {}
  template <class ExecutionContext>
  basic_socket_acceptor(ExecutionContext& context, const protocol_type& protocol,
                        if_context<ExecutionContext> = 0)
    : s_(context, protocol) {}

  /// Opens, sets SO_REUSEADDR if asked, binds and listens (max_listen_connections).
  basic_socket_acceptor(const executor_type& ex, const endpoint_type& endpoint,
                        bool reuse_addr = true)
    : s_(ex)
  {
    setup(endpoint, reuse_addr);
  }
  template <class ExecutionContext>
  basic_socket_acceptor(ExecutionContext& context, const endpoint_type& endpoint,
                        bool reuse_addr = true, if_context<ExecutionContext> = 0)
    : s_(context)
  {
    setup(endpoint, reuse_addr);
  }

  basic_socket_acceptor(const executor_type& ex, const protocol_type& protocol,
                        const native_handle_type& native_acceptor)
    : s_(ex, protocol, native_acceptor) {}
  template <class ExecutionContext>
  basic_socket_acceptor(ExecutionContext& context, const protocol_type& protocol,
                        const native_handle_type& native_acceptor, if_context<ExecutionContext> = 0)
    : s_(context, protocol, native_acceptor) {}

  basic_socket_acceptor(basic_socket_acceptor&& other) noexcept : s_(std::move(other.s_)) {}
  basic_socket_acceptor& operator=(basic_socket_acceptor&& other)
  {
    s_ = std::move(other.s_);
    return *this;
  }

  template <class Protocol1, class Executor1>
  basic_socket_acceptor(basic_socket_acceptor<Protocol1, Executor1>&& other,
                        typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                                                && std::is_convertible<Executor1, Executor>::value,
                                                int>::type = 0)
    : s_(static_cast<basic_socket<Protocol1, Executor1>&&>(other.s_)) {}

  template <class Protocol1, class Executor1>
  typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                              && std::is_convertible<Executor1, Executor>::value,
                          basic_socket_acceptor&>::type
  operator=(basic_socket_acceptor<Protocol1, Executor1>&& other)
  {
    static_cast<basic_socket<Protocol, Executor>&>(s_) =
        static_cast<basic_socket<Protocol1, Executor1>&&>(other.s_);
    return *this;
  }

  ~basic_socket_acceptor() = default;

  const executor_type& get_executor() const noexcept { return s_.get_executor(); }

  void open(const protocol_type& protocol = protocol_type()) { s_.open(protocol); }
  BOOST_ASIO_SYNC_OP_VOID open(const protocol_type& protocol, boost::system::error_code& ec)
  {
    s_.open(protocol, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void assign(const protocol_type& protocol, const native_handle_type& native_acceptor)
  { s_.assign(protocol, native_acceptor); }
  BOOST_ASIO_SYNC_OP_VOID assign(const protocol_type& protocol,
                                 const native_handle_type& native_acceptor,
                                 boost::system::error_code& ec)
  {
    s_.assign(protocol, native_acceptor, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool is_open() const { return s_.is_open(); }

  void bind(const endpoint_type& endpoint) { s_.bind(endpoint); }
  BOOST_ASIO_SYNC_OP_VOID bind(const endpoint_type& endpoint, boost::system::error_code& ec)
  {
    s_.bind(endpoint, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void listen(int backlog = socket_base::max_listen_connections)
  {
    boost::system::error_code ec;
    listen(backlog, ec);
    boost::asio::detail::throw_error(ec, "listen");
  }
  BOOST_ASIO_SYNC_OP_VOID listen(int backlog, boost::system::error_code& ec)
  {
    detail::sockops::listen(s_.impl_.socket, backlog, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void close() { s_.close(); }
  BOOST_ASIO_SYNC_OP_VOID close(boost::system::error_code& ec)
  {
    s_.close(ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  native_handle_type release() { return s_.release(); }
  native_handle_type release(boost::system::error_code& ec) { return s_.release(ec); }
  native_handle_type native_handle() { return s_.native_handle(); }

  void cancel() { s_.cancel(); }
  BOOST_ASIO_SYNC_OP_VOID cancel(boost::system::error_code& ec)
  {
    s_.cancel(ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class SettableSocketOption>
  void set_option(const SettableSocketOption& option) { s_.set_option(option); }
  template <class SettableSocketOption>
  BOOST_ASIO_SYNC_OP_VOID set_option(const SettableSocketOption& option,
                                     boost::system::error_code& ec)
  {
    s_.set_option(option, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class GettableSocketOption>
  void get_option(GettableSocketOption& option) const { s_.get_option(option); }
  template <class GettableSocketOption>
  BOOST_ASIO_SYNC_OP_VOID get_option(GettableSocketOption& option,
                                     boost::system::error_code& ec) const
  {
    s_.get_option(option, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class IoControlCommand>
  void io_control(IoControlCommand& command) { s_.io_control(command); }
  template <class IoControlCommand>
  BOOST_ASIO_SYNC_OP_VOID io_control(IoControlCommand& command, boost::system::error_code& ec)
  {
    s_.io_control(command, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool non_blocking() const { return s_.non_blocking(); }
  void non_blocking(bool mode) { s_.non_blocking(mode); }
  BOOST_ASIO_SYNC_OP_VOID non_blocking(bool mode, boost::system::error_code& ec)
  {
    s_.non_blocking(mode, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  bool native_non_blocking() const { return s_.native_non_blocking(); }
  void native_non_blocking(bool mode) { s_.native_non_blocking(mode); }
  BOOST_ASIO_SYNC_OP_VOID native_non_blocking(bool mode, boost::system::error_code& ec)
  {
    s_.native_non_blocking(mode, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  endpoint_type local_endpoint() const { return s_.local_endpoint(); }
  endpoint_type local_endpoint(boost::system::error_code& ec) const { return s_.local_endpoint(ec); }

  void wait(wait_type w) { s_.wait(w); }
  BOOST_ASIO_SYNC_OP_VOID wait(wait_type w, boost::system::error_code& ec)
  {
    s_.wait(w, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class WaitToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_wait(wait_type w,
                  WaitToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(std::declval<listener&>().async_wait(w, std::forward<WaitToken>(token)))
  {
    return s_.async_wait(w, std::forward<WaitToken>(token));
  }

  // Accept into an existing socket.

  template <class Protocol1, class Executor1>
  void accept(basic_socket<Protocol1, Executor1>& peer,
              typename std::enable_if<std::is_convertible<Protocol, Protocol1>::value, int>::type = 0)
  {
    boost::system::error_code ec;
    accept_into(peer, nullptr, ec);
    boost::asio::detail::throw_error(ec, "accept");
  }

  template <class Protocol1, class Executor1>
  BOOST_ASIO_SYNC_OP_VOID accept(
      basic_socket<Protocol1, Executor1>& peer, boost::system::error_code& ec,
      typename std::enable_if<std::is_convertible<Protocol, Protocol1>::value, int>::type = 0)
  {
    accept_into(peer, nullptr, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  template <class Executor1>
  void accept(basic_socket<protocol_type, Executor1>& peer, endpoint_type& peer_endpoint)
  {
    boost::system::error_code ec;
    accept_into(peer, &peer_endpoint, ec);
    boost::asio::detail::throw_error(ec, "accept");
  }

  template <class Executor1>
  BOOST_ASIO_SYNC_OP_VOID accept(basic_socket<protocol_type, Executor1>& peer,
                                 endpoint_type& peer_endpoint, boost::system::error_code& ec)
  {
    accept_into(peer, &peer_endpoint, ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

private:
  class initiate_async_accept;
  class initiate_async_move_accept;

public:
  template <class Protocol1, class Executor1,
            class AcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(basic_socket<Protocol1, Executor1>& peer,
                    AcceptToken&& token = boost::asio::default_completion_token_t<executor_type>(),
                    typename std::enable_if<std::is_convertible<Protocol, Protocol1>::value,
                                            int>::type = 0)
      -> decltype(boost::asio::async_initiate<AcceptToken, void(boost::system::error_code)>(
          std::declval<initiate_async_accept>(), token, &peer,
          static_cast<endpoint_type*>(nullptr)))
  {
    return boost::asio::async_initiate<AcceptToken, void(boost::system::error_code)>(
        initiate_async_accept(this), token, &peer, static_cast<endpoint_type*>(nullptr));
  }

  template <class Executor1,
            class AcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(basic_socket<protocol_type, Executor1>& peer, endpoint_type& peer_endpoint,
                    AcceptToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<AcceptToken, void(boost::system::error_code)>(
          std::declval<initiate_async_accept>(), token, &peer, &peer_endpoint))
  {
    return boost::asio::async_initiate<AcceptToken, void(boost::system::error_code)>(
        initiate_async_accept(this), token, &peer, &peer_endpoint);
  }

  // Move-accept: returns (or completes with) a new socket.

  socket_for<executor_type> accept()
  {
    boost::system::error_code ec;
    socket_for<executor_type> peer(get_executor());
    accept_into(peer, nullptr, ec);
    boost::asio::detail::throw_error(ec, "accept");
    return peer;
  }

  socket_for<executor_type> accept(boost::system::error_code& ec)
  {
    socket_for<executor_type> peer(get_executor());
    accept_into(peer, nullptr, ec);
    return peer;
  }

  template <class Executor1>
  socket_for<Executor1> accept(const Executor1& ex, if_executor<Executor1> = 0)
  {
    boost::system::error_code ec;
    socket_for<Executor1> peer(ex);
    accept_into(peer, nullptr, ec);
    boost::asio::detail::throw_error(ec, "accept");
    return peer;
  }

  template <class ExecutionContext>
  socket_for<typename ExecutionContext::executor_type> accept(ExecutionContext& context,
                                                              if_context<ExecutionContext> = 0)
  {
    return accept(context.get_executor());
  }

  template <class Executor1>
  socket_for<Executor1> accept(const Executor1& ex, boost::system::error_code& ec,
                               if_executor<Executor1> = 0)
  {
    socket_for<Executor1> peer(ex);
    accept_into(peer, nullptr, ec);
    return peer;
  }

  template <class ExecutionContext>
  socket_for<typename ExecutionContext::executor_type> accept(ExecutionContext& context,
                                                              boost::system::error_code& ec,
                                                              if_context<ExecutionContext> = 0)
  {
    return accept(context.get_executor(), ec);
  }

  socket_for<executor_type> accept(endpoint_type& peer_endpoint)
  {
    boost::system::error_code ec;
    socket_for<executor_type> peer(get_executor());
    accept_into(peer, &peer_endpoint, ec);
    boost::asio::detail::throw_error(ec, "accept");
    return peer;
  }

  socket_for<executor_type> accept(endpoint_type& peer_endpoint, boost::system::error_code& ec)
  {
    socket_for<executor_type> peer(get_executor());
    accept_into(peer, &peer_endpoint, ec);
    return peer;
  }

  template <class Executor1>
  socket_for<Executor1> accept(const Executor1& ex, endpoint_type& peer_endpoint,
                               if_executor<Executor1> = 0)
  {
    boost::system::error_code ec;
    socket_for<Executor1> peer(ex);
    accept_into(peer, &peer_endpoint, ec);
    boost::asio::detail::throw_error(ec, "accept");
    return peer;
  }

  template <class ExecutionContext>
  socket_for<typename ExecutionContext::executor_type> accept(ExecutionContext& context,
                                                              endpoint_type& peer_endpoint,
                                                              if_context<ExecutionContext> = 0)
  {
    return accept(context.get_executor(), peer_endpoint);
  }

  template <class Executor1>
  socket_for<Executor1> accept(const Executor1& ex, endpoint_type& peer_endpoint,
                               boost::system::error_code& ec, if_executor<Executor1> = 0)
  {
    socket_for<Executor1> peer(ex);
    accept_into(peer, &peer_endpoint, ec);
    return peer;
  }

  template <class ExecutionContext>
  socket_for<typename ExecutionContext::executor_type> accept(ExecutionContext& context,
                                                              endpoint_type& peer_endpoint,
                                                              boost::system::error_code& ec,
                                                              if_context<ExecutionContext> = 0)
  {
    return accept(context.get_executor(), peer_endpoint, ec);
  }

  template <class MoveAcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(MoveAcceptToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<MoveAcceptToken,
                                              void(boost::system::error_code,
                                                   socket_for<executor_type>)>(
          std::declval<initiate_async_move_accept>(), token, std::declval<const executor_type&>(),
          static_cast<endpoint_type*>(nullptr)))
  {
    return boost::asio::async_initiate<MoveAcceptToken,
                                       void(boost::system::error_code, socket_for<executor_type>)>(
        initiate_async_move_accept(this), token, get_executor(),
        static_cast<endpoint_type*>(nullptr));
  }

  template <class Executor1,
            class MoveAcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(const Executor1& ex,
                    MoveAcceptToken&& token = boost::asio::default_completion_token_t<executor_type>(),
                    if_executor<Executor1> = 0)
      -> decltype(boost::asio::async_initiate<MoveAcceptToken,
                                              void(boost::system::error_code,
                                                   socket_for<Executor1>)>(
          std::declval<initiate_async_move_accept>(), token, ex,
          static_cast<endpoint_type*>(nullptr)))
  {
    return boost::asio::async_initiate<MoveAcceptToken,
                                       void(boost::system::error_code, socket_for<Executor1>)>(
        initiate_async_move_accept(this), token, ex, static_cast<endpoint_type*>(nullptr));
  }

  template <class ExecutionContext,
            class MoveAcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(ExecutionContext& context,
                    MoveAcceptToken&& token = boost::asio::default_completion_token_t<executor_type>(),
                    if_context<ExecutionContext> = 0)
      -> decltype(std::declval<basic_socket_acceptor&>().async_accept(
          context.get_executor(), std::forward<MoveAcceptToken>(token)))
  {
    return async_accept(context.get_executor(), std::forward<MoveAcceptToken>(token));
  }

  template <class MoveAcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(endpoint_type& peer_endpoint,
                    MoveAcceptToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<MoveAcceptToken,
                                              void(boost::system::error_code,
                                                   socket_for<executor_type>)>(
          std::declval<initiate_async_move_accept>(), token, std::declval<const executor_type&>(),
          &peer_endpoint))
  {
    return boost::asio::async_initiate<MoveAcceptToken,
                                       void(boost::system::error_code, socket_for<executor_type>)>(
        initiate_async_move_accept(this), token, get_executor(), &peer_endpoint);
  }

  template <class Executor1,
            class MoveAcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(const Executor1& ex, endpoint_type& peer_endpoint,
                    MoveAcceptToken&& token = boost::asio::default_completion_token_t<executor_type>(),
                    if_executor<Executor1> = 0)
      -> decltype(boost::asio::async_initiate<MoveAcceptToken,
                                              void(boost::system::error_code,
                                                   socket_for<Executor1>)>(
          std::declval<initiate_async_move_accept>(), token, ex, &peer_endpoint))
  {
    return boost::asio::async_initiate<MoveAcceptToken,
                                       void(boost::system::error_code, socket_for<Executor1>)>(
        initiate_async_move_accept(this), token, ex, &peer_endpoint);
  }

  template <class ExecutionContext,
            class MoveAcceptToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_accept(ExecutionContext& context, endpoint_type& peer_endpoint,
                    MoveAcceptToken&& token = boost::asio::default_completion_token_t<executor_type>(),
                    if_context<ExecutionContext> = 0)
      -> decltype(std::declval<basic_socket_acceptor&>().async_accept(
          context.get_executor(), peer_endpoint, std::forward<MoveAcceptToken>(token)))
  {
    return async_accept(context.get_executor(), peer_endpoint,
                        std::forward<MoveAcceptToken>(token));
  }

private:
  template <class, class>
  friend class basic_socket_acceptor;

  void setup(const endpoint_type& endpoint, bool reuse_addr)
  {
    s_.open(endpoint.protocol());
    if (reuse_addr)
      s_.set_option(socket_base::reuse_address(true));
    s_.bind(endpoint);
    listen();
  }

  template <class Socket>
  void accept_into(Socket& peer, endpoint_type* peer_endpoint, boost::system::error_code& ec)
  {
    if (peer.is_open())
    {
      ec = boost::asio::error::already_open;
      return;
    }
    std::size_t len = peer_endpoint ? peer_endpoint->capacity() : 0;
    detail::accepted_socket accepted;
    accepted.get() = detail::sync_accept(s_.impl_.socket, s_.impl_.state,
                                         peer_endpoint ? peer_endpoint->data() : nullptr,
                                         peer_endpoint ? &len : nullptr, ec);
    if (ec)
      return;
    if (peer_endpoint)
      peer_endpoint->resize(len);
    peer.adopt_accepted(accepted, ec);
  }

  class initiate_async_accept
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_accept(basic_socket_acceptor* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class AcceptHandler, class Socket>
    void operator()(AcceptHandler&& handler, Socket* peer, endpoint_type* peer_endpoint) const
    {
      detail::async_accept(self_->s_.impl_, peer, peer_endpoint,
                           std::forward<AcceptHandler>(handler), self_->s_.get_executor());
    }

  private:
    basic_socket_acceptor* self_;
  };

  class initiate_async_move_accept
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_move_accept(basic_socket_acceptor* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class MoveAcceptHandler, class Executor1>
    void operator()(MoveAcceptHandler&& handler, const Executor1& ex,
                    endpoint_type* peer_endpoint) const
    {
      using socket_type = socket_for<Executor1>;
      detail::async_move_accept<socket_type>(self_->s_.impl_,
                                             typename socket_type::executor_type(ex), peer_endpoint,
                                             std::forward<MoveAcceptHandler>(handler),
                                             self_->s_.get_executor());
    }

  private:
    basic_socket_acceptor* self_;
  };

  listener s_;
};

} // namespace boost_sockn

#endif // BOOST_SOCKN_BASIC_SOCKET_ACCEPTOR_HPP
