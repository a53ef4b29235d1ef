// Editing and deleting one's own line for everyone (issue 26): by pointer and keyboard, in
// one-to-one conversations and the room, Chromium and Firefox, across a reload of the
// receiver and to a receiver who was away; a late joiner gets the room's edits verified, a
// forged one is not applied, and a classic client never sees a line twice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  expectSettled, expectTranscript, joinAs, launchBrowser, openClassicPeer, say, screenshot, until, useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');
const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** The message of the open conversation whose text is `text`. */
const message = (page, text) => page.locator('.messages .message').filter({ has: page.locator('.text', { hasText: new RegExp(`^${text}$`) }) });

/** Edits our line `text` to `words` from its action bar, with the pointer. */
async function edit(page, text, words) {
  const item = message(page, text);
  await item.hover();
  await item.getByRole('button', { name: 'Edit what you wrote' }).click();
  await page.locator('.replying', { hasText: 'Editing your message' }).waitFor();
  const input = page.getByLabel('Message');
  assert.equal(await input.inputValue(), text, 'the composer takes the words');
  await input.fill(words);
  await page.getByRole('button', { name: 'Save' }).click();
}

/** Deletes our line `text` for everyone from its action bar: a first press asks. */
async function remove(page, text) {
  const item = message(page, text);
  await item.hover();
  await item.locator('summary', { hasText: 'Delete' }).click();
  await item.getByText('Delete it for everyone?').waitFor();
  await item.getByRole('button', { name: 'Delete for everyone' }).click();
}

/** Each line of the open conversation as `from: text`, with `(edited)` and the proof's mark. */
function lines(page) {
  return page.locator('.messages .message').evaluateAll((items) =>
    items.map((item) => {
      const edited = item.querySelector('.edited');
      const proof = item.querySelector('.unverified')?.textContent;
      return `${item.querySelector('.from').textContent}: ${item.querySelector('.text').textContent}`
        + `${edited && /^Edited at \d\d?:\d\d/.test(edited.title) ? ' (edited)' : ''}${proof ? ` [${proof}]` : ''}`;
    }));
}

const expectLines = (page, expected, timeout = 15_000) => until(() => lines(page), expected, timeout, 'the conversation');

/** Everything the page's IndexedDB holds, as text. */
const stored = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('natter');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const names = [...db.objectStoreNames];
    const tx = db.transaction(names);
    const all = names.map((name) => new Promise((done) => { tx.objectStore(name).getAll().onsuccess = (e) => done(e.target.result); }));
    Promise.all(all).then((values) => resolve(JSON.stringify(values)));
  };
}));

/** Screenshots of `page` light and dark, named `name-light`/`name-dark`. */
async function bothThemes(page, name) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('one to one, a Firefox receiver: an edit and a deletion shown across its reload, and when it comes back from away', async () => {
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', 'edits');
  const bob = await joinAs(stage.browsers.firefox, stage.server, 'bob', 'edits');
  for (const text of ['see you at 5', 'bring the cake', 'the door code is 1234']) await say(alice, 'bob', text);
  await expectTranscript(bob, 'alice', ['alice: see you at 5', 'alice: bring the cake', 'alice: the door code is 1234']);

  await edit(alice, 'see you at 5', 'see you at 6');
  await remove(alice, 'the door code is 1234');
  const after = ['alice: see you at 6 (edited)', 'alice: bring the cake', 'alice: Message deleted'];
  await expectLines(bob, after);
  await expectLines(alice, after);
  await screenshot(bob, 'edits-firefox-light');
  await bothThemes(alice, 'edits-chromium');

  await bob.reload();
  await bob.getByText('Online as bob').waitFor();
  await expectTranscript(bob, 'alice', ['alice: see you at 6', 'alice: bring the cake', 'alice: Message deleted']);
  await expectLines(bob, after);
  for (const page of [alice, bob]) assert.ok(!(await stored(page)).includes('door code'), 'the deleted words are not kept');

  // Bob is away: the edit waits for him, kept across alice's reload, and comes after the line.
  const bobs = bob.context();
  const url = bob.url();
  await bob.close();
  await alice.locator('.conversation-head', { hasText: 'offline' }).waitFor();
  await edit(alice, 'bring the cake', 'bring two cakes');
  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  await expectTranscript(alice, 'bob', ['alice: see you at 6', 'alice: bring two cakes', 'alice: Message deleted']);
  await expectLines(alice, ['alice: see you at 6 (edited)', 'alice: bring two cakes (edited)', 'alice: Message deleted']);
  const back = await comeBack(bobs, url, 'bob');
  await expectTranscript(back, 'alice', ['alice: see you at 6', 'alice: bring two cakes', 'alice: Message deleted'], 20_000);
  await expectLines(back, ['alice: see you at 6 (edited)', 'alice: bring two cakes (edited)', 'alice: Message deleted']);
  await expectSettled(alice, 'alice', back, 'bob', ['alice: see you at 6', 'alice: bring two cakes', 'alice: Message deleted']);
  for (const page of [alice, back]) assert.deepEqual(page.errors, []);
  for (const page of [alice, back]) await page.context().close();
});

/** A new page of `context` (a profile whose page was closed) back at `url` under `name`. */
async function comeBack(context, url, name) {
  const back = await context.newPage();
  back.errors = [];
  await back.goto(url);
  await back.getByLabel('Your name').fill(name);
  await back.getByRole('button', { name: 'Join' }).click();
  await back.getByText(`Online as ${name}`).waitFor();
  return back;
}

test('in the room, with a Firefox member: an edit and a deletion reach everyone, one away when they come back, and a late joiner (Firefox, dark) verified', async (t) => {
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', 'editroom');
  const bob = await joinAs(stage.browsers.firefox, stage.server, 'bob', 'editroom');
  const away = await joinAs(stage.browsers.chromium, stage.server, 'dan', 'editroom');
  const room = 'Everyone in editroom';
  await say(alice, room, 'meet at 5');
  await say(alice, room, 'in the wrong room');
  for (const page of [bob, away]) await expectTranscript(page, room, ['alice: meet at 5', 'alice: in the wrong room']);
  const [dans, url] = [away.context(), away.url()];
  await away.close();
  await edit(alice, 'meet at 5', 'meet at 6');
  await remove(alice, 'in the wrong room');
  const after = ['alice: meet at 6 (edited)', 'alice: Message deleted'];
  await expectLines(bob, after);
  await screenshot(bob, 'edits-room-firefox-light');
  const dan = await comeBack(dans, url, 'dan');
  await expectTranscript(dan, room, ['alice: meet at 6', 'alice: Message deleted'], 20_000);
  await expectLines(dan, after);

  // Firefox over WebDriver BiDi cannot emulate a colour scheme: the late joiner's runs dark.
  const dark = await launchBrowser({ browser: 'firefox', prefs: { 'layout.css.prefers-color-scheme.content-override': 0 } });
  t.after(() => dark.close());
  const carol = await joinAs(dark, stage.server, 'carol', 'editroom');
  await expectTranscript(carol, room, ['alice: meet at 6', 'alice: Message deleted'], 20_000);
  await expectLines(carol, after);
  await until(() => carol.locator('.messages .message[data-proof]').count(), 0, 10_000, "carol's checks");
  await screenshot(carol, 'edits-room-firefox-dark');
  await bob.reload();
  await bob.getByText('Online as bob').waitFor();
  await expectTranscript(bob, room, ['alice: meet at 6', 'alice: Message deleted']);
  await expectLines(bob, after);
  for (const page of [alice, bob, carol, dan]) assert.deepEqual(page.errors, []);
  for (const page of [alice, bob, carol, dan]) await page.context().close();
});

/** An `init` script: this page passes none of the room's lines on. */
function passNothingOn() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"roomPast"')) return;
    return send.call(this, data);
  };
}

/** An `init` script: after passing on alice's line, this page passes on a forged edit of it. */
function forgeEdits() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    send.call(this, data);
    if (typeof data === 'string' && data.includes('"type":"roomPast"') && data.includes('meet at 5')) {
      const forged = JSON.parse(data);
      Object.assign(forged, { message: 'meet at 7', edited: new Date().toISOString() });
      send.call(this, JSON.stringify(forged));
    }
  };
}

test("a forged edit of alice's room line, relayed by another member, is not shown as hers", async () => {
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', 'forgededit', { init: passNothingOn });
  const bob = await joinAs(stage.browsers.firefox, stage.server, 'bob', 'forgededit', { init: forgeEdits });
  const room = 'Everyone in forgededit';
  await say(alice, room, 'meet at 5');
  await say(bob, room, 'see you there');
  await expectTranscript(alice, room, ['alice: meet at 5', 'bob: see you there']);
  // Only bob passes the room's lines on to carol, each followed by his forgery of alice's.
  const carol = await joinAs(stage.browsers.chromium, stage.server, 'carol', 'forgededit');
  await expectTranscript(carol, room, ['alice: meet at 5', 'bob: see you there'], 20_000);
  await until(() => carol.locator('.messages .message[data-proof]').count(), 0, 10_000, "carol's checks");
  await expectLines(carol, ['alice: meet at 5', 'bob: see you there']);
  // The genuine edit, from alice herself, is applied.
  await edit(alice, 'meet at 5', 'meet at 6');
  await expectLines(carol, ['alice: meet at 6 (edited)', 'bob: see you there']);
  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, []);
  for (const page of [alice, bob, carol]) await page.context().close();
});

test('the keyboard: Up in an empty composer edits the last line, Escape cancels, Edit and Delete from the actions; axe while editing', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'editkeys');
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'editkeys');
  await say(alice, 'bob', 'frist');
  await say(alice, 'bob', 'second');
  await expectTranscript(bob, 'alice', ['alice: frist', 'alice: second']);
  const input = alice.getByLabel('Message');
  const focused = () => alice.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent);

  await input.focus();
  await alice.keyboard.press('ArrowUp');
  assert.equal(await input.inputValue(), 'second');
  await alice.locator('.replying', { hasText: 'Editing your message' }).waitFor();
  // A screen reader hears it with the field: the note describes it.
  assert.match(await input.getAttribute('aria-describedby'), /composer-note/);
  assert.equal(await alice.locator('#composer-note > span').textContent(), 'Editing your message');
  await alice.keyboard.press('Escape');
  assert.equal(await input.inputValue(), '');
  assert.equal(await alice.locator('.replying').count(), 0, 'Escape leaves the edit');
  await alice.locator('.conversation-head h2', { hasText: 'bob' }).waitFor();
  await alice.keyboard.press('ArrowUp');
  await alice.keyboard.press('End');
  await alice.keyboard.type(' and third');
  await alice.keyboard.press('Enter');
  await expectLines(bob, ['alice: frist', 'alice: second and third (edited)']);

  // From the history: Up reaches a message, Tab its actions, Edit by Enter.
  await alice.locator('.messages').focus();
  await alice.keyboard.press('ArrowUp');
  await alice.keyboard.press('ArrowUp');
  for (let i = 0; i < 8 && (await focused()) !== 'Edit what you wrote'; i += 1) await alice.keyboard.press('Tab');
  assert.equal(await focused(), 'Edit what you wrote');
  await alice.keyboard.press('Enter');
  assert.equal(await focused(), 'Message');
  assert.equal(await input.inputValue(), 'frist');
  await screenshot(alice, 'edits-editing');
  await alice.evaluate(axeSource);
  for (const colorScheme of ['light', 'dark']) {
    await alice.emulateMedia({ colorScheme });
    const violations = await alice.evaluate(async () => {
      const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    });
    assert.deepEqual(violations, [], colorScheme);
  }
  await alice.emulateMedia({ colorScheme: 'light' });
  await input.fill('first');
  await alice.keyboard.press('Enter');
  await expectLines(bob, ['alice: first (edited)', 'alice: second and third (edited)']);

  await alice.locator('.messages').focus();
  await alice.keyboard.press('ArrowUp');
  for (let i = 0; i < 8 && (await focused()) !== 'Delete what you wrote'; i += 1) await alice.keyboard.press('Tab');
  assert.equal(await focused(), 'Delete what you wrote');
  await alice.keyboard.press('Enter');
  await alice.keyboard.press('Tab');
  assert.equal(await focused(), 'Delete for everyone');
  await screenshot(alice, 'edits-delete-asks');
  await alice.keyboard.press('Enter');
  await expectLines(bob, ['alice: first (edited)', 'alice: Message deleted']);
  await expectLines(alice, ['alice: first (edited)', 'alice: Message deleted']);
  for (const page of [alice, bob]) assert.deepEqual(page.errors, []);
  for (const page of [alice, bob]) await page.context().close();
});

test('a classic client sees no line twice: edits and deletions are not sent to it', async () => {
  const old = await openClassicPeer(stage.browser, `ws://127.0.0.1:${stage.server.port}/ws`, 'old');
  const alice = await joinAs(stage.browser, stage.server, 'alice', '');
  await old.waitForFunction(() => window.classic.state.users.some((u) => u.userName === 'alice'));
  await old.evaluate(() => window.classic.connect('alice'));
  await old.waitForFunction(() => window.classic.state.channelOpen);
  await old.evaluate(() => window.classic.say('hello natter'));
  await expectTranscript(alice, 'old', ['old: hello natter']);
  await say(alice, 'old', 'helo');
  await say(alice, 'old', 'oops');
  await edit(alice, 'helo', 'hello');
  await remove(alice, 'oops');
  await expectLines(alice, ['old: hello natter', 'alice: hello (edited)', 'alice: Message deleted']);
  await say(alice, 'old', 'and after');
  await old.waitForFunction(() => window.classic.state.received.length >= 3);
  // The line after the edit and the deletion is there: anything sent for them came before it.
  const received = await old.evaluate(() => window.classic.state.received.map((m) => m.message ?? JSON.stringify(m)));
  assert.deepEqual(received, ['helo', 'oops', 'and after']);
  assert.deepEqual(alice.errors, []);
  await alice.context().close();
  await old.context().close();
});
