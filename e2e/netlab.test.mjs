// Proof that the network lab (netlab.mjs) behaves like the internet it stands for: bare peer
// connections between pages in two homes, with SDP handed over by the test, no signaling.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitUntilHealthy } from './harness.mjs';
import { addresses, startLab } from './netlab.mjs';

const secret = 'netlab-test-secret';
const site = `http://${addresses.public}/`;

// The page the peers run in, served from the public net as natter-server will be. Chromium's
// Local Network Access stops pages from reaching 127.0.0.1 unless they came from loopback,
// but all of the lab's documentation ranges count as public: this page reaches every lab
// address (fetch and WebSocket). The lab's browsers treat this origin as secure.
const pageServer = `require('node:http')
  .createServer((_, response) => response.end('<!doctype html><title>netlab</title>'))
  .listen(80, '${addresses.public}')`;

/** Builds a lab with `nat` NATs, coturn and the page server, and a browser in each home. */
function useLab(nat) {
  const stage = {};
  before(async () => {
    stage.lab = await startLab({ nat });
    stage.turn = await stage.lab.startCoturn({ secret });
    stage.lab.run('public', process.execPath, ['-e', pageServer], { stdio: 'inherit' });
    await waitUntilHealthy(site, Date.now() + 10_000);
    stage.browsers = {};
    for (const home of stage.lab.homes) stage.browsers[home] = await stage.lab.launchBrowser(home);
  });
  after(() => stage.lab?.close());
  return stage;
}

/**
 * A page of the site in its own context, camera and microphone allowed as harness.mjs's
 * openPage does: only then does Chromium show host addresses, not mDNS names (`<uuid>.local`
 * in the SDP, a blank address in getStats), so a test can tell which path ICE took.
 */
async function openPage(browser) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  await page.goto(site);
  return page;
}

/** In a page: one RTCPeerConnection with a data channel, driven through `window.peer`. */
function installPeer(iceServers) {
  const pc = new RTCPeerConnection({ iceServers });
  const until = (target, event, done) =>
    new Promise((resolve) => target.addEventListener(event, () => done() && resolve()));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const gathered = until(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete');
  const settled = until(pc, 'iceconnectionstatechange', () =>
    ['connected', 'completed', 'failed'].includes(pc.iceConnectionState),
  );
  const received = new Promise((resolve) => {
    pc.ondatachannel = ({ channel }) => (channel.onmessage = ({ data }) => resolve(data));
  });
  const described = async () => {
    await pc.setLocalDescription();
    await gathered; // every candidate in the SDP: no trickle to relay
    return pc.localDescription.toJSON();
  };
  window.peer = {
    offer() {
      const channel = pc.createDataChannel('lab');
      channel.onopen = () => channel.send('hello across the lab');
      return described();
    },
    async answer(offer) {
      await pc.setRemoteDescription(offer);
      return described();
    },
    accept: (answer) => pc.setRemoteDescription(answer),
    received: (ms) => Promise.race([received, sleep(ms).then(() => null)]),
    /** ICE's state once it connects or fails (or `ms` pass), and the pair it picked. */
    async outcome(ms) {
      await Promise.race([settled, sleep(ms)]);
      const stats = [...(await pc.getStats()).values()];
      const byId = (id) => stats.find((report) => report.id === id);
      const pair = byId(stats.find((report) => report.type === 'transport')?.selectedCandidatePairId);
      const candidate = (id) => byId(id) && { type: byId(id).candidateType, address: byId(id).address };
      return {
        state: pc.iceConnectionState,
        local: pair && candidate(pair.localCandidateId),
        remote: pair && candidate(pair.remoteCandidateId),
        gathered: stats
          .filter((report) => report.type === 'local-candidate')
          .map((local) => `${local.candidateType} ${local.address}`),
      };
    },
  };
}

/**
 * Connects a peer in page `a` to one in page `b` with `iceServers`, waiting up to `ms`.
 * Resolves to both outcomes and the text `b` received on the data channel (null if none).
 */
async function connect(a, b, iceServers, ms = 10_000) {
  await a.evaluate(installPeer, iceServers);
  await b.evaluate(installPeer, iceServers);
  const offer = await a.evaluate(() => window.peer.offer());
  const answer = await b.evaluate((offer) => window.peer.answer(offer), offer);
  await a.evaluate((answer) => window.peer.accept(answer), answer);
  const outcome = (page) => page.evaluate((ms) => window.peer.outcome(ms), ms);
  const [offerer, answerer] = await Promise.all([outcome(a), outcome(b)]);
  const received = connected(answerer) ? await b.evaluate(() => window.peer.received(2000)) : null;
  return { offerer, answerer, received };
}

const connected = (outcome) => ['connected', 'completed'].includes(outcome.state);
const show = (value) => JSON.stringify(value);

describe('port-preserving NATs', { timeout: 60_000 }, () => {
  const stage = useLab('preserving');

  test('STUN alone: the homes punch through both NATs', async () => {
    const { browsers, turn } = stage;
    const pages = [await openPage(browsers.homeA), await openPage(browsers.homeB)];
    const { offerer, received } = await connect(...pages, [{ urls: turn.stunUrl }]);
    assert.ok(connected(offerer), show(offerer));
    // What each side sees of the other is its NAT's WAN address, learned by STUN or by checks.
    assert.match(offerer.local.type, /^(srflx|prflx)$/, show(offerer));
    assert.match(offerer.remote.type, /^(srflx|prflx)$/, show(offerer));
    assert.equal(offerer.remote.address, addresses.natB, show(offerer));
    assert.equal(received, 'hello across the lab');
  });

  test('two pages in one home connect over their host addresses', async () => {
    const { browsers, turn } = stage;
    const pages = [await openPage(browsers.homeA), await openPage(browsers.homeA)];
    const { offerer, received } = await connect(...pages, [{ urls: turn.stunUrl }]);
    assert.ok(connected(offerer), show(offerer));
    assert.deepEqual([offerer.local, offerer.remote], [
      { type: 'host', address: addresses.homeA },
      { type: 'host', address: addresses.homeA },
    ]);
    assert.equal(received, 'hello across the lab');
  });
});

describe('port-randomizing NATs', { timeout: 60_000 }, () => {
  const stage = useLab('random');

  test('STUN alone: the homes cannot reach each other', async () => {
    const { browsers, turn } = stage;
    const pages = [await openPage(browsers.homeA), await openPage(browsers.homeB)];
    const { offerer, answerer } = await connect(...pages, [{ urls: turn.stunUrl }]);
    // Each NAT gives the peer a port other than the one STUN saw, and drops what it sends.
    assert.ok(offerer.gathered.some((candidate) => candidate.startsWith('srflx')), show(offerer));
    assert.ok(!connected(offerer) && !connected(answerer), show({ offerer, answerer }));
  });

  test('TURN: the homes connect through the relay', async () => {
    const { browsers, turn } = stage;
    const pages = [await openPage(browsers.homeA), await openPage(browsers.homeB)];
    const iceServers = [{ urls: [turn.stunUrl, turn.url], ...turn.credentials('netlab') }];
    const { offerer, received } = await connect(...pages, iceServers);
    assert.ok(connected(offerer), show(offerer));
    assert.ok([offerer.local.type, offerer.remote.type].includes('relay'), show(offerer));
    assert.equal(received, 'hello across the lab');
  });
});
