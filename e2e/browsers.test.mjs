// natter across browsers (issue 22): a Chromium and a Firefox page, and two Firefox pages,
// through the journeys a person makes: logging in, text with its marks, a room of three,
// a reload on either side; and Firefox's first screen, settings and Chinese.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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

/** Runs `body(pages)` and closes the pages after, also on failure. */
async function closing(pages, body) {
  try {
    await body(...pages);
    for (const page of pages) assert.deepEqual(page.errors, []);
  } finally {
    await Promise.all(pages.map((page) => page.context().close()));
  }
}

for (const [first, second] of pairs) {
  test(`${first} → ${second}: the list, text with its marks, a reload on either side keeping history and identity`, async () => {
    const room = `${first}-${second}`;
    const pages = [await join(first, 'alice', room), await join(second, 'bob', room)];
    await closing(pages, async (alice, bob) => {
      assert.deepEqual([alice, bob].map((page) => browserName(page.context().browser())), [first, second]);
      await userEntry(alice, 'bob').waitFor();
      await userEntry(bob, 'alice').waitFor();
      await say(alice, 'bob', 'before');
      await expectTranscript(bob, 'alice', ['alice: before']);
      await say(bob, 'alice', 'seen');
      await say(bob, 'alice', 'and again');
      const lines = ['alice: before', 'bob: seen', 'bob: and again'];
      await expectTranscript(alice, 'bob', lines);
      await expectMarks(alice, 'bob', ['alice: before (read)', 'bob: seen', 'bob: and again']);
      await expectMarks(bob, 'alice', ['alice: before', 'bob: seen (read)', 'bob: and again (read)']);
      await screenshot(second === 'firefox' ? bob : alice, `browsers-${room}-text`);
      const aliceCodes = await codes(alice, 'bob');
      const bobCodes = await codes(bob, 'alice');
      assert.equal(aliceCodes.mine, bobCodes.theirs);
      assert.equal(aliceCodes.theirs, bobCodes.mine);

      // The second page reloads: its history is back with its marks, its certificate the
      // same, and the first page's next line arrives.
      await reload(bob, 'bob');
      await expectMarks(bob, 'alice', ['alice: before', 'bob: seen (read)', 'bob: and again (read)']);
      await say(alice, 'bob', 'after bob reloaded');
      lines.push('alice: after bob reloaded');
      await expectTranscript(bob, 'alice', lines, 15_000);
      await say(bob, 'alice', 'bob is back');
      lines.push('bob: bob is back');
      await expectTranscript(alice, 'bob', lines, 15_000);
      assert.deepEqual(await codes(bob, 'alice'), bobCodes);
      assert.deepEqual(await codes(alice, 'bob'), aliceCodes);

      // Then the first one.
      await reload(alice, 'alice');
      await say(bob, 'alice', 'after alice reloaded');
      lines.push('bob: after alice reloaded');
      await expectTranscript(alice, 'bob', lines, 15_000);
      await say(alice, 'bob', 'alice is back');
      lines.push('alice: alice is back');
      await expectTranscript(bob, 'alice', lines, 15_000);
      assert.deepEqual(await codes(alice, 'bob'), aliceCodes);
      assert.deepEqual(await codes(bob, 'alice'), bobCodes);
      assert.deepEqual(await transcript(bob), lines, 'each line once');
    });
  });
}

test('a room of three browsers: every line reaches everyone, once, in order', async () => {
  const people = [['alice', 'chromium'], ['bob', 'firefox'], ['carol', 'firefox']];
  const pages = [];
  for (const [name, browser] of people) pages.push(await join(browser, name, 'mixed'));
  await closing(pages, async () => {
    const room = 'Everyone in mixed';
    const lines = [];
    for (const [index, [name]] of people.entries()) {
      await say(pages[index], room, `${name} to all`);
      lines.push(`${name}: ${name} to all`);
      for (const page of pages) await expectTranscript(page, room, lines, 15_000);
    }
    await screenshot(pages[1], 'browsers-room-firefox');
    // Typing in the room, Firefox to Chromium and back (the connections are up by now).
    const note = (page) => page.locator('.conversation .typing').textContent();
    await pages[1].getByLabel('Message').pressSequentially('firefox types', { delay: 50 });
    await until(() => note(pages[0]), 'bob is typing…', 10_000, "alice's room (Chromium)");
    // bob goes on typing meanwhile: a note shows for 5 s after the last one, and on a busy
    // machine the checks above can take that long (a new note goes every 3 s of typing).
    const bobGoesOn = pages[1].getByLabel('Message').pressSequentially(' and on', { delay: 700 });
    await pages[0].getByLabel('Message').pressSequentially('chromium types', { delay: 50 });
    await until(() => note(pages[2]), 'bob and alice are typing…', 10_000, "carol's room (Firefox)");
    await bobGoesOn;
  });
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
