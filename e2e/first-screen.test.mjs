// The first screen before the wasm (issue 24): on a slow link a person types their name
// and clicks while the app loads; the app takes the screen over without losing the text,
// the caret, the focus or the click. In the person's language, and for an invitation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshot, useStage } from './harness.mjs';

const stage = useStage();

/** A page on an emulated slow 4G link (150 ms, 1.6 Mbit/s down, 750 kbit/s up), going to `path`. */
async function slowPage(path, { locale } = {}) {
  const context = await stage.browser.newContext({ ...(locale && { locale }), viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: 1_600_000 / 8,
    uploadThroughput: 750_000 / 8,
  });
  await page.goto(`${stage.server.url}${path}`, { waitUntil: 'commit' });
  return page;
}

/** Whether the app has taken the first screen over (index.html's stand-in is gone). */
const appRuns = (page) => page.evaluate(() => document.querySelector('[data-loading]') === null);
const takenOver = (page) => page.waitForFunction(() => document.querySelector('[data-loading]') === null, null, { timeout: 20_000 });

test('typed before the wasm runs, the name, the caret and the focus survive the takeover', async () => {
  const page = await slowPage('');
  const name = page.getByLabel('Your name');
  // As a person sees it: the form shows once boot.js has made it ready. (Before the
  // stylesheet hides it until then, the field takes keys, and then loses its focus.)
  await page.locator('[data-loading] form[data-ready]').waitFor();
  await name.pressSequentially('alce');
  await name.press('ArrowLeft');
  await name.press('ArrowLeft');
  await name.press('i');
  assert.equal(await appRuns(page), false, 'the test typed before the app ran');
  await screenshot(page, 'first-screen-before-wasm');
  await takenOver(page);
  const after = await page.evaluate(() => {
    const field = document.activeElement;
    return { id: field.id, value: field.value, caret: [field.selectionStart, field.selectionEnd] };
  });
  assert.deepEqual(after, { id: 'login-name', value: 'alice', caret: [3, 3] });
  // And it is the app's field now: typing goes on where the caret was.
  await page.keyboard.type('!');
  assert.equal(await name.inputValue(), 'ali!ce');
  assert.deepEqual(page.errors, []);
});

test('"Start a private room" clicked before the wasm runs says "Starting…" and is carried out', async () => {
  const page = await slowPage('');
  await page.getByLabel('Your name').fill('bob');
  const start = page.getByRole('button', { name: 'Start a private room' });
  await start.click();
  assert.equal(await appRuns(page), false, 'the test clicked before the app ran');
  await page.getByRole('button', { name: 'Starting…' }).waitFor();
  await takenOver(page);
  await page.getByText(/^Online as bob in room “[0-9a-f]{20}”$/).waitFor({ timeout: 20_000 });
  assert.match(page.url(), /#room=[0-9a-f]{20}$/);
  assert.deepEqual(page.errors, []);
});

test('an invitation, in Chinese: the name and Enter before the wasm runs join the room', async () => {
  const page = await slowPage('?room=book', { locale: 'zh-CN' });
  await page.getByText('你将加入房间“book”。').waitFor();
  assert.equal(await page.getByRole('button', { name: '创建私密房间' }).isVisible(), false);
  await screenshot(page, 'first-screen-before-wasm-zh');
  const name = page.getByLabel('你的名字');
  await name.fill('小明');
  await name.press('Enter');
  assert.equal(await appRuns(page), false, 'the test pressed Enter before the app ran');
  await page.getByRole('button', { name: '正在启动…' }).waitFor();
  await takenOver(page);
  await page.getByText('在线：小明（房间“book”）').waitFor({ timeout: 20_000 }).catch(async () => {
    throw new Error(`not online: ${await page.locator('.status-text').textContent()}`);
  });
  assert.deepEqual(page.errors, []);
});
