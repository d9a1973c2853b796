//
// test/acceptor/lifecycle.cpp
//
// The acceptor from construction to release: every constructor (not open, open, bound and
// listening, adopting a native handle, moved and converted), open/bind/listen step by step and
// their errors, options, moving an acceptor with an accept pending, and release()/assign().
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <utility>

namespace acceptor_test {

BOOST_AUTO_TEST_SUITE(acceptor, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(constructors)
{
  asio::io_context ioc;
  const auto ex = ioc.get_executor();

  // Not open.
  tcp::acceptor a1(ex);
  tcp::acceptor a2(ioc);
  BOOST_TEST(!a1.is_open());
  BOOST_TEST(!a2.is_open());
  BOOST_TEST((a1.get_executor() == tcp::acceptor::executor_type(ex)));
  BOOST_TEST((a2.get_executor() == tcp::acceptor::executor_type(ex)));

  // Open, not bound. (The (context, protocol) form is compiled on its own, in
  // context_protocol_ctor.cpp.)
  tcp::acceptor a3(ex, tcp::v4());
  BOOST_TEST(a3.is_open());
  error_code ec;
  const auto unbound = a3.local_endpoint(ec);
#if defined(_WIN32)
  BOOST_TEST(ec == error_code(asio::error::invalid_argument)); // getsockname before bind
  (void)unbound;
#else
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(unbound.port() == 0);
#endif

  // Open, bound, listening: clients can connect.
  tcp::acceptor a5(ex, tcp_loopback());
  tcp::acceptor a6(ioc, tcp_loopback(), /*reuse_addr*/ false);
  for (tcp::acceptor* a : {&a5, &a6})
  {
    BOOST_TEST(a->is_open());
    BOOST_TEST(a->local_endpoint().port() != 0);
    tcp::socket client = connect_client(ioc, *a);
    tcp::socket server = a->accept();
    check_pair(server, client);
  }
  tcp::acceptor::reuse_address reuse;
  a5.get_option(reuse);
  BOOST_TEST(reuse.value());
  a6.get_option(reuse);
  BOOST_TEST(!reuse.value());

  // Adopting a native acceptor that listens already.
  tcp::acceptor source(ioc, tcp_loopback());
  const auto ep = source.local_endpoint();
  tcp::acceptor a7(ex, tcp::v4(), source.release());
  BOOST_TEST(a7.is_open());
  BOOST_TEST(a7.local_endpoint() == ep);
  {
    tcp::socket client = connect_client(ioc, a7);
    tcp::socket server = a7.accept();
    check_pair(server, client);
  }
  tcp::acceptor a8(ioc, tcp::v4(), a7.release());
  BOOST_TEST(a8.local_endpoint() == ep);

  // Move construction and assignment, and the converting forms.
  tcp::acceptor a9(std::move(a8));
  BOOST_TEST(!a8.is_open());
  BOOST_TEST((a8.get_executor() == tcp::acceptor::executor_type(ex)));
  BOOST_TEST(a9.local_endpoint() == ep);
  a1 = std::move(a9);
  BOOST_TEST(!a9.is_open());
  BOOST_TEST(a1.local_endpoint() == ep);

  ioc_acceptor typed(ex, tcp_loopback());
  const auto typed_ep = typed.local_endpoint();
  tcp::acceptor converted(std::move(typed));
  BOOST_TEST(!typed.is_open());
  BOOST_TEST(converted.local_endpoint() == typed_ep);
  ioc_acceptor typed2(ex, tcp_loopback());
  const auto typed2_ep = typed2.local_endpoint();
  converted = std::move(typed2);
  BOOST_TEST(converted.local_endpoint() == typed2_ep);
  {
    tcp::socket client(ioc);
    client.connect(typed2_ep);
    tcp::socket server = converted.accept();
    check_pair(server, client);
  }

  // A constructor that cannot bind throws.
  try
  {
    tcp::acceptor taken(ioc, tcp::endpoint(tcp_loopback().address(), a6.local_endpoint().port()),
                        false);
    BOOST_ERROR("binding a port in use did not throw");
  }
  catch (const boost::system::system_error& e)
  {
    BOOST_TEST(e.code() == error_code(asio::error::address_in_use));
  }
}

BOOST_AUTO_TEST_CASE(open_bind_listen_step_by_step_and_errors)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc);
  acceptor.open(tcp::v4());
  error_code ec;
  acceptor.open(tcp::v4(), ec);
  BOOST_TEST(ec == already_open);
  acceptor.bind(tcp_loopback());
  acceptor.listen(4);
  const auto ep = acceptor.local_endpoint();
  BOOST_TEST(ep.port() != 0);

  tcp::acceptor rival(ioc.get_executor(), tcp::v4());
  rival.bind(ep, ec);
  BOOST_TEST(ec == error_code(asio::error::address_in_use));

  tcp::acceptor closed(ioc);
  closed.bind(tcp_loopback(), ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.listen(asio::socket_base::max_listen_connections, ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.local_endpoint(ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.cancel(ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.close();
  closed.close(ec);
  BOOST_TEST(!ec, ec.message());

  tcp::socket client = connect_client(ioc, acceptor);
  tcp::socket s = acceptor.accept();
  check_pair(s, client);
}

BOOST_AUTO_TEST_CASE(options_and_enable_connection_aborted)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  for (bool on : {true, false, true})
  {
    acceptor.set_option(tcp::acceptor::enable_connection_aborted(on));
    acceptor.set_option(tcp::acceptor::reuse_address(on));
    tcp::acceptor::enable_connection_aborted aborted_option;
    tcp::acceptor::reuse_address reuse;
    acceptor.get_option(aborted_option);
    acceptor.get_option(reuse);
    BOOST_TEST(aborted_option.value() == on);
    BOOST_TEST(reuse.value() == on);
  }
  acceptor.set_option(tcp::acceptor::receive_buffer_size(64 * 1024));
  tcp::acceptor::receive_buffer_size rcv;
  acceptor.get_option(rcv);
  BOOST_TEST(rcv.value() >= 64 * 1024);

  // With enable_connection_aborted on, ordinary accepts are unaffected.
  tcp::socket client = connect_client(ioc, acceptor);
  accept_outcome<tcp::socket> r;
  acceptor.async_accept(record_accept(r));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!r.ec, r.ec.message());
  BOOST_TEST_REQUIRE(!!r.socket);
  check_pair(*r.socket, client);

  tcp::acceptor closed(ioc);
  error_code ec;
  closed.set_option(tcp::acceptor::enable_connection_aborted(true), ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.get_option(rcv, ec);
  BOOST_TEST(ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(move_acceptor_with_pending_accept)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  accept_outcome<tcp::socket> r;
  acceptor.async_accept(record_accept(r));
  ioc.poll();

  tcp::acceptor moved(std::move(acceptor));
  BOOST_TEST(!acceptor.is_open());
  BOOST_TEST((acceptor.get_executor() == tcp::acceptor::executor_type(ioc.get_executor())));
  tcp::socket client = connect_client(ioc, moved);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(r.calls == 1);
  BOOST_TEST(!r.ec, r.ec.message());
  BOOST_TEST_REQUIRE(!!r.socket);
  check_pair(*r.socket, client);
}

BOOST_AUTO_TEST_CASE(release_and_adopt)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const auto ep = acceptor.local_endpoint();
  accept_outcome<tcp::socket> first;
  acceptor.async_accept(record_accept(first));
  ioc.poll();

  // release() ends the pending accept and keeps the listening socket open.
  const auto h = acceptor.release();
  BOOST_TEST(!acceptor.is_open());
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(first.calls == 1);
  BOOST_TEST(first.ec == aborted);

  tcp::acceptor adopted(ioc);
  adopted.assign(tcp::v4(), h);
  BOOST_TEST(adopted.local_endpoint() == ep);
  tcp::socket client = connect_client(ioc, adopted);
  accept_outcome<tcp::socket> second;
  adopted.async_accept(record_accept(second));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!second.ec, second.ec.message());
  BOOST_TEST_REQUIRE(!!second.socket);
  check_pair(*second.socket, client);

  error_code ec;
  tcp::acceptor other(ioc.get_executor(), tcp::v4());
  other.assign(tcp::v4(), adopted.native_handle(), ec);
  BOOST_TEST(ec == already_open);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace acceptor_test
