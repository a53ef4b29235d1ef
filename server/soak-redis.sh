#!/usr/bin/env bash
# Soak of several instances sharing a Redis (not part of make test): a fresh redis-server
# and three release natter-server instances, 2,000 users spread over them in rooms of 10
# for 10 minutes, relaying and coming and going (loadgen soak). Prints a line per check
# (wrong lists, the servers' memory and CPU) and the totals: offers lost or delivered
# twice, wrong lists. Usage: server/soak-redis.sh [SECS [USERS]].
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/natter/target}
SECS=${1:-600}
USERS=${2:-2000}
BASE=${PORT:-9100} # instances on BASE+1 to BASE+3, Redis on BASE+90
command -v redis-server >/dev/null || { echo "redis-server missing: scripts/setup.sh test" >&2; exit 1; }
cargo build --locked --release -p natter-server
BIN=$(mktemp -d)
cp "$CARGO_TARGET_DIR"/release/natter-server "$CARGO_TARGET_DIR"/release/loadgen "$BIN"/
ulimit -n "$(ulimit -Hn)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; wait; rm -rf "$BIN"' EXIT

redis-server --port $((BASE + 90)) --bind 127.0.0.1 --save "" --appendonly no \
  --loglevel warning >/dev/null &
PIDS+=($!)
sleep 0.3
URLS=()
for i in 1 2 3; do
  "$BIN"/natter-server --port $((BASE + i)) --no-stun --static-dir /nonexistent \
    --max-connections 30000 --max-connections-per-ip 30000 \
    --redis-url "redis://127.0.0.1:$((BASE + 90))/" >/dev/null 2>&1 &
  PIDS+=($!)
  URLS+=(--url "ws://127.0.0.1:$((BASE + i))/ws")
done
sleep 1
# Memory and CPU: the three instances and Redis together.
"$BIN"/loadgen "${URLS[@]}" --server-pid "${PIDS[1]}" --server-pid "${PIDS[2]}" \
  --server-pid "${PIDS[3]}" --server-pid "${PIDS[0]}" \
  soak --users "$USERS" --secs "$SECS" --check-every "${CHECK_EVERY:-30}"
