#!/usr/bin/env bash
# `make bench`: install what the benchmark needs outside the project (wrk and Chromium from Debian,
# pygeoapi and tipg in their own virtualenvs under var/bench/), then run it. Every server
# it starts listens on 127.0.0.1 and is stopped at the end, on error and on Ctrl+C too.
set -euo pipefail
cd "$(dirname "$0")/.."
VAR=var/bench
PYGEOAPI_VERSION=0.21.0  # the last release for Python 3.11 (0.22 needs 3.12)
TIPG_VERSION=1.6.1
mkdir -p "$VAR/pids" "$VAR/logs"

stop_servers() {
  for f in "$VAR"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    # Each server was started as the leader of its own process group: stop that group.
    kill -TERM -- "-$pid" 2>/dev/null || true
    rm -f "$f"
  done
}
trap stop_servers EXIT INT TERM
stop_servers  # left over from an interrupted run

bin/ensure-system-packages bench  # wrk, and Chromium for the first render

venv() {  # venv NAME MARKER PACKAGES...
  local dir=$VAR/venv-$1 marker=$2; shift 2
  [ -f "$dir/.installed-$marker" ] && return
  echo "Installing $* into $dir..."
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check "$@" 2>"$VAR/logs/pip-$(basename "$dir").log" ||
    { tail -5 "$VAR/logs/pip-$(basename "$dir").log" >&2; exit 1; }
  touch "$dir/.installed-$marker"
}
venv pygeoapi "$PYGEOAPI_VERSION" "pygeoapi==$PYGEOAPI_VERSION" "gunicorn==27.0.1" \
  "psycopg2-binary==2.9.13" "GeoAlchemy2==0.20.0" "pygeofilter==0.4.0"
venv tipg "$TIPG_VERSION" "tipg==$TIPG_VERSION" "uvicorn[standard]==0.54.0"

.venv/bin/python -m bench
