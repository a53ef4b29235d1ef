#!/usr/bin/env bash
# Runs a command in a fresh network namespace that has only loopback: nothing leaves the
# machine, and WebRTC's ICE finds 127.0.0.1 alone.
# Beside it, a link to nowhere whose one address is IPv6 link-local (which WebRTC never
# gathers): Chromium counts itself online only with such an address (navigator.onLine), as
# on any real machine; without it the app would say it is offline (e2e/offline.test.mjs).
set -euo pipefail
exec unshare --net sh -c '
  ip link set lo up &&
  ip link add natter0 type veth peer name natter1 &&
  ip link set natter0 addrgenmode none && ip link set natter1 addrgenmode none &&
  ip link set natter0 up && ip link set natter1 up &&
  ip address add fe80::1/64 dev natter0 nodad &&
  exec "$@"' loopback "$@"
