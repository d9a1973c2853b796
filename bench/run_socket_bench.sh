#!/usr/bin/env bash
#
# bench/run_socket_bench.sh: builds the socket benchmark (bench/socket_bench.cpp) for Linux and,
# with the mingw-w64 cross toolchain, for Windows; runs it on Linux (boost_sockn on epoll, both
# trigger policies and batched registrations, against Asio's epoll reactor), counts system calls
# per operation with `strace -c -f`, and runs a short version under Wine (afd backend,
# level_oneshot, against Asio's I/O completion ports); writes bench/results/socket.md.
#
# usage: bench/run_socket_bench.sh [--quick] [--no-wine] [--no-strace] [--build-prefix P]
#                                  [-- extra socket_bench options for the Linux run]
#   --quick         2 runs per figure instead of 5, shorter runs (about a third of the time)
#   --no-wine       Linux only
#   --no-strace     no system-call counts
#   --build-prefix  build directories P-linux and P-windows (default build/bench, shared with
#                   run_port_bench.sh; the Wine prefix lives in P-windows)
# Installs the Debian packages it needs when they are missing. About 3 minutes in all (plus the
# builds). The figures are only as steady as the machine is idle: the load average is recorded.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#

set -euo pipefail

quick=()
run_wine=1
run_strace=1
prefix=build/bench
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick) ;;
    --no-wine) run_wine=0 ;;
    --no-strace) run_strace=0 ;;
    --build-prefix) shift; prefix="${1:?--build-prefix needs a value}" ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_socket_bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
prefix="${prefix%/}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
script_start=$(date +%s)
jobs="$(nproc 2>/dev/null || echo 2)"
[ "$jobs" -le 2 ] || jobs=2

# shellcheck source=scripts/common.sh
source scripts/common.sh

# --- tools -----------------------------------------------------------------------------------
packages=(cmake make g++ libboost1.81-all-dev)
[ "$run_strace" = 0 ] || packages+=(strace)
[ "$run_wine" = 0 ] || packages+=(g++-mingw-w64-x86-64-posix wine wine64)
ensure_packages "${packages[@]}" >&2

linux_dir=$prefix-linux
win_dir=$prefix-windows
cmake_common=(-DCMAKE_BUILD_TYPE=Release -DBOOST_SOCKN_BUILD_BENCH=ON -DBOOST_SOCKN_BUILD_TESTS=OFF
              -DBOOST_SOCKN_BUILD_EXAMPLES=OFF)

# Round trips per strace run: enough that start-up and connection set-up (about a hundred calls)
# stay below 0.01 per round trip.
if [ ${#quick[@]} -gt 0 ]; then strace_rt=4000; else strace_rt=10000; fi

# Commands as recorded in the results (relative to the repository root).
linux_cfg_cmd="cmake -S . -B $linux_dir ${cmake_common[*]}"
linux_build_cmd="cmake --build $linux_dir --target socket_bench -j$jobs"
bench_args=("${quick[@]}" "${extra[@]}")
bench_args_text="${bench_args[*]}"
linux_run_cmd="$linux_dir/bench/socket_bench${bench_args_text:+ $bench_args_text} --out $linux_dir/socket_linux.md"
strace_cmd="strace -c -f -o $linux_dir/strace-\$M-\$T.txt $linux_dir/bench/socket_bench --single \$M --cases pingpong --threads \$T --round-trips $strace_rt --warmup 0"
win_cfg_cmd="cmake -S . -B $win_dir -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake ${cmake_common[*]}"
win_build_cmd="cmake --build $win_dir --target socket_bench -j$jobs"
win_args=(--policies level_oneshot "${quick[@]}")
# shellcheck disable=SC2016 # $PWD is meant literally: the recorded command stays path-free
win_env='WINEPREFIX="$PWD/'"$win_dir"'/wineprefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" BOOST_SOCKN_BACKEND=afd'
win_run_cmd="$win_env wine $win_dir/bench/socket_bench.exe ${win_args[*]} --out $win_dir/socket_windows.md"

load_start="$(load)"

# --- Linux -----------------------------------------------------------------------------------
t=$(date +%s)
log "$linux_cfg_cmd"
cmake -S . -B "$linux_dir" "${cmake_common[@]}" >/dev/null
log "$linux_build_cmd"
cmake --build "$linux_dir" --target socket_bench -j"$jobs"
linux_build_s=$(elapsed "$t")
bin="$linux_dir/bench/socket_bench"

t=$(date +%s)
log "$linux_run_cmd"
rm -f "$linux_dir/socket_linux.md"
linux_status=ok
if ! "$bin" "${bench_args[@]}" --out "$linux_dir/socket_linux.md" >/dev/null; then
  linux_status="socket_bench reported failed runs (see the notes)"
fi
[ -s "$linux_dir/socket_linux.md" ] || linux_status="socket_bench wrote no results"
linux_run_s=$(elapsed "$t")

# --- system calls per operation ---------------------------------------------------------------
# Ping-pong (fixed round trips) with 1 and 2 threads, and 64 connections with 2 threads (a fixed
# span; the requests are counted by the benchmark).
strace_s=0
strace_status="not run (--no-strace)"
strace_methods=(asio level_oneshot edge_persistent level_oneshot_thread)
strace_threads=(1 2)
rr_methods=(asio level_oneshot edge_persistent level_oneshot_batched level_oneshot_thread)
rr_seconds=1
[ ${#quick[@]} -eq 0 ] || rr_seconds=0.5
rr_cmd="strace -c -f -o $linux_dir/strace-rr-\$M.txt $linux_dir/bench/socket_bench --single \$M --cases rr64 --threads 2 --seconds $rr_seconds --warm-seconds 0"
if [ "$run_strace" = 1 ]; then
  t=$(date +%s)
  strace_status=ok
  : > "$linux_dir/strace-lines.txt"
  for th in "${strace_threads[@]}"; do
    for m in "${strace_methods[@]}"; do
      f="$linux_dir/strace-$m-$th.txt"
      log "strace: ping-pong, $m, $th thread(s)"
      if ! strace -c -f -o "$f" "$bin" --single "$m" --cases pingpong --threads "$th" \
             --round-trips "$strace_rt" --warmup 0 >> "$linux_dir/strace-lines.txt"; then
        strace_status="the ping-pong run of $m with $th thread(s) under strace failed"
      fi
    done
  done
  for m in "${rr_methods[@]}"; do
    log "strace: 64 connections, $m, 2 threads"
    if ! strace -c -f -o "$linux_dir/strace-rr-$m.txt" "$bin" --single "$m" --cases rr64 \
           --threads 2 --seconds "$rr_seconds" --warm-seconds 0 \
           > "$linux_dir/strace-rr-$m.line"; then
      strace_status="the 64-connection run of $m under strace failed"
    fi
    cat "$linux_dir/strace-rr-$m.line" >> "$linux_dir/strace-lines.txt"
  done
  strace_s=$(elapsed "$t")
fi

# Calls per operation from `strace -c` summaries. Arguments: COUNT=FILE, one per column (COUNT:
# the operations of that run). Rows: each system call that reaches 0.05 per operation in some
# column, largest first; then the total.
strace_table()
{
  local ns=() files=() a
  for a in "$@"; do ns+=("${a%%=*}"); files+=("${a#*=}"); done
  awk -v nlist="${ns[*]}" -v cols="${#files[@]}" '
    BEGIN { split(nlist, n, " ") }
    FNR == 1 { col++ }
    /^[ ]*[0-9.]+[ ]+[0-9.]+[ ]+[0-9]+[ ]+[0-9]+/ {
      name = $NF
      if (name == "total") next
      calls[name, col] = $4
      names[name] = 1
      total[col] += $4
    }
    END {
      k = 0
      for (s in names) {
        m = 0
        for (c = 1; c <= cols; c++) if (n[c] > 0 && calls[s, c] / n[c] > m) m = calls[s, c] / n[c]
        if (m >= 0.05) { k++; key[k] = s; mx[k] = m }
      }
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
        if (mx[j] > mx[i]) { tm = mx[i]; mx[i] = mx[j]; mx[j] = tm; ts = key[i]; key[i] = key[j]; key[j] = ts }
      for (i = 1; i <= k; i++) {
        line = "| " key[i] " |"
        for (c = 1; c <= cols; c++) line = line (n[c] > 0 ? sprintf(" %.2f |", calls[key[i], c] / n[c]) : " - |")
        print line
      }
      line = "| **all system calls** |"
      for (c = 1; c <= cols; c++) line = line (n[c] > 0 ? sprintf(" **%.2f** |", total[c] / n[c]) : " - |")
      print line
    }' "${files[@]}"
}

# --- Windows under Wine ----------------------------------------------------------------------
win_status="not run (--no-wine)"
win_build_s=0
win_run_s=0
win_prefix_s=0
if [ "$run_wine" = 1 ]; then
  win_status="ok"
  rm -f "$win_dir/socket_windows.md"
  t=$(date +%s)
  log "$win_cfg_cmd"
  log "$win_build_cmd"
  if ! { cmake -S . -B "$win_dir" -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
           "${cmake_common[@]}" >/dev/null &&
         cmake --build "$win_dir" --target socket_bench -j"$jobs"; }; then
    win_status="the mingw-w64 build failed"
  fi
  win_build_s=$(elapsed "$t")

  if [ "$win_status" = ok ]; then
    t=$(date +%s)
    # A failure shows in the run that follows.
    wine_prefix "$win_dir" >&2 || true
    win_prefix_s=$(elapsed "$t")

    t=$(date +%s)
    log "$win_run_cmd"
    set +e
    # (Debian's wine wrapper nags about wine32 on every start; the benchmark does not need it.)
    BOOST_SOCKN_BACKEND=afd timeout 600 wine "$win_dir/bench/socket_bench.exe" "${win_args[@]}" \
      --out "$win_dir/socket_windows.md" >/dev/null \
      2> >(grep --line-buffered -v -e 'wine32 is missing' -e 'multiarch needs' \
             -e 'dpkg --add-architecture' -e 'apt-get install wine32' >&2)
    rc=$?
    set -e
    if [ ! -s "$win_dir/socket_windows.md" ]; then
      win_status="socket_bench.exe wrote no results under Wine (exit status $rc)"
    elif [ "$rc" != 0 ]; then
      win_status="socket_bench.exe reported failed runs under Wine (see the notes)"
    fi
    timeout 60 wineserver -w || wineserver -k || true
    win_run_s=$(elapsed "$t")
  fi
fi

# --- results ---------------------------------------------------------------------------------
reading_how()
{
  cat <<'EOF'
## How to read the figures

- **Rows**: a workload and the number of threads running the io_context. Client and server share
  the process and the io_context (no separate client process); boost_sockn always adds its
  readiness thread, so in every row it has one thread more than Asio.
- **Rates** are medians over runs that alternate between the methods (A B C, C B A, ...), so
  that slow phases of the machine hit every method alike. **Ratios** divide those medians
  (boost_sockn / Asio: 1 is parity; above 1 boost_sockn is faster); the range in parentheses is
  the spread of the ratios of runs paired in order. A wide range means the machine was busy
  during the run (it has 2 CPUs and other jobs may compete; the load average is in the header):
  trust the median, and compare the CPU column, which load disturbs far less.
- **CPU µs/op**: user + system time of the whole process per round trip or request. When the
  2 CPUs are saturated (64 connections, 2 threads), throughput is roughly 2 CPUs divided by it,
  so the CPU ratio bounds the throughput ratio.
- **switches/op**: context switches per operation: what handing work from one thread to
  another costs. Asio keeps a connection's chain of handlers on the thread that polled, so it
  stays near 0.
- **Reactor counters** (boost_sockn only): *regs/call* and *notifs/call* show batching: about 1
  notification per port call means the readiness thread handled one socket per wake-up.
  *direct regs/op* are registrations an io thread applied itself (one `epoll_ctl` each) because
  the readiness thread was asleep; *wakeups/op* are posts waking the readiness thread to batch
  them instead (the `_batched` variant, `reactor_options::direct_registration = false`).
  *queued/op* are operations that had to wait for readiness; *performs/op* are ready sockets
  handed to the io_context; *speculative/op* finished at initiation without the port.
- **Policies**: `level_oneshot` arms a socket (one `epoll_ctl`) for each operation that has to
  wait and hears nothing else; `edge_persistent` registers once, but then hears every change of
  state of the socket, including data that a read started later takes without waiting
  (compare notifs/call × calls/op with performs/op).
- **Delivery**: by default on Linux the io_context's own epoll waits for the port and the io
  thread it wakes drains the port (`reactor_options::delivery = io_threads`); methods ending in
  `_thread` force the readiness thread (`readiness_thread`), which is what Windows runs.
- **Targets** (listed under the Linux tables, from the reactor-core issue): io threads:
  ping-pong at 1 thread ≥ 0.8 × native Asio, 64 connections ≥ 0.9 × at 1 and 2 threads with
  ≤ 0.1 switches, ≤ 1.3 × Asio's CPU and ≥ 4 registrations per port call; readiness thread:
  64 connections ≥ 0.7 × with ≤ 0.5 switches per operation.
EOF
}

reading_findings()
{
  cat <<'EOF'
## What the Linux figures show

Written for the reactor as of the io-thread delivery (io threads drain the port from Asio's own
epoll; the readiness thread forced by the `_thread` methods); check it against the tables above
after changes to the reactor.

1. **The hand-off is gone on the default path.** With io_threads delivery the io thread that
   Asio's epoll wakes for the port drains it and performs what it dequeued: switches per
   operation are 0.00 with one io thread and 0.05-0.1 with two (Asio: 0.00-0.03), against
   0.45-4 on the readiness thread (`_thread` rows), and the ratio to Asio roughly doubles in
   request/response and grows fivefold in single-thread ping-pong.
2. **Batching is real on the io threads.** The re-arms listed by a turn's performs go into one
   follow-up port call: tens of registrations per call with 64 connections (regs/call), where
   the readiness thread applied most entries one by one while it slept (direct regs/op).
3. **What is left is system calls.** Per ping-pong round trip boost_sockn makes about 14 calls
   against Asio's 8 (see the strace table): each `level_oneshot` re-arm is an `epoll_ctl` (PSN
   batches them in one call; epoll has no such call), each batch costs the port's own
   `epoll_wait` besides Asio's, and the ready states wait one turn of Asio's scheduler behind
   its task, which polls epoll once more without waiting. `edge_persistent` saves the
   `epoll_ctl`s and runs 1.1-1.25 times as fast as `level_oneshot` here; the default stays
   `level_oneshot`, the policy every backend has (docs/design/trigger-policy-default.md).
4. **Two io threads** share the work as Asio's do (the private queue joins the shared one after
   each drain), but ping-pong gains nothing from a second thread on either library.
5. **The readiness thread** (what Windows runs) is where it was: every event crosses two threads.
   docs/design/io-thread-delivery.md records what Windows would need to drop it.
EOF
}

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
[ -n "$cpu" ] || cpu="$(uname -m)"
gxx="$(g++ --version | head -n1)"
mingw="$(x86_64-w64-mingw32-g++-posix --version 2>/dev/null | head -n1 || true)"
winever="$(wine --version 2>/dev/null | head -n1 || true)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- include src 2>/dev/null)" ]; then
  commit+=" with uncommitted changes in include/ or src/"
fi
load_end="$(load)"
total_s=$(elapsed "$script_start")

mkdir -p bench/results
out=bench/results/socket.md
{
  echo "# Socket benchmark: boost_sockn against native Asio"
  echo
  invocation="bench/run_socket_bench.sh${quick[*]:+ ${quick[*]}}"
  [ "$run_wine" = 1 ] || invocation+=" --no-wine"
  [ "$run_strace" = 1 ] || invocation+=" --no-strace"
  [ "$prefix" = build/bench ] || invocation+=" --build-prefix $prefix"
  [ ${#extra[@]} -eq 0 ] || invocation+=" -- ${extra[*]}"
  echo "Written by \`$invocation\` (sources: \`bench/socket_bench.cpp\`)."
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); library at commit $commit"
  echo "- machine: $(nproc) CPUs, $cpu, Linux $(uname -r); load average $load_start before, $load_end after"
  echo "- compilers: $gxx${mingw:+; $mingw}"
  [ "$run_wine" = 1 ] && echo "- Wine: ${winever:-unknown}"
  times="Linux build ${linux_build_s} s, run ${linux_run_s} s, strace ${strace_s} s"
  [ "$run_wine" = 1 ] &&
    times+="; Windows build ${win_build_s} s, Wine prefix ${win_prefix_s} s, run ${win_run_s} s"
  echo "- time: ${total_s} s in all ($times)"
  echo
  echo "Commands (from the repository root):"
  echo
  echo '```sh'
  echo "$linux_cfg_cmd"
  echo "$linux_build_cmd"
  echo "$linux_run_cmd"
  if [ "$run_strace" = 1 ]; then
    echo "for T in ${strace_threads[*]}; do for M in ${strace_methods[*]}; do"
    echo "  $strace_cmd"
    echo "done; done"
    echo "for M in ${rr_methods[*]}; do"
    echo "  $rr_cmd"
    echo "done"
  fi
  if [ "$run_wine" = 1 ]; then
    echo "$win_cfg_cmd"
    echo "$win_build_cmd"
    echo "$win_run_cmd"
  fi
  echo '```'
  echo
  reading_how
  echo
  if [ "$linux_status" != ok ]; then
    echo "**Linux run: $linux_status.**"
    echo
  fi
  [ -s "$linux_dir/socket_linux.md" ] && cat "$linux_dir/socket_linux.md"
  echo
  echo "### Linux: system calls per operation (strace -c -f)"
  echo
  if [ "$run_strace" = 1 ]; then
    echo "One run per column under \`strace -c -f\`: calls of every thread of the process, start-up"
    echo "and connection set-up included, divided by the operations of the run. Ping-pong: $strace_rt"
    echo "round trips (64 B, no warm-up; set-up is about a hundred calls, under 0.01 per round trip)."
    echo "64 connections: ${rr_seconds} s with 2 io threads, divided by the requests the benchmark"
    echo "counted (set-up and the last request of each connection add a few hundred calls, well under"
    echo "0.1 per request). Rows: the calls reaching 0.05 per operation in some column. strace stops"
    echo "every thread at every call, slowing the process down some tenfold and changing how often"
    echo "threads find work waiting instead of sleeping, so the waiting calls (futex, epoll_wait) are"
    echo "counted under that slowdown; the socket calls and epoll_ctl shift less, but still depend"
    echo "on how many operations find their data already there (compare queued/op in the tables above)."
    [ "$strace_status" = ok ] || { echo; echo "**$strace_status.**"; }
    echo
    echo "Per ping-pong round trip:"
    echo
    header="| system call |"
    sep="|---|"
    args=()
    for th in "${strace_threads[@]}"; do
      for m in "${strace_methods[@]}"; do
        case $m in asio) name="native Asio" ;; *) name="$m" ;; esac
        header+=" $name, $th thr |"
        sep+="---:|"
        args+=("$strace_rt=$linux_dir/strace-$m-$th.txt")
      done
    done
    echo "$header"
    echo "$sep"
    strace_table "${args[@]}"
    echo
    echo "Per request, 64 connections (64 B / 64 B), 2 io threads:"
    echo
    header="| system call |"
    sep="|---|"
    args=()
    for m in "${rr_methods[@]}"; do
      case $m in asio) name="native Asio" ;; *) name="$m" ;; esac
      header+=" $name |"
      sep+="---:|"
      n="$(awk '{print $4; exit}' "$linux_dir/strace-rr-$m.line" 2>/dev/null)"
      case $n in ''|*[!0-9]*) n=0 ;; esac
      args+=("$n=$linux_dir/strace-rr-$m.txt")
    done
    echo "$header"
    echo "$sep"
    strace_table "${args[@]}"
    echo
    echo "The benchmark's own summary of each run under strace (counters over the run):"
    echo
    echo '```'
    cat "$linux_dir/strace-lines.txt"
    echo '```'
  else
    echo "Not run: $strace_status."
  fi
  echo
  reading_findings
  echo
  if [ "$run_wine" = 1 ] && { [ "$win_status" = ok ] || [ -s "$win_dir/socket_windows.md" ]; }; then
    echo "### Windows figures, under Wine"
    echo
    echo "These are **Wine figures: they say nothing about native Windows**. Wine implements"
    echo "sockets, I/O completion ports and IOCTL_AFD_POLL in wineserver, so every socket call,"
    echo "completion and poll is a round trip to another process. Native Asio runs on I/O"
    echo "completion ports (overlapped WSASend/WSARecv); boost_sockn on the afd backend (Wine has"
    echo "no ProcessSocketNotifications), level_oneshot only: the afd backend has no edge triggers."
    echo "Fewer runs and shorter spans than on Linux, so the figures are rougher. The CPU column"
    echo "counts the benchmark's process only, not wineserver's share; context switches are not"
    echo "measured there."
    [ "$win_status" = ok ] || { echo; echo "**$win_status.**"; }
    echo
    cat "$win_dir/socket_windows.md"
  elif [ "$run_wine" = 1 ]; then
    echo "### Windows figures, under Wine"
    echo
    echo "No figures: $win_status."
  fi
} > "$out"

log "wrote $out in ${total_s} s"
cat "$out"
[ "$linux_status" = ok ] && { [ "$strace_status" = ok ] || [ "$run_strace" = 0 ]; } &&
  { [ "$win_status" = ok ] || [ "$run_wine" = 0 ]; }
