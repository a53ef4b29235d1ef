// Actions on a message (issue 26): copy its text, reply with the quote above (a click on
// the quote shows the original), react with a few emoji counted with who chose them, in
// one-to-one conversations and in the room, across a reload, from the pointer and the
// keyboard; a classic client gets a reply as a quoted plain line, once, and no reaction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectTranscript, joinAs, openClassicPeer, openConversation, say, screenshot, until, useStage,
} from './harness.mjs';

const stage = useStage();
const clipboard = { grant: ['clipboard-read', 'clipboard-write'] };

/** The message of the open conversation whose own words are `text`. */
const message = (page, text) => {
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.messages .message').filter({ has: page.locator('.text', { hasText: exactly }) });
};

/** Clicks the action `name` of the message `text`, as the pointer does: hover, then click. */
async function act(page, text, name) {
  const item = message(page, text);
  await item.hover();
  await item.getByRole('button', { name }).click();
}

/** Reacts with `emoji` to the message `text`, from its action bar. */
async function react(page, text, emoji) {
  const item = message(page, text);
  await item.hover();
  await item.locator('summary', { hasText: 'React' }).click();
  await item.getByRole('button', { name: `React with ${emoji}` }).click();
}

/** The reactions under the message `text`, as their accessible names and tooltips. */
const reactions = (page, text) =>
  message(page, text).locator('.reaction').evaluateAll((chips) =>
    chips.map((chip) => `${chip.getAttribute('aria-label')} [${chip.title}] ${chip.getAttribute('aria-pressed')}`));

const expectReactions = (page, text, expected) => until(() => reactions(page, text), expected, 10_000, `reactions to ${text}`);

/** Replies `words` to the message `text` from its Reply button, then Enter. */
async function reply(page, text, from, words) {
  await act(page, text, `Reply to ${from}`);
  await page.locator('.replying', { hasText: `Replying to ${from}` }).waitFor();
  const input = page.getByLabel('Message');
  await input.fill(words);
  await input.press('Enter');
}

/** The quote above the message `text` shows `quote`; a click on it shows the original. */
async function expectQuoteLeadsTo(page, text, quote) {
  const button = message(page, text).locator('.quote');
  await button.waitFor();
  assert.equal(await button.textContent(), quote);
  await button.click();
  const original = await message(page, quote).getAttribute('data-id');
  await until(() => page.evaluate(() => document.activeElement?.dataset.id), original, 5_000, 'the focus');
  assert.ok(await message(page, quote).evaluate((item) => item.classList.contains('shown')));
}

test('one to one: copy, reply with the quote and its jump, reactions with names both sides, toggled, across a reload', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'acts', clipboard);
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'acts', clipboard);
  await say(bob, 'alice', 'lunch at noon?');
  await expectTranscript(alice, 'bob', ['bob: lunch at noon?']);

  await act(alice, 'lunch at noon?', "Copy bob's words");
  await alice.getByText('Message copied').waitFor();
  assert.equal(await alice.evaluate(() => navigator.clipboard.readText()), 'lunch at noon?');

  await reply(alice, 'lunch at noon?', 'bob', 'yes, see you there');
  await expectTranscript(bob, 'alice', ['bob: lunch at noon?', 'alice: yes, see you there']);
  await expectTranscript(alice, 'bob', ['bob: lunch at noon?', 'alice: yes, see you there']);
  assert.equal(await alice.locator('.replying').count(), 0, 'the reply is sent: nothing pending');
  await expectQuoteLeadsTo(bob, 'yes, see you there', 'lunch at noon?');
  await expectQuoteLeadsTo(alice, 'yes, see you there', 'lunch at noon?');

  await react(alice, 'lunch at noon?', '👍');
  await expectReactions(bob, 'lunch at noon?', ['👍 1: alice [alice] false']);
  await react(bob, 'lunch at noon?', '👍');
  await react(bob, 'yes, see you there', '❤️');
  const both = ['👍 2: alice, bob [alice, bob] true'];
  await expectReactions(bob, 'lunch at noon?', both);
  await expectReactions(alice, 'lunch at noon?', ['👍 2: alice, bob [alice, bob] true']);
  await expectReactions(alice, 'yes, see you there', ['❤️ 1: bob [bob] false']);
  await screenshot(alice, 'actions-one-to-one');
  await alice.emulateMedia({ colorScheme: 'dark' });
  await message(alice, 'lunch at noon?').hover();
  await screenshot(alice, 'actions-one-to-one-dark');
  await alice.emulateMedia({ colorScheme: 'light' });

  // A press on one's own reaction takes it back, on both sides.
  await message(alice, 'lunch at noon?').getByRole('button', { name: '👍 2: alice, bob' }).click();
  await expectReactions(alice, 'lunch at noon?', ['👍 1: bob [bob] false']);
  await expectReactions(bob, 'lunch at noon?', ['👍 1: bob [bob] true']);

  for (const [page, name] of [[alice, 'alice'], [bob, 'bob']]) {
    await page.reload();
    await page.getByText(`Online as ${name}`).waitFor();
  }
  await expectTranscript(alice, 'bob', ['bob: lunch at noon?', 'alice: yes, see you there']);
  await expectReactions(alice, 'lunch at noon?', ['👍 1: bob [bob] false']);
  await expectReactions(alice, 'yes, see you there', ['❤️ 1: bob [bob] false']);
  await expectQuoteLeadsTo(alice, 'yes, see you there', 'lunch at noon?');
  await expectTranscript(bob, 'alice', ['bob: lunch at noon?', 'alice: yes, see you there']);
  await expectReactions(bob, 'lunch at noon?', ['👍 1: bob [bob] true']);
  for (const page of [alice, bob]) assert.deepEqual(page.errors, []);
  for (const page of [alice, bob]) await page.context().close();
});

test('in the room: a reply quoted for everyone, reactions counted with names and toggled', async () => {
  const pages = [];
  for (const name of ['alice', 'bob', 'carol']) pages.push(await joinAs(stage.browser, stage.server, name, 'actsroom', clipboard));
  const [a, b, c] = pages;
  const room = 'Everyone in actsroom';
  await say(b, room, 'who brings cake');
  for (const page of pages) await expectTranscript(page, room, ['bob: who brings cake']);
  await reply(a, 'who brings cake', 'bob', 'I do');
  for (const page of pages) await expectTranscript(page, room, ['bob: who brings cake', 'alice: I do']);
  await expectQuoteLeadsTo(c, 'I do', 'who brings cake');

  await react(a, 'who brings cake', '😂');
  await expectReactions(c, 'who brings cake', ['😂 1: alice [alice] false']);
  await react(c, 'who brings cake', '😂');
  await react(c, 'I do', '🙏');
  await expectReactions(b, 'who brings cake', ['😂 2: alice, carol [alice, carol] false']);
  await expectReactions(a, 'who brings cake', ['😂 2: alice, carol [alice, carol] true']);
  await expectReactions(b, 'I do', ['🙏 1: carol [carol] false']);
  await screenshot(b, 'actions-room');
  await b.setViewportSize({ width: 390, height: 844 });
  // On a phone the room's head puts who is here under its name, the menu beside both.
  const box = (selector) => b.locator(`.conversation-head ${selector}`).boundingBox();
  const [title, about, menu] = [await box('h2'), await box('.room-about'), await box('.conversation-menu')];
  assert.ok(about.y >= title.y + title.height && about.x === title.x, 'who is here, under the name');
  assert.ok(menu.y < about.y && menu.x >= title.x + title.width, 'the menu beside them');
  assert.equal(await b.locator('.room-about').evaluate((e) => getComputedStyle(e, '::before').content), 'none');
  await screenshot(b, 'actions-room-phone');

  await message(c, 'who brings cake').getByRole('button', { name: /^😂 2/ }).click();
  for (const page of [a, b]) await expectReactions(page, 'who brings cake', [`😂 1: alice [alice] ${page === a}`]);
  await a.reload();
  await a.getByText('Online as alice').waitFor();
  await openConversation(a, room);
  await expectReactions(a, 'who brings cake', ['😂 1: alice [alice] true']);
  await expectReactions(a, 'I do', ['🙏 1: carol [carol] false']);
  await expectQuoteLeadsTo(a, 'I do', 'who brings cake');
  for (const page of pages) assert.deepEqual(page.errors, []);
  for (const page of pages) await page.context().close();
});

test('a classic client gets a reply as one quoted plain line and nothing for a reaction', async () => {
  const old = await openClassicPeer(stage.browser, `ws://127.0.0.1:${stage.server.port}/ws`, 'old');
  const alice = await joinAs(stage.browser, stage.server, 'alice', '');
  // The classic page opens the conversation, as the original client does.
  await old.waitForFunction(() => window.classic.state.users.some((u) => u.userName === 'alice'));
  await old.evaluate(() => window.classic.connect('alice'));
  await old.waitForFunction(() => window.classic.state.channelOpen);
  await old.evaluate(() => window.classic.say('from the old days'));
  await expectTranscript(alice, 'old', ['old: from the old days']);
  await react(alice, 'from the old days', '🙏');
  await expectReactions(alice, 'from the old days', ['🙏 1: alice [alice] true']);
  await reply(alice, 'from the old days', 'old', 'still here');
  await say(alice, 'old', 'and after');
  await old.waitForFunction(() => window.classic.state.received.length >= 2);
  // The line after the reaction and the reply is there: anything sent for them came before it.
  const received = await old.evaluate(() => window.classic.state.received.map((m) => m.message ?? JSON.stringify(m)));
  assert.deepEqual(received, ['> from the old days\nstill here', 'and after']);
  await expectTranscript(alice, 'old', ['old: from the old days', 'alice: still here', 'alice: and after']);
  assert.deepEqual(alice.errors, []);
  await alice.context().close();
  await old.context().close();
});

test('the keyboard: Up and Down in the history reach a message, Tab its actions; reply, react and copy with Enter', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'keys', clipboard);
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'keys', clipboard);
  await say(bob, 'alice', 'by keyboard');
  await expectTranscript(alice, 'bob', ['bob: by keyboard']);
  const focused = () => alice.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent);
  // Up from the list reaches the newest message; its actions are the next Tab stops.
  await alice.locator('.messages').focus();
  await alice.keyboard.press('ArrowUp');
  assert.equal(await alice.evaluate(() => document.activeElement.dataset.id), await message(alice, 'by keyboard').getAttribute('data-id'));
  await alice.keyboard.press('Tab');
  assert.equal(await focused(), "Reply to bob");
  // Focused, the bar shows.
  assert.equal(await message(alice, 'by keyboard').locator('.actions').evaluate((bar) => getComputedStyle(bar).opacity), '1');
  await alice.keyboard.press('Enter');
  assert.equal(await focused(), 'Message');
  await alice.keyboard.type('typed reply');
  await alice.keyboard.press('Enter');
  await expectTranscript(bob, 'alice', ['bob: by keyboard', 'alice: typed reply']);
  await expectQuoteLeadsTo(bob, 'typed reply', 'by keyboard');

  await alice.locator('.messages').focus();
  await alice.keyboard.press('ArrowUp');
  await alice.keyboard.press('ArrowUp');
  await alice.keyboard.press('Tab');
  await alice.keyboard.press('Tab');
  assert.equal(await focused(), "React to bob");
  await alice.keyboard.press('Enter');
  await alice.keyboard.press('Tab');
  assert.equal(await focused(), 'React with 👍');
  await alice.keyboard.press('Tab');
  await alice.keyboard.press('Enter');
  await expectReactions(bob, 'by keyboard', ['❤️ 1: alice [alice] false']);
  await expectReactions(alice, 'by keyboard', ['❤️ 1: alice [alice] true']);
  await screenshot(alice, 'actions-keyboard');
  for (let i = 0; i < 6 && (await focused()) !== "Copy bob's words"; i += 1) await alice.keyboard.press('Tab');
  assert.equal(await focused(), "Copy bob's words");
  await alice.keyboard.press('Enter');
  await alice.getByText('Message copied').waitFor();
  assert.equal(await alice.evaluate(() => navigator.clipboard.readText()), 'by keyboard');
  for (const page of [alice, bob]) assert.deepEqual(page.errors, []);
  for (const page of [alice, bob]) await page.context().close();
});
