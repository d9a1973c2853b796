//
// src/port/thread_name.hpp
//
// Names the calling thread, so that a user counting threads in a debugger, in /proc or in a
// profiler can tell what the reactor's own thread is. Operating-system glue, so it lives with the
// port: one definition per system (thread_name_posix.cpp, thread_name_windows.cpp). Operating-system glue, so it lives with the
// port: one definition per system (thread_name_posix.cpp, thread_name_windows.cpp).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_THREAD_NAME_HPP
#define BOOST_SOCKN_SRC_PORT_THREAD_NAME_HPP

namespace boost_sockn {
namespace detail {

/// The name of the readiness thread (at most 15 characters: Linux's limit).
constexpr const char readiness_thread_name[] = "sockn-port";

/// Best effort: a system without thread names leaves the thread unnamed.
void name_this_thread(const char* name) noexcept;

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_SRC_PORT_THREAD_NAME_HPP
