// The download budget (issue 24): scripts/size-budget.mjs passes the build at its own size
// and fails it one byte over, and the budget in size-budget.txt holds for this build.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budget, check, download } from '../scripts/size-budget.mjs';
import { dist } from './harness.mjs';

test('the budget check fails a build one byte over it, and this build is within size-budget.txt', () => {
  const files = download(dist);
  assert.ok(files.some(({ file }) => file.endsWith('_bg.wasm')), 'the wasm is counted');
  assert.ok(files.some(({ file }) => file === 'index.html'), 'the first screen is counted');
  const total = files.reduce((sum, { bytes }) => sum + bytes, 0);
  assert.equal(check(files, total).fits, true);
  const over = check(files, total - 1);
  assert.equal(over.fits, false);
  assert.match(over.report, /OVER the budget of \d+ bytes by 1$/);
  assert.equal(check(files, budget()).fits, true, check(files, budget()).report);
});
