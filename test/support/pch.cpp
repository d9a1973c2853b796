//
// test/support/pch.cpp
//
// Empty: the translation unit that builds the tests' shared precompiled headers
// (test/CMakeLists.txt, boost_sockn_test_pch).
//
