// test-support/process-guard-environment.js fails a test file that leaves a process running and kills
// it. Here: which processes count as the file's (a table), what is signalled (never the worker's own
// group), and, for real, jest run on fixture test files that leak a child ignoring SIGTERM: the run
// must fail naming the file and the process, exit, and leave nothing running.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { within } from '../../test-support/deadline.js';
import { describeLeftovers, killLeftovers, leftoversIn, type ProcessEntry } from '../../test-support/leftover-processes.js';
import { isRunning, runningWith } from '../../test-support/processes.js';

const MARKER = 'CODEX_REAUTH_TEST_FILE=worker-1';
const entry = (pid: number, ppid: number, more: Partial<ProcessEntry> = {}): ProcessEntry => ({
  pid,
  ppid,
  pgid: ppid,
  zombie: false,
  command: `cmd-${pid}`,
  environ: '',
  ...more,
});

describe('the processes a test file left (leftoversIn)', () => {
  // 1 init, 10 jest, 20 the worker (root), 30 a test's sh, 31 its sleep, 40 another worker's child
  const table = [entry(1, 0), entry(10, 1), entry(20, 10), entry(30, 20), entry(31, 30), entry(40, 10)];

  it('every process below the worker, at any depth, and nothing else', () => {
    expect(leftoversIn(table, 20, MARKER).map((p) => p.pid)).toEqual([30, 31]);
  });

  it('a process that left the tree (re-parented to init) is found by the marker in its environment', () => {
    const escaped = entry(50, 1, { environ: `PATH=/bin\0${MARKER}\0HOME=/h\0` });
    const last = entry(51, 1, { environ: `PATH=/bin\0${MARKER}` });
    expect(leftoversIn([...table, escaped, last], 20, MARKER).map((p) => p.pid)).toEqual([30, 31, 50, 51]);
  });

  it("another file's marker (a longer value that starts the same) is not this file's", () => {
    const other = entry(52, 1, { environ: `${MARKER}0\0` });
    expect(leftoversIn([...table, other], 20, MARKER).map((p) => p.pid)).toEqual([30, 31]);
  });

  it('zombies are dead already; the worker and the processes above it are never leftovers', () => {
    const withZombie = table.map((p) => (p.pid === 31 ? { ...p, zombie: true } : p));
    // jest itself (10) may carry the marker when it runs the file in band
    const marked = withZombie.map((p) => (p.pid === 10 || p.pid === 20 ? { ...p, environ: `${MARKER}\0` } : p));
    expect(leftoversIn(marked, 20, MARKER).map((p) => p.pid)).toEqual([30]);
  });

  it('a cycle in a bad table does not loop', () => {
    expect(leftoversIn([entry(20, 10), entry(30, 31), entry(31, 30), entry(32, 20)], 20, MARKER).map((p) => p.pid)).toEqual([32]);
  });
});

describe('what the guard signals (killLeftovers)', () => {
  it("a group leader's whole group, then the process; a process in the worker's group only by pid", () => {
    const calls: Array<[number, string]> = [];
    const kill = (pid: number, signal: string) => {
      calls.push([pid, signal]);
      if (pid === 31) throw new Error('ESRCH');
    };
    killLeftovers(
      [entry(30, 20, { pgid: 30 }), entry(31, 30, { pgid: 30 }), entry(32, 20, { pgid: 7 }), entry(33, 20, { pgid: 33 })],
      33,
      kill,
    );
    expect(calls).toEqual([
      [-30, 'SIGKILL'],
      [30, 'SIGKILL'],
      [31, 'SIGKILL'],
      [32, 'SIGKILL'],
      // 33 leads the guard's own group: never signalled as a group
      [33, 'SIGKILL'],
    ]);
  });

  it('names each process by pid, parent and command line, cut short', () => {
    const text = describeLeftovers([
      entry(30, 20, { command: 'sh -c trap "" TERM; sleep 300' }),
      entry(31, 30, { command: 'x'.repeat(300) }),
    ]);
    expect(text).toBe(`pid 30 (parent 20) \`sh -c trap "" TERM; sleep 300\`; pid 31 (parent 30) \`${'x'.repeat(200)}…\``);
  });
});

describe('jest run on test files that leak processes (the guard for real)', () => {
  let dir: string;
  let run: { code: number | null; output: string; tookMs: number };
  // In the fixtures' environment, so that this test can find (and finally kill) what they started.
  const tag = `GUARD_FIXTURE=${process.pid}-${Date.now()}`;
  // Durations no other process here sleeps for, so the output names these very processes.
  const childSecs = 1000 + (Date.now() % 8000);
  const escapedSecs = childSecs + 1;
  const fixtureEnv = `{ ...process.env, GUARD_FIXTURE: '${tag.split('=')[1]}' }`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'process-guard-'));
    const write = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
    // A plain spawn (no own group) of a child that ignores SIGTERM, never stopped: what hung jest before.
    write(
      'leaks-child.test.js',
      `const { spawn } = require('node:child_process');
test('starts a fake codex that ignores SIGTERM and never stops it', () => {
  spawn('sh', ['-c', 'trap "" TERM; exec sleep ${childSecs}'], { stdio: 'inherit', env: ${fixtureEnv} });
});
`,
    );
    // A process that left the tree and its group (setsid, its parent gone): found by the file's marker.
    write(
      'leaks-escaped.test.js',
      `const { spawnSync } = require('node:child_process');
test('leaves a daemon behind', () => {
  spawnSync('sh', ['-c', 'setsid sh -c \\'trap "" TERM; exec sleep ${escapedSecs}\\' >/dev/null 2>&1 &'], { env: ${fixtureEnv} });
});
`,
    );
    // Stops what it starts (signalled in afterAll, not awaited): no failure.
    write(
      'tidy.test.js',
      `const { spawn } = require('node:child_process');
let child;
test('starts a child', () => {
  child = spawn('sleep', ['302'], { stdio: 'ignore' });
});
afterAll(() => child.kill('SIGKILL'));
`,
    );
    const config = {
      rootDir: dir,
      testEnvironment: path.resolve('test-support/process-guard-environment.js'),
      testMatch: ['<rootDir>/*.test.js'],
      transform: {},
      cacheDirectory: path.join(dir, '.cache'),
    };
    fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config));
    const started = Date.now();
    const child = spawn(
      process.execPath,
      [path.resolve('node_modules/jest/bin/jest.js'), '--config', path.join(dir, 'jest.config.json'), '--ci', '--maxWorkers=2'],
      {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await within(
      new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c))),
      60_000,
      'jest did not exit after test files leaked processes that ignore SIGTERM',
      'the process guard did not kill them',
    ).catch((error: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${error.message}\n${output}`);
    });
    run = { code, output, tookMs: Date.now() - started };
  }, 90_000);

  afterAll(() => {
    for (const pid of runningWith(tag)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('jest exits, and fails', () => {
    expect(run.code).toBe(1);
  });

  it('the file that leaked a child ignoring SIGTERM fails, naming the process', () => {
    expect(run.output).toMatch(/FAIL .*leaks-child\.test\.js/);
    expect(run.output).toMatch(new RegExp(`process guard: leaks-child\\.test\\.js left \\d process\\(es\\) running.*sleep ${childSecs}\``));
  });

  it('the file that left a process outside its tree (setsid) fails, naming it', () => {
    expect(run.output).toMatch(new RegExp(`process guard: leaks-escaped\\.test\\.js left .*sleep ${escapedSecs}\``));
  });

  it('a file that stops what it starts passes', () => {
    expect(run.output).toMatch(/PASS .*tidy\.test\.js/);
    expect(run.output).not.toMatch(/process guard: tidy/);
  });

  it('nothing the fixtures started is still running', () => {
    expect(runningWith(tag).filter(isRunning)).toEqual([]);
  });
});
