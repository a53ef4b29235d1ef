// Benchmarks of the web app: download size of dist/ and click-to-open time on loopback.
// Run through `make bench-app` (release build, loopback-only network namespace).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { joinAs, launchBrowser, openPage, startServer, userEntry } from '../e2e/harness.mjs';
import { median } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 15);
const dist = process.env.NATTER_DIST ?? 'dist';

const kb = (bytes) => (bytes / 1000).toFixed(1);

function downloadSize() {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  console.log('download (KB = 1000 bytes)   raw    gzip  brotli');
  for (const file of readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f)).sort()) {
    const bytes = readFileSync(path.join(dist, file));
    const sizes = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
    for (const key of Object.keys(total)) total[key] += sizes[key];
    const kind = path.extname(file).slice(1).padEnd(26);
    console.log(`  ${kind} ${kb(sizes.raw).padStart(6)} ${kb(sizes.gzip).padStart(7)} ${kb(sizes.brotli).padStart(7)}`);
  }
  console.log(`  ${'total'.padEnd(26)} ${kb(total.raw).padStart(6)} ${kb(total.gzip).padStart(7)} ${kb(total.brotli).padStart(7)}`);
}

/** natter: alice clicks bob in the list; time until the chat channel is open. */
async function clickToOpen(browser, server, round) {
  const room = `bench-${round}`;
  const alice = await joinAs(browser, server, 'alice', room);
  const bob = await joinAs(browser, server, 'bob', room);
  await userEntry(alice, 'bob').click();
  await alice.waitForFunction(() => performance.getEntriesByName('natter:open:bob').length > 0);
  const elapsed = await alice.evaluate(
    () =>
      performance.getEntriesByName('natter:open:bob')[0].startTime -
      performance.getEntriesByName('natter:select:bob')[0].startTime,
  );
  await alice.context().close();
  await bob.context().close();
  return elapsed;
}

/** Reference: two bare RTCPeerConnections in one page, no signaling server, no app. */
async function bareOpen(page) {
  return page.evaluate(async () => {
    const start = performance.now();
    const [a, b] = [new RTCPeerConnection(), new RTCPeerConnection()];
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    const channel = a.createDataChannel('messenger');
    const opened = new Promise((resolve) => (channel.onopen = resolve));
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription);
    await opened;
    const elapsed = performance.now() - start;
    a.close();
    b.close();
    return elapsed;
  });
}

downloadSize();
const server = await startServer();
const browser = await launchBrowser();
try {
  const natter = [];
  const bare = [];
  const refPage = await openPage(browser, server.url);
  for (let round = 0; round < rounds; round++) {
    natter.push(await clickToOpen(browser, server, round));
    bare.push(await bareOpen(refPage));
  }
  const [n, b] = [median(natter), median(bare)];
  console.log(`click → chat channel open, ${rounds} rounds (ms): median ${n.toFixed(1)}, max ${Math.max(...natter).toFixed(1)}`);
  console.log(`bare RTCPeerConnection pair → open (ms): median ${b.toFixed(1)}, max ${Math.max(...bare).toFixed(1)}`);
  console.log(`ratio natter / bare: ${(n / b).toFixed(2)}`);
} finally {
  await browser.close();
  await server.stop();
}
