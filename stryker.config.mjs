// Mutation testing (`npm run test:mutation`, opt-in: slow on 2 cores, so not part of `npm test` or
// .ci/run). Stryker plants one small bug at a time in src/ and runs the tests that cover it; a mutant
// that no test notices "survives". `npm run test:mutation` turns the JSON report into bench/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // Entry points that only wire things together (the runner's @actions/core, process.argv) are left
  // out: the bundled-dist and end-to-end tests cover them, and those are too slow to run per mutant.
  mutate: [
    'src/**/*.ts',
    '!src/index.ts',
    '!src/cli.ts',
    '!src/actions-toolkit.ts',
    '!src/post-entry.ts',
    '!src/bundle-stubs/**',
    '!src/**/*.d.ts',
  ],
  testRunner: 'jest',
  // findRelatedTests: a mutant's run loads only the test files that import the mutated file (6 to 18 of
  // 43), not all of them. Loading every file cost each run ~7 s of CPU before a test ran; on 2 shared
  // cores that pushed mutant runs past their timeout, so survivors were reported as "timed out"
  // (counted as detected) and the runner restarted after each. Coverage is measured in-process
  // (perTest), so any test that covers a mutant imports its file and is in the related set.
  jest: { projectType: 'custom', configFile: 'stryker.jest.config.js', enableFindRelatedTests: true },
  // ts-jest in ESM mode needs Node's VM modules in every test runner process.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings'],
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Only the tests that ran a mutant's code run for it.
  coverageAnalysis: 'perTest',
  // Static mutants (module-level tables: kind lists, titles, pattern tables) cannot be tied to the tests
  // that cover them, so each one re-runs the whole suite (~15 s here): hundreds of them doubled a run
  // past an hour on 2 shared cores. They are left out (reported as ignored); the tables themselves are
  // checked entry by entry by the unit tests (classifier transcripts, report titles, kinds).
  ignoreStatic: true,
  // Re-runs test only mutants whose code or covering tests changed. Stryker reads and writes the plain
  // JSON here (.tmp/, ignored by git); scripts/mutation-state.mjs keeps a gzipped copy in
  // bench/stryker-incremental.json.gz, so a fresh clone re-tests only what changed since the last
  // committed run instead of testing every mutant. `npm run test:mutation:full` ignores it (`--force`).
  incremental: true,
  incrementalFile: '.tmp/stryker/incremental.json',
  // Two cores: Stryker gives half of `concurrency` to TypeScript checkers and half to test runners,
  // and the checkers only keep pace with the runners (mostly idle), so 4 keeps both cores running
  // tests (2 left one core idle and took ~2 h). A mutant times out 20 s after 1.5x its tests' normal
  // time. Stryker counts a timeout as detected, so the margin must be far beyond a slow moment on
  // busy cores: with 5 s, mutants whose tests all passed were seen timing out. With 20 s, ~80 time
  // out and do so again when re-tested: they loop or wait for ever (each costs ~20 s of one core; an
  // incremental run re-tests only new ones). Two of 812 once timed out and then survived a re-test;
  // bench/mutation.md lists such a mutant under "Timed out, but known to survive" when it has a reason.
  concurrency: 4,
  timeoutMS: 20_000,
  timeoutFactor: 1.5,
  dryRunTimeoutMinutes: 10,
  // 'live' (scripts/stryker-live-reporter.mjs) writes each result as it comes: survivors can be read
  // while a run goes on, and a run cut short still leaves what it measured.
  appendPlugins: ['./scripts/stryker-live-reporter.mjs'],
  reporters: ['json', 'html', 'clear-text', 'progress', 'live'],
  jsonReporter: { fileName: '.tmp/stryker/mutation.json' },
  htmlReporter: { fileName: '.tmp/stryker/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.tmp/stryker-sandbox',
  // Not needed by the tests Stryker runs; copying them into the sandbox only costs time.
  ignorePatterns: [
    '/.tmp',
    '/bench/.work',
    '/dist',
    '/coverage',
    '/__tests__/e2e',
    '/__tests__/reliability',
    '/__tests__/integration/dist.test.ts',
    '/__tests__/integration/cli.test.ts',
  ],
  thresholds: { high: 85, low: 75, break: null },
};
