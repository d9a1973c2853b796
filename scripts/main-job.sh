#!/usr/bin/env bash
# The main job: build boost_sockn (Release) and run the example Beast HTTP server in the foreground.
#
#   bash scripts/main-job.sh [PORT [THREADS]]   (default 8080 and 1; PORT and THREADS in the
#                                                environment work too)
#
# The server is example/http_server.cpp: Beast's HTTP/1.1 on boost_sockn::tcp_stream, on
# the default backend (BOOST_SOCKN_BACKEND overrides it), serving a small in-memory site.
# Ctrl+C (SIGINT) or SIGTERM stops it.
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/common.sh
source scripts/common.sh

port=${1:-${PORT:-8080}}
threads=${2:-${THREADS:-1}}
jobs=${JOBS:-2}

ensure_packages build-essential cmake libboost1.81-dev

cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
  -DBOOST_SOCKN_BUILD_TESTS=OFF -DBOOST_SOCKN_BUILD_EXAMPLES=ON
cmake --build build/release -j "$jobs" --target sockn_http_server

echo
echo "Starting the boost_sockn HTTP server on 127.0.0.1:$port with $threads thread(s) (Ctrl+C stops it)."
echo "Visit it with:  curl http://127.0.0.1:$port/    (or open that address in a browser)"
echo
exec build/release/example/sockn/http_server --port "$port" --threads "$threads"
