#!/usr/bin/env python3
# scripts/check-conan-recipe.py
# Checks conanfile.py without Conan, against a CMake install tree of boost_sockn.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

"""Checks the Conan 2 recipe (conanfile.py) where Conan is not installed.

    python3 scripts/check-conan-recipe.py [--os Linux|Windows] INSTALL_TREE

INSTALL_TREE is what `cmake --install` (or the Windows ZIP) of the library gives, built for --os.
The recipe is imported with stand-ins of the Conan modules it uses, which offer only names Conan 2
has and record what the recipe asks of them. What this shows: the recipe parses and imports; its
version is the one the CMake package says; its sources cover what the CMake build reads; the
CMake options it sets exist; its options behave (fPIC dropped on Windows and for shared builds,
shared refused on Windows, only Windows and Linux accepted); its package() leaves the tree
package_info() describes; and package_info() names files that the install has, with the same
definitions and system libraries as the exported CMake target. What it cannot show: that Conan
resolves boost/1.81.0, that CMakeToolchain and CMakeDeps configure the build, that the package
builds, and what a consumer gets from CMakeDeps: only a run of Conan shows those.
"""

import argparse
import ast
import fnmatch
import importlib.util
import os
import re
import shutil
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
problems = []


def problem(text):
    problems.append(text)
    print(f"conan recipe check: PROBLEM: {text}")


# --- stand-ins of the Conan 2 names the recipe may import ----------------------------------------

class ConanInvalidConfiguration(Exception):
    pass


class Value:
    """A setting or option value: compares with strings and is true or false as Conan's are."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return str(self.value) == str(other)

    def __hash__(self):
        return hash(str(self.value))

    def __bool__(self):
        return self.value not in (False, None, "False", "None")

    def __str__(self):
        return str(self.value)


class Settings:
    def __init__(self, values):
        self._values = dict(values)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return Value(self._values.get(name))

    def get_safe(self, name, default=None):
        return Value(self._values[name]) if name in self._values else default


class Options:
    def __init__(self, values):
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._values:
            raise AttributeError(f"option '{name}' does not exist (or was removed)")
        return Value(self._values[name])

    def __setattr__(self, name, value):
        self._values[name] = value

    def __delattr__(self, name):
        del self._values[name]

    def rm_safe(self, name):
        self._values.pop(name, None)

    def get_safe(self, name, default=None):
        return Value(self._values[name]) if name in self._values else default

    def names(self):
        return set(self._values)


class CppInfo:
    def __init__(self):
        # Conan 2's defaults for a package's C++ information.
        self.includedirs = ["include"]
        self.libdirs = ["lib"]
        self.bindirs = ["bin"]
        self.libs = []
        self.defines = []
        self.system_libs = []
        self.requires = []
        self.properties = {}

    def set_property(self, name, value):
        self.properties[name] = value

    def get_property(self, name):
        return self.properties.get(name)


class ConanFile:
    name = None
    version = None

    def __init__(self, settings, options, recipe_folder):
        self.settings = Settings(settings)
        self.options = Options(options)
        self.recipe_folder = str(recipe_folder)
        self.source_folder = str(recipe_folder)
        self.package_folder = None
        self.cpp_info = CppInfo()
        self.requirements_seen = []
        self.cache_variables = None
        self.installed = False

    @property
    def ref(self):
        return f"{self.name}/{self.version}"

    def requires(self, ref, **traits):
        self.requirements_seen.append((ref, traits))


def check_min_cppstd(conanfile, cppstd):
    conanfile.min_cppstd_checked = str(cppstd)


class CMakeToolchain:
    def __init__(self, conanfile):
        self._conanfile = conanfile
        self.cache_variables = {}

    def generate(self):
        self._conanfile.cache_variables = dict(self.cache_variables)


class CMakeDeps:
    def __init__(self, conanfile):
        self._conanfile = conanfile

    def generate(self):
        self._conanfile.cmakedeps_generated = True


class CMake:
    """The install tree given on the command line is what cmake.install() would leave."""

    def __init__(self, conanfile):
        self._conanfile = conanfile

    def configure(self):
        pass

    def build(self):
        pass

    def install(self):
        self._conanfile.installed = True


def cmake_layout(conanfile):
    conanfile.layout_done = True


def load(conanfile, path, encoding="utf-8"):
    return Path(path).read_text(encoding=encoding)


def copy(conanfile, pattern, src, dst, keep_path=True, excludes=None, ignore_case=True):
    copied = []
    for path in Path(src).rglob("*"):
        relative = path.relative_to(src).as_posix()
        if path.is_file() and fnmatch.fnmatch(relative, pattern):
            target = Path(dst) / (relative if keep_path else path.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied.append(str(target))
    return copied


def rmdir(conanfile, path):
    shutil.rmtree(path, ignore_errors=True)


def install_stand_ins():
    # Importing the recipe must leave no __pycache__ beside it in the checkout.
    sys.dont_write_bytecode = True
    modules = {
        "conan": {"ConanFile": ConanFile},
        "conan.errors": {"ConanInvalidConfiguration": ConanInvalidConfiguration},
        "conan.tools": {},
        "conan.tools.build": {"check_min_cppstd": check_min_cppstd},
        "conan.tools.cmake": {"CMake": CMake, "CMakeDeps": CMakeDeps,
                              "CMakeToolchain": CMakeToolchain, "cmake_layout": cmake_layout},
        "conan.tools.files": {"copy": copy, "load": load, "rmdir": rmdir},
    }
    for name, members in modules.items():
        module = types.ModuleType(name)
        module.__path__ = []
        module.__dict__.update(members)
        sys.modules[name] = module


# --- what the recipe is checked against ----------------------------------------------------------

def project_version():
    header = (ROOT / "include" / "boost_sockn" / "version.hpp").read_text()
    number = int(re.search(r"^#define BOOST_SOCKN_VERSION (\d+)", header, re.M).group(1))
    return f"{number // 100000}.{number // 100 % 1000}.{number % 100}"


def exported_target(tree):
    """The public interface of boost_sockn::boost_sockn as the installed CMake files export it."""
    targets = next(tree.glob("lib/cmake/boost_sockn/boost_sockn-targets.cmake"), None)
    if targets is None:
        problem("the install tree has no lib/cmake/boost_sockn/boost_sockn-targets.cmake")
        return [], []
    text = targets.read_text()

    def prop(name):
        match = re.search(rf'{name} "([^"]*)"', text)
        return match.group(1).split(";") if match and match.group(1) else []

    return prop("INTERFACE_COMPILE_DEFINITIONS"), prop("INTERFACE_LINK_LIBRARIES")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--os", default="Linux", choices=["Linux", "Windows"])
    parser.add_argument("tree", type=Path, help="a CMake install tree of boost_sockn")
    args = parser.parse_args()
    tree = args.tree.resolve()
    recipe_path = ROOT / "conanfile.py"
    cmakelists = (ROOT / "CMakeLists.txt").read_text()

    # Parses, and imports nothing but what the stand-ins (Conan 2's names) offer.
    source = recipe_path.read_text()
    module_ast = ast.parse(source, str(recipe_path))
    for node in ast.walk(module_ast):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("conans"):
            problem(f"imports {node.module}: Conan 1's module, gone in Conan 2")
    install_stand_ins()
    spec = importlib.util.spec_from_file_location("boost_sockn_conanfile", recipe_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recipes = [value for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, ConanFile) and value is not ConanFile]
    if len(recipes) != 1:
        problem(f"expected one ConanFile class, found {len(recipes)}")
        return 1
    recipe = recipes[0]

    def instance(os_name="Linux", **options):
        values = dict(recipe.default_options)
        values = {k: v for k, v in values.items() if ":" not in k}
        values.update(options)
        settings = {"os": os_name, "arch": "x86_64", "compiler": "gcc", "build_type": "Release",
                    "compiler.cppstd": "17"}
        conanfile = recipe(settings, values, ROOT)
        conanfile.set_version()
        conanfile.config_options()
        conanfile.configure()
        return conanfile

    if recipe.name != "boost-sockn":
        problem(f"name is '{recipe.name}', not boost-sockn (the .deb's and the vcpkg port's)")
    if recipe.license != "BSL-1.0":
        problem(f"license is '{recipe.license}', not BSL-1.0")
    if set(recipe.options) != {"shared", "fPIC"}:
        problem(f"options are {sorted(recipe.options)}, not shared and fPIC")

    # The version: version.hpp's, and the installed CMake package's.
    conanfile = instance(args.os)
    version_file = tree / "lib" / "cmake" / "boost_sockn" / "boost_sockn-config-version.cmake"
    match = re.search(r'set\(PACKAGE_VERSION "([^"]+)"\)', version_file.read_text()) \
        if version_file.exists() else None
    if conanfile.version != project_version():
        problem(f"version {conanfile.version}, but version.hpp says {project_version()}")
    if not match or match.group(1) != conanfile.version:
        problem(f"version {conanfile.version}, but the installed CMake package says "
                f"{match.group(1) if match else 'nothing'}")

    # The exported sources hold every file the library's build reads: CMakeLists.txt, what it
    # includes from cmake/, the sources it lists, the headers, the licence.
    needed = {"CMakeLists.txt", "LICENSE_1_0.txt"}
    needed |= set(re.findall(r"\b(src/[\w/]+\.cpp)\b", cmakelists))
    needed |= set(re.findall(r"\b(cmake/[\w.-]+\.(?:cmake|in))\b", cmakelists))
    for directory in ("include", "src"):
        needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / directory).rglob("*")
                   if p.is_file()}
    untracked_needed = {f for f in needed if not (ROOT / f).exists()}
    for f in sorted(untracked_needed):
        problem(f"CMakeLists.txt names {f}, which does not exist")
    for f in sorted(needed - untracked_needed):
        if not any(fnmatch.fnmatch(f, pattern) for pattern in recipe.exports_sources):
            problem(f"exports_sources leaves out {f}, which the build reads")

    # CMake options: each one the recipe sets is declared by CMakeLists.txt, and the tests,
    # examples and benchmarks are off (their sources are not exported).
    conanfile.generate()
    declared = set(re.findall(r"^option\((\w+)", cmakelists, re.M))
    for variable, value in (conanfile.cache_variables or {}).items():
        if variable not in declared:
            problem(f"generate() sets {variable}, which CMakeLists.txt does not declare")
    for variable in ("BOOST_SOCKN_BUILD_TESTS", "BOOST_SOCKN_BUILD_EXAMPLES",
                     "BOOST_SOCKN_BUILD_BENCH"):
        if (conanfile.cache_variables or {}).get(variable) is not False:
            problem(f"generate() does not set {variable} to False")
    if not getattr(conanfile, "cmakedeps_generated", False):
        problem("generate() does not run CMakeDeps")

    # Boost: the version CMakeLists.txt asks for, with its headers passed on to programs.
    conanfile.requirements()
    boost = [(ref, traits) for ref, traits in conanfile.requirements_seen if ref.startswith("boost/")]
    wanted = re.search(r"find_package\(Boost ([\d.]+)", cmakelists).group(1)
    if len(boost) != 1 or not boost[0][0].startswith(f"boost/{wanted}"):
        problem(f"requires {[ref for ref, _ in boost]}, not Boost {wanted} (CMakeLists.txt)")
    elif not boost[0][1].get("transitive_headers"):
        problem("boost is not required with transitive_headers=True (the headers include Boost's)")

    # Options and the configurations the recipe accepts.
    if "fPIC" in instance("Windows").options.names():
        problem("fPIC is kept on Windows")
    if "fPIC" in instance("Linux", shared=True).options.names():
        problem("fPIC is kept for a shared library")
    for os_name, shared, accepted in (("Linux", False, True), ("Linux", True, True),
                                      ("Windows", False, True), ("Windows", True, False),
                                      ("Macos", False, False)):
        try:
            checked = instance(os_name, shared=shared)
            checked.validate()
            outcome = True
            if getattr(checked, "min_cppstd_checked", None) != "17":
                problem("validate() does not check for C++17")
        except ConanInvalidConfiguration:
            outcome = False
        if outcome != accepted:
            problem(f"validate() {'accepts' if outcome else 'refuses'} os={os_name} shared={shared}")

    # package() on a copy of the install tree, then package_info() on what it leaves.
    definitions, link_libraries = exported_target(tree)
    with tempfile.TemporaryDirectory() as scratch:
        package_folder = Path(scratch) / "package"
        shutil.copytree(tree, package_folder, symlinks=True)
        conanfile.package_folder = str(package_folder)
        conanfile.package()
        if not conanfile.installed:
            problem("package() does not run cmake.install()")
        if not (package_folder / "licenses" / "LICENSE_1_0.txt").is_file():
            problem("package() leaves no licenses/LICENSE_1_0.txt")
        if (package_folder / "lib" / "cmake").exists():
            problem("package() keeps the project's CMake config beside CMakeDeps'")
        conanfile.package_info()
        info = conanfile.cpp_info

        if info.get_property("cmake_file_name") != "boost_sockn":
            problem(f"cmake_file_name is {info.get_property('cmake_file_name')}, not boost_sockn")
        if info.get_property("cmake_target_name") != "boost_sockn::boost_sockn":
            problem(f"cmake_target_name is {info.get_property('cmake_target_name')}")
        for directory in info.includedirs:
            if not (package_folder / directory / "boost_sockn" / "boost_sockn.hpp").is_file():
                problem(f"includedirs names {directory}, which has no boost_sockn/boost_sockn.hpp")
        for lib in info.libs:
            names = [f"lib{lib}.a", f"{lib}.lib", f"lib{lib}.so", f"lib{lib}.dll.a"]
            if not any((package_folder / d / n).is_file() for d in info.libdirs for n in names):
                problem(f"libs names {lib}, but no {names} in {info.libdirs}")
        if sorted(info.defines) != sorted(definitions):
            problem(f"defines {info.defines}, but the CMake target's are {definitions}")
        # The CMake target's link interface, in Conan's words: system libraries by name,
        # Threads::Threads as pthread, Boost::headers as the boost requirement's headers.
        cmake_system_libs = sorted("pthread" if item == "Threads::Threads" else item
                                   for item in link_libraries if item != "Boost::headers")
        if sorted(info.system_libs) != cmake_system_libs:
            problem(f"system_libs {info.system_libs}, but the CMake target links {link_libraries}")
        if "Boost::headers" in link_libraries and info.requires != ["boost::headers"]:
            problem(f"requires {info.requires}, but the CMake target links Boost::headers")

    if problems:
        print(f"conan recipe check: {len(problems)} problem(s)")
        return 1
    print(f"conan recipe: {recipe.name}/{conanfile.version} on {args.os}: libs {info.libs}, "
          f"defines {info.defines}, system_libs {info.system_libs}, requires {info.requires}")
    print(f"conan recipe check: ok ({args.os} install tree; Conan itself not run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
