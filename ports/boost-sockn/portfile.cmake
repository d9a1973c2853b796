# ports/boost-sockn/portfile.cmake
# The vcpkg port of boost_sockn: builds the checkout it lies in with the project's CMake install.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#
# An overlay port (vcpkg install boost-sockn --overlay-ports=<checkout>/ports). There is no
# release archive to download yet, so the source is the checkout around this directory; a port
# for a registry would fetch a release with vcpkg_from_git() instead. vcpkg's binary cache keys
# on the port's own files, not on that source: after changing the library, install with
# --no-binarycaching (or raise port-version) to get it rebuilt.
#
# Not run by vcpkg in this project's CI (no vcpkg there): scripts/check-vcpkg-port.cmake runs
# this file against stand-ins of the vcpkg functions and checks the tree it installs.

get_filename_component(SOURCE_PATH "${CURRENT_PORT_DIR}/../.." ABSOLUTE)

# The library marks no DLL interface (Windows): a static library on every triplet.
vcpkg_check_linkage(ONLY_STATIC_LIBRARY)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DBOOST_SOCKN_BUILD_TESTS=OFF
    -DBOOST_SOCKN_BUILD_EXAMPLES=OFF
    -DBOOST_SOCKN_BUILD_BENCH=OFF
)
vcpkg_cmake_install()
# The CMake package is boost_sockn, not the port's name: its config goes where
# find_package(boost_sockn) looks, share/boost_sockn.
vcpkg_cmake_config_fixup(PACKAGE_NAME boost_sockn CONFIG_PATH lib/cmake/boost_sockn)
vcpkg_fixup_pkgconfig()

# The headers and the licence are the release tree's; vcpkg wants one copy of each.
file(REMOVE_RECURSE
  "${CURRENT_PACKAGES_DIR}/debug/include"
  "${CURRENT_PACKAGES_DIR}/debug/share"
  "${CURRENT_PACKAGES_DIR}/share/doc")
file(INSTALL "${CURRENT_PORT_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE_1_0.txt")
