// Stopping an attempt must leave nothing running: SIGTERM to the whole process group first, then, as
// soon as the shell has gone, SIGKILL for whatever it left behind, without waiting out the grace period.
// The grace here is long (20 s), so SIGTERM is certainly sent first and the grace timer cannot be what
// ends the grandchild.
import { describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { RunRequest } from '../../src/process-runner.js';
import { isRunning } from '../../test-support/processes.js';
import { cleanUpAfterEach, runBounded } from '../../test-support/run-request.js';

const LONG_GRACE_MS = 20_000;
// runBounded allows the grace and then some before it names a run that never ended.
jest.setTimeout(50_000);
/** Long enough for `sh` to start its grandchild on two busy cores before the limit runs out. */
const TIMEOUT_MS = 2500;

const { tmpdir, leftovers } = cleanUpAfterEach('sweep-');

const sink = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

function request(script: string, overrides: Partial<RunRequest>): RunRequest {
  return {
    command: 'sh',
    args: ['-c', script],
    cwd: process.cwd(),
    env: process.env,
    timeoutMs: 0,
    killGraceMs: LONG_GRACE_MS,
    stdout: sink(),
    stderr: sink(),
    onLine: () => undefined,
    ...overrides,
  };
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isRunning(pid);
}

/** A script whose shell dies of SIGTERM but leaves a grandchild that ignores it. */
function shellWithStubbornGrandchild(): { script: string; pidFile: string } {
  const dir = tmpdir();
  const pidFile = path.join(dir, 'grandchild.pid');
  // `exec` keeps the pid; an ignored signal stays ignored across exec. Its output goes elsewhere, so
  // the pipes close as soon as the shell has gone.
  const script = `sh -c 'trap "" TERM; exec sleep 300' >/dev/null 2>&1 & echo $! > ${pidFile}; echo started; sleep 300`;
  return { script, pidFile };
}

/** The pid the script wrote, once its line is complete (the redirection creates the file empty first). */
async function readPid(pidFile: string): Promise<number> {
  const written = () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').endsWith('\n');
  // Waits for the event with room for a busy machine; a missing file then fails the test below.
  for (const until = Date.now() + 20_000; !written() && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
  return Number(fs.readFileSync(pidFile, 'utf8'));
}

describe('stopping a run sweeps its process group with SIGKILL once the shell has exited', () => {
  it('on timeout: the shell ends on SIGTERM, and the grandchild that ignored SIGTERM is killed at once', async () => {
    const { script, pidFile } = shellWithStubbornGrandchild();
    // The limit must run out after the script has started its grandchild, even on a busy machine.
    const result = await runBounded(request(script, { timeoutMs: TIMEOUT_MS }));
    const grandchild = await readPid(pidFile);
    leftovers.push(grandchild);
    expect(result.timedOut).toBe(true);
    // The shell died of the SIGTERM: the grace period was not waited out.
    expect(result.signal).toBe('SIGTERM');
    expect(result.exitCode).toBe(128 + 15);
    expect(result.durationMs - TIMEOUT_MS).toBeLessThan(LONG_GRACE_MS / 2);
    expect(await waitUntilGone(grandchild, 10_000)).toBe(true);
  });

  it('when the listener stops the run early: the same sweep', async () => {
    const { script, pidFile } = shellWithStubbornGrandchild();
    const result = await runBounded(request(script, { onLine: (line) => line === 'started' }));
    const grandchild = await readPid(pidFile);
    leftovers.push(grandchild);
    expect(result.stopped).toBe(true);
    expect(result.durationMs).toBeLessThan(LONG_GRACE_MS / 2);
    expect(await waitUntilGone(grandchild, 10_000)).toBe(true);
  });

  it('when the step is cancelled: the same sweep', async () => {
    const { script, pidFile } = shellWithStubbornGrandchild();
    const controller = new AbortController();
    const running = runBounded(request(script, { signal: controller.signal }));
    const grandchild = await readPid(pidFile);
    leftovers.push(grandchild);
    controller.abort();
    const result = await running;
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.durationMs).toBeLessThan(LONG_GRACE_MS / 2);
    expect(await waitUntilGone(grandchild, 10_000)).toBe(true);
  });

  it('a run that ends by itself is not swept: what it started in the background keeps running', async () => {
    // Only a run the action stopped is swept; a script may legitimately leave a daemon behind.
    const { pidFile } = shellWithStubbornGrandchild();
    const result = await runBounded(request(`sleep 300 >/dev/null 2>&1 & echo $! > ${pidFile}; exit 0`, {}));
    const background = await readPid(pidFile);
    leftovers.push(background);
    expect(result.exitCode).toBe(0);
    expect(isRunning(background)).toBe(true);
  });
});
