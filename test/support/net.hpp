//
// test/support/net.hpp
//
// The networking library under test. The socket, acceptor, UDP and token tests are written
// against Asio's interface; built with BOOST_SOCKN_TEST_NATIVE_ASIO they run on Asio's own
// sockets, which shows that each expectation is Asio's behaviour and not ours.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_SUPPORT_NET_HPP
#define BOOST_SOCKN_TEST_SUPPORT_NET_HPP

#include <boost/asio.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

namespace net_under_test {
using tcp = boost::asio::ip::tcp;
using udp = boost::asio::ip::udp;
using boost::asio::async_connect;
using boost::asio::basic_datagram_socket;
using boost::asio::basic_socket;
using boost::asio::basic_socket_acceptor;
using boost::asio::basic_stream_socket;
using boost::asio::connect;
inline const char* name() { return "native Asio"; }
} // namespace net_under_test

#else

#include <boost_sockn/boost_sockn.hpp>

namespace net_under_test {
using tcp = boost_sockn::ip::tcp;
using udp = boost_sockn::ip::udp;
using boost_sockn::async_connect;
using boost_sockn::basic_datagram_socket;
using boost_sockn::basic_socket;
using boost_sockn::basic_socket_acceptor;
using boost_sockn::basic_stream_socket;
using boost_sockn::connect;
inline const char* name() { return "boost_sockn"; }
} // namespace net_under_test

#endif

namespace sockn_test {

/// A reason to report a case as skipped, for a precondition that the platform or the build
/// cannot meet.
inline boost::test_tools::assertion_result skipped_because(const std::string& why)
{
  boost::test_tools::assertion_result r(false);
  r.message() << why;
  return r;
}

/// Decorator for the top-level suites: reports every case as skipped, with the reason, when the
/// reactor cannot run with the backend/policy this run asks for (BOOST_SOCKN_BACKEND,
/// BOOST_SOCKN_TRIGGER), e.g. the edge policy on the afd backend.
struct runnable
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
    return true;
#else
    std::string why;
    if (boost_sockn::reactor::available(boost_sockn::reactor_options{}, why))
      return true;
    return skipped_because(why);
#endif
  }
};

/// Whether these tests run on boost_sockn (not on native Asio).
#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)
constexpr bool sockn_build = false;
#else
constexpr bool sockn_build = true;
#endif
#if defined(_WIN32)
constexpr bool windows_build = true;
#else
constexpr bool windows_build = false;
#endif

/// Decorator for what only boost_sockn has (the reactor service, the socket watcher): in the
/// native-Asio build the case reports itself skipped, saying `why`, so that both builds list it.
struct sockn_only
{
  const char* why;

  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    if (sockn_build)
      return true;
    return skipped_because(why);
  }
};

/// Decorator for a case whose Asio behaviour boost_sockn does not match where `applies` holds:
/// the case reports itself skipped with `why` (a known deviation, listed in docs/reactor.md),
/// and runs everywhere else.
struct known_deviation
{
  bool applies;
  const char* why;

  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    if (!applies)
      return true;
    return skipped_because(std::string("known deviation from Asio: ") + why);
  }
};

} // namespace sockn_test

#endif // BOOST_SOCKN_TEST_SUPPORT_NET_HPP
