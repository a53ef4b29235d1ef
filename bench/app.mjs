// Benchmarks of the web app: download size of dist/, click-to-open time on loopback, and
// the first load on a slow 4G link, compressed and not.
// Run through `make bench-app` (release build, loopback-only network namespace).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { joinAs, launchBrowser, openPage, startServer, userEntry } from '../e2e/harness.mjs';
import { median } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 15);
const loadRounds = Number(process.env.LOAD_ROUNDS ?? 15);
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
    const kind = file.replace(/-[0-9a-f]{16}/, '').padEnd(26); // natter_bg.wasm, boot.js, ...
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

/** Slow 4G as the issue sets it: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. */
const slow4g = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

/**
 * An `init` script: notes when index.html's first screen takes typing (boot.js has made it
 * ready, and a frame has been drawn with it: the stylesheet is in) and when the app has
 * taken it over (its stand-in is gone), in ms since navigation started.
 */
function markFirstScreen() {
  new MutationObserver((_, observer) => {
    if (window.natterTypable === undefined && document.querySelector('[data-loading] form[data-ready]')) {
      window.natterTypable = null;
      requestAnimationFrame(() => (window.natterTypable = performance.now()));
    }
    if (document.body && !document.querySelector('[data-loading]') && document.getElementById('login-name')) {
      window.natterAppReady = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

/** Waits for the page's mark `name` (see `markFirstScreen`) and reads it. */
async function mark(page, name) {
  await page.waitForFunction((name) => typeof window[name] === 'number', name, { timeout: 30_000 });
  return page.evaluate((name) => window[name], name);
}

/**
 * One visit over slow 4G: ms from navigation start until the name field takes typing,
 * until the app has taken over, and until online with the name typed and Join clicked the
 * moment the field took typing; and the bytes on the wire (encoded, with headers) of every
 * request by then. A first visit in a fresh context (empty cache), then a second one in
 * the same context (the service worker's cache).
 */
async function visits(browser, url, round) {
  const context = await browser.newContext();
  await context.addInitScript(markFirstScreen);
  const wire = new Map();
  const visit = async (name) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', slow4g);
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => wire.set(requestId, encodedDataLength));
    await page.goto(`${url}?room=first-load-${round}`, { waitUntil: 'commit' });
    const typable = await mark(page, 'natterTypable');
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText(`Online as ${name}`).waitFor({ timeout: 30_000 });
    const online = await page.evaluate(() => performance.now());
    return { page, times: { typable, app: await mark(page, 'natterAppReady'), online } };
  };
  const first = await visit(`reader${round}`);
  const bytes = [...wire.values()].reduce((sum, n) => sum + n, 0);
  const requests = wire.size;
  // The app has registered its worker: a second visit (another tab) is served from its cache.
  await first.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const second = await visit(`again${round}`);
  await context.close();
  return { first: first.times, second: second.times, bytes, requests };
}

/** `rounds` visits to `url`, summed up in two lines. */
async function firstLoads(browser, url, label) {
  const runs = [];
  for (let round = 0; round < loadRounds; round++) runs.push(await visits(browser, url, round));
  const { bytes, requests } = runs[0];
  for (const which of ['first', 'second']) {
    const times = (key) => runs.map((run) => run[which][key]);
    const line = (key) => `${median(times(key)).toFixed(0)} ms (max ${Math.max(...times(key)).toFixed(0)})`;
    console.log(
      `${which} visit, slow 4G, ${label}, ${loadRounds} rounds, medians: navigation → name field takes typing ` +
        `${line('typable')}, → app took over ${line('app')}, → online (Join clicked at once) ${line('online')}` +
        (which === 'first' ? `; ${kb(bytes)} KB on the wire in ${requests} requests` : ''),
    );
  }
}

/** The same build without its .br and .gz files: what natter-server sent before issue 15. */
async function uncompressedCopy() {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'natter-raw-'));
  cpSync(dist, copy, { recursive: true, filter: (file) => !/\.(br|gz)$/.test(file) });
  return copy;
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

  await firstLoads(browser, server.url, 'compressed (natter-server, .br beside each file)');
  const raw = await uncompressedCopy();
  const rawServer = await startServer({ staticDir: raw });
  try {
    await firstLoads(browser, rawServer.url, 'uncompressed (the same build, no .br or .gz)');
  } finally {
    await rawServer.stop();
    rmSync(raw, { recursive: true });
  }
} finally {
  await browser.close();
  await server.stop();
}
