// Minifies the app's scripts in a release build: the wasm's glue (natter-HASH.js) and
// src/boot.js. trunk's own minifier stops at the glue's `export default`, and leaves
// boot.js whole (its comments are most of it); terser takes about 3 KB off their brotli
// bytes. boot.js is loaded under an integrity hash trunk wrote into index.html before this
// runs: the hash is written anew. (trunk minifies the page and the stylesheet itself.)
// Run by trunk after each build (Trunk.toml's post_build hook, after first-screen.mjs and
// before service-worker.mjs), in its staging dir; or by hand: node scripts/minify-scripts.mjs DIR.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: node scripts/minify-scripts.mjs DIR (or run by trunk)');
// A debug build stays readable.
if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

/** The one file of `dir` named `prefix-HASH.js`. */
function named(prefix) {
  const found = readdirSync(dir).filter((name) => new RegExp(`^${prefix}-[0-9a-f]+\\.js$`).test(name));
  if (found.length !== 1) throw new Error(`expected one ${prefix}-HASH.js in ${dir}, found ${found.length}`);
  return found[0];
}

/** Minifies `name` in place; resolves to its new bytes. */
async function minifyFile(name) {
  const file = path.join(dir, name);
  // The wasm imports the glue's functions by name from an object: properties keep theirs.
  const { code } = await minify(readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
  writeFileSync(file, code);
  return code;
}

await minifyFile(named('natter'));
const boot = named('boot');
const integrity = `sha384-${createHash('sha384').update(await minifyFile(boot)).digest('base64')}`;
const page = path.join(dir, 'index.html');
let tags = 0;
const html = readFileSync(page, 'utf8').replace(/<script\b[^>]*>/g, (tag) => {
  if (!tag.includes(boot)) return tag;
  tags += 1;
  return tag.replace(/integrity=("?)sha384-[A-Za-z0-9+/=]+\1/, `integrity="${integrity}"`);
});
if (tags !== 1) throw new Error(`expected one <script> of ${boot} in index.html, found ${tags}`);
writeFileSync(page, html);
