//
// test/beast/tls.cpp
//
// TLS over the stream under test: asio::ssl::stream<tcp_stream> and beast::ssl_stream<tcp_stream>
// handshake and echo, HTTPS and WSS round trips, and the stream's deadline seen through TLS. The
// certificate is self-signed and made when the test runs, so no key is ever committed.
//
// Each case runs in phases: it starts the operations of both ends, runs the context until they
// are done, then checks; the next phase starts on the same connection.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#include "beast/fixture.hpp"

#include <string>

#if defined(BOOST_SOCKN_TEST_HAVE_OPENSSL)

#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace {

using namespace beast_test;
namespace ssl = asio::ssl;
namespace http = beast::http;
namespace websocket = beast::websocket;
const error_code ws_closed = websocket::error::closed;

/// A self-signed certificate for "localhost" and its private key, both PEM.
struct identity
{
  std::string certificate;
  std::string key;
};

template <typename T, void (*Free)(T*)>
struct openssl_deleter
{
  void operator()(T* p) const { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what)
{
  if (!ok)
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

void add_extension(X509* x, int nid, const char* value)
{
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  const int added = X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "X509_add_ext");
}

std::string pem(const std::function<int(BIO*)>& write)
{
  bio_ptr bio(BIO_new(BIO_s_mem()));
  check(bio && write(bio.get()) == 1, "PEM write");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

identity make_identity()
{
  pkey_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  x509_ptr x(X509_new());
  check(x != nullptr, "X509_new");
  check(X509_set_version(x.get(), 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 1) == 1, "serial number");
  check(X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(x.get()), 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(x.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(x.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                   0) == 1,
        "subject name");
  check(X509_set_issuer_name(x.get(), name) == 1, "issuer name");
  add_extension(x.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(x.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  check(X509_sign(x.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  identity id;
  id.certificate = pem([&](BIO* b) { return PEM_write_bio_X509(b, x.get()); });
  id.key = pem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  return id;
}

const identity& test_identity()
{
  static const identity id = make_identity();
  return id;
}

/// The server's context with the test certificate, and a client's that trusts only it and checks
/// the host name.
struct contexts
{
  ssl::context server{ssl::context::tls_server};
  ssl::context client{ssl::context::tls_client};

  contexts()
  {
    const identity& id = test_identity();
    server.use_certificate_chain(asio::buffer(id.certificate));
    server.use_private_key(asio::buffer(id.key), ssl::context::pem);
    client.add_certificate_authority(asio::buffer(id.certificate));
    client.set_verify_mode(ssl::verify_peer);
  }
};

template <typename Stream>
void verify_localhost(Stream& s)
{
  s.set_verify_callback(ssl::host_name_verification("localhost"));
}

/// Both ends' handshakes, at the same time.
template <typename Client, typename Server>
void handshake(asio::io_context& ioc, Client& client, Server& server)
{
  outcome c, s;
  client.async_handshake(ssl::stream_base::client, record(c));
  server.async_handshake(ssl::stream_base::server, record(s));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(c.calls == 1);
  BOOST_TEST(!c.ec, "client handshake: " << c.ec.message());
  BOOST_TEST(s.calls == 1);
  BOOST_TEST(!s.ec, "server handshake: " << s.ec.message());
}

/// `n` bytes from `from` arrive whole on `to`.
template <typename From, typename To>
void transfer(asio::io_context& ioc, From& from, To& to, std::size_t n)
{
  std::string out(n, '\0'), in(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<char>(i * 13 + i / 1000);
  outcome w, r;
  asio::async_write(from, asio::buffer(out), record(w));
  asio::async_read(to, asio::buffer(in), record(r));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!w.ec, w.ec.message());
  BOOST_TEST(!r.ec, r.ec.message());
  BOOST_TEST(r.bytes == n);
  BOOST_TEST((in == out));
}

/// The client's TLS shutdown (close_notify both ways), the server seeing it as eof first.
template <typename Client, typename Server>
void shutdown(asio::io_context& ioc, Client& client, Server& server)
{
  outcome c, s_read, s;
  char byte;
  client.async_shutdown(record(c));
  server.async_read_some(asio::buffer(&byte, 1), [&](error_code ec, std::size_t n) {
    record(s_read)(ec, n);
    server.async_shutdown(record(s));
  });
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(s_read.ec == asio::error::eof, s_read.ec.message());
  BOOST_TEST(!s.ec, "server shutdown: " << s.ec.message());
  BOOST_TEST(!c.ec, "client shutdown: " << c.ec.message());
}

using ssl_streams = std::tuple<ssl::stream<tcp_stream>, beast::ssl_stream<tcp_stream>>;

} // namespace

BOOST_AUTO_TEST_SUITE(tls_on_stream, *boost::unit_test::precondition(sockn_test::runnable()))

BOOST_AUTO_TEST_CASE_TEMPLATE(handshake_echo_and_shutdown, Stream, ssl_streams)
{
  asio::io_context ioc;
  contexts ctx;
  Stream client(ioc, ctx.client), server(ioc, ctx.server);
  verify_localhost(client);
  connect_streams(beast::get_lowest_layer(client), beast::get_lowest_layer(server));
  handshake(ioc, client, server);
  for (std::size_t n : {std::size_t(1), std::size_t(100000), std::size_t(4 << 20)})
  {
    BOOST_TEST_CONTEXT(n << " bytes")
    {
      transfer(ioc, client, server, n);
      transfer(ioc, server, client, n);
    }
  }
  shutdown(ioc, client, server);
}

BOOST_AUTO_TEST_CASE(handshake_fails_for_another_host_name)
{
  asio::io_context ioc;
  contexts ctx;
  ssl::stream<tcp_stream> client(ioc, ctx.client), server(ioc, ctx.server);
  client.set_verify_callback(ssl::host_name_verification("example.com"));
  connect_streams(client.next_layer(), server.next_layer());
  outcome c, s;
  client.async_handshake(ssl::stream_base::client, [&](error_code ec) {
    record(c)(ec);
    client.next_layer().close(); // so that the server's handshake ends too
  });
  server.async_handshake(ssl::stream_base::server, record(s));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST((c.ec.category() == asio::error::get_ssl_category()), c.ec.message());
  BOOST_TEST(s.ec.failed());
}

BOOST_AUTO_TEST_CASE(deadline_of_the_stream_under_tls)
{
  asio::io_context ioc;
  contexts ctx;
  ssl::stream<tcp_stream> client(ioc, ctx.client), server(ioc, ctx.server);
  connect_streams(client.next_layer(), server.next_layer());
  handshake(ioc, client, server);
  char buf[16];
  outcome got;
  beast::get_lowest_layer(client).expires_after(std::chrono::milliseconds(200));
  client.async_read_some(asio::buffer(buf), record(got));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(got.ec == timed_out, got.ec.message());
  BOOST_TEST(!client.next_layer().socket().is_open());
}

BOOST_AUTO_TEST_CASE(https_round_trip)
{
  asio::io_context ioc;
  contexts ctx;
  beast::ssl_stream<tcp_stream> client(ioc, ctx.client), server(ioc, ctx.server);
  verify_localhost(client);
  connect_streams(beast::get_lowest_layer(client), beast::get_lowest_layer(server));
  handshake(ioc, client, server);

  for (int i = 0; i < 3; ++i)
  {
    BOOST_TEST_CONTEXT("request " << i)
    {
      http::request<http::string_body> req(http::verb::post, "/secure/" + std::to_string(i), 11);
      req.set(http::field::host, "localhost");
      req.body() = std::string(1000 * i + 1, 'q');
      req.prepare_payload();
      beast::flat_buffer client_buf, server_buf;
      http::request<http::string_body> got_req;
      http::response<http::string_body> res, got_res;
      outcome wrote_req, read_req, wrote_res, read_res;
      http::async_write(client, req, record(wrote_req));
      http::async_read(server, server_buf, got_req, [&](error_code ec, std::size_t n) {
        record(read_req)(ec, n);
        if (ec)
          return;
        res.result(http::status::ok);
        res.version(11);
        res.body() = "over TLS: " + std::string(got_req.target()) + " " + got_req.body();
        res.prepare_payload();
        http::async_write(server, res, record(wrote_res));
      });
      http::async_read(client, client_buf, got_res, record(read_res));
      BOOST_TEST(run_for(ioc));
      BOOST_TEST(!wrote_req.ec, wrote_req.ec.message());
      BOOST_TEST(!read_req.ec, read_req.ec.message());
      BOOST_TEST(!wrote_res.ec, wrote_res.ec.message());
      BOOST_TEST(!read_res.ec, read_res.ec.message());
      BOOST_TEST(got_req.body() == req.body());
      BOOST_TEST(got_res.result() == http::status::ok);
      BOOST_TEST(got_res.body() == "over TLS: /secure/" + std::to_string(i) + " " + req.body());
    }
  }
  shutdown(ioc, client, server);
}

BOOST_AUTO_TEST_CASE(wss_round_trip_and_close)
{
  asio::io_context ioc;
  contexts ctx;
  websocket::stream<beast::ssl_stream<tcp_stream>> client(ioc, ctx.client),
      server(ioc, ctx.server);
  verify_localhost(client.next_layer());
  connect_streams(beast::get_lowest_layer(client), beast::get_lowest_layer(server));
  handshake(ioc, client.next_layer(), server.next_layer());

  outcome ws_client, ws_server;
  client.async_handshake("localhost", "/wss", record(ws_client));
  server.async_accept(record(ws_server));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!ws_client.ec, ws_client.ec.message());
  BOOST_TEST(!ws_server.ec, ws_server.ec.message());

  const std::string message(300000, 'w');
  beast::flat_buffer server_buf, client_buf;
  outcome w, r, echo_w, echo_r;
  client.binary(true);
  client.async_write(asio::buffer(message), record(w));
  server.async_read(server_buf, [&](error_code ec, std::size_t n) {
    record(r)(ec, n);
    if (ec)
      return;
    server.binary(server.got_binary());
    server.async_write(server_buf.data(), record(echo_w));
  });
  client.async_read(client_buf, record(echo_r));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!w.ec, w.ec.message());
  BOOST_TEST(!r.ec, r.ec.message());
  BOOST_TEST(!echo_w.ec, echo_w.ec.message());
  BOOST_TEST(!echo_r.ec, echo_r.ec.message());
  BOOST_TEST(client.got_binary());
  BOOST_TEST((beast::buffers_to_string(client_buf.data()) == message));

  // The client closes; the teardown goes through TLS shutdown to the stream under test.
  outcome closed, server_end;
  beast::flat_buffer rest;
  client.async_close(websocket::close_code::normal, record(closed));
  server.async_read(rest, record(server_end));
  BOOST_TEST(run_for(ioc));
  BOOST_TEST(!closed.ec, closed.ec.message());
  BOOST_TEST(server_end.ec == ws_closed, server_end.ec.message());
  BOOST_TEST(server.reason().code == websocket::close_code::normal);
  BOOST_TEST(!beast::get_lowest_layer(server).socket().is_open());
  BOOST_TEST(!beast::get_lowest_layer(client).socket().is_open());
}

BOOST_AUTO_TEST_SUITE_END()

#else // !BOOST_SOCKN_TEST_HAVE_OPENSSL

namespace {
struct openssl_available
{
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
  {
    return beast_test::skipped_because(
        "this build has no OpenSSL (the Windows cross build has none): no TLS");
  }
};
} // namespace

BOOST_AUTO_TEST_SUITE(tls_on_stream, *boost::unit_test::precondition(openssl_available()))
BOOST_AUTO_TEST_CASE(handshake_echo_and_shutdown)
{
  // Never runs; present so that the report shows the TLS cases as skipped, with the reason.
  BOOST_TEST(false);
}
BOOST_AUTO_TEST_CASE(https_round_trip) { BOOST_TEST(false); }
BOOST_AUTO_TEST_CASE(wss_round_trip_and_close) { BOOST_TEST(false); }
BOOST_AUTO_TEST_SUITE_END()

#endif
