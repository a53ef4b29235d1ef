// Shared set-up for the browser tests: a real natter-server and real Chromium pages.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const artifacts = path.join(here, 'artifacts');

const serverBin = process.env.NATTER_SERVER_BIN;
const dist = path.resolve(here, '..', process.env.NATTER_DIST ?? 'dist');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // ICE on 127.0.0.1 only works with this flag and media permission granted.
  '--allow-loopback-in-peer-connection',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

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

async function waitUntilHealthy(url, deadline) {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not answer ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts natter-server serving the built app; `stop()` ends it. */
export async function startServer({ port, args = [] } = {}) {
  if (!serverBin) throw new Error('NATTER_SERVER_BIN is not set (run the e2e tests via make test)');
  port ??= await freePort();
  const child = spawn(
    serverBin,
    ['--bind', '127.0.0.1', '--port', String(port), '--static-dir', dist, ...args],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitUntilHealthy(`http://127.0.0.1:${port}/healthz`, Date.now() + 10_000);
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Headless Chromium with the flags WebRTC needs in a loopback-only namespace. */
export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
}

/** A page in its own context (own storage), camera and microphone allowed. */
export async function openPage(browser, url, { permissions = ['camera', 'microphone'] } = {}) {
  const context = await browser.newContext({ permissions, viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(message.text());
  });
  await page.goto(url);
  return page;
}

/** Saves a screenshot under e2e/artifacts/ for a person to look at (not committed). */
export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}
