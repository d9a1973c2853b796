# What the two mingw-w64 toolchain files (GCC and clang) share: the sysroot, static linking, the
# Boost headers, and Wine as the emulator that runs the test executables.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# With the package mode ONLY, find_package looks under the roots alone and a CMAKE_PREFIX_PATH
# given for the Windows packages (where a program installed boost_sockn's Windows build) would be
# ignored: each such prefix becomes a root as well. The host's own packages stay out of reach.
foreach(prefix IN LISTS CMAKE_PREFIX_PATH)
  list(APPEND CMAKE_FIND_ROOT_PATH "${prefix}")
endforeach()
if(DEFINED ENV{CMAKE_PREFIX_PATH})
  string(REPLACE ":" ";" env_prefixes "$ENV{CMAKE_PREFIX_PATH}")
  list(APPEND CMAKE_FIND_ROOT_PATH ${env_prefixes})
endif()
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)

# Boost is header-only for everything the Windows build uses (Boost.Test in its included form).
# Debian installs the headers only for the host; expose just that directory, never /usr/include.
set(BOOST_SOCKN_MINGW_BOOST_DIR "${CMAKE_BINARY_DIR}/mingw-boost")
if(NOT EXISTS "${BOOST_SOCKN_MINGW_BOOST_DIR}/boost")
  file(MAKE_DIRECTORY "${BOOST_SOCKN_MINGW_BOOST_DIR}")
  file(CREATE_LINK /usr/include/boost "${BOOST_SOCKN_MINGW_BOOST_DIR}/boost" SYMBOLIC)
endif()
set(Boost_INCLUDE_DIR "${BOOST_SOCKN_MINGW_BOOST_DIR}" CACHE PATH "" FORCE)
set(Boost_NO_SYSTEM_PATHS ON)

# Static runtime: the test binaries then run under Wine without copying mingw DLLs around.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Run test executables under Wine (ctest uses this as the emulator).
find_program(WINE_EXECUTABLE NAMES wine wine64)
if(WINE_EXECUTABLE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${WINE_EXECUTABLE}")
endif()
