//
// src/port/thread_name_posix.cpp
//
// Thread names on Linux (pthread_setname_np; 15 characters at most).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "thread_name.hpp"

#include <pthread.h>

namespace boost_sockn {
namespace detail {

void name_this_thread(const char* name) noexcept
{
  ::pthread_setname_np(::pthread_self(), name);
}

} // namespace detail
} // namespace boost_sockn
