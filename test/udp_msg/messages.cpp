//
// test/udp_msg/messages.cpp
//
// receive_msg and send_msg doing their job: the packet_info option, the destination address and
// interface of a received datagram, the source chosen for a send (127.0.0.1 and 127.0.0.2, ::1),
// a dual-stack socket answering a v4-mapped peer, and the sync and async forms with several
// completion tokens.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "udp_msg/probes.hpp"

#include <array>
#include <future>
#include <string>

namespace {

using namespace sockn_test;
using namespace msg_test;
using boost_sockn::ip::packet_info;
using boost_sockn::ip::packet_source;
using message_info = udp::socket::message_info;

const asio::ip::address v4_any = asio::ip::address_v4::any();

// Receives one message synchronously (under a watchdog) and checks its bytes.
std::size_t receive_one(udp::socket& s, message_info& info, std::string expected)
{
  std::array<char, 256> buf{};
  std::size_t n = 0;
  error_code ec;
  {
    watchdog w("a blocking receive_msg");
    n = s.receive_msg(asio::buffer(buf), info, ec);
  }
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(std::string(buf.data(), n) == expected);
  return n;
}

void check_loopback_index(unsigned int index, int family)
{
  std::string why;
  const unsigned int expected = loopback_index(family, why);
  if (expected == 0)
  {
    BOOST_TEST_MESSAGE("interface index not compared: " << why);
    BOOST_TEST(index != 0u);
  }
  else
    BOOST_TEST(index == expected);
}

} // namespace

BOOST_AUTO_TEST_SUITE(messages, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(packet_info_option)
{
  asio::io_context ioc;
  udp::socket v4(ioc, udp::v4());
  packet_info opt;
  v4.get_option(opt);
  BOOST_TEST(!opt.value());
  v4.set_option(packet_info(true));
  v4.get_option(opt);
  BOOST_TEST(opt.value());
  v4.set_option(packet_info(false));
  v4.get_option(opt);
  BOOST_TEST(!opt);

  // Asio's own options still go through the same members.
  v4.set_option(udp::socket::reuse_address(true));
  udp::socket::reuse_address reuse;
  v4.get_option(reuse);
  BOOST_TEST(reuse.value());

  udp::socket closed(ioc);
  error_code ec;
  closed.set_option(packet_info(true), ec);
  BOOST_TEST(ec == error_code(asio::error::bad_descriptor));
  closed.get_option(opt, ec);
  BOOST_TEST(ec == error_code(asio::error::bad_descriptor));
}

BOOST_AUTO_TEST_CASE(packet_info_option_v6, *boost::unit_test::precondition(requires_probe{&v6_loopback}))
{
  asio::io_context ioc;
  for (bool v6only : {true, false})
  {
    udp::socket s(ioc, udp::v6());
    s.set_option(asio::ip::v6_only(v6only));
    s.set_option(packet_info(true));
    packet_info opt;
    s.get_option(opt);
    BOOST_TEST(opt.value(), "v6only " << v6only);
  }
}

BOOST_AUTO_TEST_CASE(receive_reports_destination_and_interface)
{
  asio::io_context ioc;
  // Bound to the wildcard, as a server on a multi-address host is: only packet information
  // tells which address a request came to.
  udp::socket server = informed_receiver(ioc, v4_any);
  const unsigned short port = server.local_endpoint().port();
  udp::socket client(ioc, udp_loopback());

  client.send_to(asio::buffer("to one", 6), udp::endpoint(v4_loopback, port));
  message_info info;
  receive_one(server, info, "to one");
  BOOST_TEST(info.sender == client.local_endpoint());
  BOOST_TEST(info.has_packet_info);
  BOOST_TEST(info.destination == v4_loopback);
  check_loopback_index(info.interface_index, AF_INET);
  BOOST_TEST(!info.truncated);
  BOOST_TEST(!info.control_truncated);
  BOOST_TEST(info.control_size > 0u);
  BOOST_TEST(info.reply_source().address == v4_loopback);

  // Without the option there is nothing to report.
  server.set_option(packet_info(false));
  client.send_to(asio::buffer("plain", 5), udp::endpoint(v4_loopback, port));
  message_info plain;
  receive_one(server, plain, "plain");
  BOOST_TEST(plain.sender == client.local_endpoint());
  BOOST_TEST(!plain.has_packet_info);
  BOOST_TEST(plain.destination.is_unspecified());
  BOOST_TEST(plain.reply_source().address.is_unspecified());
}

BOOST_AUTO_TEST_CASE(receive_reports_the_second_loopback_address,
                     *boost::unit_test::precondition(requires_probe{&second_v4_loopback}))
{
  asio::io_context ioc;
  udp::socket server = informed_receiver(ioc, v4_any);
  const unsigned short port = server.local_endpoint().port();
  udp::socket client(ioc, udp_loopback());
  client.send_to(asio::buffer("to two", 6), udp::endpoint(second_loopback(), port));
  message_info info;
  receive_one(server, info, "to two");
  BOOST_TEST(info.has_packet_info);
  BOOST_TEST(info.destination == asio::ip::address(second_loopback()));
  check_loopback_index(info.interface_index, AF_INET);
}

BOOST_AUTO_TEST_CASE(send_from_127_0_0_1)
{
  asio::io_context ioc;
  udp::socket receiver(ioc, udp_loopback());
  // Unbound to an address: the source comes from the message alone.
  udp::socket sender(ioc, udp::endpoint(v4_any, 0));
  const unsigned short port = sender.local_endpoint().port();
  BOOST_TEST(sender.send_msg(asio::buffer("one", 3), receiver.local_endpoint(),
                             packet_source(asio::ip::address_v4::loopback()))
             == 3u);
  std::array<char, 16> buf{};
  udp::endpoint from;
  {
    watchdog w("a blocking receive_from");
    BOOST_TEST(receiver.receive_from(asio::buffer(buf), from) == 3u);
  }
  BOOST_TEST(from == udp::endpoint(v4_loopback, port));

  // The default source lets the system choose, as send_to does.
  BOOST_TEST(sender.send_msg(asio::buffer("any", 3), receiver.local_endpoint(), packet_source()) == 3u);
  {
    watchdog w("a blocking receive_from");
    BOOST_TEST(receiver.receive_from(asio::buffer(buf), from) == 3u);
  }
  BOOST_TEST(from.port() == port);
}

BOOST_AUTO_TEST_CASE(send_from_127_0_0_2,
                     *boost::unit_test::precondition(requires_probe{&chosen_v4_source}))
{
  asio::io_context ioc;
  udp::socket receiver(ioc, udp_loopback());
  udp::socket sender(ioc, udp::endpoint(v4_any, 0));
  const unsigned short port = sender.local_endpoint().port();
  std::array<char, 16> buf{};
  udp::endpoint from;

  // Synchronously, alternating the sources: each datagram carries its own.
  for (const char* source : {"127.0.0.2", "127.0.0.1", "127.0.0.2"})
  {
    const auto a = asio::ip::make_address(source);
    BOOST_TEST(sender.send_msg(asio::buffer(source, 9), receiver.local_endpoint(), a) == 9u);
    {
      watchdog w("a blocking receive_from");
      BOOST_TEST(receiver.receive_from(asio::buffer(buf), from) == 9u);
    }
    BOOST_TEST(from == udp::endpoint(a, port), source);
  }

  // Asynchronously, with the interface named too.
  std::string why;
  const unsigned int lo = loopback_index(AF_INET, why);
  outcome sent, got;
  bool initiating = true;
  sender.async_send_msg(asio::buffer("async", 5), receiver.local_endpoint(),
                        packet_source(second_loopback(), lo), recorder{&sent, &initiating});
  receiver.async_receive_from(asio::buffer(buf), from, record(got));
  initiating = false;
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(sent.calls == 1);
  BOOST_TEST(!sent.ec, sent.ec.message());
  BOOST_TEST(sent.bytes == 5u);
  BOOST_TEST(!sent.ran_inside_initiation);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(from == udp::endpoint(second_loopback(), port));
}

BOOST_AUTO_TEST_CASE(send_through_an_interface_only)
{
  // No address, only the loopback interface: the system picks the address on it.
  std::string why;
  const unsigned int lo = loopback_index(AF_INET, why);
  if (lo == 0)
  {
    BOOST_TEST_MESSAGE("loopback index unknown (" << why << "): sending with index 1");
  }
  asio::io_context ioc;
  udp::socket receiver(ioc, udp_loopback());
  udp::socket sender(ioc, udp::endpoint(v4_any, 0));
  error_code ec;
  const std::size_t n = sender.send_msg(asio::buffer("via", 3), receiver.local_endpoint(),
                                        packet_source(asio::ip::address_v4::any(), lo ? lo : 1), ec);
  BOOST_TEST(!ec, ec.message());
  BOOST_TEST(n == 3u);
  std::array<char, 16> buf{};
  udp::endpoint from;
  {
    watchdog w("a blocking receive_from");
    BOOST_TEST(receiver.receive_from(asio::buffer(buf), from) == 3u);
  }
  BOOST_TEST(from.address() == v4_loopback);
}

BOOST_AUTO_TEST_CASE(reply_from_where_the_request_arrived,
                     *boost::unit_test::precondition(requires_probe{&chosen_v4_source}))
{
  // The reflector's loop in miniature: a wildcard server answers each request from the address
  // it was sent to, and each client sees the reply come from the address it asked.
  asio::io_context ioc;
  udp::socket server = informed_receiver(ioc, v4_any);
  const unsigned short port = server.local_endpoint().port();
  for (const auto& to : {asio::ip::address(v4_loopback), asio::ip::address(second_loopback())})
  {
    udp::socket client(ioc, udp::endpoint(v4_any, 0));
    std::array<char, 64> request{}, reply{};
    message_info info;
    outcome asked, answered, got;
    udp::endpoint from;
    server.async_receive_msg(asio::buffer(request),
                             [&](error_code ec, std::size_t n, message_info i) {
                               asked.ec = ec;
                               asked.bytes = n;
                               ++asked.calls;
                               info = i;
                               server.async_send_msg(asio::buffer(request.data(), n), i.sender,
                                                     i.reply_source(), record(answered));
                             });
    client.async_receive_from(asio::buffer(reply), from, record(got));
    client.send_to(asio::buffer("ping", 4), udp::endpoint(to, port));
    BOOST_TEST(run_for(ioc));
    BOOST_TEST(asked.calls == 1);
    BOOST_TEST(!asked.ec, asked.ec.message());
    BOOST_TEST(info.destination == to);
    BOOST_TEST(!answered.ec, answered.ec.message());
    BOOST_TEST(!got.ec, got.ec.message());
    BOOST_TEST(std::string(reply.data(), got.bytes) == "ping");
    BOOST_TEST(from == udp::endpoint(to, port), "reply from " << from << ", asked " << to);
  }
}

BOOST_AUTO_TEST_CASE(ipv6_loopback, *boost::unit_test::precondition(requires_probe{&v6_loopback}))
{
  asio::io_context ioc;
  const asio::ip::address v6_lo = asio::ip::address_v6::loopback();
  udp::socket server(ioc, udp::v6());
  server.set_option(asio::ip::v6_only(true));
  server.set_option(packet_info(true));
  server.bind(udp::endpoint(asio::ip::address_v6::any(), 0));
  const unsigned short port = server.local_endpoint().port();
  udp::socket client(ioc, udp::endpoint(asio::ip::address_v6::any(), 0));
  const unsigned short client_port = client.local_endpoint().port();

  BOOST_TEST(client.send_msg(asio::buffer("six", 3), udp::endpoint(v6_lo, port), packet_source(v6_lo))
             == 3u);
  message_info info;
  receive_one(server, info, "six");
  BOOST_TEST(info.sender == udp::endpoint(v6_lo, client_port));
  BOOST_TEST(info.has_packet_info);
  BOOST_TEST(info.destination == v6_lo);
  check_loopback_index(info.interface_index, AF_INET6);

  // And back, asynchronously, from the address it came to.
  std::array<char, 16> buf{};
  outcome sent;
  udp::endpoint from;
  server.async_send_msg(asio::buffer("back", 4), info.sender, info.reply_source(), record(sent));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!sent.ec, sent.ec.message());
  {
    watchdog w("a blocking receive_from");
    BOOST_TEST(client.receive_from(asio::buffer(buf), from) == 4u);
  }
  BOOST_TEST(from == udp::endpoint(v6_lo, port));
}

BOOST_AUTO_TEST_CASE(dual_stack_with_a_v4_mapped_peer)
{
  asio::io_context ioc;
  udp::socket server(ioc, udp::v6());
  error_code ec;
  server.set_option(asio::ip::v6_only(false), ec);
  BOOST_TEST_REQUIRE(!ec, "a dual-stack socket: " << ec.message());
  server.set_option(packet_info(true));
  server.bind(udp::endpoint(asio::ip::address_v6::any(), 0));
  const unsigned short port = server.local_endpoint().port();
  udp::socket client(ioc, udp_loopback());

  const auto mapped_lo = asio::ip::make_address_v6(asio::ip::v4_mapped, asio::ip::address_v4::loopback());
  client.send_to(asio::buffer("mapped", 6), udp::endpoint(v4_loopback, port));
  message_info info;
  receive_one(server, info, "mapped");
  BOOST_TEST(info.sender == udp::endpoint(mapped_lo, client.local_endpoint().port()));
  BOOST_TEST(info.has_packet_info);
  // In the socket's family, like the sender.
  BOOST_TEST(info.destination == asio::ip::address(mapped_lo));
  check_loopback_index(info.interface_index, AF_INET);

  // The reply from the v4-mapped source, and from the plain IPv4 form of it.
  std::array<char, 16> buf{};
  udp::endpoint from;
  for (const packet_source& source : {info.reply_source(), packet_source(asio::ip::address_v4::loopback())})
  {
    const std::size_t n = server.send_msg(asio::buffer("reply", 5), info.sender, source, ec);
    BOOST_TEST(!ec, ec.message() << " from " << source.address);
    BOOST_TEST(n == 5u);
    {
      watchdog w("a blocking receive_from");
      BOOST_TEST(client.receive_from(asio::buffer(buf), from) == 5u);
    }
    BOOST_TEST(from == udp::endpoint(v4_loopback, port));
  }
}

BOOST_AUTO_TEST_CASE(dual_stack_reply_from_127_0_0_2,
                     *boost::unit_test::precondition(requires_probe{&chosen_v4_source}))
{
  asio::io_context ioc;
  udp::socket server(ioc, udp::v6());
  server.set_option(asio::ip::v6_only(false));
  server.set_option(packet_info(true));
  server.bind(udp::endpoint(asio::ip::address_v6::any(), 0));
  const unsigned short port = server.local_endpoint().port();
  udp::socket client(ioc, udp_loopback());
  client.send_to(asio::buffer("to two", 6), udp::endpoint(second_loopback(), port));
  message_info info;
  receive_one(server, info, "to two");
  const auto mapped_two = asio::ip::make_address_v6(asio::ip::v4_mapped, second_loopback());
  BOOST_TEST(info.destination == asio::ip::address(mapped_two));

  std::array<char, 16> buf{};
  udp::endpoint from;
  BOOST_TEST(server.send_msg(asio::buffer("reply", 5), info.sender, info.reply_source()) == 5u);
  {
    watchdog w("a blocking receive_from");
    BOOST_TEST(client.receive_from(asio::buffer(buf), from) == 5u);
  }
  BOOST_TEST(from == udp::endpoint(second_loopback(), port));
}

BOOST_AUTO_TEST_CASE(completion_tokens)
{
  asio::io_context ioc;
  udp::socket server = informed_receiver(ioc, v4_any);
  const udp::endpoint to(v4_loopback, server.local_endpoint().port());
  udp::socket client(ioc, udp_loopback());
  std::array<char, 16> buf{};

  // use_future, on a thread running the context.
  {
    io_threads io(ioc, 1);
    auto received = server.async_receive_msg(asio::buffer(buf), asio::use_future);
    auto sent = client.async_send_msg(asio::buffer("future", 6), to, packet_source(v4_loopback),
                                      asio::use_future);
    BOOST_TEST((sent.wait_for(patience) == std::future_status::ready));
    BOOST_TEST(sent.get() == 6u);
    BOOST_TEST((received.wait_for(patience) == std::future_status::ready));
    // use_future with (error_code, size_t, message_info): the value is a tuple.
    const auto [n, info] = received.get();
    BOOST_TEST(n == 6u);
    BOOST_TEST(info.destination == v4_loopback);
    BOOST_TEST(io.join());
  }

  // deferred: nothing starts until the deferred operation is invoked.
  auto later = server.async_receive_msg(asio::buffer(buf), asio::deferred);
  auto later_send = client.async_send_msg(asio::buffer("deferred", 8), to, packet_source(), asio::deferred);
  outcome got, sent;
  message_info info;
  std::move(later)([&](error_code ec, std::size_t n, message_info i) {
    ++got.calls;
    got.ec = ec;
    got.bytes = n;
    info = i;
  });
  ioc.poll();
  BOOST_TEST(got.calls == 0);
  std::move(later_send)(record(sent));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!sent.ec, sent.ec.message());
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == "deferred");
  BOOST_TEST(info.sender == client.local_endpoint());

  // A callback that the initiating function must not run even when the datagram is already
  // there (the speculative attempt succeeds at once).
  client.send_to(asio::buffer("ready", 5), to);
  {
    watchdog w("waiting for the datagram to be readable");
    server.wait(udp::socket::wait_read);
  }
  bool initiating = true;
  outcome ready;
  server.async_receive_msg(asio::buffer(buf), [&](error_code ec, std::size_t n, message_info) {
    ++ready.calls;
    ready.ec = ec;
    ready.bytes = n;
    ready.ran_inside_initiation = initiating;
  });
  initiating = false;
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(ready.calls == 1);
  BOOST_TEST(!ready.ran_inside_initiation);
  BOOST_TEST(ready.bytes == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
