//
// test/support/pch.cpp
//
// Empty: the translation unit that builds the tests' shared precompiled headers
// (test/CMakeLists.txt, boost_sockn_test_pch).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//
