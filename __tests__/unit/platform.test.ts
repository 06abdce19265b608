// Platform-dependent decisions that live outside the shim and shell modules, with the platform
// injected (no Windows or macOS runner exists on this machine): the Windows tree kill, how the child
// is started there, the legacy %APPDATA% credentials, the default shell and codex-home.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';

/** A child process that does nothing until the test makes it. */
class FakeChild extends EventEmitter {
  pid = 4242;
  stdout = new PassThrough();
  stderr = new PassThrough();
}
const spawned: Array<{ command: string; args: string[]; options: Record<string, unknown>; child: FakeChild }> = [];
const spawnSync = jest.fn((..._args: unknown[]) => ({ status: 0 }));
jest.unstable_mockModule('node:child_process', () => ({
  spawn: (command: string, args: string[], options: Record<string, unknown>) => {
    const child = new FakeChild();
    spawned.push({ command, args, options, child });
    return child;
  },
  spawnSync,
}));
const { killTree, runProcess } = await import('../../src/process-runner.js');
const { legacyCredentialFolders } = await import('../../src/credentials.js');
const { readSettings } = await import('../../src/inputs.js');

const killSpy = jest.spyOn(process, 'kill').mockImplementation(() => true);
afterAll(() => killSpy.mockRestore());
beforeEach(() => {
  spawned.length = 0;
  spawnSync.mockClear();
  killSpy.mockClear();
});

const sink = (): Writable =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

describe('killTree', () => {
  it('Windows: taskkill /T /F on the pid (the whole tree, forced), never a POSIX signal', () => {
    killTree(1234, 'SIGTERM', 'win32');
    expect(spawnSync).toHaveBeenCalledWith('taskkill', ['/pid', '1234', '/T', '/F'], expect.objectContaining({ windowsHide: true }));
    expect(killSpy).not.toHaveBeenCalled();
  });

  it.each(['linux', 'darwin'] as const)('%s: the signal goes to the process group (-pid), no taskkill', (platform) => {
    killTree(1234, 'SIGKILL', platform);
    expect(killSpy).toHaveBeenCalledWith(-1234, 'SIGKILL');
    // macOS has no /proc: the process tree comes from `ps`; never taskkill
    for (const call of (spawnSync as unknown as { mock: { calls: unknown[][] } }).mock.calls) expect(call[0]).toBe('ps');
  });
});

describe('runProcess with the platform injected', () => {
  const request = (platform: NodeJS.Platform) => ({
    command: 'pwsh',
    args: ['-Command', ". 'C:\\t\\run.ps1'"],
    cwd: os.tmpdir(),
    env: {},
    timeoutMs: 0,
    killGraceMs: 1000,
    stdout: sink(),
    stderr: sink(),
    onLine: (line: string) => line.includes('stop now'),
    platform,
  });

  it('Windows: the child is not detached (no process groups there), its window hidden; stopping it runs taskkill', async () => {
    const done = runProcess(request('win32'));
    const { options, child } = spawned[0];
    expect(options).toMatchObject({ detached: false, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.write('stop now\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(spawnSync).toHaveBeenCalledWith('taskkill', ['/pid', '4242', '/T', '/F'], expect.anything());
    child.emit('exit', 1, null);
    child.emit('close', 1, null);
    const result = await done;
    expect(result.stopped).toBe(true);
    expect(killSpy).not.toHaveBeenCalled();
  });

  it('Linux: the child leads its own process group, so the tree can be signalled as one', async () => {
    const done = runProcess(request('linux'));
    const { options, child } = spawned[0];
    expect(options).toMatchObject({ detached: true });
    child.stdout.write('stop now\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(killSpy).toHaveBeenCalledWith(-4242, 'SIGTERM');
    expect(spawnSync).not.toHaveBeenCalled();
    child.emit('exit', null, 'SIGTERM');
    child.emit('close', null, 'SIGTERM');
    expect((await done).signal).toBe('SIGTERM');
  });
});

describe('legacy credential folders', () => {
  const home = path.join(os.tmpdir(), 'home-x');
  const appdata = path.join(os.tmpdir(), 'appdata-x');

  it('Windows: ~/.config/codex and %APPDATA%\\codex', () => {
    expect(legacyCredentialFolders(home, { APPDATA: appdata }, 'win32')).toEqual([
      path.join(home, '.config', 'codex'),
      path.join(appdata, 'codex'),
    ]);
  });

  it('Windows without APPDATA: only ~/.config/codex', () => {
    expect(legacyCredentialFolders(home, {}, 'win32')).toEqual([path.join(home, '.config', 'codex')]);
  });

  it.each(['linux', 'darwin'] as const)('%s: never %%APPDATA%%, even when the variable is set', (platform) => {
    expect(legacyCredentialFolders(home, { APPDATA: appdata }, platform)).toEqual([path.join(home, '.config', 'codex')]);
  });
});

describe('inputs with the platform injected', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-inputs-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // os.homedir() is %USERPROFILE% on Windows: codex's default home is then %USERPROFILE%\.codex.
  const userProfile = path.join(tmp, 'Users', 'me');
  const settings = (platform: NodeJS.Platform, inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
    readSettings({
      getInput: (name) => ({ run: 'codex exec x', ...inputs })[name] ?? '',
      env: { GITHUB_WORKSPACE: path.join(tmp, 'workspace'), RUNNER_TEMP: path.join(tmp, 'temp'), ...env },
      platform,
      homedir: userProfile,
    });

  it.each([
    ['win32', 'pwsh'],
    ['linux', 'bash'],
    ['darwin', 'bash'],
  ] as const)('%s: no shell given → %s, as a run: step', (platform, shell) => {
    expect(settings(platform).shell).toBe(shell);
  });

  it.each(['win32', 'linux', 'darwin'] as const)('%s: an explicit shell is kept', (platform) => {
    expect(settings(platform, { shell: 'cmd' }).shell).toBe('cmd');
  });

  it.each(['win32', 'linux', 'darwin'] as const)(
    '%s: codex-home defaults to <home>\\.codex (%%USERPROFILE%%\\.codex on Windows)',
    (platform) => {
      expect(settings(platform).codexHome).toBe(path.join(userProfile, '.codex'));
    },
  );

  it('CODEX_HOME from the environment wins over the default', () => {
    const custom = path.join(tmp, 'custom-codex');
    expect(settings('win32', {}, { CODEX_HOME: custom }).codexHome).toBe(custom);
  });
});
