// The signaling server dies mid-chat and comes back: pages recover by themselves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectSettled, expectTranscript, joinRoom, say, screenshot, startServer, useStage, userEntry } from './harness.mjs';

const stage = useStage();

test('killing and restarting the server mid-chat loses and doubles nothing', async () => {
  const room = 'phoenix';
  const [alice, bob, carol] = await joinRoom(stage, room, 'alice', 'bob', 'carol');
  await userEntry(alice, 'carol').waitFor();
  await say(alice, 'bob', 'before the crash');
  await say(carol, 'alice', 'carol before');
  await expectTranscript(bob, 'alice', ['alice: before the crash']);
  await expectTranscript(alice, 'carol', ['carol: carol before']);

  const { port } = stage.server;
  await stage.server.stop('SIGKILL');
  for (const page of [alice, bob, carol]) {
    await page.locator('.status[data-server="reconnecting"]').waitFor();
  }
  await screenshot(alice, 'server-lost');
  // The peers still reach each other directly while the server is gone.
  await say(alice, 'bob', 'during the outage');

  stage.server = await startServer({ port });
  for (const page of [alice, bob, carol]) {
    await page.locator('.status[data-server="online"]').waitFor({ timeout: 20_000 });
  }
  await userEntry(alice, 'bob').waitFor();
  await userEntry(alice, 'carol').waitFor();
  await userEntry(bob, 'carol').waitFor();

  await say(bob, 'alice', 'after the restart');
  await say(alice, 'carol', 'alice after');
  await say(carol, 'bob', 'carol meets bob');

  // Each conversation holds each line once, for good: a last line each way shows nothing
  // doubled before it.
  const aliceAndBob = ['alice: before the crash', 'alice: during the outage', 'bob: after the restart'];
  await expectTranscript(alice, 'bob', aliceAndBob);
  const aliceAndCarol = ['carol: carol before', 'alice: alice after'];
  await expectTranscript(carol, 'alice', aliceAndCarol);
  await expectTranscript(bob, 'carol', ['carol: carol meets bob']);
  const withBob = await expectSettled(alice, 'alice', bob, 'bob', aliceAndBob);
  await expectSettled(bob, 'bob', alice, 'alice', withBob);
  const withCarol = await expectSettled(alice, 'alice', carol, 'carol', aliceAndCarol);
  await expectSettled(carol, 'carol', alice, 'alice', withCarol);
  const carolAndBob = await expectSettled(carol, 'carol', bob, 'bob', ['carol: carol meets bob']);
  await expectSettled(bob, 'bob', carol, 'carol', carolAndBob);
  await screenshot(alice, 'server-back');
  for (const page of [alice, bob, carol]) {
    assert.deepEqual(page.errors.filter((e) => !e.includes('WebSocket')), []);
  }
});
