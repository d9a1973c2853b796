//
// http_client.cpp
//
// An asynchronous HTTP/1.1 client written the usual Beast way: resolve the host with Asio's
// resolver, connect the tcp_stream to the first endpoint that answers (tcp_stream::async_connect
// over the resolver's results), write a GET, read the response, print it, shut down. One
// deadline covers each step.
//
// The build makes two programs of example/http_client.cpp: one on boost_sockn's sockets and
// tcp_stream, and its Asio original on Asio's sockets and Beast's tcp_stream, derived by putting
// Asio's and Beast's lines back under "The networking library" below and Beast's namespace in
// front of each tcp_stream. Nothing else differs; in the boost_sockn program the connect goes
// through boost_sockn::async_connect.
//
// Usage:
//   http_client HOST PORT TARGET      prints the status line and the body; exit status 0 for a
//                                     2xx response, 1 for any other status or an error
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

// The networking library: the boost_sockn and Asio programs differ in these two lines only (and
// in the namespace of tcp_stream).
#include <boost_sockn/beast.hpp>
using tcp = boost_sockn::ip::tcp;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

constexpr std::chrono::seconds step_timeout(30);

class client : public std::enable_shared_from_this<client>
{
public:
  explicit client(asio::io_context& ioc) : resolver_(ioc), stream_(ioc) {}

  void start(const std::string& host, const std::string& port, const std::string& target)
  {
    request_ = http::request<http::empty_body>{http::verb::get, target, 11};
    request_.set(http::field::host, host);
    request_.set(http::field::user_agent, BOOST_BEAST_VERSION_STRING);
    resolver_.async_resolve(host, port,
      [self = shared_from_this()](error_code ec, tcp::resolver::results_type results) {
        if (ec)
          return self->fail("resolve", ec);
        self->stream_.expires_after(step_timeout);
        self->stream_.async_connect(results,
          [self](error_code ec, const tcp::endpoint&) {
            if (ec)
              return self->fail("connect", ec);
            self->write();
          });
      });
  }

  // 0 for a 2xx response, 1 otherwise.
  int status() const { return status_; }

private:
  void write()
  {
    stream_.expires_after(step_timeout);
    http::async_write(stream_, request_,
      [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec)
          return self->fail("write", ec);
        self->read();
      });
  }

  void read()
  {
    stream_.expires_after(step_timeout);
    http::async_read(stream_, buffer_, response_,
      [self = shared_from_this()](error_code ec, std::size_t) {
        if (ec)
          return self->fail("read", ec);
        self->done();
      });
  }

  void done()
  {
    std::printf("HTTP/%u.%u %u %s\n", response_.version() / 10, response_.version() % 10,
                response_.result_int(), std::string(response_.reason()).c_str());
    std::fwrite(response_.body().data(), 1, response_.body().size(), stdout);
    std::fflush(stdout);
    const unsigned code = response_.result_int();
    status_ = code >= 200 && code < 300 ? 0 : 1;

    // The peer may already have closed its end: a failed shutdown changes nothing here.
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  void fail(const char* what, error_code ec)
  {
    std::fprintf(stderr, "http_client: %s: %s\n", what, ec.message().c_str());
  }

  tcp::resolver resolver_;
  boost_sockn::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> request_;
  http::response<http::string_body> response_;
  int status_ = 1;
};

} // namespace

int main(int argc, char* argv[])
{
  if (argc != 4)
  {
    std::fprintf(stderr, "usage: %s HOST PORT TARGET\n   e.g. %s 127.0.0.1 8080 /hello\n",
                 argv[0], argv[0]);
    return 2;
  }
  try
  {
    asio::io_context ioc;
    auto c = std::make_shared<client>(ioc);
    c->start(argv[1], argv[2], argv[3]);
    ioc.run();
    return c->status();
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "http_client: %s\n", e.what());
    return 1;
  }
}
