//
// boost_sockn/detail/wait_op.hpp
//
// Starting an async_wait, shared by the sockets and the socket watcher.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_WAIT_OP_HPP
#define BOOST_SOCKN_DETAIL_WAIT_OP_HPP

#include <boost_sockn/detail/actions.hpp>
#include <boost_sockn/detail/io_op.hpp>

namespace boost_sockn {
namespace detail {

template <class Handler, class IoExecutor>
void start_wait(socket_impl& impl, boost::asio::socket_base::wait_type w, Handler&& handler,
                const IoExecutor& ex)
{
  wait_action action{{}, impl.socket, w};
  op_kind kind;
  if (!wait_queue(w, kind))
  {
    complete_io(impl, std::move(action), std::forward<Handler>(handler), ex,
                boost::asio::error::invalid_argument);
    return;
  }
  // With level triggers the port reports a condition that already holds; with edge triggers
  // only a check now closes the gap before the wait is queued.
  const bool speculative = impl.desc && edge_triggered(impl.desc);
  start_io(impl, kind, speculative, std::move(action), std::forward<Handler>(handler), ex);
}

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_WAIT_OP_HPP
