//
// udp_reflector.cpp
//
// A UDP reflector that answers every datagram from the address it arrived on. Bound to the
// wildcard address, a plain send_to would answer from whatever address the routing table picks,
// and a client that sent to another of the host's addresses drops such a reply. The reflector
// learns each request's destination (ip::packet_info, receive_msg) and sends the reply from it
// (send_msg with the request's reply_source()).
//
// The socket is dual-stack where the system allows (IPv6 wildcard, IPV6_V6ONLY off), so IPv4
// clients are served too, as v4-mapped peers; otherwise it is IPv4 only.
//
// Usage:
//   udp_reflector [PORT]        reflect on PORT (default 7778) until SIGINT/SIGTERM
//   udp_reflector --self-test   reflect on a free port; clients send to 127.0.0.1, to 127.0.0.2
//                               where the host has it, and to ::1 where it has IPv6, each checking
//                               that the reply comes back whole and from the address it asked.
//                               Prints "self-test passed" and exits 0 if all went right.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

namespace asio = boost::asio;
using boost::system::error_code;
using udp = boost_sockn::ip::udp;

namespace {

class reflector
{
public:
  reflector(asio::io_context& ioc, unsigned short port) : socket_(ioc)
  {
    error_code ec;
    socket_.open(udp::v6(), ec);
    if (!ec)
      socket_.set_option(asio::ip::v6_only(false), ec);
    if (!ec)
      socket_.bind(udp::endpoint(asio::ip::address_v6::any(), port), ec);
    if (ec)
    {
      // No dual-stack socket here: IPv4 alone.
      socket_.close(ec);
      socket_.open(udp::v4());
      socket_.bind(udp::endpoint(asio::ip::address_v4::any(), port));
    }
    socket_.set_option(boost_sockn::ip::packet_info(true));
  }

  unsigned short port() const { return socket_.local_endpoint().port(); }
  bool dual_stack() const { return socket_.local_endpoint().address().is_v6(); }

  void start() { receive(); }
  void stop() { socket_.close(); }

private:
  void receive()
  {
    socket_.async_receive_msg(asio::buffer(data_), [this](error_code ec, std::size_t n,
                                                           udp::socket::message_info info) {
      if (ec == asio::error::operation_aborted || !socket_.is_open())
        return;
      if (ec || info.truncated)
      {
        // A receive error (e.g. an ICMP-reported unreachable port on Windows) or an oversized
        // request: drop it, serve the next.
        receive();
        return;
      }
      // One reply in flight at a time: the buffer is reused for the next request afterwards.
      socket_.async_send_msg(asio::buffer(data_.data(), n), info.sender, info.reply_source(),
                             [this](error_code, std::size_t) { receive(); });
    });
  }

  udp::socket socket_;
  std::array<char, 65536> data_{};
};

int serve(unsigned short port)
{
  asio::io_context ioc;
  reflector r(ioc, port);
  r.start();
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](error_code, int) { r.stop(); });
  std::printf("udp_reflector on port %u (%s)\n", unsigned(r.port()),
              r.dual_stack() ? "IPv6 and IPv4" : "IPv4");
  std::fflush(stdout);
  ioc.run();
  return 0;
}

// Whether `address` can be bound here (127.0.0.2 is not on every host; ::1 needs IPv6).
bool usable(asio::io_context& ioc, const asio::ip::address& address)
{
  error_code ec;
  udp::socket s(ioc);
  s.open(address.is_v4() ? udp::v4() : udp::v6(), ec);
  if (!ec)
    s.bind(udp::endpoint(address, 0), ec);
  return !ec;
}

#if defined(_WIN32)
// Whether the system sends from a chosen source at all: Wine's WSASendMsg ignores the control
// data. Empty when it does; otherwise what was seen.
std::string source_ignored(asio::io_context& ioc, const asio::ip::address& source)
{
  udp::socket rx(ioc, udp::endpoint(source, 0));
  udp::socket tx(ioc, udp::endpoint(asio::ip::address_v4::any(), 0));
  tx.send_msg(asio::buffer("?", 1), rx.local_endpoint(), source);
  char c;
  udp::endpoint from;
  rx.receive_from(asio::buffer(&c, 1), from);
  if (from.address() == source)
    return {};
  return "send_msg from " + source.to_string() + " arrived from " + from.address().to_string()
         + ": this system ignores the source in WSASendMsg's control data (Wine does)";
}
#endif

int self_test()
{
  asio::io_context ioc;
  reflector r(ioc, 0);
  r.start();

  std::vector<asio::ip::address> targets{asio::ip::address_v4::loopback()};
  for (const char* extra : {"127.0.0.2", "::1"})
  {
    const auto a = asio::ip::make_address(extra);
    if (a.is_v6() && !r.dual_stack())
      std::printf("skipped %s: the reflector has no IPv6 socket here\n", extra);
    else if (!usable(ioc, a))
      std::printf("skipped %s: the host cannot bind it\n", extra);
    else
    {
#if defined(_WIN32)
      const std::string ignored = a.is_v4() ? source_ignored(ioc, a) : std::string();
      if (!ignored.empty())
      {
        std::printf("skipped %s: %s\n", extra, ignored.c_str());
        continue;
      }
#endif
      targets.push_back(a);
    }
  }

  int failures = 0;
  for (const auto& target : targets)
  {
    // The client is bound to the wildcard too, so it takes the reply from any address and the
    // check below, not the system, judges its source.
    udp::socket client(ioc, udp::endpoint(target.is_v4() ? asio::ip::address(asio::ip::address_v4::any())
                                                          : asio::ip::address(asio::ip::address_v6::any()),
                                           0));
    const udp::endpoint to(target, r.port());
    const std::string request = "reflect " + target.to_string();
    std::array<char, 256> reply{};
    udp::endpoint from;
    error_code result = asio::error::timed_out;
    std::size_t got = 0;
    client.async_receive_from(asio::buffer(reply), from, [&](error_code ec, std::size_t n) {
      result = ec;
      got = n;
      ioc.stop(); // the reflector's receive stays pending: stop here, not when work runs out
    });
    client.send_to(asio::buffer(request), to);
    ioc.restart();
    ioc.run_for(std::chrono::seconds(30));
    client.close();
    const bool ok = !result && std::string(reply.data(), got) == request && from == to;
    std::printf("%s %s: reply %s from %s\n", ok ? "ok" : "FAILED", target.to_string().c_str(),
                result ? result.message().c_str() : "received", from.address().to_string().c_str());
    failures += ok ? 0 : 1;
  }
  r.stop();
  ioc.restart();
  ioc.run_for(std::chrono::seconds(10));
  std::printf(failures ? "self-test FAILED\n" : "self-test passed\n");
  return failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
  try
  {
    if (argc > 1 && std::string(argv[1]) == "--self-test")
      return self_test();
    return serve(argc > 1 ? static_cast<unsigned short>(std::atoi(argv[1])) : 7778);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "udp_reflector: %s\n", e.what());
    return 1;
  }
}
