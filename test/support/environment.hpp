//
// test/support/environment.hpp
//
// Setting the process's environment variables from a test (BOOST_SOCKN_BACKEND and
// BOOST_SOCKN_TRIGGER), for the port conformance suite and the reactor tests alike.
//
// Copyright (c) 2026 The boost_sockn developers.
// Distributed under the Boost Software License, Version 1.0. (See accompanying file
// LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_SOCKN_TEST_SUPPORT_ENVIRONMENT_HPP
#define BOOST_SOCKN_TEST_SUPPORT_ENVIRONMENT_HPP

#include <cstdlib>
#include <string>

namespace sockn_test {

/// Sets (or, with a null value, removes) an environment variable of this process.
inline void set_environment(const char* name, const char* value)
{
#if defined(_WIN32)
  ::_putenv_s(name, value ? value : ""); // an empty value removes the variable
#else
  if (value)
    ::setenv(name, value, 1);
  else
    ::unsetenv(name);
#endif
}

/// `s` in ASCII capitals: the library takes the variables' values in any case.
inline std::string upper_case(std::string s)
{
  for (char& c : s)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return s;
}

/// Sets (or removes) an environment variable for its own lifetime, then puts back what was there
/// before: a case that changes BOOST_SOCKN_BACKEND or BOOST_SOCKN_TRIGGER leaves the next case
/// the run's own choice.
class scoped_environment
{
public:
  scoped_environment(const char* name, const char* value) : name_(name)
  {
    const char* previous = std::getenv(name);
    had_previous_ = previous != nullptr;
    if (previous)
      previous_ = previous;
    set_environment(name, value);
  }
  ~scoped_environment() { set_environment(name_.c_str(), had_previous_ ? previous_.c_str() : nullptr); }
  scoped_environment(const scoped_environment&) = delete;
  scoped_environment& operator=(const scoped_environment&) = delete;

private:
  std::string name_;
  std::string previous_;
  bool had_previous_;
};

} // namespace sockn_test

#endif
