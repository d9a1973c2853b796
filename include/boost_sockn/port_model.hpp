//
// boost_sockn/port_model.hpp
//
// The strict model of ProcessSocketNotifications (backend_kind::model, BOOST_SOCKN_BACKEND=model):
// a notification-port backend that behaves as PSN is documented to behave and, wherever the
// documentation is silent, gives the answer hardest for its caller. It runs over the system's own
// backend, reshapes what that reports, and checks every call. A program (or a test suite) run on
// it shows the mistakes that only real Windows would otherwise reveal: docs/port.md lists the
// rules.
//
// Contract violations (a handle closed while registered, PSN's parameter rules broken) are
// recorded here for the whole process and printed to standard error as they happen; tests take
// them after each case. The fault injections let tests fail the next port call, or one entry.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_PORT_MODEL_HPP
#define BOOST_SOCKN_PORT_MODEL_HPP

#include <boost_sockn/notification_port.hpp>

#include <boost/system/error_code.hpp>

#include <string>
#include <vector>

namespace boost_sockn {
namespace model {

/// One breach of the notification-port contract seen by a model port.
struct violation
{
  native_socket_type socket; ///< the socket concerned (or the invalid value for call rules)
  std::string rule;          ///< the rule broken, in a few words
  std::string detail;        ///< where it was seen
};

/// The violations recorded by every model port of this process since the last call, oldest
/// first; the record is cleared. Thread-safe.
std::vector<violation> take_violations();

/// The next `calls` process() calls of any model port that carry an entry with operation `op`
/// (any call at all with port_op::none) fail whole with `ec` and apply nothing, as a failed
/// ProcessSocketNotifications call does. Naming the operation keeps other threads' calls (a
/// reactor's drains or readiness thread) from taking the failures meant for one.
void fail_next_calls(const boost::system::error_code& ec, unsigned calls = 1,
                     port_op op = port_op::none);

/// The next entry with operation `op` (of any model port) fails on its own with `ec`. A failed
/// remove behaves as PSN's does when the registration is already gone: no remove notification
/// follows, and notifications queued before it may still be delivered. `op` must name an
/// operation (port_op::none is ignored); one failure is held per operation, a later call for the
/// same operation replacing one not yet used.
void fail_next_entry(port_op op, const boost::system::error_code& ec);

} // namespace model
} // namespace boost_sockn

#endif // BOOST_SOCKN_PORT_MODEL_HPP
