//
// src/port/names.hpp
//
// How the names a user writes into the environment (BOOST_SOCKN_BACKEND, BOOST_SOCKN_TRIGGER)
// are compared with the library's: without regard to case, so that EPOLL means epoll.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_NAMES_HPP
#define BOOST_SOCKN_SRC_PORT_NAMES_HPP

namespace boost_sockn {
namespace detail {

/// ASCII only: the names are ASCII, and the C library's tolower would follow the program's locale.
inline bool equal_names(const char* a, const char* b) noexcept
{
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (; *a && *b; ++a, ++b)
    if (lower(*a) != lower(*b))
      return false;
  return *a == *b;
}

} // namespace detail
} // namespace boost_sockn

#endif
