//
// test/beast/http.cpp
//
// Beast's HTTP/1.1 on tcp_stream, with both the server and the client on the stream under test:
// request/response round trips, keep-alive, chunked bodies both ways, end_of_stream when the
// peer closes, and a thousand concurrent clients.
//
// Handlers only record what happened (possibly on two io threads); the test body checks it after
// the io threads were joined.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "beast/fixture.hpp"

#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace beast_test;
namespace http = beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;
const error_code end_of_stream = http::error::end_of_stream;

/// Answers every request on a connection until the client ends it: the body says what was asked
/// ("<method> <target> <request body>"); the target "/chunked" gets that text in three chunks.
/// A request without keep-alive gets "Connection: close" and the end of the connection.
class http_server
{
public:
  explicit http_server(asio::io_context& ioc, int connections = 1)
    : acceptor_(ioc, tcp_loopback()), ioc_(ioc), remaining_(connections)
  {
    accept();
  }

  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

  std::atomic<int> connections{0};
  std::atomic<int> requests{0};
  std::atomic<int> chunked_requests{0};
  std::atomic<int> ends_of_stream{0};

  std::vector<error_code> errors() const
  {
    std::lock_guard<std::mutex> lock(m_);
    return errors_;
  }

  void fail(const error_code& ec)
  {
    std::lock_guard<std::mutex> lock(m_);
    errors_.push_back(ec);
  }

private:
  class session;

  void accept();

  tcp::acceptor acceptor_;
  asio::io_context& ioc_;
  int remaining_;
  mutable std::mutex m_;
  std::vector<error_code> errors_;
};

class http_server::session : public std::enable_shared_from_this<session>
{
public:
  session(http_server& server, tcp::socket s) : server_(server), stream_(std::move(s)) {}

  void read()
  {
    req_ = {};
    stream_.expires_after(patience);
    http::async_read(stream_, buffer_, req_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

private:
  void on_read(const error_code& ec)
  {
    if (ec == end_of_stream)
    {
      ++server_.ends_of_stream;
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    if (ec)
      return server_.fail(ec);
    ++server_.requests;
    if (req_.chunked())
      ++server_.chunked_requests;
    const std::string answer =
        std::string(req_.method_string()) + " " + std::string(req_.target()) + " " + req_.body();
    if (req_.target() == "/chunked")
      return write_chunked(answer);

    res_ = {};
    res_.version(req_.version());
    res_.result(http::status::ok);
    res_.set(http::field::server, "beast test");
    res_.set(http::field::content_type, "text/plain");
    res_.keep_alive(req_.keep_alive());
    res_.body() = answer;
    res_.prepare_payload();
    http::async_write(stream_, res_, [self = shared_from_this()](error_code ec, std::size_t) {
      self->after_response(ec, self->res_.keep_alive());
    });
  }

  void write_chunked(const std::string& answer)
  {
    // Three non-empty chunks (an empty one would end the body).
    const std::size_t third = answer.size() / 3;
    chunks_ = {answer.substr(0, third), answer.substr(third, third), answer.substr(2 * third)};
    header_ = {};
    header_.version(req_.version());
    header_.result(http::status::ok);
    header_.keep_alive(req_.keep_alive());
    header_.chunked(true);
    serializer_.emplace(header_);
    http::async_write_header(stream_, *serializer_,
                             [self = shared_from_this()](error_code ec, std::size_t) {
                               if (ec)
                                 return self->server_.fail(ec);
                               self->write_chunk(0);
                             });
  }

  void write_chunk(std::size_t i)
  {
    auto self = shared_from_this();
    if (i == chunks_.size())
      return asio::async_write(stream_, http::make_chunk_last(),
                               [self](error_code ec, std::size_t) {
                                 self->after_response(ec, self->header_.keep_alive());
                               });
    asio::async_write(stream_, http::make_chunk(asio::buffer(chunks_[i])),
                      [self, i](error_code ec, std::size_t) {
                        if (ec)
                          return self->server_.fail(ec);
                        self->write_chunk(i + 1);
                      });
  }

  void after_response(const error_code& ec, bool keep_alive)
  {
    if (ec)
      return server_.fail(ec);
    if (keep_alive)
      return read();
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  http_server& server_;
  tcp_stream stream_;
  beast::flat_buffer buffer_;
  request req_;
  response res_;
  http::response<http::empty_body> header_;
  std::optional<http::response_serializer<http::empty_body>> serializer_;
  std::vector<std::string> chunks_;
};

void http_server::accept()
{
  acceptor_.async_accept(asio::make_strand(ioc_), [this](error_code ec, tcp::socket s) {
    if (ec)
      return fail(ec);
    ++connections;
    std::make_shared<session>(*this, std::move(s))->read();
    if (--remaining_ > 0)
      accept();
  });
}

/// What one client saw.
struct http_client_result
{
  std::vector<response> responses;
  std::vector<std::size_t> chunks; // chunk headers per response
  error_code ec;                   // the first error, if any
  error_code after_last;           // what a read after the last response reported
  bool done = false;
};

/// Connects to `ep`, sends `requests` one after the other on the one connection, each after the
/// previous response arrived; then either reads once more (expecting the server's end of the
/// connection) or shuts its sending side and closes, as `read_after_last` says.
class http_client : public std::enable_shared_from_this<http_client>
{
public:
  http_client(asio::io_context& ioc, std::vector<request> requests, http_client_result& out,
              bool read_after_last = false)
    : stream_(asio::make_strand(ioc)), requests_(std::move(requests)), out_(out),
      read_after_last_(read_after_last)
  {
  }

  void start(const tcp::endpoint& ep)
  {
    stream_.expires_after(patience);
    stream_.async_connect(ep, [self = shared_from_this()](error_code ec) {
      if (ec)
        return self->finish(ec);
      self->write();
    });
  }

private:
  void write()
  {
    if (next_ == requests_.size())
      return read_after_last_ ? read_end() : close();
    stream_.expires_after(patience);
    http::async_write(stream_, requests_[next_],
                      [self = shared_from_this()](error_code ec, std::size_t) {
                        if (ec)
                          return self->finish(ec);
                        self->read();
                      });
  }

  void read()
  {
    parser_.emplace();
    parser_->body_limit(64 << 20);
    chunk_count_ = 0;
    parser_->on_chunk_header(chunk_header_cb_);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       if (ec)
                         return self->finish(ec);
                       self->out_.responses.push_back(self->parser_->release());
                       self->out_.chunks.push_back(self->chunk_count_);
                       ++self->next_;
                       self->write();
                     });
  }

  void read_end()
  {
    parser_.emplace();
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) {
                       self->out_.after_last = ec;
                       self->finish({});
                     });
  }

  void close()
  {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // The server answers with its own end of the connection: read until then.
    read_end();
  }

  void finish(const error_code& ec)
  {
    out_.ec = ec;
    out_.done = true;
    stream_.close();
  }

  tcp_stream stream_;
  std::vector<request> requests_;
  http_client_result& out_;
  bool read_after_last_;
  std::size_t next_ = 0;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::size_t chunk_count_ = 0;
  std::function<void(std::uint64_t, beast::string_view, error_code&)> chunk_header_cb_ =
      [this](std::uint64_t, beast::string_view, error_code&) { ++chunk_count_; };
};

request make_request(http::verb verb, const std::string& target, const std::string& body = {},
                     bool keep_alive = true)
{
  request req(verb, target, 11);
  req.set(http::field::host, "localhost");
  req.set(http::field::user_agent, "beast test");
  req.keep_alive(keep_alive);
  if (!body.empty() || verb == http::verb::post)
  {
    req.body() = body;
    req.prepare_payload();
  }
  return req;
}

void expect_no_errors(const http_server& server, const http_client_result& client)
{
  for (const error_code& ec : server.errors())
    BOOST_ERROR("server: " << ec.message());
  BOOST_TEST(client.done);
  BOOST_TEST(!client.ec, client.ec.message());
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_on_stream, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE(request_response_round_trip)
{
  asio::io_context ioc;
  http_server server(ioc);
  http_client_result got;
  std::make_shared<http_client>(
      ioc, std::vector<request>{make_request(http::verb::get, "/index.html")}, got)
      ->start(server.endpoint());
  BOOST_TEST(run_for(ioc, 2));
  expect_no_errors(server, got);
  BOOST_TEST_REQUIRE(got.responses.size() == 1u);
  const response& res = got.responses[0];
  BOOST_TEST(res.result() == http::status::ok);
  BOOST_TEST(res.version() == 11u);
  BOOST_TEST(res[http::field::server] == "beast test");
  BOOST_TEST(res[http::field::content_length] == std::to_string(res.body().size()));
  BOOST_TEST(res.body() == "GET /index.html ");
  BOOST_TEST(got.chunks[0] == 0u);
  BOOST_TEST(server.connections == 1);
  BOOST_TEST(server.requests == 1);
  // The client shut its side down after the response: the server read end_of_stream.
  BOOST_TEST(server.ends_of_stream == 1);
  // ... and answered with its own end, which the client's next read reports.
  BOOST_TEST(got.after_last == end_of_stream, got.after_last.message());
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection)
{
  asio::io_context ioc;
  http_server server(ioc);
  std::vector<request> requests;
  for (int i = 0; i < 8; ++i)
    requests.push_back(i % 2 ? make_request(http::verb::post, "/echo/" + std::to_string(i),
                                            std::string(1000 * i + 1, char('a' + i)))
                             : make_request(http::verb::get, "/page/" + std::to_string(i)));
  http_client_result got;
  std::make_shared<http_client>(ioc, requests, got)->start(server.endpoint());
  BOOST_TEST(run_for(ioc, 2));
  expect_no_errors(server, got);
  BOOST_TEST_REQUIRE(got.responses.size() == requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i)
  {
    BOOST_TEST_CONTEXT("request " << i)
    {
      const std::string expected = std::string(requests[i].method_string()) + " " +
                                   std::string(requests[i].target()) + " " + requests[i].body();
      BOOST_TEST(got.responses[i].body() == expected);
      BOOST_TEST(got.responses[i].keep_alive());
    }
  }
  BOOST_TEST(server.connections == 1);
  BOOST_TEST(server.requests == int(requests.size()));
  BOOST_TEST(server.ends_of_stream == 1);
}

BOOST_AUTO_TEST_CASE(chunked_request_and_response_bodies)
{
  asio::io_context ioc;
  http_server server(ioc);
  const std::string body(100000, 'c');
  request chunked_req = make_request(http::verb::post, "/chunked");
  chunked_req.body() = body;
  chunked_req.chunked(true);
  request plain_req = make_request(http::verb::get, "/after");
  http_client_result got;
  std::make_shared<http_client>(ioc, std::vector<request>{chunked_req, plain_req}, got)
      ->start(server.endpoint());
  BOOST_TEST(run_for(ioc, 2));
  expect_no_errors(server, got);
  BOOST_TEST(server.chunked_requests == 1);
  BOOST_TEST_REQUIRE(got.responses.size() == 2u);
  BOOST_TEST(got.responses[0].chunked());
  BOOST_TEST(got.chunks[0] == 4u); // three with data and the last one
  BOOST_TEST(got.responses[0].body() == "POST /chunked " + body);
  // The connection stays usable after a chunked exchange.
  BOOST_TEST(!got.responses[1].chunked());
  BOOST_TEST(got.responses[1].body() == "GET /after ");
}

BOOST_AUTO_TEST_CASE(end_of_stream_when_the_server_closes)
{
  asio::io_context ioc;
  http_server server(ioc);
  http_client_result got;
  std::make_shared<http_client>(
      ioc, std::vector<request>{make_request(http::verb::get, "/last", {}, false)}, got, true)
      ->start(server.endpoint());
  BOOST_TEST(run_for(ioc, 2));
  expect_no_errors(server, got);
  BOOST_TEST_REQUIRE(got.responses.size() == 1u);
  BOOST_TEST(!got.responses[0].keep_alive());
  BOOST_TEST(got.responses[0][http::field::connection] == "close");
  BOOST_TEST(got.after_last == end_of_stream, got.after_last.message());
}

BOOST_AUTO_TEST_CASE(end_of_stream_when_the_client_closes_before_a_request)
{
  asio::io_context ioc;
  http_server server(ioc);
  tcp_stream client(ioc);
  client.connect(server.endpoint());
  client.close();
  BOOST_TEST(run_for(ioc));
  for (const error_code& ec : server.errors())
    BOOST_ERROR("server: " << ec.message());
  BOOST_TEST(server.connections == 1);
  BOOST_TEST(server.requests == 0);
  BOOST_TEST(server.ends_of_stream == 1);
}

namespace {

constexpr int load_clients = 1000;

struct room_for_load
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    std::string why;
    if (descriptor_room(2 * load_clients + 64, why))
      return true;
    return skipped_because(std::to_string(load_clients) + " concurrent clients: " + why);
  }
};

} // namespace

BOOST_AUTO_TEST_CASE(a_thousand_concurrent_clients, *boost::unit_test::precondition(room_for_load()))
{
  asio::io_context ioc;
  http_server server(ioc, load_clients);
  std::vector<http_client_result> got(load_clients);
  for (int i = 0; i < load_clients; ++i)
    std::make_shared<http_client>(
        ioc, std::vector<request>{make_request(http::verb::get, "/client/" + std::to_string(i))},
        got[i])
        ->start(server.endpoint());
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(run_for(ioc, 2, std::chrono::seconds(300)));
  BOOST_TEST_MESSAGE(load_clients << " clients served in " << seconds_since(start) << " s");

  int ok = 0, failed = 0;
  for (int i = 0; i < load_clients; ++i)
  {
    const http_client_result& r = got[i];
    const bool good = r.done && !r.ec && r.responses.size() == 1 &&
                      r.responses[0].body() == "GET /client/" + std::to_string(i) + " " &&
                      r.after_last == end_of_stream;
    if (good)
      ++ok;
    else if (++failed <= 10) // the first few say what went wrong, the count says the rest
      BOOST_ERROR("client " << i << ": " << (r.ec ? r.ec.message() : "wrong or no response"));
  }
  BOOST_TEST(ok == load_clients);
  for (const error_code& ec : server.errors())
    BOOST_ERROR("server: " << ec.message());
  BOOST_TEST(server.connections == load_clients);
  BOOST_TEST(server.requests == load_clients);
  BOOST_TEST(server.ends_of_stream == load_clients);
}

BOOST_AUTO_TEST_SUITE_END()
