// The test environment of every jest project (jest.config.js): node's, plus a guard that nothing a
// test file started outlives it. When the file's tests and its own afterAll hooks are done, every
// process still running below the jest worker, or carrying the file's marker in its environment, is
// SIGKILLed and the file fails naming each one. Before this, a fake codex that ignored SIGTERM, left
// by a test whose process runner had lost its SIGKILL, kept jest waiting for minutes or for ever
// after the failures were printed, and no test was named.
//
// Why an environment and not an afterAll in setupFilesAfterEnv: jest-circus runs a file's afterAll
// hooks in the order they were added, so the guard's would run before the file's own cleanup and
// find the processes that cleanup is about to stop. The environment hears `run_finish`, after every
// hook, while the file's result can still fail.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TestEnvironment } from 'jest-environment-node';
import { FILE_MARKER_VAR, describeLeftovers, killLeftovers, leftoversIn, ownProcessGroup, readProcessTable } from './leftover-processes.js';

/**
 * How long a process may take to end after the file's hooks are done. A hook that signals a child
 * without waiting for its exit is fine; on two busy cores a node process can take a second to go.
 */
const SETTLE_MS = 3000;

/** Between the first look for leftovers and the second (paid once per test file). */
const SECOND_LOOK_MS = 50;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default class ProcessGuardEnvironment extends TestEnvironment {
  constructor(config, context) {
    // Set before node's environment copies process.env into the sandbox: children spawned with the
    // real environment (no `env` option) and with a copy of the test's `process.env` both carry it.
    const value = `${process.pid}-${randomBytes(6).toString('hex')}`;
    process.env[FILE_MARKER_VAR] = value;
    super(config, context);
    this.marker = `${FILE_MARKER_VAR}=${value}`;
    this.testPath = context.testPath;
    this.rootDir = config.projectConfig.rootDir;
    this.ownGroup = ownProcessGroup();
    this.swept = false;
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent?.(event, state);
    if (event.name !== 'run_finish') return;
    this.swept = true;
    const left = await this.sweep();
    if (left.length > 0) {
      const file = path.relative(this.rootDir, this.testPath);
      const error = new Error(
        `process guard: ${file} left ${left.length} process(es) running after its tests and hooks ` +
          `(SIGKILLed now, with their process groups); every test must stop what it starts: ${describeLeftovers(left)}`,
      );
      error.stack = `Error: ${error.message}`; // the guard's own frames say nothing about the test
      state.unhandledErrors.push(error);
    }
  }

  async teardown() {
    // A file that never reached run_finish (it failed to load) may still have started something.
    if (!this.swept) await this.sweep();
    if (process.env[FILE_MARKER_VAR] && this.marker.endsWith(process.env[FILE_MARKER_VAR])) delete process.env[FILE_MARKER_VAR];
    await super.teardown();
  }

  /** Waits up to SETTLE_MS for the file's processes to end; kills and returns those that do not. */
  async sweep() {
    const find = () => leftoversIn(readProcessTable(), process.pid, this.marker);
    let left = find();
    // A second look a moment later: a process started as the last test ended may still have been
    // between fork and exec, outside the tree and with no environment to read, at the first.
    if (left.length === 0) {
      await sleep(SECOND_LOOK_MS);
      left = find();
    }
    for (const until = Date.now() + SETTLE_MS; left.length > 0 && Date.now() < until; left = find()) await sleep(50);
    const named = new Map(left.map((p) => [p.pid, p]));
    // Killing a parent can hand its children to PID 1 before they are killed: look again until none.
    for (let round = 0; round < 10 && left.length > 0; round++) {
      killLeftovers(left, this.ownGroup);
      await sleep(50);
      left = find();
      for (const p of left) if (!named.has(p.pid)) named.set(p.pid, p);
    }
    return [...named.values()];
  }
}
