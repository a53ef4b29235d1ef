// The server serves the built app and the wasm mounts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, useStage } from './harness.mjs';

const stage = useStage();

test('the app shell is served and rendered by the wasm', async () => {
  const page = await openPage(stage.browser, stage.server.url);
  // The heading is not in index.html: it only appears once the wasm app has mounted.
  await page.getByRole('heading', { name: 'natter' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.title(), 'natter');
  await screenshot(page, 'shell');
  assert.deepEqual(page.errors, []);
});
