//
// websocket_server.cpp
//
// A WebSocket echo server written the usual Beast way: an acceptor loop, one session per
// connection (on a strand of its own) that accepts the WebSocket handshake, then reads a message
// and writes it back as it came (text as text, binary as binary) until the peer closes.
// WebSocket's own timeouts guard the handshake and idle connections (an idle peer is pinged at
// half the idle timeout and closed at the full one if it has not answered). SIGINT/SIGTERM stop it
// cleanly: the acceptor closes, every connection gets a close frame ("going away"),
// io_context::run() returns, exit status 0.
//
// The build makes two programs of example/websocket_server.cpp: one on boost_sockn's sockets
// and tcp_stream, and its Asio original on Asio's sockets and Beast's tcp_stream, derived by
// putting Asio's and Beast's lines back under "The networking library" below and Beast's
// namespace in front of each tcp_stream. Nothing else differs.
//
// Usage:
//   websocket_server [--address A] [--port P] [--threads N] [--message-limit B]
//                    [--handshake-timeout S] [--idle-timeout S] [--max-connections N]
//       listen on A (default 127.0.0.1) port P (default 8081; 0 = any free port) with N threads
//       (default 1) until SIGINT/SIGTERM; prints "websocket_server: listening on ws://A:P/".
//       The limits a client cannot exceed: a message of more than B bytes (--message-limit,
//       default 16777216, Beast's own) is refused with close code 1009 (too big); the
//       opening handshake, and the closing one, must be done within S seconds
//       (--handshake-timeout, default 30; it bounds how long a peer that never answers the
//       server's close frame can delay the exit); a connection silent for S seconds
//       (--idle-timeout, default 300; pinged at half of it) is closed; at most N connections
//       are open at once (--max-connections, default 0: no cap; a connection beyond the cap is
//       closed as soon as it is accepted).
//   websocket_server --self-test
//       serve on a free port, echo text and binary messages to in-process clients, check the
//       close handshake both ways; exit status 0 if all went right
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
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/version.hpp>
#include <boost/beast/websocket.hpp>

// The networking library: the boost_sockn and Asio programs differ in these two lines only (and
// in the namespace of tcp_stream).
#include <boost_sockn/beast.hpp>
using tcp = boost_sockn::ip::tcp;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using boost::system::error_code;

namespace {

// The limits every session keeps; the defaults are Beast's suggested server settings.
struct session_limits
{
  std::size_t message = 16 * 1024 * 1024;
  std::chrono::seconds handshake_timeout{30};
  std::chrono::seconds idle_timeout{300};
  // 0: no cap. Each connection holds a descriptor and a session; with a cap, a flood of idle
  // connections cannot take the descriptors the server needs to answer anyone.
  std::size_t max_connections = 0;
};

class session : public std::enable_shared_from_this<session>
{
public:
  session(tcp::socket&& socket, const session_limits& limits,
          std::shared_ptr<std::atomic<std::size_t>> open)
    : ws_(std::move(socket)), limits_(limits), open_(std::move(open))
  {
    ++*open_;
  }

  ~session() { --*open_; }

  void start()
  {
    // The WebSocket stream keeps its own deadlines (handshake, idle); the tcp_stream's would
    // only get in their way.
    beast::get_lowest_layer(ws_).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout = limits_.handshake_timeout;
    timeouts.idle_timeout = limits_.idle_timeout;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits_.message);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(http::field::server, BOOST_BEAST_VERSION_STRING " websocket_server");
    }));
    ws_.async_accept([self = shared_from_this()](error_code ec) {
      if (ec)
        return;
      self->state_ = state::open;
      if (self->stopping_)
        return self->close();
      self->do_read();
    });
  }

  // Callable from any thread; runs on the session's strand, like its handlers.
  void stop()
  {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->state_ == state::handshaking)
      {
        // No WebSocket yet to close politely: end the TCP connection, which ends the accept.
        beast::get_lowest_layer(self->ws_).close();
      }
      else if (self->state_ == state::open && !self->writing_)
        self->close();
      // While a write is in progress, its handler sees stopping_ and closes.
    });
  }

private:
  enum class state { handshaking, open, closing };

  void do_read()
  {
    ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
      // websocket::error::closed: the close handshake is done (Beast has answered the peer's
      // close frame, or the peer ours); anything else ends the session as well.
      if (ec)
        return;
      self->echo();
    });
  }

  void echo()
  {
    ws_.text(ws_.got_text());
    writing_ = true;
    ws_.async_write(buffer_.data(), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->writing_ = false;
      if (ec)
        return;
      self->buffer_.consume(n);
      if (self->stopping_)
        return self->close();
      self->do_read();
    });
  }

  // Our close frame; a read stays pending (Beast allows that) and completes with
  // websocket::error::closed once the peer has answered.
  void close()
  {
    if (state_ != state::open)
      return;
    state_ = state::closing;
    ws_.async_close(websocket::close_reason(websocket::close_code::going_away, "server stopping"),
                    [self = shared_from_this()](error_code) {});
  }

  websocket::stream<boost_sockn::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  session_limits limits_;
  // The server's count of open sessions: shared, as a session may outlive its server object.
  std::shared_ptr<std::atomic<std::size_t>> open_;
  state state_ = state::handshaking;
  bool writing_ = false;
  bool stopping_ = false;
};

class server
{
public:
  server(asio::io_context& ioc, const tcp::endpoint& endpoint, const session_limits& limits = {})
    : ioc_(ioc),
      limits_(limits),
      acceptor_(asio::make_strand(ioc), endpoint),
      signals_(acceptor_.get_executor(), SIGINT, SIGTERM)
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

private:
  void do_accept()
  {
    acceptor_.async_accept(asio::make_strand(ioc_),
      [this](error_code ec, tcp::socket socket) {
        if (!acceptor_.is_open())
          return;
        if (!ec && limits_.max_connections != 0 && open_->load() >= limits_.max_connections)
        {
          // Closed unread: the client sees the connection end at once, rather than wait on a
          // server that will not answer.
          error_code ignored;
          socket.close(ignored);
        }
        else if (!ec)
        {
          auto s = std::make_shared<session>(std::move(socket), limits_, open_);
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
    acceptor_.close(ignored);
    for (auto& w : sessions_)
      if (auto s = w.lock())
        s->stop();
    sessions_.clear();
  }

  asio::io_context& ioc_;
  session_limits limits_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::vector<std::weak_ptr<session>> sessions_;
  std::size_t prune_at_ = 64;
  std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
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

std::mutex report_mutex;
std::atomic<int> failures{0};

void check(bool ok, const std::string& what)
{
  std::lock_guard<std::mutex> lock(report_mutex);
  if (!ok)
    ++failures;
  std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
  std::fflush(stdout);
}

std::string pattern(int client, std::size_t size)
{
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    s[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(client) * 7) & 0xff);
  return s;
}

using client_stream = websocket::stream<boost_sockn::tcp_stream>;

// Blocking client calls: the client's context is never run.
void connect_client(client_stream& ws, const tcp::endpoint& server)
{
  beast::get_lowest_layer(ws).connect(server);
  ws.handshake("127.0.0.1:" + std::to_string(server.port()), "/");
}

// Text and binary messages of growing size, each echoed back as sent; then our close.
void echo_client(const tcp::endpoint& server, int id)
{
  const std::string who = "client " + std::to_string(id);
  try
  {
    asio::io_context ioc;
    client_stream ws(ioc);
    connect_client(ws, server);
    beast::flat_buffer buffer;
    bool all_ok = true;
    std::size_t messages = 0;
    for (std::size_t size : {std::size_t(0), std::size_t(5), std::size_t(1000),
                             std::size_t(70000), std::size_t(1) << 20})
    {
      for (bool text : {true, false})
      {
        const std::string sent = text ? std::string(size, char('a' + id % 26))
                                      : pattern(id, size);
        ws.text(text);
        ws.write(asio::buffer(sent));
        buffer.clear();
        ws.read(buffer);
        const bool ok = ws.got_text() == text && beast::buffers_to_string(buffer.data()) == sent;
        if (!ok)
          check(false, who + ": " + (text ? "text" : "binary") + " message of " +
                         std::to_string(size) + " bytes echoed wrong");
        all_ok = all_ok && ok;
        ++messages;
      }
    }
    check(all_ok, who + ": " + std::to_string(messages) +
                    " text and binary messages (0 to 1 MiB) echoed with their type");

    // A blocking close returns once the server's close frame has come back.
    error_code ec;
    ws.close(websocket::close_code::normal, ec);
    check(!ec && !ws.is_open(), who + ": our close answered by the server (" + ec.message() + ")");
  }
  catch (const std::exception& e)
  {
    check(false, who + ": exception: " + e.what());
  }
}

int self_test()
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

  try
  {
    asio::io_context ioc;
    server s(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto endpoint = s.local_endpoint();
    std::printf("websocket_server: listening on ws://127.0.0.1:%u/\n",
                static_cast<unsigned>(endpoint.port()));
    std::fflush(stdout);
    std::thread threads([&ioc] { run_threads(ioc, 2); });

    {
      std::vector<std::thread> clients;
      for (int id = 0; id < 4; ++id)
        clients.emplace_back([endpoint, id] { echo_client(endpoint, id); });
      for (auto& t : clients)
        t.join();
    }

    // The server's close: an open, idle connection gets "going away" when the server stops.
    asio::io_context idle_ioc;
    client_stream idle(idle_ioc);
    connect_client(idle, endpoint);
    idle.text(true);
    idle.write(asio::buffer(std::string("still here?")));
    beast::flat_buffer buffer;
    idle.read(buffer);
    check(beast::buffers_to_string(buffer.data()) == "still here?", "idle client: one echo");
    s.stop();
    error_code ec;
    buffer.clear();
    idle.read(buffer, ec);
    check(ec == websocket::error::closed &&
            idle.reason().code == websocket::close_code::going_away,
          "stop(): the server closes with going_away (" + ec.message() + ")");
    threads.join();
    check(true, "stop(): io_context::run() returned");
  }
  catch (const std::exception& e)
  {
    check(false, std::string("exception: ") + e.what());
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
               "usage: %s [--address A] [--port P] [--threads N] [--message-limit B]\n"
               "          [--handshake-timeout S] [--idle-timeout S] [--max-connections N]\n"
               "       %s --self-test\n"
               "  --message-limit B      refuse messages over B bytes, close code 1009 (16777216)\n"
               "  --handshake-timeout S  opening or closing handshake at most S s (30)\n"
               "  --idle-timeout S       close a connection silent for S s (300)\n"
               "  --max-connections N    close connections beyond N open at once (0: no cap)\n",
               argv0, argv0);
  return 2;
}

} // namespace

int main(int argc, char* argv[])
{
  try
  {
    if (argc == 2 && std::string(argv[1]) == "--self-test")
      return self_test();

    std::string address = "127.0.0.1";
    unsigned long port = 8081, threads = 1, value_read = 0;
    session_limits limits;
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
      else if (opt == "--message-limit" && parse_number(value, 0xffffffffUL, value_read) &&
               value_read > 0)
        limits.message = value_read;
      else if (opt == "--handshake-timeout" && parse_number(value, 86400, value_read) &&
               value_read > 0)
        limits.handshake_timeout = std::chrono::seconds(value_read);
      else if (opt == "--idle-timeout" && parse_number(value, 86400, value_read) &&
               value_read > 0)
        limits.idle_timeout = std::chrono::seconds(value_read);
      else if (opt == "--max-connections" && parse_number(value, 0xffffffffUL, value_read))
        limits.max_connections = value_read;
      else
        return usage(argv[0]);
    }

    asio::io_context ioc;
    server s(ioc, tcp::endpoint(asio::ip::make_address(address),
                                static_cast<unsigned short>(port)), limits);
    const auto ep = s.local_endpoint();
    const std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]"
                                                  : ep.address().to_string();
    std::printf("websocket_server: listening on ws://%s:%u/\n", host.c_str(),
                static_cast<unsigned>(ep.port()));
    std::printf("websocket_server: echo, %lu thread%s; Ctrl+C stops it\n", threads,
                threads == 1 ? "" : "s");
    std::fflush(stdout);
    run_threads(ioc, static_cast<unsigned>(threads));
    std::printf("websocket_server: stopped\n");
    return 0;
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "websocket_server: %s\n", e.what());
    return 1;
  }
}
