// Usable by everyone (issue 15): axe-core finds no WCAG 2 A/AA violation on each screen, in
// light and dark; the keyboard alone does everything, the focus always where it should be;
// the layout holds at 320 px and at 200 % zoom.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  attach, expectTranscript, inState, joinAs, launchBrowser, openConversation, openPage, say, screenshot, sleep, transfer,
  userEntry,
  useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');
const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const bothSchemes = ['light', 'dark'];
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * axe-core's WCAG 2 A/AA violations on `page` in each of `schemes` (emulated; or, with one,
 * the browser's own), each as `rule: element: why`.
 */
async function auditIn(page, label, schemes = bothSchemes) {
  const found = {};
  for (const colorScheme of schemes) {
    if (schemes.length > 1) await page.emulateMedia({ colorScheme });
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource); // not a script tag: the strict CSP refuses inline scripts
    found[colorScheme] = await page.evaluate(async (tags) => {
      const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`));
    }, wcag);
    await screenshot(page, `a11y-${label}-${colorScheme}`);
    console.log(`axe ${label} (${colorScheme}): ${found[colorScheme].length} violations`, ...found[colorScheme].map((v) => `\n  ${v}`));
  }
  if (schemes.length > 1) await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** What has the focus: tag, classes, role, and its accessible-ish name, as one line. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('aria-label') ?? el.getAttribute('placeholder') ?? el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
    const role = el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : '';
    const data = el.hasAttribute('data-name') ? `[data-name=${el.getAttribute('data-name')}]` : '';
    return `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}${role}${data} "${name}"`;
  });
}

/** Waits until the focused element (see `focused`) matches `pattern`; fails with what has it. */
async function focusOn(page, pattern, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let seen;
  for (;;) {
    seen = await focused(page);
    if (pattern.test(seen)) break;
    if (Date.now() > deadline) assert.match(seen, pattern);
    await sleep(50);
  }
  // And it shows: a ring of 2 px at least, wherever it is drawn (the attach label draws
  // its hidden input's).
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    const drawn = el.matches('input[type=file]') ? el.closest('label') : el;
    const style = getComputedStyle(drawn);
    return { visible: el.matches(':focus-visible'), style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.ok(ring.visible && ring.style !== 'none' && ring.width >= 2, `${seen}: focus ring ${JSON.stringify(ring)}`);
  return seen;
}

/** Screenshots of `page` as it is, light then dark. */
async function shots(page, name) {
  for (const colorScheme of bothSchemes) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, `a11y-focus-${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const press = (page, key, times = 1) => (async () => {
  for (let i = 0; i < times; i += 1) await page.keyboard.press(key);
})();

// Firefox over WebDriver BiDi cannot emulate a colour scheme: a second Firefox runs dark.
const dark = { 'layout.css.prefers-color-scheme.content-override': 0 };
const runs = [
  { name: 'chromium', schemes: bothSchemes },
  { name: 'firefox', schemes: ['light'] },
  { name: 'firefox', schemes: ['dark'], prefs: dark },
];

for (const { name, schemes, prefs } of runs) {
  test(`axe finds no WCAG A/AA violation in ${name} (${schemes.join(', ')}): login, chat, file offer, incoming call, call`, async (t) => {
    const found = {};
    const browser = prefs ? await launchBrowser({ browser: name, prefs }) : stage.browsers[name];
    if (prefs) t.after(() => browser.close());
    const room = `axe-${name}-${schemes.join('-')}`;
    // Screenshots and messages say which browser.
    const audit = (page, label) => auditIn(page, `${name}-${label}`, schemes);
    const alice = await openPage(browser, `${stage.server.url}?room=${room}`);
    await alice.getByLabel('Your name').waitFor();
    found.login = await audit(alice, 'login');
    // The first screen without an invitation, after leaving a room: with "Your rooms".
    const lobby = await joinAs(browser, stage.server, 'carol', `${room}-rooms`);
    await lobby.getByRole('button', { name: 'Leave room' }).click();
    await lobby.locator('.visited .visit').waitFor();
    await lobby.getByRole('button', { name: 'Start a private room' }).waitFor();
    found['login-lobby'] = await audit(lobby, 'login-lobby');
    await lobby.context().close();
    // A private room's menu, open: its name field and the way to a new private room.
    const privateRoom = `0123456789abcdef456${runs.findIndex((run) => run.name === name && run.schemes === schemes)}`;
    const dave = await joinAs(browser, stage.server, 'dave', privateRoom);
    await userEntry(dave, `Everyone in ${privateRoom}`).click();
    await dave.locator('.conversation.room .conversation-menu summary').click();
    await dave.getByLabel('Room name').waitFor();
    found['room-menu'] = await audit(dave, 'room-menu');
    await dave.context().close();

    await alice.getByLabel('Your name').fill('alice');
    await alice.getByRole('button', { name: 'Join' }).click();
    await alice.getByText('Online as alice').waitFor();
    found['people-alone'] = await audit(alice, 'people-alone');
    const bob = await joinAs(browser, stage.server, 'bob', room);
    await say(bob, 'alice', 'hello alice, a link: https://example.org/page');
    await expectTranscript(alice, 'bob', ['bob: hello alice, a link: https://example.org/page']);
    await say(alice, 'bob', 'hi bob');
    await say(alice, 'bob', '🎉');
    await expectTranscript(bob, 'alice', ['bob: hello alice, a link: https://example.org/page', 'alice: hi bob', 'alice: 🎉']);
    await say(bob, 'alice', 'and a second line');
    await alice.locator('.messages .message', { hasText: 'and a second line' }).waitFor();
    await alice.locator('.message.outgoing[data-delivery="read"]').first().waitFor();
    found.chat = await audit(alice, 'chat');
    // A message's actions, open: the bar and its emoji, a reaction, a reply under way.
    const line = alice.locator('.messages .message', { hasText: 'and a second line' });
    await line.hover();
    await line.getByRole('button', { name: 'Reply to bob' }).click();
    await line.hover();
    await line.locator('.react summary').click();
    await line.getByRole('button', { name: 'React with 👍' }).click();
    await line.locator('.reaction').waitFor();
    await line.hover();
    await line.locator('.react summary').click();
    await line.getByRole('button', { name: 'React with ❤️' }).waitFor();
    found.actions = await audit(alice, 'actions');
    await line.locator('.react summary').click();
    await alice.getByRole('button', { name: 'Cancel the reply' }).click();
    await alice.getByRole('button', { name: 'Safety codes' }).click();
    found['safety-codes'] = await audit(alice, 'safety-codes');
    await alice.getByRole('button', { name: 'Safety codes' }).click();
    await userEntry(alice, `Everyone in ${room}`).click();
    await alice.locator('.conversation.room').waitFor();
    found.room = await audit(alice, 'room');

    // Reading: the unread line, new lines counted below, a missed call, the conversation's
    // menu asking before it clears.
    for (let i = 1; i <= 20; i += 1) await say(bob, 'alice', `line ${i}`);
    await userEntry(alice, 'bob').click();
    await alice.locator('.messages .unread-divider').waitFor();
    await alice.locator('.messages').evaluate((list) => new Promise((resolve) => {
      list.addEventListener('scroll', resolve, { once: true });
      list.scrollTop = 0;
    }));
    await say(bob, 'alice', 'one more line');
    await alice.locator('.messages .below button').waitFor();
    await bob.getByRole('button', { name: 'Voice call' }).click();
    await alice.locator('.call.incoming').waitFor();
    await bob.getByRole('button', { name: 'Cancel', exact: true }).click();
    await alice.locator('.messages .missed-call').waitFor();
    await alice.locator('.toast .avatar').waitFor();
    await alice.locator('.conversation-menu summary').click();
    await alice.getByRole('button', { name: 'Clear this conversation' }).click();
    await alice.getByRole('button', { name: 'Really clear this conversation?' }).waitFor();
    found.reading = await audit(alice, 'reading');
    await alice.locator('.conversation-menu summary').click();

    await attach(bob, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('some notes') });
    await inState(alice, 'notes.txt', 'offered');
    found['file-offer'] = await audit(alice, 'file-offer');
    found['file-waiting'] = await audit(bob, 'file-waiting');
    await transfer(alice, 'notes.txt').getByRole('button', { name: 'Accept' }).click();
    await inState(alice, 'notes.txt', 'done');
    found['file-done'] = await audit(alice, 'file-done');
    // A file to the room: the offer in alice's room, each person's part on bob's side.
    await openConversation(bob, `Everyone in ${room}`);
    await attach(bob, { name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('the agenda') });
    await openConversation(alice, `Everyone in ${room}`);
    await inState(alice, 'agenda.txt', 'offered');
    found['room-file-offer'] = await audit(alice, 'room-file-offer');
    await bob.locator('.transfer[data-peer="alice"][data-state="waiting"]').waitFor();
    found['room-file-waiting'] = await audit(bob, 'room-file-waiting');
    await openConversation(bob, 'alice');
    await openConversation(alice, 'bob');

    await bob.getByRole('button', { name: 'Video call' }).click();
    await alice.locator('.call.incoming').waitFor();
    found['incoming-call'] = await audit(alice, 'incoming-call');
    found['ringing'] = await audit(bob, 'ringing');
    await alice.getByRole('button', { name: 'Accept' }).click();
    await alice.locator('.call.active').waitFor();
    await bob.locator('.call.active').waitFor();
    await sleep(1500);
    found.call = await audit(alice, 'call');
    await alice.getByRole('button', { name: 'Camera off' }).click();
    await alice.getByRole('button', { name: 'Mute' }).click();
    found['call-muted'] = await audit(alice, 'call-muted');
    await alice.getByRole('button', { name: 'Minimise video' }).click();
    found['call-minimised'] = await audit(alice, 'call-minimised');
    await alice.getByRole('button', { name: 'Hang up' }).click();

    await alice.locator('.settings summary').click();
    found.settings = await audit(alice, 'settings');

    // On a phone: the list, then a conversation.
    await alice.setViewportSize({ width: 390, height: 844 });
    await alice.locator('.settings summary').click();
    await alice.getByRole('button', { name: 'Back to the list' }).click();
    found['phone-list'] = await audit(alice, 'phone-list');
    await userEntry(alice, 'bob').click();
    found['phone-conversation'] = await audit(alice, 'phone-conversation');

    const violations = Object.entries(found).flatMap(([screen, byScheme]) =>
      Object.entries(byScheme).flatMap(([scheme, list]) => list.map((v) => `${screen} (${scheme}) ${v}`)));
    assert.deepEqual(violations, []);
    for (const page of [alice, bob]) {
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });
}

test('the keyboard alone: log in, pick a person, send, accept a file, answer and end a call, leave', async () => {
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'keys');
  const alice = await openPage(stage.browser, `${stage.server.url}?room=keys`);
  // From here on, alice uses nothing but the keyboard.
  await focusOn(alice, /^input "?/);
  assert.equal(await alice.evaluate(() => document.activeElement.id), 'login-name');
  await shots(alice, 'login-name');

  // The settings menu: open, Tab goes round inside it, Escape closes it where it was.
  await press(alice, 'Shift+Tab');
  await focusOn(alice, /^summary "Settings"/);
  await press(alice, 'Enter');
  assert.equal(await alice.locator('details.settings').getAttribute('open'), '');
  const round = [];
  for (let i = 0; i < 4; i += 1) {
    await press(alice, 'Tab');
    round.push(await alice.evaluate(() => Boolean(document.activeElement.closest('details.settings'))));
  }
  assert.deepEqual(round, [true, true, true, true], 'Tab stays in the open menu');
  await shots(alice, 'settings-open');
  await press(alice, 'Escape');
  await focusOn(alice, /^summary "Settings"/);
  assert.equal(await alice.locator('details.settings').getAttribute('open'), null);
  await press(alice, 'Tab');
  await focusOn(alice, /^input/);

  // Logged in, the focus lands on the people list.
  await alice.keyboard.type('alice');
  await press(alice, 'Enter');
  await alice.getByText('Online as alice').waitFor();
  await focusOn(alice, /^button\.user.*\[data-name=\] "#?Everyone in keys/);
  await userEntry(alice, 'bob').waitFor();
  await shots(alice, 'people-list');
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.user.*\[data-name=bob\]/);
  // Picking a person takes the focus to the composer.
  await press(alice, 'Enter');
  await focusOn(alice, /^textarea\.message-input "Message"/);
  assert.equal(await alice.evaluate(() => document.activeElement.placeholder), 'Message bob');
  await alice.keyboard.type('hello bob, typed');
  await press(alice, 'Enter');
  await expectTranscript(bob, 'alice', ['alice: hello bob, typed']);
  await shots(alice, 'composer');
  await say(bob, 'alice', 'hello alice');
  await alice.locator('.messages .message', { hasText: 'hello alice' }).waitFor();

  // The message list is reachable and named; above it, the safety codes, which Escape closes.
  await press(alice, 'Shift+Tab', 2);
  await focusOn(alice, /^ol\.messages "Conversation history"/);
  await shots(alice, 'message-list');
  await press(alice, 'Shift+Tab');
  await focusOn(alice, /^button\.ghost "Safety codes"/);
  await press(alice, 'Enter');
  await alice.locator('.identity').waitFor();
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.primary "Mark as verified"/);
  await press(alice, 'Escape');
  await focusOn(alice, /^button\.ghost "Safety codes"/);
  assert.equal(await alice.locator('.identity').count(), 0);
  assert.equal(await alice.locator('.conversation-head h2').textContent(), 'bob', 'Escape closed the codes only');

  // The conversation's menu: clearing asks first; Escape closes the menu, the focus back on
  // its button, and nothing is cleared.
  await press(alice, 'Shift+Tab');
  await focusOn(alice, /^summary "Conversation options"/);
  await press(alice, 'Enter');
  assert.equal(await alice.locator('details.conversation-menu').getAttribute('open'), '');
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.danger "Clear this conversation"/);
  await press(alice, 'Enter');
  await focusOn(alice, /^button\.danger "Really clear this conversation\?"/);
  await shots(alice, 'conversation-menu');
  await press(alice, 'Tab');
  await focusOn(alice, /^summary "Conversation options"/);
  await press(alice, 'Shift+Tab');
  await focusOn(alice, /^button\.danger "Clear this conversation"/);
  await press(alice, 'Escape');
  await focusOn(alice, /^summary "Conversation options"/);
  assert.equal(await alice.locator('details.conversation-menu').getAttribute('open'), null);
  assert.equal(await alice.locator('.messages .message').count(), 2, 'nothing cleared');
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.ghost "Safety codes"/);

  // A file: Tab to its Accept button (the list, then the first control in it); the focus
  // stays with the file as its buttons change.
  await attach(bob, { name: 'keys.txt', mimeType: 'text/plain', buffer: Buffer.from('typed, not clicked') });
  await inState(alice, 'keys.txt', 'offered');
  await press(alice, 'Tab');
  await focusOn(alice, /^ol\.messages/);
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.primary "Accept keys\.txt"/);
  await shots(alice, 'file-offer');
  await press(alice, 'Enter');
  await inState(alice, 'keys.txt', 'done');
  const onFile = await focusOn(alice, /^(button|a)\.[^"]*"(Remove|Download|Cancel) keys\.txt"/);
  await shots(alice, 'file-done');

  // A call: the question takes the focus, Tab stays in it; answered, the focus is on the
  // call's buttons; ended, it goes back where it was.
  await bob.getByRole('button', { name: 'Voice call' }).click();
  await focusOn(alice, /^section\.call\.incoming\[role=alertdialog\] "Incoming call"/);
  await shots(alice, 'incoming-call');
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.primary "Accept"/);
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.danger "Decline"/);
  await press(alice, 'Tab');
  await focusOn(alice, /^button\.primary "Accept"/);
  await press(alice, 'Enter');
  await focusOn(alice, /^button "Mute"/);
  await bob.locator('.call.active').waitFor();
  await shots(alice, 'call');
  await press(alice, 'Tab', 4);
  await focusOn(alice, /^button\.danger "Hang up"/);
  await shots(alice, 'hang-up');
  await press(alice, 'Enter');
  await alice.locator('.call').waitFor({ state: 'detached' });
  assert.equal(await focusOn(alice, /./), onFile, 'back where it was before the call');

  // Declined with Escape.
  await bob.getByRole('button', { name: 'Voice call' }).click();
  await focusOn(alice, /^section\.call\.incoming/);
  await press(alice, 'Escape');
  await alice.locator('.call').waitFor({ state: 'detached' });
  await bob.locator('.call').waitFor({ state: 'detached' });
  assert.equal(await focusOn(alice, /./), onFile);

  // Escape leaves the conversation for the list, on bob's entry.
  await press(alice, 'Escape');
  await alice.getByText('Pick someone on the left to start talking.').waitFor();
  await focusOn(alice, /^button\.user.*\[data-name=bob\]/);
  await shots(alice, 'back-to-list');

  // Calling: back in the conversation, Shift+Tab up to Voice call; ringing, the focus is on
  // Cancel, Escape cancels, and the focus goes to the composer (Voice call is drawn anew).
  await press(alice, 'Enter');
  await focusOn(alice, /^textarea\.message-input/);
  for (let i = 0; i < 15 && !/"Voice call"/.test(await focused(alice)); i += 1) await press(alice, 'Shift+Tab');
  await focusOn(alice, /^button "Voice call"/);
  await press(alice, 'Enter');
  await focusOn(alice, /^button\.danger "Cancel"/);
  await bob.locator('.call.incoming').waitFor();
  await shots(alice, 'ringing');
  await press(alice, 'Escape');
  await alice.locator('.call').waitFor({ state: 'detached' });
  await focusOn(alice, /^textarea\.message-input/);
  for (const page of [alice, bob]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('the layout holds at 320 px wide and at 200 % zoom, and motion stops when asked', async () => {
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'narrow');
  const alice = await openPage(stage.browser, `${stage.server.url}?room=narrow`);
  await alice.emulateMedia({ reducedMotion: 'reduce' });
  const overflow = () => alice.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  // 200 % zoom of a 1280 × 800 window: 640 × 400 CSS pixels.
  for (const [width, height] of [[320, 640], [640, 400]]) {
    await alice.setViewportSize({ width, height });
    await alice.getByLabel('Your name').waitFor();
    assert.equal(await overflow(), 0, `login at ${width} px`);
  }
  await alice.getByLabel('Your name').fill('alice');
  await alice.getByRole('button', { name: 'Join' }).click();
  await alice.getByText('Online as alice').waitFor();
  await say(bob, 'alice', 'a rather long message to see that it wraps and never pushes the page wider than the screen');
  for (const [width, height] of [[320, 640], [640, 400]]) {
    await alice.setViewportSize({ width, height });
    await userEntry(alice, 'bob').click();
    await alice.locator('.messages .message').first().waitFor();
    assert.equal(await overflow(), 0, `conversation at ${width} px`);
    await screenshot(alice, `a11y-conversation-${width}px`);
    await alice.getByRole('button', { name: 'Back to the list' }).click();
    assert.equal(await overflow(), 0, `list at ${width} px`);
  }
  const moving = await alice.evaluate(() =>
    [...document.querySelectorAll('*')].filter((el) => {
      const style = getComputedStyle(el);
      return parseFloat(style.transitionDuration) > 0 || (style.animationName !== 'none' && parseFloat(style.animationDuration) > 0);
    }).length,
  );
  assert.equal(moving, 0, 'no transition or animation with reduced motion');
  for (const page of [alice, bob]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

/** An `init` script: keeps what the page's live region for screen readers is given, in order. */
function recordAnnouncements() {
  window.heardNodes = [];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && node.parentElement?.classList.contains('announcer')) window.heardNodes.push(node);
      }
    }
  }).observe(document, { childList: true, subtree: true });
}
const heard = (page) => page.evaluate(() => window.heardNodes.map((node) => node.textContent));

/** Polls until `page` has said `line`; fails with all it said. */
async function hears(page, line, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const said = await heard(page);
    if (said.includes(line)) return said;
    if (Date.now() > deadline) assert.fail(`never said ${JSON.stringify(line)}; said ${JSON.stringify(said)}`);
    await sleep(100);
  }
}

test('a screen reader hears new messages (not the history), the call, and files at milestones', async () => {
  const options = { init: recordAnnouncements };
  const [alice, bob] = [
    await joinAs(stage.browser, stage.server, 'alice', 'heard', options),
    await joinAs(stage.browser, stage.server, 'bob', 'heard', options),
  ];
  await say(bob, 'alice', 'one');
  await say(bob, 'alice', 'two');
  await hears(alice, 'bob: two');
  // Heard whichever conversation is open, and ours are never said back to us.
  await say(alice, 'bob', 'three');
  await hears(bob, 'alice: three');
  assert.deepEqual(await heard(alice), ['bob: one', 'bob: two']);

  // A reload loads the history: nothing of it is said again (written before the page,
  // give or take two seconds of clock skew); what comes next is.
  await sleep(2500);
  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  await expectTranscript(alice, 'bob', ['bob: one', 'bob: two', 'alice: three']);
  await sleep(1000);
  await say(bob, 'alice', 'four');
  await hears(alice, 'bob: four');
  assert.deepEqual(await heard(alice), ['bob: four']);

  // Files: the offer, then each phase (quarters between, as fast as they come).
  await attach(bob, { name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(4 << 20, 7) });
  await hears(alice, 'bob offers a file: big.bin');
  await transfer(alice, 'big.bin').getByRole('button', { name: 'Accept' }).click();
  await hears(alice, 'big.bin received');
  await hears(bob, 'big.bin sent');
  const percents = (await heard(alice)).filter((line) => /%$/.test(line));
  assert.ok(percents.every((line) => /^big\.bin: (25|50|75)%$/.test(line)), `milestones only: ${percents}`);

  // The call: its start and its end.
  await bob.getByRole('button', { name: 'Voice call' }).click();
  await alice.getByRole('button', { name: 'Accept' }).click();
  await hears(alice, 'Call with bob started');
  await hears(bob, 'Call with alice started');
  await bob.getByRole('button', { name: 'Hang up' }).click();
  await hears(alice, 'Call with bob ended');
  console.log('alice heard:', JSON.stringify(await heard(alice)));
  for (const page of [alice, bob]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
