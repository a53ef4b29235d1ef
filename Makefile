# natter: `make run` builds and serves the app, `make test` runs every check and test.
# Both install whatever is missing first (scripts/setup.sh).

HOST ?= 127.0.0.1
PORT ?= 9000

# One target dir outside the clone, so a fresh clone on a warm machine builds incrementally.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/natter/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run dev test build site bench-app bench-files bench-resume bench-nat bench-history bench-redis setup-run setup-test

# The server says where to open it once it listens (and colours only a terminal's output).
run: setup-run build
	cargo run --locked --release -p natter-server --bin natter-server -- --bind $(HOST) --port $(PORT) --static-dir dist

# A debug build (quicker, readable) served the same way; after a change, build again with
# `node scripts/build-app.mjs --debug` and reload the page.
dev: setup-run
	node scripts/build-app.mjs --debug
	cargo run --locked -p natter-server --bin natter-server -- --bind $(HOST) --port $(PORT) --static-dir dist

test: setup-test
	scripts/test.sh

build:
	node scripts/build-app.mjs
	cargo build --locked --release -p natter-server

# The app as static files for any host (docs/deploy.md): site/ is dist/ with deploy/'s
# _headers and _redirects, and a config.json naming the signaling server if SERVER is given.
site: setup-run
	node scripts/build-app.mjs
	rm -rf site && cp -r dist site && cp deploy/_headers deploy/_redirects site/
	$(if $(SERVER),printf '{"server": "%s"}\n' '$(SERVER)' >site/config.json)

# Download size and click-to-open time of the release build (see BENCHMARKS.md).
bench-app: setup-test build
	NATTER_SERVER_BIN=$(CARGO_TARGET_DIR)/release/natter-server scripts/loopback.sh node bench/app.mjs

# A 100 MiB file through the app against a bare RTCDataChannel (see BENCHMARKS.md).
bench-files: setup-test build
	NATTER_SERVER_BIN=$(CARGO_TARGET_DIR)/release/natter-server scripts/loopback.sh node bench/files.mjs

# A 100 MiB file cut off by a reload of its receiver, against one uninterrupted (BENCHMARKS.md).
bench-resume: setup-test build
	NATTER_SERVER_BIN=$(CARGO_TARGET_DIR)/release/natter-server scripts/loopback.sh node bench/file-resume.mjs

# Across NATs: direct against relayed (TURN), click-to-open and 100 MiB (see BENCHMARKS.md).
bench-nat: setup-test build
	NATTER_SERVER_BIN=$(CARGO_TARGET_DIR)/release/natter-server scripts/loopback.sh node bench/nat.mjs

# Opening a conversation of 10,000 stored messages against one of 10 (see BENCHMARKS.md).
bench-history: setup-test build
	NATTER_SERVER_BIN=$(CARGO_TARGET_DIR)/release/natter-server scripts/loopback.sh node bench/history.mjs

# Several instances sharing a Redis against one alone: relay latency and CPU with every pair
# split across two instances, memory per socket (see BENCHMARKS.md).
bench-redis: setup-test
	server/bench-redis.sh

setup-run:
	scripts/setup.sh run

setup-test:
	scripts/setup.sh test
