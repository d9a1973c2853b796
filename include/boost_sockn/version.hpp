//
// boost_sockn/version.hpp
//
// The library's version, in Boost's form: BOOST_SOCKN_VERSION % 100 is the patch level,
// BOOST_SOCKN_VERSION / 100 % 1000 the minor version, BOOST_SOCKN_VERSION / 100000 the major
// version. CMakeLists.txt reads it from here, so the package version and this header agree.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_VERSION_HPP
#define BOOST_SOCKN_VERSION_HPP

#define BOOST_SOCKN_VERSION 100 // 0.1.0

#endif
