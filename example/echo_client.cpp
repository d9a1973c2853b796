//
// echo_client.cpp
//
// A blocking TCP echo client written the usual Asio way: resolve, connect to the first endpoint
// that answers, then write each message and read its echo back. It checks every byte, so it
// doubles as a test of an echo server.
//
// The build makes two programs of example/echo_client.cpp: one on boost_sockn's sockets, and its
// Asio original, derived by putting Asio's lines back under "The networking library" below.
// Nothing else differs.
//
// Usage:
//   echo_client HOST PORT [COUNT]     send COUNT messages (default 10) of varied sizes; exit
//                                     status 0 if every echo matched, 1 otherwise
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <boost/asio.hpp>

// The networking library: the boost_sockn and Asio programs differ in these two lines only.
#include <boost_sockn/boost_sockn.hpp>
using tcp = boost_sockn::ip::tcp;

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

std::string message(unsigned long i)
{
  std::string m = "message " + std::to_string(i) + " ";
  // Sizes from a few bytes to a few kilobytes: small enough for one blocking write before the
  // read, whatever the socket buffers.
  m.append((i * 613) % 4000, static_cast<char>('a' + i % 26));
  m += '\n';
  return m;
}

} // namespace

int main(int argc, char* argv[])
{
  unsigned long count = 10;
  char* end = nullptr;
  if (argc < 3 || argc > 4 || (argc == 4 && ((count = std::strtoul(argv[3], &end, 10)), *end)))
  {
    std::fprintf(stderr, "usage: %s HOST PORT [COUNT]\n", argv[0]);
    return 2;
  }

  try
  {
    asio::io_context ioc;
    tcp::resolver resolver(ioc);
    tcp::socket socket(ioc);
    // Unqualified on purpose: argument-dependent lookup finds the connect() of the library the
    // socket comes from, so this line needs no change when `tcp` changes.
    connect(socket, resolver.resolve(argv[1], argv[2]));

    std::size_t bytes = 0;
    for (unsigned long i = 0; i < count; ++i)
    {
      const std::string sent = message(i);
      asio::write(socket, asio::buffer(sent));
      std::string reply(sent.size(), '\0');
      asio::read(socket, asio::buffer(reply));
      if (reply != sent)
      {
        std::fprintf(stderr, "echo_client: message %lu came back different\n", i);
        return 1;
      }
      bytes += sent.size();
    }

    // A half-close: the server has nothing more to echo and must close its end.
    socket.shutdown(tcp::socket::shutdown_send);
    char extra;
    error_code ec;
    std::size_t n = socket.read_some(asio::buffer(&extra, 1), ec);
    if (ec != asio::error::eof)
    {
      std::fprintf(stderr, "echo_client: expected the server to close, got %zu bytes (%s)\n", n,
                   ec.message().c_str());
      return 1;
    }

    std::printf("echo_client: %lu messages, %zu bytes echoed by %s:%s\n", count, bytes, argv[1],
                argv[2]);
    return 0;
  }
  catch (const std::exception& e)
  {
    std::fprintf(stderr, "echo_client: %s\n", e.what());
    return 1;
  }
}
