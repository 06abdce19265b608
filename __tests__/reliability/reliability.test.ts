// The reliability suite (issue #7): the BUILT action (action.yml's main and post entries, dist/) run the
// way a GitHub runner runs it, against bad input, leaks, cancellation, faults and five runs at once.
// Cases live in *.cases.ts beside this file; this file runs them concurrently (each case owns its
// folders and processes) and prints the closing figure.
import { afterAll, describe, test } from '@jest/globals';
import { ACTION_ROOT } from '../../test-support/reliability/harness.js';
import { registerBadInputCases } from './bad-input.cases.js';
import { registerCancellationCases } from './cancellation.cases.js';
import { registerEnvironmentCases } from './environment.cases.js';
import { registerFaultCases } from './faults.cases.js';
import { registerParallelCases } from './parallel.cases.js';
import type { RegisterCase } from './register.js';

const results = { total: 0, passed: 0, failed: [] as string[] };

const rcase: RegisterCase = (name, fn, timeoutMs = 45_000) => {
  test.concurrent(
    name,
    async () => {
      // Counted when it starts: a case filtered out with -t is not in the figure, one that times out is.
      results.total += 1;
      try {
        await fn();
        results.passed += 1;
      } catch (error) {
        results.failed.push(name);
        throw error;
      }
    },
    timeoutMs,
  );
};

// Process trees and child environments are read from /proc: Linux only (CI's test job runs on Ubuntu).
const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

describeOnLinux(`reliability of the built action (${ACTION_ROOT})`, () => {
  describe('point 2: cancellation the way the runner does it', () => registerCancellationCases(rcase));
  describe('bad input: refused before codex runs, nothing deleted, nothing leaked', () => registerBadInputCases(rcase));
  describe('point 1: the environment of a run: step, and no secret left behind', () => registerEnvironmentCases(rcase));
  describe('points 3, 5, 6, 8: faults', () => registerFaultCases(rcase));
  describe('five actions at once on one machine', () => registerParallelCases(rcase));
});

afterAll(() => {
  const lines = [`${results.passed}/${results.total} reliability cases pass`];
  for (const name of results.failed) lines.push(`  failed: ${name}`);
  console.log(lines.join('\n'));
});
