// Rooms people come back to (issue 25): the first screen lists the rooms this browser has
// been in, the newest first, and one click goes back in under the name used there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTranscript, joinAs, say, screenshot, userEntry, useStage } from './harness.mjs';

const stage = useStage();

/** Logs `page` (of a browser that may have been here before) into `room` as `name`. */
async function logIn(page, room, name) {
  await page.goto(`${stage.server.url}?room=${encodeURIComponent(room)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText(`Online as ${name}`).waitFor();
}

/** The first screen's rooms, each as `name | as … | last line`. */
const listed = (page) =>
  page.locator('.visited .visit').evaluateAll((entries) =>
    entries.map((entry) => ['.visit-name', '.as', '.preview'].map((s) => entry.querySelector(s).textContent).join(' | ')),
  );

test('the rooms this browser was in are listed after the tab is closed, the newest first, and one click goes back in', async () => {
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'Book Club');
  const first = await joinAs(stage.browser, stage.server, 'alice', 'garden');
  const context = first.context();
  const page = await context.newPage();
  await first.close();
  await logIn(page, 'book club', 'alice');
  await say(bob, 'Everyone in Book Club', 'chapter one tonight');
  await expectTranscript(page, 'Everyone in Book Club', ['bob: chapter one tonight']);

  // Closed, and opened again later without a link: both rooms, the one last used on top.
  await page.close();
  const again = await context.newPage();
  again.errors = [];
  again.on('pageerror', (error) => again.errors.push(String(error)));
  await again.goto(stage.server.url);
  await again.locator('.visited .visit').first().waitFor();
  assert.deepEqual(await listed(again), ['Book Club | as alice | bob: chapter one tonight', 'garden | as alice | ']);
  await screenshot(again, 'rooms-first-screen');

  // Taken off the list: gone, and still gone on the next visit.
  await again.getByRole('button', { name: 'Remove garden from your rooms' }).click();
  assert.deepEqual(await listed(again), ['Book Club | as alice | bob: chapter one tonight']);
  await again.reload();
  await again.locator('.visited .visit').first().waitFor();
  assert.deepEqual(await listed(again), ['Book Club | as alice | bob: chapter one tonight']);

  // One click: back in under the same name, the room's history there.
  await again.locator('.visited .visit').first().click();
  await again.getByText('Online as alice').waitFor();
  await expectTranscript(again, 'Everyone in Book Club', ['bob: chapter one tonight']);
  assert.match(again.url(), /[?#]room=book(%20|\+| )club$/i);
  assert.deepEqual(again.errors, []);
  await context.close();
  await bob.context().close();
});

test('leaving a room: the others see it, the first screen lists it, and another room is one click away', async () => {
  const [alice, bob] = [
    await joinAs(stage.browser, stage.server, 'alice', 'hall'),
    await joinAs(stage.browser, stage.server, 'bob', 'hall'),
  ];
  await say(alice, 'bob', 'off to the kitchen');
  await expectTranscript(bob, 'alice', ['alice: off to the kitchen']);
  await alice.getByRole('button', { name: 'Leave room' }).click();
  await alice.getByLabel('Your name').waitFor();
  assert.doesNotMatch(alice.url(), /room=/);
  await bob.locator('.messages .notice', { hasText: /^alice left$/ }).waitFor();
  assert.deepEqual(await listed(alice), ['hall | as alice | You: off to the kitchen']);
  await screenshot(alice, 'rooms-after-leaving');

  // Another room, then back to the first with one click: its history is there.
  await logIn(alice, 'kitchen', 'alice');
  await alice.getByRole('button', { name: 'Leave room' }).click();
  await alice.locator('.visited .visit', { hasText: 'hall' }).click();
  await alice.getByText('Online as alice in room “hall”').waitFor();
  await expectTranscript(alice, 'bob', ['alice: off to the kitchen']);
  assert.deepEqual(alice.errors, []);
  await alice.context().close();
  await bob.context().close();
});

test('a login the server still holds is taken back with the one click, not refused', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'porch');
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'porch');
  await say(bob, 'alice', 'still there?');
  await expectTranscript(alice, 'bob', ['bob: still there?']);

  // The same browser, a new tab without a link: the room is listed, and its login is
  // still held (by the first tab here; a page gone without closing its socket is alike).
  const again = await alice.context().newPage();
  again.errors = [];
  again.on('pageerror', (error) => again.errors.push(String(error)));
  await again.goto(stage.server.url);
  await again.locator('.visited .visit', { hasText: 'porch' }).click();
  await again.getByText('Online as alice in room “porch”').waitFor();
  await alice.getByText('natter is open in another tab or window under this name').waitFor();

  // bob sees one alice, and what he writes reaches the tab in use.
  await bob.locator('.users .user', { hasText: 'alice' }).waitFor();
  assert.equal(await userEntry(bob, 'alice').count(), 1);
  await say(bob, 'alice', 'there you are');
  await expectTranscript(again, 'bob', ['bob: still there?', 'bob: there you are']);
  assert.deepEqual(again.errors, []);
  await alice.context().close();
  await bob.context().close();
});
