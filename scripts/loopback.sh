#!/usr/bin/env bash
# Runs a command in a fresh network namespace of its own: nothing leaves the machine.
# Beside loopback, a link to nowhere (a veth pair whose other end is in this namespace too,
# with no address and no forwarding):
# - with an IPv6 link-local address: Chromium counts itself online only with such an
#   address (navigator.onLine), as on any real machine; without it the app would say it is
#   offline (e2e/offline.test.mjs);
# - with 198.18.0.1/24 (a range reserved for benchmarks, RFC 2544) and the default route:
#   Firefox gathers no ICE candidate at all without an interface that has an address and a
#   default route (never loopback). Pages meet on 198.18.0.1 (Chromium on 127.0.0.1 too);
#   what goes to any other address is lost at the link's other end.
set -euo pipefail
exec unshare --net sh -c '
  ip link set lo up &&
  ip link add natter0 type veth peer name natter1 &&
  ip link set natter0 addrgenmode none && ip link set natter1 addrgenmode none &&
  ip link set natter0 up && ip link set natter1 up &&
  ip address add fe80::1/64 dev natter0 nodad &&
  ip address add 198.18.0.1/24 dev natter0 &&
  ip route add default via 198.18.0.254 dev natter0 &&
  exec "$@"' loopback "$@"
