//
// test/faults/port_failures.cpp
//
// Port calls that fail under pending operations, injected into the strict PSN model: a read, a
// wait and an accept whose registration the port refuses complete with the port's error; the
// ones whose notifications a failed call held back complete later, the call being tried again.
// Either way each completes exactly once, within a bounded time, the sockets go on working, and
// closing them leaves nothing behind. Model only: every other backend (and native Asio) reports
// the cases skipped.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#if !defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
#include <boost_sockn/port_model.hpp>
#include <boost_sockn/reactor.hpp>
#endif

#include <boost/test/unit_test.hpp>

#include <array>
#include <initializer_list>
#include <memory>
#include <string>

namespace faults_port {

using namespace sockn_test;
using tcp = net_under_test::tcp;

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

BOOST_AUTO_TEST_SUITE(port_failures, *boost::unit_test::precondition(sockn_only{
  "port failures are injected into boost_sockn's strict PSN model, which native Asio lacks"}))
BOOST_AUTO_TEST_CASE(injected_port_failures)
{
  // Never runs (the suite's precondition is false here); listed so that the report shows why.
  BOOST_TEST(std::string(net_under_test::name()) == "boost_sockn");
}
BOOST_AUTO_TEST_SUITE_END()

#else

namespace {

using boost_sockn::port_op;
namespace model = boost_sockn::model;

/// The reactor runs on the strict PSN model, or the case reports itself skipped.
struct on_the_model
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    asio::io_context ioc;
    if (asio::use_service<boost_sockn::reactor>(ioc).backend() == boost_sockn::backend_kind::model)
      return true;
    return skipped_because("fault injection needs the strict PSN model (BOOST_SOCKN_BACKEND=model)");
  }
};

/// Whatever a case injected and the port did not use goes with the case.
struct injections_cleared
{
  injections_cleared() { clear(); }
  ~injections_cleared() { clear(); }
  static void clear()
  {
    model::fail_next_calls(error_code(), 0);
    for (port_op op : {port_op::enable, port_op::disable, port_op::remove})
      model::fail_next_entry(op, error_code());
  }
};

boost_sockn::reactor_statistics statistics(asio::io_context& ioc)
{
  return asio::use_service<boost_sockn::reactor>(ioc).statistics();
}

std::uint64_t entries_applied(asio::io_context& ioc)
{
  const auto s = statistics(ioc);
  return s.registrations + s.direct_registrations;
}

const error_code injected = asio::error::make_error_code(asio::error::no_memory);

/// A read, a read wait and an accept, each on a socket of its own, each waiting for the port.
class three_pending
{
public:
  explicit three_pending(asio::io_context& ioc) : ioc_(ioc), pair(ioc), listener(ioc, tcp_loopback()) {}

  void start_read() { pair.server.async_read_some(asio::buffer(rx_), record(read)); }
  void start_wait() { pair.client.async_wait(tcp::socket::wait_read, record(wait)); }
  void start_accept() { listener.async_accept(record_accept(accept)); }
  void start_all()
  {
    start_read();
    start_wait();
    start_accept();
  }

  /// Makes each of the three ready (once).
  void provoke()
  {
    if (!provoked_)
    {
      send_text(pair.client, "ping");
      send_text(pair.server, "pong");
      caller_ = std::make_unique<tcp::socket>(ioc_);
      caller_->connect(listener.local_endpoint());
      provoked_ = true;
    }
  }

  int completions() const { return read.calls + wait.calls + accept.calls; }

  /// Runs the context until each of the three completed, within a bounded time.
  bool run_until_all_completed()
  {
    const bool all = run_until(ioc_, [&] { return read.calls && wait.calls && accept.calls; }, 10s);
    run_briefly(ioc_, 20ms); // a second completion of any of them would show here
    return all;
  }

  /// Whether the completions so far are the successful ones provoke() makes.
  void check_success(const outcome& o) const
  {
    if (&o == &read)
    {
      BOOST_TEST(!o.ec, "read: " << o.ec.message());
      BOOST_TEST(o.bytes == 4u);
      BOOST_TEST(std::string(rx_.data(), o.bytes) == "ping");
    }
    else if (&o == &wait)
    {
      BOOST_TEST(!o.ec, "wait: " << o.ec.message());
      BOOST_TEST(pair.client.available() == 4u); // a wait consumes nothing
    }
    else
    {
      BOOST_TEST(!o.ec, "accept: " << o.ec.message());
      BOOST_TEST(accept.socket_open);
      BOOST_TEST(accept.socket_remote == caller_->local_endpoint());
    }
  }

  void close_all()
  {
    pair.client.close();
    pair.server.close();
    pair.acceptor.close();
    listener.close();
    if (accept.socket)
      accept.socket->close();
    if (caller_)
      caller_->close();
  }

private:
  asio::io_context& ioc_;
  std::array<char, 16> rx_{};
  bool provoked_ = false;
  std::unique_ptr<tcp::socket> caller_;

public:
  tcp_pair pair;
  tcp::acceptor listener;
  outcome read, wait;
  accept_outcome<tcp::socket> accept;
};

/// After the sockets are closed: no close awaits its remove, no operation is left (the context
/// runs out of work at once), and every descriptor the case opened is closed. The model fails the
/// case by itself if a handle was closed while registered.
void check_nothing_left(asio::io_context& ioc, long descriptors_before)
{
  BOOST_TEST(statistics(ioc).awaiting_remove == 0u);
  BOOST_TEST(run_for(ioc, 1, 5s)); // returns only once no operation is outstanding
  BOOST_TEST(open_descriptors() == descriptors_before);
}

/// Opens a socket, so that the reactor has started (its port and poller are open) before the
/// case counts descriptors.
long started_and_counted(asio::io_context& ioc, tcp::socket& starter)
{
  starter.open(tcp::v4());
  (void)statistics(ioc);
  return open_descriptors();
}

} // namespace

BOOST_AUTO_TEST_SUITE(port_failures, *boost::unit_test::precondition(runnable()))

BOOST_AUTO_TEST_CASE(registrations_refused_whole_fail_the_operations_and_the_sockets_go_on,
  *boost::unit_test::precondition(on_the_model()))
{
  injections_cleared cleared;
  asio::io_context ioc;
  tcp::socket starter(ioc);
  const long descriptors = started_and_counted(ioc, starter);
  {
    three_pending ops(ioc);
    // Every port call that carries an enable fails whole: the three registrations are refused,
    // whether they are applied one by one or in one batch.
    model::fail_next_calls(injected, 3, port_op::enable);
    ops.start_all();
    BOOST_TEST(ops.run_until_all_completed());
    injections_cleared::clear();
    for (const outcome* o : std::initializer_list<const outcome*>{&ops.read, &ops.wait, &ops.accept})
    {
      BOOST_TEST(o->calls == 1);
      BOOST_TEST(o->ec == injected, o->ec.message());
    }

    // The same operations again, with the port working: they wait, and complete once ready.
    ops.read = {};
    ops.wait = {};
    static_cast<outcome&>(ops.accept) = {};
    ops.start_all();
    ioc.poll();
    BOOST_TEST(ops.completions() == 0); // nothing is ready yet: they wait in the port
    ops.provoke();
    BOOST_TEST(ops.run_until_all_completed());
    BOOST_TEST(ops.read.calls == 1);
    BOOST_TEST(ops.wait.calls == 1);
    BOOST_TEST(ops.accept.calls == 1);
    ops.check_success(ops.read);
    ops.check_success(ops.wait);
    ops.check_success(ops.accept);
    ops.close_all();
  }
  starter.close();
  check_nothing_left(ioc, descriptors - 1);
}

BOOST_AUTO_TEST_CASE(a_registration_entry_refused_fails_its_operation_alone,
  *boost::unit_test::precondition(on_the_model()))
{
  injections_cleared cleared;
  asio::io_context ioc;
  tcp::socket starter(ioc);
  const long descriptors = started_and_counted(ioc, starter);
  {
    three_pending ops(ioc);
    // One enable entry fails on its own (whichever the port applies first); the call and the
    // other entries succeed.
    model::fail_next_entry(port_op::enable, injected);
    ops.start_all();
    BOOST_TEST(run_until(ioc, [&] { return ops.completions() > 0; }, 10s));
    run_briefly(ioc, 20ms);
    BOOST_TEST_REQUIRE(ops.completions() == 1);
    outcome* refused = ops.read.calls ? &ops.read
                     : ops.wait.calls ? &ops.wait
                                      : static_cast<outcome*>(&ops.accept);
    BOOST_TEST(refused->ec == injected, refused->ec.message());

    // The other two wait in the port and complete once ready; the refused one, started again,
    // too.
    *refused = {};
    if (refused == &ops.read)
      ops.start_read();
    else if (refused == &ops.wait)
      ops.start_wait();
    else
      ops.start_accept();
    ioc.poll();
    BOOST_TEST(ops.completions() == 0);
    ops.provoke();
    BOOST_TEST(ops.run_until_all_completed());
    BOOST_TEST(ops.read.calls == 1);
    BOOST_TEST(ops.wait.calls == 1);
    BOOST_TEST(ops.accept.calls == 1);
    ops.check_success(ops.read);
    ops.check_success(ops.wait);
    ops.check_success(ops.accept);
    ops.close_all();
  }
  starter.close();
  check_nothing_left(ioc, descriptors - 1);
}

BOOST_AUTO_TEST_CASE(failed_port_calls_are_tried_again_and_every_operation_completes_once,
  *boost::unit_test::precondition(on_the_model()))
{
  injections_cleared cleared;
  asio::io_context ioc;
  tcp::socket starter(ioc);
  const long descriptors = started_and_counted(ioc, starter);
  {
    three_pending ops(ioc);
    const std::uint64_t applied = entries_applied(ioc);
    ops.start_all();
    // Registered before the failures start (with a readiness thread, its next batch applies
    // them).
    BOOST_TEST_REQUIRE(run_until(ioc, [&] { return entries_applied(ioc) >= applied + 3; }, 10s));
    BOOST_TEST(ops.completions() == 0);

    // The next port calls fail whole, whatever they carry: the dequeues that would deliver the
    // notifications. Nothing is lost: the calls are made again.
    model::fail_next_calls(injected, 4);
    ops.provoke();
    BOOST_TEST(ops.run_until_all_completed());
    injections_cleared::clear();
    BOOST_TEST(ops.read.calls == 1);
    BOOST_TEST(ops.wait.calls == 1);
    BOOST_TEST(ops.accept.calls == 1);
    ops.check_success(ops.read);
    ops.check_success(ops.wait);
    ops.check_success(ops.accept);

    // And the sockets go on: a second read waits in the port and completes.
    std::array<char, 8> more{};
    outcome again;
    ops.pair.server.async_read_some(asio::buffer(more), record(again));
    ioc.poll();
    BOOST_TEST(again.calls == 0);
    send_text(ops.pair.client, "more");
    BOOST_TEST(run_until(ioc, [&] { return again.calls > 0; }, 10s));
    BOOST_TEST(again.calls == 1);
    BOOST_TEST(!again.ec, again.ec.message());
    BOOST_TEST(again.bytes == 4u);
    ops.close_all();
  }
  starter.close();
  check_nothing_left(ioc, descriptors - 1);
}

BOOST_AUTO_TEST_SUITE_END()

#endif

} // namespace faults_port
