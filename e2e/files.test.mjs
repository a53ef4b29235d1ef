// File transfer between real Chromium pages: offers, progress, digests, cancels, and a
// peer that leaves mid-transfer. Each file stands in the conversation's timeline.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  attach,
  classicLine,
  downloadedDigest,
  expectTranscript,
  inState,
  joinAs,
  keepChatChannel,
  say,
  screenshot,
  sendRaw,
  transfer,
  useStage,
  userEntry,
} from './harness.mjs';

const stage = useStage();
let scratch;
/** A file big enough to still be on its way while a test acts (Playwright refuses
 * buffers over 50 MB, so it is passed by path). */
let bigFile;
/** The same file under another name, for a second transfer in one conversation. */
let bigAgain;

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'natter-files-'));
  bigFile = path.join(scratch, 'big.bin');
  writeFileSync(bigFile, randomBytes(160 << 20));
  bigAgain = path.join(scratch, 'again.bin');
  linkSync(bigFile, bigAgain);
});

after(async () => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

/** Two pages in `room` with the conversation open and connected on both sides. */
async function pair(room, a = 'alice', b = 'bob', { init, clock } = {}) {
  const first = await joinAs(stage.browser, stage.server, a, room, { init, clock });
  const second = await joinAs(stage.browser, stage.server, b, room);
  await say(first, b, 'ready?');
  await expectTranscript(second, a, [`${a}: ready?`]);
  await userEntry(first, b).locator('[data-state="connected"]').waitFor();
  return [first, second];
}

/** Sends the big file (`file`, named `name`) from `sender` to `receiver`; resolves once
 * `watcher` (either of them) shows it under way. */
async function sendBigFile(sender, receiver, watcher = sender, file = bigFile, name = 'big.bin') {
  await attach(sender, file);
  await transfer(receiver, name).getByRole('button', { name: 'Accept' }).click();
  await inState(watcher, name, watcher === sender ? 'sending' : 'receiving');
}

/** How soon a peer learns that a page closed mid-transfer (ms). */
const toldWithin = 3000;
/** How soon after that it counts as gone for good: the roster's grace for a reload (4 s,
 * `LEAVE_GRACE`) and a little more. */
const leftWithin = 6000;

const closeAll = (...pages) => Promise.all(pages.map((page) => page.context().close()));

test('a multi-megabyte file arrives byte-identical, with name, size and type shown first', async () => {
  const [alice, bob] = await pair('file');
  const buffer = randomBytes(8 << 20);
  await attach(alice, { name: 'report <final>.pdf', mimeType: 'application/pdf', buffer });
  await inState(alice, 'report <final>.pdf', 'waiting');
  const offer = transfer(bob, 'report <final>.pdf');
  await offer.getByText('8.4 MB · application/pdf').waitFor();
  await offer.getByText('alice wants to send you this file').waitFor();
  await screenshot(bob, 'file-offered');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await inState(bob, 'report <final>.pdf', 'done');
  await inState(alice, 'report <final>.pdf', 'done');
  await offer.getByText('Received').waitFor();
  await transfer(alice, 'report <final>.pdf').getByText('Sent').waitFor();
  const link = offer.locator('a.file-download');
  assert.equal(await link.getAttribute('download'), 'report <final>.pdf');
  assert.equal(await downloadedDigest(bob, 'report <final>.pdf'), sha256(buffer));
  assert.equal(await offer.locator('progress').getAttribute('value'), '100');
  // In the conversation, in order, on both sides.
  await expectTranscript(bob, 'alice', ['alice: ready?', 'alice: report <final>.pdf']);
  await expectTranscript(alice, 'bob', ['alice: ready?', 'alice: report <final>.pdf']);
  await screenshot(bob, 'file-received');
  // Removing frees the file; its place in the conversation stays.
  const href = await link.getAttribute('href');
  await offer.getByRole('button', { name: 'Remove' }).click();
  await offer.waitFor({ state: 'detached' });
  assert.equal(await bob.evaluate((url) => fetch(url).then(() => 'kept', () => 'revoked'), href), 'revoked');
  await bob.locator('.message.file').getByText('The file itself is not kept').waitFor();
  await expectTranscript(bob, 'alice', ['alice: ready?', 'alice: report <final>.pdf']);
  await closeAll(alice, bob);
});

test('chat keeps flowing while a big file is on its way', async () => {
  const [alice, bob] = await pair('file-chat');
  await sendBigFile(alice, bob);
  await say(alice, 'bob', 'the file is coming');
  await expectTranscript(bob, 'alice', ['alice: ready?', 'alice: big.bin', 'alice: the file is coming']);
  // The line came through ahead of the file's bytes, not queued behind them.
  assert.equal(await transfer(bob, 'big.bin').getAttribute('data-state'), 'receiving');
  await say(bob, 'alice', 'I see it');
  await transfer(bob, 'big.bin').getByText(/\d+% · [\d.]+ [KMG]B\/s · \d+ s left/).waitFor();
  await screenshot(bob, 'file-receiving');
  await expectTranscript(alice, 'bob', ['alice: ready?', 'alice: big.bin', 'alice: the file is coming', 'bob: I see it']);
  await inState(bob, 'big.bin', 'done', 60_000);
  await inState(alice, 'big.bin', 'done');
  await closeAll(alice, bob);
});

test('the receiver declines; either side cancels, before or during the transfer', async () => {
  const [alice, bob] = await pair('file-no');
  await attach(alice, { name: 'unwanted.txt', mimeType: 'text/plain', buffer: Buffer.from('no thanks') });
  await transfer(bob, 'unwanted.txt').getByRole('button', { name: 'Decline' }).click();
  await transfer(alice, 'unwanted.txt').getByText('Declined by bob').waitFor();
  await inState(alice, 'unwanted.txt', 'declined');
  await transfer(bob, 'unwanted.txt').getByText('Declined').waitFor();
  await screenshot(alice, 'file-declined');

  // The sender withdraws an offer.
  await attach(alice, { name: 'oops.txt', mimeType: 'text/plain', buffer: Buffer.from('wrong file') });
  await inState(bob, 'oops.txt', 'offered');
  await transfer(alice, 'oops.txt').getByRole('button', { name: 'Cancel' }).click();
  await transfer(bob, 'oops.txt').getByText('Cancelled by alice').waitFor();
  assert.equal(await transfer(bob, 'oops.txt').getByRole('button', { name: 'Accept' }).count(), 0);

  // The receiver stops a transfer under way, then the sender does.
  await sendBigFile(alice, bob, bob);
  await transfer(bob, 'big.bin').getByRole('button', { name: 'Cancel' }).click();
  await transfer(alice, 'big.bin').getByText('Cancelled by bob').waitFor();
  await transfer(bob, 'big.bin').getByText('Cancelled').waitFor();

  await sendBigFile(alice, bob, alice, bigAgain, 'again.bin');
  await transfer(alice, 'again.bin').getByRole('button', { name: 'Cancel' }).click();
  await transfer(bob, 'again.bin').getByText('Cancelled by alice').waitFor();
  await inState(alice, 'again.bin', 'cancelled');
  // Ended transfers stay where they were, with what happened, and nothing to click.
  assert.equal(await bob.locator('.message.file button').count(), 0);
  await screenshot(bob, 'file-cancelled');

  // The chat still works.
  await say(bob, 'alice', 'all quiet');
  const files = ['alice: unwanted.txt', 'alice: oops.txt', 'alice: big.bin', 'alice: again.bin'];
  await expectTranscript(alice, 'bob', ['alice: ready?', ...files, 'bob: all quiet']);
  await closeAll(alice, bob);
});

test("an offer nobody answers stands past the two minutes it once had; it goes with the sender's page", async () => {
  const [alice, bob] = await pair('file-unanswered', 'alice', 'bob', { clock: true });
  const buffer = Buffer.from('some day');
  await attach(alice, { name: 'later.txt', mimeType: 'text/plain', buffer });
  await inState(bob, 'later.txt', 'offered');
  await alice.clock.fastForward(180_000);
  // A line after the time is up: had the offer been withdrawn, bob would know by then.
  await say(alice, 'bob', 'take your time');
  await expectTranscript(bob, 'alice', ['alice: ready?', 'alice: later.txt', 'alice: take your time']);
  await inState(alice, 'later.txt', 'waiting');
  await transfer(bob, 'later.txt').getByRole('button', { name: 'Accept' }).click();
  await inState(bob, 'later.txt', 'done');
  assert.equal(await downloadedDigest(bob, 'later.txt'), sha256(buffer));

  await attach(alice, { name: 'never.txt', mimeType: 'text/plain', buffer });
  await inState(bob, 'never.txt', 'offered');
  await alice.context().close();
  await transfer(bob, 'never.txt').getByText('alice disconnected: transfer failed').waitFor({ timeout: toldWithin + leftWithin });
  assert.equal(await transfer(bob, 'never.txt').getByRole('button', { name: 'Accept' }).count(), 0);
  await bob.context().close();
});

test('leaving the page while a file is on its way asks first, on both sides; not once it is over', async () => {
  const [alice, bob] = await pair('file-leaving');
  await sendBigFile(alice, bob);
  for (const page of [alice, bob]) {
    const asked = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    assert.equal(dialog.type(), 'beforeunload');
    await dialog.dismiss();
    assert.equal(page.isClosed(), false, 'staying was chosen');
  }
  await transfer(bob, 'big.bin').getByRole('button', { name: 'Cancel' }).click();
  await inState(alice, 'big.bin', 'cancelled');
  // Nothing on its way: the page closes without a question.
  let asked = false;
  alice.on('dialog', () => (asked = true));
  await alice.close({ runBeforeUnload: true });
  await alice.waitForEvent('close');
  assert.equal(asked, false);
  await closeAll(bob);
});

test('two files at once both arrive intact', async () => {
  const [alice, bob] = await pair('file-two');
  const one = randomBytes(3 << 20);
  const two = randomBytes((5 << 20) + 12_345);
  await attach(alice, [
    { name: 'one.bin', mimeType: 'application/octet-stream', buffer: one },
    { name: 'two.bin', mimeType: 'application/octet-stream', buffer: two },
  ]);
  await transfer(bob, 'one.bin').getByRole('button', { name: 'Accept' }).click();
  await transfer(bob, 'two.bin').getByRole('button', { name: 'Accept' }).click();
  await inState(bob, 'one.bin', 'done');
  await inState(bob, 'two.bin', 'done');
  assert.equal(await downloadedDigest(bob, 'one.bin'), sha256(one));
  assert.equal(await downloadedDigest(bob, 'two.bin'), sha256(two));
  await inState(alice, 'one.bin', 'done');
  await inState(alice, 'two.bin', 'done');
  await closeAll(alice, bob);
});

test('the receiver closing the page mid-transfer fails the transfer for the sender once the server says it left', async () => {
  const [alice, bob] = await pair('file-gone');
  await sendBigFile(alice, bob);
  await bob.context().close();
  // Told by the closing page itself (ICE alone would notice only after about 5 s); first it
  // may be a reload.
  await transfer(alice, 'big.bin').getByText('bob is away: waiting for them to come back').waitFor({ timeout: toldWithin });
  await transfer(alice, 'big.bin').getByText('bob disconnected: transfer failed').waitFor({ timeout: leftWithin });
  await inState(alice, 'big.bin', 'failed');
  await screenshot(alice, 'file-peer-gone');
  await alice.context().close();
});

test('the sender closing the page mid-transfer fails the transfer for the receiver once the server says it left', async () => {
  const [carol, dave] = await pair('file-gone-too', 'carol', 'dave');
  await sendBigFile(carol, dave, dave);
  await carol.context().close();
  // First it may be a reload: the transfer waits; gone for good, it failed.
  await transfer(dave, 'big.bin').getByText(/^carol is away: waiting for them to come back/).waitFor({ timeout: toldWithin });
  await transfer(dave, 'big.bin').getByText('carol disconnected: transfer failed').waitFor({ timeout: leftWithin });
  assert.equal(await transfer(dave, 'big.bin').locator('a.file-download').count(), 0, 'no partial file');
  await dave.context().close();
});

/** Flips one bit of the first file chunk on its way out, after the app digested it. */
function corruptFirstChunk() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (this.label.startsWith('file:') && ArrayBuffer.isView(data) && !window.corrupted) {
      window.corrupted = true;
      const copy = new Uint8Array(data);
      copy[0] ^= 1;
      return send.call(this, copy);
    }
    return send.call(this, data);
  };
}

test('a file damaged on the way is reported on both sides and never offered', async () => {
  const [alice, bob] = await pair('file-damaged', 'alice', 'bob', { init: corruptFirstChunk });
  await attach(alice, { name: 'fragile.bin', mimeType: 'application/octet-stream', buffer: randomBytes(1 << 20) });
  await transfer(bob, 'fragile.bin').getByRole('button', { name: 'Accept' }).click();
  await transfer(bob, 'fragile.bin').getByText('Digest mismatch: file discarded').waitFor();
  await transfer(alice, 'fragile.bin').getByText('Digest mismatch: bob discarded the file').waitFor();
  assert.equal(await transfer(bob, 'fragile.bin').locator('a.file-download').count(), 0);
  await screenshot(bob, 'file-digest-mismatch');
  await closeAll(alice, bob);
});

test('a flood of offers is capped: the oldest ended ones make room, the rest are declined', async () => {
  const [mallory, bob] = await pair('file-flood', 'mallory', 'bob', { init: keepChatChannel });
  const offers = (prefix, count) =>
    Array.from({ length: count }, (_, i) => ({ type: 'fileOffer', id: `${prefix}${i}`, name: `${prefix}${i}.bin`, size: 10, mime: '' }));
  const kept = 256;
  await sendRaw(mallory, [...offers('spam-', 400), classicLine('flood over', 'mallory')]);
  // The chat channel is ordered: once the line shows, every offer has been handled.
  await bob.locator('.message .text', { hasText: /^flood over$/ }).waitFor();
  await bob.getByText('mallory offers too many files at once').waitFor();
  // The newest 60 of 258 drawn: "ready?", the offers kept, "flood over".
  const earlier = bob.getByRole('button', { name: /^Show earlier messages/ });
  assert.equal(await earlier.innerText(), `Show earlier messages (${kept + 2 - 60} more)`);
  assert.equal(await transfer(bob, `spam-${kept - 1}.bin`).count(), 1);
  assert.equal(await transfer(bob, `spam-${kept}.bin`).count(), 0);
  assert.ok(await bob.locator('.toast').count() <= 3, 'a few notices at once, not hundreds');

  // Ended offers make room for new ones, oldest first (their place in the conversation
  // stays, without the transfer); open ones never go.
  const cancels = Array.from({ length: 10 }, (_, i) => ({ type: 'fileCancel', id: `spam-${i}` }));
  await sendRaw(mallory, [...cancels, ...offers('more-', 4)]);
  await transfer(bob, 'more-3.bin').waitFor();
  while ((await earlier.count()) > 0) await earlier.click();
  assert.equal(await bob.locator('.message.file').count(), kept + 4);
  assert.equal(await bob.locator('.message.file .transfer').count(), kept);
  assert.equal(await transfer(bob, 'spam-3.bin').count(), 0);
  assert.equal(await transfer(bob, 'spam-4.bin').count(), 1);

  await say(bob, 'mallory', 'still here');
  await expectTranscript(mallory, 'bob', ['mallory: ready?', 'bob: still here']);
  assert.deepEqual(bob.errors, []);
  await closeAll(mallory, bob);
});

test('an image dropped on the conversation arrives with a preview', async () => {
  const [alice, bob] = await pair('file-image');
  // A real PNG: a piece of the page itself.
  const png = await alice.screenshot({ clip: { x: 0, y: 0, width: 120, height: 60 } });
  await alice.evaluate((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'shot.png', { type: 'image/png' }));
    window.dropped = data;
    const event = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true });
    document.querySelector('.messages').dispatchEvent(event);
  }, [...png]);
  await alice.locator('.conversation.dragging').waitFor();
  await screenshot(alice, 'file-drop-hint');
  await alice.evaluate(() => {
    const event = new DragEvent('drop', { dataTransfer: window.dropped, bubbles: true, cancelable: true });
    document.querySelector('.messages').dispatchEvent(event);
  });
  await alice.locator('.conversation.dragging').waitFor({ state: 'detached' });
  await transfer(bob, 'shot.png').getByRole('button', { name: 'Accept' }).click();
  const preview = transfer(bob, 'shot.png').locator('img.file-preview');
  await preview.waitFor();
  await bob.waitForFunction((img) => img.complete && img.naturalWidth === 120, await preview.elementHandle());
  assert.equal(await downloadedDigest(bob, 'shot.png'), sha256(png));
  await screenshot(bob, 'file-image-preview');
  await closeAll(alice, bob);
});
