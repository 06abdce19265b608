// The credential store at its edges: which files clearing deletes or keeps (and where it refuses to
// look), the modes of the credential files it writes, and when an API-key login runs codex.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIRECT_API_KEY_LOGIN_RANGE } from '../../src/codex-version.js';
import { type CodexExec, createCredentialStore, removeCredentialFile } from '../../src/credentials.js';

let tmp: string;
let home: string;
let codexHome: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-edges-'));
  home = path.join(tmp, 'home');
  codexHome = path.join(home, '.codex');
  fs.mkdirSync(home);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const store = (
  options: { codexExec?: CodexExec | null; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; codexVersion?: string | null } = {},
) =>
  createCredentialStore({
    codexHome,
    homedir: home,
    env: options.env ?? {},
    platform: options.platform ?? 'linux',
    codexExec: options.codexExec ?? null,
    codexVersion: options.codexVersion,
  });

const mode = (file: string): number => fs.statSync(file).mode & 0o777;
const write = (file: string, text = '{}'): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describe('clear: which credential files go', () => {
  it('leaves the legacy folders alone on a first sign-in (legacy: false)', () => {
    const legacy = path.join(home, '.config', 'codex', 'auth.json');
    write(path.join(codexHome, 'auth.json'));
    write(legacy);
    expect(store().clear({ legacy: false })).toEqual([path.join(codexHome, 'auth.json')]);
    expect(fs.existsSync(legacy)).toBe(true);
  });

  it('clears %APPDATA%\\codex only on Windows: elsewhere APPDATA is not codex’s folder', () => {
    const appdata = path.join(tmp, 'AppData');
    write(path.join(appdata, 'codex', 'auth.json'));
    expect(store({ platform: 'linux', env: { APPDATA: appdata } }).clear({ legacy: true })).toEqual([]);
    expect(fs.existsSync(path.join(appdata, 'codex', 'auth.json'))).toBe(true);
    expect(store({ platform: 'win32', env: { APPDATA: appdata } }).clear({ legacy: true })).toEqual([
      path.join(appdata, 'codex', 'auth.json'),
    ]);
  });

  it('clears inside a codex-home that is itself a symlink, keeping the rest of the folder it leads to', () => {
    const real = path.join(tmp, 'real-codex-home');
    write(path.join(real, 'auth.json'));
    write(path.join(real, 'config.toml'), 'model = "o3"\n');
    fs.symlinkSync(real, codexHome);
    expect(store().clear({ legacy: false })).toEqual([path.join(codexHome, 'auth.json')]);
    expect(fs.existsSync(path.join(real, 'auth.json'))).toBe(false);
    expect(fs.readFileSync(path.join(real, 'config.toml'), 'utf8')).toBe('model = "o3"\n');
  });

  it('removes a symlinked auth.json in a real legacy folder, and not the file it points to', () => {
    const legacyDir = path.join(home, '.config', 'codex');
    fs.mkdirSync(legacyDir, { recursive: true });
    const target = path.join(tmp, 'shared-auth.json');
    write(target, 'shared');
    fs.symlinkSync(target, path.join(legacyDir, 'auth.json'));
    expect(store().clear({ legacy: true })).toEqual([path.join(legacyDir, 'auth.json')]);
    expect(fs.readFileSync(target, 'utf8')).toBe('shared');
  });

  it('deletes nothing and does not throw when there is nothing to clear', () => {
    expect(store().clear({ legacy: true })).toEqual([]);
    // A file where a folder is expected
    write(path.join(home, '.config', 'codex'), 'a file, not a folder');
    expect(store().clear({ legacy: true })).toEqual([]);
    expect(fs.readFileSync(path.join(home, '.config', 'codex'), 'utf8')).toBe('a file, not a folder');
  });

  it.each([
    ['a missing folder', () => path.join(tmp, 'missing'), true],
    ['a file instead of a folder', () => (write(path.join(tmp, 'plain'), 'x'), path.join(tmp, 'plain')), true],
  ])('removeCredentialFile refuses %s', (_what, dir, mayBeSymlink) => {
    expect(removeCredentialFile(dir(), 'auth.json', { dirMayBeSymlink: mayBeSymlink })).toBe(false);
  });

  it('removeCredentialFile looks through a symlinked folder only when allowed', () => {
    const real = path.join(tmp, 'real');
    write(path.join(real, 'auth.json'), 'x');
    const link = path.join(tmp, 'link');
    fs.symlinkSync(real, link);
    expect(removeCredentialFile(link, 'auth.json', { dirMayBeSymlink: false })).toBe(false);
    expect(fs.existsSync(path.join(real, 'auth.json'))).toBe(true);
    expect(removeCredentialFile(link, 'auth.json', { dirMayBeSymlink: true })).toBe(true);
    expect(fs.existsSync(path.join(real, 'auth.json'))).toBe(false);
  });
});

describe('hasCachedCredentials', () => {
  it.each([
    ['no codex-home', () => undefined, false],
    ['a regular auth.json', () => write(path.join(codexHome, 'auth.json')), true],
    ['a folder named auth.json', () => fs.mkdirSync(path.join(codexHome, 'auth.json'), { recursive: true }), false],
    [
      'a dangling symlink',
      () => {
        fs.mkdirSync(codexHome);
        fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(codexHome, 'auth.json'));
      },
      false,
    ],
  ])('with %s: %s', (_what, plant, expected) => {
    plant();
    expect(store().hasCachedCredentials()).toBe(expected);
  });
});

describe('written credential files', () => {
  it('replaces a readable auth.json with a 0600 one and leaves no temporary file beside it', () => {
    write(path.join(codexHome, 'auth.json'), 'old');
    fs.chmodSync(path.join(codexHome, 'auth.json'), 0o644);
    fs.chmodSync(codexHome, 0o755);
    const file = store().writeAuthJson('new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(codexHome)).toEqual(['auth.json']);
    // An existing codex-home is the user's: its mode is left as it was.
    expect(mode(codexHome)).toBe(0o755);
  });

  it('creates missing parent folders of codex-home', () => {
    codexHome = path.join(tmp, 'deep', 'er', 'codex');
    const file = store().writeAuthJson('{}');
    expect(fs.readFileSync(file, 'utf8')).toBe('{}');
    expect(mode(codexHome)).toBe(0o700);
  });

  it('a failed write throws and leaves no credential text behind', () => {
    fs.mkdirSync(path.join(codexHome, 'auth.json'), { recursive: true }); // rename onto a folder fails
    expect(() => store().writeAuthJson('{"tokens":{"refresh_token":"rt-secret"}}')).toThrow();
    expect(fs.readdirSync(codexHome)).toEqual(['auth.json']);
    expect(fs.readdirSync(path.join(codexHome, 'auth.json'))).toEqual([]);
  });

  it('stays private whatever the runner’s umask', () => {
    const previous = process.umask(0o377);
    try {
      const file = store().writeAuthJson('{}');
      expect(mode(file)).toBe(0o600);
      expect(mode(codexHome)).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });
});

describe('loginWithApiKey', () => {
  function recordingExec(effect: () => void = () => undefined, result = { exitCode: 0, output: 'ok' }) {
    const calls: Array<{ args: string[]; env: NodeJS.ProcessEnv }> = [];
    const exec: CodexExec = async (args, options) => {
      calls.push({ args, env: options.env });
      effect();
      return result;
    };
    return { calls, exec };
  }

  it.each([DIRECT_API_KEY_LOGIN_RANGE.oldest, DIRECT_API_KEY_LOGIN_RANGE.newest])(
    'with a known codex release (%s) writes the key file itself, without running codex',
    async (version) => {
      const { calls, exec } = recordingExec();
      const file = await store({ codexExec: exec, codexVersion: version }).loginWithApiKey('sk-direct');
      expect(calls).toEqual([]);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-direct' });
      expect(mode(file)).toBe(0o600);
    },
  );

  it.each([null, undefined, '0.100.0', '9.0.0'])(
    'with codex release %s runs codex login, in codex-home and the step env',
    async (version) => {
      const { calls, exec } = recordingExec();
      await store({ codexExec: exec, codexVersion: version, env: { PATH: '/usr/bin', CODEX_HOME: '/elsewhere' } }).loginWithApiKey('sk-x');
      expect(calls).toHaveLength(1);
      expect(calls[0].env).toEqual({ PATH: '/usr/bin', CODEX_HOME: codexHome });
    },
  );

  it('tightens the file codex login wrote to 0600, and creates codex-home 0700 first', async () => {
    const { exec } = recordingExec(() => {
      expect(mode(codexHome)).toBe(0o700);
      fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}', { mode: 0o644 });
    });
    const file = await store({ codexExec: exec }).loginWithApiKey('sk-x');
    expect(file).toBe(path.join(codexHome, 'auth.json'));
    expect(mode(file)).toBe(0o600);
  });

  it('succeeds when codex login wrote no file to tighten', async () => {
    const { exec } = recordingExec();
    await expect(store({ codexExec: exec }).loginWithApiKey('sk-x')).resolves.toBe(path.join(codexHome, 'auth.json'));
  });

  it('names the exit code and codex’s own words, trimmed, when login fails', async () => {
    const { exec } = recordingExec(undefined, { exitCode: 2, output: '\n  Error: bad key format\n\n' });
    await expect(store({ codexExec: exec }).loginWithApiKey('sk-x')).rejects.toThrow(
      new Error('codex login --with-api-key exited with 2: Error: bad key format'),
    );
  });
});
