# cmake -DASIO=<file> -DSOCKN=<file> -P check_same_program.cmake
#
# Fails unless the two files are the same program with the networking library swapped: line for
# line identical except the tcp header include and the `using tcp = ...;` line, each of which must
# differ exactly once. That is the point of example/asio versus example/sockn, so a stray edit to
# one copy must not go unnoticed.

foreach(var ASIO SOCKN)
  if(NOT DEFINED ${var} OR NOT EXISTS "${${var}}")
    message(FATAL_ERROR "check_same_program.cmake: -D${var}=<existing file> is required")
  endif()
endforeach()

# The lines of a file, without going through CMake lists (C++ is full of ';' and '[').
function(read_lines file prefix)
  file(READ "${file}" text)
  string(REPLACE "\r\n" "\n" text "${text}")
  set(n 0)
  while(NOT text STREQUAL "")
    string(FIND "${text}" "\n" nl)
    if(nl EQUAL -1)
      set(line "${text}")
      set(text "")
    else()
      string(SUBSTRING "${text}" 0 ${nl} line)
      math(EXPR rest "${nl} + 1")
      string(SUBSTRING "${text}" ${rest} -1 text)
    endif()
    set(${prefix}_${n} "${line}" PARENT_SCOPE)
    math(EXPR n "${n} + 1")
  endwhile()
  set(${prefix}_count ${n} PARENT_SCOPE)
endfunction()

read_lines("${ASIO}" a)
read_lines("${SOCKN}" b)

set(allowed_a_0 "#include <boost/asio/ip/tcp.hpp>")
set(allowed_b_0 "#include <boost_sockn/boost_sockn.hpp>")
set(allowed_a_1 "using tcp = boost::asio::ip::tcp;")
set(allowed_b_1 "using tcp = boost_sockn::ip::tcp;")
set(seen_0 0)
set(seen_1 0)
set(errors "")

if(NOT a_count EQUAL b_count)
  string(APPEND errors "  ${a_count} lines against ${b_count}\n")
else()
  math(EXPR last "${a_count} - 1")
  foreach(i RANGE ${last})
    if(NOT a_${i} STREQUAL b_${i})
      math(EXPR line "${i} + 1")
      if(a_${i} STREQUAL allowed_a_0 AND b_${i} STREQUAL allowed_b_0)
        math(EXPR seen_0 "${seen_0} + 1")
      elseif(a_${i} STREQUAL allowed_a_1 AND b_${i} STREQUAL allowed_b_1)
        math(EXPR seen_1 "${seen_1} + 1")
      else()
        string(APPEND errors "  line ${line}:\n    - ${a_${i}}\n    + ${b_${i}}\n")
      endif()
    endif()
  endforeach()
  foreach(k 0 1)
    if(NOT seen_${k} EQUAL 1)
      string(APPEND errors
        "  '${allowed_a_${k}}' -> '${allowed_b_${k}}' differs ${seen_${k}} times, not once\n")
    endif()
  endforeach()
endif()

if(errors)
  message(FATAL_ERROR "${ASIO} and ${SOCKN} are not the same program with the library swapped:\n${errors}")
endif()
message(STATUS "${ASIO} and ${SOCKN}: the same program, only the library lines differ")
