// Voice and video calls on the chat's peer connection, with Chromium's fake camera and
// microphone (--use-fake-device-for-media-stream).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectRemoteVideoPlays,
  expectTranscript,
  joinAs,
  launchBrowser,
  say,
  screenshot,
  useStage,
  userEntry,
} from './harness.mjs';

const stage = useStage();

/** Remembers every track the page opens, so a test can check they were all stopped. */
function recordTracks() {
  window.openedTracks = [];
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    window.openedTracks.push(...stream.getTracks());
    return stream;
  };
}

/** Two pages in `room`, connected: a's conversation with b is open on both sides. */
async function pair(room, a = 'alice', b = 'bob', { deny, within = stage.browser, clock } = {}) {
  const first = await joinAs(within, stage.server, a, room, { init: recordTracks, deny, clock });
  const second = await joinAs(within, stage.server, b, room, { init: recordTracks });
  await say(first, b, 'ready?');
  await expectTranscript(second, a, [`${a}: ready?`]);
  await userEntry(first, b).locator('[data-state="connected"]').waitFor();
  return [first, second];
}

const liveTracks = (page) => page.evaluate(() => window.openedTracks.filter((t) => t.readyState === 'live').length);

async function videoCall(caller, callee) {
  await caller.getByRole('button', { name: 'Video call' }).click();
  await callee.getByRole('button', { name: 'Accept' }).click();
  await expectRemoteVideoPlays(caller);
  await expectRemoteVideoPlays(callee);
}

test('a video call shows each side the other, mute is seen, hang-up stops everything', async () => {
  const [alice, bob] = await pair('video');
  await alice.getByRole('button', { name: 'Video call' }).click();
  await bob.locator('.call.incoming', { hasText: 'alice is calling' }).waitFor();
  await screenshot(bob, 'call-incoming');
  await bob.getByRole('button', { name: 'Accept' }).click();
  await expectRemoteVideoPlays(alice);
  await expectRemoteVideoPlays(bob);
  await alice.locator('.call-time', { hasText: /0:0[1-9]/ }).waitFor();
  await screenshot(alice, 'call-video');

  // Chat keeps flowing during the call.
  await say(bob, 'alice', 'can you see me?');
  await expectTranscript(alice, 'bob', ['alice: ready?', 'bob: can you see me?']);

  await alice.getByRole('button', { name: 'Mute' }).click();
  await bob.locator('.remote-state', { hasText: 'alice is muted' }).waitFor();
  await alice.getByRole('button', { name: 'Unmute' }).click();
  await bob.locator('.remote-state', { hasText: 'alice is muted' }).waitFor({ state: 'detached' });

  assert.ok((await liveTracks(alice)) >= 2);
  await bob.getByRole('button', { name: 'Hang up' }).click();
  await alice.locator('.call').waitFor({ state: 'detached' });
  await bob.locator('.call').waitFor({ state: 'detached' });
  assert.equal(await liveTracks(alice), 0, 'alice released camera and microphone');
  assert.equal(await liveTracks(bob), 0, 'bob released camera and microphone');
  await say(alice, 'bob', 'after the call');
  await expectTranscript(bob, 'alice', ['alice: ready?', 'bob: can you see me?', 'alice: after the call']);
  for (const page of [alice, bob]) await page.context().close();
});

test('a declined call ends on both sides', async () => {
  const [carol, dave] = await pair('decline', 'carol', 'dave');
  await carol.getByRole('button', { name: 'Voice call' }).click();
  await carol.locator('.call.ringing', { hasText: 'Calling dave' }).waitFor();
  await dave.getByRole('button', { name: 'Decline', exact: true }).click();
  await carol.locator('.call').waitFor({ state: 'detached' });
  await carol.locator('.toast', { hasText: 'dave declined the call' }).waitFor();
  assert.equal(await dave.locator('.call').count(), 0);
  assert.equal(await liveTracks(carol), 0);
  assert.equal(await liveTracks(dave), 0);
  for (const page of [carol, dave]) await page.context().close();
});

/** Holds rings back for a moment, so both sides ring before either hears the other. */
function delayRings() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"type":"call"')) {
      setTimeout(() => send.call(this, data), 500);
    } else {
      send.call(this, data);
    }
  };
}

test('both sides calling at once end up in one working call', async () => {
  const [erin, frank] = await pair('glare', 'erin', 'frank');
  await erin.evaluate(delayRings);
  await frank.evaluate(delayRings);
  await erin.getByRole('button', { name: 'Video call' }).click();
  await frank.getByRole('button', { name: 'Video call' }).click();
  await erin.locator('.call.ringing').waitFor();
  await frank.locator('.call.ringing').waitFor();
  await expectRemoteVideoPlays(erin);
  await expectRemoteVideoPlays(frank);
  assert.equal(await erin.locator('.call').count(), 1);
  await say(frank, 'erin', 'still chatting');
  await expectTranscript(erin, 'frank', ['erin: ready?', 'frank: still chatting']);
  await erin.getByRole('button', { name: 'Hang up' }).click();
  await frank.locator('.call').waitFor({ state: 'detached' });
  for (const page of [erin, frank]) await page.context().close();
});

test('a refused camera gives a clear message and a voice-only call', async () => {
  // Chromium's fake media UI would allow the camera despite the refusal: not in this browser.
  const strict = await launchBrowser({ fakeUi: false });
  const [gina, hank] = await pair('no-camera', 'gina', 'hank', { deny: ['camera'], within: strict });
  await gina.getByRole('button', { name: 'Video call' }).click();
  await hank.getByRole('button', { name: 'Accept' }).click();
  await gina.locator('.toast', { hasText: 'Camera unavailable (access was refused)' }).waitFor();
  await hank.locator('.remote-state', { hasText: "gina's camera is off" }).waitFor();
  await expectRemoteVideoPlays(gina);
  const ginaTracks = await gina.evaluate(() => window.openedTracks.map((t) => t.kind));
  assert.deepEqual(ginaTracks, ['audio']);
  await screenshot(gina, 'call-without-camera');
  await gina.getByRole('button', { name: 'Hang up' }).click();
  await hank.locator('.call').waitFor({ state: 'detached' });
  await strict.close();
});

// Headless Chromium cannot capture a real screen, so getDisplayMedia is answered with a
// canvas's captureStream(): this covers the app's track replacement (camera → screen →
// camera on the same sender, seen by the peer), not the browser's screen picker.
function fakeScreen() {
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

test('screen sharing replaces the camera for the peer and goes back', async () => {
  const [ivy, jack] = await pair('share', 'ivy', 'jack');
  await ivy.evaluate(fakeScreen);
  await videoCall(ivy, jack);
  // The canvas is 16:9, the fake camera 4:3: the shape tells which one jack receives.
  const shapeIs = (expected) => {
    const video = document.querySelector('.call video.remote');
    return video.videoWidth > 0 && (video.videoHeight / video.videoWidth).toFixed(2) === expected;
  };
  assert.ok(await jack.evaluate(shapeIs, '0.75'));
  await ivy.getByRole('button', { name: 'Share screen' }).click();
  await jack.waitForFunction(shapeIs, '0.56');
  await jack.locator('.remote-state', { hasText: 'ivy is sharing the screen' }).waitFor();
  await screenshot(jack, 'call-screen-shared');
  await ivy.getByRole('button', { name: 'Stop sharing' }).click();
  await jack.waitForFunction(shapeIs, '0.75');
  await ivy.getByRole('button', { name: 'Hang up' }).click();
  await jack.locator('.call').waitFor({ state: 'detached' });
  for (const page of [ivy, jack]) await page.context().close();
});

test('a ring nobody answers ends after 45 s: "No answer" for the caller, a missed call for the callee', async () => {
  const [kim, lee] = await pair('unanswered', 'kim', 'lee', { clock: true });
  await kim.getByRole('button', { name: 'Voice call' }).click();
  await lee.locator('.call.incoming', { hasText: 'kim is calling' }).waitFor();
  await kim.clock.fastForward(46_000);
  await kim.locator('.toast', { hasText: 'No answer from lee' }).waitFor();
  await kim.locator('.call').waitFor({ state: 'detached' });
  await lee.locator('.toast', { hasText: 'Missed call from kim' }).waitFor();
  await lee.locator('.call').waitFor({ state: 'detached' });
  assert.equal(await liveTracks(kim), 0);
  for (const page of [kim, lee]) await page.context().close();
});
