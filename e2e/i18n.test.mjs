// Two languages: a browser set to Chinese gets the app in Chinese, every text it ever shows
// from the Chinese table, through refusals, calls, files, going offline, a peer leaving and
// another identity; the settings switch to English, which stays after a reload.
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
 * An `init` script: keeps in `window.shownTexts` every text the page ever puts on screen or
 * names an element with (text nodes, and placeholders, labels, tooltips and alt texts), from
 * the first node on, so that a toast, an announcement or a title that comes and goes between
 * two looks is caught too. The loading screen index.html and src/boot.js write before the
 * app runs is left out.
 */
function recordTexts() {
  const kept = new Set();
  window.shownTexts = () => [...kept];
  const names = ['placeholder', 'aria-label', 'title', 'alt'];
  const outside = (element) => !element?.closest('script, style, noscript, [data-loading]');
  const keep = (text) => text?.trim() && kept.add(text.trim());
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (outside(node.parentElement)) keep(node.data);
    } else if (node.nodeType === Node.ELEMENT_NODE && outside(node)) {
      for (const name of names) keep(node.getAttribute(name));
      node.childNodes.forEach(walk);
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') record.addedNodes.forEach(walk);
      else if (record.type === 'characterData') walk(record.target);
      else if (outside(record.target)) keep(record.target.getAttribute(record.attributeName));
    }
  }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: names });
}

/**
 * Every text `page` has shown since it loaded (see `recordTexts`) that is neither in
 * `language`'s table nor in `allowed` (names and messages the test typed; any part of a
 * file name there), nor without any letter (times, counts, codes, emoji, signs such as "‹"
 * or "#"), nor a link, a file's size, or the title's unread count.
 */
async function untranslated(page, language, allowed) {
  const texts = await page.evaluate(() => window.shownTexts());
  assert.ok(texts.length >= 8, `only ${texts.length} texts found`);
  const known = patterns(table[language]);
  const fine = (text) =>
    allowed.includes(text) ||
    allowed.some((name) => name.includes('.') && name.includes(text)) ||
    !/\p{L}/u.test(text) ||
    /^https?:\/\/\S+$/.test(text) ||
    /^\(\d+\) natter$/.test(text) ||
    /^[\d.]+ (B|KB|MB|GB)( · [\w/.+-]+)?$/.test(text) ||
    known.some((pattern) => pattern.test(text));
  return texts.filter((text) => !fine(text));
}

test('the tables read here hold every key', () => {
  assert.ok(rows.length > 150, `${rows.length} rows`);
  assert.equal(table.zh.filter((text) => text === '').length, 0);
});

test('a Chinese browser gets the app in Chinese, whatever happens; the settings switch it to English for good', async () => {
  const room = 'i18n-room';
  const [me, peer] = ['小明', 'bob'];
  // Typed here, and what the screen-reader announcer says of a line: its sender and text.
  const allowed = [
    me, peer, room, 'natter', '小', 'b', '你好，bob', 'hello 小明', 'notes.txt', 'lost.txt',
    `${peer}: hello 小明`, `${me}: 你好，bob`, '还在吗？',
  ];
  const recording = { init: recordTexts };

  // The first screen, in Chinese.
  const page = await openPage(stage.browser, `${stage.server.url}?room=${room}`, { ...recording, locale: 'zh-CN' });
  await page.getByLabel('你的名字').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.getByText('私密聊天、通话和文件，浏览器直连浏览器；消息从不经过服务器。').waitFor();
  assert.equal(await page.getByText('Your name').count(), 0);
  await screenshot(page, 'i18n-zh-login');

  // Refusals are said in Chinese too: an empty name, and a name someone here has.
  await page.getByRole('button', { name: '加入' }).click();
  await page.getByRole('alert').filter({ hasText: '名字不能为空' }).waitFor();
  const english = await joinAs(stage.browser, stage.server, peer, room, recording);
  assert.equal(await english.locator('html').getAttribute('lang'), 'en');
  await page.getByLabel('你的名字').fill(peer);
  await page.getByRole('button', { name: '加入' }).click();
  await page.getByRole('alert').filter({ hasText: '这个名字已被占用' }).waitFor();
  await screenshot(page, 'i18n-zh-name-taken');

  await page.getByLabel('你的名字').fill(me);
  await page.getByRole('button', { name: '加入' }).click();
  await page.getByText(`在线：${me}（房间“${room}”）`).waitFor();

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
  await transfer(english, 'notes.txt').getByRole('button', { name: 'Accept notes.txt' }).click();
  await inState(page, 'notes.txt', 'done');
  // A call given up before it is answered: missed.
  await english.getByRole('button', { name: 'Voice call' }).click();
  await page.getByText('bob 邀请你语音通话').waitFor();
  await english.getByRole('button', { name: 'Cancel' }).click();
  await page.locator('.toast', { hasText: 'bob 的未接来电' }).waitFor();
  await page.locator('.messages .missed-call .text', { hasText: /^未接语音通话$/ }).waitFor();
  // A call answered.
  await english.getByRole('button', { name: 'Voice call' }).click();
  await page.getByText('bob 邀请你语音通话').waitFor();
  await page.getByRole('button', { name: '接受' }).click();
  await page.getByRole('button', { name: '挂断' }).waitFor();
  await page.locator('.call-time', { hasText: /0:0[1-9]$/ }).waitFor();
  await screenshot(page, 'i18n-zh-call');
  await page.getByRole('button', { name: '挂断' }).click();
  await page.locator('.messages .notice', { hasText: /^语音通话 · 0:\d\d$/ }).waitFor();

  // Offline: said, and the dot is not the green of online.
  const dot = () => page.locator('.status .dot').evaluate((dot) => getComputedStyle(dot).backgroundColor);
  const green = await dot();
  await page.context().setOffline(true);
  await page.locator('.status[data-offline] .status-text', { hasText: '离线——natter 需要网络才能联系别人' }).waitFor();
  assert.notEqual(await dot(), green, 'the dot is not green while offline');
  await screenshot(page, 'i18n-zh-offline');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'i18n-zh-offline-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.context().setOffline(false);
  await page.locator('.status:not([data-offline]) .status-text', { hasText: `在线：${me}` }).waitFor({ timeout: 20_000 });
  assert.equal(await dot(), green);

  // The peer leaves while a file waits for it: the file fails, the conversation says so.
  assert.deepEqual(await untranslated(english, 'en', allowed), []);
  await page.getByLabel('添加文件').setInputFiles({ name: 'lost.txt', mimeType: 'text/plain', buffer: Buffer.from('gone') });
  await inState(page, 'lost.txt', 'waiting');
  await english.context().close();
  await inState(page, 'lost.txt', 'failed');
  await transfer(page, 'lost.txt').getByText('bob 已断开：传输失败').waitFor();
  await page.locator('.messages .notice', { hasText: /^bob 已离开$/ }).waitFor();
  await page.locator('.waiting-note', { hasText: 'bob 不在线：消息会在对方回来后发出。' }).waitFor();
  await input.fill('还在吗？');
  await input.press('Enter');
  await screenshot(page, 'i18n-zh-peer-left');

  // Someone else comes under the name, from another browser: another identity.
  const stranger = await joinAs(stage.browser, stage.server, peer, room, recording);
  await page.locator('.identity-changed', { hasText: 'bob 的安全码变了：对方可能不是本人。' }).waitFor({ timeout: 15_000 });
  await page.locator('.messages .notice', { hasText: 'bob 的安全码变了：对方可能不是本人。此前与 bob 的消息不在这里显示。' }).waitFor();
  await screenshot(page, 'i18n-zh-identity-changed');
  assert.deepEqual(await untranslated(stranger, 'en', allowed), []);
  await stranger.context().close();

  // Everything the Chinese page showed all along came from the Chinese table.
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
  // The lines the app wrote in the conversation stay as they were written, in Chinese; all
  // else is English.
  const keptInChinese = patterns(table.zh);
  const notEnglish = await untranslated(page, 'en', allowed);
  assert.deepEqual(notEnglish.filter((text) => !keptInChinese.some((pattern) => pattern.test(text))), []);
  await screenshot(page, 'i18n-en-after-switch');
  assert.deepEqual(page.errors, []);
});
