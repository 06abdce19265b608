// What CI prints after `npm test -- --json --outputFile=<file>` (.ci/run): where the time went (the ten
// slowest test files and the whole suite's time), so that a slow creep is seen before it reaches CI's
// time limit; the test files that failed outside their tests (a hook, the process guard), which
// jest's test counts miss; and one plain closing line, `tests: N passed, N failed`.
//
// Usage: node test-support/jest-summary.mjs <jest-results.json>. Exits 1 when nothing ran.
import fs from 'node:fs';
import path from 'node:path';

/** jest colours its messages even into --json. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * The lines to print for jest's --json results `r` (files relative to `root`).
 * @param {any} r
 * @param {string} root
 * @returns {{ lines: string[], ranNothing: boolean }}
 */
export function summarize(r, root) {
  const rel = (file) => path.relative(root, file);
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const files = r.testResults.map((t) => ({
    file: rel(t.name),
    ms: t.endTime - t.startTime,
    tests: t.assertionResults.length,
    failedOutside: t.status === 'failed' && t.assertionResults.every((a) => a.status !== 'failed'),
    message: t.message ?? '',
  }));
  const lines = ['slowest test files:'];
  for (const f of [...files].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
    lines.push(`  ${seconds(f.ms).padStart(8)}  ${f.file} (${f.tests} test${f.tests === 1 ? '' : 's'})`);
  }
  const end = Math.max(r.startTime, ...r.testResults.map((t) => t.endTime));
  const busy = files.reduce((sum, f) => sum + f.ms, 0);
  lines.push(`suite time: ${seconds(end - r.startTime)} (${files.length} test files, ${seconds(busy)} of test-file time in all)`);
  const outside = files.filter((f) => f.failedOutside);
  for (const f of outside) {
    // The first line that says something: jest's message starts with a "● Test suite failed to run" banner.
    const why = f.message
      .split('\n')
      .map((l) => l.replace(ANSI_COLOUR, '').trim())
      .find((l) => l && !l.startsWith('●'));
    lines.push(`failed outside its tests: ${f.file}: ${why ?? 'see the log above'}`);
  }
  // A file that failed outside its tests counts as one failed test: the run failed, and the figure says so.
  lines.push(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + outside.length} failed`);
  return { lines, ranNothing: r.numTotalTests === 0 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2];
  const { lines, ranNothing } = summarize(JSON.parse(fs.readFileSync(file, 'utf8')), process.cwd());
  console.log(lines.join('\n'));
  if (ranNothing) process.exit(1);
}
