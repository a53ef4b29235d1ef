// natter across browsers (issue 22): a Chromium and a Firefox page, and two Firefox pages,
// through the journeys a person makes: logging in, text with its marks, a room of three,
// a reload on either side; and Firefox's first screen, settings and Chinese.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  browserName, expectTranscript, joinAs, openPage, say, screenshot, transcript, until, userEntry, useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');

/** The pairs every journey is made by: who writes first uses the first browser. */
const pairs = [
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
  ['firefox', 'firefox'],
];

/** `name` logged into `room` from a page of `browser` ('chromium' or 'firefox'). */
const join = (browser, name, room) => joinAs(stage.browsers[browser], stage.server, name, room);

/** Each message of the open conversation as `from: text`, with `(mark)` for ours. */
function marks(page) {
  return page.locator('.messages .message').evaluateAll((items) =>
    items.map((item) => {
      const line = `${item.querySelector('.from').textContent}: ${item.querySelector('.text').textContent}`;
      return item.classList.contains('outgoing') ? `${line} (${item.dataset.delivery})` : line;
    }),
  );
}

/** Waits until the conversation with `peer` shows `expected` (see `marks`). */
async function expectMarks(page, peer, expected) {
  await userEntry(page, peer).click();
  await until(() => marks(page), expected, 10_000, `the conversation with ${peer}`);
}

/** Reloads `page` and waits until it is logged in again as `name`. */
async function reload(page, name) {
  await page.reload();
  await page.getByText(`Online as ${name}`).waitFor();
}

/** Our safety code and the peer's, as the conversation with `peer` shows them. */
async function codes(page, peer) {
  await userEntry(page, peer).click();
  const button = page.getByRole('button', { name: 'Safety codes' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await page.waitForFunction(() => ![...document.querySelectorAll('dd.code')].some((dd) => dd.textContent === '…'));
  const code = (who) => page.locator(`dd.code[data-who=${who}]`).textContent();
  const seen = { mine: await code('mine'), theirs: await code('theirs') };
  await button.click();
  return seen;
}

const close = (...pages) => Promise.all(pages.map((page) => page.context().close()));

for (const [first, second] of pairs) {
  describe(`${first} → ${second}`, () => {
    const room = `${first}-${second}`;

    test('each sees the other in the list, and text goes both ways with its marks', async () => {
      const alice = await join(first, 'alice', `${room}-text`);
      const bob = await join(second, 'bob', `${room}-text`);
      assert.equal(browserName(alice.context().browser()), first);
      await userEntry(alice, 'bob').waitFor();
      await userEntry(bob, 'alice').waitFor();
      await say(alice, 'bob', 'hello from alice');
      await expectTranscript(bob, 'alice', ['alice: hello from alice']);
      await say(bob, 'alice', 'hello from bob');
      await say(bob, 'alice', 'and again');
      await expectTranscript(alice, 'bob', ['alice: hello from alice', 'bob: hello from bob', 'bob: and again']);
      await expectMarks(alice, 'bob', ['alice: hello from alice (read)', 'bob: hello from bob', 'bob: and again']);
      await expectMarks(bob, 'alice', ['alice: hello from alice', 'bob: hello from bob (read)', 'bob: and again (read)']);
      await screenshot(second === 'firefox' ? bob : alice, `browsers-${room}-text`);
      assert.deepEqual([...alice.errors, ...bob.errors], []);
      await close(alice, bob);
    });

    test('a reload on either side keeps history and identity, and the link comes back', async () => {
      const alice = await join(first, 'alice', `${room}-reload`);
      const bob = await join(second, 'bob', `${room}-reload`);
      await say(alice, 'bob', 'before');
      await expectTranscript(bob, 'alice', ['alice: before']);
      await say(bob, 'alice', 'seen');
      await expectTranscript(alice, 'bob', ['alice: before', 'bob: seen']);
      const aliceCodes = await codes(alice, 'bob');
      const bobCodes = await codes(bob, 'alice');
      assert.equal(aliceCodes.mine, bobCodes.theirs);
      assert.equal(aliceCodes.theirs, bobCodes.mine);

      // The second page reloads: its history is back, its certificate the same, and the
      // first page's next line arrives.
      await reload(bob, 'bob');
      await expectTranscript(bob, 'alice', ['alice: before', 'bob: seen']);
      await say(alice, 'bob', 'after bob reloaded');
      await expectTranscript(bob, 'alice', ['alice: before', 'bob: seen', 'alice: after bob reloaded'], 15_000);
      await say(bob, 'alice', 'bob is back');
      await expectTranscript(alice, 'bob', ['alice: before', 'bob: seen', 'alice: after bob reloaded', 'bob: bob is back'], 15_000);
      assert.deepEqual(await codes(bob, 'alice'), bobCodes);
      assert.deepEqual(await codes(alice, 'bob'), aliceCodes);

      // Then the first one.
      await reload(alice, 'alice');
      await say(bob, 'alice', 'after alice reloaded');
      const all = ['alice: before', 'bob: seen', 'alice: after bob reloaded', 'bob: bob is back', 'bob: after alice reloaded'];
      await expectTranscript(alice, 'bob', all, 15_000);
      await say(alice, 'bob', 'alice is back');
      await expectTranscript(bob, 'alice', [...all, 'alice: alice is back'], 15_000);
      assert.deepEqual(await codes(alice, 'bob'), aliceCodes);
      assert.deepEqual(await codes(bob, 'alice'), bobCodes);
      assert.deepEqual(await transcript(bob), [...all, 'alice: alice is back'], 'each line once');
      await close(alice, bob);
    });
  });
}

test('a room of three browsers: every line reaches everyone, once, in order', async () => {
  const people = [['alice', 'chromium'], ['bob', 'firefox'], ['carol', 'firefox']];
  const pages = [];
  for (const [name, browser] of people) pages.push(await join(browser, name, 'mixed'));
  const room = 'Everyone in mixed';
  const lines = [];
  for (const [index, [name]] of people.entries()) {
    await say(pages[index], room, `${name} to all`);
    lines.push(`${name}: ${name} to all`);
    for (const page of pages) await expectTranscript(page, room, lines, 15_000);
  }
  await screenshot(pages[1], 'browsers-room-firefox');
  for (const page of pages) assert.deepEqual(page.errors, []);
  await close(...pages);
});

test('in Firefox: the first screen, a private room, the settings, notifications and Chinese', async () => {
  const page = await openPage(stage.browsers.firefox, stage.server.url, { grant: ['notifications'] });
  await page.getByLabel('Your name').fill('alice');
  await screenshot(page, 'browsers-firefox-first-screen');
  await page.getByRole('button', { name: 'Start a private room' }).click();
  await page.getByText('Online as alice').waitFor();
  const room = /[?#]room=([0-9a-f]{20})$/.exec(page.url())?.[1];
  assert.ok(room, `a private room in the address: ${page.url()}`);
  const bob = await joinAs(stage.browsers.chromium, stage.server, 'bob', room);
  await say(bob, 'alice', 'found your room');
  await expectTranscript(page, 'bob', ['bob: found your room']);

  await page.locator('summary', { hasText: 'Settings' }).click();
  // Allowed already (`grant`): the settings say so instead of asking.
  await page.getByText('Notifications are on for messages that come while this tab is hidden.').waitFor();
  await screenshot(page, 'browsers-firefox-settings');
  await Promise.all([page.waitForEvent('load'), page.locator('#language').selectOption('zh-CN')]);
  await page.locator('summary', { hasText: '设置' }).waitFor({ timeout: 15_000 });
  await page.getByText('在线：alice').waitFor();
  await userEntry(page, 'bob').click();
  await page.getByLabel('消息', { exact: true }).fill('你好');
  await page.getByLabel('消息', { exact: true }).press('Enter');
  await expectTranscript(bob, 'alice', ['bob: found your room', 'alice: 你好']);
  await screenshot(page, 'browsers-firefox-chinese');
  assert.deepEqual([...page.errors, ...bob.errors], []);
  await Promise.all([page, bob].map((p) => p.context().close()));
});
