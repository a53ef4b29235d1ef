// natter across NATs (netlab.mjs): the server's built-in STUN gets two homes behind
// port-preserving NATs straight to each other; behind NATs that defeat hole punching only a
// TURN relay (coturn) gets through, a missing or refusing relay is said in words, and relay
// credentials are refreshed before they run out. A Chromium home and a Firefox home too.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  attach,
  dist,
  downloadedDigest,
  expectRemoteVideoPlays,
  expectTranscript,
  inState,
  joinAs,
  keepPeerConnections,
  say,
  screenshot,
  selectedPair,
  serverBin,
  transfer,
  userEntry,
  waitUntilHealthy,
} from './harness.mjs';
import { addresses, startLab } from './netlab.mjs';

const secret = 'nat-test-secret';
const turnUrl = `turn:${addresses.public}:3478`;

/**
 * natter-server in the lab's public network, on port 80 (the lab's browsers treat that
 * origin as secure), with `args`; STUN on UDP 80 as by default.
 */
async function startServer(lab, args = []) {
  const child = lab.run(
    'public',
    serverBin,
    ['--bind', addresses.public, '--port', '80', '--static-dir', dist, ...args],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } },
  );
  await waitUntilHealthy(`http://${addresses.public}/healthz`, Date.now() + 10_000);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  };
  return { url: `http://${addresses.public}/`, stop };
}

/**
 * A lab with `nat` NATs and coturn, a Chromium in each home and a Firefox in home B, and a
 * server per test.
 */
function useLab(nat) {
  const stage = {};
  before(async () => {
    stage.lab = await startLab({ nat });
    stage.turn = await stage.lab.startCoturn({ secret });
    stage.browsers = {};
    for (const home of stage.lab.homes) stage.browsers[home] = await stage.lab.launchBrowser(home);
    stage.firefox = await stage.lab.launchFirefox('homeB');
  });
  after(() => stage.lab?.close());
  /** Runs `body` with a server started with `args`, and the pages it opens closed after. */
  stage.withServer = async (args, body) => {
    const server = await startServer(stage.lab, args);
    const pages = [];
    /** `name` joins `room` from `home`, in its Chromium or, with `firefox`, in Firefox. */
    const join = async (home, name, room, { firefox = false } = {}) => {
      const browser = firefox ? stage.firefox : stage.browsers[home];
      const page = await joinAs(browser, server, name, room, { init: keepPeerConnections });
      pages.push(page);
      return page;
    };
    try {
      await body(join);
    } finally {
      await Promise.all(pages.map((page) => page.context().close()));
      await server.stop();
    }
  };
  return stage;
}

const withTurn = (...extra) => ['--turn-urls', turnUrl, '--turn-secret', secret, ...extra];

/** Waits until `page` lists `peer` with the link words `words` (e.g. 'connected · relayed'). */
const linkShows = (page, peer, words, timeout = 15_000) =>
  userEntry(page, peer).locator('.link-state', { hasText: words }).waitFor({ timeout });

/** Both pages chat, each way. */
async function chatBothWays(a, aName, b, bName) {
  await say(a, bName, `hello from ${aName}`);
  await expectTranscript(b, aName, [`${aName}: hello from ${aName}`]);
  await say(b, aName, `hello from ${bName}`);
  await expectTranscript(a, bName, [`${aName}: hello from ${aName}`, `${bName}: hello from ${bName}`]);
}

describe('behind port-preserving NATs', () => {
  const stage = useLab('preserving');

  test('with nothing configured, the built-in STUN gets two homes straight to each other', async () => {
    await stage.withServer([], async (join) => {
      const alice = await join('homeA', 'alice', 'stun');
      const bob = await join('homeB', 'bob', 'stun');
      await chatBothWays(alice, 'alice', bob, 'bob');
      await linkShows(alice, 'bob', 'connected · direct');
      await linkShows(bob, 'alice', 'connected · direct');
      const pair = await selectedPair(alice);
      // natA's public side, learnt from natter's STUN: the only way home A knows it.
      assert.ok(pair.gathered.includes(`srflx ${addresses.natA}`), pair.gathered.join(', '));
      assert.ok(![pair.local.type, pair.remote.type].includes('relay'), JSON.stringify(pair));
      assert.ok(['srflx', 'prflx'].includes(pair.remote.type), JSON.stringify(pair));
      await screenshot(alice, 'nat-direct-through-stun');
    });
  });

  test('the built-in STUN gets a Chromium and a Firefox home straight to each other', async () => {
    await stage.withServer([], async (join) => {
      const alice = await join('homeA', 'alice', 'stun-firefox');
      const bob = await join('homeB', 'bob', 'stun-firefox', { firefox: true });
      await chatBothWays(alice, 'alice', bob, 'bob');
      await linkShows(alice, 'bob', 'connected · direct');
      await linkShows(bob, 'alice', 'connected · direct');
      for (const [page, nat] of [[alice, addresses.natA], [bob, addresses.natB]]) {
        const pair = await selectedPair(page);
        assert.ok(pair.gathered.includes(`srflx ${nat}`), pair.gathered.join(', '));
        assert.ok(![pair.local.type, pair.remote.type].includes('relay'), JSON.stringify(pair));
      }
      await screenshot(bob, 'nat-direct-firefox');
    });
  });

  test('a relayed connection moves to a direct one when ICE restarts and finds a path', async () => {
    await stage.lab.blockBetweenHomes(true);
    try {
      await stage.withServer(withTurn(), async (join) => {
        const alice = await join('homeA', 'alice', 'restart');
        const bob = await join('homeB', 'bob', 'restart');
        await chatBothWays(alice, 'alice', bob, 'bob');
        await linkShows(alice, 'bob', 'connected · relayed');
        await linkShows(bob, 'alice', 'connected · relayed');
        await stage.lab.blockBetweenHomes(false);
        await alice.evaluate(() => window.pcs.at(-1).restartIce());
        // The side that restarted moves to the direct pair; the other may keep sending
        // through the relay (each side shows the path its own traffic takes).
        await linkShows(alice, 'bob', 'connected · direct', 20_000);
        const pair = await selectedPair(alice);
        assert.deepEqual([pair.local.type, pair.remote.type].includes('relay'), false, JSON.stringify(pair));
        await say(alice, 'bob', 'now direct');
        await expectTranscript(bob, 'alice', ['alice: hello from alice', 'bob: hello from bob', 'alice: now direct']);
      });
    } finally {
      await stage.lab.blockBetweenHomes(false).catch(() => {});
    }
  });
});

describe('behind NATs that defeat hole punching', () => {
  const stage = useLab('random');

  test('without a relay, both pages say they cannot reach the other within 15 s', async () => {
    await stage.withServer([], async (join) => {
      const alice = await join('homeA', 'alice', 'no-relay');
      const bob = await join('homeB', 'bob', 'no-relay');
      const started = Date.now();
      await userEntry(alice, 'bob').click();
      const sentence = (peer) => `Can't reach ${peer}: no direct path, and no relay is configured`;
      await alice.getByRole('alert').filter({ hasText: sentence('bob') }).waitFor({ timeout: 15_000 });
      await linkShows(bob, 'alice', "can't reach", 15_000 - (Date.now() - started));
      assert.ok(Date.now() - started < 15_000);
      await userEntry(bob, 'alice').click();
      await bob.getByRole('alert').filter({ hasText: sentence('alice') }).waitFor();
      await screenshot(alice, 'nat-cannot-reach');
      // It offers to try again, which starts connecting afresh.
      await alice.getByRole('button', { name: 'Try again' }).click();
      await alice.getByRole('alert').filter({ hasText: sentence('bob') }).waitFor({ state: 'detached' });
      await linkShows(alice, 'bob', 'connecting');
    });
  });

  test('through the relay: chat both ways, a 20 MiB file and a video call', async () => {
    await stage.withServer(withTurn(), async (join) => {
      const alice = await join('homeA', 'alice', 'relay');
      const bob = await join('homeB', 'bob', 'relay');
      await chatBothWays(alice, 'alice', bob, 'bob');
      await linkShows(alice, 'bob', 'connected · relayed');
      await linkShows(bob, 'alice', 'connected · relayed');
      const pair = await selectedPair(alice);
      assert.ok([pair.local.type, pair.remote.type].includes('relay'), JSON.stringify(pair));
      await screenshot(alice, 'nat-relayed');

      const buffer = randomBytes(20 << 20);
      await attach(alice, { name: 'relayed.bin', mimeType: 'application/octet-stream', buffer });
      await transfer(bob, 'relayed.bin').getByRole('button', { name: 'Accept' }).click();
      await inState(bob, 'relayed.bin', 'done', 60_000);
      await inState(alice, 'relayed.bin', 'done');
      assert.equal(await downloadedDigest(bob, 'relayed.bin'), createHash('sha256').update(buffer).digest('hex'));

      await alice.getByRole('button', { name: 'Video call' }).click();
      await bob.getByRole('button', { name: 'Accept' }).click();
      await expectRemoteVideoPlays(alice);
      await expectRemoteVideoPlays(bob);
      await screenshot(bob, 'nat-relayed-call');
      await alice.getByRole('button', { name: 'Hang up' }).click();
      await bob.locator('.call').waitFor({ state: 'detached' });
    });
  });

  test('only the relay gets a Chromium and a Firefox home through: chat both ways, a file and a video call', async () => {
    await stage.withServer(withTurn(), async (join) => {
      const alice = await join('homeA', 'alice', 'relay-firefox');
      const bob = await join('homeB', 'bob', 'relay-firefox', { firefox: true });
      await chatBothWays(alice, 'alice', bob, 'bob');
      await linkShows(alice, 'bob', 'connected · relayed');
      await linkShows(bob, 'alice', 'connected · relayed');
      for (const page of [alice, bob]) {
        const pair = await selectedPair(page);
        assert.ok([pair.local.type, pair.remote.type].includes('relay'), JSON.stringify(pair));
      }
      await screenshot(bob, 'nat-relayed-firefox');

      const buffer = randomBytes(2 << 20);
      await attach(bob, { name: 'from-firefox.bin', mimeType: 'application/octet-stream', buffer });
      await transfer(alice, 'from-firefox.bin').getByRole('button', { name: 'Accept' }).click();
      await inState(alice, 'from-firefox.bin', 'done', 60_000);
      assert.equal(await downloadedDigest(alice, 'from-firefox.bin'), createHash('sha256').update(buffer).digest('hex'));

      await bob.getByRole('button', { name: 'Video call' }).click();
      await alice.getByRole('button', { name: 'Accept' }).click();
      await expectRemoteVideoPlays(alice);
      await expectRemoteVideoPlays(bob);
      await bob.getByRole('button', { name: 'Hang up' }).click();
      await alice.locator('.call').waitFor({ state: 'detached' });
    });
  });

  test('two pages in the same home connect directly, never through the relay', async () => {
    await stage.withServer(withTurn(), async (join) => {
      const alice = await join('homeA', 'alice', 'same-home');
      const carol = await join('homeA', 'carol', 'same-home');
      await chatBothWays(alice, 'alice', carol, 'carol');
      await linkShows(alice, 'carol', 'connected · direct');
      await linkShows(carol, 'alice', 'connected · direct');
      const pair = await selectedPair(alice);
      assert.deepEqual([pair.local.type, pair.remote.type], ['host', 'host']);
    });
  });

  test('a relay that refuses the credentials is said in words, not a hang', async () => {
    await stage.withServer(['--turn-urls', turnUrl, '--turn-secret', 'not-the-secret'], async (join) => {
      const alice = await join('homeA', 'alice', 'refused');
      const bob = await join('homeB', 'bob', 'refused');
      await userEntry(alice, 'bob').click();
      const sentence = "Can't reach bob: no direct path, and the relay refused the connection";
      await alice.getByRole('alert').filter({ hasText: sentence }).waitFor({ timeout: 15_000 });
      await linkShows(bob, 'alice', "can't reach");
    });
  });

  test('relay credentials are refreshed before they expire, and still work after', async () => {
    await stage.withServer(withTurn('--turn-ttl', '20'), async (join) => {
      const alice = await join('homeA', 'alice', 'refresh');
      const bob = await join('homeB', 'bob', 'refresh');
      await chatBothWays(alice, 'alice', bob, 'bob');
      await linkShows(alice, 'bob', 'connected · relayed');
      const expiry = (page) =>
        page.evaluate(() => {
          const turn = window.pcs.at(-1).getConfiguration().iceServers.find((s) => s.username);
          return Number(turn.username.split(':')[0]);
        });
      const first = await expiry(alice);
      // Asked for at four fifths of the 20 s: fresh ones well before the first expire.
      await alice.waitForFunction((first) => {
        const turn = window.pcs.at(-1).getConfiguration().iceServers.find((s) => s.username);
        return Number(turn.username.split(':')[0]) > first;
      }, first, { timeout: 20_000 });
      assert.ok(Date.now() / 1000 < first, 'refreshed before the first credentials ran out');
      // Past the first expiry, a new gathering needs the fresh credentials to get a relay.
      await alice.waitForFunction((first) => Date.now() / 1000 > first + 1, first, { timeout: 25_000 });
      const relays = () =>
        alice.evaluate(async () =>
          [...(await window.pcs.at(-1).getStats()).values()]
            .filter((r) => r.type === 'local-candidate' && r.candidateType === 'relay')
            .map((r) => r.port),
        );
      const old = await relays();
      await alice.evaluate(() => window.pcs.at(-1).restartIce());
      const deadline = Date.now() + 15_000;
      while (!(await relays()).some((port) => !old.includes(port))) {
        assert.ok(Date.now() < deadline, 'no new relay address after the ICE restart');
        await alice.waitForTimeout(250);
      }
      await say(alice, 'bob', 'past the first expiry');
      await expectTranscript(bob, 'alice', ['alice: hello from alice', 'bob: hello from bob', 'alice: past the first expiry']);
      await linkShows(alice, 'bob', 'connected · relayed');
    });
  });
});
