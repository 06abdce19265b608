// What .ci/run prints after the suite (test-support/jest-summary.mjs): the ten slowest test files, the
// suite's time, files that failed outside their tests, and the closing line CI is read by.
import { describe, expect, it } from '@jest/globals';
import { summarize } from '../../test-support/jest-summary.mjs';

const file = (name: string, seconds: number, statuses: string[], message = '') => ({
  name: `/repo/${name}`,
  startTime: 1000,
  endTime: 1000 + seconds * 1000,
  status: statuses.includes('failed') || message ? 'failed' : 'passed',
  message,
  assertionResults: statuses.map((status) => ({ status })),
});

describe('the summary .ci/run prints', () => {
  const twelve = Array.from({ length: 12 }, (_, i) => file(`__tests__/unit/f${i}.test.ts`, i + 1, ['passed']));
  const results = { startTime: 1000, numPassedTests: 12, numFailedTests: 0, numTotalTests: 12, testResults: twelve };

  it('lists the ten slowest test files, slowest first, then the whole suite time', () => {
    const { lines } = summarize(results, '/repo');
    expect(lines[0]).toBe('slowest test files:');
    expect(lines.slice(1, 11).map((l) => l.trim())).toEqual(
      Array.from({ length: 10 }, (_, i) => `${12 - i}.0 s  __tests__/unit/f${11 - i}.test.ts (1 test)`),
    );
    expect(lines[11]).toBe('suite time: 12.0 s (12 test files, 78.0 s of test-file time in all)');
  });

  it('closes with "tests: N passed, N failed"', () => {
    const { lines, ranNothing } = summarize(results, '/repo');
    expect(lines.at(-1)).toBe('tests: 12 passed, 0 failed');
    expect(ranNothing).toBe(false);
  });

  it('a file that failed outside its tests (the process guard) is named and counted as failed', () => {
    const guard = file(
      '__tests__/unit/leaky.test.ts',
      2,
      ['passed', 'passed'],
      '\u001b[1m● \u001b[22mTest suite failed to run\n\n    process guard: __tests__/unit/leaky.test.ts left 1 process(es) running … `sleep 300`',
    );
    const { lines } = summarize({ ...results, numPassedTests: 14, testResults: [...twelve, guard] }, '/repo');
    expect(lines).toContain(
      'failed outside its tests: __tests__/unit/leaky.test.ts: process guard: __tests__/unit/leaky.test.ts left 1 process(es) running … `sleep 300`',
    );
    expect(lines.at(-1)).toBe('tests: 14 passed, 1 failed');
  });

  it('a run with no tests is a failure', () => {
    expect(summarize({ startTime: 0, numPassedTests: 0, numFailedTests: 0, numTotalTests: 0, testResults: [] }, '/repo').ranNothing).toBe(
      true,
    );
  });
});
