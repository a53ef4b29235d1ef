// Hosting the app (docs/deploy.md): from a static host with deploy/_headers (strict CSP)
// and a config.json naming the signaling server elsewhere; natter-server's compressed files;
// the page before the wasm runs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  attach,
  dist,
  expectTranscript,
  inState,
  joinAs,
  say,
  screenshot,
  transfer,
  useStage,
  userEntry,
} from './harness.mjs';
import { startSite } from './static-host.mjs';

const stage = useStage();
/** A 1×1 PNG. */
const onePixelPng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** An `init` script: keeps every CSP violation the page reports in `window.violations`. */
function recordViolations() {
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
}

test('from a static host under the strict CSP, the app finds its server in config.json and chats', async () => {
  const signaling = `ws://127.0.0.1:${stage.server.port}/ws`;
  const site = await startSite(signaling);
  try {
    const options = { init: recordViolations };
    const alice = await joinAs(stage.browser, site, 'alice', 'static', options);
    const bob = await joinAs(stage.browser, site, 'bob', 'static', options);
    await userEntry(alice, 'bob').waitFor();
    await say(alice, 'bob', 'hello from a static host');
    await say(bob, 'alice', 'and back');
    await expectTranscript(bob, 'alice', ['alice: hello from a static host', 'bob: and back']);
    await expectTranscript(alice, 'bob', ['alice: hello from a static host', 'bob: and back']);
    // A file too (an image: shown from a blob: URL where the app previews images).
    await attach(alice, { name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(onePixelPng, 'base64') });
    await transfer(bob, 'dot.png').getByRole('button', { name: 'Accept' }).click();
    await inState(bob, 'dot.png', 'done');
    await inState(alice, 'dot.png', 'done');
    await screenshot(alice, 'hosting-static-csp-chat');

    // The app never ran into the policy...
    for (const page of [alice, bob]) {
      assert.deepEqual(await page.evaluate(() => window.violations), []);
      assert.deepEqual(page.errors, []);
    }
    // ...which is in force: an inline script does not run, and is reported.
    const inlineRan = await alice.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return window.inlineRan === true;
    });
    assert.equal(inlineRan, false);
    assert.deepEqual(await alice.evaluate(() => window.violations), ['script-src-elem inline']);
    // The signaling server was the one in config.json: the static host has no /ws.
    assert.ok(site.requests.includes('/config.json'));
    assert.ok(!site.requests.includes('/ws'));
    for (const page of [alice, bob]) await page.context().close();
  } finally {
    await site.stop();
  }
});

test('from natter-server itself, the app works under its strict CSP, and an inline script does not run', async () => {
  const options = { init: recordViolations };
  const alice = await joinAs(stage.browser, stage.server, 'alice', 'own-origin', options);
  const bob = await joinAs(stage.browser, stage.server, 'bob', 'own-origin', options);
  const policy = (await alice.request.get(stage.server.url)).headers()['content-security-policy'];
  assert.match(policy, /connect-src 'self';/, 'no wildcard: the socket is this origin\'s /ws');
  await say(alice, 'bob', 'under the policy');
  await expectTranscript(bob, 'alice', ['alice: under the policy']);
  await attach(alice, { name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(onePixelPng, 'base64') });
  await transfer(bob, 'dot.png').getByRole('button', { name: 'Accept' }).click();
  await inState(bob, 'dot.png', 'done');
  for (const page of [alice, bob]) {
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(page.errors, []);
  }
  // An injected inline script is refused, and the refusal reported.
  await alice.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
  });
  await alice.waitForFunction(() => window.violations.length > 0);
  assert.deepEqual(await alice.evaluate(() => window.violations), ['script-src-elem inline']);
  assert.equal(await alice.evaluate(() => window.inlineRan), undefined);
  for (const page of [alice, bob]) await page.context().close();
});

test('deploy/_headers: wasm type, a year for hashed files, index.html, config.json and sw.js revalidated', async () => {
  const site = await startSite(`ws://127.0.0.1:${stage.server.port}/ws`);
  try {
    const files = readdirSync(dist);
    const named = (pattern) => files.find((file) => pattern.test(file));
    const head = async (file) => (await fetch(new URL(file, site.url), { method: 'HEAD' })).headers;
    const year = 'public, max-age=31536000, immutable';
    for (const file of [named(/^natter-.*_bg\.wasm$/), named(/^natter-.*\.js$/), named(/^main-.*\.css$/), named(/^boot-.*\.js$/)]) {
      assert.ok(file, 'the build has its hashed files');
      assert.equal((await head(file)).get('cache-control'), year, file);
    }
    assert.equal((await head(named(/\.wasm$/))).get('content-type'), 'application/wasm');
    for (const file of ['', 'index.html', 'config.json', 'sw.js']) {
      assert.equal((await head(file)).get('cache-control'), 'no-cache', `/${file}`);
    }
    const page = await head('');
    assert.match(page.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval';/);
    assert.equal(page.get('x-content-type-options'), 'nosniff');
    // The page names no inline script: every script is a file.
    const html = await (await fetch(site.url)).text();
    assert.deepEqual(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g), null);
  } finally {
    await site.stop();
  }
});

/** A GET of `path` from natter-server with `Accept-Encoding: encoding`: head and raw body. */
function fetchRaw(port, urlPath, encoding) {
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': encoding };
    http.get({ host: '127.0.0.1', port, path: urlPath, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('natter-server sends the built files brotli or gzip compressed, as asked', async () => {
  const files = readdirSync(dist).filter((file) => /\.(wasm|js|css|html)$/.test(file));
  assert.ok(files.some((file) => file.endsWith('.wasm')));
  for (const file of files) {
    const plain = readFileSync(path.join(dist, file));
    const cases = [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['identity', undefined, (body) => body],
    ];
    for (const [accept, encoding, decode] of cases) {
      const { headers, body } = await fetchRaw(stage.server.port, `/${file}`, accept);
      assert.equal(headers['content-encoding'], encoding, `${file} for ${accept}`);
      assert.equal(headers.vary, 'accept-encoding', file);
      assert.ok(decode(body).equals(plain), `${file} for ${accept}: the same bytes once decoded`);
      if (encoding === 'br') assert.ok(body.length < plain.length * 0.5, `${file}: ${body.length} of ${plain.length} bytes`);
    }
  }
});

test('until the wasm runs the page shows its own first screen, already usable; then only the app\'s', async () => {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const context = await stage.browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  await page.route('**/*_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(stage.server.url, { waitUntil: 'commit' });
  await page.getByLabel('Your name').fill('ada');
  assert.equal(await page.locator('[data-loading]').count(), 2, 'index.html\'s stand-in, not the app');
  assert.equal(await page.locator('h1').innerText(), 'natter');
  await screenshot(page, 'hosting-loading');
  release();
  await page.locator('[data-loading]').first().waitFor({ state: 'detached' });
  assert.equal(await page.locator('h1').count(), 1);
  assert.equal(await page.locator('form.login').count(), 1);
  assert.equal(await page.getByLabel('Your name').inputValue(), 'ada');
  await context.close();
});

test('a config.json that never answers: after a short wait the page joins on its own origin', async () => {
  const hang = (page) => page.route('**/config.json', () => {}); // never answered
  const page = await joinAs(stage.browser, stage.server, 'patient', 'hang', { prepare: hang });
  // The join waited for config.json's 2 s timeout (counted from the app's start).
  assert.ok(await page.evaluate(() => performance.now()) >= 2000);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
