// The server serves the built app and the wasm mounts it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the app shell is served and rendered by the wasm', async () => {
  const page = await openPage(browser, server.url);
  // The heading is not in index.html: it only appears once the wasm app has mounted.
  await page.getByRole('heading', { name: 'natter' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.title(), 'natter');
  await screenshot(page, 'shell');
  assert.deepEqual(page.errors, []);
});
