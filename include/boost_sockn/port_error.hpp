//
// boost_sockn/port_error.hpp
//
// Error codes that belong to the notification-port contract itself (not to the operating system).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_PORT_ERROR_HPP
#define BOOST_SOCKN_PORT_ERROR_HPP

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace boost_sockn {

enum class port_errc
{
  backend_not_built = 1, ///< the backend is not compiled into this build
  backend_unavailable,   ///< the backend is compiled in but the system lacks what it needs
  unknown_backend,       ///< BOOST_SOCKN_BACKEND names no backend
  not_open,              ///< the port is not open
  unsupported_trigger,   ///< the backend cannot honour this trigger combination exactly
  not_registered,        ///< the socket has no registration on this port
  key_mismatch,          ///< the socket is registered under another key
  remove_pending,        ///< the socket's remove notification has not been dequeued yet
  unknown_policy,        ///< BOOST_SOCKN_TRIGGER names no trigger policy
  already_open,          ///< open() of a port that is open
  unknown_delivery       ///< BOOST_SOCKN_DELIVERY names no readiness delivery
};

/// The category of port_errc values; its name is "boost_sockn.port".
const boost::system::error_category& port_category() noexcept;

inline boost::system::error_code make_error_code(port_errc e) noexcept
{
  return boost::system::error_code(static_cast<int>(e), port_category());
}

} // namespace boost_sockn

namespace boost {
namespace system {
template <>
struct is_error_code_enum<boost_sockn::port_errc> : std::true_type
{
};
} // namespace system
} // namespace boost

#endif // BOOST_SOCKN_PORT_ERROR_HPP
