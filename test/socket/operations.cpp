//
// test/socket/operations.cpp
//
// The rest of the stream socket's members: async_wait, connect (member and free functions),
// shutdown, options, available, the two non-blocking modes, release, endpoints, the errors of
// open/bind and of a closed socket, and the blocking (synchronous) forms.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <array>
#include <string>
#include <thread>
#include <vector>

#if !defined(_WIN32)
#include <cerrno>
#include <sys/socket.h>
#endif

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;


// One byte read straight from the native socket: whether the OS said "would block".
bool native_recv_would_block(tcp::socket::native_handle_type h)
{
  char c;
#if defined(_WIN32)
  const int r = ::recv(h, &c, 1, 0);
  return r < 0 && ::WSAGetLastError() == WSAEWOULDBLOCK;
#else
  const auto r = ::recv(h, &c, 1, 0);
  return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
#endif
}

// Expects `f` to throw a system_error carrying `code`.
template <typename F>
void expect_throw(F f, const error_code& code, const char* what)
{
  try
  {
    f();
    BOOST_ERROR(what << ": no exception");
  }
  catch (const boost::system::system_error& e)
  {
    BOOST_TEST(e.code() == code, what << ": " << e.code().message());
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(operations, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(async_wait_read_write_error_on_tcp)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  bool initiating = true;
  outcome writable, readable, error;
  p.client.async_wait(tcp::socket::wait_write, recorder{&writable, &initiating});
  p.client.async_wait(tcp::socket::wait_read, recorder{&readable, &initiating});
  p.client.async_wait(tcp::socket::wait_error, recorder{&error, &initiating});
  initiating = false;

  // A fresh connection is writable at once, not readable.
  BOOST_TEST(run_until(ioc, [&] { return writable.calls == 1; }));
  BOOST_TEST(!writable.ec, writable.ec.message());
  BOOST_TEST(!writable.ran_inside_initiation);
  for (int i = 0; i < 10; ++i)
  {
    ioc.poll();
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(readable.calls == 0);
  BOOST_TEST(error.calls == 0);

  asio::write(p.server, asio::buffer("0123456789", 10));
  BOOST_TEST(run_until(ioc, [&] { return readable.calls == 1; }));
  BOOST_TEST(!readable.ec, readable.ec.message());
  BOOST_TEST(!readable.ran_inside_initiation);
  // Waiting consumed nothing.
  BOOST_TEST(p.client.available() == 10u);
  // Data is no error condition.
  ioc.poll();
  BOOST_TEST(error.calls == 0);

  p.client.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(error.calls == 1);
  BOOST_TEST(error.ec == aborted);
}

BOOST_AUTO_TEST_CASE(async_wait_error_completes_on_out_of_band_data,
  *boost::unit_test::precondition(sockn_test::known_deviation{sockn_test::sockn_build,
    "the notification-port contract (PSN's events) has no out-of-band/priority condition, so "
    "wait_error completes on error or hang-up only"}))
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  outcome error;
  p.client.async_wait(tcp::socket::wait_error, record(error));
  ioc.poll();
  BOOST_TEST(error.calls == 0);

  // Asio completes wait_error on urgent data (EPOLLPRI; select's exception set on Windows).
  // Loopback delivers it at once: 10 s is ample even under Wine or a sanitizer.
  p.server.send(asio::buffer("!", 1), tcp::socket::message_out_of_band);
  BOOST_TEST(run_for(ioc, 1, 10s));
  BOOST_TEST(error.calls == 1);
  BOOST_TEST(!error.ec, error.ec.message());
}

BOOST_AUTO_TEST_CASE(async_wait_write_waits_for_room)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::vector<char> chunk(64 * 1024, 'f');
  std::size_t filled = 0;
  p.client.non_blocking(true);
  error_code ec;
  while (!ec)
    filled += p.client.write_some(asio::buffer(chunk), ec);
  BOOST_TEST(ec == error_code(asio::error::would_block));
  p.client.non_blocking(false);

  outcome writable;
  p.client.async_wait(tcp::socket::wait_write, record(writable));
  for (int i = 0; i < 10; ++i)
  {
    ioc.poll();
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(writable.calls == 0);

  std::vector<char> sink(filled);
  asio::read(p.server, asio::buffer(sink));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(writable.calls == 1);
  BOOST_TEST(!writable.ec, writable.ec.message());
}

BOOST_AUTO_TEST_CASE(async_connect_member_opens_and_connects)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket s(ioc);
  BOOST_TEST(!s.is_open());
  bool initiating = true;
  outcome connected;
  s.async_connect(acceptor.local_endpoint(), recorder{&connected, &initiating});
  initiating = false;
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(connected.calls == 1);
  BOOST_TEST(!connected.ec, connected.ec.message());
  BOOST_TEST(!connected.ran_inside_initiation);
  BOOST_TEST(s.is_open());
  BOOST_TEST(s.remote_endpoint() == acceptor.local_endpoint());

  tcp::socket peer(ioc);
  acceptor.accept(peer);
  BOOST_TEST(peer.remote_endpoint() == s.local_endpoint());
}

BOOST_AUTO_TEST_CASE(free_connect_tries_endpoints_in_turn)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const std::vector<tcp::endpoint> endpoints{closed_tcp_endpoint(), acceptor.local_endpoint()};

  // Sync, over the sequence.
  {
    tcp::socket s(ioc);
    const tcp::endpoint ep = net_under_test::connect(s, endpoints);
    BOOST_TEST(ep == acceptor.local_endpoint());
    BOOST_TEST(s.remote_endpoint() == acceptor.local_endpoint());
    tcp::socket peer(ioc);
    acceptor.accept(peer);
  }
  // Sync, over an iterator range.
  {
    tcp::socket s(ioc);
    error_code ec;
    const auto it = net_under_test::connect(s, endpoints.begin(), endpoints.end(), ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((it == endpoints.begin() + 1));
    tcp::socket peer(ioc);
    acceptor.accept(peer);
  }
  // Async, over the sequence.
  {
    tcp::socket s(ioc);
    int calls = 0;
    error_code ec;
    tcp::endpoint ep;
    net_under_test::async_connect(s, endpoints, [&](const error_code& e, const tcp::endpoint& at) {
      ++calls;
      ec = e;
      ep = at;
    });
    BOOST_TEST(run_for(ioc));
    BOOST_TEST(calls == 1);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(ep == acceptor.local_endpoint());
    tcp::socket peer(ioc);
    acceptor.accept(peer);
  }
  // Async, over an iterator range.
  {
    tcp::socket s(ioc);
    int calls = 0;
    error_code ec;
    std::vector<tcp::endpoint>::const_iterator at;
    net_under_test::async_connect(s, endpoints.begin(), endpoints.end(),
                                  [&](const error_code& e, std::vector<tcp::endpoint>::const_iterator i) {
                                    ++calls;
                                    ec = e;
                                    at = i;
                                  });
    BOOST_TEST(run_for(ioc));
    BOOST_TEST(calls == 1);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((at == endpoints.begin() + 1));
    tcp::socket peer(ioc);
    acceptor.accept(peer);
  }
  // Every endpoint refused: the last error comes back.
  {
    tcp::socket s(ioc);
    const std::vector<tcp::endpoint> none{closed_tcp_endpoint()};
    int calls = 0;
    error_code ec;
    net_under_test::async_connect(s, none, [&](const error_code& e, const tcp::endpoint&) {
      ++calls;
      ec = e;
    });
    BOOST_TEST(run_for(ioc));
    BOOST_TEST(calls == 1);
    BOOST_TEST(ec == error_code(asio::error::connection_refused));
  }
}

BOOST_AUTO_TEST_CASE(shutdown_send_gives_the_peer_eof)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  asio::write(p.client, asio::buffer("bye", 3));
  p.client.shutdown(tcp::socket::shutdown_send);

  std::string got;
  outcome read;
  asio::async_read(p.server, asio::dynamic_buffer(got), record(read));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(read.calls == 1);
  BOOST_TEST(read.ec == error_code(asio::error::eof));
  BOOST_TEST(got == "bye");

  // The other direction still works.
  asio::write(p.server, asio::buffer("still here", 10));
  std::array<char, 10> buf{};
  outcome back;
  asio::async_read(p.client, asio::buffer(buf), record(back));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!back.ec, back.ec.message());
  BOOST_TEST(std::string(buf.data(), 10) == "still here");

  // Writing after shutdown(send) fails (broken_pipe on POSIX, shut_down on Windows), and the
  // send never reaches the peer.
  error_code ec;
  p.client.write_some(asio::buffer("x", 1), ec);
  BOOST_TEST(!!ec);
}

BOOST_AUTO_TEST_CASE(socket_options_set_and_get)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  tcp::socket& s = p.client;

  for (bool on : {true, false})
  {
    s.set_option(tcp::socket::reuse_address(on));
    s.set_option(tcp::no_delay(on));
    s.set_option(tcp::socket::keep_alive(on));
    tcp::socket::reuse_address reuse;
    tcp::no_delay nodelay;
    tcp::socket::keep_alive keepalive;
    s.get_option(reuse);
    s.get_option(nodelay);
    s.get_option(keepalive);
    BOOST_TEST(reuse.value() == on);
    BOOST_TEST(nodelay.value() == on);
    BOOST_TEST(keepalive.value() == on);
  }

  // The kernel may round buffer sizes up (Linux doubles them), never down below the request.
  s.set_option(tcp::socket::receive_buffer_size(96 * 1024));
  s.set_option(tcp::socket::send_buffer_size(80 * 1024));
  tcp::socket::receive_buffer_size rcv;
  tcp::socket::send_buffer_size snd;
  s.get_option(rcv);
  s.get_option(snd);
  BOOST_TEST(rcv.value() >= 96 * 1024);
  BOOST_TEST(snd.value() >= 80 * 1024);

  s.set_option(tcp::socket::linger(true, 7));
  tcp::socket::linger lg;
  s.get_option(lg);
  BOOST_TEST(lg.enabled());
  BOOST_TEST(lg.timeout() == 7);
  s.set_option(tcp::socket::linger(false, 0));
  s.get_option(lg);
  BOOST_TEST(!lg.enabled());

  // The error_code forms, and the options of a closed socket.
  error_code ec;
  s.set_option(tcp::no_delay(true), ec);
  BOOST_TEST(!ec, ec.message());
  tcp::socket closed(ioc);
  closed.set_option(tcp::no_delay(true), ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.get_option(rcv, ec);
  BOOST_TEST(ec == bad_descriptor);
  expect_throw([&] { closed.set_option(tcp::no_delay(true)); }, bad_descriptor, "set_option");
}

BOOST_AUTO_TEST_CASE(available_counts_unread_bytes)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  BOOST_TEST(p.client.available() == 0u);
  asio::write(p.server, asio::buffer(std::string(100, 'a')));
  outcome readable;
  p.client.async_wait(tcp::socket::wait_read, record(readable));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(p.client.available() == 100u);
  tcp::socket::bytes_readable command;
  p.client.io_control(command);
  BOOST_TEST(command.get() == 100u);

  std::array<char, 40> buf{};
  asio::read(p.client, asio::buffer(buf));
  error_code ec;
  BOOST_TEST(p.client.available(ec) == 60u);
  BOOST_TEST(!ec, ec.message());

  tcp::socket closed(ioc);
  closed.available(ec);
  BOOST_TEST(ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(native_non_blocking_sets_the_os_mode)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  tcp::socket& s = p.client;
  BOOST_TEST(!s.non_blocking());

  s.native_non_blocking(true);
  BOOST_TEST(s.native_non_blocking());
  BOOST_TEST(native_recv_would_block(s.native_handle()));

  // The user-visible mode is separate: a sync read still waits for data.
  BOOST_TEST(!s.non_blocking());
  error_code writer_error;
  std::thread writer([&] {
    std::this_thread::sleep_for(100ms);
    asio::write(p.server, asio::buffer("late", 4), writer_error);
  });
  std::array<char, 4> buf{};
  {
    watchdog w("a sync read with native_non_blocking(true)");
    asio::read(s, asio::buffer(buf));
  }
  writer.join();
  BOOST_TEST(!writer_error, writer_error.message());
  BOOST_TEST(std::string(buf.data(), 4) == "late");

  s.native_non_blocking(false);
  BOOST_TEST(!s.native_non_blocking());

  // The native mode cannot be blocking while the user asked for non-blocking.
  s.non_blocking(true);
  error_code ec;
  s.native_non_blocking(false, ec);
  BOOST_TEST(ec == error_code(asio::error::invalid_argument));

  tcp::socket closed(ioc);
  closed.native_non_blocking(true, ec);
  BOOST_TEST(ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(non_blocking_sync_operations_would_block)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  p.client.non_blocking(true);
  BOOST_TEST(p.client.non_blocking());
  std::array<char, 8> buf{};
  error_code ec;
  BOOST_TEST(p.client.read_some(asio::buffer(buf), ec) == 0u);
  BOOST_TEST(ec == error_code(asio::error::would_block));
  expect_throw([&] { p.client.read_some(asio::buffer(buf)); },
               asio::error::make_error_code(asio::error::would_block), "read_some");

  // Async operations are unaffected by the mode.
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  asio::write(p.server, asio::buffer("nb", 2));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!got.ec, got.ec.message());
  BOOST_TEST(std::string(buf.data(), got.bytes) == "nb");

  // Back in blocking mode, a sync read waits again.
  p.client.non_blocking(false);
  error_code writer_error;
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    asio::write(p.server, asio::buffer("b", 1), writer_error);
  });
  std::size_t n = 0;
  {
    watchdog w("a sync read after non_blocking(false)");
    n = p.client.read_some(asio::buffer(buf));
  }
  writer.join();
  BOOST_TEST(!writer_error, writer_error.message());
  BOOST_TEST(n == 1u);
}

BOOST_AUTO_TEST_CASE(release_hands_over_a_working_socket)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  // Used asynchronously first, so that the library has registered it.
  outcome first;
  std::array<char, 8> buf{};
  p.client.async_read_some(asio::buffer(buf), record(first));
  asio::write(p.server, asio::buffer("1", 1));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!first.ec, first.ec.message());

  const auto local = p.client.local_endpoint();
  tcp::socket::native_handle_type h = p.client.release();
  BOOST_TEST(!p.client.is_open());
  error_code ec;
  p.client.local_endpoint(ec);
  BOOST_TEST(ec == bad_descriptor);

  // Wrapped again, through the constructor and through assign().
  tcp::socket again(ioc, tcp::v4(), h);
  BOOST_TEST(again.is_open());
  BOOST_TEST(again.local_endpoint() == local);
  outcome second;
  again.async_read_some(asio::buffer(buf), record(second));
  asio::write(p.server, asio::buffer("2", 1));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!second.ec, second.ec.message());
  BOOST_TEST(std::string(buf.data(), second.bytes) == "2");

  const auto h2 = again.release(ec);
  BOOST_TEST(!ec, ec.message());
  tcp::socket third(ioc);
  third.assign(tcp::v4(), h2);
  outcome echoed;
  asio::write(third, asio::buffer("3", 1));
  asio::async_read(p.server, asio::buffer(buf.data(), 1), record(echoed));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!echoed.ec, echoed.ec.message());
  BOOST_TEST(buf[0] == '3');

  // Assigning to an open socket fails.
  tcp::socket other(ioc, tcp::v4());
  other.assign(tcp::v4(), third.native_handle(), ec);
  BOOST_TEST(ec == error_code(asio::error::already_open));

  // Releasing a closed socket fails.
  tcp::socket closed(ioc);
  closed.release(ec);
  BOOST_TEST(ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(release_aborts_pending_operations)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 8> buf{};
  outcome got;
  p.client.async_read_some(asio::buffer(buf), record(got));
  ioc.poll();
  tcp::socket::native_handle_type h = p.client.release();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == aborted);

  // The connection itself is untouched: what the peer sends is still there.
  tcp::socket again(ioc, tcp::v4(), h);
  asio::write(p.server, asio::buffer("kept", 4));
  asio::read(again, asio::buffer(buf.data(), 4));
  BOOST_TEST(std::string(buf.data(), 4) == "kept");
}

BOOST_AUTO_TEST_CASE(local_and_remote_endpoints)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket client(ioc), server(ioc);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);

  BOOST_TEST(client.remote_endpoint() == acceptor.local_endpoint());
  BOOST_TEST(client.local_endpoint() == server.remote_endpoint());
  BOOST_TEST(server.local_endpoint() == acceptor.local_endpoint());
  BOOST_TEST(client.local_endpoint().address() == asio::ip::address(asio::ip::address_v4::loopback()));
  BOOST_TEST(client.local_endpoint().port() != 0);

  // Open but unconnected: a local endpoint after bind, no remote one.
  tcp::socket lone(ioc, tcp_loopback());
  BOOST_TEST(lone.local_endpoint().port() != 0);
  error_code ec;
  lone.remote_endpoint(ec);
  BOOST_TEST(ec == error_code(asio::error::not_connected));

  tcp::socket closed(ioc);
  closed.local_endpoint(ec);
  BOOST_TEST(ec == bad_descriptor);
  closed.remote_endpoint(ec);
  BOOST_TEST(ec == bad_descriptor);
  expect_throw([&] { closed.local_endpoint(); }, bad_descriptor, "local_endpoint");
  expect_throw([&] { closed.remote_endpoint(); }, bad_descriptor, "remote_endpoint");
}

BOOST_AUTO_TEST_CASE(open_and_bind_errors)
{
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.open(tcp::v4());
  BOOST_TEST(s.is_open());
  BOOST_TEST(s.native_handle() != tcp::socket::native_handle_type(-1));
  error_code ec;
  s.open(tcp::v4(), ec);
  BOOST_TEST(ec == error_code(asio::error::already_open));
  expect_throw([&] { s.open(tcp::v4()); }, asio::error::make_error_code(asio::error::already_open),
               "open twice");

  s.bind(tcp_loopback());
  const auto taken = s.local_endpoint();
  tcp::socket t(ioc, tcp::v4());
  t.bind(taken, ec);
  BOOST_TEST(ec == error_code(asio::error::address_in_use));
  expect_throw([&] { tcp::socket u(ioc, taken); },
               asio::error::make_error_code(asio::error::address_in_use), "constructor bind");

  // 192.0.2.1 (TEST-NET-1) belongs to no interface of this host.
  tcp::socket v(ioc, tcp::v4());
  v.bind(tcp::endpoint(asio::ip::make_address_v4("192.0.2.1"), 0), ec);
  BOOST_TEST((ec == boost::system::errc::address_not_available), ec.message());

  tcp::socket closed(ioc);
  closed.bind(tcp_loopback(), ec);
  BOOST_TEST(ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(operations_on_a_closed_socket)
{
  asio::io_context ioc;
  tcp::socket s(ioc);
  std::array<char, 8> buf{};
  error_code ec;
  s.read_some(asio::buffer(buf), ec);
  BOOST_TEST(ec == bad_descriptor);
  s.write_some(asio::buffer(buf), ec);
  BOOST_TEST(ec == bad_descriptor);
  s.receive(asio::buffer(buf), 0, ec);
  BOOST_TEST(ec == bad_descriptor);
  s.send(asio::buffer(buf), 0, ec);
  BOOST_TEST(ec == bad_descriptor);
  s.shutdown(tcp::socket::shutdown_both, ec);
  BOOST_TEST(ec == bad_descriptor);
  s.cancel(ec);
  BOOST_TEST(ec == bad_descriptor);
  s.non_blocking(true, ec);
  BOOST_TEST(ec == bad_descriptor);
  expect_throw([&] { s.read_some(asio::buffer(buf)); }, bad_descriptor, "read_some");
  expect_throw([&] { s.cancel(); }, bad_descriptor, "cancel");

  bool initiating = true;
  outcome read, write, wait;
  s.async_read_some(asio::buffer(buf), recorder{&read, &initiating});
  s.async_write_some(asio::buffer(buf), recorder{&write, &initiating});
  s.async_wait(tcp::socket::wait_read, recorder{&wait, &initiating});
  initiating = false;
  BOOST_TEST(run_for(ioc));
  for (const outcome* o : {&read, &write, &wait})
  {
    BOOST_TEST(o->calls == 1);
    BOOST_TEST(o->ec == bad_descriptor);
    BOOST_TEST(!o->ran_inside_initiation);
  }
}

BOOST_AUTO_TEST_CASE(double_close_is_fine)
{
  asio::io_context ioc;
  tcp_pair p(ioc);
  p.client.close();
  BOOST_TEST(!p.client.is_open());
  p.client.close();
  error_code ec = asio::error::fault;
  p.client.close(ec);
  BOOST_TEST(!ec, ec.message());

  tcp::socket never_opened(ioc);
  never_opened.close();
  never_opened.close(ec);
  BOOST_TEST(!ec, ec.message());
}

BOOST_AUTO_TEST_CASE(blocking_read_write_and_connect)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket client(ioc), server(ioc);
  {
    watchdog w("a blocking connect and accept");
    client.connect(acceptor.local_endpoint()); // opens it, too
    acceptor.accept(server);
  }
  BOOST_TEST(client.is_open());

  // A read waits for data that another thread sends later.
  error_code late_error;
  std::thread late([&] {
    std::this_thread::sleep_for(100ms);
    asio::write(server, asio::buffer("waited", 6), late_error);
  });
  std::array<char, 6> buf{};
  {
    watchdog w("a blocking read");
    BOOST_TEST(asio::read(client, asio::buffer(buf)) == 6u);
  }
  late.join();
  BOOST_TEST(!late_error, late_error.message());
  BOOST_TEST(std::string(buf.data(), 6) == "waited");

  // A write larger than both socket buffers blocks until the peer drains it.
  const byte_stream data(77);
  std::vector<unsigned char> big(32 << 20);
  data.fill(0, big.data(), big.size());
  std::vector<unsigned char> sink(big.size());
  std::size_t got = 0;
  error_code reader_error;
  std::thread reader([&] { got = asio::read(server, asio::buffer(sink), reader_error); });
  std::size_t put = 0;
  {
    watchdog w("a blocking 32 MiB write");
    put = asio::write(client, asio::buffer(big));
    reader.join();
  }
  BOOST_TEST(!reader_error, reader_error.message());
  BOOST_TEST(put == big.size());
  BOOST_TEST(got == big.size());
  BOOST_TEST(data.mismatch(0, sink.data(), sink.size()) == sink.size());
}

BOOST_AUTO_TEST_CASE(blocking_read_after_async_use)
{
  // Async operations may switch the native socket to non-blocking; the blocking forms must
  // still block.
  asio::io_context ioc;
  tcp_pair p(ioc);
  std::array<char, 8> buf{};
  outcome first;
  p.client.async_read_some(asio::buffer(buf), record(first));
  asio::write(p.server, asio::buffer("a", 1));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!first.ec, first.ec.message());

  error_code late_error;
  std::thread late([&] {
    std::this_thread::sleep_for(100ms);
    asio::write(p.server, asio::buffer("b", 1), late_error);
  });
  std::size_t n = 0;
  {
    watchdog w("a blocking read after async use");
    n = p.client.read_some(asio::buffer(buf));
  }
  late.join();
  BOOST_TEST(!late_error, late_error.message());
  BOOST_TEST(n == 1u);
  BOOST_TEST(buf[0] == 'b');
}

BOOST_AUTO_TEST_SUITE_END()
