# scripts/check-vcpkg-port.cmake
# Runs ports/boost-sockn/portfile.cmake without vcpkg and checks the package tree it leaves.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#
#   cmake -DWORK_DIR=<scratch dir> [-DPREBUILT=<build dir>] -P scripts/check-vcpkg-port.cmake
#
# vcpkg is not part of the project's CI. This script is no vcpkg: it defines stand-ins for the
# vcpkg functions the portfile calls, with vcpkg's own argument lists (an argument vcpkg would
# reject is an error here too), for one release-only Linux triplet (VCPKG_BUILD_TYPE release,
# static linkage), and runs the portfile with SOURCE_PATH on this checkout. What it shows: the
# portfile's calls are well formed; its configure options exist in CMakeLists.txt and are used;
# the paths it hands the fixups exist in the project's install; the tree after the fixups has
# vcpkg's layout, and find_package(boost_sockn) works on it. What it cannot show: vcpkg's own
# toolchain and triplets, the debug half of a build, MSVC, vcpkg's post-build checks, and
# whether vcpkg's fixups do what the stand-ins do (they follow vcpkg's documented behaviour).
#
# PREBUILT names a build directory of the install preset: the stand-in of vcpkg_cmake_install
# then installs from it instead of compiling the library again, after checking that its
# configuration is the one the port asks for. Without it, the library is built in WORK_DIR.

cmake_minimum_required(VERSION 3.16)

get_filename_component(source_dir "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
if(NOT WORK_DIR)
  message(FATAL_ERROR "usage: cmake -DWORK_DIR=<dir> [-DPREBUILT=<build dir>] -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
get_filename_component(WORK_DIR "${WORK_DIR}" ABSOLUTE)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(problems "")
macro(problem text)
  list(APPEND problems "${text}")
  message(STATUS "vcpkg port check: PROBLEM: ${text}")
endmacro()

# The version CMakeLists.txt derives from version.hpp: the port's vcpkg.json must say the same.
file(STRINGS "${source_dir}/include/boost_sockn/version.hpp" version_line
     REGEX "^#define BOOST_SOCKN_VERSION [0-9]+")
string(REGEX MATCH "[0-9]+" version_number "${version_line}")
math(EXPR major "${version_number} / 100000")
math(EXPR minor "${version_number} / 100 % 1000")
math(EXPR patch "${version_number} % 100")
set(project_version "${major}.${minor}.${patch}")

set(port_dir "${source_dir}/ports/boost-sockn")
file(READ "${port_dir}/vcpkg.json" manifest)
string(JSON manifest_name GET "${manifest}" name)
string(JSON manifest_version GET "${manifest}" version)
string(JSON manifest_license GET "${manifest}" license)
if(NOT manifest_name STREQUAL "boost-sockn")
  problem("vcpkg.json: name is '${manifest_name}', not boost-sockn")
endif()
if(NOT manifest_version STREQUAL project_version)
  problem("vcpkg.json: version ${manifest_version}, but version.hpp says ${project_version}")
endif()
if(NOT manifest_license STREQUAL "BSL-1.0")
  problem("vcpkg.json: license '${manifest_license}', not BSL-1.0")
endif()
# The portfile's vcpkg_cmake_* functions come from these two ports, as host tools.
string(JSON dependency_count LENGTH "${manifest}" dependencies)
math(EXPR last "${dependency_count} - 1")
set(host_dependencies "")
foreach(i RANGE ${last})
  string(JSON dependency_type TYPE "${manifest}" dependencies ${i})
  if(dependency_type STREQUAL "OBJECT")
    string(JSON dependency GET "${manifest}" dependencies ${i} name)
    string(JSON host ERROR_VARIABLE no_host GET "${manifest}" dependencies ${i} host)
    if(NOT no_host AND host)
      list(APPEND host_dependencies "${dependency}")
    endif()
  endif()
endforeach()
foreach(needed IN ITEMS vcpkg-cmake vcpkg-cmake-config)
  if(NOT needed IN_LIST host_dependencies)
    problem("vcpkg.json: ${needed} is not a host dependency (the portfile calls its functions)")
  endif()
endforeach()

# What vcpkg sets before it includes a portfile, for the one triplet emulated here.
set(PORT boost-sockn)
set(CURRENT_PORT_DIR "${port_dir}")
set(TARGET_TRIPLET x64-linux-release)
set(CURRENT_BUILDTREES_DIR "${WORK_DIR}/buildtrees/${PORT}")
set(CURRENT_PACKAGES_DIR "${WORK_DIR}/packages/${PORT}_${TARGET_TRIPLET}")
set(CURRENT_INSTALLED_DIR "${WORK_DIR}/installed/${TARGET_TRIPLET}")
set(VCPKG_BUILD_TYPE release)
set(VCPKG_LIBRARY_LINKAGE static)
set(VCPKG_CRT_LINKAGE dynamic)
set(VCPKG_CMAKE_SYSTEM_NAME Linux)
set(VCPKG_TARGET_IS_LINUX ON)
file(MAKE_DIRECTORY "${CURRENT_BUILDTREES_DIR}" "${CURRENT_PACKAGES_DIR}" "${CURRENT_INSTALLED_DIR}")

set(called "")

# reject_extra_arguments(NAME): a stand-in fails, as vcpkg's function would, on arguments it does
# not know (after cmake_parse_arguments with the prefix `arg`).
macro(reject_extra_arguments name)
  if(DEFINED arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${name}: extra arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
endmacro()

function(vcpkg_check_linkage)
  cmake_parse_arguments(PARSE_ARGV 0 arg
    "ONLY_STATIC_LIBRARY;ONLY_DYNAMIC_LIBRARY;ONLY_DYNAMIC_CRT;ONLY_STATIC_CRT" "" "")
  reject_extra_arguments(vcpkg_check_linkage)
  if(arg_ONLY_STATIC_LIBRARY AND arg_ONLY_DYNAMIC_LIBRARY)
    message(FATAL_ERROR "vcpkg_check_linkage: both ONLY_STATIC_LIBRARY and ONLY_DYNAMIC_LIBRARY")
  endif()
  if(arg_ONLY_DYNAMIC_LIBRARY)
    set(VCPKG_LIBRARY_LINKAGE dynamic PARENT_SCOPE)
  endif()
  set(called ${called} vcpkg_check_linkage PARENT_SCOPE)
endfunction()

# Reads a build directory's cache entry (empty when absent).
function(cache_value build_dir name out)
  file(STRINGS "${build_dir}/CMakeCache.txt" line REGEX "^${name}:[A-Z]+=")
  string(REGEX REPLACE "^[^=]*=" "" value "${line}")
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

function(vcpkg_cmake_configure)
  cmake_parse_arguments(PARSE_ARGV 0 arg
    "PREFER_NINJA;DISABLE_PARALLEL_CONFIGURE;WINDOWS_USE_MSBUILD;NO_CHARSET_FLAG;Z_CMAKE_GET_VARS_USAGE"
    "SOURCE_PATH;GENERATOR;LOGFILE_BASE"
    "OPTIONS;OPTIONS_DEBUG;OPTIONS_RELEASE;MAYBE_UNUSED_VARIABLES")
  reject_extra_arguments(vcpkg_cmake_configure)
  if(NOT DEFINED arg_SOURCE_PATH OR NOT EXISTS "${arg_SOURCE_PATH}/CMakeLists.txt")
    message(FATAL_ERROR "vcpkg_cmake_configure: SOURCE_PATH '${arg_SOURCE_PATH}' has no CMakeLists.txt")
  endif()
  # The settings vcpkg_cmake_configure adds for a release build of a static library, as far as
  # they bear on what gets installed where.
  set(build_dir "${CURRENT_BUILDTREES_DIR}/${TARGET_TRIPLET}-rel")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${arg_SOURCE_PATH}" -B "${build_dir}" -G Ninja
      -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_INSTALL_PREFIX=${CURRENT_PACKAGES_DIR}"
      -DBUILD_SHARED_LIBS=OFF
      -DCMAKE_INSTALL_LIBDIR:STRING=lib
      -DCMAKE_INSTALL_BINDIR:STRING=bin
      -DCMAKE_ERROR_ON_ABSOLUTE_INSTALL_DESTINATION=ON
      -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON
      ${arg_OPTIONS} ${arg_OPTIONS_RELEASE}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  file(WRITE "${CURRENT_BUILDTREES_DIR}/config-${TARGET_TRIPLET}-rel-out.log" "${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "vcpkg_cmake_configure: the configure failed:\n${out}")
  endif()
  # vcpkg warns about options the project never reads; a port should pass none.
  set(specified "")
  foreach(option IN LISTS arg_OPTIONS arg_OPTIONS_RELEASE arg_OPTIONS_DEBUG)
    if(option MATCHES "^-D([^:=]*)[:=]")
      list(APPEND specified "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(out MATCHES "Manually-specified variables were not used by the project:\n\n((    [^\n]*\n)*)")
    string(STRIP "${CMAKE_MATCH_1}" unused)
    string(REPLACE "\n    " ";" unused "${unused}")
    foreach(variable IN LISTS unused)
      if(variable IN_LIST specified AND NOT variable IN_LIST arg_MAYBE_UNUSED_VARIABLES)
        message(FATAL_ERROR "vcpkg_cmake_configure: option ${variable} is not used by the project")
      endif()
    endforeach()
  endif()
  set(port_build_dir "${build_dir}" PARENT_SCOPE)
  set(port_options ${arg_OPTIONS} ${arg_OPTIONS_RELEASE} PARENT_SCOPE)
  set(called ${called} vcpkg_cmake_configure PARENT_SCOPE)
endfunction()

function(vcpkg_cmake_install)
  cmake_parse_arguments(PARSE_ARGV 0 arg "DISABLE_PARALLEL;ADD_BIN_TO_PATH" "" "")
  reject_extra_arguments(vcpkg_cmake_install)
  if(NOT port_build_dir)
    message(FATAL_ERROR "vcpkg_cmake_install before vcpkg_cmake_configure")
  endif()
  if(PREBUILT)
    # The prebuilt tree stands in for the port's own build only if it is configured the same in
    # everything that decides what is built and installed.
    foreach(name IN ITEMS CMAKE_BUILD_TYPE BUILD_SHARED_LIBS BOOST_SOCKN_BUILD_TESTS
                          BOOST_SOCKN_BUILD_EXAMPLES BOOST_SOCKN_BUILD_BENCH BOOST_SOCKN_SANITIZE
                          CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_DATADIR)
      cache_value("${port_build_dir}" ${name} port_value)
      cache_value("${PREBUILT}" ${name} prebuilt_value)
      foreach(value_var IN ITEMS port_value prebuilt_value)
        if(${value_var} STREQUAL "" AND name STREQUAL "BUILD_SHARED_LIBS")
          set(${value_var} OFF)
        endif()
        if(${value_var} MATCHES "^(ON|TRUE|YES|1)$")
          set(${value_var} ON)
        elseif(${value_var} MATCHES "^(OFF|FALSE|NO|0)$")
          set(${value_var} OFF)
        endif()
      endforeach()
      if(NOT port_value STREQUAL prebuilt_value)
        message(FATAL_ERROR "vcpkg_cmake_install: ${PREBUILT} has ${name}='${prebuilt_value}', "
                            "the port's configuration '${port_value}'")
      endif()
    endforeach()
    set(install_from "${PREBUILT}")
  else()
    execute_process(COMMAND "${CMAKE_COMMAND}" --build "${port_build_dir}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "vcpkg_cmake_install: the build failed")
    endif()
    set(install_from "${port_build_dir}")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --install "${install_from}" --prefix "${CURRENT_PACKAGES_DIR}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "vcpkg_cmake_install: the install failed:\n${out}")
  endif()
  set(called ${called} vcpkg_cmake_install PARENT_SCOPE)
endfunction()

# vcpkg's documented steps for a release-only build: the config files move from CONFIG_PATH to
# share/<PACKAGE_NAME>, CONFIG_PATH goes (with its parent when that is named cmake), and the
# prefix computations of the moved files are corrected for their new depth.
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "DO_NOT_DELETE_PARENT_CONFIG_PATH;NO_PREFIX_CORRECTION"
    "PACKAGE_NAME;CONFIG_PATH;TOOLS_PATH" "")
  reject_extra_arguments(vcpkg_cmake_config_fixup)
  if(NOT arg_PACKAGE_NAME)
    set(arg_PACKAGE_NAME "${PORT}")
  endif()
  if(NOT arg_CONFIG_PATH)
    set(arg_CONFIG_PATH "share/${arg_PACKAGE_NAME}")
  endif()
  set(release_share "${CURRENT_PACKAGES_DIR}/share/${arg_PACKAGE_NAME}")
  set(release_config "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}")
  if(NOT EXISTS "${release_config}")
    message(FATAL_ERROR "vcpkg_cmake_config_fixup: '${release_config}' does not exist")
  endif()
  if(NOT arg_CONFIG_PATH STREQUAL "share/${arg_PACKAGE_NAME}")
    file(GLOB files "${release_config}/*")
    file(COPY ${files} DESTINATION "${release_share}")
    file(REMOVE_RECURSE "${release_config}")
    get_filename_component(parent "${release_config}" DIRECTORY)
    get_filename_component(parent_name "${parent}" NAME)
    string(TOLOWER "${parent_name}" parent_name)
    if(parent_name STREQUAL "cmake" AND NOT arg_DO_NOT_DELETE_PARENT_CONFIG_PATH)
      file(REMOVE_RECURSE "${parent}")
    endif()
  endif()
  file(GLOB_RECURSE cmake_files "${release_share}/*.cmake")
  foreach(cmake_file IN LISTS cmake_files)
    file(READ "${cmake_file}" contents)
    if(NOT arg_NO_PREFIX_CORRECTION)
      string(REGEX REPLACE
[[get_filename_component\(_IMPORT_PREFIX "\${CMAKE_CURRENT_LIST_FILE}" PATH\)(
get_filename_component\(_IMPORT_PREFIX "\${_IMPORT_PREFIX}" PATH\))*]]
[[get_filename_component(_IMPORT_PREFIX "${CMAKE_CURRENT_LIST_FILE}" PATH)
get_filename_component(_IMPORT_PREFIX "${_IMPORT_PREFIX}" PATH)
get_filename_component(_IMPORT_PREFIX "${_IMPORT_PREFIX}" PATH)]]
        contents "${contents}")
      string(REGEX REPLACE
[[get_filename_component\(PACKAGE_PREFIX_DIR "\${CMAKE_CURRENT_LIST_DIR}/\.\./(\.\./)*" ABSOLUTE\)]]
[[get_filename_component(PACKAGE_PREFIX_DIR "${CMAKE_CURRENT_LIST_DIR}/../../" ABSOLUTE)]]
        contents "${contents}")
    endif()
    string(REPLACE "${CURRENT_INSTALLED_DIR}" [[${_IMPORT_PREFIX}]] contents "${contents}")
    string(REPLACE "${CURRENT_PACKAGES_DIR}" [[${_IMPORT_PREFIX}]] contents "${contents}")
    file(WRITE "${cmake_file}" "${contents}")
  endforeach()
  set(fixed_package_name "${arg_PACKAGE_NAME}" PARENT_SCOPE)
  set(called ${called} vcpkg_cmake_config_fixup PARENT_SCOPE)
endfunction()

# vcpkg's rewrite of a release .pc file (its prefix relative to the file) and its check that
# pkg-config accepts the result.
function(vcpkg_fixup_pkgconfig)
  cmake_parse_arguments(PARSE_ARGV 0 arg "SKIP_CHECK" ""
    "RELEASE_FILES;DEBUG_FILES;SYSTEM_LIBRARIES;SYSTEM_PACKAGES;IGNORE_FLAGS")
  reject_extra_arguments(vcpkg_fixup_pkgconfig)
  if(NOT DEFINED arg_RELEASE_FILES)
    file(GLOB_RECURSE arg_RELEASE_FILES "${CURRENT_PACKAGES_DIR}/*.pc")
    list(FILTER arg_RELEASE_FILES EXCLUDE REGEX "^${CURRENT_PACKAGES_DIR}/debug/")
  endif()
  if(NOT arg_RELEASE_FILES)
    message(FATAL_ERROR "vcpkg_fixup_pkgconfig: the install has no .pc file to fix")
  endif()
  find_program(pkg_config NAMES pkg-config pkgconf REQUIRED)
  foreach(pc IN LISTS arg_RELEASE_FILES)
    get_filename_component(pc_dir "${pc}" DIRECTORY)
    file(RELATIVE_PATH relative "${pc_dir}" "${CURRENT_PACKAGES_DIR}")
    string(REGEX REPLACE "/$" "" relative "${relative}")
    file(READ "${pc}" contents)
    string(REPLACE "${CURRENT_PACKAGES_DIR}" [[${prefix}]] contents "\n${contents}")
    string(REGEX REPLACE "\n[\t ]*prefix[\t ]*=[^\n]*" "" contents "${contents}")
    set(contents "prefix=\${pcfiledir}/${relative}${contents}")
    file(WRITE "${pc}" "${contents}")
    get_filename_component(name "${pc}" NAME_WE)
    if(NOT arg_SKIP_CHECK)
      execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pc_dir}"
                        "${pkg_config}" --print-errors --exists "${name}"
                      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "vcpkg_fixup_pkgconfig: pkg-config rejects ${pc}:\n${out}")
      endif()
    endif()
  endforeach()
  set(called ${called} vcpkg_fixup_pkgconfig PARENT_SCOPE)
endfunction()

function(vcpkg_install_copyright)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "COMMENT" "FILE_LIST")
  reject_extra_arguments(vcpkg_install_copyright)
  list(LENGTH arg_FILE_LIST count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "vcpkg_install_copyright: this stand-in takes one file, got '${arg_FILE_LIST}'")
  endif()
  file(INSTALL "${arg_FILE_LIST}" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}" RENAME copyright)
  set(called ${called} vcpkg_install_copyright PARENT_SCOPE)
endfunction()

include("${CURRENT_PORT_DIR}/portfile.cmake")

foreach(function IN ITEMS vcpkg_cmake_configure vcpkg_cmake_install vcpkg_cmake_config_fixup
                          vcpkg_fixup_pkgconfig vcpkg_install_copyright)
  if(NOT function IN_LIST called)
    problem("the portfile does not call ${function}")
  endif()
endforeach()
foreach(option IN ITEMS BOOST_SOCKN_BUILD_TESTS BOOST_SOCKN_BUILD_EXAMPLES BOOST_SOCKN_BUILD_BENCH)
  if(NOT "-D${option}=OFF" IN_LIST port_options)
    problem("the portfile does not pass -D${option}=OFF")
  endif()
endforeach()

# The layout vcpkg expects of a finished package.
set(pkg "${CURRENT_PACKAGES_DIR}")
foreach(path IN ITEMS
    include/boost_sockn/boost_sockn.hpp
    include/boost_sockn/version.hpp
    lib/libboost_sockn.a
    lib/pkgconfig/boost_sockn.pc
    share/boost_sockn/boost_sockn-config.cmake
    share/boost_sockn/boost_sockn-config-version.cmake
    share/boost_sockn/boost_sockn-targets.cmake
    share/boost_sockn/boost_sockn-targets-release.cmake
    share/${PORT}/copyright
    share/${PORT}/usage)
  if(NOT EXISTS "${pkg}/${path}")
    problem("missing ${path}")
  endif()
endforeach()
foreach(path IN ITEMS lib/cmake debug/include debug/share share/doc)
  if(EXISTS "${pkg}/${path}")
    problem("left behind: ${path}")
  endif()
endforeach()
file(GLOB_RECURSE fixed_files "${pkg}/share/*.cmake" "${pkg}/lib/pkgconfig/*.pc")
foreach(fixed IN LISTS fixed_files)
  file(READ "${fixed}" contents)
  string(FIND "${contents}" "${WORK_DIR}" at)
  if(NOT at EQUAL -1)
    file(RELATIVE_PATH shown "${pkg}" "${fixed}")
    problem("${shown} holds an absolute path of the build machine")
  endif()
endforeach()

# What the usage file tells a user must work: find_package(boost_sockn CONFIG) on the package
# tree, with the imported library where the fixed-up targets file says (CMake checks that the
# file exists). Configuring test/consumer is enough; nothing is compiled.
file(READ "${pkg}/share/${PORT}/usage" usage)
foreach(text IN ITEMS "find_package(boost_sockn CONFIG REQUIRED)" "boost_sockn::boost_sockn")
  string(FIND "${usage}" "${text}" at)
  if(at EQUAL -1)
    problem("usage does not say ${text}")
  endif()
endforeach()
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${source_dir}/test/consumer" -B "${WORK_DIR}/consumer" -G Ninja
    "-DCMAKE_PREFIX_PATH=${pkg}" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  problem("find_package(boost_sockn) on the package tree fails:\n${out}")
elseif(NOT out MATCHES "boost_sockn ${project_version} from ${pkg}/share/boost_sockn")
  problem("find_package(boost_sockn) did not take the package tree's config:\n${out}")
endif()

if(problems)
  list(LENGTH problems count)
  message(FATAL_ERROR "vcpkg port check: ${count} problem(s)")
endif()
file(GLOB_RECURSE installed RELATIVE "${pkg}" "${pkg}/*")
list(FILTER installed EXCLUDE REGEX "^include/")
file(GLOB_RECURSE headers "${pkg}/include/*")
list(LENGTH headers header_count)
list(SORT installed)
list(JOIN installed "\n  " installed)
# Plain lines on standard output, as the other checks of scripts/test-all.sh print theirs.
execute_process(COMMAND "${CMAKE_COMMAND}" -E echo
  "vcpkg port: package tree (${TARGET_TRIPLET} stand-in):\n  include/boost_sockn/ (${header_count} headers)\n  ${installed}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E echo
  "vcpkg port check: ok (boost-sockn ${project_version}; find_package(boost_sockn) from share/boost_sockn)")
