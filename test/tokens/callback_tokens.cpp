//
// test/tokens/callback_tokens.cpp
//
// Completion tokens other than coroutines, on every asynchronous operation of the stream socket
// and the acceptor: plain lambdas, move-only handlers, bind_executor(strand, ...), use_future,
// deferred, and a user-defined token whose async_result returns a value of its own.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "fixture.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/use_future.hpp>

#include <future>

namespace tokens_test {

//--------------------------------------------------------------------------------------------------
// A user token with its own async_result, in the manner of Asio's archetypes::lazy_handler: the
// initiating function must hand the token to async_result and return whatever initiate() returns.
//--------------------------------------------------------------------------------------------------

struct launch_receipt
{
  int value;
};

struct receipt_token
{
  outcome* out;
};

template <typename Signature>
struct receipt_handler;

template <typename... Args>
struct receipt_handler<void(Args...)>
{
  outcome* out;
  void operator()(Args... args) { out->record(std::move(args)...); }
};

} // namespace tokens_test

namespace boost {
namespace asio {

template <typename... Args>
class async_result<tokens_test::receipt_token, void(Args...)>
{
public:
  using return_type = tokens_test::launch_receipt;

  template <typename Initiation, typename RawToken, typename... InitArgs>
  static return_type initiate(Initiation&& initiation, RawToken&& token, InitArgs&&... args)
  {
    std::move(initiation)(tokens_test::receipt_handler<void(Args...)>{token.out},
                          std::forward<InitArgs>(args)...);
    return tokens_test::launch_receipt{42};
  }
};

} // namespace asio
} // namespace boost

namespace tokens_test {

BOOST_AUTO_TEST_SUITE(callback_tokens, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(plain_lambda)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      Op::start(s, [&](const error_code& ec, auto&&... args) {
        o.record(ec, std::forward<decltype(args)>(args)...);
      });
      Op::provoke(s);
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      BOOST_TEST((o.thread == std::this_thread::get_id()));
      Op::check(s, o);
    }
  });
}

BOOST_AUTO_TEST_CASE(move_only_handler_is_moved_through)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      Op::start(s, move_only_handler(o));
      Op::provoke(s);
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      BOOST_TEST(o.flag);
      Op::check(s, o);
    }
  });
}

BOOST_AUTO_TEST_CASE(bind_executor_strand_runs_handler_in_strand)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      auto strand = asio::make_strand(ctx);
      Op::start(s, asio::bind_executor(strand, [&o, strand](const error_code& ec, auto&&... args) {
        o.record(ec, std::forward<decltype(args)>(args)...);
        o.flag = strand.running_in_this_thread();
      }));
      // Two threads, so that running in the strand is not merely running in the only thread.
      std::thread second([&] { ctx.run_for(patience); });
      Op::provoke(s);
      ctx.run_for(patience);
      second.join();
      BOOST_TEST(ctx.stopped());
      BOOST_TEST(o.calls == 1);
      BOOST_TEST(o.flag);
      Op::check(s, o);
    }
  });
}

BOOST_AUTO_TEST_CASE(custom_token_async_result_return_value)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      auto receipt = Op::start(s, receipt_token{&o});
      static_assert(std::is_same_v<decltype(receipt), launch_receipt>,
                    "the initiating function returns async_result<>::return_type");
      BOOST_TEST(receipt.value == 42);
      BOOST_TEST(o.calls == 0);
      Op::provoke(s);
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      Op::check(s, o);
    }
  });
}

BOOST_AUTO_TEST_CASE(deferred_starts_only_when_launched)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      auto deferred_op = Op::start(s, asio::deferred);
      // Whatever would complete the operation happens before it is launched: nothing may run.
      Op::provoke(s);
      ctx.poll();
      BOOST_TEST(o.calls == 0);
      if constexpr (std::is_same_v<Op, read_some_op>)
        BOOST_TEST(s.pair.server.available() == 5u); // nothing was read
      if constexpr (std::is_same_v<Op, accept_into_op>)
        BOOST_TEST(!s.fresh.is_open());

      std::move(deferred_op)([&](const error_code& ec, auto&&... args) {
        o.record(ec, std::forward<decltype(args)>(args)...);
      });
      BOOST_TEST(run_for(ctx));
      BOOST_TEST(o.calls == 1);
      Op::check(s, o);
    }
  });
}

BOOST_AUTO_TEST_CASE(use_future_with_a_second_thread)
{
  for_each_op([](auto op) {
    using Op = decltype(op);
    BOOST_TEST_CONTEXT(Op::name)
    {
      asio::io_context ctx;
      scenario s(ctx);
      outcome o;
      auto fut = Op::start(s, asio::use_future);
      std::thread runner([&] { ctx.run_for(patience); });
      Op::provoke(s);
      const bool ready = fut.wait_for(patience) == std::future_status::ready;
      BOOST_TEST(ready);
      if (ready)
      {
        try
        {
          if constexpr (std::is_void_v<decltype(fut.get())>)
          {
            fut.get();
            o.record(error_code());
          }
          else
          {
            o.record(error_code(), fut.get());
          }
        }
        catch (const boost::system::system_error& e)
        {
          o.record(e.code());
        }
      }
      else
      {
        ctx.stop();
      }
      runner.join();
      BOOST_TEST(o.calls == 1);
      Op::check(s, o);
    }
  });
}

BOOST_AUTO_TEST_CASE(use_future_reports_errors_as_exceptions)
{
  asio::io_context ctx;
  tcp_pair pair(ctx);
  std::array<char, 16> rx{};
  pair.client.shutdown(tcp::socket::shutdown_send);
  std::future<std::size_t> at_eof = pair.server.async_read_some(asio::buffer(rx), asio::use_future);
  tcp::socket closed(ctx);
  std::future<std::size_t> on_closed = closed.async_write_some(asio::buffer("x", 1), asio::use_future);

  std::thread runner([&] { ctx.run_for(patience); });
  BOOST_TEST((at_eof.wait_for(patience) == std::future_status::ready));
  BOOST_TEST((on_closed.wait_for(patience) == std::future_status::ready));
  runner.join();

  error_code eof_code, closed_code;
  try { at_eof.get(); } catch (const boost::system::system_error& e) { eof_code = e.code(); }
  try { on_closed.get(); } catch (const boost::system::system_error& e) { closed_code = e.code(); }
  BOOST_TEST((eof_code == asio::error::eof), eof_code.message());
  BOOST_TEST((closed_code == asio::error::bad_descriptor), closed_code.message());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace tokens_test
