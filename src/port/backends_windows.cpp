//
// src/port/backends_windows.cpp
//
// The backends of a Windows build: native ProcessSocketNotifications where the system exports
// it, else the AFD-poll emulation.
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
