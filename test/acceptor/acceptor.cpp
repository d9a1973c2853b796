//
// test/acceptor/acceptor.cpp
//
// The acceptor's constructors, every accept overload (into a socket, and move-accept onto the
// acceptor's executor, another executor or another io_context, with and without the peer's
// endpoint), its errors, options, waits, moves, release, and ending a pending accept.
//

#include "support/support.hpp"

#include <array>
#include <future>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

namespace {

using namespace sockn_test;
using tcp = net_under_test::tcp;
using ioc_executor = asio::io_context::executor_type;
using ioc_socket = tcp::socket::rebind_executor<ioc_executor>::other;
using ioc_acceptor = net_under_test::basic_socket_acceptor<tcp, ioc_executor>;

const error_code aborted = asio::error::make_error_code(asio::error::operation_aborted);
const error_code bad_descriptor = asio::error::make_error_code(asio::error::bad_descriptor);
const error_code already_open = asio::error::make_error_code(asio::error::already_open);

static_assert(std::is_same<decltype(std::declval<tcp::acceptor&>().accept()), tcp::socket>::value,
              "move-accept returns the protocol's socket on the acceptor's executor");
static_assert(std::is_same<decltype(std::declval<tcp::acceptor&>().accept(
                             std::declval<asio::io_context&>())),
                           ioc_socket>::value,
              "move-accept into a context returns a socket on that context's executor");
static_assert(std::is_same<tcp::acceptor::rebind_executor<ioc_executor>::other, ioc_acceptor>::value,
              "rebind_executor names the same acceptor template on the new executor");

// A client connected (by the blocking call, through the listen backlog) to `acceptor`.
tcp::socket connect_client(asio::io_context& ioc, const tcp::acceptor& acceptor)
{
  tcp::socket c(ioc);
  c.connect(acceptor.local_endpoint());
  return c;
}

// `accepted` is the server end of `client`'s connection: endpoints match and bytes flow both
// ways (blocking calls, so any executor will do).
template <typename Socket>
void check_pair(Socket& accepted, tcp::socket& client)
{
  BOOST_TEST_REQUIRE(accepted.is_open());
  BOOST_TEST(accepted.remote_endpoint() == client.local_endpoint());
  BOOST_TEST(accepted.local_endpoint() == client.remote_endpoint());
  std::array<char, 2> buf{};
  asio::write(client, asio::buffer("c>", 2));
  asio::read(accepted, asio::buffer(buf));
  BOOST_TEST(std::string(buf.data(), 2) == "c>");
  asio::write(accepted, asio::buffer("<s", 2));
  asio::read(client, asio::buffer(buf));
  BOOST_TEST(std::string(buf.data(), 2) == "<s");
}

} // namespace

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

  // Open, not bound. (The (context, protocol) form is compiled on its own, by the
  // acceptor_context_protocol_ctor test: see CMakeLists.txt.)
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

BOOST_AUTO_TEST_CASE(sync_accept_into_a_socket)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());

  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket peer(ioc);
    acceptor.accept(peer);
    check_pair(peer, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket peer(ioc);
    error_code ec;
    acceptor.accept(peer, ec);
    BOOST_TEST(!ec, ec.message());
    check_pair(peer, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    tcp::socket peer(ioc);
    tcp::endpoint from;
    acceptor.accept(peer, from);
    BOOST_TEST(from == client.local_endpoint());
    check_pair(peer, client);
  }
  {
    tcp::socket client = connect_client(ioc, acceptor);
    ioc_socket peer(ioc);
    tcp::endpoint from;
    error_code ec;
    acceptor.accept(peer, from, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(from == client.local_endpoint());
    check_pair(peer, client);
  }
}

BOOST_AUTO_TEST_CASE(async_accept_into_a_socket)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());

  tcp::socket peer1(ioc), peer2(ioc);
  tcp::endpoint from;
  bool initiating = true;
  outcome a1, a2;
  acceptor.async_accept(peer1, recorder{&a1, &initiating});
  acceptor.async_accept(peer2, from, recorder{&a2, &initiating});
  initiating = false;
  ioc.poll();
  BOOST_TEST(a1.calls + a2.calls == 0);

  tcp::socket c1 = connect_client(ioc, acceptor);
  tcp::socket c2 = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(a1.calls == 1);
  BOOST_TEST(a2.calls == 1);
  BOOST_TEST(!a1.ec, a1.ec.message());
  BOOST_TEST(!a2.ec, a2.ec.message());
  BOOST_TEST(!a1.ran_inside_initiation);
  BOOST_TEST(!a2.ran_inside_initiation);
  // Pending accepts are served in order.
  check_pair(peer1, c1);
  check_pair(peer2, c2);
  BOOST_TEST(from == c2.local_endpoint());
}

BOOST_AUTO_TEST_CASE(accept_into_an_open_socket_fails_with_already_open)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket client = connect_client(ioc, acceptor);

  tcp::socket open_peer(ioc, tcp::v4());
  error_code ec;
  acceptor.accept(open_peer, ec);
  BOOST_TEST(ec == already_open);
  try
  {
    acceptor.accept(open_peer);
    BOOST_ERROR("accept into an open socket did not throw");
  }
  catch (const boost::system::system_error& e)
  {
    BOOST_TEST(e.code() == already_open);
  }

  bool initiating = true;
  outcome got;
  acceptor.async_accept(open_peer, recorder{&got, &initiating});
  initiating = false;
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.calls == 1);
  BOOST_TEST(got.ec == already_open);
  BOOST_TEST(!got.ran_inside_initiation);

  // The waiting connection was not consumed by the failures.
  tcp::socket peer(ioc);
  acceptor.accept(peer);
  check_pair(peer, client);
}

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

BOOST_AUTO_TEST_CASE(cancel_pending_accepts)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket peer(ioc);
  outcome into;
  accept_outcome<tcp::socket> moved;
  acceptor.async_accept(peer, record(into));
  acceptor.async_accept(record_accept(moved));
  ioc.poll();
  BOOST_TEST(into.calls + moved.calls == 0);

  acceptor.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(into.calls == 1);
  BOOST_TEST(into.ec == aborted);
  BOOST_TEST(!peer.is_open());
  BOOST_TEST(moved.calls == 1);
  BOOST_TEST(moved.ec == aborted);
  BOOST_TEST((moved.socket && !moved.socket->is_open()));

  // The acceptor still accepts.
  BOOST_TEST(acceptor.is_open());
  tcp::socket client = connect_client(ioc, acceptor);
  outcome later;
  acceptor.async_accept(peer, record(later));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!later.ec, later.ec.message());
  check_pair(peer, client);
}

BOOST_AUTO_TEST_CASE(close_during_accept)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  tcp::socket peer(ioc);
  outcome into;
  accept_outcome<tcp::socket> moved;
  acceptor.async_accept(peer, record(into));
  acceptor.async_accept(record_accept(moved));
  ioc.poll();

  acceptor.close();
  BOOST_TEST(!acceptor.is_open());
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(into.calls == 1);
  BOOST_TEST(into.ec == aborted);
  BOOST_TEST(!peer.is_open());
  BOOST_TEST(moved.calls == 1);
  BOOST_TEST(moved.ec == aborted);

  // Closed: accepting now fails at once.
  error_code ec;
  acceptor.accept(peer, ec);
  BOOST_TEST(ec == bad_descriptor);
  accept_outcome<tcp::socket> late;
  acceptor.async_accept(record_accept(late));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(late.calls == 1);
  BOOST_TEST(late.ec == bad_descriptor);
}

BOOST_AUTO_TEST_CASE(close_from_another_thread_during_accept)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  std::promise<error_code> done;
  auto result = done.get_future();
  acceptor.async_accept([&done](const error_code& ec, tcp::socket) { done.set_value(ec); });
  io_threads io(ioc, 1);
  std::this_thread::sleep_for(50ms);
  acceptor.close();
  const bool arrived = result.wait_for(patience) == std::future_status::ready;
  BOOST_TEST(arrived, "the accept did not complete after close()");
  BOOST_TEST(io.join());
  if (arrived)
    BOOST_TEST(result.get() == aborted);
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

BOOST_AUTO_TEST_CASE(non_blocking_accept_would_block)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  acceptor.non_blocking(true);
  BOOST_TEST(acceptor.non_blocking());
  tcp::socket peer(ioc);
  error_code ec;
  acceptor.accept(peer, ec);
  BOOST_TEST(ec == error_code(asio::error::would_block));
  BOOST_TEST(!peer.is_open());
  acceptor.accept(ec);
  BOOST_TEST(ec == error_code(asio::error::would_block));

  // With a connection waiting, it succeeds.
  tcp::socket client = connect_client(ioc, acceptor);
  outcome ready;
  acceptor.async_wait(tcp::acceptor::wait_read, record(ready));
  BOOST_TEST(run_for(ioc));
  acceptor.accept(peer, ec);
  BOOST_TEST(!ec, ec.message());
  check_pair(peer, client);
}

BOOST_AUTO_TEST_CASE(async_wait_on_the_acceptor)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  outcome ready, cancelled;
  acceptor.async_wait(tcp::acceptor::wait_read, record(ready));
  for (int i = 0; i < 10; ++i)
  {
    ioc.poll();
    std::this_thread::sleep_for(5ms);
  }
  BOOST_TEST(ready.calls == 0);

  tcp::socket client = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(ready.calls == 1);
  BOOST_TEST(!ready.ec, ready.ec.message());
  // Waiting accepted nothing: the connection is still there.
  tcp::socket s = acceptor.accept();
  check_pair(s, client);

  acceptor.async_wait(tcp::acceptor::wait_read, record(cancelled));
  ioc.poll();
  acceptor.cancel();
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(cancelled.calls == 1);
  BOOST_TEST(cancelled.ec == aborted);
}

BOOST_AUTO_TEST_CASE(blocking_accept_waits_for_a_client)
{
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp_loopback());
  const auto ep = acceptor.local_endpoint();
  tcp::socket client(ioc);
  error_code late_error;
  std::thread late([&] {
    std::this_thread::sleep_for(100ms);
    client.connect(ep, late_error);
  });
  tcp::socket peer(ioc);
  tcp::endpoint from;
  {
    watchdog w("a blocking accept");
    acceptor.accept(peer, from);
  }
  late.join();
  BOOST_TEST_REQUIRE(!late_error, late_error.message());
  BOOST_TEST(from == client.local_endpoint());
  check_pair(peer, client);

  // After the acceptor was used asynchronously, blocking accepts still block.
  accept_outcome<tcp::socket> r;
  acceptor.async_accept(record_accept(r));
  tcp::socket c2 = connect_client(ioc, acceptor);
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!r.ec, r.ec.message());
  tcp::socket c3(ioc);
  error_code later_error;
  std::thread later([&] {
    std::this_thread::sleep_for(100ms);
    c3.connect(ep, later_error);
  });
  tcp::socket s(ioc);
  {
    watchdog w("a blocking move-accept after async use");
    s = acceptor.accept();
  }
  later.join();
  BOOST_TEST_REQUIRE(!later_error, later_error.message());
  check_pair(s, c3);
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
