// A call with everyone in the room (issue 25): a mesh of the peer links, one in Firefox, the
// video decoded on every page, a screen shown to everyone, one member leaving and coming
// back, an older app left out in words, the call's line in the room's timeline; past six
// people, Join is disabled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  expectTranscript, joinAs, keepChatChannel, keepPeerConnections, openConversation, say, screenshot, sendRaw, useStage,
} from './harness.mjs';

const stage = useStage('chromium', 'firefox');
const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(path.join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** An `init` script: the page's `hello` leaves out `roomCalls`, as a natter from before it. */
function olderNatter() {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string' && data.startsWith('{"type":"hello"')) {
      data = data.replace(',"roomCalls"', '');
    }
    return send.call(this, data);
  };
}

const tile = (page, name) => page.locator(`.room-call .tile[data-name="${name}"]`);

/**
 * Waits until `name`'s tile on `page` shows decoded video: a size, and three new frames
 * painted one after the other (`requestVideoFrameCallback`, in Chromium and Firefox).
 */
async function expectTilePlays(page, name) {
  const video = tile(page, name).locator('video');
  await video.waitFor();
  await page.waitForFunction((video) => video.videoWidth > 0, await video.elementHandle(), { timeout: 30_000 }).catch(async (error) => {
    const seen = await page.locator('.room-call .tile').evaluateAll((tiles) =>
      tiles.map((t) => `${t.dataset.name}: ${t.querySelector('video').srcObject?.getTracks().map((x) => `${x.kind} ${x.readyState} muted=${x.muted}`)} ${t.querySelector('video').videoWidth}`),
    );
    console.log(`no video in ${name}'s tile; tiles: ${seen.join('; ')}`);
    console.log(await page.evaluate(async () => JSON.stringify(await Promise.all((window.pcs ?? []).map(async (pc) => ({
      s: pc.signalingState, c: pc.connectionState,
      tr: pc.getTransceivers().map((t) => `${t.mid}:${t.direction}/${t.currentDirection}:${t.sender.track?.kind}:${t.receiver.track?.kind}`),
      rtp: [...(await pc.getStats()).values()].filter((r) => r.type === 'inbound-rtp' || r.type === 'outbound-rtp').map((r) => `${r.type} ${r.kind} ${r.packetsReceived ?? r.packetsSent}`),
    }))))));
    throw error;
  });
  await video.evaluate(
    (video) =>
      new Promise((resolve) => {
        let frames = 0;
        const next = () => video.requestVideoFrameCallback(() => (++frames >= 3 ? resolve() : next()));
        next();
      }),
  );
}

/** axe-core's WCAG 2 A/AA violations on `page`, each as `rule: element: why`. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`));
  }, wcag);
}

/** Screenshots of `page` in light and dark, and axe's findings in each. */
async function lookAt(page, label) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, `room-call-${label}-${colorScheme}`);
    assert.deepEqual(await audit(page), [], `axe on ${label} (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a call of three, one in Firefox: video everywhere, a screen shown, one leaves and comes back, an older app left out', async () => {
  const room = 'huddle';
  const everyone = `Everyone in ${room}`;
  const pages = [];
  try {
    const alice = await joinAs(stage.browsers.chromium, stage.server, 'alice', room, { init: keepPeerConnections });
    const bob = await joinAs(stage.browsers.chromium, stage.server, 'bob', room);
    const carol = await joinAs(stage.browsers.firefox, stage.server, 'carol', room);
    const dave = await joinAs(stage.browsers.chromium, stage.server, 'dave', room, { init: olderNatter });
    pages.push(alice, bob, carol, dave);
    await openConversation(alice, everyone);
    await alice.getByRole('button', { name: 'Call everyone', exact: true }).click();
    for (const page of [bob, carol]) {
      await openConversation(page, everyone);
      await page.locator('.room-call-banner', { hasText: 'alice started a video call' }).waitFor();
    }
    // Dave's app knows no room calls: the others say so in words.
    await alice.locator('.room-call .left-out', { hasText: "dave's app can't join calls in the room" }).waitFor();
    await bob.getByRole('button', { name: 'Join call' }).click();
    await tile(alice, 'bob').waitFor();
    await carol.getByRole('button', { name: 'Join call' }).click();
    for (const [page, others] of [[alice, ['bob', 'carol']], [bob, ['alice', 'carol']], [carol, ['alice', 'bob']]]) {
      for (const name of others) await expectTilePlays(page, name);
    }
    await bob.locator('.room-call .left-out', { hasText: "dave's app can't join calls in the room" }).waitFor();
    // A line after the call's news, on the same ordered channel: dave has had his chance
    // to hear of the call by the time it shows, and shows no call.
    await say(alice, everyone, 'can you hear us?');
    await expectTranscript(dave, everyone, ['alice: can you hear us?']);
    assert.equal(await dave.locator('.room-call-banner:visible, .room-call:visible').count(), 0);

    // Whoever is heard is marked (the fake devices sound: Chromium's beeps, Firefox's
    // tone), ourselves included, and no longer once muted. Heard in the Chromium pages:
    // headless Firefox opens no audio output here, so its Web Audio stays suspended.
    for (const [page, names] of [[alice, ['alice', 'bob', 'carol']], [bob, ['alice', 'carol']]]) {
      for (const name of names) await tile(page, name).and(page.locator('[data-speaking]')).waitFor();
    }

    // Mute and camera off, seen on the tile by the others.
    await carol.getByRole('button', { name: 'Mute' }).click();
    await tile(alice, 'carol').and(alice.locator(':not([data-speaking])')).waitFor();
    await carol.getByRole('button', { name: 'Camera off' }).click();
    for (const page of [alice, bob]) {
      await tile(page, 'carol').locator('.tile-state', { hasText: "carol is muted · carol's camera is off" }).waitFor();
      // Her name once, not "carol carol is muted".
      assert.equal(await tile(page, 'carol').locator('.tile-name').innerText(), "carol is muted · carol's camera is off");
      await tile(page, 'carol').locator('.no-video').waitFor({ state: 'visible' });
    }
    await lookAt(alice, 'chromium');
    await lookAt(carol, 'firefox');
    await carol.getByRole('button', { name: 'Camera on' }).click();
    await tile(alice, 'carol').locator('.no-video').waitFor({ state: 'hidden' });

    // Alice shows her screen (16:9) instead of her camera (4:3) to everyone, then stops.
    const shape = (page, name, expected) =>
      page.waitForFunction(([name, expected]) => {
        const video = document.querySelector(`.room-call .tile[data-name="${name}"] video`);
        return video?.videoWidth > 0 && (video.videoHeight / video.videoWidth).toFixed(2) === expected;
      }, [name, expected]);
    await alice.getByRole('button', { name: 'Share screen' }).click();
    for (const page of [bob, carol]) {
      await shape(page, 'alice', '0.56');
      await tile(page, 'alice').locator('.tile-state', { hasText: 'alice is sharing the screen' }).waitFor();
    }
    await screenshot(carol, 'room-call-screen-shared-firefox');
    await alice.getByRole('button', { name: 'Stop sharing' }).click();
    for (const page of [bob, carol]) await shape(page, 'alice', '0.75');

    // Bob leaves: his tile goes from the others, and he sees the call he can join again.
    await bob.getByRole('button', { name: 'Leave call' }).click();
    for (const page of [alice, carol]) await tile(page, 'bob').waitFor({ state: 'detached' });
    await bob.locator('.room-call-banner', { hasText: 'In the call: 2 of 6' }).waitFor();
    await screenshot(bob, 'room-call-banner');
    await bob.getByRole('button', { name: 'Join call' }).click();
    for (const page of [alice, carol]) await expectTilePlays(page, 'bob');
    for (const name of ['alice', 'carol']) await expectTilePlays(bob, name);

    // The last one out ends it: its line says how long, and who took part.
    for (const page of [alice, bob, carol]) await page.getByRole('button', { name: 'Leave call' }).click();
    for (const page of [alice, bob, carol]) {
      await page.locator('.messages .notice', { hasText: /^Video call · 0:\d\d · alice, bob, carol$/ }).waitFor();
      await page.locator('.room-call-banner').waitFor({ state: 'hidden' });
    }
    for (const page of pages) assert.deepEqual(page.errors, []);
  } finally {
    await Promise.all(pages.map((page) => page.context().close()));
  }
});

test('past six people the call is full: Join is disabled, and says why', async () => {
  const room = 'crowd';
  const pages = [];
  try {
    const late = await joinAs(stage.browsers.chromium, stage.server, 'late', room);
    pages.push(late);
    // Six members who say they are in a call (each over its own link to the late one).
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const member = await joinAs(stage.browsers.chromium, stage.server, `m${n}`, room, { init: keepChatChannel });
      pages.push(member);
      await say(member, 'late', 'hi');
      await expectTranscript(late, `m${n}`, [`m${n}: hi`]);
      await sendRaw(member, [{ type: 'roomCallJoin', video: false, by: 'm1' }]);
      await openConversation(late, `Everyone in ${room}`);
      await late.locator('.room-call-banner', { hasText: `In the call: ${n} of 6` }).waitFor();
    }
    const banner = late.locator('.room-call-banner');
    await banner.locator('text=m1 started a voice call').waitFor();
    await banner.locator('text=The call is full (6 people)').waitFor();
    assert.equal(await late.getByRole('button', { name: 'Join call' }).isDisabled(), true);
    await screenshot(late, 'room-call-full');
    // One leaves: there is room again.
    await sendRaw(pages[3], [{ type: 'roomCallLeave' }]);
    await late.getByRole('button', { name: 'Join call' }).and(late.locator(':enabled')).waitFor();
  } finally {
    await Promise.all(pages.map((page) => page.context().close()));
  }
});
