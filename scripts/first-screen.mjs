// Puts the first screen's texts into index.html at build time: each element marked
// data-text="Key" gets the English row of model/src/i18n.rs as its text and the Chinese
// one as data-zh, which src/boot.js shows to a Chinese browser. One table for the app and
// the page that stands in for it until the wasm runs.
// Run by scripts/build-app.mjs on each build, before the page is minified; or by hand:
// node scripts/first-screen.mjs DIR.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/first-screen.mjs DIR');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The rows of the table: `Key: "English", "Chinese";`, by key. */
export function rows(source) {
  const string = '"((?:[^"\\\\]|\\\\.)*)"';
  const row = new RegExp(`^\\s*(\\w+): ${string}, ${string};$`, 'gm');
  const unescape = (text) => JSON.parse(`"${text}"`);
  return new Map([...source.matchAll(row)].map(([, key, en, zh]) => [key, { en: unescape(en), zh: unescape(zh) }]));
}

const escape = (text) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const table = rows(readFileSync(path.join(root, 'model/src/i18n.rs'), 'utf8'));
const file = path.join(dir, 'index.html');
const page = readFileSync(file, 'utf8').replace(
  /(<(\w+)[^>]*?) data-text="(\w+)"([^>]*)>(<\/\2>)?/g,
  (tag, open, name, key, rest, close) => {
    const row = table.get(key);
    if (!row) throw new Error(`index.html names ${key}, which model/src/i18n.rs lacks`);
    return `${open} data-text="${key}" data-zh="${escape(row.zh)}"${rest}>${escape(row.en)}${close ?? ''}`;
  },
);
writeFileSync(file, page);
