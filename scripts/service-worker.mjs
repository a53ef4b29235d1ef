// Writes sw.js into a build: src/sw.js after the list of the build's files (the app shell,
// which it keeps for offline use) and a version that changes with any of their bytes, so
// that each new build brings a new worker. Run by scripts/build-app.mjs on each build
// (before compress.mjs); or by hand: node scripts/service-worker.mjs DIR.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/service-worker.mjs DIR');
const source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'sw.js');

// Not the shell: compressed copies (the browser asks for the plain name), the worker, a
// host's files, and the install icons (the browser fetches those itself when installing).
const left = /\.(br|gz)$|^(sw\.js|config\.json|_headers|_redirects)$|\.png$/;
const shell = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && !left.test(entry.name))
  .map((entry) => entry.name)
  .sort();

const hash = createHash('sha256');
for (const name of shell) hash.update(`${name}\0`).update(readFileSync(path.join(dir, name)));
const version = hash.digest('hex').slice(0, 16);
// The page at the site's root ("./") is index.html; it is what any address opens.
const urls = shell.map((name) => (name === 'index.html' ? './' : name));

const head = `const VERSION = '${version}';\nconst SHELL = ${JSON.stringify(urls)};\n`;
writeFileSync(path.join(dir, 'sw.js'), head + readFileSync(source, 'utf8'));
