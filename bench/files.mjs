// Benchmark of file transfer: a 100 MiB file from one page to another through the app,
// and in the same run a bare reference: two pages blasting the same bytes over a plain
// RTCDataChannel, same chunk size and water marks, nothing else (no file reads while
// sending, no digest, no UI). Run through `make bench-files` (release build, loopback).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, openPage, startServer } from '../e2e/harness.mjs';
import { appPair, throughApp } from './transfer.mjs';
import { connectBare, sendBare } from './bare.mjs';
import { median, withCpu } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 5);
const size = 100 << 20;
// The app's chunk (natter_protocol::FILE_CHUNK_BYTES) and its long send queue, the best for
// a warm connection (net/file_channel.rs).
const pacing = { chunk: 64 << 10, high: 8 << 20, low: 1 << 20 };

/** MB/s (1 MB = 10^6 bytes) for the file sent in `ms`. */
const rate = (ms) => size / 1e6 / (ms / 1000);

/** Two bare pages, connected, the sender holding the whole file in memory before any
 * timing starts: the ideal case. */
async function barePair(browser, server, file) {
  const [sender, receiver] = [await openPage(browser, server.url), await openPage(browser, server.url)];
  await sender.setContent('<input type="file" id="bench-file">');
  await sender.locator('#bench-file').setInputFiles(file);
  await sender.evaluate(async () => {
    window.data = new Uint8Array(await document.querySelector('#bench-file').files[0].arrayBuffer());
  });
  await connectBare(sender, receiver);
  return { sender, receiver };
}

/** Bare reference: from opening a fresh channel until the receiver has the last byte. */
const bare = async ({ sender, receiver }) => (await sendBare(sender, receiver, pacing)).ms;

const scratch = mkdtempSync(path.join(tmpdir(), 'natter-bench-'));
const file = path.join(scratch, 'bench.bin');
writeFileSync(file, randomBytes(size));
const server = await startServer();
const browser = await launchBrowser();
try {
  const natter = [];
  const reference = [];
  const cpu = { natter: [], bare: [] };
  const app = await appPair(browser, server);
  const pair = await barePair(browser, server, file);
  // The first transfer on a new connection behaves differently (see BENCHMARKS.md): one
  // round each, printed but kept out of the medians, which are of the steady state.
  const firstApp = rate(await throughApp(app, file));
  const firstBare = rate(await bare(pair));
  console.log(`first transfer on each connection (not in the medians): natter ${firstApp.toFixed(1)} MB/s, bare ${firstBare.toFixed(1)} MB/s`);
  for (let round = 0; round < rounds; round++) {
    const ours = await withCpu(() => throughApp(app, file));
    const theirs = await withCpu(() => bare(pair));
    natter.push(rate(ours.result));
    reference.push(rate(theirs.result));
    cpu.natter.push(ours.cpu);
    cpu.bare.push(theirs.cpu);
    console.log(
      `round ${round + 1}: natter ${natter.at(-1).toFixed(1)} MB/s (CPU ${ours.cpu} ms), ` +
        `bare ${reference.at(-1).toFixed(1)} MB/s (CPU ${theirs.cpu} ms)`,
    );
  }
  const [n, b] = [median(natter), median(reference)];
  console.log(`100 MiB file, ${rounds} rounds, median (MB/s, 1 MB = 10^6 bytes):`);
  console.log(`  natter (accept → digest checked, link shown): ${n.toFixed(1)}`);
  console.log(`  bare RTCDataChannel, same chunks and water marks: ${b.toFixed(1)}`);
  console.log(`  ratio natter / bare: ${(n / b).toFixed(2)}  (targets: natter ≥ 40 MB/s, ratio ≥ 0.8)`);
  const [cn, cb] = [median(cpu.natter), median(cpu.bare)];
  console.log(`browser CPU per transfer, all processes, median: natter ${cn} ms, bare ${cb} ms, ratio ${(cn / cb).toFixed(2)}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
