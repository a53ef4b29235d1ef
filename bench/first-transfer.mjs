// The first transfer on a new connection against the next one on the same connection, on a
// bare RTCDataChannel pair: 100 MiB each, with the pauses (over 200 ms between two messages)
// the receiver sees and the kernel's UDP error counts. Run after `make build`:
// `NATTER_SERVER_BIN=$CARGO_TARGET_DIR/release/natter-server scripts/loopback.sh node bench/first-transfer.mjs`.
// ROUNDS (3) fresh connections; CHUNK, HIGH and LOW (bytes: 64 KiB, 8 MiB, 1 MiB) set the
// messages and water marks; PACE_MS waits that long after each of the first 4 MiB's messages;
// GAP_MS leaves the connection idle that long between the two transfers.
import { readFileSync } from 'node:fs';
import { launchBrowser, openPage, startServer } from '../e2e/harness.mjs';
import { connectBare, sendBare } from './bare.mjs';
import { median } from './measure.mjs';

const size = 100 << 20;
const rounds = Number(process.env.ROUNDS ?? 3);
const settings = {
  chunk: Number(process.env.CHUNK ?? 64 << 10),
  high: Number(process.env.HIGH ?? 8 << 20),
  low: Number(process.env.LOW ?? 1 << 20),
  paceMs: Number(process.env.PACE_MS ?? 0),
  paceBytes: 4 << 20,
};

/** The kernel's UDP counters in this network namespace. */
function udpCounters() {
  const [names, values] = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Udp:'))
    .map((line) => line.split(' ').slice(1));
  return Object.fromEntries(names.map((name, i) => [name, Number(values[i])]));
}

/** One 100 MiB transfer on a new channel: MB/s and the receiver's pauses. */
async function transfer(sender, receiver) {
  const { ms, pauses } = await sendBare(sender, receiver, settings);
  return { rate: size / 1e6 / (ms / 1000), pauses };
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const sender = await openPage(browser, server.url);
  const receiver = await openPage(browser, server.url);
  await sender.evaluate((size) => (window.data = new Uint8Array(size).map((_, i) => i * 7)), size);
  const first = [];
  const second = [];
  console.log(`settings: ${JSON.stringify(settings)}`);
  for (let round = 0; round < rounds; round++) {
    await connectBare(sender, receiver);
    const before = udpCounters();
    const one = await transfer(sender, receiver);
    const after = udpCounters();
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.GAP_MS ?? 0)));
    const two = await transfer(sender, receiver);
    first.push(one.rate);
    second.push(two.rate);
    const errors = ['RcvbufErrors', 'SndbufErrors', 'InErrors'].map((name) => `${name} ${after[name] - before[name]}`);
    console.log(`connection ${round + 1}: first ${one.rate.toFixed(1)} MB/s, second ${two.rate.toFixed(1)} MB/s`);
    console.log(`  first's pauses: ${JSON.stringify(one.pauses.map((p) => `${p.ms} ms at ${p.atMB.toFixed(1)} MB`))}`);
    console.log(`  second's pauses: ${two.pauses.length}; UDP errors during the first: ${errors.join(', ')}`);
  }
  console.log(`median of ${rounds}: first transfer ${median(first).toFixed(1)} MB/s, second ${median(second).toFixed(1)} MB/s`);
} finally {
  await browser.close();
  await server.stop();
}
