// A look at natter in Safari's engine as Debian ships it: WebKitGTK's MiniBrowser under Xvfb,
// driven by WebKitWebDriver (W3C WebDriver over HTTP). Not part of `make test`: it needs
// `apt-get install webkit2gtk-driver xvfb` (about 180 packages). Run it as the e2e tests run:
//   NATTER_SERVER_BIN=… NATTER_DIST=dist scripts/loopback.sh node e2e/webkitgtk.mjs
// It prints which APIs the engine has and what natter's first screen says, and saves
// e2e/artifacts/webkitgtk.png. Debian's WebKitGTK 2.50 has WebRTC compiled out: natter says
// it cannot work there, and why.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { artifacts, freePort, sleep, startServer, waitUntilHealthy } from './harness.mjs';

const miniBrowser = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const display = ':97';

const server = await startServer();
const xvfb = spawn('Xvfb', [display, '-screen', '0', '1100x720x24'], { stdio: 'ignore' });
const port = await freePort();
const driver = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'inherit', env: { ...process.env, DISPLAY: display } });
const webdriver = async (method, route, body) => {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return (await response.json()).value;
};
try {
  await waitUntilHealthy(`http://127.0.0.1:${port}/status`, Date.now() + 10_000);
  const browserOptions = { binary: miniBrowser, args: ['--automation'] };
  const session = await webdriver('POST', '/session', {
    capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': browserOptions } },
  });
  const id = session.sessionId;
  console.log(`${session.capabilities.browserName} ${session.capabilities.browserVersion}`);
  await webdriver('POST', `/session/${id}/url`, { url: `${server.url}?room=webkit` });
  const run = (script) => webdriver('POST', `/session/${id}/execute/sync`, { script, args: [] });
  // The app has started once the form or the word in its place is drawn.
  while (!(await run('return !!document.querySelector(".login")'))) await sleep(100);
  for (const api of ['RTCPeerConnection', 'navigator.mediaDevices?.getUserMedia', 'navigator.mediaDevices?.getDisplayMedia', 'Notification', 'indexedDB']) {
    console.log(`${api}: ${await run(`return typeof ${api}`)}`);
  }
  const said = await run('return [...document.querySelectorAll("[role=alert]")].map((e) => e.textContent).filter(Boolean)');
  console.log(`the first screen says: ${JSON.stringify(said)}`);
  console.log(`the login form shows: ${await run('return !document.querySelector(".login-form").hidden')}`);
  mkdirSync(artifacts, { recursive: true });
  const png = await webdriver('GET', `/session/${id}/screenshot`);
  writeFileSync(path.join(artifacts, 'webkitgtk.png'), Buffer.from(png, 'base64'));
  await webdriver('DELETE', `/session/${id}`);
} finally {
  driver.kill();
  xvfb.kill();
  await server.stop();
}
