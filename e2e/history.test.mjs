// Conversations that last: history across reloads, tied to the peer's certificate, and a
// name that comes back after a reload (issue 13).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  expectSettled, expectTranscript, joinAs, joinRoom, keepPeerConnections, say, screenshot, transcript,
  until, userEntry, useStage,
} from './harness.mjs';

const stage = useStage();

/** Each message of the open conversation as `from: text`, with `(mark)` for ours. */
function marks(page) {
  return page.locator('.messages .message').evaluateAll((items) =>
    items.map((item) => {
      const line = `${item.querySelector('.from').textContent}: ${item.querySelector('.text').textContent}`;
      return item.classList.contains('outgoing') ? `${line} (${item.dataset.delivery})` : line;
    }),
  );
}

/** Waits until the open conversation shows `expected` (see `marks`). */
const expectMarks = (page, expected, timeout = 10_000) =>
  until(() => marks(page), expected, timeout, 'the conversation');

/** Reloads `page` and waits until it is logged in again; resolves to how long that took. */
async function reload(page, name) {
  const started = Date.now();
  await page.reload();
  await page.getByText(`Online as ${name}`).waitFor();
  return Date.now() - started;
}

/** Writes `text` in the open conversation and sends it. */
async function write(page, text) {
  const input = page.getByLabel('Message');
  await input.fill(text);
  await input.press('Enter');
}

/** The page says `peer` is offline above their conversation. */
const offline = (page) => page.locator('.conversation-head', { hasText: 'offline' }).waitFor();

test('a reload keeps every conversation, in order, with its delivery and read marks', async () => {
  const [alice, bob, carol] = await joinRoom(stage, 'keep', 'alice', 'bob', 'carol');
  await say(alice, 'bob', 'one');
  await expectTranscript(bob, 'alice', ['alice: one']);
  await say(bob, 'alice', 'two');
  await say(alice, 'bob', 'three');
  await expectTranscript(bob, 'alice', ['alice: one', 'bob: two', 'alice: three']);
  await say(alice, 'carol', 'hi carol');
  await expectTranscript(carol, 'alice', ['alice: hi carol']);
  await userEntry(alice, 'bob').click();
  const withBob = ['alice: one (read)', 'bob: two', 'alice: three (read)'];
  await expectMarks(alice, withBob);

  await reload(alice, 'alice');
  await expectTranscript(alice, 'bob', ['alice: one', 'bob: two', 'alice: three']);
  await expectMarks(alice, withBob);
  await expectTranscript(alice, 'carol', ['alice: hi carol']);
  await expectMarks(alice, ['alice: hi carol (read)']);
  await reload(bob, 'bob');
  await expectTranscript(bob, 'alice', ['alice: one', 'bob: two', 'alice: three']);
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('a message written while the peer was away survives a reload and is delivered once when they are back', async () => {
  const [alice, bob] = await joinRoom(stage, 'unsent', 'alice', 'bob');
  await say(alice, 'bob', 'first');
  await expectTranscript(bob, 'alice', ['alice: first']);
  const bobs = bob.context();
  const url = bob.url();
  await bob.close();
  await offline(alice);
  await write(alice, 'are you still there?');
  await expectMarks(alice, ['alice: first (read)', 'alice: are you still there? (queued)']);

  await reload(alice, 'alice');
  // Bob's profile comes back (same certificate): the waiting message goes, once.
  const back = await bobs.newPage();
  back.errors = [];
  await back.goto(url);
  await back.getByLabel('Your name').fill('bob');
  await back.getByRole('button', { name: 'Join' }).click();
  await back.getByText('Online as bob').waitFor();
  await expectTranscript(back, 'alice', ['alice: first', 'alice: are you still there?'], 15_000);
  await expectTranscript(alice, 'bob', ['alice: first', 'alice: are you still there?']);
  await expectMarks(alice, ['alice: first (read)', 'alice: are you still there? (read)']);
  // Delivered exactly once: nothing doubled shows before a line written after it.
  await expectSettled(alice, 'alice', back, 'bob', ['alice: first', 'alice: are you still there?']);
});

test('the same name from another profile is flagged, does not see the old history, and gets nothing meant for the old one', async () => {
  const [alice, carol] = await joinRoom(stage, 'stranger', 'alice', 'carol');
  await say(alice, 'carol', 'hi carol');
  await expectTranscript(carol, 'alice', ['alice: hi carol']);
  await userEntry(alice, 'carol').click();
  await alice.getByRole('button', { name: 'Safety codes' }).click();
  await alice.getByRole('button', { name: 'Mark as verified' }).click();
  await alice.locator('.verified').waitFor();
  await carol.context().close();
  await offline(alice);
  await write(alice, 'hello? did you leave?');

  // Someone else takes the name, from a fresh profile: a new certificate.
  const stranger = await joinAs(stage.browser, stage.server, 'carol', 'stranger');
  const warning = alice.locator('.identity-changed');
  await warning.waitFor({ timeout: 15_000 });
  assert.match(await warning.textContent(), /carol's safety code changed: this may be someone else/);
  assert.equal(await alice.locator('.verified').count(), 0, 'the verified mark is gone');
  await expectTranscript(alice, 'carol', []);

  // The new carol can be talked to, and only gets what is written to her.
  await write(alice, 'who are you?');
  await expectTranscript(stranger, 'alice', ['alice: who are you?'], 15_000);
  // What waited for the old carol would have gone before a line written after this one.
  await expectSettled(alice, 'alice', stranger, 'carol', ['alice: who are you?']);
  assert.deepEqual(stranger.errors, []);
});

/** The safety code of an SDP's `a=fingerprint:sha-256` line, computed here. */
function codeOf(sdp) {
  const hex = /a=fingerprint:sha-256 ([0-9A-F:]+)/i.exec(sdp)[1];
  const digest = createHash('sha256').update(Buffer.from(hex.replaceAll(':', ''), 'hex')).digest();
  const groups = [];
  for (let at = 0; at < 30; at += 5) {
    const number = [...digest.subarray(at, at + 5)].reduce((n, byte) => n * 256n + BigInt(byte), 0n);
    groups.push(String(number % 100000n).padStart(5, '0'));
  }
  return groups.join(' ');
}

async function codes(page, peer) {
  await userEntry(page, peer).click();
  const button = page.getByRole('button', { name: 'Safety codes' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const code = (who) => page.locator(`dd.code[data-who=${who}]`).textContent();
  await page.waitForFunction(() => ![...document.querySelectorAll('dd.code')].some((dd) => dd.textContent === '…'));
  return { mine: await code('mine'), theirs: await code('theirs') };
}

test('safety codes agree on both pages and come from the fingerprints in the SDP', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'codes', { init: keepPeerConnections });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'codes', { init: keepPeerConnections });
  await say(alice, 'bob', 'compare?');
  await expectTranscript(bob, 'alice', ['alice: compare?']);
  const seenByAlice = await codes(alice, 'bob');
  const seenByBob = await codes(bob, 'alice');
  assert.match(seenByAlice.mine, /^\d{5}( \d{5}){5}$/);
  assert.equal(seenByAlice.mine, seenByBob.theirs);
  assert.equal(seenByAlice.theirs, seenByBob.mine);
  assert.notEqual(seenByAlice.mine, seenByAlice.theirs);
  const sdp = await alice.evaluate(() => ({
    local: window.pcs.at(-1).localDescription.sdp,
    remote: window.pcs.at(-1).remoteDescription.sdp,
  }));
  assert.equal(codeOf(sdp.local), seenByAlice.mine);
  assert.equal(codeOf(sdp.remote), seenByAlice.theirs);

  // The certificate lasts: the same code after a reload.
  await reload(alice, 'alice');
  assert.equal((await codes(alice, 'bob')).mine, seenByAlice.mine);
});

/**
 * An init script: once `sessionStorage['natter-test-slow-store']` is set, the page's
 * IndexedDB (where its identity is kept) opens 3 s late. `window.times` notes when the
 * store opened and when the page sent its login.
 */
function slowStore() {
  window.times = {};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (String(data).includes('"login"')) window.times.login ??= performance.now();
    return send.call(this, data);
  };
  if (!sessionStorage.getItem('natter-test-slow-store')) return;
  const open = IDBFactory.prototype.open;
  const setSuccess = Object.getOwnPropertyDescriptor(IDBRequest.prototype, 'onsuccess').set;
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args);
    Object.defineProperty(request, 'onsuccess', {
      set(handler) {
        const late = (event) => setTimeout(() => ((window.times.store = performance.now()), handler(event)), 3000);
        setSuccess.call(request, late);
      },
    });
    return request;
  };
}

test('a reload sends its login before the identity is read, and a peer reaching us then meets that identity', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'early', { init: slowStore });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'early');
  await say(alice, 'bob', 'before');
  await expectTranscript(bob, 'alice', ['alice: before']);
  const before = await codes(bob, 'alice');
  await alice.evaluate(() => sessionStorage.setItem('natter-test-slow-store', 'yes'));
  // bob writes while alice's page reloads: his offer may reach her before her certificate
  // is read, and waits for it, as her own wish to reconnect to him does.
  await alice.reload();
  await say(bob, 'alice', 'meanwhile');
  await alice.getByText('Online as alice').waitFor();
  const { login, store } = await alice.evaluate(() => window.times);
  assert.ok(login < store, `the login went at ${login} ms, before the store opened at ${store} ms`);
  await expectTranscript(alice, 'bob', ['alice: before', 'bob: meanwhile'], 15_000);
  assert.deepEqual(await codes(bob, 'alice'), before, "alice's stored identity, not one made for the connection");
  // A line that came before the history was read back goes after it, and the store keeps
  // both (it had been written over the first stored line).
  await alice.evaluate(() => sessionStorage.removeItem('natter-test-slow-store'));
  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  await expectTranscript(alice, 'bob', ['alice: before', 'bob: meanwhile']);
  assert.deepEqual(alice.errors, []);
});

test('a reload gets the name back at once, and the peer never sees it leave', async () => {
  const [alice, bob, carol] = await joinRoom(stage, 'resume', 'alice', 'bob', 'carol');
  await say(alice, 'bob', 'before');
  await expectTranscript(bob, 'alice', ['alice: before']);
  await bob.evaluate(() => {
    window.aliceGone = false;
    const check = () => {
      const names = [...document.querySelectorAll('.users .user-name')].map((name) => name.textContent);
      if (!names.includes('alice')) window.aliceGone = true;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const took = await reload(alice, 'alice');
  assert.ok(took < 2000, `logged in again after ${took} ms`);
  assert.doesNotMatch(await alice.locator('body').innerText(), /unavailable/i);
  await say(alice, 'bob', 'after');
  await expectTranscript(bob, 'alice', ['alice: before', 'alice: after']);
  // Someone who does leave, after alice came back: once bob's list lets carol go, it would
  // have let alice go too (a leave stays listed for a grace, then goes, in order).
  await carol.context().close();
  await userEntry(bob, 'carol').waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(await bob.evaluate(() => window.aliceGone), false, "bob's list never lost alice");
  assert.deepEqual(alice.errors, []);
});

test('clearing a conversation is asked for in its menu, not beside the codes, and stays so after a reload', async () => {
  const [alice, bob] = await joinRoom(stage, 'clear', 'alice', 'bob');
  await say(alice, 'bob', 'to be cleared');
  await expectTranscript(bob, 'alice', ['alice: to be cleared']);
  await expectTranscript(alice, 'bob', ['alice: to be cleared']);
  assert.equal(await alice.locator('.messages .day').first().textContent(), 'Today');
  await alice.getByRole('button', { name: 'Safety codes' }).click();
  await alice.locator('.identity').waitFor();
  assert.equal(await alice.locator('.identity button', { hasText: /clear/i }).count(), 0, 'nothing to clear beside the codes');
  await alice.getByRole('button', { name: 'Safety codes' }).click();

  // The conversation's menu asks first: the first press changes nothing.
  const menu = alice.locator('details.conversation-menu');
  await menu.locator('summary', { hasText: 'Conversation options' }).click();
  await menu.getByText('Removes the messages with bob from this device. bob keeps theirs.').waitFor();
  await menu.getByRole('button', { name: 'Clear this conversation' }).click();
  const really = menu.getByRole('button', { name: 'Really clear this conversation?' });
  await really.waitFor();
  assert.deepEqual(await transcript(alice), ['alice: to be cleared']);
  await screenshot(alice, 'clear-asks');
  await really.click();
  await until(() => transcript(alice), [], 10_000, 'the cleared conversation');
  assert.equal(await menu.getAttribute('open'), null, 'the menu closed');
  await reload(alice, 'alice');
  await expectTranscript(alice, 'bob', []);
  await say(bob, 'alice', 'after the clear');
  await expectTranscript(alice, 'bob', ['bob: after the clear']);
  await expectTranscript(bob, 'alice', ['alice: to be cleared', 'bob: after the clear'], 10_000);
  for (const page of [alice, bob]) await page.context().close();
});

test('forgetting everything leaves a first visit: logged out, a new identity at the next login, nothing stuck', async () => {
  const [alice, bob] = await joinRoom(stage, 'forget', 'alice', 'bob');
  await say(alice, 'bob', 'before forgetting');
  await expectTranscript(bob, 'alice', ['alice: before forgetting']);
  const before = await codes(alice, 'bob');

  // Forgetting everything asks once more, then the first screen shows, saying so.
  await alice.locator('.settings summary').click();
  await alice.getByRole('button', { name: 'Forget everything on this device' }).click();
  await alice.getByRole('button', { name: 'Really forget everything?' }).click();
  await alice.getByLabel('Your name').waitFor();
  await alice.getByText('Everything natter kept on this device is forgotten').waitFor();
  assert.equal(await alice.getByLabel('Your name').inputValue(), '');
  await bob.locator('.conversation-head .presence', { hasText: 'offline' }).waitFor();
  await screenshot(alice, 'forgotten');

  // Logged in again: nothing kept, a new identity, and what is written is delivered.
  await alice.getByLabel('Your name').fill('alice');
  await alice.getByRole('button', { name: 'Join' }).click();
  await alice.getByText('Online as alice').waitFor();
  await expectTranscript(alice, 'bob', []);
  await write(alice, 'after forgetting');
  await alice.locator('.message.outgoing:is([data-delivery="delivered"], [data-delivery="read"])', { hasText: 'after forgetting' }).waitFor();
  assert.notEqual((await codes(alice, 'bob')).mine, before.mine, 'a new identity');
  await bob.locator('.identity-changed').waitFor();
  await expectTranscript(bob, 'alice', ['alice: after forgetting']);
  for (const page of [alice, bob]) await page.context().close();
});

/**
 * An `init` script: lets the test hide the page (`window.setHidden`) and records the
 * notifications it shows (`window.shown`) and the permission prompts (`window.asked`); both
 * still go to the browser's own `Notification`, whose permission the context grants. Until
 * the page asks, the permission reads "default", as for a person never asked.
 */
function watchAttention() {
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { get: () => hidden, configurable: true });
  Object.defineProperty(Document.prototype, 'visibilityState', {
    get: () => (hidden ? 'hidden' : 'visible'),
    configurable: true,
  });
  window.setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  window.shown = [];
  window.asked = 0;
  const Native = window.Notification;
  function Watched(title, options) {
    window.shown.push(`${title}: ${options?.body}`);
    return new Native(title, options);
  }
  Object.defineProperty(Watched, 'permission', { get: () => (window.asked ? Native.permission : 'default') });
  Watched.requestPermission = () => {
    window.asked += 1;
    return Native.requestPermission();
  };
  window.Notification = Watched;
}

test('read marks, the unread count in the title, typing and a notification for a hidden tab', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'attention');
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'attention', {
    init: watchAttention,
    grant: ['notifications'],
  });
  // Permission is asked from a button, never on load.
  assert.equal(await bob.evaluate(() => window.asked), 0);
  await bob.locator('.settings summary').click();
  await bob.getByRole('button', { name: 'Notify me of new messages' }).click();
  await bob.getByText('Notifications are on').waitFor();
  assert.equal(await bob.evaluate(() => window.asked), 1);
  await bob.locator('.settings summary').click();

  await say(alice, 'bob', 'hello');
  await expectTranscript(bob, 'alice', ['alice: hello']);
  await expectMarks(alice, ['alice: hello (read)']);

  // Typing shows on the other page, and goes once the line is sent.
  await alice.getByLabel('Message').pressSequentially('on my w');
  const typing = bob.getByText('alice is typing…');
  await typing.waitFor();
  await alice.getByLabel('Message').press('Enter');
  await typing.waitFor({ state: 'detached' });

  // A hidden tab: delivered, not read; counted in the title; notified.
  await bob.evaluate(() => window.setHidden(true));
  await write(alice, 'are you there?');
  await bob.waitForFunction(() => document.title === '(1) natter');
  await bob.waitForFunction(() => window.shown.includes('alice: are you there?'));
  await write(alice, 'hello?');
  await bob.waitForFunction(() => document.title === '(2) natter');
  // Not read: bob's ack of the next line comes after any read mark of this one would have.
  await expectMarks(alice, [
    'alice: hello (read)', 'alice: on my w (read)', 'alice: are you there? (delivered)', 'alice: hello? (delivered)',
  ]);

  // The count survives a reload; opening the conversation reads it.
  await reload(bob, 'bob');
  // The history loads after the login shows.
  await bob.waitForFunction(() => document.title === '(2) natter');
  await expectTranscript(bob, 'alice', ['alice: hello', 'alice: on my w', 'alice: are you there?', 'alice: hello?']);
  await bob.waitForFunction(() => document.title === 'natter');
  await expectMarks(alice, [
    'alice: hello (read)', 'alice: on my w (read)', 'alice: are you there? (read)', 'alice: hello? (read)',
  ]);
  await reload(alice, 'alice');
  await userEntry(alice, 'bob').click();
  await expectMarks(alice, [
    'alice: hello (read)', 'alice: on my w (read)', 'alice: are you there? (read)', 'alice: hello? (read)',
  ]);
});

test('a full storage quota is said, and the chat goes on', async () => {
  // A quota of one byte: the browser refuses every write the app makes.
  const full = async (page) => {
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(stage.server.url).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  };
  // Every notice the page shows, once each.
  const recordNotices = () => {
    window.said = [];
    const seen = new WeakSet();
    new MutationObserver(() => {
      for (const toast of document.querySelectorAll('.toast')) {
        if (!seen.has(toast)) window.said.push(toast.textContent);
        seen.add(toast);
      }
    }).observe(document, { subtree: true, childList: true });
  };
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'quota', { prepare: full, init: recordNotices });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'quota');
  await alice.getByText('Storage is full: new messages are not saved').first().waitFor();
  const long = 'x'.repeat(20_000);
  await say(alice, 'bob', long);
  await write(alice, 'still talking');
  await expectTranscript(bob, 'alice', [`alice: ${long}`, 'alice: still talking']);
  await expectMarks(alice, [`alice: ${long} (read)`, 'alice: still talking (read)']);
  const saidFull = (await alice.evaluate(() => window.said)).filter((text) => text.startsWith('Storage is full'));
  assert.equal(saidFull.length, 1, 'said once');
  assert.deepEqual(alice.errors, []);
});

test('without IndexedDB the app says it keeps no history, and chats all the same', async () => {
  const refuse = () => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('Storage is blocked', 'SecurityError');
      },
    });
  };
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'nostore', { init: refuse });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'nostore');
  await alice.locator('.settings summary').click();
  await alice.locator('.settings .menu-panel').getByText('This browser keeps no history here: Storage is blocked').waitFor();
  await say(alice, 'bob', 'no history, no problem');
  await expectTranscript(bob, 'alice', ['alice: no history, no problem']);
  await say(bob, 'alice', 'indeed');
  await expectTranscript(alice, 'bob', ['alice: no history, no problem', 'bob: indeed']);
});
