// A browser without an API a feature needs gets a clear word, or no such feature, never a
// silent failure (issue 22): each API taken away from a Chromium page before the app starts,
// as browsers lack them (WebKitGTK has WebRTC compiled out, phones cannot share a screen,
// some private windows have no IndexedDB).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTranscript, joinAs, openPage, say, screenshot, userEntry, useStage } from './harness.mjs';

const stage = useStage();

test('without WebRTC the first screen says natter cannot work in this browser, and why', async () => {
  const page = await openPage(stage.browser, `${stage.server.url}?room=nowebrtc`, {
    init: () => delete window.RTCPeerConnection,
  });
  const why = page.getByRole('alert').filter({ hasText: 'natter cannot work in this browser' });
  await why.waitFor();
  assert.match(await why.textContent(), /it has no WebRTC/);
  // Nothing to fill in that could not work; no other complaint beside it.
  assert.equal(await page.getByLabel('Your name').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Join' }).isVisible(), false);
  assert.equal(await page.locator('.toast').count(), 0);
  await screenshot(page, 'support-no-webrtc');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('without getDisplayMedia a call offers no "Share screen"; the rest of the call works', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'noscreen', {
    init: () => delete MediaDevices.prototype.getDisplayMedia,
  });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'noscreen');
  await say(alice, 'bob', 'call?');
  await expectTranscript(bob, 'alice', ['alice: call?']);
  await alice.getByRole('button', { name: 'Video call' }).click();
  await bob.getByRole('button', { name: 'Accept' }).click();
  for (const page of [alice, bob]) await page.getByRole('button', { name: 'Hang up' }).waitFor();
  await alice.getByRole('button', { name: 'Camera off' }).waitFor();
  assert.equal(await alice.getByRole('button', { name: 'Share screen' }).count(), 0);
  await bob.getByRole('button', { name: 'Share screen' }).waitFor();
  await screenshot(alice, 'support-no-screen-sharing');
  await alice.getByRole('button', { name: 'Hang up' }).click();
  await bob.locator('.call').waitFor({ state: 'detached' });
  for (const page of [alice, bob]) await page.context().close();
});

test('without notifications the settings offer none, and a message to a hidden tab still arrives', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'nonotify', {
    init: () => delete window.Notification,
  });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'nonotify');
  await alice.locator('.settings summary').click();
  // The panel is drawn (its other settings are there) without a word of notifications.
  await alice.locator('.settings .menu-panel').getByText('Conversations and the files you receive are kept on this device only').waitFor();
  assert.doesNotMatch(await alice.locator('.settings .menu-panel').innerText(), /notif/i);
  await screenshot(alice, 'support-no-notifications');
  await alice.locator('.settings summary').click();
  await alice.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await say(bob, 'alice', 'are you there?');
  await alice.waitForFunction(() => document.title === '(1) natter');
  await expectTranscript(alice, 'bob', ['bob: are you there?']);
  assert.deepEqual(alice.errors, []);
  for (const page of [alice, bob]) await page.context().close();
});

test('without IndexedDB the app says it keeps no history, and chats all the same', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'noidb', {
    init: () => Object.defineProperty(window, 'indexedDB', { value: undefined }),
  });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'noidb');
  const said = 'This browser keeps no history here: it has no IndexedDB';
  await alice.locator('.toast', { hasText: said }).waitFor();
  await alice.locator('.settings summary').click();
  await alice.locator('.settings .menu-panel').getByText(said).waitFor();
  await screenshot(alice, 'support-no-indexeddb');
  await alice.locator('.settings summary').click();
  await say(alice, 'bob', 'nothing kept');
  await expectTranscript(bob, 'alice', ['alice: nothing kept']);
  await userEntry(bob, 'alice').click();
  await say(bob, 'alice', 'fine');
  await expectTranscript(alice, 'bob', ['alice: nothing kept', 'bob: fine']);
  for (const page of [alice, bob]) await page.context().close();
});
