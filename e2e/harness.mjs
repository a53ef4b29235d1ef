// Shared set-up for the browser tests: a real natter-server and real browser pages, Chromium's
// or Firefox's, driven alike through Playwright (CDP for Chromium, WebDriver BiDi for Firefox).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, firefox } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const artifacts = path.join(here, 'artifacts');

/** The server binary and the built app the tests run (set by scripts/test.sh). */
export const serverBin = process.env.NATTER_SERVER_BIN;
export const dist = path.resolve(here, '..', process.env.NATTER_DIST ?? 'dist');

/** Headless Chromium's flags for every test (the network lab, e2e/netlab.mjs, uses them too). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
];
// ICE on 127.0.0.1 only works with this flag and media permission granted.
const loopbackArgs = [...chromiumArgs, '--allow-loopback-in-peer-connection'];

/**
 * Firefox ESR's preferences for every test: the fake camera and microphone, allowed without a
 * prompt (Chromium's --use-fake-device-for-media-stream and --use-fake-ui-for-media-stream),
 * and host candidates by their addresses, not mDNS names (Chromium shows them once media is
 * allowed). ICE needs an interface with an address and a default route: scripts/loopback.sh
 * gives the namespace one.
 */
export const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
};

/** The browsers a test can pick, by name: Debian's Chromium and Firefox ESR. */
export const browsers = ['chromium', 'firefox'];

/** Which browser `browser` (a Playwright Browser) is: 'chromium' or 'firefox'. */
export const browserName = (browser) => browser.browserType().name();

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export async function waitUntilHealthy(url, deadline, { anyStatus = false } = {}) {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok || anyStatus) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer ${url}`);
    await sleep(50);
  }
}

/** Spawns a server process; the returned function ends it with `signal` and waits. */
function spawnServer(command, args, options) {
  const child = spawn(command, args, options);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return async (signal = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
}

/** Starts natter-server serving the built app (or `staticDir`); `stop()` ends it. */
export async function startServer({ port, args = [], staticDir = dist } = {}) {
  if (!serverBin) throw new Error('NATTER_SERVER_BIN is not set (run the e2e tests via make test)');
  port ??= await freePort();
  const stop = spawnServer(
    serverBin,
    ['--bind', '127.0.0.1', '--port', String(port), '--static-dir', staticDir, ...args],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } },
  );
  await waitUntilHealthy(`http://127.0.0.1:${port}/healthz`, Date.now() + 10_000);
  // SIGTERM is a graceful shutdown, SIGKILL a crash.
  return { port, url: `http://127.0.0.1:${port}/`, stop };
}

/** Starts the classic Node.js signaling server (server/bench) on `port`; `stop()` ends it. */
export async function startReferenceServer(port) {
  const script = path.resolve(here, '..', 'server', 'bench', 'reference-server.js');
  const stop = spawnServer(process.execPath, [script], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port) },
  });
  await waitUntilHealthy(`http://127.0.0.1:${port}/`, Date.now() + 10_000, { anyStatus: true });
  return { stop };
}

/**
 * Headless Chromium (or, with `browser: 'firefox'`, Firefox ESR) with what WebRTC needs in the
 * test's namespace. `fakeUi` answers every media prompt with "allow", even a denied
 * permission; without it (Chromium only), pages rely on the permissions their context grants.
 * `prefs` adds Firefox preferences to `firefoxPrefs`.
 */
export function launchBrowser({ fakeUi = true, browser = 'chromium', prefs = {} } = {}) {
  if (browser === 'firefox') {
    if (!fakeUi) throw new Error('Firefox has no media permissions to deny here: fakeUi: false is Chromium only');
    return firefox.launch({
      channel: 'moz-firefox',
      executablePath: '/usr/bin/firefox-esr',
      headless: true,
      firefoxUserPrefs: { ...firefoxPrefs, ...prefs },
    });
  }
  const args = fakeUi ? [...loopbackArgs, '--use-fake-ui-for-media-stream'] : loopbackArgs;
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}

/**
 * A page in its own context (own storage), camera and microphone allowed unless named in
 * `deny` (permission names, e.g. 'camera'), and the permissions in `grant` too; `init` runs
 * before the page's scripts, and `prepare(page)` before it loads. With `clock`, the page runs on Playwright's clock, which a test
 * can move forward (`page.clock.fastForward`); time still flows on its own. `locale` sets the
 * browser's language (`navigator.languages`), e.g. 'zh-CN'. The same in Chromium and Firefox,
 * but `deny` (Chromium only).
 */
export async function openPage(browser, url, { init, prepare, deny = [], grant = [], clock = false, locale } = {}) {
  const context = await browser.newContext({
    permissions: ['camera', 'microphone', ...grant],
    viewport: { width: 1100, height: 720 },
    ...(locale && { locale }),
  });
  if (browserName(browser) === 'firefox') await context.addInitScript(keepBlobs);
  if (init) await context.addInitScript(init);
  if (clock) await context.clock.install();
  const page = await context.newPage();
  if (deny.length > 0) {
    if (browserName(browser) !== 'chromium') throw new Error('deny is Chromium only (it needs CDP)');
    // A real refusal, as if the person had clicked "Block" (the fake UI accepts everything).
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    for (const name of deny) {
      await cdp.send('Browser.setPermission', {
        permission: { name },
        setting: 'denied',
        origin: new URL(url).origin,
        browserContextId: targetInfo.browserContextId,
      });
    }
  }
  page.errors = [];
  // In Firefox, Playwright's screenshots put a <style> of their own in the page, which the
  // app's CSP refuses: the tool's complaint, not the app's (Chromium would report an inline
  // style of the app's too).
  const tools = browserName(browser) === 'firefox' ? /Content-Security-Policy: .*\(style-src-elem\)/ : null;
  const error = (text) => tools?.test(text) || page.errors.push(text);
  page.on('pageerror', (thrown) => error(String(thrown)));
  page.on('console', (message) => message.type() === 'error' && error(message.text()));
  await prepare?.(page);
  await page.goto(url);
  return page;
}

/** Saves a screenshot under e2e/artifacts/ for a person to look at (not committed). */
export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

let classicPeerOrigin;

/** Serves e2e/classic-peer.html on loopback (once per test file); resolves to its origin. */
function serveClassicPeer() {
  classicPeerOrigin ??= new Promise((resolve) => {
    const html = readFileSync(path.join(here, 'classic-peer.html'));
    const server = http.createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
    });
    // Chromium lets a page reach loopback servers only if it was served from loopback too.
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`));
    server.unref();
  });
  return classicPeerOrigin;
}

/**
 * A page running the classic client (e2e/classic-peer.html) against the signaling server at
 * `signaling` (a ws: URL), logged in as `name` in the lobby. Tests drive it through
 * `window.classic`.
 */
export async function openClassicPeer(browser, signaling, name) {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  const origin = await serveClassicPeer();
  await page.goto(`${origin}classic-peer.html?server=${encodeURIComponent(signaling)}`);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'connected');
  await page.evaluate((name) => window.classic.login(name), name);
  await page.waitForFunction(() => window.classic.state.loggedIn);
  return page;
}

/** Opens the app in `room` and logs in as `name`; resolves once the chat screen shows. */
export async function joinAs(browser, server, name, room, options = {}) {
  const page = await openPage(browser, `${server.url}?room=${encodeURIComponent(room)}`, options);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText(`Online as ${name}`).waitFor();
  return page;
}

/** Logs `names` into `room` of the stage's server, one page each, in order. */
export async function joinRoom(stage, room, ...names) {
  const pages = [];
  for (const name of names) pages.push(await joinAs(stage.browser, stage.server, name, room));
  return pages;
}

/**
 * An `init` script for `openPage`/`joinAs`: keeps the page's chat channel in
 * `window.chat` once the app sends on it, so a test can send raw messages as a peer.
 */
export function keepChatChannel() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (this.label === 'messenger') window.chat = this;
    return send.call(this, data);
  };
}

/** An `init` script: keeps every RTCPeerConnection the page makes in `window.pcs`. */
export function keepPeerConnections() {
  window.pcs = [];
  const Native = RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const connection = new Native(...args);
    window.pcs.push(connection);
    return connection;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native); // statics: generateCertificate
}

/**
 * The candidate pair the page's latest connection uses (`keepPeerConnections`): each end's
 * type and address, and every local candidate gathered, as `type address`.
 */
export function selectedPair(page) {
  return page.evaluate(async () => {
    const stats = [...(await window.pcs.at(-1).getStats()).values()];
    const byId = (id) => stats.find((report) => report.id === id);
    const pair = byId(stats.find((report) => report.type === 'transport')?.selectedCandidatePairId);
    const end = (id) => byId(id) && { type: byId(id).candidateType, address: byId(id).address, port: byId(id).port };
    return {
      local: pair && end(pair.localCandidateId),
      remote: pair && end(pair.remoteCandidateId),
      gathered: stats.filter((r) => r.type === 'local-candidate').map((r) => `${r.candidateType} ${r.address}`),
    };
  });
}

/** Sends `messages` (objects, as JSON) on the chat channel kept by `keepChatChannel`. */
export function sendRaw(page, messages) {
  return page.evaluate((messages) => {
    for (const message of messages) window.chat.send(JSON.stringify(message));
  }, messages);
}

/** A chat line as the classic client writes it (no id). */
export const classicLine = (message, name) => ({ time: new Date().toISOString(), message, name });

/** The entry for `name` in the list of people online. */
export function userEntry(page, name) {
  return page.locator('.users .user').filter({ has: page.locator('.user-name', { hasText: new RegExp(`^${name}$`) }) });
}

/**
 * Opens the conversation with `peer` from the list: one click, as a person makes it (an
 * entry is kept while what it shows changes, so a click is never lost to a redraw).
 */
export async function openConversation(page, peer) {
  await userEntry(page, peer).click();
  await page.locator('.conversation-head h2', { hasText: peer }).waitFor();
}

/** Opens the conversation with `peer` and sends `text` with the Enter key. */
export async function say(page, peer, text) {
  await openConversation(page, peer);
  const input = page.getByLabel('Message');
  await input.fill(text);
  await input.press('Enter');
}

/** The texts of the open conversation, as `from: text` lines. */
export async function transcript(page) {
  return page.locator('.messages .message').evaluateAll((items) =>
    items.map((item) => `${item.querySelector('.from').textContent}: ${item.querySelector('.text').textContent}`),
  );
}

/** Waits until the open conversation with `peer` shows exactly `lines` (see `transcript`). */
export async function expectTranscript(page, peer, lines, timeout = 10_000) {
  await openConversation(page, peer);
  try {
    await until(() => transcript(page), lines, timeout, `the conversation with ${peer}`);
  } catch (error) {
    error.message += ` (${await linkReport(page, peer)})`;
    throw error;
  }
}

/**
 * What the page knows of its link to `peer`, for a failure's message: the state its people
 * list shows and, where `keepPeerConnections` ran, each connection's negotiation and ICE.
 */
async function linkReport(page, peer) {
  const shown = await userEntry(page, peer).locator('.link-state').getAttribute('data-state', { timeout: 1000 }).catch(() => 'no entry');
  const connections = await page.evaluate(() =>
    (window.pcs ?? []).map((pc) => `${pc.signalingState}/${pc.iceGatheringState}/${pc.iceConnectionState}`),
  );
  return `link to ${peer}: ${shown}; connections: ${connections.join(', ') || 'none kept'}`;
}

/**
 * Waits until the conversation with `from` on `to` shows exactly `lines`, then a last line
 * `from` writes after them, and proves that nothing of it is doubled: lines go in order over
 * one channel, so a line sent twice before the last one shows before it, and once the last
 * one is acknowledged `from` has nothing left to send again. (`expectTranscript` alone passes
 * at the first look that matches, before a late duplicate comes.)
 */
export async function expectSettled(from, fromName, to, toName, lines) {
  const last = `${fromName} has said it all`;
  await say(from, toName, last);
  const acknowledged = from.locator('.messages .message.outgoing:is([data-delivery="delivered"], [data-delivery="read"])');
  await acknowledged.filter({ hasText: last }).waitFor();
  await expectTranscript(to, fromName, [...lines, `${fromName}: ${last}`]);
  return [...lines, `${fromName}: ${last}`];
}

/**
 * Polls `read()` every 100 ms until what it resolves to deep-equals `expected`; after
 * `timeout` ms fails, saying what `what` last showed.
 */
export async function until(read, expected, timeout = 10_000, what = 'the page') {
  const deadline = Date.now() + timeout;
  for (;;) {
    const seen = await read();
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) {
      throw new Error(`${what} shows ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
    }
    await sleep(100);
  }
}

/**
 * Starts a natter-server and a browser of each name in `names` ('chromium', 'firefox')
 * before the calling file's tests and stops them after. Tests read `stage.server`,
 * `stage.browsers.NAME`, and `stage.browser` (the first one); a test may replace the server.
 */
export function useStage(...names) {
  if (names.length === 0) names.push('chromium');
  const stage = { browsers: {} };
  before(async () => {
    stage.server = await startServer();
    for (const name of names) stage.browsers[name] = await launchBrowser({ browser: name });
    stage.browser = stage.browsers[names[0]];
  });
  after(async () => {
    for (const browser of Object.values(stage.browsers)) await browser.close();
    await stage.server?.stop();
  });
  return stage;
}

// Files and calls as a person uses them, for the tests of each and for those across NATs.

/** The transfer of the file `name` as `page` shows it. */
export const transfer = (page, name) =>
  page.locator('.transfer').filter({ has: page.locator('.file-name', { hasText: new RegExp(`^${name}$`) }) });

/** Waits until the transfer of `name` is in `state` (see `TransferPhase::as_str`). */
export const inState = (page, name, state, timeout = 20_000) =>
  transfer(page, name).and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout });

/** Offers `files` (paths or {name, mimeType, buffer}) through the attach button. */
export const attach = (page, files) => page.getByLabel('Attach files').setInputFiles(files);

/**
 * An `init` script for Firefox pages (openPage adds it): keeps each blob the page makes a
 * URL for in `window.keptBlobs`. Playwright has no download event in Firefox (BiDi) yet, and
 * the CSP lets no script fetch a blob: URL, so `downloadedDigest` reads the bytes from here.
 */
function keepBlobs() {
  window.keptBlobs = new Map();
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    const url = createObjectURL(blob);
    window.keptBlobs.set(url, blob);
    return url;
  };
}

/**
 * SHA-256 (hex) of the file `name` as a person saves it: its download link clicked, the
 * file read back (in Firefox, the blob behind the link: see `keepBlobs`). (Not fetched in the
 * page: the strict CSP lets scripts fetch no blob:.)
 */
export async function downloadedDigest(page, name) {
  if (browserName(page.context().browser()) === 'firefox') {
    return transfer(page, name)
      .locator('a.file-download')
      .evaluate(async (link) => {
        const bytes = await window.keptBlobs.get(link.href).arrayBuffer();
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
      });
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    transfer(page, name).locator('a.file-download').click(),
  ]);
  return createHash('sha256').update(readFileSync(await download.path())).digest('hex');
}

/** Waits until the page's remote video shows decoded frames: a size and a moving clock. */
export async function expectRemoteVideoPlays(page) {
  await page.waitForFunction(() => {
    const video = document.querySelector('.call video.remote');
    return video && video.videoWidth > 0 && video.currentTime > 0;
  });
  const before = await page.evaluate(() => document.querySelector('.call video.remote').currentTime);
  await page.waitForFunction(
    (t) => document.querySelector('.call video.remote').currentTime > t + 0.2,
    before,
  );
}
