//
// boost_sockn/detail/message_service.hpp
//
// The socket service's initiations of receive_msg and send_msg (datagram sockets only): the
// rest of the service, and the rules these follow, are detail/socket_service.hpp's.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_MESSAGE_SERVICE_HPP
#define BOOST_SOCKN_DETAIL_MESSAGE_SERVICE_HPP

#include <boost_sockn/detail/message_actions.hpp>
#include <boost_sockn/detail/socket_service.hpp>
#include <boost_sockn/ip/message.hpp>

#include <utility>

namespace boost_sockn {
namespace detail {

template <class Endpoint, class MutableBuffers, class Handler, class IoExecutor>
void async_receive_msg(socket_impl& impl, const MutableBuffers& buffers, control_area control,
                       Handler&& handler, const IoExecutor& ex)
{
  start_io(impl, read_op, true,
           recvmsg_action<MutableBuffers, Endpoint>{impl.socket, buffers, control, {}},
           std::forward<Handler>(handler), ex);
}

/// The source is checked against the socket's `family` and the destination before anything is
/// sent: a malformed one completes the operation at once with invalid_argument.
template <class ConstBuffers, class Endpoint, class Handler, class IoExecutor>
void async_send_msg(socket_impl& impl, int family, const ConstBuffers& buffers,
                    const Endpoint& destination, const ip::packet_source& source,
                    Handler&& handler, const IoExecutor& ex)
{
  sendmsg_action<ConstBuffers, Endpoint> action{{}, impl.socket, buffers, destination, {}};
  boost::system::error_code ec;
  encode_source(family, destination.address(), source.address, source.interface_index,
                action.source, ec);
  if (ec)
    complete_io(impl, std::move(action), std::forward<Handler>(handler), ex, ec);
  else
    start_io(impl, write_op, true, std::move(action), std::forward<Handler>(handler), ex);
}

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_MESSAGE_SERVICE_HPP
