//
// echo_server.cpp
//
// An asynchronous TCP echo server written the usual Asio way: an acceptor loop, one session per
// connection kept alive by shared_from_this, async_read_some then async_write, one io_context run
// by a pool of threads (each session and the acceptor on a strand), SIGINT/SIGTERM for a clean
// stop.
//
// The build makes two programs of example/echo_server.cpp: one on boost_sockn's readiness-based
// sockets, and its Asio original on Boost.Asio's own, which the build derives by putting Asio's
// lines back under "The networking library" below. Nothing else differs.
//
// Usage:
//   echo_server [PORT [THREADS]]      listen on 127.0.0.1:PORT (default 7777, 0 = any free port)
//                                     with THREADS threads (default 2) until SIGINT/SIGTERM
//   echo_server --self-test [CLIENT]  listen on a free port, echo through in-process clients and
//                                     check every byte; then, if CLIENT is given (an echo_client:
//                                     a path, or a file name in this executable's directory), run
//                                     it against the server too. Exit status 0 if all went right.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>

#if defined(_WIN32)
#include <windows.h>
#endif

// The networking library: the boost_sockn and Asio programs differ in these two lines only.
#include <boost_sockn/boost_sockn.hpp>
using tcp = boost_sockn::ip::tcp;

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

class session : public std::enable_shared_from_this<session>
{
public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}

  void start() { do_read(); }

  // Callable from any thread: the close runs on the session's strand, like its handlers.
  void stop()
  {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      error_code ignored;
      self->socket_.close(ignored);
    });
  }

private:
  void do_read()
  {
    socket_.async_read_some(asio::buffer(data_),
      [self = shared_from_this()](error_code ec, std::size_t n) {
        if (!ec)
          self->do_write(n);
      });
  }

  void do_write(std::size_t n)
  {
    asio::async_write(socket_, asio::buffer(data_, n),
      [self = shared_from_this()](error_code ec, std::size_t) {
        if (!ec)
          self->do_read();
      });
  }

  tcp::socket socket_;
  std::array<char, 16384> data_;
};

class server
{
public:
  server(asio::io_context& ioc, const tcp::endpoint& endpoint)
    : ioc_(ioc),
      acceptor_(asio::make_strand(ioc), endpoint),
      signals_(acceptor_.get_executor(), SIGINT, SIGTERM)
  {
    signals_.async_wait([this](error_code ec, int) {
      if (!ec)
        close();
    });
    do_accept();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  // Callable from any thread; once every session has ended, io_context::run() returns.
  void stop()
  {
    asio::post(acceptor_.get_executor(), [this] { close(); });
  }

private:
  void do_accept()
  {
    // Each accepted socket gets a strand of its own, so that stop() cannot race its handlers.
    acceptor_.async_accept(asio::make_strand(ioc_),
      [this](error_code ec, tcp::socket socket) {
        if (!acceptor_.is_open())
          return;
        if (!ec)
        {
          auto s = std::make_shared<session>(std::move(socket));
          forget_ended_sessions();
          sessions_.push_back(s);
          s->start();
        }
        do_accept();
      });
  }

  void forget_ended_sessions()
  {
    std::vector<std::weak_ptr<session>> live;
    for (auto& w : sessions_)
      if (!w.expired())
        live.push_back(w);
    sessions_.swap(live);
  }

  // Runs on the acceptor's strand (the signal handler shares it).
  void close()
  {
    error_code ignored;
    signals_.cancel(ignored);
    acceptor_.close(ignored);
    for (auto& w : sessions_)
      if (auto s = w.lock())
        s->stop();
    sessions_.clear();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::vector<std::weak_ptr<session>> sessions_;
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

//--------------------------------------------------------------------------------------------------
// --self-test
//--------------------------------------------------------------------------------------------------

std::string pattern(int client, std::size_t round, std::size_t size)
{
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    s[i] = static_cast<char>('a' + (i * 7 + round * 3 + static_cast<std::size_t>(client)) % 26);
  return s;
}

// One in-process client: messages of growing size, each echo read while the message is still
// being written (a large message would otherwise fill both socket buffers and stall), then a
// half-close, after which the server must close its end too.
class test_client : public std::enable_shared_from_this<test_client>
{
public:
  test_client(asio::io_context& ioc, tcp::endpoint server, int id, std::atomic<int>& failures,
              std::atomic<std::size_t>& echoed)
    : socket_(ioc), server_(server), id_(id), failures_(failures), echoed_(echoed)
  {
  }

  void start()
  {
    socket_.async_connect(server_, [self = shared_from_this()](error_code ec) {
      if (ec)
        return self->fail("connect", ec);
      self->next_round();
    });
  }

  // For a run that took too long: a client that has not finished counts as failed.
  void give_up()
  {
    if (!done_)
      fail(halves_left_ == 2 ? "echo (write and read pending)"
                             : "echo (one of write and read pending)",
           asio::error::timed_out);
  }

private:
  static constexpr std::size_t sizes[] = {1, 1000, 100000, 1 << 20};

  void next_round()
  {
    if (round_ == std::size(sizes))
      return finish();
    sent_ = pattern(id_, round_, sizes[round_]);
    received_.assign(sent_.size(), '\0');
    halves_left_ = 2;
    asio::async_write(socket_, asio::buffer(sent_),
      [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec)
          return self->fail("write", ec);
        self->half_done();
      });
    asio::async_read(socket_, asio::buffer(received_),
      [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec)
          return self->fail("read", ec);
        self->half_done();
      });
  }

  void half_done()
  {
    if (failed_ || --halves_left_ > 0)
      return;
    if (received_ != sent_)
      return fail("compare", asio::error::invalid_argument);
    echoed_ += sent_.size();
    ++round_;
    next_round();
  }

  void finish()
  {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
      return fail("shutdown", ec);
    socket_.async_read_some(asio::buffer(one_byte_),
      [self = shared_from_this()](error_code ec, std::size_t n) {
        if (ec != asio::error::eof)
          return self->fail("closing read (expected eof)",
                            ec ? ec : asio::error::message_size, n);
        self->done_ = true;
      });
  }

  void fail(const char* what, error_code ec, std::size_t n = 0)
  {
    if (failed_)
      return;
    failed_ = true;
    done_ = true;
    ++failures_;
    std::fprintf(stderr, "client %d, round %zu: %s failed: %s (%zu bytes)\n", id_, round_, what,
                 ec.message().c_str(), n);
    error_code ignored;
    socket_.close(ignored);
  }

  tcp::socket socket_;
  tcp::endpoint server_;
  int id_;
  std::atomic<int>& failures_;
  std::atomic<std::size_t>& echoed_;
  std::size_t round_ = 0;
  int halves_left_ = 0;
  bool failed_ = false;
  bool done_ = false;
  std::string sent_, received_;
  std::array<char, 1> one_byte_;
};

// Runs the echo_client CLIENT (a path, or a file name looked up in this executable's
// directory) against the server, with std::system.
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
  std::string command = "\"" + path + "\" 127.0.0.1 " + std::to_string(port) + " 100";
  std::printf("running %s\n", command.c_str());
  std::fflush(stdout);
#if defined(_WIN32)
  // Not std::system: the client would inherit this process's sockets (inheritable by default on
  // Windows), among them the one Asio has already created for the next AcceptEx. The client would
  // then hold the server's end of its own connection open and wait forever for it to close.
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
  asio::io_context ioc;
  server s(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const unsigned short port = s.port();
  std::thread server_threads([&ioc] { run_threads(ioc, 2); });

  const int client_count = 8;
  std::atomic<int> failures{0};
  std::atomic<std::size_t> echoed{0};
  {
    asio::io_context clients;
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    std::vector<std::shared_ptr<test_client>> all;
    for (int i = 0; i < client_count; ++i)
    {
      all.push_back(std::make_shared<test_client>(clients, endpoint, i, failures, echoed));
      all.back()->start();
    }
    // A hang must fail the test with a report, not stall it: a minute is ample.
    clients.run_for(std::chrono::seconds(60));
    for (auto& c : all)
      c->give_up();
  }
  std::printf("%d in-process clients: %zu bytes echoed, %d failed\n", client_count,
              echoed.load(), failures.load());

  int client_status = 0;
  if (client)
  {
    client_status = run_client_process(argv0, client, port);
    std::printf("%s exited with status %d\n", client, client_status);
  }

  s.stop();
  server_threads.join();

  const bool ok = failures == 0 && client_status == 0;
  std::printf("self-test %s\n", ok ? "passed" : "FAILED");
  return ok ? 0 : 1;
}

bool parse_number(const char* text, unsigned long max, unsigned long& value)
{
  char* end = nullptr;
  value = std::strtoul(text, &end, 10);
  return *text != '\0' && *end == '\0' && value <= max;
}

} // namespace

int main(int argc, char* argv[])
{
  try
  {
    if (argc >= 2 && std::string(argv[1]) == "--self-test" && argc <= 3)
      return self_test(argv[0], argc == 3 ? argv[2] : nullptr);

    unsigned long port = 7777, threads = 2;
    if (argc > 3 || (argc >= 2 && !parse_number(argv[1], 65535, port)) ||
        (argc == 3 && (!parse_number(argv[2], 1024, threads) || threads == 0)))
    {
      std::fprintf(stderr, "usage: %s [PORT [THREADS]]\n       %s --self-test [CLIENT]\n",
                   argv[0], argv[0]);
      return 2;
    }

    asio::io_context ioc;
    server s(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                static_cast<unsigned short>(port)));
    std::printf("echo server on 127.0.0.1:%u, %lu threads (Ctrl+C stops it)\n",
                static_cast<unsigned>(s.port()), threads);
    std::fflush(stdout);
    run_threads(ioc, static_cast<unsigned>(threads));
    std::printf("echo server stopped\n");
    return 0;
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "echo_server: %s\n", e.what());
    return 1;
  }
}
