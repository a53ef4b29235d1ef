// Builds the app into dist/: the wasm (cargo, wasm-bindgen, wasm-opt), the stylesheet,
// src/boot.js and public/, each under a name carrying a hash of its bytes, and index.html
// naming them. A release build is minified (page, stylesheet, scripts) and compressed.
// Usage: node scripts/build-app.mjs [--debug]. Our own script rather than trunk: trunk's
// install alone took 18 of a cold `make test`'s minutes on two cores.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import minifyHtml from '@minify-html/node';
import { transform as transformCss } from 'lightningcss';
import { minify as minifyJs } from 'terser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const release = !process.argv.includes('--debug');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const dist = path.join(root, 'dist');
// Built beside dist/ and swapped in whole: a server reading dist/ never sees half a build.
const stage = path.join(root, 'dist.stage');

function run(command, ...args) {
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (error) throw new Error(`${command}: ${error.message} (scripts/setup.sh installs it)`);
  if (status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${status}`);
}

const digest = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
};

/** The app's wasm and its JS glue, optimized in a release build: [glue, wasm] bytes. */
function compileWasm() {
  run('cargo', 'build', '--locked', '--target=wasm32-unknown-unknown', '--bin', 'natter', ...(release ? ['--release'] : []));
  const profile = release ? 'release' : 'debug';
  const out = path.join(targetDir, 'wasm-bindgen', profile);
  mkdirSync(out, { recursive: true });
  const compiled = path.join(targetDir, 'wasm32-unknown-unknown', profile, 'natter.wasm');
  run('wasm-bindgen', '--target=web', '--no-typescript', `--out-dir=${out}`, '--out-name=natter', compiled);
  const wasm = path.join(out, 'natter_bg.wasm');
  if (release) {
    // Re-looping the flattened code before the size passes: ~1.3 KB less wasm (brotli).
    run('wasm-opt', `--output=${wasm}`, '-Oz', wasm, '--flatten', '--rereloop', '-Oz', '-Oz');
  }
  return [readFileSync(path.join(out, 'natter.js')), readFileSync(wasm)];
}

/** A script as served: minified in a release build (the wasm imports the glue's functions
 * by property name, and terser keeps property names). */
async function script(code) {
  if (!release) return code;
  return (await minifyJs(code.toString(), { module: true, compress: true, mangle: true })).code;
}

function stylesheet(css) {
  if (!release) return css;
  return transformCss({ filename: 'main.css', code: css, minify: true }).code;
}

/** index.html with each file it names by its source path renamed to its built name. */
function page(built) {
  let html = readFileSync(path.join(root, 'index.html'), 'utf8');
  for (const [source, name] of Object.entries(built)) {
    const attribute = new RegExp(`(href|src)="${source.replaceAll('.', '\\.')}"`, 'g');
    const found = html.match(attribute)?.length ?? 0;
    if (found !== 1) throw new Error(`index.html must name ${source} once, names it ${found} times`);
    html = html.replace(attribute, `$1="/${name}"`);
  }
  return html;
}

/** Writes `bytes` into the stage as `stem-HASH.ext`; resolves to that name. */
function hashed(stem, ext, bytes) {
  const name = `${stem}-${digest(bytes)}.${ext}`;
  writeFileSync(path.join(stage, name), bytes);
  return name;
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
cpSync(path.join(root, 'public'), stage, { recursive: true });

const [glue, wasm] = compileWasm();
const app = `natter-${digest(glue, wasm)}`;
writeFileSync(path.join(stage, `${app}.js`), await script(glue));
writeFileSync(path.join(stage, `${app}_bg.wasm`), wasm);
const built = {
  'natter.js': `${app}.js`,
  'natter_bg.wasm': `${app}_bg.wasm`,
  'style/main.css': hashed('main', 'css', stylesheet(readFileSync(path.join(root, 'style/main.css')))),
  'src/boot.js': hashed('boot', 'js', await script(readFileSync(path.join(root, 'src/boot.js')))),
};
writeFileSync(path.join(stage, 'index.html'), page(built));

// The first screen's texts, then the page minified with them in it.
run('node', 'scripts/first-screen.mjs', stage);
if (release) {
  const html = readFileSync(path.join(stage, 'index.html'));
  writeFileSync(path.join(stage, 'index.html'), minifyHtml.minify(html, { keep_closing_tags: true, minify_css: true }));
}
run('node', 'scripts/service-worker.mjs', stage);
if (release) run('node', 'scripts/compress.mjs', stage);

rmSync(dist, { recursive: true, force: true });
renameSync(stage, dist);
console.log(`built ${release ? 'release' : 'debug'} app in dist/`);
