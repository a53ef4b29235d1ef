// Files that outlive a reload (issue 26): a file received is kept on the device and can
// still be saved after the page reloads, in a conversation and in the room, in Chromium and
// Firefox; one removed, or whose conversation is cleared, is gone for good.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
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
  useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');
const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

/** Reloads `page` and waits until it is logged back in as `name`. */
async function reload(page, name) {
  await page.reload();
  await page.getByText(`Online as ${name}`).waitFor();
}

/** `page` shows file `name` received, ready to save, and saving it gives `bytes`. */
async function expectSaved(page, name, bytes) {
  await inState(page, name, 'done');
  await transfer(page, name).getByText('Received').waitFor();
  assert.equal(await downloadedDigest(page, name), sha256(bytes));
}

test('a file received in Firefox is still there to save after a reload; removed, it is gone for good', async () => {
  const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', 'kept-files');
  const bob = await joinAs(stage.browsers.firefox, stage.server, 'bob', 'kept-files');
  await say(alice, 'bob', 'the photos');
  await expectTranscript(bob, 'alice', ['alice: the photos']);
  const bytes = randomBytes(3 << 20);
  await attach(alice, { name: 'photos.zip', mimeType: 'application/zip', buffer: bytes });
  await transfer(bob, 'photos.zip').getByRole('button', { name: 'Accept' }).click();
  await expectSaved(bob, 'photos.zip', bytes);

  await reload(bob, 'bob');
  await openConversation(bob, 'alice');
  await expectSaved(bob, 'photos.zip', bytes);
  await transfer(bob, 'photos.zip').getByText('3.1 MB · application/zip').waitFor();
  await expectTranscript(bob, 'alice', ['alice: the photos', 'alice: photos.zip']);
  await screenshot(bob, 'files-kept-after-reload');

  await transfer(bob, 'photos.zip').getByRole('button', { name: 'Remove' }).click();
  await bob.locator('.message.file').getByText('The file itself is not kept').waitFor();
  await reload(bob, 'bob');
  await openConversation(bob, 'alice');
  await expectTranscript(bob, 'alice', ['alice: the photos', 'alice: photos.zip']);
  await bob.locator('.message.file').getByText('The file itself is not kept').waitFor();
  assert.equal(await transfer(bob, 'photos.zip').count(), 0);
  await alice.context().close();
  await bob.context().close();
});

test('a file received in the room is still there after a reload; clearing a conversation lets its files go', async () => {
  const alice = await joinAs(stage.browsers.firefox, stage.server, 'alice', 'kept-room');
  const carol = await joinAs(stage.browsers.chromium, stage.server, 'carol', 'kept-room');
  const room = 'Everyone in kept-room';
  await say(alice, room, 'minutes attached');
  await expectTranscript(carol, room, ['alice: minutes attached']);
  const minutes = Buffer.from('1. cake\n2. more cake\n');
  await attach(alice, { name: 'minutes.txt', mimeType: 'text/plain', buffer: minutes });
  await transfer(carol, 'minutes.txt').getByRole('button', { name: 'Accept minutes.txt' }).click();
  await expectSaved(carol, 'minutes.txt', minutes);
  // And one to carol alone, to clear with its conversation.
  await say(alice, 'carol', 'and a secret');
  const secret = randomBytes(4096);
  await attach(alice, { name: 'secret.bin', mimeType: '', buffer: secret });
  await openConversation(carol, 'alice');
  await transfer(carol, 'secret.bin').getByRole('button', { name: 'Accept' }).click();
  await expectSaved(carol, 'secret.bin', secret);

  await reload(carol, 'carol');
  await openConversation(carol, room);
  await expectSaved(carol, 'minutes.txt', minutes);
  await openConversation(carol, 'alice');
  await expectSaved(carol, 'secret.bin', secret);

  await carol.locator('.conversation-menu summary').click();
  await carol.getByRole('button', { name: 'Clear this conversation' }).click();
  await carol.getByRole('button', { name: 'Really clear this conversation?' }).click();
  await expectTranscript(carol, 'alice', []);
  await reload(carol, 'carol');
  await openConversation(carol, room);
  await expectSaved(carol, 'minutes.txt', minutes);
  const kept = await carol.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('natter');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('files').objectStore('files').getAllKeys();
          all.onsuccess = () => resolve(all.result.map((key) => key.slice(1).join(' ')));
        };
      }),
  );
  assert.equal(kept.length, 1, `only the room's file is kept: ${kept}`);
  await alice.context().close();
  await carol.context().close();
});
