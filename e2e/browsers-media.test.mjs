// Calls, screen sharing and files across browsers (issue 22): for each pair of Chromium and
// Firefox pages, a video call one way (with a screen shared) and a voice call the other,
// the media decoded, mute and camera off seen; a file each way with its digest checked.
// Screens: headless Chromium shares its fake screen (a real getDisplayMedia, 16:9);
// headless Firefox has no screen to capture (NotFoundError), so a Firefox page shares a
// canvas's captureStream() instead, which covers everything but the browser's picker.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  attach, browserName, downloadedDigest, expectRemoteVideoPlays, expectTranscript, inState, joinAs,
  keepPeerConnections, say, screenshot, sleep, transfer, userEntry, useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');

const pairs = [
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
  ['firefox', 'firefox'],
];

/**
 * Runs `body(alice, bob)` with two pages in `room`, alice's from `first` and bob's from
 * `second`, connected, their conversation open; closes them after, also on failure (a call
 * left running would slow every later test).
 */
async function withPair(room, first, second, body) {
  const pages = [];
  try {
    for (const [browser, name] of [[first, 'alice'], [second, 'bob']]) {
      pages.push(await joinAs(stage.browsers[browser], stage.server, name, room, { init: keepPeerConnections }));
    }
    const [alice, bob] = pages;
    await say(alice, 'bob', 'ready?');
    await expectTranscript(bob, 'alice', ['alice: ready?']);
    await userEntry(alice, 'bob').locator('[data-state="connected"]').waitFor();
    await body(alice, bob);
    assert.deepEqual([...alice.errors, ...bob.errors], []);
  } finally {
    await Promise.all(pages.map((page) => page.context().close()));
  }
}

/**
 * Waits until the peer's sound reaches the page decoded: the call's remote media element
 * plays (its clock moves), and the samples decoded from the peer's audio grow and are not
 * all silence. (By the receiver's statistics: headless Firefox without a sound card never
 * starts an AudioContext, so the samples cannot be listened to there.)
 */
async function expectRemoteAudioPlays(page) {
  await page.waitForFunction(() => {
    const media = document.querySelector('.call video.remote');
    return media?.srcObject?.getAudioTracks().length > 0 && !media.paused && media.currentTime > 0.2;
  });
  const decoded = () =>
    page.evaluate(async () => {
      // Summed: each call brings a stream of its own.
      const audio = [...(await window.pcs.at(-1).getStats()).values()].filter(
        (report) => report.type === 'inbound-rtp' && report.kind === 'audio',
      );
      const sum = (field) => audio.reduce((total, report) => total + (report[field] ?? 0), 0);
      return { samples: sum('totalSamplesReceived'), energy: sum('totalAudioEnergy') };
    });
  const before = await decoded();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await decoded();
    if (now.samples > before.samples + 4800 && now.energy > before.energy) return;
    assert.ok(Date.now() < deadline, `no sound decoded: ${JSON.stringify({ before, now })}`);
    await sleep(100);
  }
}

/** A screen for `getDisplayMedia` where the browser has none (see the top of this file). */
function canvasScreen() {
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 180 });
    const context = canvas.getContext('2d');
    setInterval(() => {
      context.fillStyle = `hsl(${Date.now() % 360} 80% 50%)`;
      context.fillRect(0, 0, 320, 180);
    }, 50);
    return canvas.captureStream(20);
  };
}

/** Waits until the remote video's shape (height / width, two decimals) is `shape`. */
const waitForShape = (page, shape) =>
  page.waitForFunction((shape) => {
    const video = document.querySelector('.call video.remote');
    return video.videoWidth > 0 && (video.videoHeight / video.videoWidth).toFixed(2) === shape;
  }, shape);

for (const [first, second] of pairs) {
  describe(`${first} → ${second}`, () => {
    const room = `${first}-${second}`;

    test('a video call one way, a voice call the other: media decoded, mute, camera off, a shared screen', async () => {
      await withPair(`${room}-calls`, first, second, async (alice, bob) => {
        if (first === 'firefox') await alice.evaluate(canvasScreen);
        await alice.getByRole('button', { name: 'Video call' }).click();
        await bob.locator('.call.incoming', { hasText: 'alice is calling' }).waitFor();
        await bob.getByRole('button', { name: 'Accept' }).click();
        for (const page of [alice, bob]) {
          await expectRemoteVideoPlays(page);
          await expectRemoteAudioPlays(page);
        }
        await screenshot(second === 'firefox' ? bob : alice, `browsers-${room}-video-call`);
        for (const [page, peer, name] of [[alice, bob, 'alice'], [bob, alice, 'bob']]) {
          await page.getByRole('button', { name: 'Mute' }).click();
          await peer.locator('.remote-state', { hasText: `${name} is muted` }).waitFor();
          await page.getByRole('button', { name: 'Unmute' }).click();
          await peer.locator('.remote-state', { hasText: `${name} is muted` }).waitFor({ state: 'detached' });
          await page.getByRole('button', { name: 'Camera off' }).click();
          await peer.locator('.call .no-video.remote').waitFor({ state: 'visible' });
          await peer.locator('.remote-state', { hasText: `${name}'s camera is off` }).waitFor();
          await page.locator('.call .no-video.local').waitFor({ state: 'visible' });
          if (browserName(peer.context().browser()) === 'firefox') {
            await screenshot(peer, `browsers-${room}-camera-off-seen-in-firefox`);
          }
          await page.getByRole('button', { name: 'Camera on' }).click();
          await peer.locator('.call .no-video.remote').waitFor({ state: 'hidden' });
          await expectRemoteVideoPlays(peer);
        }

        // Both fake cameras are 4:3, both screens 16:9: the shape tells which one bob gets.
        await waitForShape(bob, '0.75');
        await alice.getByRole('button', { name: 'Share screen' }).click();
        await waitForShape(bob, '0.56');
        await bob.locator('.remote-state', { hasText: 'alice is sharing the screen' }).waitFor();
        await screenshot(bob, `browsers-${room}-screen-shared`);
        await alice.getByRole('button', { name: 'Stop sharing' }).click();
        await waitForShape(bob, '0.75');
        await bob.getByRole('button', { name: 'Hang up' }).click();
        await alice.locator('.call').waitFor({ state: 'detached' });

        await bob.getByRole('button', { name: 'Voice call' }).click();
        await alice.locator('.call.incoming', { hasText: 'bob is calling' }).waitFor();
        await alice.getByRole('button', { name: 'Accept' }).click();
        for (const page of [alice, bob]) await expectRemoteAudioPlays(page);
        await alice.locator('.call .no-video.remote').waitFor({ state: 'visible' });
        await alice.getByRole('button', { name: 'Mute' }).click();
        await bob.locator('.remote-state', { hasText: 'alice is muted' }).waitFor();
        await alice.getByRole('button', { name: 'Hang up' }).click();
        await bob.locator('.call').waitFor({ state: 'detached' });
        await alice.locator('.messages .notice', { hasText: /^Voice call · 0:\d\d$/ }).waitFor();
      });
    });

    test('a file each way arrives byte-identical', async () => {
      await withPair(`${room}-files`, first, second, async (alice, bob) => {
        const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');
        for (const [sender, receiver, name] of [[alice, bob, 'from-alice.bin'], [bob, alice, 'from-bob.bin']]) {
          const buffer = randomBytes(1 << 20);
          await attach(sender, { name, mimeType: 'application/octet-stream', buffer });
          await transfer(receiver, name).getByRole('button', { name: 'Accept' }).click();
          await inState(receiver, name, 'done');
          await inState(sender, name, 'done');
          assert.equal(await downloadedDigest(receiver, name), sha256(buffer), `${name} arrived intact`);
        }
        await screenshot(second === 'firefox' ? bob : alice, `browsers-${room}-files`);
      });
    });
  });
}
