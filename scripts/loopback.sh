#!/usr/bin/env bash
# Runs a command in a fresh network namespace that has only loopback: nothing leaves the
# machine, and WebRTC's ICE finds 127.0.0.1 alone.
set -euo pipefail
exec unshare --net sh -c 'ip link set lo up && exec "$@"' loopback "$@"
