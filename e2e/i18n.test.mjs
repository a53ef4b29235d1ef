// Two languages: a browser set to Chinese gets the app in Chinese, every visible text of it
// from the Chinese table; the settings switch to English, which stays after a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inState, joinAs, openPage, screenshot, transfer, userEntry, useStage } from './harness.mjs';

const stage = useStage();

// The tables, read from their source: one row per key, `Key: "English", "中文";`.
const source = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'model', 'src', 'i18n.rs'),
  'utf8',
);
const rows = [...source.matchAll(/^\s*(\w+): "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)";$/gm)];
const table = { en: rows.map((row) => row[2]), zh: rows.map((row) => row[3]) };

/** Each entry of `texts` as a pattern matching it whole, any text in its `{placeholders}`. */
const patterns = (texts) =>
  texts.map((text) => {
    const escaped = text.trim().replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    return new RegExp(`^${escaped.replace(/\{\w+\}/g, '.*')}$`, 's');
  });

/**
 * The app's visible texts on `page` (text nodes of visible elements, and the placeholders,
 * labels and tooltips of visible elements) that are neither in `language`'s table nor in
 * `allowed` (names and messages the test typed; any part of a file name there), nor without any letter (times, counts,
 * codes, emoji, signs such as "‹" or "#"), nor a link.
 */
async function untranslated(page, language, allowed) {
  const texts = await page.evaluate(() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const element = node.parentElement;
      if (text && element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) {
        found.push(text);
      }
    }
    for (const element of document.body.querySelectorAll('[placeholder], [aria-label], [title]')) {
      if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      for (const name of ['placeholder', 'aria-label', 'title']) {
        const text = element.getAttribute(name)?.trim();
        if (text) found.push(text);
      }
    }
    return found;
  });
  assert.ok(texts.length >= 8, `only ${texts.length} texts found`);
  const known = patterns(table[language]);
  const fine = (text) =>
    allowed.includes(text) ||
    allowed.some((name) => name.includes('.') && name.includes(text)) ||
    !/\p{L}/u.test(text) ||
    /^https?:\/\/\S+$/.test(text) ||
    /^[\d.]+ (B|KB|MB|GB)( · [\w/.+-]+)?$/.test(text) ||
    known.some((pattern) => pattern.test(text));
  return [...new Set(texts.filter((text) => !fine(text)))];
}

test('the tables read here hold every key', () => {
  assert.ok(rows.length > 150, `${rows.length} rows`);
  assert.equal(table.zh.filter((text) => text === '').length, 0);
});

test('a Chinese browser gets the app in Chinese; the settings switch it to English for good', async () => {
  const room = 'i18n-room';
  const [me, peer] = ['小明', 'bob'];
  // Typed here, and what the screen-reader announcer says of a line: its sender and text.
  const allowed = [me, peer, room, 'natter', '小', 'b', '你好，bob', 'hello 小明', 'notes.txt', `${peer}: hello 小明`, `${me}: 你好，bob`];

  // The first screen, in Chinese.
  const page = await openPage(stage.browser, stage.server.url, { locale: 'zh-CN' });
  await page.getByLabel('你的名字').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.getByText('私密聊天、通话和文件，浏览器直连浏览器；消息从不经过服务器。').waitFor();
  assert.equal(await page.getByText('Your name').count(), 0);
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);
  await screenshot(page, 'i18n-zh-login');

  // A refusal is said in Chinese too.
  await page.getByLabel('或按名字进入房间').fill(room);
  await page.getByRole('button', { name: '进入房间' }).click();
  await page.getByText('名字不能为空').waitFor();
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);

  // Into a room by its name, with someone whose browser speaks English.
  await page.getByLabel('你的名字').fill(me);
  await page.getByRole('button', { name: '进入房间' }).click();
  await page.getByText(`在线：${me}（房间“${room}”）`).waitFor();
  const english = await joinAs(stage.browser, stage.server, peer, room);
  assert.equal(await english.locator('html').getAttribute('lang'), 'en');

  // A chat, both ways.
  await userEntry(page, peer).click();
  await page.getByText('在线', { exact: true }).first().waitFor();
  const input = page.getByLabel('消息', { exact: true });
  await input.fill('你好，bob');
  await input.press('Enter');
  await english.locator('.users').getByText('你好，bob').waitFor();
  await userEntry(english, me).click();
  await english.getByLabel('Message', { exact: true }).fill('hello 小明');
  await english.getByLabel('Message', { exact: true }).press('Enter');
  await page.locator('.messages .text', { hasText: 'hello 小明' }).waitFor();
  await page.locator('.day', { hasText: '今天' }).waitFor();
  await page.locator('[data-delivery="read"]').waitFor();
  // The panels that are closed at first, open.
  await page.getByRole('button', { name: '安全码' }).click();
  await page.locator('summary', { hasText: '设置' }).click();
  await page.getByText('你的安全码').waitFor();
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);
  await screenshot(page, 'i18n-zh-chat');
  // The English side is whole too, in its own table.
  await english.locator('summary', { hasText: 'Settings' }).click();
  assert.deepEqual(await untranslated(english, 'en', allowed), []);
  await screenshot(english, 'i18n-en-chat');
  await english.locator('summary', { hasText: 'Settings' }).click();

  // A file and a call, in Chinese.
  await page.locator('summary', { hasText: '设置' }).click();
  await page.getByLabel('添加文件').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
  await inState(page, 'notes.txt', 'waiting');
  await page.getByText('等待 bob 接收').waitFor();
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);
  await transfer(english, 'notes.txt').getByRole('button', { name: 'Accept notes.txt' }).click();
  await inState(page, 'notes.txt', 'done');
  await english.getByRole('button', { name: 'Voice call' }).click();
  await page.getByText('bob 邀请你语音通话').waitFor();
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);
  await page.getByRole('button', { name: '接受' }).click();
  await page.getByRole('button', { name: '挂断' }).waitFor();
  await page.locator('.call-time', { hasText: /0:0[1-9]$/ }).waitFor();
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);
  await screenshot(page, 'i18n-zh-call');
  await page.getByRole('button', { name: '挂断' }).click();
  await page.locator('.messages .notice', { hasText: /^语音通话 · 0:\d\d$/ }).waitFor();
  assert.deepEqual(await untranslated(page, 'zh', allowed), []);

  // English, chosen in the settings: the page reloads in it, and stays so.
  await page.locator('summary', { hasText: '设置' }).click();
  await Promise.all([page.waitForEvent('load'), page.locator('#language').selectOption('en')]);
  await page.locator('summary', { hasText: 'Settings' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.locator('summary', { hasText: 'Settings' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByText('设置').count(), 0);
  assert.deepEqual(await untranslated(page, 'en', allowed), []);
  await screenshot(page, 'i18n-en-after-switch');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(english.errors, []);
});
