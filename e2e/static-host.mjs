// A static host as Netlify is one: files from a folder, the headers of a `_headers` file
// (matched and merged by Netlify's rules), and `_redirects`' SPA fallback (any path that is
// not a file gets index.html with 200). For the tests of deploy/ (e2e/hosting.test.mjs) and
// of the app kept offline (e2e/offline.test.mjs).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from './harness.mjs';

const deploy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'deploy');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/octet-stream', // what a host that knows nothing of wasm says
};

/** A `_headers` path as Netlify reads it: `*` matches anything, `:name` one segment. */
function pathPattern(rule) {
  const escape = (text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const parts = rule.split('/').filter(Boolean).map((part) => {
    if (part.startsWith(':')) return '([^/]+)';
    if (part === '*') return '?(.*)';
    return part.split('*').map(escape).join('(.*)');
  });
  return new RegExp(`^/${parts.join('/')}/?$`, 'i');
}

/** The blocks of a `_headers` file: [{ pattern, headers: [[name, value]] }]. */
export function parseHeaders(text) {
  const blocks = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('/')) {
      blocks.push({ rule: line, pattern: pathPattern(line), headers: [] });
    } else {
      const colon = line.indexOf(':');
      if (colon < 1 || blocks.length === 0) throw new Error(`bad _headers line: ${line}`);
      blocks.at(-1).headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return blocks;
}

/** The headers every matching block gives `urlPath`; a name set twice gets both values. */
export function headersFor(blocks, urlPath) {
  const merged = new Map();
  for (const block of blocks.filter((b) => b.pattern.test(urlPath))) {
    for (const [name, value] of block.headers) {
      const key = name.toLowerCase();
      merged.set(key, merged.has(key) ? `${merged.get(key)}, ${value}` : value);
    }
  }
  return merged;
}

/**
 * Serves `root` on 127.0.0.1 with the headers of `headersFile`, each passed through
 * `adjust(name, value)`. Resolves to { url, requests (paths asked for), stop() }.
 */
export async function startStaticHost({ root, headersFile, adjust = (_, value) => value }) {
  const blocks = parseHeaders(readFileSync(headersFile, 'utf8'));
  const requests = [];
  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://host').pathname);
    requests.push(urlPath);
    const asked = path.join(root, path.normalize(urlPath));
    const file = asked.startsWith(root) && isFile(asked) ? asked : path.join(root, 'index.html');
    const headers = { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' };
    for (const [name, value] of headersFor(blocks, urlPath)) headers[name] = adjust(name, value);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    requests,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * `make site` in a temporary folder (`root`): the build, deploy's files, and a config.json
 * naming `signaling`. Served by a static host with deploy/_headers, whose CSP allows the
 * test's signaling server too: it speaks ws:// (no TLS here), which `wss:` does not cover.
 */
export async function startSite(signaling) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'natter-site-'));
  cpSync(dist, root, { recursive: true });
  cpSync(path.join(deploy, '_headers'), path.join(root, '_headers'));
  writeFileSync(path.join(root, 'config.json'), JSON.stringify({ server: signaling }));
  const origin = new URL(signaling).origin.replace(/^http/, 'ws');
  const connect = "connect-src 'self' wss:";
  const adjust = (name, value) => {
    if (name !== 'content-security-policy') return value;
    assert.ok(value.includes(connect), `the CSP has ${connect}`);
    return value.replace(connect, `${connect} ${origin}`);
  };
  const host = await startStaticHost({ root, headersFile: path.join(deploy, '_headers'), adjust });
  return { ...host, root, stop: async () => (await host.stop(), rmSync(root, { recursive: true })) };
}

/**
 * The build in a temporary folder with a config.json naming `signaling`, for natter-server's
 * `--static-dir`: its CSP then lets the app reach that server (and only it besides its own
 * /ws). `remove()` deletes the folder.
 */
export function configuredApp(signaling) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'natter-app-'));
  cpSync(dist, root, { recursive: true });
  writeFileSync(path.join(root, 'config.json'), JSON.stringify({ server: signaling }));
  return { root, remove: () => rmSync(root, { recursive: true }) };
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
