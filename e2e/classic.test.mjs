// The app against a classic signaling server, which omits the sender on answers and
// candidates: a single conversation must still connect and carry messages both ways.
import { after, before, test } from 'node:test';
import {
  expectTranscript,
  freePort,
  launchBrowser,
  openPage,
  say,
  startReferenceServer,
  startServer,
  userEntry,
} from './harness.mjs';

let app;
let classic;
let classicPort;
let browser;

before(async () => {
  app = await startServer();
  classicPort = await freePort();
  classic = await startReferenceServer(classicPort);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await classic?.stop();
  await app?.stop();
});

test('two pages chat through a classic server chosen with ?server=', async () => {
  const url = `${app.url}?server=ws://127.0.0.1:${classicPort}`;
  const pages = {};
  for (const name of ['ivy', 'jack']) {
    const page = await openPage(browser, url);
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByText(`Online as ${name}`).waitFor();
    pages[name] = page;
  }
  await userEntry(pages.ivy, 'jack').waitFor();
  await say(pages.ivy, 'jack', 'hello over the classic server');
  await say(pages.jack, 'ivy', 'and back');
  const lines = ['ivy: hello over the classic server', 'jack: and back'];
  await expectTranscript(pages.jack, 'ivy', lines);
  await expectTranscript(pages.ivy, 'jack', lines);
});
