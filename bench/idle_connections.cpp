//
// bench/idle_connections.cpp
//
// Opens N keep-alive HTTP/1.1 connections to a server, sends one GET on each, reads each
// response whole, then holds every connection open and idle until SIGINT/SIGTERM (or --hold
// seconds). bench/run_http_bench.sh runs it against the example HTTP servers to measure the
// server's resident memory per idle keep-alive connection: the server's RSS is read once this
// program reports that all N connections are open and idle.
//
// Plain Boost.Asio on one thread: the client must be the same for both servers under test.
//
// Output (stdout), one line each:
//   idle_connections: ready: N connections open and idle, F failed (S s to establish)
//       once every connection has had its response; with --ready-file F, F is created then too
//   idle_connections: done: N open, M closed by the server, E errors
//       on exit; a connection that the server closes while it should be idle counts in M
//       (the measurement would then have missed it), and the exit status is 3
//
// Usage:
//   idle_connections --port P [--address A] [--connections N] [--target PATH]
//                    [--in-flight K] [--ready-file F] [--hold S]
//     --connections  N (default 10000)
//     --target       the path to GET (default /hello)
//     --in-flight    connections being set up at once (default 200): keeps the server's listen
//                    backlog from overflowing, which would cost SYN retransmissions (1 s and more)
//     --hold         seconds to stay idle after "ready" before exiting on our own (default 600;
//                    0: exit as soon as ready)
// The process needs more than N descriptors: raise `ulimit -n` first.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

struct options
{
  std::string address = "127.0.0.1";
  unsigned short port = 0;
  std::size_t connections = 10000;
  std::string target = "/hello";
  std::size_t in_flight = 200;
  std::string ready_file;
  long hold_seconds = 600;
};

class client;

// What every connection reports to.
struct tally
{
  asio::io_context& ioc;
  const options& opt;
  tcp::endpoint endpoint;
  std::string request;
  std::vector<std::unique_ptr<client>> clients;
  std::size_t started = 0;
  std::size_t answered = 0;    // responses read
  std::size_t idle = 0;        // response read, connection still open
  std::size_t closed_by_server = 0;
  std::size_t errors = 0;
  std::string first_error;
  bool ready = false;
  bool finishing = false;
  clock_type::time_point start = clock_type::now();
  asio::steady_timer hold_timer{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};

  tally(asio::io_context& c, const options& o) : ioc(c), opt(o) {}

  void start_next();
  void on_idle();
  void on_failed(const char* what, const error_code& ec);
  void on_closed();
  void finish();
};

class client
{
public:
  explicit client(tally& t) : tally_(t), socket_(t.ioc) {}

  void start()
  {
    socket_.async_connect(tally_.endpoint, [this](error_code ec) {
      if (ec)
        return tally_.on_failed("connect", ec);
      // Small requests and responses: no Nagle delay on either.
      socket_.set_option(tcp::no_delay(true), ec);
      asio::async_write(socket_, asio::buffer(tally_.request),
        [this](error_code ec, std::size_t) {
          if (ec)
            return tally_.on_failed("write", ec);
          read_head();
        });
    });
  }

  void close()
  {
    error_code ignored;
    socket_.close(ignored);
  }

private:
  void read_head()
  {
    asio::async_read_until(socket_, asio::dynamic_buffer(buffer_), "\r\n\r\n",
      [this](error_code ec, std::size_t head_size) {
        if (ec)
          return tally_.on_failed("read (head)", ec);
        if (buffer_.compare(0, 12, "HTTP/1.1 200") != 0)
          return tally_.on_failed(("status: " + buffer_.substr(0, buffer_.find('\r'))).c_str(),
                                  error_code());
        const std::size_t length = content_length(buffer_.substr(0, head_size));
        if (length == npos)
          return tally_.on_failed("response without Content-Length", error_code());
        const std::size_t have = buffer_.size() - head_size;
        if (have >= length)
          return become_idle();
        buffer_.resize(head_size + length);
        asio::async_read(socket_, asio::buffer(&buffer_[head_size + have], length - have),
          [this](error_code ec, std::size_t) {
            if (ec)
              return tally_.on_failed("read (body)", ec);
            become_idle();
          });
      });
  }

  void become_idle()
  {
    std::string().swap(buffer_);
    tally_.on_idle();
    // A read stays pending: it completes only if the server closes the connection (or sends
    // something it should not), which the measurement has to know about.
    socket_.async_read_some(asio::buffer(probe_), [this](error_code ec, std::size_t) {
      if (ec == asio::error::operation_aborted)
        return;
      tally_.on_closed();
    });
  }

  static constexpr std::size_t npos = std::string::npos;

  static std::size_t content_length(const std::string& head)
  {
    // Field names are case-insensitive.
    std::string lower = head;
    for (auto& c : lower)
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    const auto at = lower.find("\r\ncontent-length:");
    if (at == npos)
      return npos;
    return std::strtoul(lower.c_str() + at + 17, nullptr, 10);
  }

  tally& tally_;
  tcp::socket socket_;
  std::string buffer_;
  char probe_[1];
};

void tally::start_next()
{
  if (started == opt.connections)
    return;
  clients.push_back(std::make_unique<client>(*this));
  ++started;
  clients.back()->start();
}

void tally::on_idle()
{
  ++answered;
  ++idle;
  if (answered + errors == opt.connections && !ready)
  {
    ready = true;
    const double s = std::chrono::duration<double>(clock_type::now() - start).count();
    std::printf("idle_connections: ready: %zu connections open and idle, %zu failed "
                "(%.2f s to establish)\n",
                idle, errors, s);
    std::fflush(stdout);
    if (!opt.ready_file.empty())
      std::ofstream(opt.ready_file) << idle << '\n';
    if (opt.hold_seconds <= 0)
      return finish();
    hold_timer.expires_after(std::chrono::seconds(opt.hold_seconds));
    hold_timer.async_wait([this](error_code ec) {
      if (!ec)
        finish();
    });
    return;
  }
  start_next();
}

void tally::on_failed(const char* what, const error_code& ec)
{
  if (errors++ == 0)
    first_error = std::string(what) + (ec ? ": " + ec.message() : std::string());
  // A failed set-up is not retried: the run reports it and the script discards the figure.
  if (answered + errors == opt.connections)
  {
    std::printf("idle_connections: %zu of %zu connections failed (first: %s)\n", errors,
                opt.connections, first_error.c_str());
    std::fflush(stdout);
    return finish();
  }
  start_next();
}

void tally::on_closed()
{
  // Our own close in finish() completes the pending reads too, not always with
  // operation_aborted (Windows reports some as reset connections).
  if (finishing)
    return;
  ++closed_by_server;
  --idle;
}

void tally::finish()
{
  finishing = true;
  error_code ignored;
  signals.cancel(ignored);
  hold_timer.cancel();
  for (auto& c : clients)
    c->close();
  ioc.stop();
}

bool parse_number(const char* text, unsigned long max, unsigned long& value)
{
  char* end = nullptr;
  value = std::strtoul(text, &end, 10);
  return *text != '\0' && *end == '\0' && value <= max;
}

int usage()
{
  std::fprintf(stderr,
               "usage: idle_connections --port P [--address A] [--connections N] "
               "[--target PATH]\n"
               "                        [--in-flight K] [--ready-file F] [--hold S]\n");
  return 2;
}

} // namespace

int main(int argc, char* argv[])
{
  options opt;
  for (int i = 1; i < argc; i += 2)
  {
    const std::string name = argv[i];
    if (i + 1 >= argc)
      return usage();
    const char* value = argv[i + 1];
    unsigned long n = 0;
    if (name == "--address")
      opt.address = value;
    else if (name == "--port" && parse_number(value, 65535, n) && n > 0)
      opt.port = static_cast<unsigned short>(n);
    else if (name == "--connections" && parse_number(value, 1000000, n) && n > 0)
      opt.connections = n;
    else if (name == "--target" && value[0] == '/')
      opt.target = value;
    else if (name == "--in-flight" && parse_number(value, 100000, n) && n > 0)
      opt.in_flight = n;
    else if (name == "--ready-file")
      opt.ready_file = value;
    else if (name == "--hold" && parse_number(value, 86400, n))
      opt.hold_seconds = static_cast<long>(n);
    else
      return usage();
  }
  if (opt.port == 0)
    return usage();

  try
  {
    asio::io_context ioc(1);
    tally t(ioc, opt);
    t.endpoint = tcp::endpoint(asio::ip::make_address(opt.address), opt.port);
    t.request = "GET " + opt.target + " HTTP/1.1\r\nHost: " + opt.address +
                "\r\nUser-Agent: idle_connections\r\nConnection: keep-alive\r\n\r\n";
    t.clients.reserve(opt.connections);
    t.signals.async_wait([&t](error_code ec, int) {
      if (!ec)
        t.finish();
    });
    for (std::size_t i = 0; i < opt.in_flight && i < opt.connections; ++i)
      t.start_next();
    ioc.run();

    std::printf("idle_connections: done: %zu open, %zu closed by the server, %zu errors%s%s\n",
                t.idle, t.closed_by_server, t.errors, t.errors ? " (first: " : "",
                t.errors ? (t.first_error + ")").c_str() : "");
    std::fflush(stdout);
    if (t.errors)
      return 1;
    return t.closed_by_server ? 3 : 0;
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "idle_connections: %s\n", e.what());
    return 1;
  }
}
