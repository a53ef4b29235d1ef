#!/usr/bin/env bash
# Soak of one instance alone (not part of make test): a release natter-server without
# Redis, 2,000 users in rooms of 10 relaying 200 offers/s and coming and going (loadgen
# soak), to watch its memory under churn. Prints the server's RSS and CPU at each check
# (every 30 s), then the totals: offers lost or delivered twice, wrong lists.
# Usage: server/soak.sh [SECS [USERS]]. CHURN: users per second logging out and in again
# (2); CHECK_EVERY: seconds between checks; SERVER_BIN: another build of natter-server;
# WRAP: a command to run the server under (say, "heaptrack -o /tmp/natter").
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/natter/target}
SECS=${1:-600}
USERS=${2:-2000}
PORT=${PORT:-9100}
cargo build --locked --release -p natter-server
BIN=$(mktemp -d)
cp "${SERVER_BIN:-$CARGO_TARGET_DIR/release/natter-server}" "$BIN"/natter-server
cp "$CARGO_TARGET_DIR"/release/loadgen "$BIN"/
ulimit -n "$(ulimit -Hn)"
PID=
trap '[ -z "$PID" ] || kill "$PID" 2>/dev/null || true; wait; rm -rf "$BIN"' EXIT

# shellcheck disable=SC2086 # WRAP is a command line of its own
${WRAP:-} "$BIN"/natter-server --port "$PORT" --no-stun --static-dir /nonexistent \
  --max-connections 30000 --max-connections-per-ip 30000 >/dev/null 2>&1 &
PID=$!
sleep 2
# Under a wrapper, the server is the wrapper's child: stopped, it lets the wrapper finish.
PID=$(pgrep -n -f "$BIN/natter-server" || echo "$PID")
"$BIN"/loadgen --url "ws://127.0.0.1:$PORT/ws" --server-pid "$PID" \
  soak --users "$USERS" --secs "$SECS" --check-every "${CHECK_EVERY:-30}" --churn "${CHURN:-2}"
