// How a process tree is ended on each platform, with the system calls recorded instead of made.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { descendantsOf, killTree, type KillSystem } from '../../src/process-runner.js';
import { isRunning } from '../../test-support/processes.js';
import { runBounded } from '../../test-support/run-request.js';

function recorder(failKill: (pid: number) => boolean = () => false, table: Array<[number, number]> = []) {
  const calls: string[] = [];
  const system: KillSystem = {
    processTable: () => table,
    spawnSync: (command, args) => {
      calls.push(`spawn ${command} ${args.join(' ')}`);
    },
    kill: (pid, signal) => {
      calls.push(`kill ${pid} ${signal}`);
      if (failKill(pid)) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
    },
  };
  return { calls, system };
}

describe('killTree', () => {
  it('Windows: taskkill /T /F on the whole tree, whatever the signal', () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const { calls, system } = recorder();
      killTree(4242, signal, 'win32', system);
      expect(calls).toEqual(['spawn taskkill /pid 4242 /T /F']);
    }
  });

  it.each(['linux', 'darwin'] as const)('%s: signals the process group', (platform) => {
    const { calls, system } = recorder();
    killTree(4242, 'SIGTERM', platform, system);
    expect(calls).toEqual(['kill -4242 SIGTERM']);
  });

  it('falls back to the process itself when its group is gone, and never throws', () => {
    const { calls, system } = recorder((pid) => pid < 0);
    killTree(4242, 'SIGKILL', 'linux', system);
    expect(calls).toEqual(['kill -4242 SIGKILL', 'kill 4242 SIGKILL']);
    const none = recorder(() => true);
    expect(() => killTree(4242, 'SIGKILL', 'darwin', none.system)).not.toThrow();
  });
});

describe('processes that left the process group', () => {
  // 100 → 200 (bash) → 300 (codex) → 400 (setsid daemon, own group); 500 is unrelated.
  const table: Array<[number, number]> = [
    [1, 0],
    [200, 100],
    [300, 200],
    [400, 300],
    [500, 1],
  ];

  it('descendantsOf ends on a table read while pids were reused (a cycle), and never lists the pid itself', () => {
    // /proc is read one process at a time: a pid that died and came back meanwhile can close a loop.
    expect(
      descendantsOf(100, [
        [200, 100],
        [100, 200],
        [300, 200],
      ]).sort(),
    ).toEqual([200, 300]);
  });

  it('descendantsOf walks the whole tree below a pid, and nothing else', () => {
    expect(descendantsOf(100, table).sort()).toEqual([200, 300, 400]);
    expect(descendantsOf(300, table)).toEqual([400]);
    expect(descendantsOf(500, table)).toEqual([]);
  });

  it('are signalled by pid after the group, and remembered for the SIGKILL that follows', () => {
    const { calls, system } = recorder(
      () => false,
      [
        [200, 100],
        [400, 200],
        [500, 1],
      ],
    );
    const found = killTree(100, 'SIGTERM', 'linux', system);
    expect(calls).toEqual(['kill -100 SIGTERM', 'kill 200 SIGTERM', 'kill 400 SIGTERM']);
    expect(found.sort()).toEqual([200, 400]);
    // The shell died and 400 was re-parented to init: it is no longer below 100, but still killed.
    const later = recorder(() => false, [[400, 1]]);
    killTree(100, 'SIGKILL', 'linux', later.system, found);
    expect(later.calls).toEqual(['kill -100 SIGKILL', 'kill 200 SIGKILL', 'kill 400 SIGKILL']);
  });
});

describe('a process that left the group, for real (Linux)', () => {
  const linux = process.platform === 'linux' ? it : it.skip;
  linux('dies with the attempt it was started by when the attempt times out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kill-tree-'));
    const pidFile = path.join(dir, 'escaped.pid');
    try {
      const sink = new Writable({
        write(_chunk, _enc, cb) {
          cb();
        },
      });
      const r = await runBounded({
        command: 'bash',
        args: ['-c', `setsid sleep 313 & echo $! > "${pidFile}"\nsleep 300`],
        cwd: dir,
        env: process.env,
        // Runs out after bash has started the escaping process, even on a busy machine.
        timeoutMs: 2500,
        killGraceMs: 500,
        stdout: sink,
        stderr: sink,
        onLine: () => false,
        platform: 'linux',
      });
      expect(r.timedOut).toBe(true);
      const escaped = Number(fs.readFileSync(pidFile, 'utf8'));
      // SIGKILL was sent before the run ended; give the kernel a moment to end it.
      for (const until = Date.now() + 10_000; isRunning(escaped) && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
      expect(isRunning(escaped)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
