// The server serves the built app and the wasm mounts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, useStage } from './harness.mjs';

const stage = useStage();

test('the app shell is served and rendered by the wasm', async () => {
  const page = await openPage(stage.browser, stage.server.url);
  // index.html's loading screen shows the name too; the login form only comes with the
  // wasm app, which takes the loading screen away as it mounts.
  await page.getByLabel('Your name').waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole('heading', { name: 'natter' }).count(), 1);
  assert.equal(await page.locator('[data-loading]').count(), 0);
  assert.equal(await page.title(), 'natter');
  await screenshot(page, 'shell');
  assert.deepEqual(page.errors, []);
});
