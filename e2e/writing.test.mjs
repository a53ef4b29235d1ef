// Writing and reading (issue 14): the multi-line composer, links, large emoji, grouped
// messages, files in the timeline and pasted images, in real Chromium pages.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  attach,
  expectTranscript,
  inState,
  joinAs,
  joinRoom,
  say,
  screenshot,
  transfer,
  useStage,
  userEntry,
} from './harness.mjs';

const stage = useStage();
const clipboard = { grant: ['clipboard-read', 'clipboard-write'] };

/** Two pages in `room` whose conversation is open and connected; `options` for alice's. */
async function pair(room, options = {}) {
  const alice = await joinAs(stage.browser, stage.server, 'alice', room, options);
  const bob = await joinAs(stage.browser, stage.server, 'bob', room, options);
  await say(alice, 'bob', 'hi');
  await expectTranscript(bob, 'alice', ['alice: hi']);
  await userEntry(alice, 'bob').locator('[data-state="connected"]').waitFor();
  return [alice, bob];
}

const closeAll = (...pages) => Promise.all(pages.map((page) => page.context().close()));

/** Whether `locator` is hidden from sight (as `.visually-hidden`) yet in the page. */
const hiddenFromSight = (locator) =>
  locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.width <= 1 && box.height <= 1 && getComputedStyle(element).clipPath !== 'none';
  });

test('Shift+Enter and a pasted multi-line text arrive as one message with their lines', async () => {
  const [alice, bob] = await pair('lines', clipboard);
  const input = alice.getByLabel('Message');
  const height = () => input.evaluate((area) => area.getBoundingClientRect().height);
  const oneLine = await height();
  await input.pressSequentially('first line');
  await input.press('Shift+Enter');
  await input.pressSequentially('second line');
  await input.press('Shift+Enter');
  await input.pressSequentially('third line');
  assert.equal(await input.inputValue(), 'first line\nsecond line\nthird line', 'Shift+Enter adds a line');
  const threeLines = await height();
  assert.ok(threeLines > oneLine * 2, `the composer grows with its lines (${oneLine} → ${threeLines})`);
  await screenshot(alice, 'writing-composer-lines');
  await input.press('Enter');
  await expectTranscript(bob, 'alice', ['alice: hi', 'alice: first line\nsecond line\nthird line']);
  assert.equal(await input.inputValue(), '', 'Enter sent it');
  // Each line on a line of its own.
  const text = bob.locator('.message .text').last();
  const lines = await text.evaluate((p) => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
  assert.equal(Math.round(lines), 3);

  // A text pasted from the clipboard keeps its newlines.
  const pasted = 'a pasted list:\n- one\n- two\n\n(end)';
  await alice.evaluate((text) => navigator.clipboard.writeText(text), pasted);
  await input.focus();
  await input.press('Control+V');
  assert.equal(await input.inputValue(), pasted);
  await input.press('Enter');
  await expectTranscript(bob, 'alice', ['alice: hi', 'alice: first line\nsecond line\nthird line', `alice: ${pasted}`]);

  // Long texts grow the composer to five lines or so, then it scrolls.
  await input.fill(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n'));
  const tall = await height();
  assert.ok(tall > threeLines && tall < oneLine * 6, `at most about five lines (${tall})`);
  assert.ok(await input.evaluate((area) => area.scrollHeight > area.clientHeight + 10), 'the rest scrolls');
  await screenshot(alice, 'writing-composer-full');

  // Enter that ends an input method's composition does not send.
  await input.fill('日本');
  await input.evaluate((area) =>
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true })),
  );
  assert.equal(await input.inputValue(), '日本');
  await screenshot(bob, 'writing-lines-received');
  assert.equal(await alice.locator('.messages .message').count(), 3, 'nothing more was sent');
  for (const page of [alice, bob]) assert.deepEqual(page.errors, []);
  await closeAll(alice, bob);
});

test('http and https links open in a new tab that learns nothing of the page; nothing else is a link', async () => {
  const [alice, bob] = await pair('links');
  const target = `${stage.server.url}?room=elsewhere`;
  await say(alice, 'bob', `see ${target}.`);
  await say(alice, 'bob', 'javascript:alert(1)');
  await say(alice, 'bob', 'data:text/html,<b>bold</b> and <a href="javascript:alert(1)">x</a>');
  await expectTranscript(bob, 'alice', [
    'alice: hi',
    `alice: see ${target}.`,
    'alice: javascript:alert(1)',
    'alice: data:text/html,<b>bold</b> and <a href="javascript:alert(1)">x</a>',
  ]);
  const texts = bob.locator('.message .text');
  const link = texts.nth(1).locator('a');
  assert.equal(await link.count(), 1);
  assert.equal(await link.getAttribute('href'), target);
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await link.innerText(), target, 'the full stop stays out of the link');
  assert.equal(await texts.nth(2).locator('a').count(), 0, 'javascript: is text');
  assert.equal(await texts.nth(3).locator('a, b').count(), 0, 'markup is text');
  assert.equal(await bob.locator('.messages a').count(), 1);
  await screenshot(bob, 'writing-links');

  const [tab] = await Promise.all([bob.context().waitForEvent('page'), link.click()]);
  await tab.waitForLoadState();
  assert.equal(tab.url(), target);
  assert.deepEqual(await tab.evaluate(() => [window.opener, document.referrer]), [null, '']);
  // Clicking what only looks like a script runs nothing.
  const dialogs = [];
  bob.on('dialog', (dialog) => dialogs.push(dialog.message()));
  await texts.nth(2).click();
  await texts.nth(3).click();
  assert.deepEqual(dialogs, []);
  assert.equal(bob.context().pages().length, 2, 'no other tab opened');
  await closeAll(alice, bob);
});

test('a message of one to three emoji shows larger', async () => {
  const [alice, bob] = await pair('emoji');
  await say(alice, 'bob', '🎉👍🏽');
  await say(alice, 'bob', 'ok 👍');
  await say(alice, 'bob', '👨‍👩‍👧🇫🇷❤️');
  await expectTranscript(bob, 'alice', ['alice: hi', 'alice: 🎉👍🏽', 'alice: ok 👍', 'alice: 👨‍👩‍👧🇫🇷❤️']);
  const size = (i) => bob.locator('.message .text').nth(i).evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
  const [plain, few, mixed, three] = [await size(0), await size(1), await size(2), await size(3)];
  assert.ok(few > plain * 1.8, `emoji alone show larger (${plain} → ${few})`);
  assert.equal(mixed, plain, 'emoji within text stay the size of the text');
  assert.equal(three, few, 'a family, a flag and a heart are three emoji');
  await screenshot(bob, 'writing-emoji');
  await closeAll(alice, bob);
});

test('quick messages from one person are grouped under one name and time; ours never show our name', async () => {
  const [alice, bob] = await pair('groups', { clock: true });
  await say(alice, 'bob', 'one more thing');
  await say(alice, 'bob', 'and another');
  await say(bob, 'alice', 'go on');
  // Five minutes later, three times over: a new group each time.
  await alice.clock.fastForward(6 * 60_000);
  await say(alice, 'bob', 'much later');
  const expected = ['alice: hi', 'alice: one more thing', 'alice: and another', 'bob: go on', 'alice: much later'];
  await expectTranscript(bob, 'alice', expected);
  await expectTranscript(alice, 'bob', expected);

  const items = bob.locator('.messages .message');
  const grouped = await items.evaluateAll((all) => all.map((item) => item.classList.contains('grouped')));
  assert.deepEqual(grouped, [false, true, true, false, false]);
  for (const i of [1, 2]) {
    assert.ok(await hiddenFromSight(items.nth(i).locator('.meta')), 'a grouped message shows neither name nor time');
    assert.match(await items.nth(i).getAttribute('title'), /^\d\d:\d\d$/, 'its time is its tooltip');
  }
  for (const i of [0, 4]) {
    assert.ok(await items.nth(i).locator('.from').isVisible(), 'the group starts with the name');
    assert.ok(await items.nth(i).locator('time').isVisible(), 'and the time');
  }
  assert.equal(await bob.locator('.messages .day').count(), 1, 'one day, one separator');

  // In alice's own view her name shows on none of her bubbles; bob's does.
  const ours = alice.locator('.message.outgoing .from');
  assert.equal(await ours.count(), 4);
  for (let i = 0; i < 4; i += 1) assert.ok(await hiddenFromSight(ours.nth(i)));
  assert.ok(await alice.locator('.message:not(.outgoing) .from').isVisible());
  await screenshot(bob, 'writing-grouped');
  await screenshot(alice, 'writing-grouped-own');
  await closeAll(alice, bob);
});

/** How the file name in `entry` shows: cut with an ellipsis, its end, whether that end is
 * in sight, on how many lines, and the whole name as its tooltip. */
const nameShown = (entry) =>
  entry.locator('.file-name').evaluate((element) => {
    const [start, end] = element.children;
    return {
      cut: start.scrollWidth > start.clientWidth && getComputedStyle(start).textOverflow === 'ellipsis',
      end: end.textContent,
      endShown: end.getBoundingClientRect().right <= element.getBoundingClientRect().right + 1,
      lines: element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight),
      whole: element.title,
    };
  });

test('a file stands in the timeline between the messages on both pages, its long name cut in the middle, and stays after a reload', async () => {
  const [alice, bob] = await pair('file-timeline');
  const name = 'the-quarterly-report-of-the-whole-team-for-2026-final-version-2.pdf';
  await say(alice, 'bob', 'here it comes');
  await attach(alice, { name, mimeType: 'application/pdf', buffer: randomBytes(120_000) });
  await inState(alice, name, 'waiting');
  await say(alice, 'bob', 'did you get it?');
  const expected = ['alice: hi', 'alice: here it comes', `alice: ${name}`, 'alice: did you get it?'];
  await expectTranscript(alice, 'bob', expected);
  await expectTranscript(bob, 'alice', expected);
  const bubble = bob.locator('.message.file');
  await bubble.locator('.from', { hasText: 'alice' }).waitFor({ state: 'attached' });
  await bubble.locator('time').waitFor({ state: 'attached' });
  await transfer(bob, name).getByText('alice wants to send you this file').waitFor();
  await screenshot(bob, 'writing-file-offered');
  await transfer(bob, name).getByRole('button', { name: 'Accept' }).click();
  await inState(bob, name, 'done');
  await inState(alice, name, 'done');

  // The long name is one line, cut in the middle: its end and extension show.
  const cutInTheMiddle = { cut: true, end: 'ion-2.pdf', endShown: true, lines: 1, whole: name };
  for (const page of [alice, bob]) assert.deepEqual(await nameShown(transfer(page, name)), cutInTheMiddle);
  await screenshot(bob, 'writing-file-received');
  await screenshot(alice, 'writing-file-sent');
  // So it is on a phone.
  await bob.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await nameShown(transfer(bob, name)), cutInTheMiddle);
  await screenshot(bob, 'writing-file-phone');
  await bob.setViewportSize({ width: 1100, height: 720 });

  // After a reload the file keeps its place, with its name and size: the sender's file
  // itself is not kept, the one received is, to save again.
  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  await expectTranscript(alice, 'bob', expected);
  const kept = alice.locator('.message.file .file-kept');
  await kept.getByText('The file itself is not kept').waitFor();
  await kept.getByText('120.0 KB · application/pdf').waitFor();
  assert.equal(await alice.locator('.message.file .transfer').count(), 0);
  await screenshot(alice, 'writing-file-after-reload');
  await bob.reload();
  await bob.getByText('Online as bob').waitFor();
  await expectTranscript(bob, 'alice', expected);
  await inState(bob, name, 'done');
  await transfer(bob, name).locator('a.file-download').waitFor();
  await closeAll(alice, bob);
});

test('an image pasted into the composer is offered as a file', async () => {
  const [alice, bob] = await pair('paste-image', clipboard);
  // A real PNG on the clipboard: a piece of the page itself.
  const png = await alice.screenshot({ clip: { x: 0, y: 0, width: 90, height: 40 } });
  await alice.evaluate(async (bytes) => {
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
  }, [...png]);
  const input = alice.getByLabel('Message');
  await input.fill('draft stays');
  await input.press('Control+V');
  const offer = bob.locator('.message.file .transfer[data-state="offered"]');
  await offer.waitFor();
  const pastedName = await offer.locator('.file-name').getAttribute('title');
  assert.match(pastedName, /\.png$/);
  assert.equal(await input.inputValue(), 'draft stays', 'the image is not pasted as text');
  await offer.getByRole('button', { name: 'Accept' }).click();
  const preview = transfer(bob, pastedName).locator('img.file-preview');
  await preview.waitFor();
  await bob.waitForFunction((img) => img.complete && img.naturalWidth === 90, await preview.elementHandle());
  await screenshot(bob, 'writing-pasted-image');
  await screenshot(alice, 'writing-pasted-image-sent');
  await closeAll(alice, bob);
});
