//
// src/port/backends_windows.cpp
//
// The backends of a Windows build: native ProcessSocketNotifications where the system exports
// it, else the AFD-poll emulation.
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
  static const backend_entry table[] = {psn_backend_entry, afd_backend_entry};
  count = sizeof table / sizeof table[0];
  return table;
}

} // namespace detail
} // namespace boost_sockn
