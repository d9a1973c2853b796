# boost_sockn_derive_flavour(<source> <output> <rule>...)
#
# A flavoured program is written once, on Asio or on boost_sockn, and the build derives the other
# flavour from it by substituting the library's lines. This writes <output>: <source> with the
# rules applied in the order given, each to the text the previous ones left:
#
#   REPLACE <from> <to> <count>   every <from> becomes <to>; there must be exactly <count> of
#                                 them, or at least n if <count> is written n+
#   ABSENT <text>                 <text> must not occur
#
# A count other than the expected one stops the configure: a substitution that found nothing
# would build the same program twice and prove nothing, and one that found more than the
# library's lines would change the program itself.
#
# <output> is rewritten only when its content changes, so that a reconfigure does not rebuild
# what was compiled from it; <source> becomes a configure dependency of the calling directory.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
function(boost_sockn_derive_flavour source output)
  file(READ "${source}" text)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${source}")
  file(RELATIVE_PATH shown "${PROJECT_SOURCE_DIR}" "${source}")

  # The rules are read through ARGV<n>, which hold each argument as written: ARGN would split the
  # C++ text at its semicolons.
  set(i 2)
  while(i LESS ARGC)
    set(rule "${ARGV${i}}")
    if(rule STREQUAL "REPLACE")
      set(arity 3)
    elseif(rule STREQUAL "ABSENT")
      set(arity 1)
    else()
      message(FATAL_ERROR
        "boost_sockn_derive_flavour(${shown}): '${rule}' is not REPLACE or ABSENT")
    endif()
    math(EXPR end "${i} + ${arity}")
    if(end GREATER_EQUAL ARGC)
      message(FATAL_ERROR "boost_sockn_derive_flavour(${shown}): ${rule} takes ${arity} arguments")
    endif()
    math(EXPR i "${i} + 1")
    set(from "${ARGV${i}}")
    if(rule STREQUAL "REPLACE")
      math(EXPR i "${i} + 1")
      set(to "${ARGV${i}}")
      math(EXPR i "${i} + 1")
      set(expected "${ARGV${i}}")
    else()
      set(expected 0)
    endif()
    math(EXPR i "${i} + 1")

    if(from STREQUAL "" OR NOT expected MATCHES "^([0-9]+)(\\+?)$")
      message(FATAL_ERROR "boost_sockn_derive_flavour(${shown}): ${rule} '${from}' '${expected}': "
        "the text must not be empty, the count is a number n or n+")
    endif()
    set(least ${CMAKE_MATCH_1})
    set(or_more "${CMAKE_MATCH_2}")

    string(REPLACE "${from}" "" without "${text}")
    string(LENGTH "${text}" length)
    string(LENGTH "${without}" length_without)
    string(LENGTH "${from}" length_from)
    math(EXPR found "(${length} - ${length_without}) / ${length_from}")
    if(found LESS least OR (NOT or_more AND NOT found EQUAL least))
      message(FATAL_ERROR "${shown}: '${from}' occurs ${found} time(s), expected ${expected}: "
        "the other flavour of the program cannot be derived from it")
    endif()
    if(rule STREQUAL "REPLACE")
      string(REPLACE "${from}" "${to}" text "${text}")
    endif()
  endwhile()

  file(WRITE "${output}.new" "${text}")
  configure_file("${output}.new" "${output}" COPYONLY)
endfunction()
