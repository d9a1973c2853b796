//
// boost_sockn/basic_stream_socket.hpp
//
// Asio 1.81's boost::asio::basic_stream_socket, member for member, on the reactor.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BASIC_STREAM_SOCKET_HPP
#define BOOST_SOCKN_BASIC_STREAM_SOCKET_HPP

#include <boost_sockn/basic_socket.hpp>

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/detail/buffer_sequence_adapter.hpp>

namespace boost_sockn {

template <class Protocol, class Executor = boost::asio::any_io_executor>
class basic_stream_socket : public basic_socket<Protocol, Executor>
{
  using base = basic_socket<Protocol, Executor>;
  template <class T>
  using if_context = typename std::enable_if<
      std::is_convertible<T&, boost::asio::execution_context&>::value, int>::type;
  using signature = void(boost::system::error_code, std::size_t);

public:
  using executor_type = Executor;

  template <class Executor1>
  struct rebind_executor
  {
    using other = basic_stream_socket<Protocol, Executor1>;
  };

  using native_handle_type = typename base::native_handle_type;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;
  using message_flags = typename base::message_flags;

  explicit basic_stream_socket(const executor_type& ex) : base(ex) {}
  template <class ExecutionContext>
  explicit basic_stream_socket(ExecutionContext& context, if_context<ExecutionContext> = 0)
    : base(context) {}
  basic_stream_socket(const executor_type& ex, const protocol_type& protocol) : base(ex, protocol) {}
  template <class ExecutionContext>
  basic_stream_socket(ExecutionContext& context, const protocol_type& protocol,
                      if_context<ExecutionContext> = 0)
    : base(context, protocol) {}
  basic_stream_socket(const executor_type& ex, const endpoint_type& endpoint) : base(ex, endpoint) {}
  template <class ExecutionContext>
  basic_stream_socket(ExecutionContext& context, const endpoint_type& endpoint,
                      if_context<ExecutionContext> = 0)
    : base(context, endpoint) {}
  basic_stream_socket(const executor_type& ex, const protocol_type& protocol,
                      const native_handle_type& native_socket)
    : base(ex, protocol, native_socket) {}
  template <class ExecutionContext>
  basic_stream_socket(ExecutionContext& context, const protocol_type& protocol,
                      const native_handle_type& native_socket, if_context<ExecutionContext> = 0)
    : base(context, protocol, native_socket) {}

  basic_stream_socket(basic_stream_socket&& other) noexcept : base(std::move(other)) {}
  basic_stream_socket& operator=(basic_stream_socket&& other)
  {
    base::operator=(std::move(other));
    return *this;
  }

  template <class Protocol1, class Executor1>
  basic_stream_socket(basic_stream_socket<Protocol1, Executor1>&& other,
                      typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                                              && std::is_convertible<Executor1, Executor>::value,
                                              int>::type = 0)
    : base(std::move(other)) {}

  template <class Protocol1, class Executor1>
  typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                              && std::is_convertible<Executor1, Executor>::value,
                          basic_stream_socket&>::type
  operator=(basic_stream_socket<Protocol1, Executor1>&& other)
  {
    base::operator=(std::move(other));
    return *this;
  }

  /// Never converts: names the counterpart a program wants when it hands this socket to code
  /// written for Asio's (beast::tcp_stream's constructor is the usual one).
  template <class P, class E>
  operator boost::asio::basic_stream_socket<P, E>()
  {
    static_assert(detail::misuse<P>,
                  "a boost_sockn socket is not an Asio socket: with Beast use boost_sockn::tcp_stream "
                  "(<boost_sockn/beast/tcp_stream.hpp>) in place of boost::beast::tcp_stream, "
                  "boost_sockn::basic_stream in place of boost::beast::basic_stream");
  }

  ~basic_stream_socket() = default;

  // Synchronous send / write_some.

  template <class ConstBufferSequence>
  std::size_t send(const ConstBufferSequence& buffers)
  {
    boost::system::error_code ec;
    std::size_t n = send(buffers, 0, ec);
    boost::asio::detail::throw_error(ec, "send");
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t send(const ConstBufferSequence& buffers, message_flags flags)
  {
    boost::system::error_code ec;
    std::size_t n = send(buffers, flags, ec);
    boost::asio::detail::throw_error(ec, "send");
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t send(const ConstBufferSequence& buffers, message_flags flags,
                   boost::system::error_code& ec)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::const_buffer, ConstBufferSequence> b(buffers);
    return detail::sockops::sync_send(this->impl_.socket, this->impl_.state, b.buffers(), b.count(),
                                      flags, b.all_empty(), ec);
  }

  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers)
  {
    boost::system::error_code ec;
    std::size_t n = send(buffers, 0, ec);
    boost::asio::detail::throw_error(ec, "write_some");
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t write_some(const ConstBufferSequence& buffers, boost::system::error_code& ec)
  {
    return send(buffers, 0, ec);
  }

  // Synchronous receive / read_some.

  template <class MutableBufferSequence>
  std::size_t receive(const MutableBufferSequence& buffers)
  {
    boost::system::error_code ec;
    std::size_t n = receive(buffers, 0, ec);
    boost::asio::detail::throw_error(ec, "receive");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t receive(const MutableBufferSequence& buffers, message_flags flags)
  {
    boost::system::error_code ec;
    std::size_t n = receive(buffers, flags, ec);
    boost::asio::detail::throw_error(ec, "receive");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t receive(const MutableBufferSequence& buffers, message_flags flags,
                      boost::system::error_code& ec)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::mutable_buffer, MutableBufferSequence> b(buffers);
    return detail::sockops::sync_recv(this->impl_.socket, this->impl_.state, b.buffers(), b.count(),
                                      flags, b.all_empty(), ec);
  }

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers)
  {
    boost::system::error_code ec;
    std::size_t n = receive(buffers, 0, ec);
    boost::asio::detail::throw_error(ec, "read_some");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t read_some(const MutableBufferSequence& buffers, boost::system::error_code& ec)
  {
    return receive(buffers, 0, ec);
  }

private:
  class initiate_async_send;
  class initiate_async_receive;

public:
  // Asynchronous forms: void(error_code, std::size_t); zero-size buffers complete at once
  // (posted) with no error, as on Asio's stream sockets.

  template <class ConstBufferSequence,
            class WriteToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_send(const ConstBufferSequence& buffers,
                  WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken, signature>(
          std::declval<initiate_async_send>(), token, buffers, message_flags(0)))
  {
    return boost::asio::async_initiate<WriteToken, signature>(initiate_async_send(this), token,
                                                              buffers, message_flags(0));
  }

  template <class ConstBufferSequence,
            class WriteToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_send(const ConstBufferSequence& buffers, message_flags flags,
                  WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken, signature>(
          std::declval<initiate_async_send>(), token, buffers, flags))
  {
    return boost::asio::async_initiate<WriteToken, signature>(initiate_async_send(this), token,
                                                              buffers, flags);
  }

  template <class ConstBufferSequence,
            class WriteToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_write_some(const ConstBufferSequence& buffers,
                        WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken, signature>(
          std::declval<initiate_async_send>(), token, buffers, message_flags(0)))
  {
    return boost::asio::async_initiate<WriteToken, signature>(initiate_async_send(this), token,
                                                              buffers, message_flags(0));
  }

  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_receive(const MutableBufferSequence& buffers,
                     ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, signature>(
          std::declval<initiate_async_receive>(), token, buffers, message_flags(0)))
  {
    return boost::asio::async_initiate<ReadToken, signature>(initiate_async_receive(this), token,
                                                             buffers, message_flags(0));
  }

  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_receive(const MutableBufferSequence& buffers, message_flags flags,
                     ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, signature>(
          std::declval<initiate_async_receive>(), token, buffers, flags))
  {
    return boost::asio::async_initiate<ReadToken, signature>(initiate_async_receive(this), token,
                                                             buffers, flags);
  }

  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_read_some(const MutableBufferSequence& buffers,
                       ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, signature>(
          std::declval<initiate_async_receive>(), token, buffers, message_flags(0)))
  {
    return boost::asio::async_initiate<ReadToken, signature>(initiate_async_receive(this), token,
                                                             buffers, message_flags(0));
  }

private:
  class initiate_async_send
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_send(basic_stream_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class WriteHandler, class ConstBufferSequence>
    void operator()(WriteHandler&& handler, const ConstBufferSequence& buffers,
                    message_flags flags) const
    {
      detail::async_send(self_->impl_, buffers, flags, std::forward<WriteHandler>(handler),
                         self_->executor_);
    }

  private:
    basic_stream_socket* self_;
  };

  class initiate_async_receive
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_receive(basic_stream_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class ReadHandler, class MutableBufferSequence>
    void operator()(ReadHandler&& handler, const MutableBufferSequence& buffers,
                    message_flags flags) const
    {
      detail::async_receive(self_->impl_, buffers, flags, std::forward<ReadHandler>(handler),
                            self_->executor_);
    }

  private:
    basic_stream_socket* self_;
  };
};

} // namespace boost_sockn

#endif // BOOST_SOCKN_BASIC_STREAM_SOCKET_HPP
