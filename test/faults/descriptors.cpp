//
// test/faults/descriptors.cpp
//
// Out of descriptors: with the process's descriptor limit reached, an accept completes with
// no_descriptors (EMFILE) and the connection stays in the listener's backlog; once descriptors
// are free again the same acceptor accepts it, and the connection carries a request and its
// response. POSIX only (RLIMIT_NOFILE); Windows reports the case skipped.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <cerrno>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace faults_descriptors {

using namespace sockn_test;
using tcp = net_under_test::tcp;

namespace {

/// The descriptor limit can be lowered here (POSIX), or the case reports itself skipped.
struct descriptor_limit_adjustable
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
#if defined(_WIN32)
    return skipped_because("RLIMIT_NOFILE is POSIX: Windows has no per-process descriptor limit "
                           "a test can lower");
#else
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || open_descriptors() < 0)
      return skipped_because("cannot read the descriptor limit or count the open descriptors");
    return true;
#endif
  }
};

#if !defined(_WIN32)

/// Takes every descriptor the process may still open, under a soft limit lowered to a little
/// above what is open now; gives them back and restores the limit on release() or destruction.
class descriptors_exhausted
{
public:
  descriptors_exhausted()
  {
    if (::getrlimit(RLIMIT_NOFILE, &saved_) != 0)
      return;
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(open_descriptors()) + 4;
    if (::setrlimit(RLIMIT_NOFILE, &low) != 0)
      return;
    lowered_ = true;
    // The lowest free descriptor numbers go first, holes included, until open() is refused.
    while (held_.size() < 4096)
    {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0)
      {
        refusal_ = errno;
        break;
      }
      held_.push_back(fd);
    }
  }

  ~descriptors_exhausted() { release(); }
  descriptors_exhausted(const descriptors_exhausted&) = delete;
  descriptors_exhausted& operator=(const descriptors_exhausted&) = delete;

  /// The errno of the open() that was refused (EMFILE when the limit was reached).
  int refusal() const { return refusal_; }

  void release()
  {
    for (int fd : held_)
      ::close(fd);
    held_.clear();
    if (lowered_)
      ::setrlimit(RLIMIT_NOFILE, &saved_);
    lowered_ = false;
  }

private:
  rlimit saved_{};
  bool lowered_ = false;
  int refusal_ = 0;
  std::vector<int> held_;
};

/// UBSan checks an object's dynamic type by probing its memory through a pipe, which it cannot
/// open once the descriptors are gone: it would report a false "invalid vptr". It remembers the
/// types it has checked, so the calls the case makes while descriptors are short are made once
/// before: an accept completed through the port, and the comparison of an error code with an
/// error condition that an accept's error path makes.
void check_types_while_descriptors_last()
{
  const error_code refused = asio::error::no_descriptors;
  BOOST_TEST(refused != boost::system::errc::protocol_error);
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket client(ioc);
  accept_outcome<tcp::socket> accepted;
  acceptor.async_accept(record_accept(accepted));
  ioc.poll();
  client.connect(acceptor.local_endpoint());
  BOOST_TEST(run_until(ioc, [&] { return accepted.calls > 0; }, 10s));
  BOOST_TEST(!accepted.ec, accepted.ec.message());
  run_briefly(ioc, 20ms);
}

#endif

} // namespace

BOOST_AUTO_TEST_SUITE(out_of_descriptors, *boost::unit_test::precondition(runnable()))

BOOST_AUTO_TEST_CASE(accept_reports_no_descriptors_then_the_same_acceptor_accepts_again,
  *boost::unit_test::precondition(descriptor_limit_adjustable()))
{
#if !defined(_WIN32)
  check_types_while_descriptors_last();
  // Accept pending before the connection arrives (completed from the port), or started when
  // the connection already waits (tried at once).
  for (bool accept_first : {true, false})
    BOOST_TEST_CONTEXT((accept_first ? "accept pending first" : "connection waiting first"))
    {
      asio::io_context ioc;
      tcp::acceptor acceptor(ioc, tcp_loopback());
      tcp::socket client(ioc);
      client.open(tcp::v4()); // every descriptor the case needs is open before the limit
      accept_outcome<tcp::socket> refused;
      if (accept_first)
      {
        acceptor.async_accept(record_accept(refused));
        ioc.poll(); // waits for the connection
        BOOST_TEST(refused.calls == 0);
      }
      {
        descriptors_exhausted full;
        BOOST_TEST_REQUIRE(full.refusal() == EMFILE);
        // The handshake is the kernel's: it completes into the backlog, no descriptor needed.
        client.connect(acceptor.local_endpoint());
        if (!accept_first)
          acceptor.async_accept(record_accept(refused));
        BOOST_TEST(run_until(ioc, [&] { return refused.calls > 0; }, 10s));
        run_briefly(ioc, 20ms); // a second completion would show here
      }
      BOOST_TEST(refused.calls == 1);
      BOOST_TEST(refused.ec == asio::error::no_descriptors, refused.ec.message());
      BOOST_TEST(!refused.socket_open);
      BOOST_TEST(acceptor.is_open());

      // Descriptors are free again: the connection still waits in the backlog.
      accept_outcome<tcp::socket> accepted;
      acceptor.async_accept(record_accept(accepted));
      BOOST_TEST_REQUIRE(run_until(ioc, [&] { return accepted.calls > 0; }, 10s));
      BOOST_TEST_REQUIRE(!accepted.ec, accepted.ec.message());
      BOOST_TEST_REQUIRE(accepted.socket_open);
      BOOST_TEST(accepted.socket_remote == client.local_endpoint());

      // A request and its response over the accepted connection.
      tcp::socket& server = *accepted.socket;
      std::array<char, 7> request{}, response{};
      outcome sent, served, answered;
      asio::async_write(client, asio::buffer("request", 7), record(sent));
      asio::async_read(server, asio::buffer(request), [&](const error_code& ec, std::size_t n) {
        served.record(ec, n);
        if (!ec)
          asio::async_write(server, asio::buffer("answer!", 7), record(sent));
      });
      asio::async_read(client, asio::buffer(response), record(answered));
      BOOST_TEST(run_for(ioc, 1, 10s));
      BOOST_TEST(sent.calls == 2);
      BOOST_TEST(!sent.ec, sent.ec.message());
      BOOST_TEST(served.calls == 1);
      BOOST_TEST(!served.ec, served.ec.message());
      BOOST_TEST(std::string(request.data(), request.size()) == "request");
      BOOST_TEST(answered.calls == 1);
      BOOST_TEST(!answered.ec, answered.ec.message());
      BOOST_TEST(std::string(response.data(), response.size()) == "answer!");
      BOOST_TEST(refused.calls == 1); // never again
    }
#endif
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace faults_descriptors
