// The first transfer on a new connection against the next one on the same connection, on a
// bare RTCDataChannel pair: 100 MiB each, with the pauses (over 200 ms between two messages)
// the receiver sees and the kernel's UDP error counts. Run after `make build`:
// `NATTER_SERVER_BIN=$CARGO_TARGET_DIR/release/natter-server scripts/loopback.sh node bench/first-transfer.mjs`.
// ROUNDS (3) fresh connections; CHUNK, HIGH and LOW (bytes: 64 KiB, 8 MiB, 1 MiB) set the
// messages and water marks; PACE_MS waits that long after each of the first 4 MiB's messages;
// GAP_MS leaves the connection idle that long between the two transfers.
import { readFileSync } from 'node:fs';
import { launchBrowser, openPage, startServer } from '../e2e/harness.mjs';
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

/** Gives `page` a `gathered(pc)` that waits for ICE gathering to end on `pc`. */
const defineGathered = (page) =>
  page.evaluate(() => {
    window.gathered = (pc) =>
      new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
      });
  });

/** A new connection between the pages, with an open channel as the app's chat would have. */
async function connect(sender, receiver) {
  const offer = await sender.evaluate(async () => {
    window.pc?.close();
    const pc = (window.pc = new RTCPeerConnection());
    window.chat = pc.createDataChannel('chat');
    await pc.setLocalDescription();
    await window.gathered(pc);
    return pc.localDescription.toJSON();
  });
  const answer = await receiver.evaluate(async (offer) => {
    window.pc?.close();
    const pc = (window.pc = new RTCPeerConnection());
    pc.ondatachannel = ({ channel }) => {
      if (channel.label === 'chat') return;
      channel.binaryType = 'arraybuffer';
      let received = 0;
      let last = 0;
      const pauses = [];
      channel.onmessage = ({ data }) => {
        const now = performance.now();
        if (last && now - last > 200) pauses.push({ atMB: received / 1e6, ms: Math.round(now - last) });
        last = now;
        received += data.byteLength;
        if (received === window.expected) window.finished({ end: Date.now(), pauses });
      };
    };
    await pc.setRemoteDescription(offer);
    await pc.setLocalDescription();
    await window.gathered(pc);
    return pc.localDescription.toJSON();
  }, offer);
  await sender.evaluate(async (answer) => {
    await window.pc.setRemoteDescription(answer);
    if (window.chat.readyState !== 'open') await new Promise((resolve) => (window.chat.onopen = resolve));
  }, answer);
}

/** One 100 MiB transfer on a new channel: MB/s and the receiver's pauses. */
async function transfer(sender, receiver) {
  const done = receiver.evaluate(
    (size) => new Promise((resolve) => Object.assign(window, { expected: size, finished: resolve })),
    size,
  );
  const start = await sender.evaluate(async (settings) => {
    const start = Date.now();
    const channel = window.pc.createDataChannel('file');
    channel.bufferedAmountLowThreshold = settings.low;
    await new Promise((resolve) => (channel.onopen = resolve));
    for (let offset = 0; offset < window.data.length; offset += settings.chunk) {
      if (channel.bufferedAmount > settings.high) {
        await new Promise((resolve) => (channel.onbufferedamountlow = resolve));
      }
      channel.send(window.data.subarray(offset, offset + settings.chunk));
      if (settings.paceMs && offset < settings.paceBytes) {
        await new Promise((resolve) => setTimeout(resolve, settings.paceMs));
      }
    }
    return start;
  }, settings);
  const { end, pauses } = await done;
  return { rate: size / 1e6 / ((end - start) / 1000), pauses };
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const sender = await openPage(browser, server.url);
  const receiver = await openPage(browser, server.url);
  await Promise.all([sender, receiver].map(defineGathered));
  await sender.evaluate((size) => (window.data = new Uint8Array(size).map((_, i) => i * 7)), size);
  const first = [];
  const second = [];
  console.log(`settings: ${JSON.stringify(settings)}`);
  for (let round = 0; round < rounds; round++) {
    await connect(sender, receiver);
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
