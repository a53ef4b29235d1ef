#!/usr/bin/env bash
# Runs the signaling server benchmarks of BENCHMARKS.md: release build, loopback only,
# a fresh server per run. Usage: server/bench.sh [RUNS [NAME-FILTER]] (default 3 runs of
# everything). Prints every result, and how busy the 2 cores were meanwhile.
# REFERENCE=1 runs the same load against the classic Node.js server in server/bench/
# (`npm install` there first); it ignores natter's flags and rooms. SERVER_BIN: another
# build of natter-server to measure.
set -euo pipefail
cd "$(dirname "$0")/.."
# The Makefile's shared target dir, unless one is given.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/natter/target}
RUNS=${1:-3}
FILTER=${2:-}
PORT=${PORT:-9100}
cargo build --release -p natter-server
# Private copies: someone else may rebuild the shared target dir during the run.
BIN=$(mktemp -d)
cp "${SERVER_BIN:-$CARGO_TARGET_DIR/release/natter-server}" "$BIN"/natter-server
cp "$CARGO_TARGET_DIR"/release/loadgen "$BIN"/
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$BIN"' EXIT

# Busy share of all cores between two /proc/stat samples: other work on the machine
# (besides this server and load generator) skews the figures.
busy() { # busy BEFORE AFTER (the first lines of /proc/stat)
  local a=($1) b=($2) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo "$(( 100 - 100 * (b[4] - a[4]) / (total > 0 ? total : 1) ))%"
}

run() { # run NAME SERVER-FLAGS -- LOADGEN-ARGS
  local name=$1; shift
  [[ "$name" == *"$FILTER"* ]] || return 0
  local flags=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  for i in $(seq "$RUNS"); do
    if [ -n "${REFERENCE:-}" ]; then
      PORT=$PORT node server/bench/reference-server.js >/dev/null 2>&1 &
    else
      "$BIN"/natter-server --port "$PORT" --static-dir /nonexistent \
        --max-connections 30000 --max-connections-per-ip 30000 "${flags[@]}" >/dev/null 2>&1 &
    fi
    SERVER=$!
    sleep 0.5
    echo "== $name, run $i"
    local before; before=$(head -1 /proc/stat)
    "$BIN"/loadgen --url "ws://127.0.0.1:$PORT/ws" --server-pid "$SERVER" "$@" || echo "(failed)"
    echo "(cores busy during the run, all processes: $(busy "$before" "$(head -1 /proc/stat)"))"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  done
}

run "idle connections" -- connections --count 10000 --room-size 10
run "relay latency" -- latency --pairs 1000 --rate 2000 --secs 10
run "relay throughput" --rate-burst 1000000 --rate-per-sec 1000000 -- \
  throughput --pairs 50 --window 64 --secs 10
# CPU per offer at a moderate paced load, sampled only while relaying (each offer its own
# wake-ups, unlike at saturation).
run "paced relay CPU" --rate-burst 1000000 --rate-per-sec 1000000 -- \
  latency --pairs 100 --rate 3000 --secs 10
run "lobby logins, waves of 50" -- logins --count 5000 --concurrency 50 --timeout-secs 60
run "lobby logins, one at a time" -- logins --count 5000 --concurrency 1 --timeout-secs 60
run "room logins, 100 rooms" -- logins --count 5000 --rooms 100
