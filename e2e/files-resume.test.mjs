// Transfers that outlive a reload (issue 26): an offer stands across a reload of either side,
// and a file cut off halfway by a reload of its receiver or its sender goes on from the bytes
// the receiver kept, its digest checked, between Chromium and Firefox both ways.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  attach,
  downloadedDigest,
  expectTranscript,
  inState,
  joinAs,
  openConversation,
  say,
  screenshot,
  transfer,
  until,
  useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');
const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');
const scratch = mkdtempSync(path.join(tmpdir(), 'natter-resume-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A file of 64 MiB named `name`, too big to hand over in memory: its path and bytes. */
function bigFile(name) {
  const bytes = randomBytes(64 << 20);
  const file = path.join(scratch, name);
  writeFileSync(file, bytes);
  return [file, bytes];
}

/** Reloads `page` (staying is not asked: leaving mid-transfer is the point) and waits until
 * it is logged back in as `name`, with the conversation with `peer` open. */
async function reload(page, name, peer) {
  const leave = (dialog) => dialog.accept();
  page.on('dialog', leave);
  await page.reload();
  page.off('dialog', leave);
  await page.getByText(`Online as ${name}`).waitFor();
  await openConversation(page, peer);
}

/** The percent `page` shows of file `name`. */
const percentOf = async (page, name) =>
  Number((await transfer(page, name).locator('progress').getAttribute('value')) ?? 0);

/** Waits until `page` shows at least `percent` of file `name` through. */
async function through(page, name, percent) {
  await until(async () => (await percentOf(page, name)) >= percent, true, 30_000, `${name} at ${percent}%`);
}

/** `page` received file `name` whole: saving it gives `bytes`. */
async function expectReceived(page, name, bytes) {
  await inState(page, name, 'done', 60_000);
  assert.equal(await downloadedDigest(page, name), sha256(bytes));
}

/** alice on `aliceBrowser` and bob on `bobBrowser`, talking in `room`. */
async function pair(aliceBrowser, bobBrowser, room) {
  const alice = await joinAs(stage.browsers[aliceBrowser], stage.server, 'alice', room);
  const bob = await joinAs(stage.browsers[bobBrowser], stage.server, 'bob', room);
  await say(alice, 'bob', 'a big one coming');
  await expectTranscript(bob, 'alice', ['alice: a big one coming']);
  return [alice, bob];
}

test('an offer stands across a reload of the receiver, then of the sender, and is taken after', async () => {
  const [alice, bob] = await pair('firefox', 'chromium', 'resume-offer');
  const bytes = randomBytes(300_000);
  await attach(alice, { name: 'plans.pdf', mimeType: 'application/pdf', buffer: bytes });
  await inState(bob, 'plans.pdf', 'offered');

  await reload(bob, 'bob', 'alice');
  await inState(bob, 'plans.pdf', 'offered');
  await transfer(bob, 'plans.pdf').getByText('alice wants to send you this file').waitFor();
  await reload(alice, 'alice', 'bob');
  await inState(alice, 'plans.pdf', 'waiting');
  await transfer(alice, 'plans.pdf').getByText('Waiting for bob to accept').waitFor();
  await screenshot(alice, 'files-resume-offer-after-reload');

  await transfer(bob, 'plans.pdf').getByRole('button', { name: 'Accept' }).click();
  await expectReceived(bob, 'plans.pdf', bytes);
  await inState(alice, 'plans.pdf', 'done');
  await expectTranscript(bob, 'alice', ['alice: a big one coming', 'alice: plans.pdf']);
  await alice.context().close();
  await bob.context().close();
});

test('a file whose receiver reloads halfway goes on from what it kept: the sender is told, the digest holds', async () => {
  const [alice, bob] = await pair('chromium', 'firefox', 'resume-receiver');
  const [file, bytes] = bigFile('film.mkv');
  await attach(alice, file);
  await transfer(bob, 'film.mkv').getByRole('button', { name: 'Accept' }).click();
  await through(bob, 'film.mkv', 10);

  await reload(bob, 'bob', 'alice');
  await transfer(alice, 'film.mkv').getByText(/^bob reloaded: resuming · /).waitFor({ timeout: 30_000 });
  await screenshot(alice, 'files-resume-sender-told');
  await expectReceived(bob, 'film.mkv', bytes);
  await inState(alice, 'film.mkv', 'done');
  await screenshot(bob, 'files-resume-received');
  await alice.context().close();
  await bob.context().close();
});

test('a file whose sender reloads halfway goes on from the file it kept, the digest checked', async () => {
  const [alice, bob] = await pair('firefox', 'chromium', 'resume-sender');
  const [file, bytes] = bigFile('backup.tar');
  await attach(alice, file);
  await transfer(bob, 'backup.tar').getByRole('button', { name: 'Accept' }).click();
  await through(bob, 'backup.tar', 10);

  await reload(alice, 'alice', 'bob');
  const resumedAt = await percentOf(bob, 'backup.tar');
  await expectReceived(bob, 'backup.tar', bytes);
  await inState(alice, 'backup.tar', 'done');
  assert.ok(resumedAt >= 10, `bob went on from what he held (${resumedAt}%), not from nothing`);
  await alice.context().close();
  await bob.context().close();
});
