//
// boost_sockn/boost_sockn.hpp
//
// Everything but the Beast integration.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_HPP
#define BOOST_SOCKN_HPP

#include <boost_sockn/basic_datagram_socket.hpp>
#include <boost_sockn/basic_socket.hpp>
#include <boost_sockn/basic_socket_acceptor.hpp>
#include <boost_sockn/basic_socket_watcher.hpp>
#include <boost_sockn/basic_stream_socket.hpp>
#include <boost_sockn/connect.hpp>
#include <boost_sockn/ip/tcp.hpp>
#include <boost_sockn/ip/message.hpp>
#include <boost_sockn/ip/udp.hpp>
#include <boost_sockn/notification_port.hpp>
#include <boost_sockn/reactor.hpp>
#include <boost_sockn/version.hpp>

#endif // BOOST_SOCKN_HPP
