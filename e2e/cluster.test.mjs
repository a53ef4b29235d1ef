// Several natter-server instances sharing one Redis (issue 16): two pages, each served by
// and logged in to its own instance, find each other, chat both ways and call.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, before, test } from 'node:test';
import {
  expectRemoteVideoPlays, expectTranscript, freePort, joinAs, launchBrowser, say, screenshot, sleep,
  startServer, userEntry,
} from './harness.mjs';

/** Whether a Redis answers PING on `port`. */
function answersPing(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      resolve(String(data).startsWith('+PONG'));
      socket.destroy();
    });
  });
}

/** A redis-server of the test's own on a free loopback port, persistence off. */
async function startRedis() {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--loglevel', 'warning'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`);
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}/`, stop: () => child.kill('SIGKILL') };
}

const stage = {};
before(async () => {
  stage.redis = await startRedis();
  const args = ['--redis-url', stage.redis.url];
  stage.servers = [await startServer({ args }), await startServer({ args })];
  stage.browser = await launchBrowser();
});
after(async () => {
  await stage.browser?.close();
  for (const server of stage.servers ?? []) await server.stop();
  stage.redis?.stop();
});

test('two pages on two instances of one service see each other, chat both ways and call', async () => {
  const [one, two] = stage.servers;
  assert.notEqual(one.port, two.port);
  const alice = await joinAs(stage.browser, one, 'alice', 'cluster');
  const bob = await joinAs(stage.browser, two, 'bob', 'cluster');
  await userEntry(alice, 'bob').waitFor();
  await userEntry(bob, 'alice').waitFor();

  await say(alice, 'bob', 'hello from instance one');
  await expectTranscript(bob, 'alice', ['alice: hello from instance one']);
  await say(bob, 'alice', 'and back from instance two');
  await expectTranscript(alice, 'bob', ['alice: hello from instance one', 'bob: and back from instance two']);

  await alice.getByRole('button', { name: 'Video call' }).click();
  await bob.getByRole('button', { name: 'Accept' }).click();
  await expectRemoteVideoPlays(alice);
  await expectRemoteVideoPlays(bob);
  await screenshot(alice, 'cluster-call');
  for (const page of [alice, bob]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
