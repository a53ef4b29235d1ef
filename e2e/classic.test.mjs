// The app against a classic signaling server, which omits the sender on answers and
// candidates: a single conversation must still connect and carry messages both ways. The
// app comes from natter-server with a config.json naming the classic server, whose CSP
// then allows that server (and no other).
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
import { configuredApp } from './static-host.mjs';

let app;
let appFiles;
let classic;
let classicPort;
let browser;

before(async () => {
  classicPort = await freePort();
  classic = await startReferenceServer(classicPort);
  appFiles = configuredApp(`ws://127.0.0.1:${classicPort}`);
  app = await startServer({ staticDir: appFiles.root });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await classic?.stop();
  await app?.stop();
  appFiles?.remove();
});

test('two pages chat through a classic server chosen with ?server=, which config.json allows', async () => {
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
