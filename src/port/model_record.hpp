//
// src/port/model_record.hpp
//
// The strict PSN model's process-wide state (boost_sockn/port_model.hpp): the record of contract
// violations and the pending fault injections. Built on every system, so that the record can be
// read (and found empty) where the model itself is not built.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_PORT_MODEL_RECORD_HPP
#define BOOST_SOCKN_SRC_PORT_MODEL_RECORD_HPP

#include <boost_sockn/notification_port.hpp>

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>

namespace boost_sockn {
namespace detail {

/// Records a violation and prints it to standard error at once.
void report_violation(native_socket_type s, std::string rule, std::string detail);

/// Consumes a pending whole-call failure meant for a call with these entries (clear when there
/// is none).
boost::system::error_code injected_call_failure(const registration* regs, std::size_t count);

/// Consumes a pending failure for the next entry with operation `op` (clear when there is none).
boost::system::error_code injected_entry_failure(port_op op);

} // namespace detail
} // namespace boost_sockn

#endif
