//
// test/acceptor/move_accept.cpp
//
// Move-accept, where the acceptor makes the socket: every overload, blocking and asynchronous,
// onto the acceptor's executor, another executor or another io_context, with and without the
// peer's endpoint; and a socket accepted into another io_context doing its I/O there.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace acceptor_test {

static_assert(std::is_same<decltype(std::declval<tcp::acceptor&>().accept()), tcp::socket>::value,
              "move-accept returns the protocol's socket on the acceptor's executor");
static_assert(std::is_same<decltype(std::declval<tcp::acceptor&>().accept(
                             std::declval<asio::io_context&>())),
                           ioc_socket>::value,
              "move-accept into a context returns a socket on that context's executor");
static_assert(
  std::is_same<tcp::acceptor::rebind_executor<ioc_executor>::other, ioc_acceptor>::value,
  "rebind_executor names the same acceptor template on the new executor");

BOOST_AUTO_TEST_SUITE(acceptor, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(sync_move_accept_overloads)
{
  asio::io_context ioc;
  asio::io_context other;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const auto other_ex = other.get_executor();

  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket s = acceptor.accept();
    BOOST_TEST((s.get_executor() == acceptor.get_executor()));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    error_code ec;
    tcp::socket s = acceptor.accept(ec);
    BOOST_TEST(!ec, ec.message());
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    ioc_socket s = acceptor.accept(other_ex);
    BOOST_TEST((s.get_executor() == other_ex));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    ioc_socket s = acceptor.accept(other);
    BOOST_TEST((s.get_executor() == other_ex));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    error_code ec;
    ioc_socket s = acceptor.accept(other_ex, ec);
    BOOST_TEST(!ec, ec.message());
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    error_code ec;
    ioc_socket s = acceptor.accept(other, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((s.get_executor() == other_ex));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::endpoint from;
    tcp::socket s = acceptor.accept(from);
    BOOST_TEST(from == client.local_endpoint());
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::endpoint from;
    error_code ec;
    tcp::socket s = acceptor.accept(from, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(from == client.local_endpoint());
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::endpoint from;
    ioc_socket s = acceptor.accept(other_ex, from);
    BOOST_TEST(from == client.local_endpoint());
    BOOST_TEST((s.get_executor() == other_ex));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::endpoint from;
    ioc_socket s = acceptor.accept(other, from);
    BOOST_TEST(from == client.local_endpoint());
    BOOST_TEST((s.get_executor() == other_ex));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::endpoint from;
    error_code ec;
    // Asio 1.81 declares this overload with its executor parameter typed executor_type, so
    // Executor1 cannot be deduced and has to be spelled out.
    using any_ex = tcp::acceptor::executor_type;
    tcp::socket s = acceptor.accept<any_ex>(any_ex(other_ex), from, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(from == client.local_endpoint());
    BOOST_TEST((s.get_executor() == any_ex(other_ex)));
    check_pair(s, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::endpoint from;
    error_code ec;
    ioc_socket s = acceptor.accept(other, from, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(from == client.local_endpoint());
    check_pair(s, client);
  }
}

BOOST_AUTO_TEST_CASE(async_move_accept_overloads)
{
  asio::io_context ioc;
  asio::io_context other;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const auto other_ex = other.get_executor();

  accept_outcome<tcp::socket> r1, r4;
  accept_outcome<ioc_socket> r2, r3, r5, r6;
  tcp::endpoint from4, from5, from6;
  bool initiating = true;
  acceptor.async_accept(record_accept(r1, &initiating));
  acceptor.async_accept(other_ex, record_accept(r2, &initiating));
  acceptor.async_accept(other, record_accept(r3, &initiating));
  acceptor.async_accept(from4, record_accept(r4, &initiating));
  acceptor.async_accept(other_ex, from5, record_accept(r5, &initiating));
  acceptor.async_accept(other, from6, record_accept(r6, &initiating));
  initiating = false;
  ioc.poll();
  BOOST_TEST(r1.calls + r2.calls + r3.calls + r4.calls + r5.calls + r6.calls == 0);

  std::vector<tcp::socket> clients;
  for (int i = 0; i < 6; ++i)
    clients.push_back(connect_client(ioc, acceptor));
  BOOST_TEST(run_for(ioc));

  auto check = [&](auto& r, std::size_t i, const char* form) {
    BOOST_TEST_CONTEXT(form)
    {
      BOOST_TEST(r.calls == 1);
      BOOST_TEST(!r.ec, r.ec.message());
      BOOST_TEST(!r.ran_inside_initiation);
      BOOST_TEST_REQUIRE(!!r.socket);
      check_pair(*r.socket, clients[i]);
    }
  };
  check(r1, 0, "async_accept(token)");
  check(r2, 1, "async_accept(executor, token)");
  check(r3, 2, "async_accept(context, token)");
  check(r4, 3, "async_accept(endpoint, token)");
  check(r5, 4, "async_accept(executor, endpoint, token)");
  check(r6, 5, "async_accept(context, endpoint, token)");
  BOOST_TEST((r1.socket->get_executor() == acceptor.get_executor()));
  BOOST_TEST((r2.socket->get_executor() == other_ex));
  BOOST_TEST((r3.socket->get_executor() == other_ex));
  BOOST_TEST(from4 == clients[3].local_endpoint());
  BOOST_TEST(from5 == clients[4].local_endpoint());
  BOOST_TEST(from6 == clients[5].local_endpoint());
}

BOOST_AUTO_TEST_CASE(socket_accepted_into_another_io_context_works_there)
{
  asio::io_context ioc;
  asio::io_context other;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  accept_outcome<ioc_socket> r;
  acceptor.async_accept(other, record_accept(r));
  tcp::socket client = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST_REQUIRE(r.calls == 1);
  BOOST_TEST_REQUIRE(!r.ec, r.ec.message());
  BOOST_TEST_REQUIRE(!!r.socket);
  ioc_socket& s = *r.socket;
  BOOST_TEST((s.get_executor() == other.get_executor()));

  // Its asynchronous operations run on `other`, and only there.
  std::array<char, 5> buf{};
  outcome read, wrote;
  asio::async_read(s, asio::buffer(buf), record(read));
  asio::async_write(s, asio::buffer("there", 5), record(wrote));
  asio::write(client, asio::buffer("hello", 5));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(read.calls == 0);
  BOOST_TEST(run_for(other));
  BOOST_TEST(read.calls == 1);
  BOOST_TEST(!read.ec, read.ec.message());
  BOOST_TEST(std::string(buf.data(), 5) == "hello");
  BOOST_TEST(wrote.calls == 1);
  BOOST_TEST(!wrote.ec, wrote.ec.message());
  std::array<char, 5> back{};
  asio::read(client, asio::buffer(back));
  BOOST_TEST(std::string(back.data(), 5) == "there");

  // Closing `ioc`'s side entirely leaves the socket working on `other`.
  acceptor.close();
  outcome again;
  s.async_read_some(asio::buffer(buf), record(again));
  asio::write(client, asio::buffer("x", 1));
  BOOST_TEST(run_for(other));
  BOOST_TEST(again.calls == 1);
  BOOST_TEST(!again.ec, again.ec.message());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace acceptor_test
