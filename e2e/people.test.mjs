// People as a person sees them (issue 14): the first screen and private rooms, the list
// in human words and by latest activity, a server outage, a peer who leaves, and a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectTranscript, joinAs, joinRoom, openPage, say, screenshot, startServer, transcript,
  until, userEntry, useStage,
} from './harness.mjs';

const stage = useStage();
const pitch = 'Private chat, calls and files, browser to browser; messages never pass through a server.';
const outage = 'Server unreachable — open conversations still work; reconnecting…';

/** The page's list in order, each as `name: presence · preview`; the room's own entry, always first, left out. */
async function people(page) {
  const entries = await page.locator('.users .user').evaluateAll((entries) =>
    entries.map((entry) => {
      const [name, presence, preview] = ['.user-name', '.presence', '.preview'].map((s) => entry.querySelector(s).textContent);
      return `${name}: ${presence}${preview ? ` · ${preview}` : ''}`;
    }),
  );
  // Polled by `until`: a list without the room's entry on top shows up in what it saw.
  const roomFirst = /^Everyone in .*: everyone here/.test(entries[0] ?? '');
  return roomFirst ? entries.slice(1) : ['(the room is not first)', ...entries];
}

/** The page's people (not the room's entry) as sorted `name: presence`, to compare pages. */
const presences = async (page) =>
  (await people(page)).map((entry) => entry.split(' · ')[0]).sort();

/** An `init` script: keeps the signaling socket in `window.socket` and what the server sent in `window.serverFrames`. */
function recordServerFrames() {
  window.serverFrames = [];
  const Native = WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    window.socket = socket;
    socket.addEventListener('message', (event) => window.serverFrames.push(String(event.data)));
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.setPrototypeOf(window.WebSocket, Native);
}

test('the first screen says what natter is, and a private room gives a link another page joins', async () => {
  const alice = await openPage(stage.browser, stage.server.url, { grant: ['clipboard-read', 'clipboard-write'] });
  await alice.getByText(pitch).waitFor();
  await alice.getByText('The lobby is everyone on this server without a room.').waitFor();
  assert.equal((await alice.locator('.status-text').textContent()).trim(), '', 'nothing failed: the header says nothing');
  assert.doesNotMatch(await alice.locator('body').innerText(), /not connected/i);
  await screenshot(alice, 'people-first-screen');

  await alice.getByLabel('Your name').fill('alice');
  await alice.getByRole('button', { name: 'Start a private room' }).click();
  await alice.getByText('Online as alice').waitFor();
  const link = alice.url();
  const room = new URL(link).hash.match(/^#room=([0-9a-f]{20})$/)?.[1];
  assert.ok(room, `a random room in the address: ${link}`);
  assert.equal(await alice.locator('.share-link').textContent(), link);
  await alice.locator('.share').getByRole('button', { name: 'Copy' }).click();
  await alice.locator('.toast', { hasText: 'Link copied' }).waitFor();
  assert.equal(await alice.evaluate(() => navigator.clipboard.readText()), link);
  await screenshot(alice, 'people-private-room');

  // Another page opens the link: it only asks for a name, and meets alice there.
  const bob = await openPage(stage.browser, link);
  await bob.getByText(`You are joining the room “${room}”.`).waitFor();
  await bob.getByText(pitch).waitFor();
  await screenshot(bob, 'people-invited');
  await bob.getByLabel('Your name').fill('bob');
  await bob.getByRole('button', { name: 'Join' }).click();
  await bob.getByText(`Online as bob in room “${room}”`).waitFor();
  await say(bob, 'alice', 'found you by the link');
  await expectTranscript(alice, 'bob', ['bob: found you by the link']);

  // A room by its name (Enter in its field), and the lobby: neither sees the private room.
  const carol = await openPage(stage.browser, stage.server.url);
  await carol.getByLabel('Your name').fill('carol');
  await carol.getByLabel('Or a room by its name').fill('book club');
  await carol.getByLabel('Or a room by its name').press('Enter');
  await carol.getByText('Online as carol in room “book club”').waitFor();
  assert.equal(new URL(carol.url()).hash, '#room=book+club');
  const dave = await openPage(stage.browser, stage.server.url);
  await dave.getByLabel('Your name').fill('dave');
  await dave.getByRole('button', { name: 'Join the lobby' }).click();
  await dave.getByText('Online as dave in the lobby').waitFor();
  assert.equal(new URL(dave.url()).hash, '');
  // Someone joins the private room, then someone each of the others' places: once carol and
  // dave list theirs, they would have heard of erin too.
  const erin = await openPage(stage.browser, link);
  await erin.getByLabel('Your name').fill('erin');
  await erin.getByRole('button', { name: 'Join' }).click();
  await userEntry(alice, 'erin').waitFor();
  const fay = await joinAs(stage.browser, stage.server, 'fay', 'book club');
  const gus = await joinAs(stage.browser, stage.server, 'gus', '');
  await until(() => people(carol), ['fay: online'], 10_000, "carol's list");
  await until(() => people(dave), ['gus: online'], 10_000, "dave's list");
  // A reload comes back to the room the address names.
  await carol.reload();
  await carol.getByText('Online as carol in room “book club”').waitFor();
  for (const page of [alice, bob, carol, dave, erin, fay, gus]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('the list says online or in a call, latest conversation first, with its first words', async () => {
  const [alice, bob, carol, dave] = await joinRoom(stage, 'order', 'alice', 'bob', 'carol', 'dave');
  await until(() => people(alice), ['bob: online', 'carol: online', 'dave: online'], 15_000);

  await say(bob, 'alice', 'first from bob');
  await expectTranscript(alice, 'bob', ['bob: first from bob']);
  await say(carol, 'alice', 'hello from carol, with a rather long message that goes on and on');
  await until(() => people(alice), [
    'carol: online · hello from carol, with a rather long…',
    'bob: online · first from bob',
    'dave: online',
  ], 15_000);
  await say(alice, 'bob', 'back to bob');
  await expectTranscript(bob, 'alice', ['bob: first from bob', 'alice: back to bob']);
  await until(() => people(alice), [
    'bob: online · You: back to bob',
    'carol: online · hello from carol, with a rather long…',
    'dave: online',
  ], 15_000);
  assert.match(await userEntry(alice, 'bob').locator('.when').textContent(), /^\d\d:\d\d$/);
  assert.equal(await userEntry(alice, 'dave').locator('.when').textContent(), '');
  // The connection is a small icon, its state in its tooltip; never "closed" in sight.
  assert.equal(await userEntry(alice, 'bob').locator('.link-state').getAttribute('title'), 'Connection: connected · direct');
  assert.equal(await userEntry(alice, 'dave').locator('.link-state').isVisible(), false, 'no connection, no icon');
  assert.equal(await userEntry(alice, 'bob').locator('.link-state').isVisible(), true);
  assert.doesNotMatch(await alice.locator('.users').innerText(), /closed/);

  // Each person has a colour and an initial, the same on every page.
  const avatar = (page, name) =>
    userEntry(page, name).locator('.avatar').evaluate((a) => [a.textContent, getComputedStyle(a).backgroundColor, getComputedStyle(a).textTransform]);
  const [initial, colour, transform] = await avatar(bob, 'alice');
  assert.deepEqual([initial, transform], ['a', 'uppercase']);
  assert.deepEqual(await avatar(carol, 'alice'), [initial, colour, transform]);
  const colours = new Set([colour, (await avatar(alice, 'bob'))[1], (await avatar(alice, 'carol'))[1], (await avatar(alice, 'dave'))[1]]);
  assert.ok(colours.size >= 2, `colours differ between people: ${[...colours]}`);
  await screenshot(alice, 'people-list-order');

  // A call with bob: "in a call" in the list, and online again once it ends.
  await userEntry(alice, 'bob').click();
  await alice.getByRole('button', { name: 'Voice call' }).click();
  await bob.getByRole('button', { name: 'Accept' }).click();
  await userEntry(alice, 'bob').locator('.presence', { hasText: /^in a call$/ }).waitFor();
  await userEntry(bob, 'alice').locator('.presence', { hasText: /^in a call$/ }).waitFor();
  await screenshot(alice, 'people-in-a-call');
  await alice.getByRole('button', { name: 'Hang up' }).click();
  await userEntry(alice, 'bob').locator('.presence', { hasText: /^online$/ }).waitFor();
  for (const page of [alice, bob, carol, dave]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('an entry is kept while what it shows changes: a click pressed before a line arrives and released after opens the conversation', async () => {
  const [alice, bob] = await joinRoom(stage, 'kept', 'alice', 'bob');
  await until(() => people(alice), ['bob: online'], 15_000);
  // A redrawn entry would be a new element, without this mark.
  const entry = userEntry(alice, 'bob');
  await entry.evaluate((element) => (element.dataset.mark = 'kept'));
  const box = await entry.boundingBox();
  await alice.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await alice.mouse.down();
  await say(bob, 'alice', 'while pressed');
  await until(() => people(alice), ['bob: online · while pressed'], 15_000);
  assert.equal(await entry.getAttribute('data-mark'), 'kept', 'the entry under the press is the one drawn before');
  assert.equal(await alice.evaluate(() => document.activeElement.dataset.name), 'bob', 'the focus stayed on it');
  await alice.mouse.up();
  await alice.locator('.conversation-head h2', { hasText: 'bob' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(await transcript(alice), ['bob: while pressed']);
  for (const page of [alice, bob]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('during a server outage the list stays and says why, and every page agrees once it is back', async () => {
  const [alice, bob, carol] = await joinRoom(stage, 'outage', 'alice', 'bob', 'carol');
  await say(alice, 'bob', 'before the outage');
  await expectTranscript(bob, 'alice', ['alice: before the outage']);
  await expectTranscript(alice, 'bob', ['alice: before the outage']);
  await until(() => presences(alice), ['bob: online', 'carol: online'], 15_000);
  // Whatever happens, alice's page never says "offline" above the conversation with bob.
  await alice.evaluate(() => {
    window.saidOffline = [];
    const check = () => {
      const head = document.querySelector('.conversation-head');
      if (head?.textContent.includes('offline')) window.saidOffline.push(head.textContent);
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const { port } = stage.server;
  await stage.server.stop('SIGKILL');
  for (const page of [alice, bob, carol]) {
    await page.locator('.status[data-server="reconnecting"] .status-text', { hasText: outage }).waitFor();
  }
  // The people stay listed: bob's conversation is up, carol cannot be reached for now.
  await until(() => presences(alice), ['bob: online', 'carol: unreachable for now'], 15_000);
  await until(() => presences(carol), ['alice: unreachable for now', 'bob: unreachable for now'], 15_000);
  await alice.locator('.conversation-head .presence', { hasText: 'online' }).waitFor();
  await say(alice, 'bob', 'during the outage');
  await expectTranscript(bob, 'alice', ['alice: before the outage', 'alice: during the outage']);
  await userEntry(alice, 'bob').click();
  await screenshot(alice, 'people-outage');
  await screenshot(carol, 'people-outage-carol');

  stage.server = await startServer({ port });
  for (const page of [alice, bob, carol]) {
    await page.locator('.status[data-server="online"]').waitFor({ timeout: 20_000 });
  }
  await until(() => presences(alice), ['bob: online', 'carol: online'], 20_000);
  await until(() => presences(bob), ['alice: online', 'carol: online'], 20_000);
  await until(() => presences(carol), ['alice: online', 'bob: online'], 20_000);
  await say(carol, 'alice', 'back with you');
  await expectTranscript(alice, 'carol', ['carol: back with you']);
  await screenshot(alice, 'people-after-outage');
  assert.deepEqual(await alice.evaluate(() => window.saidOffline), []);
  for (const page of [alice, bob, carol]) {
    assert.equal(await page.locator('.toast', { hasText: /exist/ }).count(), 0);
    assert.deepEqual(page.errors.filter((e) => !e.includes('WebSocket')), []);
    await page.context().close();
  }
});

test('a peer who left keeps a reachable conversation, with a line saying so and no raw server error', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'departure', { init: recordServerFrames });
  const carol = await joinAs(stage.browser, stage.server, 'carol', 'departure');
  await say(carol, 'alice', 'see you');
  await say(alice, 'carol', 'bye carol');
  await expectTranscript(carol, 'alice', ['carol: see you', 'alice: bye carol']);
  await carol.context().close();

  await userEntry(alice, 'carol').locator('.presence', { hasText: /^offline$/ }).waitFor();
  await alice.locator('.messages .notice', { hasText: /^carol left$/ }).waitFor();
  await alice.locator('.conversation-head .presence', { hasText: 'offline' }).waitFor();
  await alice.locator('.waiting-note', { hasText: 'carol is offline: messages will wait and go when they are back.' }).waitFor();
  const input = alice.getByLabel('Message');
  await input.fill('are you still there?');
  await input.press('Enter');
  await alice.locator('.message.outgoing[data-delivery="queued"]', { hasText: 'are you still there?' }).waitFor();

  // A relay to the name that left: the server says "User carol does not exist!"; the page
  // shows nothing of it (the list and the conversation already say carol is offline).
  await alice.evaluate(() =>
    window.socket.send(JSON.stringify({ type: 'offer', name: 'carol', offer: { type: 'offer', sdp: 'v=0' } })),
  );
  await alice.waitForFunction(() => window.serverFrames.some((frame) => frame.includes('does not exist')));
  // Someone joins after: once alice lists them, she would have shown the error too.
  const dave = await joinAs(stage.browser, stage.server, 'dave', 'departure');
  await userEntry(alice, 'dave').waitFor();
  await dave.context().close();
  assert.doesNotMatch(await alice.locator('body').innerText(), /does not exist/);
  await screenshot(alice, 'people-departed');

  // Kept on the device: after a reload carol is still listed, offline, with the whole conversation.
  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  await userEntry(alice, 'carol').locator('.presence', { hasText: /^offline$/ }).waitFor();
  await expectTranscript(alice, 'carol', ['carol: see you', 'alice: bye carol', 'alice: are you still there?']);
  await alice.locator('.messages .notice', { hasText: /^carol left$/ }).waitFor();
  assert.deepEqual(alice.errors, []);
  await alice.context().close();
});

test('someone who comes back gets a line saying so, once', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'return');
  const carol = await joinAs(stage.browser, stage.server, 'carol', 'return');
  await say(carol, 'alice', 'brb');
  await expectTranscript(alice, 'carol', ['carol: brb']);
  // carol closes the tab, and later opens natter again in the same browser (her identity
  // kept): the same person, back.
  await carol.close();
  await alice.locator('.messages .notice', { hasText: /^carol left$/ }).waitFor();
  const again = await carol.context().newPage();
  await again.goto(`${stage.server.url}?room=return`);
  await again.getByLabel('Your name').fill('carol');
  await again.getByRole('button', { name: 'Join' }).click();
  await alice.locator('.messages .notice', { hasText: /^carol is back$/ }).waitFor();
  await userEntry(alice, 'carol').locator('.presence', { hasText: /^online$/ }).waitFor();
  // Once the connection is up again, nothing more is said of it.
  await say(again, 'alice', 'here again');
  await alice.locator('.messages .message', { hasText: 'here again' }).waitFor();
  const notices = () => alice.locator('.messages .notice').allTextContents();
  assert.deepEqual((await notices()).map((text) => text.trim()), ['carol left', 'carol is back']);
  await screenshot(alice, 'people-back');
  assert.deepEqual(alice.errors, []);
  await alice.context().close();
  await again.context().close();
});

/** A page as a phone of 390 × 844 CSS pixels shows it, touch and all. */
async function openPhone(url) {
  const context = await stage.browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    permissions: ['camera', 'microphone'],
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  await page.goto(url);
  return page;
}

/** Every visible control smaller than 44 × 44 px, as `what width×height`. */
const smallTargets = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('button, summary, label.attach, input, textarea')]
      .filter((el) => el.getClientRects().length > 0 && el.type !== 'file' && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => [el, el.getBoundingClientRect()])
      .filter(([el, box]) => box.height < 44 || (!el.matches('input, textarea') && box.width < 44))
      .map(([el, box]) => `${el.tagName.toLowerCase()} "${el.textContent.trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`),
  );

/** The box of the first element matching `selector`. */
const box = (page, selector) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().toJSON());

test('on a 390 × 844 phone: one header row, the list fills the height, the composer keeps two thirds for text, 44 px targets', async () => {
  const phone = await openPhone(`${stage.server.url}`);
  await phone.getByText(pitch).waitFor();
  assert.deepEqual(await smallTargets(phone), []);
  await screenshot(phone, 'people-phone-first-screen');
  await phone.getByLabel('Your name').fill('alice');
  await phone.getByLabel('Or a room by its name').fill('pocket');
  await phone.getByRole('button', { name: 'Enter room' }).tap();
  await phone.getByText('Online as alice').waitFor();
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'pocket');
  await userEntry(phone, 'bob').waitFor();
  await say(bob, 'alice', 'hello, phone');
  await userEntry(phone, 'bob').locator('.preview', { hasText: 'hello, phone' }).waitFor();

  // One header row: every part of it side by side, the header no taller than a touch target and a bit.
  const header = await box(phone, '.topbar');
  const parts = await phone.locator('.topbar > *, .topbar .status > *').evaluateAll((els) =>
    els.filter((el) => el.getClientRects().length > 0).map((el) => el.getBoundingClientRect().toJSON()),
  );
  assert.ok(header.height <= 60, `header is ${header.height} px high`);
  for (const part of parts) assert.ok(part.top >= header.top && part.bottom <= header.bottom + 0.5, JSON.stringify(part));
  assert.ok(header.width <= 390);
  // The people panel fills the height below it.
  const list = await box(phone, '.users');
  assert.ok(Math.abs(list.top - header.bottom) <= 1, `list starts at ${list.top}`);
  assert.ok(list.bottom >= 843, `list ends at ${list.bottom}`);
  assert.ok(list.width >= 389, `list is ${list.width} px wide`);
  assert.deepEqual(await smallTargets(phone), []);
  assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'nothing sticks out sideways');
  await screenshot(phone, 'people-phone-list');

  // The conversation: the text field keeps two thirds of the width; icon buttons keep their names.
  await userEntry(phone, 'bob').tap();
  await phone.locator('.conversation-head h2', { hasText: 'bob' }).waitFor();
  const field = await box(phone, '.composer .message-input');
  assert.ok(field.width >= (390 * 2) / 3, `the text field is ${field.width} px wide`);
  for (const name of ['Send', 'Copy link', 'Back to the list']) {
    const button = phone.getByRole('button', { name, exact: true });
    await button.waitFor();
    const { width, height } = await button.boundingBox();
    assert.ok(width >= 44 && height >= 44, `${name}: ${width}×${height}`);
  }
  await phone.getByLabel('Attach files').waitFor({ state: 'attached' });
  assert.equal(await phone.locator('.settings summary').textContent(), 'Settings');
  assert.deepEqual(await smallTargets(phone), []);
  assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth), 390);
  await phone.getByLabel('Message').fill('from the phone');
  await phone.getByRole('button', { name: 'Send', exact: true }).tap();
  await expectTranscript(bob, 'alice', ['bob: hello, phone', 'alice: from the phone']);
  // Its header keeps one row: back, name, the calls as icons, the conversation's menu.
  await phone.getByRole('button', { name: 'Video call' }).waitFor();
  const head = await box(phone, '.conversation-head');
  for (const part of ['.back', '.conversation-head h2', '.call-start', '.conversation-menu summary']) {
    const { top, bottom } = await box(phone, part);
    assert.ok(top >= head.top && bottom <= head.top + 54, `${part} in the header's one row: ${top}–${bottom}`);
  }
  assert.deepEqual(await smallTargets(phone), []);
  await screenshot(phone, 'people-phone-conversation');
  await phone.getByRole('button', { name: 'Back to the list' }).tap();
  await userEntry(phone, 'bob').waitFor();
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
  await bob.context().close();
});
