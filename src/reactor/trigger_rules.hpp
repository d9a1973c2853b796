//
// src/reactor/trigger_rules.hpp
//
// The two trigger policies as the reactor applies them: what a socket's registration asks for,
// when it needs (re)arming, and what a delivered notification does to it. The reactor picks one
// set of rules when it starts and asks it, instead of testing the policy where each decision is
// made.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_SRC_REACTOR_TRIGGER_RULES_HPP
#define BOOST_SOCKN_SRC_REACTOR_TRIGGER_RULES_HPP

#include <boost_sockn/notification_port.hpp>

namespace boost_sockn {
namespace detail {

class trigger_rules
{
public:
  /// The registration's conditions: `wanted`, what the queued operations ask for (level), or
  /// everything a socket can report, once for its life (edge).
  constexpr event filter(event wanted) const noexcept
  {
    return whole_socket_ ? event::in | event::out | event::hangup : wanted;
  }

  constexpr trigger triggers() const noexcept { return triggers_; }

  /// Whether a socket with operations queued needs an enable entry, given what its
  /// registration holds.
  constexpr bool needs_entry(bool registered, bool arm_active, event armed,
                             event wanted) const noexcept
  {
    if (whole_socket_)
      return !registered;
    return !arm_active || (wanted & ~armed) != event::none;
  }

  /// A delivered notification spends the registration (oneshot): it must be armed again for
  /// whatever is still queued, after a perform or, if none runs, at once.
  constexpr bool spent_by_delivery() const noexcept { return oneshot_; }

  /// PSN does not document whether an edge registration reports a condition that already holds:
  /// after the first one, the operations look at the socket themselves once.
  constexpr bool look_after_registering() const noexcept { return whole_socket_; }

  /// Edges are reported only on change, so an operation must try its call before it waits (a
  /// wait checks readiness once), under the socket's lock.
  constexpr bool edge() const noexcept { return whole_socket_; }

  static constexpr trigger_rules level_oneshot() noexcept
  {
    return trigger_rules(trigger::level | trigger::oneshot, false, true);
  }

  static constexpr trigger_rules edge_persistent() noexcept
  {
    return trigger_rules(trigger::edge | trigger::persistent, true, false);
  }

private:
  constexpr trigger_rules(trigger t, bool whole_socket, bool oneshot) noexcept
    : triggers_(t), whole_socket_(whole_socket), oneshot_(oneshot)
  {
  }

  trigger triggers_;
  bool whole_socket_;
  bool oneshot_;
};

} // namespace detail
} // namespace boost_sockn

#endif // BOOST_SOCKN_SRC_REACTOR_TRIGGER_RULES_HPP
