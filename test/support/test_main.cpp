//
// test/support/test_main.cpp
//
// The Boost.Test entry point of one test executable (BOOST_TEST_MODULE comes from the build):
// the shared library on Linux, the header-only form on Windows, where Debian has no mingw build
// of Boost's compiled libraries.
//

#if defined(BOOST_SOCKN_TEST_HEADER_ONLY)
#include <boost/test/included/unit_test.hpp>
#else
#include <boost/test/unit_test.hpp>
#endif
