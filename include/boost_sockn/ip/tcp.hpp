//
// boost_sockn/ip/tcp.hpp
//
// boost_sockn::ip::tcp: Asio's TCP protocol with boost_sockn's socket and acceptor. Programs
// switch with one line: `using tcp = boost_sockn::ip::tcp;`. boost_sockn::connect comes with it, so
// that unqualified connect(socket, endpoints) calls find the function for these sockets.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_IP_TCP_HPP
#define BOOST_SOCKN_IP_TCP_HPP

#include <boost_sockn/basic_socket_acceptor.hpp>
#include <boost_sockn/basic_stream_socket.hpp>
#include <boost_sockn/connect.hpp>

#include <boost/asio/ip/tcp.hpp>

namespace boost_sockn {
namespace ip {

/// Derives from boost::asio::ip::tcp and converts implicitly from it, since endpoints (Asio's)
/// report Asio's protocol type. Use this one type as every boost_sockn object's Protocol.
class tcp : public boost::asio::ip::tcp
{
public:
  tcp(const boost::asio::ip::tcp& p) noexcept : boost::asio::ip::tcp(p) {}

  static tcp v4() noexcept { return boost::asio::ip::tcp::v4(); }
  static tcp v6() noexcept { return boost::asio::ip::tcp::v6(); }

  using endpoint = boost::asio::ip::tcp::endpoint;
  using resolver = boost::asio::ip::tcp::resolver;
  using socket = basic_stream_socket<tcp>;
  using acceptor = basic_socket_acceptor<tcp>;

  /// Not provided. Asio's iostream runs on Asio's own sockets, so inheriting it would leave a
  /// program that switched its `tcp` typedef on them unnoticed: using it fails to compile
  /// instead, saying so (detail/misuse.hpp).
  using iostream = detail::asio_only_iostream<tcp>;
};

} // namespace ip
} // namespace boost_sockn

#endif // BOOST_SOCKN_IP_TCP_HPP
