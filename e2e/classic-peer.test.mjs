// natter against the classic client on the data channel (e2e/classic-peer.html), on
// natter's server and on the classic server, whichever side opens the conversation: every
// line shows exactly once on both sides, the classic page never receives a typed message,
// and calls and files are not offered to it, with the reason shown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  expectTranscript,
  freePort,
  launchBrowser,
  openClassicPeer,
  openPage,
  say,
  screenshot,
  startReferenceServer,
  startServer,
  userEntry,
} from './harness.mjs';
import { configuredApp } from './static-host.mjs';

let app;
/** natter-server serving the app with a config.json naming the classic server. */
let classicApp;
let classicAppFiles;
let classicServer;
let classicPort;
let browser;

before(async () => {
  app = await startServer();
  classicPort = await freePort();
  classicServer = await startReferenceServer(classicPort);
  classicAppFiles = configuredApp(`ws://127.0.0.1:${classicPort}`);
  classicApp = await startServer({ staticDir: classicAppFiles.root });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await classicServer?.stop();
  await app?.stop();
  await classicApp?.stop();
  classicAppFiles?.remove();
});

/** Where the natter page loads from and which signaling server both pages use. */
const servers = {
  natter: () => ({ appUrl: app.url, signaling: `ws://127.0.0.1:${app.port}/ws` }),
  classic: () => ({
    appUrl: classicApp.url,
    signaling: `ws://127.0.0.1:${classicPort}`,
  }),
};

async function natterPage(url, name) {
  const page = await openPage(browser, url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByText(`Online as ${name}`).waitFor();
  return page;
}

/** Waits until the classic page has received `count` messages. */
const classicReceived = (page, count) =>
  page.waitForFunction((count) => window.classic.state.received.length >= count, count, { timeout: 10_000 });

const classicSays = (page, lines) =>
  page.evaluate((lines) => lines.forEach((line) => window.classic.say(line)), lines);

async function natterSays(page, peer, lines) {
  for (const line of lines) await say(page, peer, line);
}

/**
 * Lines in batches of 1, 2 and 4 from each side, each batch seen before the next: natter's
 * old resend-everything bug showed the classic page 1 + 3 + 7 lines instead of 1 + 2 + 4.
 */
async function exchange(natter, classic, me, old, natterFirst) {
  const expected = [];
  let fromNatter = 0;
  for (const size of [1, 2, 4]) {
    const batch = (who) => Array.from({ length: size }, (_, i) => `${who} batch ${size} line ${i + 1}`);
    const natterLines = batch(me);
    const classicLines = batch(old);
    const natterTurn = async () => {
      await natterSays(natter, old, natterLines);
      fromNatter += size;
      await classicReceived(classic, fromNatter);
      expected.push(...natterLines.map((line) => `${me}: ${line}`));
    };
    const classicTurn = async () => {
      await classicSays(classic, classicLines);
      expected.push(...classicLines.map((line) => `${old}: ${line}`));
      await expectTranscript(natter, old, expected);
    };
    if (natterFirst) {
      await natterTurn();
      await classicTurn();
    } else {
      await classicTurn();
      await natterTurn();
    }
  }
  await expectTranscript(natter, old, expected);
  // A last line: a resend comes with a flush, and a line flushes, so any would come before it.
  await natterSays(natter, old, ['the last line']);
  expected.push(`${me}: the last line`);
  await classic.waitForFunction(() => window.classic.state.received.some((line) => line.message === 'the last line'));
  const received = await classic.evaluate(() => window.classic.state.received);
  assert.deepEqual(
    received.map((line) => `${line.name}: ${line.message}`),
    expected.filter((line) => line.startsWith(`${me}:`)),
    'the classic page got each of natter\'s lines once, and nothing else',
  );
  const filed = await classic.evaluate(() => Object.keys(window.classic.state.messages).sort());
  assert.deepEqual(filed, [me], 'no typed message was filed under "undefined"');
  await expectTranscript(natter, old, expected);
}

/** natter shows the classic peer's conversation without calls or files, saying why. */
async function expectNoCallsOrFiles(natter, old) {
  const note = natter.locator('.capability-note', { hasText: `${old}'s app only chats: no calls or files.` });
  await note.waitFor();
  for (const name of ['Voice call', 'Video call']) {
    const button = natter.getByRole('button', { name });
    assert.equal(await button.isDisabled(), true, `${name} is disabled`);
    assert.equal(await button.getAttribute('title'), `${old}'s app can't take calls`);
  }
  const attach = natter.locator('.attach');
  assert.equal(await attach.getAttribute('title'), `${old}'s app can't take files`);
  assert.equal(await attach.locator('input[type="file"]').isDisabled(), true);
}

/** Every outgoing line went out once and waits for nothing: "sent", never "delivered". */
async function expectAllSent(natter) {
  const marks = await natter.locator('.message.outgoing').evaluateAll((items) => items.map((i) => i.dataset.delivery));
  assert.ok(marks.length > 0);
  assert.deepEqual([...new Set(marks)], ['sent']);
}

for (const [serverName, where] of Object.entries(servers)) {
  for (const opener of ['natter', 'classic']) {
    test(`on ${serverName}'s server, ${opener} opening: every line once, no calls or files`, async () => {
      const { appUrl, signaling } = where();
      const me = `nat-${serverName}-${opener}`;
      const old = `old-${serverName}-${opener}`;
      const classic = await openClassicPeer(browser, signaling, old);
      const natter = await natterPage(appUrl, me);
      await userEntry(natter, old).waitFor();
      if (opener === 'classic') {
        await classic.waitForFunction((me) => window.classic.state.users.some((u) => u.userName === me), me);
        await classic.evaluate((me) => window.classic.connect(me), me);
        await classic.waitForFunction(() => window.classic.state.channelOpen);
      }
      await exchange(natter, classic, me, old, opener === 'natter');
      await expectNoCallsOrFiles(natter, old);
      await expectAllSent(natter);
      await screenshot(natter, `classic-peer-${serverName}-${opener}`);
      assert.deepEqual(natter.errors, []);
      assert.deepEqual(classic.errors, []);
      await natter.context().close();
      await classic.context().close();
    });
  }
}

/** Keeps the dialogs `page` opens (the classic page's alerts), dismissing each. */
function dialogsOf(page) {
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  return dialogs;
}

for (const leaving of ['closes', 'reloads']) {
  test(`the classic page takes it quietly when natter's page ${leaving}`, async () => {
    const { appUrl, signaling } = servers.natter();
    const [me, old] = [`nat-${leaving}`, `old-${leaving}`];
    const classic = await openClassicPeer(browser, signaling, old);
    const dialogs = dialogsOf(classic);
    const natter = await natterPage(appUrl, me);
    // The classic page opens the conversation: its channel is the one it alerts on.
    await classic.waitForFunction((me) => window.classic.state.users.some((u) => u.userName === me), me);
    await classic.evaluate((me) => window.classic.connect(me), me);
    await classic.waitForFunction(() => window.classic.state.channelOpen);
    await classicSays(classic, ['hello natter']);
    await natterSays(natter, old, ['hello classic']);
    await classicReceived(classic, 1);
    await expectTranscript(natter, old, [`${old}: hello natter`, `${me}: hello classic`]);

    if (leaving === 'closes') {
      // As a person closes the tab. The browser may tear its sockets down before the
      // channel's closing handshake is through: then the classic page hears nothing more,
      // and its connection only notices the silence, seconds later. Either way any abort
      // would have come before.
      await natter.close({ runBeforeUnload: true });
      await classic.waitForFunction(
        () => window.classic.state.closes > 0 || ['disconnected', 'failed'].includes(window.classic.state.connection.connectionState),
        null,
        { timeout: 15_000 },
      );
    } else {
      // A reload: the page's end aborts the connection, after its channel closed cleanly.
      await natter.reload();
      await classic.waitForFunction(() => window.classic.state.closes > 0, null, { timeout: 15_000 });
    }
    if (leaving === 'reloads') {
      // The page comes back with the conversation, and offers again: the classic page has
      // handled that offer (and would have alerted, had it failed).
      await natter.getByText(`Online as ${me}`).waitFor();
      await expectTranscript(natter, old, [`${old}: hello natter`, `${me}: hello classic`]);
      await classic.waitForFunction(() => window.classic.state.offers > 0, null, { timeout: 15_000 });
      await natter.context().close();
    }
    assert.deepEqual(dialogs, [], 'the classic page opened no dialog');
    assert.deepEqual(classic.errors, []);
    await classic.context().close();
  });
}

test("in the lobby, natter pages holding the room's lines meet no newcomer unasked: the classic page keeps its one connection", async () => {
  const { appUrl, signaling } = servers.natter();
  const alice = await natterPage(appUrl, 'lobby-alice');
  const bob = await natterPage(appUrl, 'lobby-bob');
  await say(alice, 'Everyone in the lobby', 'hello lobby');
  await expectTranscript(bob, 'Everyone in the lobby', ['lobby-alice: hello lobby']);
  const classic = await openClassicPeer(browser, signaling, 'lobby-carl');
  // In a room both would pass their signed lines on to a natter newcomer; a classic page
  // holds one connection, and an unasked one would take it from whoever it talks to.
  await userEntry(alice, 'lobby-carl').waitFor();
  await userEntry(bob, 'lobby-carl').waitFor();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  assert.equal(await classic.evaluate(() => window.classic.state.offers), 0, 'no offer came unasked');
  await classic.evaluate(() => window.classic.connect('lobby-bob'));
  await classic.waitForFunction(() => window.classic.state.channelOpen);
  await classicSays(classic, ['hello bob']);
  await expectTranscript(bob, 'lobby-carl', ['lobby-carl: hello bob']);
  for (const page of [alice, bob, classic]) {
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
