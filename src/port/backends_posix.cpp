//
// src/port/backends_posix.cpp
//
// The backends of a Linux build: epoll, and the strict PSN model over it.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "port_backend.hpp"

namespace boost_sockn {
namespace detail {

const backend_entry* backend_table(std::size_t& count) noexcept
{
  static const backend_entry table[] = {epoll_backend_entry, model_backend_entry};
  count = sizeof table / sizeof table[0];
  return table;
}

} // namespace detail
} // namespace boost_sockn
