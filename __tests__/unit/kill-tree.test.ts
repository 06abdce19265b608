// How a process tree is ended on each platform, with the system calls recorded instead of made.
import { describe, expect, it } from '@jest/globals';
import { killTree, type KillSystem } from '../../src/process-runner.js';

function recorder(failKill: (pid: number) => boolean = () => false) {
  const calls: string[] = [];
  const system: KillSystem = {
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
