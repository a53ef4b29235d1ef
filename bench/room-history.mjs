// Benchmark: a newcomer to a room with 200 lines from 3 authors (alice, bob, dave, all
// present): the time from its "Join" to every line shown, and to every line shown as its
// author's (each signature checked against the key its author gave over the newcomer's own
// link; docs/protocol.md, 7.10). Not part of `make test`:
// NATTER_SERVER_BIN=… NATTER_DIST=dist scripts/loopback.sh node bench/room-history.mjs
import { joinAs, launchBrowser, openConversation, openPage, startServer } from '../e2e/harness.mjs';
import { median } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 3);
const lines = Number(process.env.LINES ?? 200);
const room = 'Everyone in annals';

/** `page` writes `text` to the room with the Enter key (the room's conversation open). */
async function write(page, text) {
  const input = page.getByLabel('Message');
  await input.fill(text);
  await input.press('Enter');
}

/** In `page`: ms from now until `count` lines show, and until none is unverified or being checked. */
function watch(page, count) {
  return page.evaluate(async (count) => {
    const started = performance.now();
    let shown;
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      // Only the newest lines are drawn: draw the rest as they come.
      document.querySelector('.messages .earlier button')?.click();
      const drawn = document.querySelectorAll('.messages .message').length;
      if (drawn >= count) shown ??= performance.now() - started;
      if (shown !== undefined && !document.querySelector('.messages .message[data-proof]')) break;
    }
    return { shown, verified: performance.now() - started };
  }, count);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const authors = [];
  for (const name of ['alice', 'bob', 'dave']) authors.push(await joinAs(browser, server, name, 'annals'));
  for (const page of authors) await openConversation(page, room);
  const writing = Date.now();
  for (let n = 0; n < lines; n++) await write(authors[n % 3], `line ${n} of the room's history`);
  // Everyone has every line before anyone comes.
  for (const page of authors) await page.locator('.messages .message').nth(59).waitFor();
  await authors[0].waitForFunction((n) => document.querySelector('.messages .message:last-child .text')?.textContent === `line ${n - 1} of the room's history`, lines);
  console.log(`${lines} lines from 3 authors written in ${((Date.now() - writing) / 1000).toFixed(1)} s`);

  const [shown, verified] = [[], []];
  for (let round = 0; round < rounds; round++) {
    const name = `carol${round}`;
    const carol = await openPage(browser, `${server.url}?room=annals`);
    await carol.getByLabel('Your name').fill(name);
    const joined = Date.now();
    await carol.getByRole('button', { name: 'Join' }).click();
    await openConversation(carol, room);
    const opened = Date.now() - joined;
    const took = await watch(carol, lines);
    shown.push(opened + took.shown);
    verified.push(opened + took.verified);
    console.log(`round ${round + 1}: all ${lines} shown ${shown.at(-1).toFixed(0)} ms, all verified ${verified.at(-1).toFixed(0)} ms after Join`);
    await carol.context().close();
  }
  console.log(`median over ${rounds}: shown ${median(shown).toFixed(0)} ms, verified ${median(verified).toFixed(0)} ms`);
} finally {
  await browser.close();
  await server.stop();
}
