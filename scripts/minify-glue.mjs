// Minifies the wasm's JavaScript glue (natter-HASH.js) in a release build: trunk's own
// minifier stops at its `export default` and leaves it whole, and terser takes about 2 KB
// off its brotli bytes. Only the glue: trunk minifies the stylesheet and the page itself,
// and boot.js is loaded under an integrity hash trunk computed before this runs.
// Run by trunk after each build (Trunk.toml's post_build hook, before service-worker.mjs),
// in its staging dir; or by hand: node scripts/minify-glue.mjs DIR.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: node scripts/minify-glue.mjs DIR (or run by trunk)');
// A debug build stays readable.
if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const glue = readdirSync(dir).filter((name) => /^natter-[0-9a-f]+\.js$/.test(name));
if (glue.length !== 1) throw new Error(`expected one natter-HASH.js in ${dir}, found ${glue.length}`);
const file = path.join(dir, glue[0]);
// The wasm imports the glue's functions by name from an object: properties keep theirs.
const { code } = await minify(readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
writeFileSync(file, code);
