// What a file transfer's own work costs the browser, each part alone in one page, no
// transfer: reading a 100 MiB file from disk in slices of several sizes, and keeping 100 MiB
// of received 64 KiB chunks in a `Blob` in several ways. Prints the CPU time of every
// Chromium process per variant, median of ROUNDS (3). Run after `make build`:
// `scripts/loopback.sh node bench/file-costs.mjs`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser } from '../e2e/harness.mjs';
import { median, withCpu } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 3);
const size = 100 << 20;
const chunk = 64 << 10;
const MiB = 1 << 20;
/** Time for the browser to finish what a variant started (blob bytes still moving). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

/** Reads the picked file in `slice`-byte reads, one read ahead, as the app's sender does. */
async function readAll(slice) {
  const file = document.querySelector('#file').files[0];
  let next = file.slice(0, slice).arrayBuffer();
  for (let offset = 0; offset < file.size; offset += slice) {
    const bytes = await next;
    if (offset + slice < file.size) next = file.slice(offset + slice, offset + 2 * slice).arrayBuffer();
    if (bytes.byteLength === 0) throw new Error('empty read');
  }
}

/** Keeps `window.chunks` in a `Blob` and an object URL: folded every `fold` chunks, or
 * copied into `copy`-byte buffers first. */
function keepAll({ fold, copy }) {
  const chunks = window.chunks;
  const blobs = [];
  if (copy) {
    const per = copy / chunks[0].byteLength;
    for (let i = 0; i < chunks.length; i += per) {
      const buffer = new Uint8Array(copy);
      chunks.slice(i, i + per).forEach((c, k) => buffer.set(new Uint8Array(c), k * c.byteLength));
      blobs.push(new Blob([buffer]));
    }
  } else {
    for (let i = 0; i < chunks.length; i += fold) blobs.push(new Blob(chunks.slice(i, i + fold)));
  }
  URL.revokeObjectURL(URL.createObjectURL(new Blob(blobs)));
  window.chunks = null;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'natter-bench-'));
const file = path.join(scratch, 'bench.bin');
writeFileSync(file, randomBytes(size));
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.setContent('<input type="file" id="file">');
  await page.locator('#file').setInputFiles(file);
  const variants = [
    ...[1, 4, 8, 16].map((n) => ({ name: `read in ${n} MiB slices`, run: () => page.evaluate(readAll, n * MiB) })),
    ...[16, 256, 1600].map((fold) => ({ name: `keep, a Blob every ${fold} chunks`, keep: { fold } })),
    { name: 'keep, copied into 4 MiB buffers', keep: { copy: 4 * MiB } },
  ];
  const cpu = variants.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, variant] of variants.entries()) {
      if (variant.keep) {
        // Fresh chunks as a data channel delivers them, made before the measurement.
        await page.evaluate(({ size, chunk }) => {
          window.chunks = Array.from({ length: size / chunk }, () => crypto.getRandomValues(new Uint8Array(chunk)).buffer);
        }, { size, chunk });
        await settle();
      }
      const run = variant.run ?? (() => page.evaluate(keepAll, variant.keep));
      const { cpu: used } = await withCpu(async () => {
        await run();
        await settle();
      });
      cpu[index].push(used);
    }
  }
  console.log(`100 MiB, browser CPU (ms, all processes), median of ${rounds}:`);
  for (const [index, variant] of variants.entries()) {
    console.log(`  ${variant.name.padEnd(36)} ${String(median(cpu[index])).padStart(5)}  [${cpu[index].join(', ')}]`);
  }
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
