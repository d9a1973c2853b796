# cmake/packaging.cmake
# CPack packages of the installed library: a ZIP of a Windows build, a .deb of a Linux build.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#
# Included once, after every install() rule of CMakeLists.txt: CPack packs what `cmake --install`
# installs, so a package holds the same tree the install tests use. From a configured build:
#
#   cpack -G ZIP --config <build>/CPackConfig.cmake     Windows build (mingw-w64 or MSVC)
#   cpack -G DEB --config <build>/CPackConfig.cmake     Linux build, on Debian or a derivative
#
# cpack packs the build directory as it is and builds nothing: build first (the install preset
# builds the library alone), or use the `package` target, which builds everything first.

# A project that takes boost_sockn in with add_subdirectory makes its own packages.
if(NOT BOOST_SOCKN_MASTER_PROJECT)
  return()
endif()

# Debian's spelling (no underscores in package names), used for every package manager alike; the
# CMake package stays boost_sockn.
set(CPACK_PACKAGE_NAME boost-sockn)
set(CPACK_PACKAGE_VENDOR "The boost_sockn developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Readiness-based socket I/O for Boost.Asio and Boost.Beast on ProcessSocketNotifications")
# Wrapped by hand: dpkg and apt show the .deb's long description line for line.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "boost_sockn gives Boost.Asio and Boost.Beast programs readiness-based TCP and UDP\n"
  "sockets on the Windows API ProcessSocketNotifications, emulated with IOCTL_AFD_POLL\n"
  "on older Windows and Wine and with epoll on Linux. This package holds the library\n"
  "(static), its headers, the CMake package config (find_package(boost_sockn)) and a\n"
  "pkg-config file (boost_sockn).")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE_1_0.txt)
set(CPACK_PACKAGE_CHECKSUM SHA256)
# The project has no mailing address yet. dpkg accepts a Maintainer field without one (lintian
# does not); whoever publishes a package sets theirs with -DCPACK_PACKAGE_CONTACT="Name <address>".
if(NOT CPACK_PACKAGE_CONTACT)
  set(CPACK_PACKAGE_CONTACT "The boost_sockn developers")
endif()

if(WIN32)
  set(CPACK_GENERATOR ZIP)
  # A mingw-w64 library cannot be linked by Visual C++ and the reverse: the file name says which
  # compiler a program needs. The archive's top directory has the same name, so that unpacked
  # builds of two versions or compilers do not mix.
  if(MINGW)
    set(boost_sockn_package_toolchain mingw)
  elseif(MSVC)
    set(boost_sockn_package_toolchain msvc)
  else()
    string(TOLOWER "${CMAKE_CXX_COMPILER_ID}" boost_sockn_package_toolchain)
  endif()
  set(CPACK_PACKAGE_FILE_NAME
      "${CPACK_PACKAGE_NAME}-${PROJECT_VERSION}-windows-${CMAKE_SYSTEM_PROCESSOR}-${boost_sockn_package_toolchain}")
elseif(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  # <name>_<version>_<architecture>.deb. The architecture is left to CPack, which asks
  # `dpkg --print-architecture`.
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  # The installed package config asks for Boost 1.81 (find_dependency): Debian 12 names its
  # headers and CMake files libboost1.81-dev (which brings libstdc++-12-dev). The library is
  # static and links nothing else (pthread is libc's), so there is nothing for dpkg-shlibdeps.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libboost1.81-dev")
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, pkgconf")
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
endif()

include(CPack)
