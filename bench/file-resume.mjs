// Benchmark of a transfer cut off by a reload: a 100 MiB file from alice to bob, bob's page
// reloaded once half of it is through, against the same file uninterrupted in the same run
// (same pages, same connection setup). Prints the time from Accept to the file checked and
// shown, and how many bytes went twice: handed to the channel again by alice, and received
// again by bob beyond what he had kept. Run through `make bench-resume` (release build).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, openConversation, startServer } from '../e2e/harness.mjs';
import { median } from './measure.mjs';
import { appPair } from './transfer.mjs';

const rounds = Number(process.env.ROUNDS ?? 3);
const size = 100 << 20;
const chunk = 64 << 10;

/**
 * An init script counting file bytes: those handed to a `file:` channel (`fileBytesSent`),
 * those of the latest file received (kept in `sessionStorage` as the page goes, so the page
 * after a reload can tell), and the `at` of a resumed answer seen on the chat channel.
 */
function countFileBytes() {
  window.fileBytesSent = 0;
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (this.label.startsWith('file:')) window.fileBytesSent += data.byteLength ?? 0;
    return send.call(this, data);
  };
  // Of the latest file only.
  let [received, file] = [0, null];
  const watch = (channel) => {
    channel.addEventListener('message', ({ data }) => {
      if (channel.label.startsWith('file:')) {
        if (channel.label !== file) [received, file] = [0, channel.label];
        received += data.byteLength ?? 0;
      }
      else if (typeof data === 'string' && data.includes('"fileAnswer"')) {
        const at = JSON.parse(data).at;
        if (at) window.resumedAt = at;
      }
    });
  };
  const listen = RTCPeerConnection.prototype.addEventListener;
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args);
    watch(channel);
    return channel;
  };
  const construct = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const connection = new construct(...args);
    listen.call(connection, 'datachannel', ({ channel }) => watch(channel));
    return connection;
  };
  // Statics too (generateCertificate: without it the page would be someone new each time).
  Object.setPrototypeOf(window.RTCPeerConnection, construct);
  window.RTCPeerConnection.prototype = construct.prototype;
  addEventListener('pagehide', () => sessionStorage.setItem('bench.received', String(received)));
}

/** From bob's click on Accept until the download link shows; bob reloads at `cutAt` (a
 * fraction) if given. Returns the ms and, for a cut, what it cost in bytes. */
async function transfer({ alice, bob }, file, cutAt) {
  const sentBefore = await alice.evaluate(() => window.fileBytesSent);
  await alice.getByLabel('Attach files').setInputFiles(file);
  const accept = bob.locator('.transfer[data-state="offered"] button.primary');
  await accept.waitFor();
  const start = Date.now();
  await accept.click();
  let cut = null;
  if (cutAt !== undefined) {
    await bob.waitForFunction(
      (percent) => Number(document.querySelector('.transfer progress')?.value ?? 0) >= percent,
      cutAt * 100,
      { polling: 'raf', timeout: 60_000 },
    );
    const leave = (dialog) => dialog.accept();
    bob.on('dialog', leave);
    await bob.reload();
    bob.off('dialog', leave);
    await bob.getByText('Online as bob').waitFor();
    await openConversation(bob, 'alice');
    cut = true;
  }
  await bob.locator('.transfer a.file-download').waitFor({ timeout: 120_000 });
  const ms = Date.now() - start;
  const sent = (await alice.evaluate(() => window.fileBytesSent)) - sentBefore;
  let cost = null;
  if (cut) {
    const at = await alice.evaluate(() => window.resumedAt ?? 0);
    const held = Number(await bob.evaluate(() => sessionStorage.getItem('bench.received')));
    cost = { at, held, sentTwice: sent - size, receivedTwice: held - at };
  }
  await bob.locator('.transfer[data-state="done"] button.ghost').click();
  await bob.locator('.transfer').waitFor({ state: 'detached' });
  return { ms, cost };
}

const mib = (bytes) => (bytes / (1 << 20)).toFixed(1);
const scratch = mkdtempSync(path.join(tmpdir(), 'natter-bench-'));
const file = path.join(scratch, 'bench.bin');
writeFileSync(file, randomBytes(size));
const server = await startServer();
const browser = await launchBrowser();
try {
  const whole = [];
  const cut = [];
  for (let round = 0; round < rounds; round++) {
    const app = await appPair(browser, server, { room: `bench-resume-${round}`, options: { init: countFileBytes } });
    const plain = await transfer(app, file);
    const broken = await transfer(app, file, 0.5);
    whole.push(plain.ms);
    cut.push(broken.ms);
    const { at, held, sentTwice, receivedTwice } = broken.cost;
    console.log(
      `round ${round + 1}: uninterrupted ${plain.ms} ms, cut by a reload at half ${broken.ms} ms ` +
        `(resumed at ${mib(at)} MiB; bob had received ${mib(held)} MiB, so ${mib(receivedTwice)} MiB ` +
        `= ${Math.ceil(receivedTwice / chunk)} chunks came twice; alice handed ${mib(sentTwice)} MiB to the channel twice)`,
    );
    await app.alice.context().close();
    await app.bob.context().close();
  }
  const [w, c] = [median(whole), median(cut)];
  console.log(`100 MiB, ${rounds} rounds, median: uninterrupted ${w} ms, cut by a reload ${c} ms, ratio ${(c / w).toFixed(2)}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
