// Jest as Stryker runs it (stryker.config.mjs): one project with only the fast, in-process tests that
// exercise src/ directly. Left out: the tests that run the bundled dist/ (integration/dist.test.ts and
// cli.test.ts, the reliability suite), which Stryker does not mutate, and the end-to-end tests (real
// codex, tens of seconds each). Same ts-jest ESM setup as
// jest.config.js; the tsconfig there sets isolatedModules, so ts-jest transpiles without type checking
// (the TypeScript checker plugin rejects mutants that do not compile).
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }] },
  testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts', '<rootDir>/__tests__/integration/**/*.test.ts'],
  // Stryker's sandbox copies files without their modes: make the test scripts executable again.
  globalSetup: '<rootDir>/test-support/stryker-global-setup.js',
  // A mutant that stops a script early can leave a pid file empty; kill(0) would end the whole run.
  setupFiles: ['<rootDir>/test-support/guard-kill.js'],
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/integration/(dist|cli)\\.test\\.ts$'],
};
