//
// boost_sockn/basic_datagram_socket.hpp
//
// Asio 1.81's boost::asio::basic_datagram_socket, member for member, on the reactor.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_BASIC_DATAGRAM_SOCKET_HPP
#define BOOST_SOCKN_BASIC_DATAGRAM_SOCKET_HPP

#include <boost_sockn/basic_socket.hpp>
#include <boost_sockn/detail/message_service.hpp>
#include <boost_sockn/ip/message.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/detail/buffer_sequence_adapter.hpp>

namespace boost_sockn {

template <class Protocol, class Executor = boost::asio::any_io_executor>
class basic_datagram_socket : public basic_socket<Protocol, Executor>
{
  using base = basic_socket<Protocol, Executor>;
  template <class T>
  using if_context = typename std::enable_if<
      std::is_convertible<T&, boost::asio::execution_context&>::value, int>::type;
  using signature = void(boost::system::error_code, std::size_t);
  template <class B>
  using cbufs = boost::asio::detail::buffer_sequence_adapter<boost::asio::const_buffer, B>;
  template <class B>
  using mbufs = boost::asio::detail::buffer_sequence_adapter<boost::asio::mutable_buffer, B>;

public:
  using executor_type = Executor;

  template <class Executor1>
  struct rebind_executor
  {
    using other = basic_datagram_socket<Protocol, Executor1>;
  };

  using native_handle_type = typename base::native_handle_type;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;
  using message_flags = typename base::message_flags;
  /// What receive_msg reports besides the bytes (see ip/message.hpp).
  using message_info = ip::basic_message_info<endpoint_type>;

  explicit basic_datagram_socket(const executor_type& ex) : base(ex) {}
  template <class ExecutionContext>
  explicit basic_datagram_socket(ExecutionContext& context, if_context<ExecutionContext> = 0)
    : base(context) {}
  basic_datagram_socket(const executor_type& ex, const protocol_type& protocol) : base(ex, protocol) {}
  template <class ExecutionContext>
  basic_datagram_socket(ExecutionContext& context, const protocol_type& protocol,
                        if_context<ExecutionContext> = 0)
    : base(context, protocol) {}
  basic_datagram_socket(const executor_type& ex, const endpoint_type& endpoint) : base(ex, endpoint) {}
  template <class ExecutionContext>
  basic_datagram_socket(ExecutionContext& context, const endpoint_type& endpoint,
                        if_context<ExecutionContext> = 0)
    : base(context, endpoint) {}
  basic_datagram_socket(const executor_type& ex, const protocol_type& protocol,
                        const native_handle_type& native_socket)
    : base(ex, protocol, native_socket) {}
  template <class ExecutionContext>
  basic_datagram_socket(ExecutionContext& context, const protocol_type& protocol,
                        const native_handle_type& native_socket, if_context<ExecutionContext> = 0)
    : base(context, protocol, native_socket) {}

  basic_datagram_socket(basic_datagram_socket&& other) noexcept : base(std::move(other)) {}
  basic_datagram_socket& operator=(basic_datagram_socket&& other)
  {
    base::operator=(std::move(other));
    return *this;
  }

  template <class Protocol1, class Executor1>
  basic_datagram_socket(basic_datagram_socket<Protocol1, Executor1>&& other,
                        typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                                                && std::is_convertible<Executor1, Executor>::value,
                                                int>::type = 0)
    : base(std::move(other)) {}

  template <class Protocol1, class Executor1>
  typename std::enable_if<std::is_convertible<Protocol1, Protocol>::value
                              && std::is_convertible<Executor1, Executor>::value,
                          basic_datagram_socket&>::type
  operator=(basic_datagram_socket<Protocol1, Executor1>&& other)
  {
    base::operator=(std::move(other));
    return *this;
  }

  ~basic_datagram_socket() = default;

  // Connected send / receive.

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
    cbufs<ConstBufferSequence> b(buffers);
    return detail::sockops::sync_send(this->impl_.socket, this->impl_.state, b.buffers(), b.count(),
                                      flags, b.all_empty(), ec);
  }

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
    mbufs<MutableBufferSequence> b(buffers);
    return detail::sockops::sync_recv(this->impl_.socket, this->impl_.state, b.buffers(), b.count(),
                                      flags, b.all_empty(), ec);
  }

  // Unconnected send_to / receive_from.

  template <class ConstBufferSequence>
  std::size_t send_to(const ConstBufferSequence& buffers, const endpoint_type& destination)
  {
    boost::system::error_code ec;
    std::size_t n = send_to(buffers, destination, 0, ec);
    boost::asio::detail::throw_error(ec, "send_to");
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t send_to(const ConstBufferSequence& buffers, const endpoint_type& destination,
                      message_flags flags)
  {
    boost::system::error_code ec;
    std::size_t n = send_to(buffers, destination, flags, ec);
    boost::asio::detail::throw_error(ec, "send_to");
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t send_to(const ConstBufferSequence& buffers, const endpoint_type& destination,
                      message_flags flags, boost::system::error_code& ec)
  {
    cbufs<ConstBufferSequence> b(buffers);
    return detail::sockops::sync_sendto(this->impl_.socket, this->impl_.state, b.buffers(),
                                        b.count(), flags, destination.data(), destination.size(),
                                        ec);
  }

  template <class MutableBufferSequence>
  std::size_t receive_from(const MutableBufferSequence& buffers, endpoint_type& sender_endpoint)
  {
    boost::system::error_code ec;
    std::size_t n = receive_from(buffers, sender_endpoint, 0, ec);
    boost::asio::detail::throw_error(ec, "receive_from");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t receive_from(const MutableBufferSequence& buffers, endpoint_type& sender_endpoint,
                           message_flags flags)
  {
    boost::system::error_code ec;
    std::size_t n = receive_from(buffers, sender_endpoint, flags, ec);
    boost::asio::detail::throw_error(ec, "receive_from");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t receive_from(const MutableBufferSequence& buffers, endpoint_type& sender_endpoint,
                           message_flags flags, boost::system::error_code& ec)
  {
    mbufs<MutableBufferSequence> b(buffers);
    std::size_t len = sender_endpoint.capacity();
    std::size_t n = detail::sockops::sync_recvfrom(this->impl_.socket, this->impl_.state,
                                                   b.buffers(), b.count(), flags,
                                                   sender_endpoint.data(), &len, ec);
    if (!ec)
      sender_endpoint.resize(len);
    return n;
  }

  // Socket options: Asio's, and ip::packet_info, which may need two system options.

  using base::get_option;
  using base::set_option;

  void set_option(const ip::packet_info& option)
  {
    boost::system::error_code ec;
    set_option(option, ec);
    boost::asio::detail::throw_error(ec, "set_option");
  }

  BOOST_ASIO_SYNC_OP_VOID set_option(const ip::packet_info& option, boost::system::error_code& ec)
  {
    detail::set_packet_info(this->impl_.socket, this->impl_.state, this->protocol_.family(),
                            option.value(), ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  void get_option(ip::packet_info& option) const
  {
    boost::system::error_code ec;
    get_option(option, ec);
    boost::asio::detail::throw_error(ec, "get_option");
  }

  BOOST_ASIO_SYNC_OP_VOID get_option(ip::packet_info& option, boost::system::error_code& ec) const
  {
    option = detail::get_packet_info(this->impl_.socket, this->impl_.state,
                                     this->protocol_.family(), ec);
    BOOST_ASIO_SYNC_OP_VOID_RETURN(ec);
  }

  // Messages with control data (docs/datagram-messages.md). receive_msg reports the sender and,
  // with ip::packet_info on, the datagram's destination address and arrival interface; send_msg
  // sends from the local address and/or interface `source` names.

  template <class MutableBufferSequence>
  std::size_t receive_msg(const MutableBufferSequence& buffers, message_info& info)
  {
    boost::system::error_code ec;
    std::size_t n = receive_msg(buffers, info, ec);
    boost::asio::detail::throw_error(ec, "receive_msg");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t receive_msg(const MutableBufferSequence& buffers, message_info& info,
                          boost::system::error_code& ec)
  {
    detail::control_area control;
    return receive_msg_into(buffers, info, control, ec);
  }

  template <class MutableBufferSequence>
  std::size_t receive_msg(const MutableBufferSequence& buffers, message_info& info,
                          const ip::control_buffer& control)
  {
    boost::system::error_code ec;
    std::size_t n = receive_msg(buffers, info, control, ec);
    boost::asio::detail::throw_error(ec, "receive_msg");
    return n;
  }

  template <class MutableBufferSequence>
  std::size_t receive_msg(const MutableBufferSequence& buffers, message_info& info,
                          const ip::control_buffer& control, boost::system::error_code& ec)
  {
    detail::control_area area;
    area.external = true;
    area.user = control.data;
    area.user_size = control.size;
    return receive_msg_into(buffers, info, area, ec);
  }

  template <class ConstBufferSequence>
  std::size_t send_msg(const ConstBufferSequence& buffers, const endpoint_type& destination,
                       const ip::packet_source& source)
  {
    boost::system::error_code ec;
    std::size_t n = send_msg(buffers, destination, source, ec);
    boost::asio::detail::throw_error(ec, "send_msg");
    return n;
  }

  template <class ConstBufferSequence>
  std::size_t send_msg(const ConstBufferSequence& buffers, const endpoint_type& destination,
                       const ip::packet_source& source, boost::system::error_code& ec)
  {
    detail::source_control control;
    detail::encode_source(this->protocol_.family(), destination.address(), source.address,
                          source.interface_index, control, ec);
    if (ec)
      return 0;
    cbufs<ConstBufferSequence> b(buffers);
    return detail::sync_send_message(this->impl_.socket, this->impl_.state, b.buffers(), b.count(),
                                     destination.data(), destination.size(), control, ec);
  }

private:
  using message_signature = void(boost::system::error_code, std::size_t, message_info);

  template <class MutableBufferSequence>
  std::size_t receive_msg_into(const MutableBufferSequence& buffers, message_info& info,
                               detail::control_area& control, boost::system::error_code& ec)
  {
    mbufs<MutableBufferSequence> b(buffers);
    std::size_t len = info.sender.capacity();
    detail::message_meta meta;
    std::size_t n = detail::sync_receive_message(this->impl_.socket, this->impl_.state, b.buffers(),
                                                 b.count(), info.sender.data(), &len,
                                                 control.data(), control.size(), meta, ec);
    if (!ec)
    {
      info.sender.resize(len);
      detail::fill_info(info, meta);
    }
    return n;
  }

  class initiate_async_receive_msg;
  class initiate_async_send_msg;

public:
  /// Completes with (error_code, std::size_t, message_info).
  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>,
            class = typename std::enable_if<
                !std::is_convertible<ReadToken, const ip::control_buffer&>::value>::type>
  auto async_receive_msg(const MutableBufferSequence& buffers,
                         ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, message_signature>(
          std::declval<initiate_async_receive_msg>(), token, buffers,
          std::declval<detail::control_area>()))
  {
    return boost::asio::async_initiate<ReadToken, message_signature>(
        initiate_async_receive_msg(this), token, buffers, detail::control_area());
  }

  /// As above, the control data received into `control` (which must outlive the operation).
  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_receive_msg(const MutableBufferSequence& buffers, const ip::control_buffer& control,
                         ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, message_signature>(
          std::declval<initiate_async_receive_msg>(), token, buffers,
          std::declval<detail::control_area>()))
  {
    detail::control_area area;
    area.external = true;
    area.user = control.data;
    area.user_size = control.size;
    return boost::asio::async_initiate<ReadToken, message_signature>(
        initiate_async_receive_msg(this), token, buffers, std::move(area));
  }

  /// Completes with (error_code, std::size_t). A malformed `source` completes (posted) with
  /// invalid_argument, the socket untouched.
  template <class ConstBufferSequence,
            class WriteToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_send_msg(const ConstBufferSequence& buffers, const endpoint_type& destination,
                      const ip::packet_source& source,
                      WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken, signature>(
          std::declval<initiate_async_send_msg>(), token, buffers, destination, source))
  {
    return boost::asio::async_initiate<WriteToken, signature>(
        initiate_async_send_msg(this), token, buffers, destination, source);
  }

private:
  class initiate_async_send;
  class initiate_async_send_to;
  class initiate_async_receive;
  class initiate_async_receive_from;

public:
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
  auto async_send_to(const ConstBufferSequence& buffers, const endpoint_type& destination,
                     WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken, signature>(
          std::declval<initiate_async_send_to>(), token, buffers, destination, message_flags(0)))
  {
    return boost::asio::async_initiate<WriteToken, signature>(
        initiate_async_send_to(this), token, buffers, destination, message_flags(0));
  }

  template <class ConstBufferSequence,
            class WriteToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_send_to(const ConstBufferSequence& buffers, const endpoint_type& destination,
                     message_flags flags,
                     WriteToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<WriteToken, signature>(
          std::declval<initiate_async_send_to>(), token, buffers, destination, flags))
  {
    return boost::asio::async_initiate<WriteToken, signature>(
        initiate_async_send_to(this), token, buffers, destination, flags);
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
  auto async_receive_from(const MutableBufferSequence& buffers, endpoint_type& sender_endpoint,
                          ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, signature>(
          std::declval<initiate_async_receive_from>(), token, buffers, &sender_endpoint,
          message_flags(0)))
  {
    return boost::asio::async_initiate<ReadToken, signature>(
        initiate_async_receive_from(this), token, buffers, &sender_endpoint, message_flags(0));
  }

  template <class MutableBufferSequence,
            class ReadToken = boost::asio::default_completion_token_t<executor_type>>
  auto async_receive_from(const MutableBufferSequence& buffers, endpoint_type& sender_endpoint,
                          message_flags flags,
                          ReadToken&& token = boost::asio::default_completion_token_t<executor_type>())
      -> decltype(boost::asio::async_initiate<ReadToken, signature>(
          std::declval<initiate_async_receive_from>(), token, buffers, &sender_endpoint, flags))
  {
    return boost::asio::async_initiate<ReadToken, signature>(
        initiate_async_receive_from(this), token, buffers, &sender_endpoint, flags);
  }

private:
  class initiate_async_send
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_send(basic_datagram_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class WriteHandler, class ConstBufferSequence>
    void operator()(WriteHandler&& handler, const ConstBufferSequence& buffers,
                    message_flags flags) const
    {
      detail::async_send(self_->impl_, buffers, flags, std::forward<WriteHandler>(handler),
                         self_->executor_);
    }

  private:
    basic_datagram_socket* self_;
  };

  class initiate_async_send_to
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_send_to(basic_datagram_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class WriteHandler, class ConstBufferSequence>
    void operator()(WriteHandler&& handler, const ConstBufferSequence& buffers,
                    const endpoint_type& destination, message_flags flags) const
    {
      detail::async_send_to(self_->impl_, buffers, destination, flags,
                            std::forward<WriteHandler>(handler), self_->executor_);
    }

  private:
    basic_datagram_socket* self_;
  };

  class initiate_async_receive
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_receive(basic_datagram_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class ReadHandler, class MutableBufferSequence>
    void operator()(ReadHandler&& handler, const MutableBufferSequence& buffers,
                    message_flags flags) const
    {
      detail::async_receive(self_->impl_, buffers, flags, std::forward<ReadHandler>(handler),
                            self_->executor_);
    }

  private:
    basic_datagram_socket* self_;
  };

  class initiate_async_receive_msg
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_receive_msg(basic_datagram_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class ReadHandler, class MutableBufferSequence>
    void operator()(ReadHandler&& handler, const MutableBufferSequence& buffers,
                    detail::control_area control) const
    {
      detail::async_receive_msg<endpoint_type>(self_->impl_, buffers, std::move(control),
                                               std::forward<ReadHandler>(handler),
                                               self_->executor_);
    }

  private:
    basic_datagram_socket* self_;
  };

  class initiate_async_send_msg
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_send_msg(basic_datagram_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class WriteHandler, class ConstBufferSequence>
    void operator()(WriteHandler&& handler, const ConstBufferSequence& buffers,
                    const endpoint_type& destination, const ip::packet_source& source) const
    {
      detail::async_send_msg(self_->impl_, self_->protocol_.family(), buffers, destination, source,
                             std::forward<WriteHandler>(handler), self_->executor_);
    }

  private:
    basic_datagram_socket* self_;
  };

  class initiate_async_receive_from
  {
  public:
    using executor_type = Executor;
    explicit initiate_async_receive_from(basic_datagram_socket* self) : self_(self) {}
    const executor_type& get_executor() const noexcept { return self_->get_executor(); }

    template <class ReadHandler, class MutableBufferSequence>
    void operator()(ReadHandler&& handler, const MutableBufferSequence& buffers,
                    endpoint_type* sender, message_flags flags) const
    {
      detail::async_receive_from(self_->impl_, buffers, sender, flags,
                                 std::forward<ReadHandler>(handler), self_->executor_);
    }

  private:
    basic_datagram_socket* self_;
  };
};

} // namespace boost_sockn

#endif // BOOST_SOCKN_BASIC_DATAGRAM_SOCKET_HPP
