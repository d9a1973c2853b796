//
// boost_sockn/detail/io_object.hpp
//
// Helpers shared by the I/O object templates.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_IO_OBJECT_HPP
#define BOOST_SOCKN_DETAIL_IO_OBJECT_HPP

#include <boost_sockn/detail/reactor_service.hpp>

#include <boost/asio/execution.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/is_executor.hpp>

#include <type_traits>

namespace boost_sockn {
namespace detail {

/// The execution context an executor belongs to (both executor models).
template <class Executor>
boost::asio::execution_context& context_of(const Executor& ex,
    typename std::enable_if<boost::asio::execution::is_executor<Executor>::value>::type* = nullptr)
{
  return boost::asio::query(ex, boost::asio::execution::context);
}

template <class Executor>
boost::asio::execution_context& context_of(const Executor& ex,
    typename std::enable_if<!boost::asio::execution::is_executor<Executor>::value
                            && boost::asio::is_executor<Executor>::value>::type* = nullptr)
{
  return ex.context();
}

template <class Executor>
reactor_impl& reactor_for(const Executor& ex)
{
  return reactor_of(context_of(ex));
}

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_DETAIL_IO_OBJECT_HPP
