#!/usr/bin/env bash
# The cluster benchmarks of BENCHMARKS.md: two natter-server instances sharing a fresh
# redis-server (persistence off), loaded by loadgen with every pair split across the two,
# against references measured in the same run: the pairs on one instance of the same
# cluster, and one instance alone without Redis. Release build, loopback only, fresh
# processes per run. Usage: server/bench-redis.sh [RUNS [NAME-FILTER]] (default 3 runs).
# BASELINE_BIN=path/to/natter-server adds runs of that build alone (say, main's) beside
# this one's, to see that a single instance got no worse. Each run also measures the split
# pairs through a managed-style Redis: TLS only (a certificate of a CA made here) and an
# ACL user (docs/deploy.md, Managed Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/natter/target}
RUNS=${1:-3}
FILTER=${2:-}
BASE=${PORT:-9100} # the instances take BASE+1 and BASE+2, Redis BASE+90
command -v redis-server >/dev/null || { echo "redis-server missing: scripts/setup.sh test" >&2; exit 1; }
cargo build --locked --release -p natter-server
# Private copies: someone else may rebuild the target dir during the run.
BIN=$(mktemp -d)
cp "$CARGO_TARGET_DIR"/release/natter-server "$CARGO_TARGET_DIR"/release/loadgen "$BIN"/
[ -z "${BASELINE_BIN:-}" ] || cp "$BASELINE_BIN" "$BIN"/baseline
# 10,000 sockets need as many descriptors in the load generator and the servers.
ulimit -n "$(ulimit -Hn)"
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop_all; rm -rf "$BIN"' EXIT

# A CA and a certificate for 127.0.0.1 signed by it, for the TLS Redis.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=natter bench CA" \
  -keyout "$BIN/ca.key" -out "$BIN/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$BIN/redis.key" \
  -out "$BIN/redis.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$BIN/san"
openssl x509 -req -in "$BIN/redis.csr" -CA "$BIN/ca.crt" -CAkey "$BIN/ca.key" \
  -CAcreateserial -days 1 -extfile "$BIN/san" -out "$BIN/redis.crt" 2>/dev/null

busy() { # busy BEFORE AFTER (the first lines of /proc/stat): how busy all cores were
  local a=($1) b=($2) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo "$(( 100 - 100 * (b[4] - a[4]) / (total > 0 ? total : 1) ))%"
}

server() { # server PORT [FLAGS...]: starts an instance, adds its pid to PIDS
  local port=$1; shift
  "${SERVER_BIN:-$BIN/natter-server}" --port "$port" --no-stun --static-dir /nonexistent \
    --max-connections 30000 --max-connections-per-ip 30000 "$@" >/dev/null 2>&1 &
  PIDS+=($!)
}

# start SETUP [FLAGS...]: "alone" (one instance, no Redis), "baseline" (the same with
# $BASELINE_BIN), "cluster" (Redis and two instances) or "tls" (the same, Redis over TLS
# with an ACL user); sets URLS (loadgen's --url flags) and SERVER_PIDS (its --server-pid
# flags).
start() {
  local setup=$1; shift
  if [ "$setup" = alone ] || [ "$setup" = baseline ]; then
    local bin=""
    [ "$setup" = baseline ] && bin=$BIN/baseline
    SERVER_BIN=$bin server $((BASE + 1)) "$@"
    URLS=(--url "ws://127.0.0.1:$((BASE + 1))/ws")
    SERVER_PIDS=(--server-pid "${PIDS[0]}")
  else
    local redis=(--redis-url "redis://127.0.0.1:$((BASE + 90))/")
    local listen=(--port $((BASE + 90)))
    if [ "$setup" = tls ]; then
      listen=(--port 0 --tls-port $((BASE + 90)) --tls-cert-file "$BIN/redis.crt"
        --tls-key-file "$BIN/redis.key" --tls-ca-cert-file "$BIN/ca.crt" --tls-auth-clients no
        --user default off --user natter on '>bench' '~natter:*' '&natter:*' -@all +ping
        +exists +get +set +del +incr +sadd +srem +smembers +hget +hset +hsetnx +hdel +hvals
        +hgetall +hlen +hexists +publish +subscribe +unsubscribe +eval +evalsha '+script|load')
      redis=(--redis-url "rediss://natter:bench@127.0.0.1:$((BASE + 90))/"
        --redis-ca-file "$BIN/ca.crt")
    fi
    redis-server "${listen[@]}" --bind 127.0.0.1 --save "" --appendonly no \
      --loglevel warning >/dev/null &
    PIDS+=($!)
    sleep 0.3
    server $((BASE + 1)) "${redis[@]}" "$@"
    server $((BASE + 2)) "${redis[@]}" "$@"
    URLS=(--url "ws://127.0.0.1:$((BASE + 1))/ws" --url "ws://127.0.0.1:$((BASE + 2))/ws")
    # Redis works for every relay across instances too: its CPU counts.
    SERVER_PIDS=(--server-pid "${PIDS[1]}" --server-pid "${PIDS[2]}" --server-pid "${PIDS[0]}")
  fi
  sleep 0.7
}

# compare NAME [SERVER-FLAGS...] -- LOADGEN-ARGS: each run measures in turn the pairs (or
# users) split across two instances, on one instance of the cluster, and one instance
# alone (and the baseline build alone), so that load from elsewhere hits them alike.
compare() {
  local name=$1; shift
  [[ "$name" == *"$FILTER"* ]] || return 0
  local flags=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  local setups=("cluster split" "tls split" "cluster one" "alone one")
  [ -z "${BASELINE_BIN:-}" ] || setups+=("baseline one")
  for i in $(seq "$RUNS"); do
    for setup in "${setups[@]}"; do
      read -r kind spread <<<"$setup"
      start "$kind" "${flags[@]}"
      local urls=("${URLS[@]}")
      [ "$spread" = one ] && urls=("${URLS[@]:0:2}")
      echo "== $name: $kind, $spread, run $i"
      local before; before=$(head -1 /proc/stat)
      "$BIN"/loadgen "${urls[@]}" "${SERVER_PIDS[@]}" "$@" || echo "(failed)"
      echo "(cores busy during the run, all processes: $(busy "$before" "$(head -1 /proc/stat)"))"
      stop_all
    done
  done
}

compare "relay latency" -- latency --pairs 1000 --rate 2000 --secs 10
compare "relay throughput" --rate-burst 1000000 --rate-per-sec 1000000 -- \
  throughput --pairs 50 --window 64 --secs 10
compare "idle connections" -- connections --count 10000 --room-size 10
