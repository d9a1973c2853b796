# cmake -DASIO=<file> -DSOCKN=<file> -P check_same_program.cmake
#
# Fails unless the two files are the same program with the networking library swapped: line for
# line identical except
#   - one include line: <boost/asio/ip/tcp.hpp> -> <boost_sockn/boost_sockn.hpp>, or
#     <boost/beast/core/tcp_stream.hpp> -> <boost_sockn/beast.hpp> (exactly once);
#   - the `using tcp = ...;` line (exactly once);
#   - lines that differ only in beast::tcp_stream -> boost_sockn::tcp_stream (any number).
# No line of the sockn copy may still name beast::tcp_stream. That is the point of example/asio
# versus example/sockn, so a stray edit to one copy must not go unnoticed.

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

set(include_a_0 "#include <boost/asio/ip/tcp.hpp>")
set(include_b_0 "#include <boost_sockn/boost_sockn.hpp>")
set(include_a_1 "#include <boost/beast/core/tcp_stream.hpp>")
set(include_b_1 "#include <boost_sockn/beast.hpp>")
set(using_a "using tcp = boost::asio::ip::tcp;")
set(using_b "using tcp = boost_sockn::ip::tcp;")
set(seen_include 0)
set(seen_using 0)
set(errors "")

if(NOT a_count EQUAL b_count)
  string(APPEND errors "  ${a_count} lines against ${b_count}\n")
else()
  math(EXPR last "${a_count} - 1")
  foreach(i RANGE ${last})
    math(EXPR line "${i} + 1")
    string(FIND "${b_${i}}" "beast::tcp_stream" stray)
    if(NOT stray EQUAL -1)
      string(APPEND errors "  line ${line} of the sockn copy still names beast::tcp_stream\n")
    endif()
    if(NOT a_${i} STREQUAL b_${i})
      set(is_include FALSE)
      foreach(k 0 1)
        if(a_${i} STREQUAL include_a_${k} AND b_${i} STREQUAL include_b_${k})
          set(is_include TRUE)
        endif()
      endforeach()
      string(REPLACE "beast::tcp_stream" "boost_sockn::tcp_stream" a_swapped "${a_${i}}")
      if(is_include)
        math(EXPR seen_include "${seen_include} + 1")
      elseif(a_${i} STREQUAL using_a AND b_${i} STREQUAL using_b)
        math(EXPR seen_using "${seen_using} + 1")
      elseif(NOT a_swapped STREQUAL a_${i} AND a_swapped STREQUAL b_${i})
        # beast::tcp_stream -> boost_sockn::tcp_stream: allowed anywhere.
      else()
        string(APPEND errors "  line ${line}:\n    - ${a_${i}}\n    + ${b_${i}}\n")
      endif()
    endif()
  endforeach()
  if(NOT seen_include EQUAL 1)
    string(APPEND errors "  the library include line differs ${seen_include} times, not once\n")
  endif()
  if(NOT seen_using EQUAL 1)
    string(APPEND errors "  '${using_a}' -> '${using_b}' differs ${seen_using} times, not once\n")
  endif()
endif()

if(errors)
  message(FATAL_ERROR "${ASIO} and ${SOCKN} are not the same program with the library swapped:\n${errors}")
endif()
message(STATUS "${ASIO} and ${SOCKN}: the same program, only the library lines differ")
