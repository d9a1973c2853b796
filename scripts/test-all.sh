#!/usr/bin/env bash
# Every test of boost_sockn, on a fresh or an already prepared Debian 12 machine.
#
#   bash scripts/test-all.sh                 all stages
#   bash scripts/test-all.sh linux asan      only the named stages (in the order given)
#   bash scripts/test-all.sh --list          the stage names
#
# Each CMake stage is a preset of CMakePresets.json (build/<stage>/, logged to
# build/logs/<stage>.log); .github/workflows/ci.yml names the same presets.
#   linux        GCC, -O0 with assertions, ctest (the I/O object tests also against native Asio)
#   asan         clang, ASan+UBSan, -O0 with assertions, ctest (without the native-Asio twins and
#                the Asio originals of the examples); warnings are errors in the library
#   tsan         GCC, TSan build of the reactor and I/O object tests
#   install      install to a scratch prefix, then build and run test/consumer against it; the
#                Debian package (CPack) installed with apt-get, the consumer built against it,
#                the package removed; the vcpkg port and the Conan recipe checked (stand-ins)
#   b2           b2 build with Debian's Boost.Build, tests run by b2 (port, socket, acceptor, UDP,
#                reactor, watcher; the token tests are CMake's)
#   mingw        mingw-w64 GCC cross build (-O1) for Windows, ctest under Wine (boost_sockn
#                builds of the flavoured programs only; the Asio originals are checked on Linux);
#                its ZIP package (CPack) unpacked and used by test/consumer under Wine
#   mingw-clang  the library, the port and the socket suites built by clang for
#                x86_64-w64-mingw32 (-O1 with assertions), both suites run under Wine
#   workflow     .github/workflows/ci.yml parses and names only presets and stages that exist
#
# Missing Debian packages are installed first (apt-get; needs root or sudo). Every stage runs even
# when an earlier one failed; a summary table closes the run, and the exit status is non-zero if
# any stage failed. JOBS (default 2) sets the build parallelism, TEST_JOBS (default 4) the tests'.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
set -euo pipefail

script=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
root=$(dirname "$(dirname "$script")")
cd "$root"
# shellcheck source=scripts/common.sh
source scripts/common.sh

all_stages=(linux asan tsan install b2 mingw mingw-clang workflow)
jobs=${JOBS:-2}
# Tests mostly wait (on sockets, timers, the wineserver): more of them than cores run at once.
test_jobs=${TEST_JOBS:-4}
build=$root/build
logs=$build/logs

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/test/tsan.supp"
export CTEST_OUTPUT_ON_FAILURE=1
export BOOST_TEST_COLOR_OUTPUT=no   # plain text in the logs

usage()
{
  sed -n '2,28p' "$script" | sed 's/^# \{0,1\}//'
}

stages=()
for arg in "$@"; do
  case $arg in
    -h|--help) usage; exit 0 ;;
    --list) printf '%s\n' "${all_stages[@]}"; exit 0 ;;
    *)
      if [[ " ${all_stages[*]} " != *" $arg "* ]]; then
        echo "unknown stage '$arg' (stages: ${all_stages[*]})" >&2
        exit 2
      fi
      stages+=("$arg") ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=("${all_stages[@]}")

#--------------------------------------------------------------------------------------------------
# Helpers
#--------------------------------------------------------------------------------------------------

# The sanitizer runtimes of GCC 12 cannot map their shadow memory when the kernel randomises mmap
# with more than 28 bits (newer kernels' default); run the sanitized tests without ASLR then.
no_aslr=()
sanitizer_runner()
{
  local bits
  bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)
  if [ "$bits" -gt 28 ] && setarch "$(uname -m)" -R true 2>/dev/null; then
    echo "vm.mmap_rnd_bits=$bits: running the sanitized tests under 'setarch -R' (no ASLR)"
    no_aslr=(setarch "$(uname -m)" -R)
  else
    no_aslr=()
  fi
}

# run_ctest PRESET [ctest arguments...]: the tests of a preset's build, then the results worth a
# glance (ctest keeps a passing test's output only in its log).
run_ctest()
{
  local preset=$1 rc=0
  shift
  "${no_aslr[@]}" ctest --preset "$preset" -j "$test_jobs" "$@" || rc=$?
  echo "results:"
  grep -h ': [0-9]* passed, [0-9]* failed, [0-9]* skipped\|^skipped \|self-test passed\|self-test FAILED' \
    "$build/$preset/Testing/Temporary/LastTest.log" 2>/dev/null | sed 's/^/  /' || true
  return $rc
}

# preset_build PRESET [targets...]: configure and build one of CMakePresets.json's presets.
preset_build()
{
  local preset=$1
  shift
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  cmake --preset "$preset"
  cmake --build --preset "$preset" -j "$jobs" "${targets[@]}"
}

# build_consumer PREFIX DIR [cmake arguments...]: builds test/consumer's programs against the
# boost_sockn installed in PREFIX, as a user project would find it (CMAKE_PREFIX_PATH), and runs
# them (under Wine when the arguments name a Windows toolchain).
build_consumer()
{
  local prefix=$1 dir=$2 rc=0
  shift 2
  rm -rf "$dir"
  cmake -S "$root/test/consumer" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" "$@"
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$test_jobs" || rc=$?
  grep -h '^[a-z ]*consumer: ' "$dir/Testing/Temporary/LastTest.log" 2>/dev/null | sed 's/^/  /' || true
  return $rc
}

#--------------------------------------------------------------------------------------------------
# Stages
#--------------------------------------------------------------------------------------------------

stage_linux()
{
  preset_build linux
  no_aslr=()
  run_ctest linux
}

stage_asan()
{
  preset_build asan
  sanitizer_runner
  run_ctest asan
}

stage_tsan()
{
  preset_build tsan
  sanitizer_runner
  run_ctest tsan
}

stage_install()
{
  local prefix=$build/install-prefix
  rm -rf "$build/install" "$prefix" "$build/consumer"
  preset_build install
  cmake --install "$build/install" --prefix "$prefix"
  echo "installed files:"
  (cd "$prefix" && find . -type f | sort)
  build_consumer "$prefix" "$build/consumer"
  # The same program built without CMake, from the pkg-config file alone.
  local pc_dir
  pc_dir=$(dirname "$(find "$prefix" -name boost_sockn.pc | head -n 1)")
  local flags
  flags=$(PKG_CONFIG_PATH=$pc_dir pkg-config --cflags --libs boost_sockn)
  echo "pkg-config --cflags --libs boost_sockn: $flags"
  # shellcheck disable=SC2086 # the flags are words
  g++ -std=c++17 -O1 "$root/test/consumer/main.cpp" $flags -o "$build/consumer/pkg-config-consumer"
  "$build/consumer/pkg-config-consumer" | sed 's/^consumer:/pkg-config consumer:/'

  # Neither vcpkg nor Conan is here: each checker runs the port or recipe against stand-ins of
  # their functions and checks the result against this install (see the scripts).
  cmake -DWORK_DIR="$build/vcpkg-port" -DPREBUILT="$build/install" -P scripts/check-vcpkg-port.cmake
  /usr/bin/python3 scripts/check-conan-recipe.py --os Linux "$prefix"

  install_deb_and_build_consumer
}

# The Debian package of the install build (cmake/packaging.cmake), installed as a user would
# install it, and test/consumer built against the system's copy. The package is removed again
# whatever the consumer does, so that later stages and runs find the machine without it; one
# left by an interrupted run goes first.
install_deb_and_build_consumer()
{
  local packages=$build/install-packages deb flags found rc=0
  rm -rf "$packages" "$build/deb-consumer"
  remove_deb
  cpack -G DEB --config "$build/install/CPackConfig.cmake" -B "$packages"
  deb=$(find "$packages" -maxdepth 1 -name 'boost-sockn_*.deb')
  # shellcheck disable=SC2016 # dpkg's format fields, not the shell's
  dpkg-deb --show --showformat='deb: ${Package} ${Version} ${Architecture}, Depends: ${Depends}\n' "$deb"
  # apt-get, not dpkg -i: the package's Depends are resolved (and installed if missing) as for a
  # user. Another apt-get on the machine may hold the lock for a while.
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y "$deb"; then
    # A Debug program, as most are while written, on the package's Release library (CMake takes
    # the one configuration a package has); it also compiles in half the time of a Release one.
    build_consumer /usr "$build/deb-consumer" -DCMAKE_BUILD_TYPE=Debug || rc=$?
    found=$(sed -n 's/^boost_sockn_DIR:PATH=//p' "$build/deb-consumer/CMakeCache.txt" 2>/dev/null || true)
    echo "deb consumer: boost_sockn from ${found:-nowhere}"
    if [ "$found" != /usr/lib/cmake/boost_sockn ]; then
      echo "error: the consumer did not take the installed package's config"
      rc=1
    fi
    flags=$(pkg-config --cflags --libs boost_sockn) || rc=$?
    echo "deb: pkg-config --cflags --libs boost_sockn: $flags"
  else
    echo "error: apt-get could not install $deb"
    rc=1
  fi
  remove_deb || rc=$?
  if [ -e /usr/include/boost_sockn ] || [ -e /usr/lib/cmake/boost_sockn ]; then
    echo "error: files of boost-sockn are left after its removal"
    rc=1
  fi
  [ $rc -ne 0 ] || echo "deb check: ok"
  return $rc
}

# Removes the boost-sockn package in whatever state dpkg has it (a failed install leaves it
# half-installed).
remove_deb()
{
  local status
  # shellcheck disable=SC2016 # dpkg's format field, not the shell's
  status=$(dpkg-query -W -f='${db:Status-Status}' boost-sockn 2>/dev/null || true)
  if [ -n "$status" ] && [ "$status" != not-installed ]; then
    echo "removing the boost-sockn package ($status)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 purge -y boost-sockn
  fi
}

stage_b2()
{
  # b2 lists test/port/*.cpp; the CMake build lists its sources: they must be the same set.
  local listed present
  listed=$(grep -o '[A-Za-z0-9_./-]*\.cpp' test/port/CMakeLists.txt | sort -u | tr '\n' ' ')
  present=$(cd test/port && ls -- *.cpp | sort -u | tr '\n' ' ')
  if [ "$listed" != "$present" ]; then
    echo "error: test/port/CMakeLists.txt lists: $listed"
    echo "       test/port/*.cpp (b2) holds:    $present"
    echo "       make them agree (or give test/Jamfile an explicit list)"
    return 1
  fi

  mkdir -p "$build/b2"
  # Debian's b2 has no site configuration: name the toolset instead of letting it guess.
  echo 'using gcc ;' > "$build/b2/user-config.jam"
  # Forget earlier results so that b2 runs the tests again.
  find "$build/b2" -type f \( -name '*.test' -o -name '*.output' -o -name '*.run' \) -delete
  local rc=0
  # The debug variant without debug information: the tests need no debugger, and -g costs about a
  # third of the compile time of the Asio-heavy sources.
  b2 -j"$jobs" -l900 --user-config="$build/b2/user-config.jam" debug-symbols=off || rc=$?
  local f
  while IFS= read -r f; do
    echo "--- ${f#"$root"/} (last lines)"
    tail -n 5 "$f"
  done < <(find "$build/b2" -type f -name '*.output' | sort)
  return $rc
}

stage_mingw()
{
  preset_build mingw
  wine_prefix "$build/mingw"
  wine_server_start
  trap wine_server_stop EXIT
  local rc=0
  no_aslr=()
  run_ctest mingw || rc=$?
  # The Windows package (cmake/packaging.cmake: a ZIP of the install) unpacked in a fresh
  # directory and used by Windows programs, found through CMAKE_PREFIX_PATH with the toolchain
  # file a user would take, run under Wine. The ZIP holds what `cmake --install` installs, so this
  # checks the install too.
  local packages=$build/mingw-packages unpacked=$build/mingw-unpacked zip prefix
  rm -rf "$packages" "$unpacked"
  cpack -G ZIP --config "$build/mingw/CPackConfig.cmake" -B "$packages"
  zip=$(find "$packages" -maxdepth 1 -name 'boost-sockn-*.zip')
  mkdir -p "$unpacked"
  # CMake's own unpacker: the tests need no unzip program.
  (cd "$unpacked" && cmake -E tar xf "$zip")
  prefix=$unpacked/$(basename "$zip" .zip)
  echo "zip: $(basename "$zip"), files:"
  (cd "$prefix" && find . -type f | sort | sed 's/^/  /')
  /usr/bin/python3 scripts/check-conan-recipe.py --os Windows "$prefix" || rc=$?
  local consumer_rc=0
  build_consumer "$prefix" "$build/mingw-consumer" \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake" || consumer_rc=$?
  if [ $consumer_rc -eq 0 ]; then echo "zip check: ok"; else rc=$consumer_rc; fi
  return $rc
}

# The second Windows compiler: the library (its Windows backends are what no other stage
# compiles with clang) with warnings as errors, and the port and socket suites to show the result
# runs. The other suites' sources are compiled for Windows by the mingw stage and by clang in the
# asan stage; building them here too cost 470 of the build's 560 CPU-seconds.
stage_mingw-clang()
{
  # ld warns, once per standard exception class, that the typeinfo sections clang emits differ
  # in size from libstdc++'s (padding): thousands of lines, harmless (the run below shows the
  # exceptions work). They are left out of the log.
  preset_build mingw-clang boost_sockn port_conformance socket_tests 2>&1 \
    | { grep -v "duplicate section .* has different size" || true; }
  wine_prefix "$build/mingw-clang"
  wine_server_start
  trap wine_server_stop EXIT
  local rc=0
  no_aslr=()
  run_ctest mingw-clang -R '^(port_conformance|socket_tests_level_oneshot)$' || rc=$?
  return $rc
}

stage_workflow()
{
  /usr/bin/python3 scripts/check-ci-config.py "$root"
  cmake --list-presets=all >/dev/null
}

#--------------------------------------------------------------------------------------------------
# Driver
#--------------------------------------------------------------------------------------------------

mkdir -p "$logs"
declare -A result seconds note

packages=(build-essential cmake ninja-build libboost1.81-all-dev libcurl4-openssl-dev libssl-dev)
for s in "${stages[@]}"; do
  case $s in
    asan) packages+=(clang libclang-rt-14-dev) ;;
    b2) packages+=(libboost1.81-tools-dev) ;;
    install) packages+=(pkgconf python3) ;;
    mingw) packages+=(g++-mingw-w64-x86-64-posix wine wine64 python3) ;;
    mingw-clang) packages+=(clang g++-mingw-w64-x86-64-posix wine wine64) ;;
    workflow) packages+=(python3-yaml) ;;
  esac
done
start=$(date +%s)
if ! ensure_packages "${packages[@]}" 2>&1 | tee "$logs/packages.log"; then
  echo "error: could not install the packages the tests need (see $logs/packages.log)" >&2
  exit 1
fi
deps_seconds=$(( $(date +%s) - start ))

for s in "${stages[@]}"; do
  log=$logs/$s.log
  echo
  echo "=================== stage $s (log: ${log#"$root"/}) ==================="
  start=$(date +%s)
  set +e
  ( set -euo pipefail; "stage_$s" ) 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  seconds[$s]=$(( $(date +%s) - start ))
  if [ "$rc" -eq 0 ]; then result[$s]=pass; else result[$s]="FAIL($rc)"; fi
  # The conformance suite's closing line, the example's self-test, the consumers' and the
  # package checks' verdicts.
  note[$s]=$(grep -ho 'conformance: [0-9]* passed, [0-9]* failed, [0-9]* skipped\|self-test passed: .*\|consumer: ok\|^[a-z ]* check: ok' \
               "$log" | sed 's/self-test passed: .* on backend /echo self-test on /' \
               | sort -u | paste -sd ';' - | sed 's/;/; /g' || true)
  runs=$(grep -ho '[A-Za-z_]* \[[^]]*\]: [0-9]* passed, [0-9]* failed, [0-9]* skipped' "$log" | sort -u \
         | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\1 \2 \3/' \
         | awk 'NF {n++; p+=$1; f+=$2; k+=$3} END {if (n) printf "%d reactor test runs: %d passed, %d failed, %d skipped", n, p, f, k}' \
         || true)
  [ -z "$runs" ] || note[$s]="${note[$s]:+${note[$s]}; }$runs"
  echo "=================== stage $s: ${result[$s]} in ${seconds[$s]} s ==================="
done

echo
echo "boost_sockn test summary"
printf '%-8s  %-8s  %7s  %s\n' stage result seconds notes
printf '%-8s  %-8s  %7s  %s\n' -------- -------- ------- -----
printf '%-8s  %-8s  %7s  %s\n' packages pass "$deps_seconds" ""
failed=0
total=$deps_seconds
for s in "${stages[@]}"; do
  printf '%-8s  %-8s  %7s  %s\n' "$s" "${result[$s]}" "${seconds[$s]}" "${note[$s]}"
  total=$(( total + ${seconds[$s]} ))
  [ "${result[$s]}" = pass ] || failed=$(( failed + 1 ))
done
printf '%-8s  %-8s  %7s\n' total "$([ $failed -eq 0 ] && echo pass || echo "$failed FAIL")" "$total"
echo "logs: ${logs#"$root"/}/"
# One closing line over every suite run of every stage (cases, not stages): the conformance
# suite's line and each reactor test run's "<module> [<backend>, <policy>]: ..." line. A stage that
# runs no suite (install, workflow) matches nothing; grep's status 1 must not end the script under
# pipefail after every stage passed.
sum=$(for s in "${stages[@]}"; do { grep -ho '[A-Za-z_]*\( \[[^]]*\]\)\{0,1\}: [0-9]* passed, [0-9]* failed, [0-9]* skipped' \
        "$logs/$s.log" 2>/dev/null || true; } | sort -u; done \
      | sed 's/.*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\1 \2 \3/' \
      | awk '{p+=$1; f+=$2; k+=$3} END {printf "%d passed, %d failed, %d skipped", p, f + 0, k + 0}')
echo "cases: $sum"
[ $failed -eq 0 ]
