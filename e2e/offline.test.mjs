// The app at hand (issue 15): installable, open offline after a first visit (its service
// worker keeps the build), and a new build taken on the next load, and said so. Served as a
// static host serves it, under deploy/_headers' strict CSP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { screenshot, useStage } from './harness.mjs';
import { startSite } from './static-host.mjs';

const stage = useStage();
const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'scripts');
const offlineText = 'Offline — natter needs the network to reach anyone';
const updated = 'natter was updated';

/** The version in a site's sw.js: its cache is `natter-VERSION`. */
const versionOf = (root) => readFileSync(path.join(root, 'sw.js'), 'utf8').match(/VERSION = '(\w+)'/)[1];

/** A page of its own context (own storage and workers) on `site`, its errors kept. */
async function visit(site) {
  const context = await stage.browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') page.errors.push(message.text());
  });
  await page.goto(site.url);
  await page.getByLabel('Your name').waitFor();
  return page;
}

/** Waits until the page is under the worker of `version`, with only that build kept. */
async function keptBy(page, version) {
  const kept = () => page.evaluate(async () => navigator.serviceWorker.controller && (await caches.keys()).join());
  for (let tries = 0; (await kept()) !== `natter-${version}`; tries++) {
    assert.ok(tries < 100, `no worker of version ${version} after 10 s: ${await kept()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A new build in place of the site's, as the build would leave it, without running it: its
 * stylesheet gains a rule (a new hashed name, which index.html names),
 * then sw.js is written anew for it. Returns the new worker's version.
 */
function deployNewBuild(root) {
  const old = readdirSync(root).find((file) => /^main-\w+\.css$/.test(file));
  const css = Buffer.concat([readFileSync(path.join(root, old)), Buffer.from(':root { --natter-build: 2; }\n')]);
  const name = `main-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  writeFileSync(path.join(root, name), css);
  const index = readFileSync(path.join(root, 'index.html'), 'utf8');
  const renamed = index.replace(old, name);
  assert.notEqual(renamed, index);
  writeFileSync(path.join(root, 'index.html'), renamed);
  for (const file of readdirSync(root).filter((file) => file.startsWith(old))) rmSync(path.join(root, file));
  execFileSync(process.execPath, [path.join(scripts, 'service-worker.mjs'), root]);
  return versionOf(root);
}

/** Which build the page runs: '2' for `deployNewBuild`'s. */
const build = (page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--natter-build').trim());

/** The addresses the page's worker keeps. */
const keptFiles = (page) =>
  page.evaluate(async () => {
    const all = await Promise.all((await caches.keys()).map(async (key) => (await caches.open(key)).keys()));
    return all.flat().map((request) => new URL(request.url).pathname);
  });

test('installable: Chromium finds the manifest and its icons and has no objection', async () => {
  const site = await startSite(`ws://127.0.0.1:${stage.server.port}/ws`);
  try {
    const page = await visit(site);
    const cdp = await page.context().newCDPSession(page);
    const { errors, data } = await cdp.send('Page.getAppManifest');
    assert.deepEqual(errors, []);
    assert.equal(JSON.parse(data).name, 'natter');
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // Playwright's contexts are incognito ones, where nothing installs; nothing else stops it.
    assert.deepEqual(installabilityErrors.map((error) => error.errorId), ['in-incognito']);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await site.stop();
  }
});

test('after a first visit the app opens offline, from its worker alone, and says it is offline', async () => {
  const site = await startSite(`ws://127.0.0.1:${stage.server.port}/ws`);
  try {
    const page = await visit(site);
    await keptBy(page, versionOf(site.root));
    // The worker kept the files the page had loaded: the wasm came once.
    assert.equal(site.requests.filter((asked) => asked.endsWith('.wasm')).length, 1);
    assert.equal(await page.getByText(updated).count(), 0, 'a first visit is no update');
    assert.deepEqual(page.errors, []);
    await page.getByLabel('Your name').fill('alice');
    await page.getByRole('button', { name: 'Start a private room' }).click();
    await page.getByText('Online as alice').waitFor();

    const asked = site.requests.length;
    await page.context().setOffline(true);
    await page.locator('.status-text', { hasText: offlineText }).waitFor();
    await page.reload();
    await page.getByLabel('Your name').waitFor();
    await page.locator('.status-text', { hasText: offlineText }).waitFor();
    await screenshot(page, 'offline-reload');
    // Nothing reached the host: the page and its files came from the worker's cache, which
    // never keeps config.json (config.json was asked for, and failed).
    assert.deepEqual(site.requests.slice(asked), []);
    const kept = await keptFiles(page);
    assert.ok(kept.includes('/') && kept.some((file) => file.endsWith('.wasm')), kept.join());
    assert.ok(!kept.includes('/config.json') && !kept.includes('/ws'), kept.join());

    // Back online, the status no longer says so, and Join finds the server of config.json
    // (unread while offline) and logs in.
    await page.context().setOffline(false);
    await page.locator('.status-text', { hasText: offlineText }).waitFor({ state: 'detached' });
    await page.getByLabel('Your name').fill('alice');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText('Online as alice').waitFor();
    // A reload asks for the page again; the hashed files are still the kept ones.
    await page.reload();
    await page.getByText('Online as alice').waitFor();
    assert.equal(site.requests.filter((asked) => asked.endsWith('.wasm')).length, 1);
    await page.context().close();
  } finally {
    await site.stop();
  }
});

test('a new build is taken on the next load, announced, then kept for offline use instead', async () => {
  const site = await startSite(`ws://127.0.0.1:${stage.server.port}/ws`);
  try {
    const page = await visit(site);
    const first = versionOf(site.root);
    await keptBy(page, first);
    assert.equal(await build(page), '');

    const second = deployNewBuild(site.root);
    assert.notEqual(second, first);
    await page.reload();
    await page.locator('.toast', { hasText: updated }).waitFor();
    assert.equal(await build(page), '2');
    assert.deepEqual(page.errors, []);
    await screenshot(page, 'offline-updated');
    // The new worker took over and dropped the first build.
    await keptBy(page, second);

    await page.context().setOffline(true);
    await page.reload();
    await page.locator('.status-text', { hasText: offlineText }).waitFor();
    assert.equal(await build(page), '2');
    assert.equal(await page.getByText(updated).count(), 0, 'said once');
    await page.context().close();
  } finally {
    await site.stop();
  }
});

test('from natter-server too (compressed files, Vary: accept-encoding), the app opens offline', async () => {
  const page = await visit(stage.server);
  const kept = async () => (await keptFiles(page)).some((file) => file.endsWith('.wasm'));
  for (let tries = 0; !(await kept()); tries++) {
    assert.ok(tries < 100, 'the worker kept no wasm after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await page.context().setOffline(true);
  await page.reload();
  await page.getByLabel('Your name').waitFor();
  await page.locator('.status-text', { hasText: offlineText }).waitFor();
  // Chromium reports config.json's failed request; nothing else went wrong.
  assert.deepEqual(page.errors, ['Failed to load resource: net::ERR_INTERNET_DISCONNECTED']);
  await page.context().close();
});
