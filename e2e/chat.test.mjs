// Chatting in real Chromium pages through a real natter-server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classicLine,
  expectTranscript,
  joinAs,
  joinRoom,
  keepChatChannel,
  openPage,
  say,
  screenshot,
  sendRaw,
  useStage,
  userEntry,
} from './harness.mjs';

const stage = useStage();
/** Our messages that reached the peer: delivered, or read already. */
const reached = '.message.outgoing:is([data-delivery="delivered"], [data-delivery="read"])';

test('alice chats with bob and carol at once; every message lands in its conversation', async () => {
  const room = 'three';
  const [alice, bob, carol] = await joinRoom(stage, room, 'alice', 'bob', 'carol');
  await userEntry(alice, 'carol').waitFor();

  await say(alice, 'bob', 'hi bob');
  await say(alice, 'carol', 'hi carol');
  await say(bob, 'alice', 'hello alice, bob here');
  await say(carol, 'alice', 'hello alice, carol here');
  await say(alice, 'bob', 'second for bob');
  await say(alice, 'carol', 'second for carol');

  await expectTranscript(alice, 'bob', ['alice: hi bob', 'bob: hello alice, bob here', 'alice: second for bob']);
  await expectTranscript(alice, 'carol', [
    'alice: hi carol',
    'carol: hello alice, carol here',
    'alice: second for carol',
  ]);
  await expectTranscript(bob, 'alice', ['alice: hi bob', 'bob: hello alice, bob here', 'alice: second for bob']);
  await expectTranscript(carol, 'alice', [
    'alice: hi carol',
    'carol: hello alice, carol here',
    'alice: second for carol',
  ]);
  // bob and carol never talked: their conversation is empty.
  await expectTranscript(bob, 'carol', []);

  // Every message alice wrote is acknowledged by its receiver.
  await alice.locator(reached).nth(1).waitFor();
  await expectTranscript(alice, 'bob', ['alice: hi bob', 'bob: hello alice, bob here', 'alice: second for bob']);
  assert.equal(await alice.locator('.message.outgoing:not([data-delivery="delivered"], [data-delivery="read"])').count(), 0);
  assert.match(await userEntry(alice, 'bob').locator('.link-state').innerText(), /connected · direct/);
  await screenshot(alice, 'chat-alice-with-bob');
  await screenshot(carol, 'chat-carol');
  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, []);
  for (const page of [alice, bob, carol]) await page.context().close();
});

test('unread messages show a badge on the other conversation', async () => {
  const room = 'unread';
  const [alice, bob, carol] = await joinRoom(stage, room, 'alice', 'bob', 'carol');
  await say(alice, 'bob', 'talking to bob');
  await say(carol, 'alice', 'psst, alice');
  await userEntry(alice, 'carol').locator('.badge', { hasText: '1' }).waitFor();
  await screenshot(alice, 'unread-badge');
  await userEntry(alice, 'carol').click();
  await userEntry(alice, 'carol').locator('.badge').waitFor({ state: 'detached' });
  for (const page of [alice, bob, carol]) await page.context().close();
});

test('a taken name is refused with a clear message', async () => {
  const room = 'taken';
  const first = await joinAs(stage.browser, stage.server, 'dana', room);
  const second = await openPage(stage.browser, `${stage.server.url}?room=${room}`);
  await second.getByLabel('Your name').fill('dana');
  await second.getByRole('button', { name: 'Join' }).click();
  await second.getByRole('alert').filter({ hasText: 'Username is unavailable' }).waitFor();
  await second.getByLabel('Your name').fill('  ');
  await second.getByRole('button', { name: 'Join' }).click();
  await second.getByRole('alert').filter({ hasText: 'Name must not be empty' }).waitFor();
  await screenshot(second, 'login-name-refused');
  await first.context().close();
  await second.context().close();
});

test('a page that closes is offline in its conversation at once, and stays in the others\' lists as offline', async () => {
  const room = 'leaving';
  const erin = await joinAs(stage.browser, stage.server, 'erin', room, { clock: true });
  const frank = await joinAs(stage.browser, stage.server, 'frank', room);
  await userEntry(erin, 'frank').waitFor();
  await say(erin, 'frank', 'bye soon?');
  await expectTranscript(frank, 'erin', ['erin: bye soon?']);
  await erin.locator('.conversation-head .presence', { hasText: /^online$/ }).waitFor();
  // Time stands still on erin's page: the list's grace for a reload (4 s) never ends, so
  // only what comes as frank's page closes (its `leave`, the server's removal) can say he
  // is gone.
  await erin.clock.pauseAt(Date.now() + 1000);
  await frank.context().close();
  await erin.locator('.conversation-head .presence', { hasText: /^offline$/ }).waitFor();
  await userEntry(erin, 'frank').locator('.presence', { hasText: /^offline$/ }).waitFor();
  await erin.locator('.waiting-note', { hasText: 'frank is offline' }).waitFor();
  await erin.clock.resume();
  await screenshot(erin, 'peer-left');
  await erin.context().close();
});

test('markup in a message is shown as text, never run', async () => {
  const room = 'markup';
  const [mallory, victim] = await joinRoom(stage, room, 'mallory', 'victim');
  const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold?</b>';
  await say(mallory, 'victim', payload);
  await expectTranscript(victim, 'mallory', [`mallory: ${payload}`]);
  const text = victim.locator('.message .text').first();
  assert.equal(await text.locator('img, script, b').count(), 0);
  assert.equal(await victim.evaluate(() => window.pwned), undefined);
  await screenshot(victim, 'markup-as-text');
  await mallory.context().close();
  await victim.context().close();
});

test('a message sent before the channel is open is queued, then delivered', async () => {
  const room = 'early';
  const [gina, hank] = await joinRoom(stage, room, 'gina', 'hank');
  await userEntry(gina, 'hank').waitFor();
  // Click and send within one task, so the channel cannot have opened in between.
  const openedBeforeSend = await gina.evaluate(async () => {
    const entry = [...document.querySelectorAll('.users .user')].find(
      (button) => button.querySelector('.user-name').textContent === 'hank',
    );
    entry.click();
    await Promise.resolve();
    const input = document.querySelector('.message-input');
    input.value = 'written before the channel opened';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.form.requestSubmit();
    return performance.getEntriesByName('natter:open:hank').length > 0;
  });
  assert.equal(openedBeforeSend, false);
  await expectTranscript(hank, 'gina', ['gina: written before the channel opened']);
  await gina.locator(reached).waitFor();
  await gina.context().close();
  await hank.context().close();
});

test('a flood of messages keeps the newest ten thousand, draws only the newest, and leaves the page responsive', async () => {
  const room = 'flood';
  const mallory = await joinAs(stage.browser, stage.server, 'mallory', room, { init: keepChatChannel });
  const bob = await joinAs(stage.browser, stage.server, 'bob', room);
  await say(mallory, 'bob', 'hi');
  await expectTranscript(bob, 'mallory', ['mallory: hi']);
  const flood = Array.from({ length: 10_500 }, (_, i) => ({ ...classicLine(`spam ${i}`, 'mallory'), id: `s${i}` }));
  await sendRaw(mallory, flood);
  // Drawn once per message, such a flood kept the page busy for over 20 s (4 ms a message
  // once a thousand were shown); drawn once per burst, and only the newest rows, it takes
  // a second or two.
  await bob.locator('.message .text', { hasText: /^spam 10499$/ }).waitFor({ timeout: 15_000 });
  assert.equal(await bob.locator('.messages .message').count(), 60);
  // 'hi' and the first 500 went: 10,000 kept, 60 of them drawn.
  const earlier = bob.getByRole('button', { name: /^Show earlier messages/ });
  assert.equal(await earlier.innerText(), 'Show earlier messages (9940 more)');
  await earlier.click();
  assert.equal(await bob.locator('.messages .message').count(), 120);
  await say(bob, 'mallory', 'still here');
  await mallory.locator('.message .text', { hasText: /^still here$/ }).waitFor();
  assert.deepEqual(bob.errors, []);
  await screenshot(bob, 'chat-flood');
  await mallory.context().close();
  await bob.context().close();
});

test('a pasted 500-character name is refused with the limit named, never cut', async () => {
  const page = await openPage(stage.browser, `${stage.server.url}?room=long-name`);
  const field = page.getByLabel('Your name');
  await field.fill('n'.repeat(500));
  assert.equal((await field.inputValue()).length, 500, 'the field keeps every character');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('alert').filter({ hasText: 'Name is too long (32 characters at most)' }).waitFor();
  assert.equal(await page.getByText(/Online as/).count(), 0);
  await screenshot(page, 'login-name-too-long');
  await page.context().close();
});

test('a text over the limit is refused in the composer, with the limit named', async () => {
  const [alice, bob] = await joinRoom(stage, 'too-long', 'alice', 'bob');
  await userEntry(alice, 'bob').click();
  const input = alice.getByLabel('Message');
  await input.fill('x'.repeat(300_000));
  await input.press('Enter');
  await alice.getByRole('alert').filter({ hasText: '300000 characters, a message holds at most 32000' }).waitFor();
  assert.equal(await alice.locator('.messages .message').count(), 0, 'nothing was sent');
  assert.equal((await input.inputValue()).length, 300_000, 'the draft is kept');
  await screenshot(alice, 'composer-too-long');
  const longest = 'y'.repeat(32_000);
  await input.fill(longest);
  await input.press('Enter');
  await expectTranscript(bob, 'alice', [`alice: ${longest}`]);
  await alice.locator(reached).waitFor();
  await alice.context().close();
  await bob.context().close();
});

/** Makes the chat channel refuse texts holding "fail me" while `window.failSends` is set. */
function refuseMarkedSends() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (window.failSends && typeof data === 'string' && data.includes('fail me')) {
      throw new DOMException('refused by the test', 'OperationError');
    }
    return send.call(this, data);
  };
}

test('a send the channel refuses fails alone, later messages go, and retry delivers it', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'refused', { init: refuseMarkedSends });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'refused');
  await say(alice, 'bob', 'hello');
  await expectTranscript(bob, 'alice', ['alice: hello']);
  await alice.evaluate(() => (window.failSends = true));
  await say(alice, 'bob', 'fail me');
  const failed = alice.locator('.message.outgoing[data-delivery="failed"]');
  await failed.getByText('Not sent').waitFor();
  assert.equal(await failed.locator('.text').innerText(), 'fail me');
  await say(alice, 'bob', 'after the failure');
  await expectTranscript(bob, 'alice', ['alice: hello', 'alice: after the failure']);
  const delivered = (text) =>
    alice.locator(reached).filter({ hasText: text }).waitFor();
  await delivered('after the failure');
  await screenshot(alice, 'message-failed');
  await alice.evaluate(() => (window.failSends = false));
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expectTranscript(bob, 'alice', ['alice: hello', 'alice: after the failure', 'alice: fail me']);
  await delivered('fail me');
  await alice.context().close();
  await bob.context().close();
});
