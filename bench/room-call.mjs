// Benchmark: a room call of 4 Chromium pages on one machine, each decoding 3 remote videos
// (docs/protocol.md, 7.8, "Calls with everyone in the room"): the time from "Join call" to
// the last tile showing video, and the CPU each page's renderer spends once all are in.
// Not part of `make test`:
// NATTER_SERVER_BIN=… NATTER_DIST=dist scripts/loopback.sh node bench/room-call.mjs
import { joinAs, launchBrowser, openConversation, startServer } from '../e2e/harness.mjs';
import { median } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 3);
const window = Number(process.env.WINDOW_MS ?? 10_000);
const names = ['alice', 'bob', 'carol', 'dave'];
const room = 'Everyone in bench';

/** In `page`: ms from now until each of `others`' tiles has painted a decoded frame. */
function tilesPlay(page, others) {
  return page.evaluate(async (others) => {
    const started = performance.now();
    const frame = async (name) => {
      for (;;) {
        const video = document.querySelector(`.room-call .tile[data-name="${name}"] video`);
        if (video?.videoWidth > 0) {
          await new Promise((resolve) => video.requestVideoFrameCallback(resolve));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await Promise.all(others.map(frame));
    return performance.now() - started;
  }, others);
}

/** CPU seconds each renderer process of `cdp`'s browser has used so far, by pid. */
async function rendererCpu(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime]));
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const pages = [];
  for (const name of names) pages.push(await joinAs(browser, server, name, 'bench'));
  for (const page of pages) await openConversation(page, room);
  const [alice, ...rest] = pages;
  await alice.getByRole('button', { name: 'Call everyone', exact: true }).click();
  for (const [n, page] of rest.slice(0, 2).entries()) {
    await page.getByRole('button', { name: 'Join call' }).click();
    await tilesPlay(page, names.slice(0, n + 1));
  }

  // Dave joins, round after round: the time until his three tiles play.
  const dave = pages[3];
  const took = [];
  for (let round = 0; round < rounds; round++) {
    const join = dave.getByRole('button', { name: 'Join call' });
    await join.waitFor();
    const clicked = Date.now();
    await join.click();
    await tilesPlay(dave, names.slice(0, 3));
    took.push(Date.now() - clicked);
    console.log(`round ${round + 1}: dave's 3 tiles play ${took.at(-1)} ms after "Join call"`);
    // Everyone sees him before the CPU is measured, or he leaves for the next round.
    await Promise.all(pages.slice(0, 3).map((page) => tilesPlay(page, ['dave'])));
    if (round < rounds - 1) await dave.getByRole('button', { name: 'Leave call' }).click();
  }
  console.log(`median over ${rounds}: ${median(took)} ms from "Join call" to the last tile playing`);

  // All four in, each decoding three: the CPU of each page's renderer over the window.
  const cdp = await browser.newBrowserCDPSession();
  const before = await rendererCpu(cdp);
  await new Promise((resolve) => setTimeout(resolve, window));
  const after = await rendererCpu(cdp);
  const shares = [...after].map(([pid, cpu]) => ((cpu - (before.get(pid) ?? 0)) * 1000 * 100) / window);
  const busy = shares.filter((share) => share > 1).sort((a, b) => b - a);
  console.log(`renderers busy over ${window / 1000} s (% of one core): ${busy.map((s) => s.toFixed(0)).join(', ')}`);
  console.log(`median per page: ${median(busy.slice(0, 4)).toFixed(0)} % of one core`);
} finally {
  await browser.close();
  await server.stop();
}
