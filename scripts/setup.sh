#!/usr/bin/env bash
# Installs what natter needs and is missing; safe to run again. Usage: scripts/setup.sh run|test
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-run}
say() { printf '[setup] %s\n' "$*"; }

# wasm-bindgen-cli must be the exact version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }

if [ "$purpose" = test ]; then
  for component in rustfmt clippy; do
    rustup component list --installed | grep -q "^$component" \
      || { say "adding $component"; rustup component add "$component"; }
  done
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wasm_bindgen_version"; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  # --locked can name a dependency version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --locked \
    || cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# wasm-opt (binaryen 132) and Playwright live in node_modules, never Debian's binaryen 108,
# whose output crashes Chromium.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node tools (wasm-opt, the minifiers, playwright-core)"
  npm ci --no-audit --no-fund
fi

# The classic Node.js signaling server, which the e2e tests also run the app against.
if [ "$purpose" = test ] && { [ ! -f server/bench/node_modules/.package-lock.json ] \
  || [ server/bench/package-lock.json -nt server/bench/node_modules/.package-lock.json ]; }; then
  say "installing the reference signaling server's packages"
  npm ci --prefix server/bench --no-audit --no-fund
fi

if [ "$purpose" = test ] && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  say "installing chromium and chromedriver"
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver
fi

# Firefox ESR for the tests across browsers (e2e/browsers*.test.mjs), driven by Playwright over
# WebDriver BiDi: no geckodriver, no browser of Playwright's own.
if [ "$purpose" = test ] && ! command -v firefox-esr >/dev/null; then
  say "installing firefox-esr"
  apt-get update -qq
  apt-get install -y -qq firefox-esr
fi

# Chinese and emoji glyphs for the screenshots (e2e/i18n.test.mjs, emoji-only messages in
# e2e/writing.test.mjs); the tests pass without them, but the screenshots then show empty
# boxes.
# (No `fc-list | grep -q`: grep leaving early fails the pipe under pipefail.)
if [ "$purpose" = test ] && ! [[ -n "$(fc-list :lang=zh 2>/dev/null)" \
  && "$(fc-list : family 2>/dev/null)" == *[Ee]moji* ]]; then
  say "installing Chinese and emoji fonts"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends fonts-noto-cjk fonts-noto-color-emoji
fi

# The network lab (e2e/netlab.mjs): namespaces (ip, nsenter), NATs (nft) and a STUN/TURN
# server (coturn's turnserver); and Redis for the cluster tests. The tests start them
# themselves, never as a service.
if [ "$purpose" = test ]; then
  lab_packages=()
  command -v ip >/dev/null || lab_packages+=(iproute2)
  command -v nsenter >/dev/null || lab_packages+=(util-linux)
  command -v nft >/dev/null || lab_packages+=(nftables)
  command -v turnserver >/dev/null || lab_packages+=(coturn)
  # The cluster tests (server/tests/server/cluster) start their own redis-server.
  command -v redis-server >/dev/null || lab_packages+=(redis-server)
  # ... and their TLS Redis, with a certificate openssl makes.
  command -v openssl >/dev/null || lab_packages+=(openssl)
  if [ ${#lab_packages[@]} -gt 0 ]; then
    say "installing ${lab_packages[*]} (network lab, cluster tests)"
    # Debian's coturn and redis-server start and enable their services where systemd runs;
    # a policy-rc.d that says no stops the start (deb-systemd-invoke and invoke-rc.d both
    # ask it).
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${lab_packages[@]}"
  fi
  # Debian's packages also enable their services for the next boot: undone (systemctl edits
  # the links without a running systemd too).
  for service in coturn redis-server; do
    if command -v systemctl >/dev/null && systemctl is-enabled --quiet "$service.service" 2>/dev/null; then
      say "disabling $service.service (the tests run their own)"
      systemctl disable --quiet "$service.service"
    fi
  done
fi

# Builds need no network from here on (the tests run without one).
cargo fetch --locked >/dev/null
