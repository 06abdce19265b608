// ESM TypeScript under jest: ts-jest in ESM mode, run with NODE_OPTIONS=--experimental-vm-modules
// (see package.json). Three groups: fast unit tests, integration tests that run the built dist/
// around a fake codex, and end-to-end tests with the real codex CLI against the loopback stand-in.
const common = {
  preset: 'ts-jest/presets/default-esm',
  // Node's environment plus a guard that fails a test file which leaves a process running, and kills it,
  // so that jest never waits on a leftover (test-support/process-guard-environment.js).
  testEnvironment: '<rootDir>/test-support/process-guard-environment.js',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }] },
  // No test may signal its own process group or every process (a pid file read while still empty).
  setupFiles: ['<rootDir>/test-support/guard-kill.js'],
};

export default {
  // 30 s, not jest's 5: a unit test that starts real processes must pass on two cores shared with
  // another suite. A test waiting on a process names its own, shorter bound (test-support/deadline.js);
  // files that run the action set longer ones. (jest reads this per run, not per project.)
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'] },
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/__tests__/reliability/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'] },
  ],
};
