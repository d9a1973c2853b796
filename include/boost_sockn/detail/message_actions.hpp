//
// boost_sockn/detail/message_actions.hpp
//
// The reactor operations of receive_msg and send_msg (see detail/actions.hpp for the shape).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_MESSAGE_ACTIONS_HPP
#define BOOST_SOCKN_DETAIL_MESSAGE_ACTIONS_HPP

#include <boost_sockn/detail/actions.hpp>
#include <boost_sockn/detail/message_calls.hpp>
#include <boost_sockn/ip/message.hpp>

#include <boost/asio/detail/bind_handler.hpp>
#include <boost/asio/detail/buffer_sequence_adapter.hpp>

#include <utility>

namespace boost_sockn {
namespace detail {

/// Copies what the message calls learnt into the public form.
template <class Endpoint>
void fill_info(ip::basic_message_info<Endpoint>& info, const message_meta& meta)
{
  info.has_packet_info = meta.has_packet_info;
  info.destination = meta.destination;
  info.interface_index = meta.interface_index;
  info.truncated = meta.truncated;
  info.control_truncated = meta.control_truncated;
  info.control_size = meta.control_size;
}

/// The control area of one receive: the caller's, or one of the operation's own. The pointer is
/// taken at each attempt, since the operation (and its own area) moves.
struct control_area
{
  bool external = false; // the caller's (possibly empty) area
  void* user = nullptr;
  std::size_t user_size = 0;
  alignas(std::max_align_t) unsigned char own[default_control_size];

  void* data() { return external ? user : own; }
  std::size_t size() const { return external ? user_size : sizeof(own); }
};

/// One message received, completing with (error_code, std::size_t, message_info).
template <class MutableBuffers, class Endpoint>
struct recvmsg_action
{
  static constexpr bool needs_non_blocking = true;
  static constexpr bool reports_bytes = true;
  static constexpr const char* tracking_name = "async_receive_msg";
  socket_type socket;
  MutableBuffers buffers;
  control_area control;
  ip::basic_message_info<Endpoint> info{};

  bool perform(boost::system::error_code& ec, std::size_t& bytes)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::mutable_buffer, MutableBuffers> b(buffers);
    std::size_t len = info.sender.capacity();
    message_meta meta;
    if (!try_receive_message(socket, b.buffers(), b.count(), info.sender.data(), &len,
                             control.data(), control.size(), meta, ec, bytes))
      return false;
    if (!ec)
    {
      info.sender.resize(len);
      fill_info(info, meta);
    }
    return true;
  }

  void finish(boost::system::error_code&, std::size_t) {}

  template <class Handler>
  auto bind(Handler&& h, const boost::system::error_code& ec, std::size_t n)
  {
    return boost::asio::detail::bind_handler(std::forward<Handler>(h), ec, n, info);
  }
};

/// One message sent with the control data built (and checked) by the initiating function.
template <class ConstBuffers, class Endpoint>
struct sendmsg_action : bytes_result
{
  static constexpr const char* tracking_name = "async_send_msg";
  socket_type socket;
  ConstBuffers buffers;
  Endpoint destination;
  source_control source;

  bool perform(boost::system::error_code& ec, std::size_t& bytes)
  {
    boost::asio::detail::buffer_sequence_adapter<boost::asio::const_buffer, ConstBuffers> b(buffers);
    return try_send_message(socket, b.buffers(), b.count(), destination.data(), destination.size(),
                            source, ec, bytes);
  }
};

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_MESSAGE_ACTIONS_HPP
