#!/usr/bin/env bash
#
# bench/soak.sh: the example HTTP server on boost_sockn (example/sockn/http_server) under a long
# mixed load, watched for leaks. Builds it (Release, in run_http_bench.sh's build directory),
# starts it with --statistics 1, primes it with more connections than the load will hold (busy
# ones for 3 s, then idle-waiting ones for 2 s: what the first connections create once and keep
# is not a leak), takes the idle values, and for --seconds drives at once:
#   - keep-alive load: wrk, 1 thread, --connections connections, GET /hello, the whole run;
#   - connection churn (bench/soak_clients.py): connect + one request + close, the server or the
#     client closing first; abrupt closes (SO_LINGER 0: an RST) at four points of a request;
#     half-open clients that send half a request and hold it, some past the server's deadline.
# Every second it samples the server's VmRSS, its open descriptors and the reactor's live_states
# gauge (from the server's statistics line). Then a final request, the load's end (the server
# must give back every connection's descriptor and per-socket state), and SIGINT.
#
# With --wine the server is the Windows build (mingw-w64), run under Wine on its default backend
# (afd), and the clients stay on Linux. The shell cannot see a Wine process's handles (they live
# in wineserver), so bench/process_gauges.exe, run under Wine beside it, samples the server's
# handles and working set instead of descriptors and VmRSS. The same criteria apply.
#
# Pass criteria (all must hold; the results file gives each figure):
#   1. no growth: the samples after the warm-up (the first 20 % of the run) are split into tenths;
#      for VmRSS, the median of the last tenth may exceed the median of the first tenth by at most
#      1 % of the latter; for descriptors (handles under Wine) and live_states, which follow the
#      connections open, the same holds for the gauge less the sessions open at each sample;
#   2. no error responses: wrk reports no non-2xx responses and no socket errors, and the churn
#      clients no error (a failed connect, a reset or EOF where a response was due, a wrong
#      response; the RSTs the clients send themselves are not errors);
#   3. the server answers a final GET /hello with a 200 after the load;
#   4. once the load has stopped, descriptors (under Wine the handles to File objects: sockets
#      and the afd backend's helpers) and live_states come back to their values before it (within
#      the server's --timeout plus 5 s);
#   5. the server exits with status 0 on SIGINT.
# Writes bench/results/soak.md; exit status 1 when a criterion fails, 2 on a usage error.
#
# usage: bench/soak.sh [--seconds N] [--threads T] [--connections C] [--half-open H]
#                      [--churn-rate R] [--reset-rate R] [--timeout S] [--build-dir D] [--out FILE]
#                      [--wine]
#   --seconds N      length of the load (default 600; 180 with --wine)
#   --threads T      server threads (default 2)
#   --connections C  wrk's keep-alive connections (default 64)
#   --half-open H    half-open connections held at once (default 200)
#   --churn-rate R   connect + request + close per second (default 120); --reset-rate: RST
#                    closes per second (default 40)
#   --timeout S      the server's per-request deadline (default 10: half-open clients hold 1 to
#                    15 s, so about a third of them meet it)
#   --build-dir D    default build/bench-http (build/soak-windows with --wine); --out: default
#                    bench/results/soak.md (bench/results/soak-wine.md with --wine)
#   --wine           the Windows build under Wine, as above
# Installs the Debian packages it needs (wrk, curl, python3, the build tools; mingw-w64 and Wine
# with --wine) when they are missing. wrk, the churn clients and the server share the machine's
# CPUs.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#

set -euo pipefail

seconds=
threads=2
conns=64
half_open=200
churn_rate=120
reset_rate=40
timeout=10
build_dir=
out=
wine=0
args_text="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) shift; seconds="${1:?--seconds needs a value}" ;;
    --threads) shift; threads="${1:?--threads needs a value}" ;;
    --connections) shift; conns="${1:?--connections needs a value}" ;;
    --half-open) shift; half_open="${1:?--half-open needs a value}" ;;
    --churn-rate) shift; churn_rate="${1:?--churn-rate needs a value}" ;;
    --reset-rate) shift; reset_rate="${1:?--reset-rate needs a value}" ;;
    --timeout) shift; timeout="${1:?--timeout needs a value}" ;;
    --build-dir) shift; build_dir="${1:?--build-dir needs a value}" ;;
    --out) shift; out="${1:?--out needs a value}" ;;
    --wine) wine=1 ;;
    -h|--help) sed -n '3,/^# Copyright/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$wine" = 1 ]; then
  : "${seconds:=180}" "${build_dir:=build/soak-windows}" "${out:=bench/results/soak-wine.md}"
else
  : "${seconds:=600}" "${build_dir:=build/bench-http}" "${out:=bench/results/soak.md}"
fi
build_dir="${build_dir%/}"
for v in "$seconds" "$threads" "$conns" "$half_open" "$churn_rate" "$reset_rate" "$timeout"; do
  case "$v" in
    ''|*[!0-9]*|0) echo "soak.sh: the numeric options take positive whole numbers" >&2; exit 2 ;;
  esac
done
if [ "$seconds" -lt 50 ]; then
  echo "soak.sh: --seconds must be at least 50 (a warm-up and two windows of samples)" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
script_start=$(date +%s)
jobs="$(nproc 2>/dev/null || echo 2)"
[ "$jobs" -le 2 ] || jobs=2

# shellcheck source=scripts/common.sh
source scripts/common.sh

# --- tools -----------------------------------------------------------------------------------
packages=(cmake make g++ libboost1.81-all-dev wrk curl python3)
[ "$wine" = 0 ] || packages+=(g++-mingw-w64-x86-64-posix wine wine64)
ensure_packages "${packages[@]}" >&2

# --- build -----------------------------------------------------------------------------------
# On Linux, the configuration of run_http_bench.sh, so that both scripts share the build
# directory.
cmake_args=(-DCMAKE_BUILD_TYPE=Release -DBOOST_SOCKN_BUILD_BENCH=ON -DBOOST_SOCKN_BUILD_TESTS=OFF
            -DBOOST_SOCKN_BUILD_EXAMPLES=ON)
targets=(sockn_http_server)
if [ "$wine" = 1 ]; then
  cmake_args=(-DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake "${cmake_args[@]}")
  targets+=(process_gauges)
fi
cfg_cmd="cmake -S . -B $build_dir ${cmake_args[*]}"
build_cmd="cmake --build $build_dir --target ${targets[*]} -j$jobs"
log "$cfg_cmd"
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
log "$build_cmd"
cmake --build "$build_dir" --target "${targets[@]}" -j"$jobs"
server_bin="$build_dir/example/sockn/http_server"
work="$build_dir/soak"
rm -rf "$work"
mkdir -p "$work"

# Under Wine the sockets live in wineserver, which inherits the limit of the shell that starts
# it: the limit is raised first, and a wineserver left from an earlier run is stopped.
need_fds=$((conns + half_open + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need_fds" ]; then
  ulimit -n "$need_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
if [ "$wine" = 1 ]; then
  wine_prefix "$build_dir" >&2
  wineserver -k 2>/dev/null || true
  server_bin="$server_bin.exe"
fi

# --- processes -------------------------------------------------------------------------------
# Every process this script starts, so that an interruption leaves none behind.
started_pids=()
cleanup()
{
  local p
  [ ${#started_pids[@]} -gt 0 ] || return 0
  for p in "${started_pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
forget_pid()
{
  local keep=() p
  for p in "${started_pids[@]}"; do
    [ "$p" = "$1" ] || keep+=("$p")
  done
  started_pids=("${keep[@]}")
}

server_log="$work/server.log"
: > "$server_log"
server_args=(--port 0 --threads "$threads" --timeout "$timeout" --statistics 1)
launcher=()
[ "$wine" = 0 ] || launcher=(wine)
server_cmd="${launcher[*]}${launcher:+ }$server_bin ${server_args[*]}"
# (Debian's wine wrapper nags about wine32 on every start; the soak does not need it. Wine's
# launcher execs the process: $! is the server's own pid, which SIGINT stops as on Linux.)
"${launcher[@]}" "$server_bin" "${server_args[@]}" > "$server_log" 2>&1 &
server_pid=$!
started_pids+=("$server_pid")
port=
for i in $(seq 600); do
  port=$(sed -n 's|^http_server: listening on http://[^/]*:\([0-9][0-9]*\)/.*|\1|p' "$server_log")
  [ -z "$port" ] || break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "soak.sh: the server did not start:" >&2
  cat "$server_log" >&2
  exit 1
fi
library=$(sed -n 's/^http_server: \(boost_sockn[^,]*\(,[^,]*\)\?\), .*/\1/p' "$server_log" | head -n 1)
url="http://127.0.0.1:$port/hello"

# The server's memory (kB) and open descriptors; under Wine its working set and handles, from
# process_gauges' newest line. file_count: what must come back to its idle value after the
# load, the descriptors, or under Wine the handles to File objects (sockets, afd helpers): the
# other handles include events and semaphores Wine creates the first time a lock is contended,
# which a load may do for locks the priming did not reach.
if [ "$wine" = 0 ]; then
  mem_name="VmRSS"
  fds_name="descriptors"
  files_name="descriptors"
  rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
  fd_count() { ls "/proc/$server_pid/fd" | wc -l; }
  file_count() { fd_count; }
else
  mem_name="working set"
  fds_name="handles"
  files_name="file handles"
  gauges_log="$work/gauges.log"
  gauges_cmd="wine $build_dir/bench/process_gauges.exe http_server.exe"
  wine "$build_dir/bench/process_gauges.exe" http_server.exe > "$gauges_log" 2>&1 &
  gauges_pid=$!
  started_pids+=("$gauges_pid")
  # Field $1 of the newest whole line (Windows ends lines with CR LF).
  gauge()
  {
    awk -v f="$1=" '{ sub(/\r$/, "") } /^process_gauges: pid=.* working_set_kb=[0-9a-z]+$/ { line = $0 }
      END { n = split(line, a, " "); for (i = 2; i <= n; i++) if (index(a[i], f) == 1) print substr(a[i], length(f) + 1) }' \
      "$gauges_log"
  }
  rss_kb() { gauge working_set_kb; }
  fd_count() { gauge handles; }
  file_count() { gauge files; }
fi
# The newest statistics line's field $1 (live_states, sessions, awaiting_remove). A line the
# server is still writing lacks its last field: the one before it is taken then.
stat_field()
{
  awk -v f="$1=" '{ sub(/\r$/, "") } /^http_server: statistics .* awaiting_remove=[0-9]+$/ { line = $0 }
    END { n = split(line, a, " "); for (i = 1; i <= n; i++) if (index(a[i], f) == 1) print substr(a[i], length(f) + 1) }' \
    "$server_log"
}
# Waits until the server has printed statistics after now (up to 3 s).
fresh_statistics()
{
  local n0 i
  n0=$(grep -c '^http_server: statistics ' "$server_log" || true)
  for i in $(seq 30); do
    sleep 0.1
    [ "$(grep -c '^http_server: statistics ' "$server_log" || true)" -gt "$n0" ] && return 0
  done
  return 1
}

# Bursts wider than the load before the idle values are taken: what the first connections
# create once and keep is not a leak. The afd backend keeps one helper handle per 32 sockets
# waiting at the peak (hence the waiting connections), and Wine creates a lock's
# synchronization object at its first contention (hence wrk).
prime_conns=$((conns + half_open + 128))
prime_cmd="wrk -t 1 -c $prime_conns -d 3s $url; python3 bench/soak_clients.py --port $port --prime $prime_conns"
log "priming: $prime_cmd"
wrk -t 1 -c "$prime_conns" -d 3s "$url" > "$work/prime.txt" 2>&1 || true
python3 bench/soak_clients.py --port "$port" --prime "$prime_conns" >> "$work/prime.txt" 2>&1 || true
for i in $(seq 100); do
  fresh_statistics || { echo "soak.sh: the server prints no statistics lines" >&2; exit 1; }
  [ "$(stat_field sessions)" != 0 ] || break
done
idle_rss=$(rss_kb)
idle_fds=$(fd_count)
idle_files=$(file_count)
idle_live=$(stat_field live_states)
log "server pid $server_pid on port $port ($library): idle $mem_name $idle_rss kB, $idle_fds $fds_name, live_states $idle_live"

# --- load ------------------------------------------------------------------------------------
load_start="$(load)"
date_start="$(date -u '+%Y-%m-%d %H:%M UTC')"
wrk_cmd="wrk -t 1 -c $conns -d ${seconds}s --timeout 5s --latency $url"
clients_cmd="python3 bench/soak_clients.py --port $port --seconds $seconds --churn-rate $churn_rate --reset-rate $reset_rate --half-open $half_open --hold-max $((timeout + 5))"
log "$seconds s of load: $wrk_cmd; $clients_cmd"
wrk -t 1 -c "$conns" -d "${seconds}s" --timeout 5s --latency "$url" > "$work/wrk.txt" 2>&1 &
wrk_pid=$!
started_pids+=("$wrk_pid")
python3 bench/soak_clients.py --port "$port" --seconds "$seconds" --churn-rate "$churn_rate" \
  --reset-rate "$reset_rate" --half-open "$half_open" --hold-max $((timeout + 5)) \
  --report "$work/clients.json" > "$work/clients.log" 2>&1 &
clients_pid=$!
started_pids+=("$clients_pid")

# Samples at whole seconds after the load's start, while the load runs (the last one a second
# before its end).
samples="$work/samples.tsv"
: > "$samples"
t0=$(date +%s%N)
for s in $(seq 1 $((seconds - 1))); do
  now=$(date +%s%N)
  wait_ns=$(( t0 + s * 1000000000 - now ))
  [ "$wait_ns" -le 0 ] || sleep "$(awk -v n="$wait_ns" 'BEGIN { printf "%.3f", n / 1e9 }')"
  kill -0 "$server_pid" 2>/dev/null || break
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$(rss_kb)" "$(fd_count)" "$(stat_field live_states)" \
    "$(stat_field sessions)" "$(stat_field awaiting_remove)" >> "$samples"
  if [ $((s % 30)) = 0 ]; then
    log "t=$s s: $(tail -n 1 "$samples" | awk -F'\t' -v m="$mem_name" -v d="$fds_name" '{ printf "%s %s kB, %s %s, live_states %s, sessions %s", m, $2, $3, d, $4, $5 }')"
  fi
done
wrk_rc=0
wait "$wrk_pid" || wrk_rc=$?
forget_pid "$wrk_pid"
clients_rc=0
wait "$clients_pid" || clients_rc=$?
forget_pid "$clients_pid"
load_end="$(load)"

# --- after the load --------------------------------------------------------------------------
server_alive=1
kill -0 "$server_pid" 2>/dev/null || server_alive=0
final_status=$(curl -s -o "$work/final.txt" -w '%{http_code}' --max-time 5 "$url" || true)
final_ok=0
if [ "$final_status" = 200 ] && grep -q '^Hello from http_server' "$work/final.txt"; then final_ok=1; fi

# The load has stopped: every connection's descriptor and state must go. Half-open connections
# are closed by the clients at their exit; a session still waiting for a peer that vanished
# without a FIN would end at its deadline.
settle_limit=$((timeout + 5))
settled=0
settle_start=$(date +%s)
settle_s=0
end_fds=
end_files=
end_live=
while [ "$settle_s" -le "$settle_limit" ] && [ "$server_alive" = 1 ]; do
  fresh_statistics || true
  end_fds=$(fd_count)
  end_files=$(file_count)
  end_live=$(stat_field live_states)
  settle_s=$(elapsed "$settle_start")
  if [ "$end_files" = "$idle_files" ] && [ "$end_live" = "$idle_live" ]; then settled=1; break; fi
done
end_rss=$( [ "$server_alive" = 1 ] && rss_kb || echo nan)
end_sessions=$( [ "$server_alive" = 1 ] && stat_field sessions || echo nan)

stop_rc=nan
if [ "$server_alive" = 1 ]; then
  kill -INT "$server_pid" 2>/dev/null || true
  for i in $(seq 300); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null
  stop_rc=0
  wait "$server_pid" || stop_rc=$?
else
  wait "$server_pid" || stop_rc=$?
fi
forget_pid "$server_pid"
if [ "$wine" = 1 ]; then
  # process_gauges exits once the server has gone.
  wait "$gauges_pid" || true
  forget_pid "$gauges_pid"
  timeout 60 wineserver -w || true
fi
total_s=$(elapsed "$script_start")

# --- analysis --------------------------------------------------------------------------------
median()
{
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
n_samples=$(wc -l < "$samples")
warm=$(( (seconds + 4) / 5 ))            # samples with t <= warm are the warm-up
post=$(awk -F'\t' -v w="$warm" '$1 > w' "$samples" | wc -l)
win=$(( (post + 9) / 10 ))               # a tenth of them, rounded up
[ "$win" -ge 3 ] || win=3
first_win() { awk -F'\t' -v w="$warm" -v k="$1" -v n="$win" '$1 > w && c < n { print $k; c++ }' "$samples"; }
last_win() { awk -F'\t' -v w="$warm" -v k="$1" '$1 > w { print $k }' "$samples" | tail -n "$win"; }
all_post() { awk -F'\t' -v w="$warm" -v k="$1" '$1 > w { print $k }' "$samples"; }
growth_pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || a <= 0) print "nan"; else printf "%.2f\n", 100 * (b - a) / a }'; }
verdict_rows=()
failed=0
# criterion NAME FIGURE OK
criterion()
{
  local mark=pass
  if [ "$3" != 1 ]; then mark="**FAIL**"; failed=1; fi
  verdict_rows+=("| $1 | $2 | $mark |")
}

# Descriptors and live_states follow the connections open at the sample: what a leak would add
# is the part the sessions do not explain (columns 7 and 8: the gauge less the sessions).
awk -F'\t' -v OFS='\t' '{ print $0, $3 - $5, $4 - $5 }' "$samples" > "$samples.net"
samples="$samples.net"
declare -A col=([rss]=2 [fds]=3 [live]=4 [sessions]=5 [fds_net]=7 [live_net]=8)
declare -A name=([rss]="$mem_name (kB)" [fds]="$fds_name" [live]="live_states" [sessions]="sessions")
declare -A m_first m_last m_min m_max g
for k in rss fds live sessions fds_net live_net; do
  m_first[$k]=$(first_win "${col[$k]}" | median)
  m_last[$k]=$(last_win "${col[$k]}" | median)
  m_min[$k]=$(all_post "${col[$k]}" | sort -g | sed -n 1p)
  m_max[$k]=$(all_post "${col[$k]}" | sort -g | tail -n 1)
  g[$k]=$(growth_pct "${m_first[$k]}" "${m_last[$k]}")
done
ok=$(awk -v x="${g[rss]}" 'BEGIN { print (x != "nan" && x <= 1.0) ? 1 : 0 }')
criterion "no growth of ${name[rss]}: median of the last tenth against the first after the warm-up (≤ 1 %)" \
  "${m_first[rss]} → ${m_last[rss]} (${g[rss]} %)" "$ok"
for k in fds live; do
  # The growth of the part the sessions do not explain, in percent of the gauge.
  net=$(awk -v a="${m_first[${k}_net]}" -v b="${m_last[${k}_net]}" -v base="${m_first[$k]}" \
    'BEGIN { if (a == "nan" || b == "nan" || base <= 0) print "nan"; else printf "%.2f\n", 100 * (b - a) / base }')
  ok=$(awk -v x="$net" 'BEGIN { print (x != "nan" && x <= 1.0) ? 1 : 0 }')
  criterion "no growth of ${name[$k]} beyond the sessions open: medians of the last and the first tenth after the warm-up (≤ 1 % of the gauge)" \
    "${m_first[$k]} → ${m_last[$k]} (${g[$k]} %); less the sessions, ${m_first[${k}_net]} → ${m_last[${k}_net]} ($net %)" "$ok"
done

wrk_requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
wrk_rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
wrk_p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
wrk_errors=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$work/wrk.txt")
wrk_errors_text=$(sed -n 's/^ *Socket errors: //p' "$work/wrk.txt")
wrk_non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")
ok=0
[ "$wrk_rc" = 0 ] && [ -n "$wrk_requests" ] && [ "${wrk_errors:-0}" = 0 ] && [ "${wrk_non2xx:-0}" = 0 ] && ok=1
criterion "wrk: no socket errors, no non-2xx responses" \
  "${wrk_requests:-?} requests, socket errors ${wrk_errors_text:-none}, non-2xx ${wrk_non2xx:-0}" "$ok"

clients_summary=$(python3 - "$work/clients.json" <<'EOF' 2>/dev/null || echo "errors=? no report"
import json, sys
r = json.load(open(sys.argv[1]))
e = sum(r["errors"].values())
print("errors=%d" % e)
EOF
)
client_errors=$(echo "$clients_summary" | sed -n 's/^errors=//p')
ok=0
[ "$clients_rc" = 0 ] && [ "$client_errors" = 0 ] && ok=1
criterion "churn clients: no errors (their own RSTs are not errors)" \
  "$client_errors error(s)$( [ "$clients_rc" = 0 ] || echo ", exit status $clients_rc")" "$ok"
criterion "a final GET /hello after the load is answered" "status ${final_status:-none}" "$final_ok"
criterion "after the load, $files_name and live_states back to their idle values (within $settle_limit s)" \
  "$files_name $idle_files → ${end_files:-?}, live_states $idle_live → ${end_live:-?}$( [ "$settled" = 1 ] && echo ", after $settle_s s")$( [ "$wine" = 0 ] || echo "; all handles $idle_fds → ${end_fds:-?}")" "$settled"
ok=0
[ "$stop_rc" = 0 ] && ok=1
criterion "exit status 0 on SIGINT" "$stop_rc" "$ok"

# --- results -------------------------------------------------------------------------------------
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)"
wrk_version="$(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }' || true)"
verdict=PASSED
[ "$failed" = 0 ] || verdict=FAILED
mkdir -p "$(dirname "$out")"
{
  if [ "$wine" = 1 ]; then
    echo "# Soak under Wine: the HTTP server's Windows build under churn"
  else
    echo "# Soak: the HTTP server under churn"
  fi
  echo
  echo "**Verdict: $verdict** ($seconds s of load)."
  echo
  echo "Written by \`bench/soak.sh${args_text:+ $args_text}\` on $date_start, commit $commit."
  echo "Machine: $(nproc) CPUs ($cpu_model), Linux $(uname -r | cut -d- -f1), $wrk_version, Python $(python3 -c 'import platform; print(platform.python_version())')$( [ "$wine" = 0 ] || echo ", $(wine --version 2>/dev/null | head -n 1)")."
  echo "Load average (1, 5, 15 min): $load_start at the start, $load_end at the end of the load"
  echo "(the latter counts the soak's own processes). Total time ${total_s} s."
  echo "Server: \`example/sockn/http_server\`, Release$( [ "$wine" = 0 ] || echo ", mingw-w64 under Wine"), \`$library\`, $threads thread(s),"
  echo "deadline $timeout s. wrk, the churn clients and the server share the machine's CPUs."
  if [ "$wine" = 1 ]; then
    echo "Wine serves the sockets from wineserver, so each socket call is a round trip to it:"
    echo "the figures say whether the Windows build holds up, not how fast Windows is. The server's"
    echo "handles and working set are sampled by \`bench/process_gauges.exe\` under Wine (the"
    echo "handles from the system handle table; GetProcessHandleCount answers 0 under Wine)."
  fi
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "$cfg_cmd"
  echo "$build_cmd"
  echo "$server_cmd"
  echo "$prime_cmd"
  [ "$wine" = 0 ] || echo "$gauges_cmd"
  echo "$wrk_cmd"
  echo "$clients_cmd"
  echo '```'
  echo
  echo "## Verdict"
  echo
  echo "| criterion | figure | result |"
  echo "|---|---|---|"
  for r in "${verdict_rows[@]}"; do echo "$r"; done
  echo
  echo "Growth is measured on the samples after the warm-up (t > $warm s: $post samples): the medians"
  echo "of the first and the last tenth of them ($win samples each) are compared. The gauges"
  echo "follow the connections open at the instant of the sample (wrk's $conns, $half_open half-open"
  echo "ones, the churn's in flight), so their medians are compared rather than single samples, and"
  echo "$fds_name and live_states are judged net of the sessions open at each sample: a leak is what"
  echo "stays when the sessions have been counted out."
  echo
  echo "## Samples"
  echo
  echo "One sample a second ($n_samples in all). Idle before the load (after the priming burst):"
  echo "$mem_name $idle_rss kB, $idle_fds"
  echo "$fds_name, live_states $idle_live. After it: $mem_name $end_rss kB, $fds_name ${end_fds:-?},"
  echo "live_states ${end_live:-?}, sessions $end_sessions."
  echo
  echo "| after the warm-up | $mem_name (kB) | $fds_name | live_states | sessions |"
  echo "|---|---:|---:|---:|---:|"
  echo "| median, first tenth | ${m_first[rss]} | ${m_first[fds]} | ${m_first[live]} | ${m_first[sessions]} |"
  echo "| median, last tenth | ${m_last[rss]} | ${m_last[fds]} | ${m_last[live]} | ${m_last[sessions]} |"
  echo "| growth | ${g[rss]} % | ${g[fds]} % | ${g[live]} % | ${g[sessions]} % |"
  echo "| minimum | ${m_min[rss]} | ${m_min[fds]} | ${m_min[live]} | ${m_min[sessions]} |"
  echo "| maximum | ${m_max[rss]} | ${m_max[fds]} | ${m_max[live]} | ${m_max[sessions]} |"
  echo
  echo "Medians over each tenth of the whole run (the first two are the warm-up):"
  echo
  echo "| seconds | $mem_name (kB) | $fds_name | live_states | sessions |"
  echo "|---|---:|---:|---:|---:|"
  for d in $(seq 0 9); do
    lo=$(( d * seconds / 10 )); hi=$(( (d + 1) * seconds / 10 ))
    row="| $lo–$hi |"
    for k in rss fds live sessions; do
      row="$row $(awk -F'\t' -v lo="$lo" -v hi="$hi" -v k="${col[$k]}" '$1 > lo && $1 <= hi { print $k }' "$samples" | median) |"
    done
    echo "$row"
  done
  echo
  echo "## Load"
  echo
  echo "wrk: ${wrk_requests:-?} requests, ${wrk_rps:-?} requests/s, p99 ${wrk_p99:-?}; socket errors:"
  echo "${wrk_errors_text:-none}; non-2xx: ${wrk_non2xx:-0}."
  echo
  echo "Churn clients (\`bench/soak_clients.py\`), counts by kind:"
  echo
  echo '```'
  python3 - "$work/clients.json" <<'EOF' 2>/dev/null || echo "(no report)"
import json, sys
r = json.load(open(sys.argv[1]))
for k, v in sorted(r["counts"].items()):
    print("%-36s %d" % (k, v))
for k, v in sorted(r["errors"].items()):
    print("%-36s %d  ERROR, e.g. %s" % ("error " + k, v, "; ".join(r["examples"].get(k, []))))
EOF
  echo '```'
  echo
  echo "## Not done"
  echo
  if [ "$wine" = 1 ]; then
    echo "- Native Windows, and the native PSN backend: Wine has no ProcessSocketNotifications."
    echo "- wineserver's own memory and handles are not sampled: it holds every socket's kernel"
    echo "  object, but also every other Wine process's."
  else
    echo "- The Windows build: \`bench/soak.sh --wine\` soaks it under Wine (\`afd\` backend) and"
    echo "  writes \`bench/results/soak-wine.md\`."
  fi
} > "$out"

log "results: $out: $verdict"
[ "$failed" = 0 ]
