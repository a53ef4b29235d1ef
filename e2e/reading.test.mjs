// Reading a conversation (issue 21): a line that comes while one reads older ones leaves the
// view where it is and is counted below it; a conversation opened with unread lines shows
// where they begin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTranscript, joinRoom, screenshot, until, userEntry, useStage } from './harness.mjs';

const stage = useStage();

/** Sends each of `texts` to `peer`, in turn, from the conversation with them. */
async function sendAll(page, peer, texts) {
  await userEntry(page, peer).click();
  await page.locator('.conversation-head h2', { hasText: peer }).waitFor();
  const input = page.getByLabel('Message');
  for (const text of texts) {
    await input.fill(text);
    await input.press('Enter');
  }
}

const numbered = (word, count) => Array.from({ length: count }, (_, i) => `${word} ${i + 1}`);

/** The message list's scroll position, and whether it is at the end. */
const scroll = (page) =>
  page.locator('.messages').evaluate((list) => ({
    top: list.scrollTop,
    atEnd: list.scrollHeight - list.scrollTop - list.clientHeight < 2,
  }));

/** Scrolls the message list by `dy` px and resolves once the page has heard it scroll. */
const scrollBy = (page, dy) =>
  page.locator('.messages').evaluate(
    (list, dy) =>
      new Promise((resolve) => {
        list.addEventListener('scroll', () => resolve(list.scrollTop), { once: true });
        list.scrollTop += dy;
      }),
    dy,
  );

/** Resolves after two frames: by then the page would have scrolled for what it drew before. */
const twoFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

test('a line that comes while one reads older lines leaves the view put and is counted below', async () => {
  const [alice, bob] = await joinRoom(stage, 'reading', 'alice', 'bob');
  await userEntry(alice, 'bob').click();
  const lines = numbered('line', 40);
  await sendAll(bob, 'alice', lines);
  await expectTranscript(alice, 'bob', lines.map((line) => `bob: ${line}`));
  await until(async () => (await scroll(alice)).atEnd, true, 10_000, 'the view at the end');

  // Scrolled up 200 px, a new line arrives: the view stays, and says so below.
  const top = await scrollBy(alice, -200);
  await sendAll(bob, 'alice', ['a new line']);
  await alice.locator('.messages .message', { hasText: 'a new line' }).waitFor();
  await twoFrames(alice);
  assert.equal((await scroll(alice)).top, top, 'the view stayed where it was');
  const below = alice.getByRole('button', { name: /^1 new message$/ });
  await below.waitFor();
  await sendAll(bob, 'alice', ['and another']);
  await alice.getByRole('button', { name: /^2 new messages$/ }).waitFor();
  assert.equal((await scroll(alice)).top, top, 'still where it was');
  await screenshot(alice, 'reading-new-below');

  // The button goes to the end and goes away; at the end, the view follows new lines again.
  await alice.getByRole('button', { name: /^2 new messages$/ }).click();
  await until(async () => (await scroll(alice)).atEnd, true, 10_000, 'the view at the end');
  await alice.locator('.messages .below').waitFor({ state: 'detached' });
  await sendAll(bob, 'alice', ['followed']);
  await alice.locator('.messages .message', { hasText: 'followed' }).waitFor();
  await until(async () => (await scroll(alice)).atEnd, true, 10_000, 'the view following');

  // Scrolling back to the end by hand takes the count away too.
  await scrollBy(alice, -300);
  await sendAll(bob, 'alice', ['one more']);
  await alice.getByRole('button', { name: /^1 new message$/ }).waitFor();
  await alice.locator('.messages').evaluate((list) => {
    list.scrollTop = list.scrollHeight;
  });
  await alice.locator('.messages .below').waitFor({ state: 'detached' });
  assert.deepEqual(alice.errors, []);
  for (const page of [alice, bob]) await page.context().close();
});

test('a conversation opened with unread lines shows an "Unread messages" line above the first, in view', async () => {
  const [carol, dave] = await joinRoom(stage, 'unread', 'carol', 'dave');
  await userEntry(carol, 'dave').click();
  const seen = numbered('seen', 30);
  await sendAll(dave, 'carol', seen);
  await expectTranscript(carol, 'dave', seen.map((line) => `dave: ${line}`));
  assert.equal(await carol.locator('.messages .unread-divider').count(), 0, 'nothing unread: no line');

  // carol looks elsewhere while 25 lines come.
  await userEntry(carol, 'Everyone in unread').click();
  await sendAll(dave, 'carol', numbered('unread', 25));
  await userEntry(carol, 'dave').locator('.badge', { hasText: /^25$/ }).waitFor();
  await userEntry(carol, 'dave').click();
  const divider = carol.locator('.messages .unread-divider');
  await divider.waitFor();
  assert.equal(await divider.textContent(), 'Unread messages');
  const around = await divider.evaluate((line) => [
    line.previousElementSibling.querySelector('.text').textContent,
    line.nextElementSibling.querySelector('.text').textContent,
  ]);
  assert.deepEqual(around, ['seen 30', 'unread 1'], 'right above the first unread line');
  const inView = () =>
    carol.locator('.messages').evaluate((list) => {
      const [box, line] = [list.getBoundingClientRect(), list.querySelector('.unread-divider').getBoundingClientRect()];
      return line.top >= box.top && line.bottom <= box.bottom;
    });
  await until(inView, true, 10_000, 'the unread line in view');
  assert.equal((await scroll(carol)).atEnd, false, 'shown from the first unread, not from the end');
  await screenshot(carol, 'reading-unread');

  // Opened again with nothing unread: no line.
  await userEntry(carol, 'Everyone in unread').click();
  await userEntry(carol, 'dave').click();
  await carol.locator('.messages .message', { hasText: 'unread 25' }).waitFor();
  assert.equal(await carol.locator('.messages .unread-divider').count(), 0);
  for (const page of [carol, dave]) await page.context().close();
});
