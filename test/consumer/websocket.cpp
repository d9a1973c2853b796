//
// test/consumer/websocket.cpp
//
// Uses an installed boost_sockn from Beast as a program ported from beast::tcp_stream would:
// the one boost_sockn header it includes is tcp_stream.hpp, and websocket::stream over it must
// find its teardown hooks through that header alone (as Beast's tcp_stream finds its own). A
// synchronous server and an asynchronous client exchange one message and close, so both the
// synchronous and the asynchronous teardown are compiled and run. Exit status 0 on success.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include <boost_sockn/beast/tcp_stream.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost_sockn::ip::tcp;

namespace {

// Accepts one WebSocket session, echoes one message, and answers the client's close.
std::string serve(tcp::acceptor& acceptor)
{
  websocket::stream<boost_sockn::tcp_stream> ws(acceptor.accept());
  ws.accept();
  beast::flat_buffer buffer;
  ws.read(buffer);
  ws.write(buffer.data());
  buffer.clear();
  beast::error_code ec;
  ws.read(buffer, ec); // ends with the client's close frame, after the synchronous teardown
  return ec == websocket::error::closed ? std::string() : "server: " + ec.message();
}

} // namespace

int main()
{
  try
  {
    asio::io_context server_ctx;
    tcp::acceptor acceptor(server_ctx, {asio::ip::make_address("127.0.0.1"), 0});
    std::string server_failure = "server: did not run";
    std::thread server([&] {
      try
      {
        server_failure = serve(acceptor);
      }
      catch (const std::exception& e)
      {
        server_failure = std::string("server: ") + e.what();
      }
    });

    asio::io_context ctx;
    websocket::stream<boost_sockn::tcp_stream> ws(ctx);
    beast::flat_buffer buffer;
    std::string failure = "client: did not finish";
    auto fail = [&](const char* step, beast::error_code ec) {
      failure = std::string("client: ") + step + ": " + ec.message();
    };
    beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(20));
    beast::get_lowest_layer(ws).async_connect(acceptor.local_endpoint(), [&](beast::error_code ec) {
      if (ec) return fail("connect", ec);
      ws.async_handshake("127.0.0.1", "/", [&](beast::error_code ec) {
        if (ec) return fail("handshake", ec);
        ws.async_write(asio::buffer(std::string("hello")), [&](beast::error_code ec, std::size_t) {
          if (ec) return fail("write", ec);
          ws.async_read(buffer, [&](beast::error_code ec, std::size_t) {
            if (ec) return fail("read", ec);
            if (beast::buffers_to_string(buffer.data()) != "hello")
              return fail("read", asio::error::message_size);
            // async_close runs the asynchronous teardown over boost_sockn's socket.
            ws.async_close(websocket::close_code::normal, [&](beast::error_code ec) {
              if (ec) return fail("close", ec);
              failure.clear();
            });
          });
        });
      });
    });
    ctx.run();
    server.join();

    if (!failure.empty() || !server_failure.empty())
    {
      std::printf("websocket consumer: FAILED: %s %s\n", failure.c_str(), server_failure.c_str());
      return 1;
    }
    std::printf("websocket consumer: ok\n");
    return 0;
  }
  catch (const std::exception& e)
  {
    std::printf("websocket consumer: FAILED: %s\n", e.what());
    return 1;
  }
}
