//
// src/socket/socket_service.cpp
//
// The lifecycle of an I/O object's socket: opening, adopting and closing the handle together
// with its state in the reactor, in the order the close protocol needs (the registration is
// removed, and its remove notification awaited, before the handle is closed). Asio's semantics:
// close() closes even when it reports an error; the destructor form ignores errors and resets a
// user linger so that it never blocks.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/detail/socket_service.hpp>

#include <boost/asio/error.hpp>

namespace boost_sockn {
namespace detail {

namespace {

void adopt(reactor_impl& r, socket_impl& impl, socket_type s, sockops::state_type state,
           boost::system::error_code& ec)
{
  descriptor_state* d = register_descriptor(r, s, ec);
  if (!d)
    return;
  impl.socket = s;
  impl.state = state;
  impl.desc = d;
  impl.reactor = &r;
}

void reset(socket_impl& impl)
{
  impl.socket = boost::asio::detail::invalid_socket;
  impl.state = 0;
  impl.desc = nullptr;
}

} // namespace

void open_socket(reactor_impl& r, socket_impl& impl, int family, int type, int protocol,
                 boost::system::error_code& ec)
{
  if (impl.is_open())
  {
    ec = boost::asio::error::already_open;
    return;
  }
  socket_type s = sockops::socket(family, type, protocol, ec);
  if (s == boost::asio::detail::invalid_socket)
    return;
  adopt(r, impl, s, type_flags(type), ec);
  if (ec)
  {
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::close(s, st, true, ignored);
  }
}

void assign_socket(reactor_impl& r, socket_impl& impl, int type, socket_type s,
                   boost::system::error_code& ec)
{
  if (impl.is_open())
  {
    ec = boost::asio::error::already_open;
    return;
  }
  if (s == boost::asio::detail::invalid_socket)
  {
    ec = boost::asio::error::bad_descriptor;
    return;
  }
  // possible_dup: the handle may be shared with another owner, as Asio marks assigned sockets.
  adopt(r, impl, s,
        static_cast<sockops::state_type>(type_flags(type) | sockops::possible_dup), ec);
}

void adopt_accepted(reactor_impl& r, socket_impl& impl, int type, socket_type s,
                    boost::system::error_code& ec)
{
  // try_accept left the new handle non-blocking (Windows would have inherited it anyway).
  adopt(r, impl, s,
        static_cast<sockops::state_type>(type_flags(type) | sockops::internal_non_blocking), ec);
  if (ec)
  {
    sockops::state_type st = 0;
    boost::system::error_code ignored;
    sockops::close(s, st, true, ignored);
  }
}

void close_socket(socket_impl& impl, boost::system::error_code& ec)
{
  if (!impl.is_open())
  {
    ec.clear();
    return;
  }
  const bool removed = !deregister_descriptor(impl.desc);
  sockops::close(impl.socket, impl.state, false, ec);
  if (!removed)
    abandon_descriptor(impl.desc); // closing deregistered it
  reset(impl);
}

void destroy_socket(socket_impl& impl) noexcept
{
  if (!impl.is_open())
    return;
  const bool removed = !deregister_descriptor(impl.desc);
  boost::system::error_code ignored;
  sockops::close(impl.socket, impl.state, true, ignored);
  if (!removed)
    abandon_descriptor(impl.desc);
  reset(impl);
}

socket_type release_socket(socket_impl& impl, boost::system::error_code& ec)
{
  if (!impl.is_open())
  {
    ec = boost::asio::error::bad_descriptor;
    return boost::asio::detail::invalid_socket;
  }
  // A handle handed back while still registered would break the next owner's use of it: if the
  // port cannot remove the registration, the socket stays with this object.
  ec = deregister_descriptor(impl.desc);
  if (ec)
    return boost::asio::detail::invalid_socket;
  socket_type s = impl.socket;
  reset(impl);
  return s;
}

void cancel_socket(socket_impl& impl, boost::system::error_code& ec)
{
  if (!impl.is_open())
  {
    ec = boost::asio::error::bad_descriptor;
    return;
  }
  cancel_ops(impl.desc);
  ec.clear();
}

void shutdown_socket(socket_impl& impl, boost::asio::socket_base::shutdown_type what,
                     boost::system::error_code& ec)
{
  sockops::shutdown(impl.socket, what, ec);
  if (ec || !impl.desc)
    return;
  using base = boost::asio::socket_base;
  side_shut(impl.desc, what == base::shutdown_receive ? event::in
                       : what == base::shutdown_send  ? event::out
                                                      : event::in | event::out);
}

void move_socket(socket_impl& to, socket_impl& from) noexcept
{
  to.socket = from.socket;
  to.state = from.state;
  to.desc = from.desc;
  to.reactor = from.reactor;
  reset(from);
}

} // namespace detail
} // namespace boost_sockn
