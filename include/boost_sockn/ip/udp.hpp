//
// boost_sockn/ip/udp.hpp
//
// boost_sockn::ip::udp: Asio's UDP protocol with boost_sockn's socket.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_IP_UDP_HPP
#define BOOST_SOCKN_IP_UDP_HPP

#include <boost_sockn/basic_datagram_socket.hpp>
#include <boost_sockn/connect.hpp>

#include <boost/asio/ip/udp.hpp>

namespace boost_sockn {
namespace ip {

/// Derives from boost::asio::ip::udp and converts implicitly from it (see ip::tcp).
class udp : public boost::asio::ip::udp
{
public:
  udp(const boost::asio::ip::udp& p) noexcept : boost::asio::ip::udp(p) {}

  static udp v4() noexcept { return boost::asio::ip::udp::v4(); }
  static udp v6() noexcept { return boost::asio::ip::udp::v6(); }

  using endpoint = boost::asio::ip::udp::endpoint;
  using resolver = boost::asio::ip::udp::resolver;
  using socket = basic_datagram_socket<udp>;
};

} // namespace ip
} // namespace boost_sockn

#endif // BOOST_SOCKN_IP_UDP_HPP
