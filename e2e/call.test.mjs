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

/**
 * Remembers every track the page opens, so a test can check they were all stopped, and
 * every oscillator it makes (a ring): its pitches, whether it started and stopped, and its
 * audio context, to tell whether it was heard.
 */
function recordTracks() {
  window.openedTracks = [];
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    window.openedTracks.push(...stream.getTracks());
    return stream;
  };
  window.rings = [];
  window.AudioContext = class extends window.AudioContext {
    createOscillator() {
      const oscillator = super.createOscillator();
      const ring = { hz: new Set(), started: false, stopped: false, context: this };
      window.rings.push(ring);
      const { frequency } = oscillator;
      const setValueAtTime = frequency.setValueAtTime.bind(frequency);
      frequency.setValueAtTime = (value, time) => {
        ring.hz.add(value);
        return setValueAtTime(value, time);
      };
      const [start, stop] = [oscillator.start.bind(oscillator), oscillator.stop.bind(oscillator)];
      oscillator.start = (...args) => {
        ring.started = true;
        return start(...args);
      };
      oscillator.stop = (...args) => {
        ring.stopped = true;
        return stop(...args);
      };
      return oscillator;
    }
  };
}

/** Waits until the page plays a ring of exactly these pitches in a running audio context. */
const expectRing = (page, pitches) =>
  page.waitForFunction(
    (pitches) =>
      window.rings.some(
        (ring) =>
          ring.started &&
          !ring.stopped &&
          ring.context.state === 'running' &&
          JSON.stringify([...ring.hz].sort()) === JSON.stringify(pitches),
      ),
    pitches,
  );
/** Waits until every ring the page played has stopped and its audio context is closed. */
const expectSilence = (page) =>
  page.waitForFunction(
    () => window.rings.length > 0 && window.rings.every((r) => r.stopped && r.context.state === 'closed'),
  );
const RING_HZ = [660, 880];
const RINGBACK_HZ = [425];

/** The line a call left in the open conversation with `peer` (a missed call's has a line of its own). */
async function expectCallLine(page, peer, text) {
  await userEntry(page, peer).click();
  await page.locator('.messages :is(.notice, .missed-call)', { hasText: text }).waitFor();
}

/** The avatar's initial as shown and its colour. */
const looks = (avatar) => avatar.evaluate((el) => [el.innerText, getComputedStyle(el).backgroundColor]);

/** Every notice on screen stays clear of the composer and its Send button. */
async function expectNoticesClearOfComposer(page) {
  const toasts = await page.locator('.toast').all();
  assert.ok(toasts.length > 0, 'a notice is showing');
  const composer = await page.locator('.composer').boundingBox();
  const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
  const overlap = (a, b) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const toast of toasts) {
    const box = await toast.boundingBox();
    assert.ok(!overlap(box, composer), `notice ${JSON.stringify(box)} covers the composer`);
    assert.ok(!overlap(box, send), `notice ${JSON.stringify(box)} covers Send`);
  }
}

/** What stands in the tile for someone without video: visible, with this initial. */
async function expectNoVideo(page, tile, initial) {
  const placeholder = page.locator(`.call .no-video.${tile}`);
  await placeholder.waitFor({ state: 'visible' });
  // innerText: as shown, in upper case.
  assert.equal(await placeholder.locator('.no-video-initial').innerText(), initial);
  return placeholder.locator('.no-video-initial').evaluate((el) => getComputedStyle(el).backgroundColor);
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
  // Bob hears the two-tone ring, alice the ring-back, until bob answers.
  await expectRing(bob, RING_HZ);
  await expectRing(alice, RINGBACK_HZ);
  await bob.locator('.toast', { hasText: 'alice is calling' }).waitFor();
  await expectNoticesClearOfComposer(bob);
  await screenshot(bob, 'call-incoming');
  await bob.getByRole('button', { name: 'Accept' }).click();
  await expectSilence(bob);
  await expectSilence(alice);
  // The incoming call's notice goes at once, not when it would have run out.
  await bob.locator('.toast', { hasText: 'alice is calling' }).waitFor({ state: 'detached', timeout: 2_000 });
  assert.equal(await bob.locator('.call.incoming').count(), 0);
  await expectRemoteVideoPlays(alice);
  await expectRemoteVideoPlays(bob);
  await alice.locator('.call-time', { hasText: /0:0[1-9]/ }).waitFor();
  assert.ok(await alice.locator('.call .no-video').evaluateAll((all) => all.every((el) => el.hidden)));
  await screenshot(alice, 'call-video');

  // Bob's camera off: alice sees his initial on his colour, bob his own in the small tile.
  await bob.getByRole('button', { name: 'Camera off' }).click();
  const bobSeen = await expectNoVideo(alice, 'remote', 'B');
  const bobOwn = await expectNoVideo(bob, 'local', 'B');
  assert.equal(bobSeen, bobOwn, "bob's colour is the same on both pages");
  assert.notEqual(bobSeen, 'rgb(0, 0, 0)');
  const [tile, video] = await Promise.all(
    ['.no-video.remote', 'video.remote'].map((s) => alice.locator(`.call ${s}`).boundingBox()),
  );
  assert.deepEqual(tile, video, 'the placeholder covers the whole video tile');
  await screenshot(alice, 'call-camera-off');
  await bob.getByRole('button', { name: 'Camera on' }).click();
  await alice.locator('.call .no-video.remote').waitFor({ state: 'hidden' });

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
  // The call's line, in both conversations, kept in the history.
  await expectCallLine(alice, 'bob', /^Video call · 0:\d\d$/);
  await expectCallLine(bob, 'alice', /^Video call · 0:\d\d$/);
  await screenshot(bob, 'call-ended-line');
  await bob.reload();
  await expectCallLine(bob, 'alice', /^Video call · 0:\d\d$/);
  for (const page of [alice, bob]) await page.context().close();
});

test('a declined call ends on both sides', async () => {
  const [carol, dave] = await pair('decline', 'carol', 'dave');
  await carol.getByRole('button', { name: 'Voice call' }).click();
  await carol.locator('.call.ringing', { hasText: 'Calling dave' }).waitFor();
  await dave.getByRole('button', { name: 'Decline', exact: true }).click();
  await carol.locator('.call').waitFor({ state: 'detached' });
  await carol.locator('.toast', { hasText: 'dave declined the call' }).waitFor();
  await expectNoticesClearOfComposer(carol);
  await screenshot(carol, 'call-declined');
  assert.equal(await dave.locator('.call').count(), 0);
  await expectCallLine(carol, 'dave', 'Voice call · Declined');
  await expectCallLine(dave, 'carol', 'Declined voice call');
  await expectSilence(carol);
  await expectSilence(dave);
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
  await expectNoVideo(hank, 'remote', 'G');
  await expectNoVideo(gina, 'local', 'G');
  await screenshot(hank, 'call-camera-off-peer');
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
  await expectRing(lee, RING_HZ);
  await expectRing(kim, RINGBACK_HZ);
  // A second short of the time, it still rings.
  await kim.clock.fastForward(44_000);
  await kim.waitForTimeout(300);
  assert.equal(await kim.locator('.call.ringing').count(), 1);
  await kim.clock.fastForward(1_500);
  await kim.locator('.toast', { hasText: 'No answer from lee' }).waitFor();
  await kim.locator('.call').waitFor({ state: 'detached' });
  await lee.locator('.toast', { hasText: 'Missed call from kim' }).waitFor();
  await lee.locator('.call').waitFor({ state: 'detached' });
  await lee.locator('.toast', { hasText: 'kim is calling' }).waitFor({ state: 'detached' });
  await expectSilence(kim);
  await expectSilence(lee);
  await expectCallLine(kim, 'lee', 'Voice call · No answer');
  await expectCallLine(lee, 'kim', 'Missed voice call');
  await screenshot(kim, 'call-no-answer');
  await screenshot(lee, 'call-missed');
  assert.equal(await liveTracks(kim), 0);
  for (const page of [kim, lee]) await page.context().close();
});

test('a missed call counts as unread, says who called beside their avatar, and its line calls back', async () => {
  const [kim, lee] = await pair('missed', 'kim', 'lee');
  // lee looks at another conversation while kim rings, then gives up.
  await userEntry(lee, 'Everyone in missed').click();
  await kim.getByRole('button', { name: 'Voice call' }).click();
  await lee.locator('.call.incoming', { hasText: 'kim is calling' }).waitFor();
  await kim.getByRole('button', { name: 'Cancel', exact: true }).click();
  await lee.locator('.call').waitFor({ state: 'detached' });

  // The notice: kim's avatar beside the words, as in the list.
  const toast = lee.locator('.toast', { hasText: 'Missed call from kim' });
  await toast.waitFor();
  const kimLooks = await looks(userEntry(lee, 'kim').locator('.avatar'));
  assert.equal(kimLooks[0], 'K');
  assert.deepEqual(await looks(toast.locator('.avatar')), kimLooks);
  // Unread, in the list and in the title.
  await userEntry(lee, 'kim').locator('.badge', { hasText: /^1$/ }).waitFor();
  await lee.waitForFunction(() => document.title === '(1) natter');
  await userEntry(lee, 'kim').locator('.preview', { hasText: 'Missed voice call' }).waitFor();
  await screenshot(lee, 'call-missed-unread');

  // Its line: who called (avatar and name), when, and a way to call back.
  await userEntry(lee, 'kim').click();
  const line = lee.locator('.messages .missed-call');
  await line.waitFor();
  assert.equal(await line.locator('.from').textContent(), 'kim');
  assert.equal(await line.locator('.text').textContent(), 'Missed voice call');
  assert.match(await line.locator('time').textContent(), /\d:\d\d/);
  assert.deepEqual(await looks(line.locator('.avatar')), kimLooks);
  await lee.waitForFunction(() => document.title === 'natter');
  await screenshot(lee, 'call-missed-line');
  await line.getByRole('button', { name: 'Call back' }).click();
  await kim.locator('.call.incoming', { hasText: 'lee is calling' }).waitFor();
  await kim.getByRole('button', { name: 'Decline', exact: true }).click();
  await lee.locator('.call').waitFor({ state: 'detached' });
  for (const page of [kim, lee]) await page.context().close();
});

/** Whether the page's remote video is still playing (its sound too), by its moving clock. */
async function expectStillPlaying(page) {
  const before = await page.evaluate(() => document.querySelector('.call video.remote').currentTime);
  await page.waitForFunction((t) => {
    const video = document.querySelector('.call video.remote');
    return !video.paused && video.currentTime > t + 0.3;
  }, before);
}

const height = async (locator) => (await locator.boundingBox()).height;

/**
 * The chat works beside the minimised call: the messages got room (from `before` px, to
 * show a few lines at least), the composer is on screen, and it sends.
 */
async function expectChatUsable(page, other, text, before) {
  const { width, height: screen } = page.viewportSize();
  const composer = await page.locator('.composer').boundingBox();
  assert.ok(composer.y >= 0 && composer.y + composer.height <= screen + 1, 'the composer is on screen');
  assert.ok(composer.width <= width + 1, 'the composer fits the width');
  const messages = await height(page.locator('.messages'));
  assert.ok(messages >= before + 50 && messages >= 80, `the messages grew from ${before} to only ${messages} px`);
  const input = page.getByLabel('Message');
  await input.fill(text);
  await input.press('Enter');
  await other.locator('.messages .message .text', { hasText: text }).waitFor();
}

test('on a phone and at 200 % zoom the video minimises to a bar and the chat stays usable', async () => {
  const [mia, ned] = await pair('minimise', 'mia', 'ned');
  await videoCall(mia, ned);
  for (const [name, size] of [['phone', { width: 390, height: 844 }], ['zoom', { width: 640, height: 360 }]]) {
    await mia.setViewportSize(size);
    await screenshot(mia, `call-${name}`);
    const before = await height(mia.locator('.messages'));
    await mia.getByRole('button', { name: 'Minimise video' }).click();
    await screenshot(mia, `call-${name}-minimised`);
    assert.equal(await mia.locator('.call .stage').isVisible(), false);
    // One line: what is needed during a call stays, the rest comes back with the video.
    for (const button of ['Mute', 'Show video', 'Hang up']) {
      assert.ok(await mia.getByRole('button', { name: button }).isVisible(), button);
    }
    assert.equal(await mia.getByRole('button', { name: 'Share screen' }).isVisible(), false);
    const bar = await height(mia.locator('.call'));
    assert.ok(bar < 70, `the minimised call is one line, not ${bar} px`);
    await expectChatUsable(mia, ned, `typed beside the minimised call (${name})`, before);
    await expectStillPlaying(mia);
    await mia.getByRole('button', { name: 'Show video' }).click();
    await expectStillPlaying(mia);
    assert.ok(await mia.locator('.call video.remote').isVisible());
  }
  // A notice on a phone stays clear of the composer too.
  await mia.setViewportSize({ width: 390, height: 844 });
  await ned.getByRole('button', { name: 'Hang up' }).click();
  await mia.locator('.toast', { hasText: 'ned hung up' }).waitFor();
  await expectNoticesClearOfComposer(mia);
  await mia.locator('.messages .notice', { hasText: /^Video call · / }).waitFor();
  await screenshot(mia, 'call-phone-notice');
  for (const page of [mia, ned]) await page.context().close();
});
