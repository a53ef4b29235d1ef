// History for late joiners, with proof (issue 25): a newcomer gets the room's recent lines
// from the members who hold them, each checked against the key its author gave over the
// newcomer's own link; a line a member altered on the way shows as relayed and unverified,
// in words, not as its author's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { expectTranscript, joinAs, joinRoom, say, screenshot, until, useStage } from './harness.mjs';

const stage = useStage('chromium', 'firefox');
const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Each line of the open conversation as `from: text`, with its mark if it is not its author's. */
function proofs(page) {
  return page.locator('.messages .message').evaluateAll((items) =>
    items.map((item) => {
      const mark = item.querySelector('.unverified')?.textContent;
      return `${item.querySelector('.from').textContent}: ${item.querySelector('.text').textContent}${mark ? ` [${mark}]` : ''}`;
    }),
  );
}

/** The open conversation's lines still being checked, or not shown as their author's. */
const relayed = (page) => page.locator('.messages .message[data-proof]').count();

/** An `init` script: the room lines this page passes on to newcomers are altered on the way. */
function alterPassedOn() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"roomPast"')) data = data.replace('meet at 5', 'meet at 6');
    return send.call(this, data);
  };
}

/** An `init` script: this page passes none of the room's lines on. */
function passNothingOn() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"roomPast"')) return;
    return send.call(this, data);
  };
}

test('a late joiner (Firefox) sees the last lines of alice and bob, verified', async () => {
  const [alice, bob] = await joinRoom(stage, 'annals', 'alice', 'bob');
  const room = 'Everyone in annals';
  await say(alice, room, 'first from alice');
  await expectTranscript(bob, room, ['alice: first from alice']);
  await say(bob, room, 'then bob');
  await say(alice, room, 'last from alice');
  const said = ['alice: first from alice', 'bob: then bob', 'alice: last from alice'];
  await expectTranscript(bob, room, said);
  await expectTranscript(alice, room, said);

  const carol = await joinAs(stage.browsers.firefox, stage.server, 'carol', 'annals');
  await expectTranscript(carol, room, said, 20_000);
  await until(() => relayed(carol), 0, 10_000, "carol's checks");
  assert.deepEqual(await proofs(carol), said);
  await screenshot(carol, 'room-history-verified');
  // What carol now holds, she can pass on in turn: written after, it reaches everyone.
  await say(carol, room, 'thanks, I am up to date');
  await expectTranscript(alice, room, [...said, 'carol: thanks, I am up to date']);
  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, []);
});

test('a line the relaying member altered shows as relayed and unverified, not as the author’s', async () => {
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'forgery', { init: passNothingOn });
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'forgery', { init: alterPassedOn });
  const room = 'Everyone in forgery';
  await say(alice, room, 'meet at 5');
  await say(bob, room, 'see you there');
  await expectTranscript(alice, room, ['alice: meet at 5', 'bob: see you there']);

  // Only bob passes the room's lines on to carol, and he alters alice's; she has alice's key
  // from alice herself.
  const carol = await joinAs(stage.browser, stage.server, 'carol', 'forgery');
  await expectTranscript(carol, room, ['alice: meet at 6', 'bob: see you there'], 20_000);
  await until(() => proofs(carol), ['alice: meet at 6 [Unverified: relayed by bob]', 'bob: see you there'], 10_000, "carol's room");
  const forged = carol.locator('.messages .message[data-proof]');
  assert.equal(await forged.getAttribute('data-proof'), 'unverified');
  assert.match(await forged.locator('.unverified').getAttribute('title'), /bob passed this line on; natter could not check that alice wrote it/);

  // Axe on the marked line, light and dark (its words carry the mark, not its colour alone).
  await carol.evaluate(axeSource);
  for (const colorScheme of ['light', 'dark']) {
    await carol.emulateMedia({ colorScheme });
    const violations = await carol.evaluate(async () => {
      const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
    });
    await screenshot(carol, `room-history-unverified-${colorScheme}`);
    assert.deepEqual(violations, [], colorScheme);
  }
  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, []);
});
