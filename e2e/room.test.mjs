// A room is a conversation: what one person writes there reaches everyone present over
// the peer links, with delivery followed per person (issue 14).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectTranscript, joinAs, joinRoom, openClassicPeer, openConversation, say, screenshot, transcript, until,
  useStage,
} from './harness.mjs';

const stage = useStage();

/** The delivery of each of our room lines, as the page shows it. */
function reach(page) {
  return page.locator('.messages .message.outgoing').evaluateAll((items) =>
    items.map((item) => `${item.querySelector('.text').textContent} (${item.dataset.delivery}, ${item.querySelector('.reach')?.textContent})`),
  );
}

const expectReach = (page, expected, timeout = 10_000) => until(() => reach(page), expected, timeout, 'the room');

/**
 * An `init` script: holds back the acks the page sends until `window.releaseAcks()`, so
 * that the sender sees a line delivered to some people and not yet to others.
 */
function holdAcks() {
  const send = RTCDataChannel.prototype.send;
  const held = [];
  window.releaseAcks = () => held.splice(0).forEach(([channel, data]) => send.call(channel, data));
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"ack"')) held.push([this, data]);
    else send.call(this, data);
  };
}

test('a line to the room reaches everyone present, followed per person', async () => {
  const [alice, bob] = await joinRoom(stage, 'mesh', 'alice', 'bob');
  const carol = await joinAs(stage.browser, stage.server, 'carol', 'mesh', { init: holdAcks });
  const room = 'Everyone in mesh';
  await say(alice, room, 'hello all');
  await expectTranscript(bob, room, ['alice: hello all']);
  await expectTranscript(carol, room, ['alice: hello all']);
  await expectReach(alice, ['hello all (sent, delivered to 1 of 2)']);
  await screenshot(alice, 'room-delivered-to-some');
  await carol.evaluate(() => window.releaseAcks());
  await expectReach(alice, ['hello all (delivered, delivered to 2 of 2)']);

  await say(bob, room, 'hi from bob');
  for (const page of [alice, bob, carol]) {
    await expectTranscript(page, room, ['alice: hello all', 'bob: hi from bob']);
  }
  await screenshot(carol, 'room-conversation');
  // The room's lines stay out of the one-to-one conversations.
  await expectTranscript(bob, 'carol', []);
  await expectTranscript(bob, 'alice', []);
  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, []);
});

test('typing in the room: who is typing, one or two at a time, and not what is typed to one person', async () => {
  const [alice, bob, carol] = await joinRoom(stage, 'typists', 'alice', 'bob', 'carol');
  const room = 'Everyone in typists';
  // Every line over the mesh first: each page knows the others' apps.
  await say(alice, room, 'who is here?');
  await expectTranscript(bob, room, ['alice: who is here?']);
  await expectTranscript(carol, room, ['alice: who is here?']);
  await openConversation(alice, room);
  const note = (page) => page.locator('.conversation .typing').textContent();

  // bob writes to alice alone: her room says nothing of it.
  await openConversation(bob, 'alice');
  await bob.getByLabel('Message').pressSequentially('just to you');
  // At a person's pace: bob's first key opens his connection to carol, the next ones reach her.
  await openConversation(bob, room);
  await bob.getByLabel('Message').pressSequentially('hello all, good morning', { delay: 100 });
  await until(() => note(alice), 'bob is typing…', 10_000, "alice's room");
  await until(() => note(carol), 'bob is typing…', 10_000, "carol's room");
  // bob goes on typing meanwhile: a note shows for 5 s after the last one, and on a busy
  // machine the checks above can take that long (a new note goes every 3 s of typing).
  const bobGoesOn = bob.getByLabel('Message').pressSequentially(' and on', { delay: 700 });
  await carol.getByLabel('Message').pressSequentially('hi there', { delay: 100 });
  await until(() => note(alice), 'bob and carol are typing…', 10_000, "alice's room");
  await bobGoesOn;
  await screenshot(alice, 'room-typing');
  // A line ends its writer's typing at once; carol, typing on, is still heard.
  const carolGoesOn = carol.getByLabel('Message').pressSequentially(' and more', { delay: 700 });
  await bob.getByLabel('Message').press('Enter');
  await until(() => note(alice), 'carol is typing…', 10_000, "alice's room");
  await carolGoesOn;
  await expectTranscript(alice, room, ['alice: who is here?', 'bob: hello all, good morning and on']);
  for (const page of [alice, bob, carol]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('a late joiner gets the last lines and what is said after it came, and a reload keeps the room', async () => {
  const [alice, bob] = await joinRoom(stage, 'late', 'alice', 'bob');
  const room = 'Everyone in late';
  await say(alice, room, 'before dave');
  await expectTranscript(bob, room, ['alice: before dave']);
  // The members pass the room's last lines on (room-history.test.mjs checks their proof).
  const dave = await joinAs(stage.browser, stage.server, 'dave', 'late');
  await expectTranscript(dave, room, ['alice: before dave']);
  await say(bob, room, 'after dave');
  await expectTranscript(dave, room, ['alice: before dave', 'bob: after dave']);
  await expectTranscript(alice, room, ['alice: before dave', 'bob: after dave']);
  await expectReach(bob, ['after dave (delivered, delivered to 2 of 2)']);

  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  await expectTranscript(alice, room, ['alice: before dave', 'bob: after dave']);
  await expectReach(alice, ['before dave (delivered, delivered to 1 of 1)']);
  await say(dave, room, 'welcome back');
  await expectTranscript(alice, room, ['alice: before dave', 'bob: after dave', 'dave: welcome back']);
});

test('the lobby has its room conversation, and a classic client there is not waited for', async () => {
  const serverWs = `ws://127.0.0.1:${stage.server.port}/ws`;
  const old = await openClassicPeer(stage.browser, serverWs, 'old');
  const alice = await joinAs(stage.browser, stage.server, 'alice', '');
  const bob = await joinAs(stage.browser, stage.server, 'bob', '');
  const lobby = 'Everyone in the lobby';
  await say(alice, lobby, 'lobby news');
  await expectTranscript(bob, lobby, ['alice: lobby news']);
  // The classic client cannot take room lines: once that is known, the line waits only
  // for bob, and the classic page never shows it.
  await expectReach(alice, ['lobby news (delivered, delivered to 1 of 1)'], 15_000);
  const received = await old.evaluate(() => window.classic.state.received);
  assert.ok(!received.some((text) => String(text).includes('lobby news')), JSON.stringify(received));
  assert.deepEqual(await transcript(alice), ['alice: lobby news']);
});
