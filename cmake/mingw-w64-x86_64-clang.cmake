# Cross build for 64-bit Windows with Debian's clang (--target=x86_64-w64-mingw32) on the
# mingw-w64 headers, libraries and libstdc++ of the GCC cross compiler, run under Wine.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
set(CMAKE_C_COMPILER clang)
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_C_COMPILER_TARGET x86_64-w64-mingw32)
set(CMAKE_CXX_COMPILER_TARGET x86_64-w64-mingw32)

# clang finds the mingw-w64 sysroot but not GCC's libstdc++, whose directory Debian names after
# the thread model (12-posix): point at the POSIX-threads one, as the GCC toolchain uses.
file(GLOB BOOST_SOCKN_MINGW_GCC_DIRS LIST_DIRECTORIES true /usr/lib/gcc/x86_64-w64-mingw32/*-posix)
list(SORT BOOST_SOCKN_MINGW_GCC_DIRS COMPARE NATURAL ORDER DESCENDING)
list(GET BOOST_SOCKN_MINGW_GCC_DIRS 0 BOOST_SOCKN_MINGW_GCC_DIR)
if(NOT BOOST_SOCKN_MINGW_GCC_DIR)
  message(FATAL_ERROR "no /usr/lib/gcc/x86_64-w64-mingw32/*-posix: install g++-mingw-w64-x86-64-posix")
endif()
set(libstdcxx "${BOOST_SOCKN_MINGW_GCC_DIR}/include/c++")
# GCC's mingw-w64 libstdc++ keeps thread_local variables (std::call_once's among them) in
# emulated TLS: clang must use the same scheme to link against it.
set(CMAKE_CXX_FLAGS_INIT "-nostdinc++ -isystem ${libstdcxx} -isystem ${libstdcxx}/x86_64-w64-mingw32 \
-isystem ${libstdcxx}/backward -pthread -femulated-tls")
set(CMAKE_C_FLAGS_INIT "-pthread -femulated-tls")
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
# libstdc++ and libgcc of the GCC cross compiler, after the common static-runtime flags.
# (The compile flags reach the link line too, where -nostdinc++ means nothing.)
string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " -L${BOOST_SOCKN_MINGW_GCC_DIR} -Qunused-arguments")
