// Checks the download of a release build against the budget kept in size-budget.txt: the
// brotli bytes natter-server sends for every file a first visit fetches (index.html, the
// wasm, the scripts and the stylesheet). Prints each file and the total; exits 1 over it.
// Usage: node scripts/size-budget.mjs [DIST] (make test runs it after the release build).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The budget in bytes: the one number in size-budget.txt (lines with # are comments). */
export function budget(file = path.join(root, 'size-budget.txt')) {
  const lines = readFileSync(file, 'utf8').split('\n').map((line) => line.trim());
  const numbers = lines.filter((line) => line && !line.startsWith('#'));
  if (numbers.length !== 1 || !/^\d+$/.test(numbers[0])) throw new Error(`${file}: expected one number of bytes`);
  return Number(numbers[0]);
}

/** What a first visit downloads from `dist`, file by file: the .br copy's size where the build wrote one. */
export function download(dist) {
  return readdirSync(dist)
    .filter((file) => /^index\.html$|\.(wasm|js|css)$/.test(file))
    .sort()
    .map((file) => {
      const br = path.join(dist, `${file}.br`);
      return { file, bytes: statSync(existsSync(br) ? br : path.join(dist, file)).size };
    });
}

/** The report and whether `files` fit in `limit`. */
export function check(files, limit) {
  const total = files.reduce((sum, { bytes }) => sum + bytes, 0);
  const lines = files.map(({ file, bytes }) => `  ${file.padEnd(36)} ${String(bytes).padStart(7)}`);
  const verdict = total <= limit ? `within the budget of ${limit} bytes (${limit - total} to spare)` : `OVER the budget of ${limit} bytes by ${total - limit}`;
  return { fits: total <= limit, report: [...lines, `  ${'total'.padEnd(36)} ${String(total).padStart(7)}: ${verdict}`].join('\n') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { fits, report } = check(download(process.argv[2] ?? path.join(root, 'dist')), budget());
  console.log(`download, brotli bytes as sent (size-budget.txt):\n${report}`);
  if (!fits) {
    console.error('The app grew past its budget: make it smaller, or raise size-budget.txt in a commit of its own that says why.');
    process.exit(1);
  }
}
