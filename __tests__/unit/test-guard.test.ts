// test-support/guard-kill.js is loaded before every test file: a pid read from a still-empty pid file
// (0), or -1, must never reach the real kill(2), which would signal the test's own process group (under
// Stryker, the whole mutation run) or every process the user owns.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';

describe('the test guard on process.kill', () => {
  it.each([0, -1, Number(''), Number.NaN])('refuses to signal %p', (pid) => {
    expect(() => process.kill(pid, 0)).toThrow(/test guard/);
  });

  it("refuses the test's own process and its parent", () => {
    expect(() => process.kill(process.pid, 0)).toThrow(/test guard/);
    expect(() => process.kill(-process.pid, 0)).toThrow(/test guard/);
    expect(() => process.kill(process.ppid, 0)).toThrow(/test guard/);
  });

  it('still signals any other process', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    expect(process.kill(child.pid!, 'SIGKILL')).toBe(true);
    expect(await exited).toBe('SIGKILL');
  });
});
