//
// boost_sockn/detail/config.hpp
//
// What a program must agree on with the compiled library. The library's compiled reactor posts
// Asio scheduler operations and calls the scheduler's inline functions; a program built with
// other Asio settings lays those out differently, and the mix corrupts memory silently (handler
// tracking adds a base to every scheduler operation; the thread type decides the scheduler's
// mutexes; IOCP decides which scheduler an io_context runs). So the functions the I/O objects
// call into the library live in an inline namespace named after those settings: a mismatched
// program fails to link, and the undefined symbol names the setting that differs, e.g.
//
//   undefined reference to `boost_sockn::detail::asio_ENABLE_HANDLER_TRACKING_1_HAS_THREADS_1_
//   HAS_PTHREADS_1_HAS_IOCP_0::register_descriptor(...)'
//
// says the program defines BOOST_ASIO_ENABLE_HANDLER_TRACKING and the library was built
// without it. Build the library with the program's Asio macros (or remove them from the program).
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_DETAIL_CONFIG_HPP
#define BOOST_SOCKN_DETAIL_CONFIG_HPP

#include <boost/asio/detail/config.hpp>

// The library builds for Windows 10 and calls newer functions only after finding them at run
// time; a program may target an older Windows, but not one older than Asio's own default.
// The program's _WIN32_WINNT is its own: the library does not set it for the program.
#if defined(_WIN32) && defined(_WIN32_WINNT) && (_WIN32_WINNT < 0x0601)
#error "boost_sockn needs _WIN32_WINNT 0x0601 (Windows 7) or later: define _WIN32_WINNT=0x0A00 (Windows 10) or at least 0x0601"
#endif

#if defined(BOOST_ASIO_CUSTOM_HANDLER_TRACKING)
#define BOOST_SOCKN_ABI_TRACKING custom
#elif defined(BOOST_ASIO_ENABLE_HANDLER_TRACKING)
#define BOOST_SOCKN_ABI_TRACKING 1
#else
#define BOOST_SOCKN_ABI_TRACKING 0
#endif

#if defined(BOOST_ASIO_HAS_THREADS)
#define BOOST_SOCKN_ABI_THREADS 1
#else
#define BOOST_SOCKN_ABI_THREADS 0
#endif

#if defined(BOOST_ASIO_HAS_PTHREADS)
#define BOOST_SOCKN_ABI_PTHREADS 1
#else
#define BOOST_SOCKN_ABI_PTHREADS 0
#endif

#if defined(BOOST_ASIO_HAS_IOCP)
#define BOOST_SOCKN_ABI_IOCP 1
#else
#define BOOST_SOCKN_ABI_IOCP 0
#endif

#define BOOST_SOCKN_ABI_NAME_2(t, th, p, i)                                                        \
  asio_ENABLE_HANDLER_TRACKING_##t##_HAS_THREADS_##th##_HAS_PTHREADS_##p##_HAS_IOCP_##i
#define BOOST_SOCKN_ABI_NAME(t, th, p, i) BOOST_SOCKN_ABI_NAME_2(t, th, p, i)

/// Opens (and closes) the inline namespace of the library functions whose callers must share
/// the library's Asio settings. Used inside namespace boost_sockn::detail only.
#define BOOST_SOCKN_ABI_BEGIN                                                                      \
  inline namespace BOOST_SOCKN_ABI_NAME(BOOST_SOCKN_ABI_TRACKING, BOOST_SOCKN_ABI_THREADS,          \
                                        BOOST_SOCKN_ABI_PTHREADS, BOOST_SOCKN_ABI_IOCP) {
#define BOOST_SOCKN_ABI_END }

#endif // BOOST_SOCKN_DETAIL_CONFIG_HPP
