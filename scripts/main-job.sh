#!/usr/bin/env bash
# The main job: build boost_sockn (Release) and run the example server in the foreground.
#
#   bash scripts/main-job.sh [PORT]      (default 8080; the PORT environment variable works too)
#
# For now the server is the TCP echo server of example/port_echo_server.cpp, driven directly by
# boost_sockn::notification_port on the default backend (BOOST_SOCKN_BACKEND overrides it).
# Ctrl+C (SIGINT) or SIGTERM stops it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/common.sh
source scripts/common.sh

port=${1:-${PORT:-8080}}
jobs=${JOBS:-2}

ensure_packages build-essential cmake libboost1.81-dev

cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release \
  -DBOOST_SOCKN_BUILD_TESTS=OFF -DBOOST_SOCKN_BUILD_EXAMPLES=ON
cmake --build build/release -j "$jobs" --target port_echo_server

echo
echo "Starting the boost_sockn echo server on 127.0.0.1:$port (Ctrl+C stops it)."
echo "Visit it with:  nc 127.0.0.1 $port    (every line you type comes back)"
echo
exec build/release/example/port_echo_server "$port"
