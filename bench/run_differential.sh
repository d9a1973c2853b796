#!/usr/bin/env bash
# Long runs of the differential suite (test/differential): generated scripts on native Asio and
# on boost_sockn, compared, far beyond the CI budget. Each configuration (backend, trigger policy,
# delivery) runs SCRIPTS scripts from seed FIRST; the summary lines go to
# bench/results/differential.md.
#
#   bash bench/run_differential.sh [SCRIPTS [FIRST]]     defaults: 100000 scripts from seed 1
#
# BUILD names the build directory holding test/differential/differential_tests (default
# build/linux; run `cmake --preset linux && cmake --build build/linux --target differential_tests`
# first). A mismatch is printed shrunk, with its seed, in the form test/differential/regressions.ipp
# takes; the run of that configuration stops after three.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scripts=${1:-100000}
first=${2:-1}
build=${BUILD:-$root/build/linux}
exe=$build/test/differential/differential_tests
[ -x "$exe" ] || { echo "no $exe: build the differential_tests target first" >&2; exit 1; }
out=$root/bench/results/differential.md
logdir=$build/differential-logs
mkdir -p "$logdir" "$(dirname "$out")"

configurations=(
  "epoll level_oneshot io_threads"
  "epoll edge_persistent io_threads"
  "model level_oneshot io_threads"
  "model edge_persistent io_threads"
  "epoll level_oneshot readiness_thread"
  "model level_oneshot readiness_thread"
)

{
  echo "# Differential runs"
  echo
  echo "$(date -u +%Y-%m-%d), $(git -C "$root" rev-parse --short HEAD), $(nproc) CPUs: $scripts scripts per"
  echo "configuration from seed $first (\`bash bench/run_differential.sh $scripts $first\`)."
  echo
  echo "| backend | policy | delivery | result |"
  echo "|---|---|---|---|"
} > "$out"

status=0
for c in "${configurations[@]}"; do
  read -r backend policy delivery <<< "$c"
  log=$logdir/$backend-$policy-$delivery.log
  echo "== $backend $policy $delivery (log: $log)"
  rc=0
  BOOST_SOCKN_BACKEND=$backend BOOST_SOCKN_TRIGGER=$policy BOOST_SOCKN_DELIVERY=$delivery \
  BOOST_SOCKN_DIFF_SCRIPTS=$scripts BOOST_SOCKN_DIFF_SEED=$first \
    "$exe" -t differential/generated_scripts --log_level=message > "$log" 2>&1 || rc=$?
  line=$(grep -m1 '^differential: ' "$log" || echo "no summary (exit status $rc)")
  echo "$line"
  echo "| $backend | $policy | $delivery | ${line#differential: } |" >> "$out"
  [ "$rc" -eq 0 ] || status=1
done
echo "figures: ${out#"$root"/}"
exit $status
