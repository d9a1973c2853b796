//
// test/port/harness.hpp
//
// The conformance suite's registry: a case is written once against the port contract and run by
// main.cpp on every backend (psn, afd, epoll). A backend that is not built or not available on
// this machine, or that lacks what a case needs, shows that case as skipped with the reason.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_PORT_HARNESS_HPP
#define BOOST_SOCKN_TEST_PORT_HARNESS_HPP

#include "sockets.hpp"

#include <boost_sockn/notification_port.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace boost_sockn {
std::ostream& operator<<(std::ostream& os, event e);
std::ostream& operator<<(std::ostream& os, backend_kind k);
inline std::ostream& operator<<(std::ostream& os, port_errc e)
{ return os << make_error_code(e).message(); }
} // namespace boost_sockn

namespace boost {
namespace system {
namespace errc {
inline std::ostream& operator<<(std::ostream& os, errc_t e)
{ return os << make_error_code(e).message(); }
} // namespace errc
} // namespace system
} // namespace boost

namespace sockn_test {

using namespace boost_sockn;
using namespace std::chrono_literals;

/// What a case needs beyond an available backend; returns false and says why when unmet.
using requirement = bool (*)(backend_kind, std::string& why);

struct port_case
{
  const char* name;
  void (*run)(backend_kind);
  requirement needs;
};

std::vector<port_case>& registry();

struct case_registrar
{
  case_registrar(const char* name, void (*run)(backend_kind), requirement needs)
  {
    registry().push_back(port_case{name, run, needs});
  }
};

#define SOCKN_PORT_CASE_IMPL(name, needs)                                                      \
  static void name(::boost_sockn::backend_kind);                                               \
  static const ::sockn_test::case_registrar name##_registrar(#name, &name, needs);             \
  static void name(::boost_sockn::backend_kind backend)

/// A conformance case; the body sees `backend`.
#define PORT_CASE(name) SOCKN_PORT_CASE_IMPL(name, nullptr)
/// A conformance case that runs only where `needs(backend, why)` holds.
#define PORT_CASE_IF(name, needs) SOCKN_PORT_CASE_IMPL(name, needs)

bool needs_edge(backend_kind k, std::string& why);
bool needs_no_edge(backend_kind k, std::string& why);
/// The strict PSN model only (cases_model.cpp: the rules where it is harsher than the emulations).
bool needs_model(backend_kind k, std::string& why);
/// Every backend but the model: behaviour the emulations give and PSN may not (the model then
/// checks the harsher answer in a case of its own).
bool needs_kind_backend(backend_kind k, std::string& why);

/// On the model, closing a registered handle breaks the contract: the next port call records
/// it. Cases that close one on purpose take that record (and check it is there) with this.
void expect_close_violation(backend_kind k);

/// How long to wait for a notification that must come. Generous: under Wine, AFD completions
/// travel through the wineserver, and sanitizers slow everything down.
constexpr std::chrono::milliseconds must_arrive = 5s;
/// How long to watch for a notification that must not come.
constexpr std::chrono::milliseconds quiet_period = 200ms;

/// A port on the case's backend, with helpers that assert the call-level contract.
class port_fixture
{
public:
  explicit port_fixture(backend_kind k);

  notification_port port;

  /// Applies entries in one registration-only call; the call itself must succeed.
  void apply(std::vector<registration>& regs);
  /// Applies one entry and returns its result.
  boost::system::error_code apply_one(registration r);

  /// One process() call with no registrations.
  std::vector<notification> poll(std::chrono::milliseconds timeout, std::size_t capacity = 64);

  /// Waits until a notification for `key` arrives (up to must_arrive); notifications for other
  /// keys are kept for later. Returns its events, or event::none on time-out.
  event wait_for(std::uintptr_t key, std::chrono::milliseconds limit = must_arrive);

  /// Everything that arrives within `period` (default quiet_period), plus what was kept.
  std::vector<notification> gather(std::chrono::milliseconds period = quiet_period);

  /// Count of notifications for `key` within `period` (plus kept ones).
  std::size_t count_for(std::uintptr_t key, std::chrono::milliseconds period = quiet_period);

private:
  std::vector<notification> kept_;
};

} // namespace sockn_test

#endif
