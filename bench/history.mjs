// Benchmark: opening a conversation with 10,000 stored messages, against one with 10, in
// the same page after a reload (history read back from IndexedDB). Only what is on screen
// is drawn, so both should take about as long.
// Run through `make bench-history` (release build, loopback-only network namespace).
import { classicLine, joinAs, keepChatChannel, launchBrowser, say, sendRaw, startServer, userEntry } from '../e2e/harness.mjs';
import { median } from './measure.mjs';

const rounds = Number(process.env.ROUNDS ?? 15);
const stored = Number(process.env.MESSAGES ?? 10_000);

/** Messages alice's store holds. */
function storedMessages(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('natter');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('messages').objectStore('messages').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
        };
      }),
  );
}

/** `writer`, logged in as `who`, sends alice `count` lines: one typed, the rest straight onto the channel. */
async function fill(writer, who, count) {
  await say(writer, 'alice', 'line 0');
  await writer.waitForFunction(() => window.chat);
  const lines = Array.from({ length: count - 1 }, (_, i) => ({ ...classicLine(`line ${i + 1}`, who), id: `${who}-${i + 1}` }));
  for (let at = 0; at < lines.length; at += 1000) await sendRaw(writer, lines.slice(at, at + 1000));
}

/** Clicks `peer` in the list; ms until the frame after its conversation is drawn. */
function open(page, peer) {
  return page.evaluate(async (peer) => {
    const entry = [...document.querySelectorAll('.users .user')].find(
      (user) => user.querySelector('.user-name').textContent === peer,
    );
    const started = performance.now();
    entry.click();
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const head = document.querySelector('.conversation-head h2');
      if (head?.textContent === peer && document.querySelector('.messages .message')) break;
    }
    return performance.now() - started;
  }, peer);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const alice = await joinAs(browser, server, 'alice', 'history');
  const bob = await joinAs(browser, server, 'bob', 'history', { init: keepChatChannel });
  const carol = await joinAs(browser, server, 'carol', 'history', { init: keepChatChannel });
  const filling = Date.now();
  await fill(bob, 'bob', stored);
  await fill(carol, 'carol', 10);
  while ((await storedMessages(alice)) < stored + 10) await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(`stored ${stored} + 10 messages in ${((Date.now() - filling) / 1000).toFixed(1)} s`);

  const reloading = Date.now();
  await alice.reload();
  await alice.getByText('Online as alice').waitFor();
  // Read back: the unread count of the whole conversation shows.
  await userEntry(alice, 'bob').locator('.badge', { hasText: String(stored) }).waitFor();
  console.log(`reload to history shown: ${Date.now() - reloading} ms`);
  const [many, few] = [[], []];
  for (let round = 0; round < rounds; round++) {
    many.push(await open(alice, 'bob'));
    few.push(await open(alice, 'carol'));
  }
  const drawn = await alice.locator('.messages .message').count();
  const [m, f] = [median(many), median(few)];
  console.log(`open a conversation of ${stored} (ms, ${rounds} rounds): median ${m.toFixed(1)}, max ${Math.max(...many).toFixed(1)}`);
  console.log(`open a conversation of 10 (ms): median ${f.toFixed(1)}, max ${Math.max(...few).toFixed(1)}`);
  console.log(`ratio ${stored} / 10: ${(m / f).toFixed(2)}; rows drawn for the 10: ${drawn}`);
} finally {
  await browser.close();
  await server.stop();
}
