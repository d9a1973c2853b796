//
// boost_sockn/detail/reactor_service.hpp
//
// What the I/O object templates need from the reactor, as non-template functions compiled into
// the library (src/reactor/). The per-socket state is opaque here: it is owned by the reactor and
// outlives the I/O object until the port has confirmed the socket's removal.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_REACTOR_SERVICE_HPP
#define BOOST_SOCKN_DETAIL_REACTOR_SERVICE_HPP

#include <boost_sockn/detail/config.hpp>
#include <boost_sockn/detail/reactor_op.hpp>
#include <boost_sockn/notification_port.hpp>

#include <boost/asio/execution_context.hpp>
#include <boost/system/error_code.hpp>

namespace boost_sockn {
namespace detail {

class reactor_impl;
class descriptor_state;

// Callers must share the library's Asio settings (detail/config.hpp).
BOOST_SOCKN_ABI_BEGIN

/// The reactor of ctx (created, with default options, on first use).
reactor_impl& reactor_of(boost::asio::execution_context& ctx);

/// Creates the state of a socket the I/O object now owns or watches, starting the reactor (its
/// port, and the io threads' watch of it or the readiness thread) if needed. Nothing is registered with the port until an operation
/// has to wait.
descriptor_state* register_descriptor(reactor_impl& r, native_socket_type s,
                                      boost::system::error_code& ec);

/// What the throwing overloads of open and assign throw when `ec` is set: Asio's system_error,
/// whose text also says why when `ec` is r's failure to serve the socket (the backend and its
/// reason, the environment variable at fault, or the kind of context that works).
void throw_reactor_error(reactor_impl& r, const boost::system::error_code& ec, const char* what);

/// Starts `op` in queue `kind`: tried at once when allowed and nothing is queued ahead of it,
/// else queued until the port reports readiness. Never invokes the handler here.
void start_op(descriptor_state* d, op_kind kind, reactor_op* op, bool allow_speculative);

/// Completes every queued operation with operation_aborted (posted).
void cancel_ops(descriptor_state* d);

/// The socket shut `sides` of its own (event::in: receiving, event::out: sending): from now on
/// the operations on that side count it ready (the port may never report it again), and the
/// operations waiting try it once more.
void side_shut(descriptor_state* d, event sides);

/// Per-operation cancellation: aborts `op` if it is still queued; otherwise does nothing.
void cancel_op(descriptor_state* d, op_kind kind, reactor_op* op);

/// The I/O object lets go of its state: queued operations complete with operation_aborted, and the
/// socket's registration is removed from the port, its remove notification awaited, before this
/// returns, so the caller may close the handle (or hand it back) at once. The state itself is
/// freed later by the reactor. Fails only when the port refuses the call whole, repeatedly: the
/// registration then stays and the I/O object keeps its state (close: abandon_descriptor).
boost::system::error_code deregister_descriptor(descriptor_state* d);

/// After deregister_descriptor failed and the handle was closed anyway (which deregisters it):
/// the state goes once the notifications already queued for it are dequeued.
void abandon_descriptor(descriptor_state* d);

/// The trigger policy in use (oneshot: wait operations are not tried speculatively).
bool edge_triggered(const descriptor_state* d) noexcept;

BOOST_SOCKN_ABI_END

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_REACTOR_SERVICE_HPP
