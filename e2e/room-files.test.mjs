// Files to the room (issue 25): one person offers a file to everyone in the room; each
// member answers on their own, in the room's timeline; the sender sees each person's
// progress and outcome. A Firefox member among Chromium ones; an app that cannot take
// files in the room is left out, and said so.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  attach, downloadedDigest, expectTranscript, inState, joinAs, openClassicPeer, openConversation, say, screenshot,
  transfer, useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');
let scratch;
/** A file big enough for its progress to be seen on the way (passed by path). */
let bigFile;
let bigBytes;

before(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'natter-room-files-'));
  bigFile = path.join(scratch, 'minutes.bin');
  bigBytes = randomBytes(96 << 20);
  writeFileSync(bigFile, bigBytes);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

/** One person's part of our file to the room, as the sender's page shows it. */
const part = (page, peer) => page.locator(`.transfer[data-peer="${peer}"]`);
const partIn = (page, peer, state) => part(page, peer).and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout: 60_000 });

test('a file to a room of three: bob accepts and gets it whole, carol (Firefox) declines, alice sees each', async () => {
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', 'files-room');
  const bob = await joinAs(stage.browsers.chromium, stage.server, 'bob', 'files-room');
  const carol = await joinAs(stage.browsers.firefox, stage.server, 'carol', 'files-room');
  const room = 'Everyone in files-room';
  await say(alice, room, 'the minutes are coming');
  for (const page of [bob, carol]) await expectTranscript(page, room, ['alice: the minutes are coming']);

  await openConversation(alice, room);
  await attach(alice, bigFile);
  // One place in alice's room, with each person's part; in each member's room, the offer.
  await partIn(alice, 'bob', 'waiting');
  await partIn(alice, 'carol', 'waiting');
  await alice.locator('.room-summary', { hasText: 'Received by 0 of 2' }).waitFor();
  for (const page of [bob, carol]) {
    await expectTranscript(page, room, ['alice: the minutes are coming', 'alice: minutes.bin']);
    await transfer(page, 'minutes.bin').getByText('alice wants to send you this file').waitFor();
  }
  await screenshot(alice, 'room-file-offered');
  await screenshot(carol, 'room-file-offer-received');
  // Not in the one-to-one conversation.
  await expectTranscript(bob, 'alice', []);
  await openConversation(bob, room);

  await transfer(carol, 'minutes.bin').getByRole('button', { name: 'Decline minutes.bin' }).click();
  await partIn(alice, 'carol', 'declined');
  await part(alice, 'carol').getByText('Declined by carol').waitFor();
  await transfer(bob, 'minutes.bin').getByRole('button', { name: 'Accept minutes.bin' }).click();
  // alice sees bob's progress on the way.
  await partIn(alice, 'bob', 'sending');
  await part(alice, 'bob').getByText(/^\d+%/).waitFor();
  const progress = part(alice, 'bob').getByRole('progressbar', { name: 'Progress of minutes.bin to bob' });
  assert.ok(Number(await progress.getAttribute('value')) < 100);
  await screenshot(alice, 'room-file-sending');
  await inState(bob, 'minutes.bin', 'done', 60_000);
  await partIn(alice, 'bob', 'done');
  await part(alice, 'bob').getByText('Sent').waitFor();
  await alice.locator('.room-summary', { hasText: 'Received by 1 of 2 · 1 declined' }).waitFor();
  assert.equal(await downloadedDigest(bob, 'minutes.bin'), sha256(bigBytes));
  await inState(carol, 'minutes.bin', 'declined');
  await screenshot(alice, 'room-file-sent');
  await screenshot(bob, 'room-file-received');
  for (const page of [alice, bob, carol]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('an app that cannot take files in the room is left out, and the sender is told', async () => {
  const serverWs = `ws://127.0.0.1:${stage.server.port}/ws`;
  const old = await openClassicPeer(stage.browser, serverWs, 'old');
  const alice = await joinAs(stage.browser, stage.server, 'alice', '');
  const bob = await joinAs(stage.browser, stage.server, 'bob', '');
  const lobby = 'Everyone in the lobby';
  await say(alice, lobby, 'a file for the lobby');
  await expectTranscript(bob, lobby, ['alice: a file for the lobby']);
  await openConversation(alice, lobby);
  await attach(alice, { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('the plan') });
  await partIn(alice, 'old', 'failed');
  await part(alice, 'old').getByText("old's app can't take files sent to the room").waitFor();
  await transfer(bob, 'plan.txt').getByRole('button', { name: 'Accept plan.txt' }).click();
  await partIn(alice, 'bob', 'done');
  await alice.locator('.room-summary', { hasText: 'Received by 1 of 2 · 1 could not get it' }).waitFor();
  await screenshot(alice, 'room-file-left-out');
  const received = await old.evaluate(() => window.classic.state.received);
  assert.ok(!received.some((text) => String(text).includes('plan.txt')), JSON.stringify(received));
  for (const page of [alice, bob, old]) await page.context().close();
});
