// One person, two tabs (issue 21): a second tab under one's own name offers "Use here" and
// takes the login over with the token the first shared; the first says natter is open
// elsewhere and stops. A stranger still cannot take the name. And names that only look
// alike, and rooms in another spelling, as a person meets them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTranscript, joinAs, say, screenshot, userEntry, useStage } from './harness.mjs';

const stage = useStage();
const elsewhere = 'natter is open in another tab or window under this name';

/** Opens a tab in `context` at the room's address and tries to log in as `name`. */
async function tryLogin(context, name, room) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && page.errors.push(message.text()));
  await page.goto(`${stage.server.url}?room=${encodeURIComponent(room)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  return page;
}

test('a second tab under my name takes over with "Use here"; a stranger cannot', async () => {
  const room = 'two-tabs';
  const first = await joinAs(stage.browser, stage.server, 'alice', room);
  const bob = await joinAs(stage.browser, stage.server, 'bob', room);
  await say(bob, 'alice', 'before');
  await expectTranscript(first, 'bob', ['bob: before']);

  // The second tab shares the first's storage: same browser, same person.
  const second = await tryLogin(first.context(), 'alice', room);
  await second.getByText(elsewhere).waitFor();
  const useHere = second.getByRole('button', { name: 'Use here' });
  await useHere.waitFor();
  await screenshot(second, 'tabs-use-here');
  // Nothing changed for anyone yet.
  await first.getByText('Online as alice').waitFor();

  await useHere.click();
  await second.getByText('Online as alice').waitFor();
  await first.getByText(elsewhere).waitFor();
  await first.getByRole('button', { name: 'Use here' }).waitFor();
  await screenshot(first, 'tabs-replaced');
  // bob still sees one alice, and what he writes reaches the tab in use.
  await bob.locator('.users .user', { hasText: 'alice' }).waitFor();
  assert.equal(await userEntry(bob, 'alice').count(), 1);
  await say(bob, 'alice', 'after');
  await expectTranscript(second, 'bob', ['bob: before', 'bob: after']);
  assert.equal(await first.locator('.chat').count(), 0, 'the first tab stopped');

  // A stranger (another browser profile) only hears that the name is taken.
  const stranger = await tryLogin(await stage.browser.newContext(), 'alice', room);
  await stranger.getByText('Username is unavailable').waitFor();
  assert.equal(await stranger.getByRole('button', { name: 'Use here' }).isVisible(), false);

  // The first tab takes it back the same way.
  await first.getByRole('button', { name: 'Use here' }).click();
  await first.getByText('Online as alice').waitFor();
  await second.getByText(elsewhere).waitFor();
  for (const [who, page] of Object.entries({ first, second, bob })) assert.deepEqual(page.errors, [], who);
});

test('a look-alike name is refused in words; a room in another spelling is the same room', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'Alice', 'Book Club');
  const impostor = await tryLogin(await stage.browser.newContext(), '\u0410lice', 'Book Club');
  await impostor.getByText('Username is unavailable: it looks like “Alice”, a name already in use here').waitFor();
  assert.equal(await impostor.getByRole('button', { name: 'Use here' }).isVisible(), false);
  // "book  club" is Book Club: bob finds alice there, and the page says the room's name.
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'book club');
  await userEntry(bob, 'Alice').waitFor();
  await bob.getByText('Online as bob in room “Book Club”').waitFor();
  await say(bob, 'Alice', 'same room');
  await expectTranscript(alice, 'bob', ['bob: same room']);
});
