// Benchmark of file transfer: a 100 MiB file from one page to another through the app,
// and in the same run a bare reference: two pages blasting the same bytes over a plain
// RTCDataChannel, same chunk size and water marks, nothing else (no file reads while
// sending, no digest, no UI). Run through `make bench-files` (release build, loopback).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { joinAs, launchBrowser, openPage, say, startServer, userEntry } from '../e2e/harness.mjs';

const rounds = Number(process.env.ROUNDS ?? 5);
const size = 100 << 20;
// The app's values (natter_protocol::FILE_CHUNK_BYTES, net/file_channel.rs).
const pacing = { chunk: 64 << 10, high: 8 << 20, low: 1 << 20 };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/**
 * CPU time (ms) used so far by every Chromium process, all threads: on a machine with
 * two cores the link is CPU-bound, so this tells what each transfer costs in full.
 */
function browserCpuMs() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('/usr/lib/chromium/')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Runs `transfer` and returns its elapsed ms and the browser's CPU ms meanwhile. */
async function measured(transfer) {
  const before = browserCpuMs();
  const ms = await transfer();
  return { ms, cpu: browserCpuMs() - before };
}

/** MB/s (1 MB = 10^6 bytes) for the file sent in `ms`. */
const rate = (ms) => size / 1e6 / (ms / 1000);

/** Two app pages, alice and bob, with their conversation open and connected. */
async function appPair(browser, server) {
  const alice = await joinAs(browser, server, 'alice', 'bench-files');
  const bob = await joinAs(browser, server, 'bob', 'bench-files');
  await say(alice, 'bob', 'file coming');
  await userEntry(bob, 'alice').click();
  await userEntry(alice, 'bob').locator('[data-state="connected"]').waitFor();
  return { alice, bob };
}

/** natter: from bob's click on Accept until the download link shows (digest checked). */
async function throughApp({ alice, bob }, file) {
  await alice.getByLabel('Attach files').setInputFiles(file);
  await bob.locator('.transfer[data-state="offered"] button.primary').waitFor();
  const elapsed = await bob.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const start = performance.now();
        const check = () => {
          if (document.querySelector('.transfer a.file-download')) return resolve(performance.now() - start);
          if (document.querySelector('.transfer[data-state="failed"]')) return reject(new Error('transfer failed'));
          requestAnimationFrame(check);
        };
        document.querySelector('.transfer[data-state="offered"] button.primary').click();
        check();
      }),
  );
  // Dismissing frees the received file before the next round.
  for (const page of [alice, bob]) {
    await page.locator('.transfer[data-state="done"] button.ghost').click();
    await page.locator('.transfer').waitFor({ state: 'detached' });
  }
  return elapsed;
}

/** Two bare pages with one RTCPeerConnection each, connected through this script. */
async function barePair(browser, server, file) {
  const [sender, receiver] = [await openPage(browser, server.url), await openPage(browser, server.url)];
  // The sender holds the whole file in memory before timing starts: the ideal case.
  await sender.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'bench-file' });
    document.body.append(input);
  });
  await sender.locator('#bench-file').setInputFiles(file);
  const connect = async (page, remote) =>
    page.evaluate(async (remote) => {
      window.pc ??= new RTCPeerConnection();
      const pc = window.pc;
      if (!remote) {
        window.data = new Uint8Array(await document.querySelector('#bench-file').files[0].arrayBuffer());
        pc.createDataChannel('warm-up');
      } else {
        await pc.setRemoteDescription(remote);
      }
      if (pc.signalingState === 'stable' && remote) return null;
      const gathered = new Promise((resolve) => {
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
      });
      await pc.setLocalDescription();
      if (pc.iceGatheringState !== 'complete') await gathered;
      return pc.localDescription.toJSON();
    }, remote);
  const offer = await connect(sender, null);
  await receiver.evaluate(() => {
    window.pc = new RTCPeerConnection();
    window.pc.ondatachannel = ({ channel }) => {
      if (channel.label === 'warm-up') return;
      channel.binaryType = 'arraybuffer';
      let got = 0;
      channel.onmessage = ({ data }) => {
        got += data.byteLength;
        if (got === window.expected) window.finished(Date.now());
      };
    };
  });
  const answer = await connect(receiver, offer);
  await connect(sender, answer);
  return { sender, receiver };
}

/** Bare reference: from opening a fresh channel until the receiver has the last byte. */
async function bare({ sender, receiver }, round) {
  const done = receiver.evaluate(
    (expected) =>
      new Promise((resolve) => {
        window.expected = expected;
        window.finished = resolve;
      }),
    size,
  );
  const start = await sender.evaluate(
    async ({ round, pacing }) => {
      const start = Date.now();
      const channel = window.pc.createDataChannel(`bench-${round}`);
      channel.binaryType = 'arraybuffer';
      channel.bufferedAmountLowThreshold = pacing.low;
      await new Promise((resolve) => (channel.onopen = resolve));
      const data = window.data;
      for (let offset = 0; offset < data.length; offset += pacing.chunk) {
        if (channel.bufferedAmount > pacing.high) {
          await new Promise((resolve) => (channel.onbufferedamountlow = resolve));
        }
        channel.send(data.subarray(offset, offset + pacing.chunk));
      }
      return start;
    },
    { round, pacing },
  );
  return (await done) - start;
}

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
  // A first transfer on a new connection is slower on both (congestion windows opening,
  // fresh renderers): one untimed round each, then the steady state is measured.
  const firstApp = rate(await throughApp(app, file));
  const firstBare = rate(await bare(pair, -1));
  console.log(`first transfer on each connection (not in the medians): natter ${firstApp.toFixed(1)} MB/s, bare ${firstBare.toFixed(1)} MB/s`);
  for (let round = 0; round < rounds; round++) {
    const ours = await measured(() => throughApp(app, file));
    const theirs = await measured(() => bare(pair, round));
    natter.push(rate(ours.ms));
    reference.push(rate(theirs.ms));
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
