// A file through the app, as the benchmarks time it: two pages with their conversation open,
// and one transfer from the click on Accept until the download link shows.
import { joinAs, say, userEntry } from '../e2e/harness.mjs';

/**
 * Two app pages, alice and bob (in `receiver`, another browser if given), with their
 * conversation open and connected; `options` go to `joinAs`.
 */
export async function appPair(browser, server, { room = 'bench-files', receiver = browser, options } = {}) {
  const alice = await joinAs(browser, server, 'alice', room, options);
  const bob = await joinAs(receiver, server, 'bob', room, options);
  await say(alice, 'bob', 'file coming');
  await userEntry(bob, 'alice').click();
  await userEntry(alice, 'bob').locator('[data-state="connected"]').waitFor();
  return { alice, bob };
}

/** natter: from bob's click on Accept until the download link shows (digest checked). */
export async function throughApp({ alice, bob }, file) {
  await alice.getByLabel('Attach files').setInputFiles(file);
  await bob.locator('.transfer[data-state="offered"] button.primary').waitFor();
  const elapsed = await bob.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const start = performance.now();
        const check = () => {
          if (document.querySelector('.transfer a.file-download')) return resolve(performance.now() - start);
          if (document.querySelector('.transfer[data-state="failed"]')) return reject(new Error('transfer failed'));
          requestAnimationFrame(check);
        };
        document.querySelector('.transfer[data-state="offered"] button.primary').click();
        check();
      }),
  );
  // Removing frees the received file before the next round (the sent one stays listed,
  // holding nothing).
  await bob.locator('.transfer[data-state="done"] button.ghost').click();
  await bob.locator('.transfer').waitFor({ state: 'detached' });
  return elapsed;
}
