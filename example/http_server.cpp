//
// http_server.cpp
//
// An HTTP/1.1 server written the usual Beast way: an acceptor loop, one session per connection
// (kept alive by shared_from_this, on a strand of its own) that reads a request, writes the
// response and reads the next one. Keep-alive is honoured; pipelined requests are answered in
// order, because bytes read beyond one request stay in the session's buffer for the next read.
// Every read and write has a deadline (tcp_stream::expires_after). SIGINT/SIGTERM stop it
// cleanly: the acceptor and every connection close, io_context::run() returns, exit status 0.
//
// It serves the files under --doc-root (GET and HEAD), or without one a small site held in
// memory: /, /hello and /chunked (a chunked response).
//
// The build makes two programs of example/http_server.cpp: one on boost_sockn's readiness-based
// sockets and tcp_stream, and its Asio original on Boost.Asio's sockets and Beast's tcp_stream,
// which the build derives by putting Asio's and Beast's lines back under "The networking
// library" below and Beast's namespace in front of each tcp_stream. Nothing else differs.
//
// Usage:
//   http_server [--address A] [--port P] [--threads N] [--doc-root DIR] [--timeout S]
//               [--header-limit B] [--body-limit B] [--max-connections N] [--statistics T]
//       listen on A (default 127.0.0.1) port P (default 8080; 0 = any free port) with N threads
//       (default 1) until SIGINT/SIGTERM; prints "http_server: listening on http://A:P/". A
//       connection that takes more than S seconds (default 30) over a request, or idles that
//       long between requests, is closed. The limits a client cannot exceed (beyond them the
//       server closes the connection): B bytes of request line and fields (--header-limit,
//       default 8192, Beast's own), B bytes of request body (--body-limit, default 1048576),
//       N connections open at once (--max-connections, default 0: no cap; a connection beyond
//       the cap is closed as soon as it is accepted). With --statistics, every T seconds a line
//       on stderr for a monitor: "http_server: statistics sessions=N rejected=N" (the
//       connections open, and those closed at the cap so far), and on boost_sockn
//       " live_states=N awaiting_remove=N" (the reactor's gauges).
//   http_server --self-test [CLIENT]
//       serve on free ports, check responses to in-process Beast clients (keep-alive, a
//       pipelined pair, HEAD, 404, chunked, a doc root, a timeout, shutdown); then, if CLIENT is
//       given (an
//       http_client: a path, or a file name in this executable's directory), run it against the
//       server too. Exit status 0 if all went right.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#if defined(_WIN32)
#include <windows.h>
#endif

// The networking library: the boost_sockn and Asio programs differ in these two lines only (and
// in the namespace of tcp_stream).
#include <boost_sockn/beast.hpp>
using tcp = boost_sockn::ip::tcp;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

// What the server serves, and how; shared read-only by every session.
struct site
{
  std::string doc_root;    // empty: the in-memory pages
  std::string library;     // for the index page
  // A request (and an idle keep-alive connection) gets this long; then the stream closes itself.
  std::chrono::seconds timeout{30};
  // What one request may make its session hold: Beast's parser refuses more.
  std::uint32_t header_limit = 8192;
  std::uint64_t body_limit = 1 << 20;
  // 0: no cap. Each connection holds a descriptor and a session; with a cap, a flood of idle
  // connections cannot take the descriptors the server needs to answer anyone.
  std::size_t max_connections = 0;
};

//--------------------------------------------------------------------------------------------------
// Responses
//--------------------------------------------------------------------------------------------------

std::string_view mime_type(std::string_view path)
{
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return "application/octet-stream";
  std::string ext(path.substr(dot + 1));
  for (auto& c : ext)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  static const std::pair<const char*, const char*> types[] = {
    {"html", "text/html; charset=utf-8"}, {"htm", "text/html; charset=utf-8"},
    {"css", "text/css"}, {"txt", "text/plain; charset=utf-8"}, {"js", "text/javascript"},
    {"md", "text/markdown; charset=utf-8"},
    {"json", "application/json"}, {"xml", "application/xml"}, {"svg", "image/svg+xml"},
    {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"gif", "image/gif"},
    {"ico", "image/vnd.microsoft.icon"}, {"webp", "image/webp"}, {"pdf", "application/pdf"},
    {"wasm", "application/wasm"}};
  for (const auto& t : types)
    if (ext == t.first)
      return t.second;
  return "application/octet-stream";
}

template <class Body>
void common_fields(http::response<Body>& res, const http::request<http::string_body>& req,
                   std::string_view content_type)
{
  res.set(http::field::server, BOOST_BEAST_VERSION_STRING);
  res.set(http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
}

// A response whose body is text: for HEAD only the fields, with the length GET would have had.
http::message_generator text_response(const http::request<http::string_body>& req,
                                      http::status status, std::string_view content_type,
                                      std::string body, bool chunked = false)
{
  if (req.method() == http::verb::head)
  {
    http::response<http::empty_body> res{status, req.version()};
    common_fields(res, req, content_type);
    if (chunked)
      res.chunked(true);
    else
      res.content_length(body.size());
    return res;
  }
  http::response<http::string_body> res{status, req.version()};
  common_fields(res, req, content_type);
  res.body() = std::move(body);
  if (chunked)
    res.chunked(true);
  else
    res.prepare_payload();
  return res;
}

http::message_generator error_response(const http::request<http::string_body>& req,
                                       http::status status, std::string_view why)
{
  std::string body(why);
  body += '\n';
  return text_response(req, status, "text/plain; charset=utf-8", std::move(body));
}

std::string html_escape(std::string_view s)
{
  std::string out;
  for (char c : s)
  {
    switch (c)
    {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

// The body of /chunked: sent with Transfer-Encoding: chunked.
std::string chunked_text()
{
  std::string s;
  for (int i = 1; i <= 100; ++i)
    s += "line " + std::to_string(i) + " of a chunked response\n";
  return s;
}

http::message_generator in_memory_response(const site& s,
                                           const http::request<http::string_body>& req,
                                           std::string_view path)
{
  if (path == "/" || path == "/index.html")
  {
    const std::string lib = html_escape(s.library);
    return text_response(req, http::status::ok, "text/html; charset=utf-8",
      "<!DOCTYPE html>\n<html><head><title>http_server</title></head><body>\n"
      "<h1>http_server</h1>\n<p>A Beast HTTP/1.1 server running on " + lib + ".</p>\n"
      "<ul><li><a href=\"/hello\">/hello</a></li>"
      "<li><a href=\"/chunked\">/chunked</a> (Transfer-Encoding: chunked)</li></ul>\n"
      "</body></html>\n");
  }
  if (path == "/hello")
    return text_response(req, http::status::ok, "text/plain; charset=utf-8",
                         "Hello from http_server on " + s.library + "\n");
  if (path == "/chunked")
    return text_response(req, http::status::ok, "text/plain; charset=utf-8", chunked_text(),
                         true);
  return error_response(req, http::status::not_found, "Not found: " + std::string(path));
}

http::message_generator file_response(const site& s, const http::request<http::string_body>& req,
                                      std::string_view path)
{
  std::string file = s.doc_root;
  if (!file.empty() && (file.back() == '/' || file.back() == '\\'))
    file.pop_back();
  file.append(path.data(), path.size());
  if (path.back() == '/')
    file += "index.html";

  // A directory opens like a file on POSIX and fails only when read: send the client to its
  // index instead.
  std::error_code fs_ec;
  if (std::filesystem::is_directory(file, fs_ec))
  {
    http::response<http::empty_body> res{http::status::moved_permanently, req.version()};
    common_fields(res, req, "text/plain; charset=utf-8");
    res.set(http::field::location, std::string(path) + "/");
    res.content_length(0);
    return res;
  }

  // Opened in the response itself: Beast's Windows file body leaves its range indeterminate
  // until it is opened, so a body moved in unopened would copy indeterminate values.
  http::response<http::file_body> res{http::status::ok, req.version()};
  error_code ec;
  res.body().open(file.c_str(), beast::file_mode::scan, ec);
  if (ec == beast::errc::no_such_file_or_directory)
    return error_response(req, http::status::not_found, "Not found: " + std::string(path));
  if (ec)
    return error_response(req, http::status::internal_server_error, ec.message());

  const auto size = res.body().size();
  if (req.method() == http::verb::head)
  {
    http::response<http::empty_body> head{http::status::ok, req.version()};
    common_fields(head, req, mime_type(file));
    head.content_length(size);
    return head;
  }
  common_fields(res, req, mime_type(file));
  res.content_length(size);
  return res;
}

http::message_generator handle_request(const site& s, http::request<http::string_body>&& req)
{
  if (req.method() != http::verb::get && req.method() != http::verb::head)
  {
    http::response<http::string_body> res{http::status::method_not_allowed, req.version()};
    common_fields(res, req, "text/plain; charset=utf-8");
    res.set(http::field::allow, "GET, HEAD");
    res.body() = "Only GET and HEAD are served\n";
    res.prepare_payload();
    return res;
  }

  std::string_view path(req.target().data(), req.target().size());
  path = path.substr(0, path.find_first_of("?#"));
  // ".." could climb out of the doc root; a backslash is a separator on Windows, so it could
  // smuggle one in. Neither occurs in the paths this server serves.
  if (path.empty() || path[0] != '/' || path.find("..") != std::string_view::npos ||
      path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos)
    return error_response(req, http::status::bad_request, "Illegal request target");

  if (s.doc_root.empty())
    return in_memory_response(s, req, path);
  return file_response(s, req, path);
}

//--------------------------------------------------------------------------------------------------
// The server
//--------------------------------------------------------------------------------------------------

class session : public std::enable_shared_from_this<session>
{
public:
  session(tcp::socket&& socket, std::shared_ptr<const site> site,
          std::shared_ptr<std::atomic<std::size_t>> open)
    : stream_(std::move(socket)), site_(std::move(site)), open_(std::move(open))
  {
    ++*open_;
  }

  ~session() { --*open_; }

  void start()
  {
    // A response can leave in several writes (a chunked body ends with a write of its own):
    // with Nagle's algorithm the last one would wait for the client's delayed ACK, some 40 ms.
    error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    do_read();
  }

  // Callable from any thread: the close runs on the session's strand, like its handlers, and
  // completes the pending read or write with operation_aborted.
  void stop()
  {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
  }

private:
  void do_read()
  {
    // A parser serves one message: a fresh one for every request.
    parser_.emplace();
    parser_->header_limit(site_->header_limit);
    parser_->body_limit(site_->body_limit);
    stream_.expires_after(site_->timeout);
    http::async_read(stream_, buffer_, *parser_,
      [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec)
  {
    if (ec == http::error::end_of_stream)
      return shut_down();
    // A timeout or a stop has closed the stream already; on other errors, dropping the last
    // reference closes it.
    if (ec)
      return;
    send(handle_request(*site_, parser_->release()));
  }

  void send(http::message_generator&& response)
  {
    const bool keep_alive = response.keep_alive();
    stream_.expires_after(site_->timeout);
    beast::async_write(stream_, std::move(response),
      [self = shared_from_this(), keep_alive](error_code ec, std::size_t) {
        if (ec)
          return;
        if (!keep_alive)
          return self->shut_down();
        self->do_read();
      });
  }

  // The client has finished (or asked to): send our FIN; the peer closes, and the socket goes
  // with the session.
  void shut_down()
  {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  boost_sockn::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const site> site_;
  // The server's count of open sessions: shared, as a session may outlive its server object.
  std::shared_ptr<std::atomic<std::size_t>> open_;
};

class server
{
public:
  server(asio::io_context& ioc, const tcp::endpoint& endpoint, std::shared_ptr<const site> site)
    : ioc_(ioc),
      site_(std::move(site)),
      acceptor_(asio::make_strand(ioc), endpoint),
      signals_(acceptor_.get_executor(), SIGINT, SIGTERM),
      report_timer_(acceptor_.get_executor())
  {
    signals_.async_wait([this](error_code ec, int) {
      if (!ec)
        close();
    });
    do_accept();
  }

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  // Callable from any thread; once every session has ended, io_context::run() returns.
  void stop()
  {
    asio::post(acceptor_.get_executor(), [this] { close(); });
  }

  // --statistics: a line on stderr every `period` until the server stops.
  void report_every(std::chrono::seconds period)
  {
    report_period_ = period;
    asio::post(acceptor_.get_executor(), [this] { schedule_report(); });
  }

private:
  // Runs on the acceptor's strand, as remember() does: the session list is read there.
  void schedule_report()
  {
    if (!acceptor_.is_open())
      return;
    report_timer_.expires_after(report_period_);
    report_timer_.async_wait([this](error_code ec) {
      if (ec || !acceptor_.is_open())
        return;
      std::string line = "http_server: statistics sessions=" + std::to_string(open_->load()) +
                         " rejected=" + std::to_string(rejected_);
#if defined(BOOST_SOCKN_REACTOR_HPP)
      const auto st = asio::use_service<boost_sockn::reactor>(
                        static_cast<asio::execution_context&>(ioc_)).statistics();
      line += " live_states=" + std::to_string(st.live_states) +
              " awaiting_remove=" + std::to_string(st.awaiting_remove);
#endif
      std::fprintf(stderr, "%s\n", line.c_str());
      std::fflush(stderr);
      schedule_report();
    });
  }

  void do_accept()
  {
    // Each connection gets a strand of its own: stop() closes it from another thread.
    acceptor_.async_accept(asio::make_strand(ioc_),
      [this](error_code ec, tcp::socket socket) {
        if (!acceptor_.is_open())
          return;
        if (!ec && site_->max_connections != 0 && open_->load() >= site_->max_connections)
        {
          // Closed unread: the client sees the connection end at once, rather than wait on a
          // server that will not answer.
          ++rejected_;
          error_code ignored;
          socket.close(ignored);
        }
        else if (!ec)
        {
          auto s = std::make_shared<session>(std::move(socket), site_, open_);
          remember(s);
          s->start();
        }
        do_accept();
      });
  }

  // Ended sessions are dropped from the list whenever it has doubled since the last pruning:
  // amortised constant time per connection, even with thousands of them open.
  void remember(const std::shared_ptr<session>& s)
  {
    if (sessions_.size() >= prune_at_)
    {
      sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(),
                                     [](const std::weak_ptr<session>& w) { return w.expired(); }),
                      sessions_.end());
      prune_at_ = std::max<std::size_t>(64, 2 * sessions_.size());
    }
    sessions_.push_back(s);
  }

  // Runs on the acceptor's strand (the signal handler shares it).
  void close()
  {
    error_code ignored;
    signals_.cancel(ignored);
    report_timer_.cancel();
    acceptor_.close(ignored);
    for (auto& w : sessions_)
      if (auto s = w.lock())
        s->stop();
    sessions_.clear();
  }

  asio::io_context& ioc_;
  std::shared_ptr<const site> site_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer report_timer_;
  std::chrono::seconds report_period_{1};
  std::vector<std::weak_ptr<session>> sessions_;
  std::size_t prune_at_ = 64;
  std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
  std::size_t rejected_ = 0;    // on the acceptor's strand
};

void run_threads(asio::io_context& ioc, unsigned threads)
{
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i)
    pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool)
    t.join();
}

// Which sockets this build runs on, for the index page.
std::string library_description(asio::io_context& ioc)
{
#if defined(BOOST_SOCKN_REACTOR_HPP)
  auto& r = asio::use_service<boost_sockn::reactor>(static_cast<asio::execution_context&>(ioc));
  return std::string("boost_sockn (backend ") + boost_sockn::to_string(r.backend()) +
         ", policy " + boost_sockn::to_string(r.policy()) + ")";
#else
  (void)ioc;
#if defined(BOOST_ASIO_HAS_IOCP)
  return "Boost.Asio's own sockets (I/O completion ports)";
#elif defined(BOOST_ASIO_HAS_EPOLL)
  return "Boost.Asio's own sockets (epoll)";
#elif defined(BOOST_ASIO_HAS_KQUEUE)
  return "Boost.Asio's own sockets (kqueue)";
#else
  return "Boost.Asio's own sockets (select)";
#endif
#endif
}

std::string url(const tcp::endpoint& ep)
{
  const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]"
                                                 : ep.address().to_string();
  return "http://" + host + ":" + std::to_string(ep.port()) + "/";
}

//--------------------------------------------------------------------------------------------------
// --self-test
//--------------------------------------------------------------------------------------------------

int failures = 0;

void check(bool ok, const std::string& what)
{
  if (!ok)
  {
    ++failures;
    std::printf("FAILED: %s\n", what.c_str());
  }
  else
    std::printf("ok: %s\n", what.c_str());
  std::fflush(stdout);
}

http::request<http::empty_body> make_request(http::verb method, std::string_view target,
                                             bool keep_alive = true)
{
  http::request<http::empty_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::user_agent, "http_server self-test");
  req.keep_alive(keep_alive);
  return req;
}

// One response from a client stream; for a HEAD the parser must be told not to expect a body.
http::response<http::string_body> read_response(boost_sockn::tcp_stream& stream,
                                                beast::flat_buffer& buffer, bool head = false)
{
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  parser.skip(head);
  http::read(stream, buffer, parser);
  return parser.release();
}

http::response<http::string_body> round_trip(boost_sockn::tcp_stream& stream,
                                             beast::flat_buffer& buffer, http::verb method,
                                             std::string_view target, bool keep_alive = true)
{
  http::write(stream, make_request(method, target, keep_alive));
  return read_response(stream, buffer, method == http::verb::head);
}

bool has(const http::response<http::string_body>& res, std::string_view text)
{
  return res.body().find(text) != std::string::npos;
}

std::string field(const http::response<http::string_body>& res, http::field f)
{
  const auto v = res[f];
  return std::string(v.data(), v.size());
}

void test_in_memory(const tcp::endpoint& server, const std::string& library)
{
  // Blocking client calls: the context is never run.
  asio::io_context ioc;
  boost_sockn::tcp_stream stream(ioc);
  stream.connect(server);
  beast::flat_buffer buffer;

  // Keep-alive: several requests on the one connection.
  auto res = round_trip(stream, buffer, http::verb::get, "/");
  check(res.result() == http::status::ok && res.keep_alive() && has(res, library) &&
          field(res, http::field::content_type).rfind("text/html", 0) == 0,
        "GET / (keep-alive 1/3) names " + library);
  res = round_trip(stream, buffer, http::verb::get, "/hello");
  const std::string hello = "Hello from http_server on " + library + "\n";
  check(res.result() == http::status::ok && res.keep_alive() && res.body() == hello,
        "GET /hello (keep-alive 2/3)");
  res = round_trip(stream, buffer, http::verb::get, "/hello?query=1");
  check(res.result() == http::status::ok && res.body() == hello,
        "GET /hello?query=1 (keep-alive 3/3)");

  // A pipelined pair, written in one write: the answers must come in request order.
  std::ostringstream pair;
  pair << make_request(http::verb::get, "/hello") << make_request(http::verb::get, "/");
  const std::string bytes = pair.str();
  asio::write(stream, asio::buffer(bytes));
  auto first = read_response(stream, buffer);
  auto second = read_response(stream, buffer);
  check(first.result() == http::status::ok && first.body() == hello &&
          second.result() == http::status::ok && has(second, "<h1>http_server</h1>"),
        "pipelined GET /hello + GET / in one write, answered in order");

  // HEAD: the length GET would have, no body.
  res = round_trip(stream, buffer, http::verb::head, "/hello");
  check(res.result() == http::status::ok && res.body().empty() &&
          field(res, http::field::content_length) == std::to_string(hello.size()),
        "HEAD /hello: Content-Length " + std::to_string(hello.size()) + ", no body");

  res = round_trip(stream, buffer, http::verb::get, "/no/such/page");
  check(res.result() == http::status::not_found && res.keep_alive(), "GET /no/such/page: 404");

  res = round_trip(stream, buffer, http::verb::get, "/chunked");
  check(res.result() == http::status::ok && res.chunked() && res.body() == chunked_text(),
        "GET /chunked: Transfer-Encoding: chunked, body reassembled");

  res = round_trip(stream, buffer, http::verb::post, "/hello");
  check(res.result() == http::status::method_not_allowed &&
          field(res, http::field::allow) == "GET, HEAD",
        "POST /hello: 405 with Allow");

  res = round_trip(stream, buffer, http::verb::get, "/../etc/passwd");
  check(res.result() == http::status::bad_request, "GET /../etc/passwd: 400");

  // Connection: close: the server answers, then ends the connection.
  res = round_trip(stream, buffer, http::verb::get, "/hello", false);
  check(res.result() == http::status::ok && !res.keep_alive(),
        "GET /hello with Connection: close answered with Connection: close");
  error_code ec;
  http::response<http::string_body> extra;
  http::read(stream, buffer, extra, ec);
  check(ec == http::error::end_of_stream, "then the server closes (" + ec.message() + ")");
}

// Half a request, then nothing: the server's deadline must close the connection.
void test_timeout(const tcp::endpoint& server)
{
  asio::io_context ioc;
  boost_sockn::tcp_stream stream(ioc);
  stream.connect(server);
  const std::string half = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  asio::write(stream, asio::buffer(half));
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  error_code ec;
  http::read(stream, buffer, res, ec);
  check(ec == http::error::end_of_stream || ec == asio::error::connection_reset,
        "an unfinished request is closed at the deadline (" + ec.message() + ")");
}

void write_file(const std::filesystem::path& p, const std::string& content)
{
  std::ofstream out(p, std::ios::binary);
  out << content;
  if (!out)
    throw std::runtime_error("cannot write " + p.string());
}

void test_doc_root(const tcp::endpoint& server, const std::string& index,
                   const std::string& data)
{
  // Blocking client calls: the context is never run.
  asio::io_context ioc;
  boost_sockn::tcp_stream stream(ioc);
  stream.connect(server);
  beast::flat_buffer buffer;

  auto res = round_trip(stream, buffer, http::verb::get, "/");
  check(res.result() == http::status::ok && res.body() == index &&
          field(res, http::field::content_type) == "text/html; charset=utf-8",
        "doc root: GET / serves index.html as text/html");
  res = round_trip(stream, buffer, http::verb::get, "/sub/data.txt");
  check(res.result() == http::status::ok && res.body() == data &&
          field(res, http::field::content_type) == "text/plain; charset=utf-8",
        "doc root: GET /sub/data.txt (" + std::to_string(data.size()) + " bytes, text/plain)");
  res = round_trip(stream, buffer, http::verb::head, "/sub/data.txt");
  check(res.result() == http::status::ok && res.body().empty() &&
          field(res, http::field::content_length) == std::to_string(data.size()),
        "doc root: HEAD /sub/data.txt");
  res = round_trip(stream, buffer, http::verb::get, "/sub");
  check(res.result() == http::status::moved_permanently &&
          field(res, http::field::location) == "/sub/",
        "doc root: GET /sub: 301 to /sub/");
  res = round_trip(stream, buffer, http::verb::get, "/missing.txt");
  check(res.result() == http::status::not_found, "doc root: GET /missing.txt: 404");
  res = round_trip(stream, buffer, http::verb::get, "/sub/../../secret");
  check(res.result() == http::status::bad_request, "doc root: GET /sub/../../secret: 400");
  res = round_trip(stream, buffer, http::verb::get, "/sub\\..\\index.html");
  check(res.result() == http::status::bad_request, "doc root: backslashes: 400");
}

// Runs the http_client CLIENT (a path, or a file name looked up in this executable's directory)
// against the server.
int run_client_process(const char* argv0, const char* client, unsigned short port)
{
  std::string path = client;
  if (path.find_first_of("/\\") == std::string::npos)
  {
    const std::string self = argv0;
    const std::string::size_type slash = self.find_last_of("/\\");
    if (slash != std::string::npos)
      path = self.substr(0, slash + 1) + path;
  }
  std::string command = "\"" + path + "\" 127.0.0.1 " + std::to_string(port) + " /hello";
  std::printf("running %s\n", command.c_str());
  std::fflush(stdout);
#if defined(_WIN32)
  // Not std::system: the client would inherit this process's sockets (inheritable by default on
  // Windows) and keep connections of the server open.
  STARTUPINFOA startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION process{};
  if (!::CreateProcessA(nullptr, &command[0], nullptr, nullptr, FALSE, 0, nullptr, nullptr,
                        &startup, &process))
    return -1;
  ::WaitForSingleObject(process.hProcess, INFINITE);
  DWORD status = 1;
  ::GetExitCodeProcess(process.hProcess, &status);
  ::CloseHandle(process.hThread);
  ::CloseHandle(process.hProcess);
  return static_cast<int>(status);
#else
  return std::system(command.c_str());
#endif
}

int self_test(const char* argv0, const char* client)
{
  // A hang must end the test with a report rather than stall it; two minutes are ample.
  std::atomic<bool> finished{false};
  std::thread watchdog([&finished] {
    for (int i = 0; i < 1200 && !finished; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!finished)
    {
      std::printf("self-test FAILED: no result after 120 s\n");
      std::fflush(stdout);
      std::_Exit(1);
    }
  });

  const auto loopback = asio::ip::make_address("127.0.0.1");
  try
  {
    asio::io_context ioc;
    auto memory_site = std::make_shared<site>();
    memory_site->library = library_description(ioc);
    server s(ioc, tcp::endpoint(loopback, 0), memory_site);
    const auto endpoint = s.local_endpoint();
    std::printf("http_server: listening on %s (%s)\n", url(endpoint).c_str(),
                memory_site->library.c_str());
    std::fflush(stdout);
    std::thread threads([&ioc] { run_threads(ioc, 2); });

    test_in_memory(endpoint, memory_site->library);

    // A doc root of our own, in the temporary directory.
    const auto root = std::filesystem::temp_directory_path() /
                      ("http_server_self_test_" + std::to_string(endpoint.port()));
    std::filesystem::create_directories(root / "sub");
    const std::string index = "<!DOCTYPE html><title>doc root</title><p>from a file</p>\n";
    std::string data;
    for (int i = 0; i < 20000; ++i)
      data += static_cast<char>('a' + i % 26);
    write_file(root / "index.html", index);
    write_file(root / "sub" / "data.txt", data);
    {
      asio::io_context files_ioc;
      auto files_site = std::make_shared<site>();
      files_site->doc_root = root.string();
      files_site->library = memory_site->library;
      server files(files_ioc, tcp::endpoint(loopback, 0), files_site);
      std::thread files_thread([&files_ioc] { files_ioc.run(); });
      test_doc_root(files.local_endpoint(), index, data);
      files.stop();
      files_thread.join();
    }
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);

    // The deadline: a request that never ends is cut off. One second, as the check waits for it.
    {
      asio::io_context slow_ioc;
      auto slow_site = std::make_shared<site>(*memory_site);
      slow_site->timeout = std::chrono::seconds(1);
      server slow(slow_ioc, tcp::endpoint(loopback, 0), slow_site);
      std::thread slow_thread([&slow_ioc] { slow_ioc.run(); });
      test_timeout(slow.local_endpoint());
      slow.stop();
      slow_thread.join();
    }

    if (client)
    {
      const int status = run_client_process(argv0, client, endpoint.port());
      check(status == 0, std::string(client) + " GET /hello exited with status " +
                           std::to_string(status));
    }

    // Shutdown: an idle keep-alive connection must see the server close it.
    asio::io_context idle_ioc;
    boost_sockn::tcp_stream idle(idle_ioc);
    idle.connect(endpoint);
    beast::flat_buffer buffer;
    auto res = round_trip(idle, buffer, http::verb::get, "/hello");
    check(res.result() == http::status::ok, "a keep-alive connection, then idle");
    s.stop();
    error_code ec;
    http::read(idle, buffer, res, ec);
    check(ec == http::error::end_of_stream,
          "stop() closes the idle connection (" + ec.message() + ")");
    threads.join();
    check(true, "stop(): io_context::run() returned");
  }
  catch (const std::exception& e)
  {
    ++failures;
    std::printf("FAILED: exception: %s\n", e.what());
  }

  finished = true;
  watchdog.join();
  std::printf("self-test %s\n", failures == 0 ? "passed" : "FAILED");
  return failures == 0 ? 0 : 1;
}

bool parse_number(const char* text, unsigned long max, unsigned long& value)
{
  char* end = nullptr;
  value = std::strtoul(text, &end, 10);
  return *text != '\0' && *end == '\0' && value <= max;
}

int usage(const char* argv0)
{
  std::fprintf(stderr,
               "usage: %s [--address A] [--port P] [--threads N] [--doc-root DIR] [--timeout S]\n"
               "          [--header-limit B] [--body-limit B] [--max-connections N]\n"
               "          [--statistics T]\n"
               "       %s --self-test [CLIENT]\n"
               "  --timeout S          close a request or an idle connection after S s (30)\n"
               "  --header-limit B     request line and fields at most B bytes (8192)\n"
               "  --body-limit B       request body at most B bytes (1048576)\n"
               "  --max-connections N  close connections beyond N open at once (0: no cap)\n"
               "  --statistics T       a line of gauges on stderr every T s\n",
               argv0, argv0);
  return 2;
}

} // namespace

int main(int argc, char* argv[])
{
  try
  {
    if (argc >= 2 && std::string(argv[1]) == "--self-test" && argc <= 3)
      return self_test(argv[0], argc == 3 ? argv[2] : nullptr);

    std::string address = "127.0.0.1";
    unsigned long port = 8080, threads = 1, seconds = 30, report_seconds = 0, limit = 0;
    auto memory_site = std::make_shared<site>();
    for (int i = 1; i < argc; i += 2)
    {
      const std::string opt = argv[i];
      if (i + 1 >= argc)
        return usage(argv[0]);
      const char* value = argv[i + 1];
      if (opt == "--address")
        address = value;
      else if (opt == "--port" && parse_number(value, 65535, port))
        ;
      else if (opt == "--threads" && parse_number(value, 1024, threads) && threads > 0)
        ;
      else if (opt == "--doc-root")
        memory_site->doc_root = value;
      else if (opt == "--timeout" && parse_number(value, 86400, seconds) && seconds > 0)
        memory_site->timeout = std::chrono::seconds(seconds);
      else if (opt == "--header-limit" && parse_number(value, 0xffffffffUL, limit) && limit > 0)
        memory_site->header_limit = static_cast<std::uint32_t>(limit);
      else if (opt == "--body-limit" && parse_number(value, 0xffffffffUL, limit))
        memory_site->body_limit = limit;
      else if (opt == "--max-connections" && parse_number(value, 0xffffffffUL, limit))
        memory_site->max_connections = limit;
      else if (opt == "--statistics" && parse_number(value, 86400, report_seconds) &&
               report_seconds > 0)
        ;
      else
        return usage(argv[0]);
    }

    asio::io_context ioc;
    memory_site->library = library_description(ioc);
    server s(ioc, tcp::endpoint(asio::ip::make_address(address),
                                static_cast<unsigned short>(port)),
             memory_site);
    if (report_seconds > 0)
      s.report_every(std::chrono::seconds(report_seconds));
    std::printf("http_server: listening on %s\n", url(s.local_endpoint()).c_str());
    std::printf("http_server: %s, %lu thread%s, %s; Ctrl+C stops it\n",
                memory_site->library.c_str(), threads, threads == 1 ? "" : "s",
                memory_site->doc_root.empty() ? "in-memory pages"
                                              : ("doc root " + memory_site->doc_root).c_str());
    std::fflush(stdout);
    run_threads(ioc, static_cast<unsigned>(threads));
    std::printf("http_server: stopped\n");
    return 0;
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "http_server: %s\n", e.what());
    return 1;
  }
}
