# conanfile.py
# The Conan 2 recipe of boost_sockn: builds this checkout with the project's own CMake install.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#
#   conan create . --build=missing          the package, from this checkout
#
# The project's CI has no Conan: scripts/check-conan-recipe.py runs this recipe's methods against
# stand-ins of Conan's classes and checks them against the CMake install tree (see there for
# what that does and does not show).

import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir


class BoostSocknConan(ConanFile):
    name = "boost-sockn"
    description = ("Readiness-based socket I/O for Boost.Asio and Boost.Beast on "
                   "ProcessSocketNotifications")
    license = "BSL-1.0"
    topics = ("asio", "beast", "networking", "sockets", "windows")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"shared": [True, False], "fPIC": [True, False]}
    default_options = {
        "shared": False,
        "fPIC": True,
        # boost_sockn and the programs that use it need Boost's headers only (Boost.System is
        # header-only since 1.69): nothing of Boost has to be compiled for it.
        "boost/*:header_only": True,
    }
    # What the build reads with the tests, examples and benchmarks off.
    exports_sources = ("CMakeLists.txt", "LICENSE_1_0.txt", "cmake/*", "include/*", "src/*")

    def set_version(self):
        # One version, in include/boost_sockn/version.hpp (Boost's numeric form), as CMake reads it.
        header = load(self, os.path.join(self.recipe_folder, "include", "boost_sockn", "version.hpp"))
        number = int(re.search(r"^#define BOOST_SOCKN_VERSION (\d+)", header, re.M).group(1))
        self.version = f"{number // 100000}.{number // 100 % 1000}.{number % 100}"

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # The public headers include Asio's and Beast's: a program compiles them too.
        self.requires("boost/1.81.0", transitive_headers=True)

    def validate(self):
        check_min_cppstd(self, 17)
        if self.settings.os not in ("Windows", "Linux"):
            raise ConanInvalidConfiguration(
                f"{self.ref} has port backends for Windows and Linux only")
        if self.settings.os == "Windows" and self.options.shared:
            raise ConanInvalidConfiguration(
                f"{self.ref} exports no DLL interface: use shared=False on Windows")

    def generate(self):
        toolchain = CMakeToolchain(self)
        toolchain.cache_variables["BOOST_SOCKN_BUILD_TESTS"] = False
        toolchain.cache_variables["BOOST_SOCKN_BUILD_EXAMPLES"] = False
        toolchain.cache_variables["BOOST_SOCKN_BUILD_BENCH"] = False
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        cmake = CMake(self)
        cmake.install()
        copy(self, "LICENSE_1_0.txt", self.source_folder,
             os.path.join(self.package_folder, "licenses"))
        # A program finds boost_sockn through CMakeDeps' files, which bring Conan's Boost; the
        # project's own CMake config would compete with them. The licence moved to licenses/.
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "share"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "boost_sockn")
        self.cpp_info.set_property("cmake_target_name", "boost_sockn::boost_sockn")
        self.cpp_info.set_property("pkg_config_name", "boost_sockn")
        self.cpp_info.libs = ["boost_sockn"]
        self.cpp_info.requires = ["boost::headers"]
        # The definitions a program must share with the library (with a POSIX-threads mingw-w64,
        # BOOST_ASIO_HAS_PTHREADS) are the CMake target's public ones,
        # which CMakeLists.txt writes into the installed pkg-config file: read there, they cannot
        # differ from what the build decided.
        pc = load(self, os.path.join(self.package_folder, "lib", "pkgconfig", "boost_sockn.pc"))
        cflags = re.search(r"^Cflags:(.*)$", pc, re.M).group(1).split()
        self.cpp_info.defines = [flag[2:] for flag in cflags if flag.startswith("-D")]
        if self.settings.os == "Windows":
            self.cpp_info.system_libs = ["ws2_32", "mswsock"]
        elif self.settings.os == "Linux":
            self.cpp_info.system_libs = ["pthread"]
