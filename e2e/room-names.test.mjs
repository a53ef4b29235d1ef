// A private room's name (issue 25): a member names it from the room's menu, the others see
// it in the room's title and a line of its conversation, one who comes later learns it,
// and "Your rooms" keeps it after the tab is closed; a new private room from inside one.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { joinAs, screenshot, userEntry, useStage } from './harness.mjs';

const stage = useStage('chromium', 'firefox');

/** A new private room's id, as "Start a private room" makes them. */
const privateRoom = () => randomBytes(10).toString('hex');

/** Opens the room's conversation on `page`, under the title `title`, once listed so. */
async function openRoom(page, title) {
  await userEntry(page, title).click();
  await page.locator('.conversation.room .conversation-head h2', { hasText: title }).waitFor();
}

/** The room's menu on `page`, opened. */
async function openRoomMenu(page) {
  await page.locator('.conversation.room .conversation-menu summary').click();
  return page.locator('.conversation.room .conversation-menu .menu-panel');
}

/** The app's lines in the open conversation of `page`. */
const notes = (page) => page.locator('.messages .notice').allTextContents();

test('a member names a private room: the others see it, a late joiner in Firefox learns it, markup stays text, and Your rooms keeps it', async () => {
  const room = privateRoom();
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', room);
  const bob = await joinAs(stage.browsers.chromium, stage.server, 'bob', room);
  await openRoom(bob, `Everyone in ${room}`);

  // From the keyboard: the menu's button, its field, Enter.
  const summary = bob.locator('.conversation.room .conversation-menu summary');
  await summary.focus();
  await bob.keyboard.press('Enter');
  await bob.keyboard.press('Tab');
  assert.equal(await bob.evaluate(() => document.activeElement.id), 'room-naming');
  await bob.keyboard.type('  ');
  await bob.keyboard.press('Enter');
  await bob.locator('.toast', { hasText: 'Room must not be empty' }).waitFor();
  await bob.keyboard.type('  Book club ');
  await bob.keyboard.press('Enter');
  await bob.locator('.conversation-head h2', { hasText: 'Everyone in Book club' }).waitFor();
  assert.equal(await bob.getByLabel('Room name').inputValue(), '');
  await screenshot(bob, 'room-names-menu');
  // Escape closes the menu, the focus back on its button, the room still on screen.
  await bob.keyboard.press('Escape');
  assert.equal(await bob.locator('.conversation.room details.conversation-menu').getAttribute('open'), null);
  assert.equal(await summary.evaluate((element) => element === document.activeElement), true);
  await bob.locator('.conversation.room').waitFor();

  // alice, in the list, the title, the status bar and a line of the conversation.
  await openRoom(alice, 'Everyone in Book club');
  await alice.getByText('Online as alice in room “Book club”').waitFor();
  assert.deepEqual(await notes(alice), ['bob named the room “Book club”']);
  assert.deepEqual(await notes(bob), ['bob named the room “Book club”']);

  // carol comes later, in Firefox: the others tell her.
  const carol = await joinAs(stage.browsers.firefox, stage.server, 'carol', room);
  await openRoom(carol, 'Everyone in Book club');
  assert.deepEqual(await notes(carol), ['bob named the room “Book club”']);

  // Renamed with markup, by carol: shown as text everywhere.
  const markup = '<b>Readers</b> & <img src=x onerror=alert(1)>';
  await openRoomMenu(carol);
  await carol.getByLabel('Room name').fill(markup);
  await carol.getByRole('button', { name: 'Name the room' }).click();
  for (const page of [alice, bob, carol]) {
    await page.locator('.conversation-head h2', { hasText: `Everyone in ${markup}` }).waitFor();
    assert.equal(await page.locator('.conversation-head h2 :is(b, img)').count(), 0);
    await page.locator('.messages .notice', { hasText: `carol named the room “${markup}”` }).waitFor();
  }
  await screenshot(alice, 'room-names-renamed');

  // alice closes the tab and opens the app again without a link: the room by its name.
  const context = alice.context();
  await alice.close();
  const again = await context.newPage();
  await again.goto(stage.server.url);
  const entry = again.locator('.visited .visit').first();
  await entry.waitFor();
  assert.equal(await entry.locator('.visit-name').textContent(), markup);
  await screenshot(again, 'room-names-your-rooms');
  // One click back in: titled so at once, from what this device kept.
  await entry.click();
  await again.getByText(`Online as alice in room “${markup}”`).waitFor();
  await context.close();
  await bob.context().close();
  await carol.context().close();
});

test('a new private room from inside one: the same name there, and the room left stays in Your rooms', async () => {
  const room = privateRoom();
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', room);
  await openRoom(alice, `Everyone in ${room}`);
  const menu = await openRoomMenu(alice);
  await alice.getByLabel('Room name').fill('Garden');
  await alice.getByRole('button', { name: 'Name the room' }).click();
  await alice.locator('.conversation-head h2', { hasText: 'Everyone in Garden' }).waitFor();

  await menu.getByRole('button', { name: 'Start a new private room' }).click();
  await menu.getByRole('button', { name: 'Leave for a new private room?' }).click();
  await alice.waitForURL((url) => url.searchParams.get('room') !== room);
  await alice.getByText('Online as alice').waitFor();
  const fresh = new URL(alice.url()).searchParams.get('room');
  assert.match(fresh, /^[0-9a-f]{20}$/);
  await alice.getByText(`Online as alice in room “${fresh}”`).waitFor();

  await alice.getByRole('button', { name: 'Leave room' }).click();
  await alice.locator('.visited .visit').first().waitFor();
  const listed = await alice.locator('.visited .visit-name').allTextContents();
  assert.deepEqual(listed, [fresh, 'Garden']);
  await alice.context().close();
});
