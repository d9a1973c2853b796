//
// test/reactor/configuration_errors.cpp
//
// What a program hears when boost_sockn is configured wrongly: the environment variables'
// names match without regard to case, and every configuration failure carries, in the exception
// the throwing overloads raise, the whole explanation (the variable at fault, the backend and
// its reason, when configure() must be called, which execution contexts work), with an error
// code of its own.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "support/support.hpp"

#include <string>

namespace reactor_test {

using namespace sockn_test;
using tcp = net_under_test::tcp;

#if defined(BOOST_SOCKN_TEST_NATIVE_ASIO)

BOOST_AUTO_TEST_SUITE(configuration_errors, *boost::unit_test::precondition(sockn_only{
  "Asio has no backends, policies or reactor to configure"}))
BOOST_AUTO_TEST_CASE(names_and_explanations)
{
  // Never runs (the suite's precondition is false here); listed so that the report shows why.
  BOOST_TEST(std::string(net_under_test::name()) == "boost_sockn");
}
BOOST_AUTO_TEST_SUITE_END()

#else

namespace {

using boost_sockn::backend_kind;
using boost_sockn::port_errc;
using boost_sockn::reactor;
using boost_sockn::reactor_options;

/// The system_error `f` throws: its code and its text (empty text when nothing was thrown).
template <typename F>
std::string thrown_by(F f, error_code& code)
{
  try
  {
    f();
  }
  catch (const boost::system::system_error& e)
  {
    code = e.code();
    return e.what();
  }
  return std::string();
}

bool contains(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

/// With `variable=value` in the environment, a socket's first open fails with `code` whose message
/// lists `valid` (one of the values that would do); the throwing open, in a constructor too,
/// names the variable and its value.
void expect_named_environment_error(const char* variable, const char* value, port_errc code,
                                    const char* valid)
{
  scoped_environment e(variable, value);
  asio::io_context ctx;
  tcp::socket s(ctx);
  error_code ec;
  s.open(tcp::v4(), ec);
  BOOST_TEST((ec == code), ec.message());
  BOOST_TEST(contains(ec.message(), valid), ec.message());
  BOOST_TEST(!s.is_open());

  error_code thrown;
  std::string text = thrown_by([&] { s.open(tcp::v4()); }, thrown);
  BOOST_TEST((thrown == code), thrown.message());
  BOOST_TEST(contains(text, std::string(variable) + "=" + value), text);
  BOOST_TEST(contains(text, valid), text);
  text = thrown_by([&] { tcp::socket t(ctx, tcp::v4()); }, thrown);
  BOOST_TEST((thrown == code), thrown.message());
  BOOST_TEST(contains(text, std::string(variable) + "=" + value), text);
}

/// A backend this build or this system does not offer, with the reason the library gives.
bool a_missing_backend(backend_kind& kind, std::string& why)
{
  for (backend_kind k : {backend_kind::psn, backend_kind::afd, backend_kind::epoll,
                         backend_kind::model})
    if (!boost_sockn::notification_port::available(k, why))
    {
      kind = k;
      return true;
    }
  return false;
}

/// An execution context without Asio's scheduler, and the least executor that names it.
class bare_context : public asio::execution_context
{
};

class bare_executor
{
public:
  explicit bare_executor(bare_context& c) noexcept : context_(&c) {}
  asio::execution_context& query(asio::execution::context_t) const noexcept { return *context_; }
  static constexpr asio::execution::blocking_t::never_t query(asio::execution::blocking_t) noexcept
  {
    return asio::execution::blocking.never;
  }
  template <typename F>
  void execute(F&&) const
  {
    // Nothing runs here: the socket fails to open before it has anything to run.
  }
  friend bool operator==(const bare_executor& a, const bare_executor& b) noexcept
  {
    return a.context_ == b.context_;
  }
  friend bool operator!=(const bare_executor& a, const bare_executor& b) noexcept
  {
    return !(a == b);
  }

private:
  bare_context* context_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(configuration_errors, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(environment_names_ignore_case)
{
  backend_kind backend;
  boost_sockn::trigger_policy policy;
  {
    asio::io_context probe;
    const reactor& r = asio::use_service<reactor>(probe);
    backend = r.backend();
    policy = r.policy();
  }
  const std::string backend_name = upper_case(boost_sockn::to_string(backend));
  const std::string policy_name = upper_case(boost_sockn::to_string(policy));
  scoped_environment b("BOOST_SOCKN_BACKEND", backend_name.c_str());
  scoped_environment p("BOOST_SOCKN_TRIGGER", policy_name.c_str());

  asio::io_context ctx;
  tcp_pair pair(ctx);
  const reactor& r = asio::use_service<reactor>(ctx);
  BOOST_TEST((r.backend() == backend), boost_sockn::to_string(r.backend()));
  BOOST_TEST((r.policy() == policy), boost_sockn::to_string(r.policy()));
  std::string rx(4, '\0');
  error_code read_ec;
  pair.server.async_read_some(asio::buffer(&rx[0], rx.size()),
                              [&](const error_code& ec, std::size_t) { read_ec = ec; });
  send_text(pair.client, "ping");
  BOOST_TEST(run_for(ctx));
  BOOST_TEST(!read_ec, read_ec.message());
  BOOST_TEST(rx == "ping");
}

BOOST_AUTO_TEST_CASE(unknown_backend_names_the_variable)
{
  expect_named_environment_error("BOOST_SOCKN_BACKEND", "no-such-backend",
                                 port_errc::unknown_backend, "epoll");
}

BOOST_AUTO_TEST_CASE(unknown_policy_names_the_variable)
{
  expect_named_environment_error("BOOST_SOCKN_TRIGGER", "sideways", port_errc::unknown_policy,
                                 "level_oneshot");
}

BOOST_AUTO_TEST_CASE(unknown_delivery_names_the_variable)
{
  expect_named_environment_error("BOOST_SOCKN_DELIVERY", "sideways", port_errc::unknown_delivery,
                                 "io_threads");
}

struct io_threads_delivery_missing
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    boost_sockn::reactor_options o;
    o.delivery = boost_sockn::readiness_delivery::io_threads;
    std::string why;
    if (!reactor::available(o, why))
      return true;
    return skipped_because("io_threads delivery runs here (its refusal is checked on Windows)");
  }
};

BOOST_AUTO_TEST_CASE(io_threads_delivery_where_it_cannot_run_says_why,
                     *boost::unit_test::precondition(io_threads_delivery_missing()))
{
  boost_sockn::reactor_options o;
  o.delivery = boost_sockn::readiness_delivery::io_threads;
  asio::io_context ctx;
  error_code ec;
  reactor::configure(ctx, o, ec);
  BOOST_TEST((ec == asio::error::operation_not_supported), ec.message());
  std::string why;
  BOOST_TEST(!reactor::available(o, why));
  BOOST_TEST(contains(why, "io_threads"), why);
  // The default still runs: the readiness thread.
  tcp_pair pair(ctx);
  BOOST_TEST((asio::use_service<reactor>(ctx).delivery()
              == boost_sockn::readiness_delivery::readiness_thread));
}

BOOST_AUTO_TEST_CASE(automatic_is_a_name_for_every_variable)
{
  // As BOOST_SOCKN_BACKEND=automatic leaves the choice to the library, so do the others.
  scoped_environment b("BOOST_SOCKN_BACKEND", "Automatic");
  scoped_environment p("BOOST_SOCKN_TRIGGER", "AUTOMATIC");
  scoped_environment d("BOOST_SOCKN_DELIVERY", "automatic");
  asio::io_context ctx;
  tcp_pair pair(ctx); // opens sockets: would throw on a name the library did not take
  const reactor& r = asio::use_service<reactor>(ctx);
  BOOST_TEST((r.policy() != boost_sockn::trigger_policy::automatic));
  BOOST_TEST((r.delivery() != boost_sockn::readiness_delivery::automatic));
}

BOOST_AUTO_TEST_CASE(missing_backend_names_itself_and_its_reason)
{
  backend_kind missing;
  std::string why;
  if (!a_missing_backend(missing, why))
  {
    BOOST_TEST_MESSAGE("every backend is available here; nothing to name");
    return;
  }
  BOOST_TEST_MESSAGE("missing: " << why);
  scoped_environment b("BOOST_SOCKN_BACKEND", boost_sockn::to_string(missing));
  asio::io_context ctx;
  error_code code;
  const std::string text = thrown_by([&] { tcp::acceptor a(ctx, tcp::v4()); }, code);
  BOOST_TEST((code == port_errc::backend_not_built || code == port_errc::backend_unavailable),
             code.message());
  BOOST_TEST(contains(text, why), text);
  BOOST_TEST(contains(text, boost_sockn::to_string(missing)), text);

  // configure() names it too.
  reactor_options opts;
  opts.backend = missing;
  asio::io_context other;
  const std::string configured = thrown_by([&] { reactor::configure(other, opts); }, code);
  BOOST_TEST(contains(configured, why), configured);
}

BOOST_AUTO_TEST_CASE(configure_after_first_use_says_when_to_call_it)
{
  asio::io_context ctx;
  tcp::socket s(ctx, tcp::v4());
  error_code code;
  const std::string text = thrown_by([&] { reactor::configure(ctx, reactor_options{}); }, code);
  BOOST_TEST((code == asio::error::already_started), code.message());
  BOOST_TEST(contains(text, "before the context's first boost_sockn socket"), text);
}

BOOST_AUTO_TEST_CASE(context_without_a_scheduler_says_which_contexts_work)
{
  bare_context ctx;
  boost_sockn::basic_stream_socket<tcp, bare_executor> s(bare_executor{ctx});
  error_code ec;
  s.open(tcp::v4(), ec);
  BOOST_TEST((ec == asio::error::operation_not_supported), ec.message());
  BOOST_TEST(!s.is_open());

  error_code code;
  const std::string text = thrown_by([&] { s.open(tcp::v4()); }, code);
  BOOST_TEST((code == asio::error::operation_not_supported), code.message());
  BOOST_TEST(contains(text, "use an io_context"), text);
}

// docs/reactor.md: io_context everywhere; thread_pool and system_context where they run
// io_context's scheduler type (Linux), and elsewhere the same explanation as above.
BOOST_AUTO_TEST_CASE(thread_pool_and_system_executor_as_documented)
{
#if defined(_WIN32)
  const bool served = false;
#else
  const bool served = true;
#endif
  asio::thread_pool pool(1);
  boost_sockn::basic_stream_socket<tcp, asio::thread_pool::executor_type> on_pool(
      pool.get_executor());
  error_code ec;
  on_pool.open(tcp::v4(), ec);
  BOOST_TEST((served ? !ec : ec == asio::error::operation_not_supported), ec.message());
  on_pool.close(ec);

  boost_sockn::basic_stream_socket<tcp, asio::system_executor> on_system{asio::system_executor()};
  on_system.open(tcp::v4(), ec);
  BOOST_TEST((served ? !ec : ec == asio::error::operation_not_supported), ec.message());
  error_code code;
  const std::string text = thrown_by([&] {
    boost_sockn::basic_stream_socket<tcp, asio::system_executor> t{asio::system_executor()};
    t.open(tcp::v4());
  }, code);
  if (served)
    BOOST_TEST(text.empty(), text);
  else
    BOOST_TEST(contains(text, "io_context"), text);
  on_system.close(ec);
  pool.join();
}

BOOST_AUTO_TEST_SUITE_END()

#endif

} // namespace reactor_test
