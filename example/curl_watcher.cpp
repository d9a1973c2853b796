//
// curl_watcher.cpp
//
// libcurl's multi socket API driven by boost_sockn: curl opens, reads, writes and closes its
// sockets itself and only says which ones it wants watched for what (CURLMOPT_SOCKETFUNCTION) and
// when it next needs a timeout (CURLMOPT_TIMERFUNCTION). A boost_sockn::socket_watcher waits on
// each socket it does not own, an Asio steady_timer carries the timeout, and every readiness or
// expiry is handed back to curl_multi_socket_action(). Several URLs are fetched concurrently on
// one thread.
//
// Usage:
//   curl_watcher URL...             fetch the URLs concurrently, print status and size of each;
//                                   exit status 0 if every transfer completed
//   curl_watcher --self-test [K]    serve a known body per path from an in-process HTTP server
//                                   (a boost_sockn acceptor on a second io_context), fetch K of
//                                   them (default 8) and one missing path concurrently through
//                                   curl, check every body and status; exit status 0 if all right
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/boost_sockn.hpp>

#include <boost/asio.hpp>

#include <curl/curl.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

//--------------------------------------------------------------------------------------------------
// The driver: curl's socket and timer callbacks onto socket_watcher and steady_timer.
//--------------------------------------------------------------------------------------------------

struct transfer
{
  std::string url;
  CURL* easy = nullptr;
  std::string body;
  long status = 0;
  CURLcode result = CURLE_OK;
  bool done = false;
};

class curl_driver
{
public:
  explicit curl_driver(asio::io_context& ioc) : ioc_(ioc), timer_(ioc), multi_(curl_multi_init())
  {
    if (!multi_)
      throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &curl_driver::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &curl_driver::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }

  ~curl_driver()
  {
    on_finished = nullptr; // whatever it refers to may be gone already
    stop_watching();
    for (auto& t : transfers_)
      if (t->easy)
      {
        curl_multi_remove_handle(multi_, t->easy);
        curl_easy_cleanup(t->easy);
      }
    // Closes the cached connections; the callbacks see finished_ and leave them alone.
    curl_multi_cleanup(multi_);
  }

  curl_driver(const curl_driver&) = delete;
  curl_driver& operator=(const curl_driver&) = delete;

  void add(const std::string& url, bool bypass_proxy)
  {
    auto t = std::make_unique<transfer>();
    t->url = url;
    t->easy = curl_easy_init();
    if (!t->easy)
      throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url.c_str());
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, &curl_driver::on_data);
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 1L);
    if (bypass_proxy)
      curl_easy_setopt(t->easy, CURLOPT_NOPROXY, "*");
    transfers_.push_back(std::move(t));
    ++active_;
    // Starts nothing yet: curl asks for a timeout, whose expiry (from io_context::run) starts it.
    CURLMcode rc = curl_multi_add_handle(multi_, transfers_.back()->easy);
    if (rc != CURLM_OK)
      throw std::runtime_error(std::string("curl_multi_add_handle: ") + curl_multi_strerror(rc));
  }

  const std::vector<std::unique_ptr<transfer>>& transfers() const { return transfers_; }

  /// Called once, when the last transfer has completed.
  std::function<void()> on_finished;

  /// What is still pending, for a run that took too long.
  void report_pending() const
  {
    for (const auto& t : transfers_)
      if (!t->done)
        std::fprintf(stderr, "  pending: %s, %zu bytes so far\n", t->url.c_str(), t->body.size());
    for (const auto& entry : sockets_)
      std::fprintf(stderr, "  socket %ld: curl wants%s%s, waiting for%s%s\n",
                   static_cast<long>(entry.first),
                   entry.second->wanted & CURL_POLL_IN ? " read" : "",
                   entry.second->wanted & CURL_POLL_OUT ? " write" : "",
                   entry.second->waiting[0] ? " read" : "", entry.second->waiting[1] ? " write" : "");
  }

private:
  // One socket curl asked us to watch.
  struct watched
  {
    watched(asio::io_context& ioc, curl_socket_t s) : watcher(ioc, s), socket(s) {}

    boost_sockn::socket_watcher watcher;
    curl_socket_t socket;
    int wanted = CURL_POLL_NONE;               // what curl asked for last
    bool waiting[2] = {false, false};          // a wait_read / wait_write is pending
  };

  static int on_socket(CURL*, curl_socket_t s, int what, void* userp, void*)
  {
    auto* self = static_cast<curl_driver*>(userp);
    if (self->finished_)
      return 0;
    if (what == CURL_POLL_REMOVE)
    {
      self->forget(s);
      return 0;
    }
    auto it = self->sockets_.find(s);
    if (it == self->sockets_.end())
    {
      try
      {
        it = self->sockets_.emplace(s, std::make_shared<watched>(self->ioc_, s)).first;
      }
      catch (const std::exception& e)
      {
        std::fprintf(stderr, "cannot watch socket %ld: %s\n", static_cast<long>(s), e.what());
        return -1; // curl fails the transfers on this socket
      }
    }
    it->second->wanted = what;
    self->arm(it->second);
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* userp)
  {
    auto* self = static_cast<curl_driver*>(userp);
    if (self->finished_)
      return 0;
    if (timeout_ms < 0)
    {
      self->timer_.cancel();
      return 0;
    }
    // curl must not be re-entered from its own callback: even a zero timeout goes through the
    // timer, which completes from io_context::run().
    self->timer_.expires_after(std::chrono::milliseconds(timeout_ms));
    self->timer_.async_wait([self](error_code ec) {
      if (ec || self->finished_)
        return;
      int running = 0;
      curl_multi_socket_action(self->multi_, CURL_SOCKET_TIMEOUT, 0, &running);
      self->collect_finished();
    });
    return 0;
  }

  static std::size_t on_data(char* data, std::size_t size, std::size_t count, void* userp)
  {
    static_cast<transfer*>(userp)->body.append(data, size * count);
    return size * count;
  }

  // Curl closes the socket itself after this: release() stops the watch and leaves the socket
  // open for curl; a pending wait completes with operation_aborted and is ignored.
  void forget(curl_socket_t s)
  {
    auto it = sockets_.find(s);
    if (it == sockets_.end())
      return;
    error_code ignored;
    it->second->watcher.release(ignored);
    sockets_.erase(it);
  }

  void arm(const std::shared_ptr<watched>& w)
  {
    if ((w->wanted & CURL_POLL_IN) && !w->waiting[0])
      wait(w, 0);
    if ((w->wanted & CURL_POLL_OUT) && !w->waiting[1])
      wait(w, 1);
  }

  void wait(const std::shared_ptr<watched>& w, int direction)
  {
    static constexpr asio::socket_base::wait_type types[2] = {asio::socket_base::wait_read,
                                                              asio::socket_base::wait_write};
    static constexpr int poll_bits[2] = {CURL_POLL_IN, CURL_POLL_OUT};
    static constexpr int select_bits[2] = {CURL_CSELECT_IN, CURL_CSELECT_OUT};

    w->waiting[direction] = true;
    w->watcher.async_wait(types[direction], [this, w, direction](error_code ec) {
      w->waiting[direction] = false;
      // Aborted: curl removed the socket (released) or we are finishing.
      if (ec || finished_ || !w->watcher.is_open())
        return;
      // Curl may have changed its mind while the wait was pending.
      if (!(w->wanted & poll_bits[direction]))
        return;
      int running = 0;
      curl_multi_socket_action(multi_, w->socket, select_bits[direction], &running);
      collect_finished();
      // Unless curl removed the socket meanwhile, wait again for what it still wants.
      if (!finished_ && w->watcher.is_open())
        arm(w);
    });
  }

  void collect_finished()
  {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left))
    {
      if (msg->msg != CURLMSG_DONE)
        continue;
      CURL* easy = msg->easy_handle;
      const CURLcode result = msg->data.result;
      char* private_data = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &private_data);
      transfer* t = reinterpret_cast<transfer*>(private_data);
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &t->status);
      t->result = result;
      t->done = true;
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
      t->easy = nullptr;
      if (result == CURLE_OK)
        std::printf("%3ld %9zu bytes  %s\n", t->status, t->body.size(), t->url.c_str());
      else
        std::printf("error %s  %s\n", curl_easy_strerror(result), t->url.c_str());
      std::fflush(stdout);
      --active_;
    }
    if (active_ == 0)
      stop_watching();
  }

  // Nothing left to fetch: no wait or timer may keep io_context::run() going.
  void stop_watching()
  {
    if (!finished_ && on_finished)
      on_finished();
    finished_ = true;
    timer_.cancel();
    for (auto& entry : sockets_)
    {
      error_code ignored;
      entry.second->watcher.release(ignored);
    }
    sockets_.clear();
  }

  asio::io_context& ioc_;
  asio::steady_timer timer_;
  CURLM* multi_;
  std::map<curl_socket_t, std::shared_ptr<watched>> sockets_;
  std::vector<std::unique_ptr<transfer>> transfers_;
  std::size_t active_ = 0;
  bool finished_ = false;
};

//--------------------------------------------------------------------------------------------------
// --self-test: a small keep-alive HTTP/1.1 server with a known body per path.
//--------------------------------------------------------------------------------------------------

using tcp = boost_sockn::ip::tcp;

// The body served for /k: sizes from a kilobyte to most of a megabyte, so that curl reads
// each response in many pieces.
std::string body_for(unsigned k)
{
  std::string s(1000 + static_cast<std::size_t>(k) * 97531u, '\0');
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<char>('a' + (i * 7 + k) % 26);
  return s;
}

// What the server has done, for the report of a self-test that hangs.
struct server_counters
{
  std::atomic<unsigned> accepted{0};
  std::atomic<unsigned> requests{0};
  std::atomic<unsigned> responses{0};
};

class http_session : public std::enable_shared_from_this<http_session>
{
public:
  http_session(tcp::socket socket, server_counters& counters)
    : socket_(std::move(socket)), counters_(counters)
  {
  }

  void start() { read_request(); }

  void stop()
  {
    error_code ignored;
    socket_.close(ignored);
  }

private:
  void read_request()
  {
    asio::async_read_until(socket_, asio::dynamic_buffer(in_), "\r\n\r\n",
      [self = shared_from_this()](error_code ec, std::size_t n) {
        if (!ec)
          self->respond(n);
      });
  }

  void respond(std::size_t request_size)
  {
    ++counters_.requests;
    const std::string request = in_.substr(0, request_size);
    in_.erase(0, request_size);

    // "GET /<k> HTTP/1.1": a number gets its body, anything else a 404.
    std::string status = "404 Not Found";
    body_ = "no such thing\n";
    const std::string prefix = "GET /";
    if (request.compare(0, prefix.size(), prefix) == 0)
    {
      const std::string path = request.substr(prefix.size(), request.find(' ', prefix.size()) - prefix.size());
      if (!path.empty() && path.size() < 6 && path.find_first_not_of("0123456789") == std::string::npos)
      {
        status = "200 OK";
        body_ = body_for(static_cast<unsigned>(std::stoul(path)));
      }
    }
    out_ = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " +
           std::to_string(body_.size()) + "\r\n\r\n";
    std::array<asio::const_buffer, 2> buffers = {asio::buffer(out_), asio::buffer(body_)};
    asio::async_write(socket_, buffers,
      [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec)
          return;
        ++self->counters_.responses;
        self->read_request();
      });
  }

  tcp::socket socket_;
  server_counters& counters_;
  std::string in_, out_, body_;
};

class http_server
{
public:
  explicit http_server(asio::io_context& ioc)
    : acceptor_(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
  {
    accept();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  server_counters counters;

  // From any thread; the server's io_context then runs out of work.
  void stop()
  {
    asio::post(acceptor_.get_executor(), [this] {
      error_code ignored;
      acceptor_.close(ignored);
      for (auto& w : sessions_)
        if (auto s = w.lock())
          s->stop();
    });
  }

private:
  void accept()
  {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (!acceptor_.is_open())
        return;
      if (!ec)
      {
        ++counters.accepted;
        auto s = std::make_shared<http_session>(std::move(socket), counters);
        sessions_.push_back(s);
        s->start();
      }
      accept();
    });
  }

  tcp::acceptor acceptor_;
  std::vector<std::weak_ptr<http_session>> sessions_;
};

int self_test(unsigned count)
{
  asio::io_context server_ioc;
  http_server server(server_ioc);
  std::thread server_thread([&server_ioc] { server_ioc.run(); });
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/";

  bool ok = true;
  {
    asio::io_context ioc;
    curl_driver driver(ioc);
    for (unsigned k = 0; k < count; ++k)
      driver.add(base + std::to_string(k), true);
    driver.add(base + "missing", true);

    // A hang would otherwise say nothing: after a minute, show what is stuck and give up.
    asio::steady_timer deadline(ioc, std::chrono::seconds(60));
    deadline.async_wait([&](error_code ec) {
      if (ec)
        return;
      ok = false;
      std::fprintf(stderr, "self-test timed out; still pending:\n");
      driver.report_pending();
      std::fprintf(stderr, "  server: %u connections accepted, %u requests read, %u responses written\n",
                   server.counters.accepted.load(), server.counters.requests.load(),
                   server.counters.responses.load());
      ioc.stop();
    });
    driver.on_finished = [&deadline] { deadline.cancel(); };
    ioc.run();

    const auto& transfers = driver.transfers();
    for (std::size_t k = 0; k < transfers.size(); ++k)
    {
      const transfer& t = *transfers[k];
      const bool missing = k == count;
      const long want_status = missing ? 404 : 200;
      const std::string want_body = missing ? "no such thing\n" : body_for(static_cast<unsigned>(k));
      if (!t.done || t.result != CURLE_OK || t.status != want_status || t.body != want_body)
      {
        ok = false;
        std::fprintf(stderr, "%s: done %d, %s, status %ld (want %ld), %zu bytes (want %zu)%s\n",
                     t.url.c_str(), t.done, curl_easy_strerror(t.result), t.status, want_status,
                     t.body.size(), want_body.size(),
                     t.body.size() == want_body.size() && t.body != want_body ? ", different bytes" : "");
      }
    }
    const auto& r = asio::use_service<boost_sockn::reactor>(ioc);
    std::printf("curl side: reactor backend %s, policy %s\n", boost_sockn::to_string(r.backend()),
                boost_sockn::to_string(r.policy()));
  } // the driver's destructor closes curl's cached connections: the server sees them end

  server.stop();
  server_thread.join();
  std::printf("self-test %s\n", ok ? "passed" : "FAILED");
  return ok ? 0 : 1;
}

int fetch(int argc, char* argv[])
{
  asio::io_context ioc;
  curl_driver driver(ioc);
  for (int i = 1; i < argc; ++i)
    driver.add(argv[i], false);
  ioc.run();
  for (const auto& t : driver.transfers())
    if (!t->done || t->result != CURLE_OK)
      return 1;
  return 0;
}

} // namespace

int main(int argc, char* argv[])
{
  if (argc < 2 || std::string(argv[1]) == "--help")
  {
    std::fprintf(stderr, "usage: %s URL...\n       %s --self-test [COUNT]\n", argv[0], argv[0]);
    return 2;
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
  {
    std::fprintf(stderr, "curl_global_init failed\n");
    return 1;
  }
  int status = 1;
  try
  {
    if (std::string(argv[1]) == "--self-test")
    {
      unsigned long count = 8;
      char* end = nullptr;
      if (argc > 3 || (argc == 3 && ((count = std::strtoul(argv[2], &end, 10)), *end || count == 0 || count > 64)))
      {
        std::fprintf(stderr, "usage: %s --self-test [COUNT (1..64)]\n", argv[0]);
        status = 2;
      }
      else
        status = self_test(static_cast<unsigned>(count));
    }
    else
      status = fetch(argc, argv);
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "curl_watcher: %s\n", e.what());
  }
  curl_global_cleanup();
  return status;
}
