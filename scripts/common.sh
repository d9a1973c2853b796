# Shared by scripts/test-all.sh, scripts/main-job.sh and the bench/ scripts
# (sourced, not run).
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)

# A progress line, on stderr so that it stays out of what a script writes to stdout.
log() { printf '==> %s\n' "$*" >&2; }

# Whole seconds since $1 (a `date +%s` value).
elapsed() { echo $(( $(date +%s) - $1 )); }

# The load averages (1, 5, 15 minutes), which the bench results record: a loaded machine
# explains a slow run.
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown; }

# Runs "$@" as root: directly when this is root, else through sudo (as ensure_packages does).
as_root()
{
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "error: '$*' needs root; run as root or install sudo" >&2
    return 1
  fi
}

# Installs the Debian packages among "$@" that are not installed yet (apt-get update first, and
# only when something is missing). Needs root, or sudo.
ensure_packages()
{
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "packages: all present ($*)"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing packages (${missing[*]}) and no apt-get to install them" >&2
    return 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "error: missing packages (${missing[*]}); run as root or install sudo" >&2
      return 1
    fi
  fi
  echo "packages: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# wine_prefix DIR: exports the Wine settings every script uses, for the prefix DIR/wineprefix
# (a build directory's own), and creates the prefix on first use.
wine_prefix()
{
  WINEPREFIX="$(cd "$1" && pwd)/wineprefix" # Wine takes only an absolute path
  export WINEPREFIX
  export WINEARCH=win64
  export WINEDEBUG=-all
  export WINEDLLOVERRIDES="mscoree,mshtml="
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "creating the Wine prefix $WINEPREFIX"
    if ! timeout 300 wineboot -i; then
      wineserver -k || true
      echo "error: wineboot -i failed or timed out"
      return 1
    fi
    timeout 60 wineserver -w || true
  fi
}

# wine_server_start: starts the prefix's wineserver, and Wine's services with it, with their
# output on /dev/null, and keeps them until wine_server_stop. Started by a test instead, they
# inherit that test's stderr and hold it open until the last Wine program of the run ends, so
# ctest counts that one test as running for the whole run, and its timeout can fail it.
wine_server_start()
{
  # One left running (an interrupted run) may hold some other program's output: it goes first.
  wineserver -k 2>/dev/null || true
  timeout 60 wineserver -w 2>/dev/null || true
  wineserver -p </dev/null >/dev/null 2>&1
  wine cmd /c exit </dev/null >/dev/null 2>&1
}

# wine_server_stop: ends what wine_server_start started.
wine_server_stop()
{
  wineserver -k 2>/dev/null || true
}
