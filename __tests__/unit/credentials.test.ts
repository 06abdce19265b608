import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CodexExec, createCredentialStore, removeCredentialFile } from '../../src/credentials.js';

let tmp: string;
let home: string;
let codexHome: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
  home = path.join(tmp, 'home');
  codexHome = path.join(home, '.codex');
  fs.mkdirSync(home);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const store = (codexExec: CodexExec | null = null, platform: NodeJS.Platform = 'linux', env: NodeJS.ProcessEnv = {}) =>
  createCredentialStore({ codexHome, homedir: home, env, platform, codexExec });

function plantUserFiles(): void {
  fs.mkdirSync(path.join(codexHome, 'sessions', '2026'), { recursive: true });
  fs.mkdirSync(path.join(codexHome, 'log'));
  fs.writeFileSync(path.join(codexHome, 'config.toml'), 'model = "gpt-5"\n');
  fs.writeFileSync(path.join(codexHome, 'sessions', '2026', 'rollout.jsonl'), '{}\n');
  fs.writeFileSync(path.join(codexHome, 'log', 'codex-tui.log'), 'log\n');
  fs.writeFileSync(path.join(codexHome, 'auth.json'), '{"auth_mode":"chatgpt","tokens":{}}');
}

describe('clear', () => {
  it('deletes auth.json and keeps config.toml, sessions and logs', () => {
    plantUserFiles();
    const s = store();
    expect(s.hasCachedCredentials()).toBe(true);
    expect(s.clear({ legacy: true })).toEqual([path.join(codexHome, 'auth.json')]);
    expect(s.hasCachedCredentials()).toBe(false);
    expect(fs.readFileSync(path.join(codexHome, 'config.toml'), 'utf8')).toBe('model = "gpt-5"\n');
    expect(fs.existsSync(path.join(codexHome, 'sessions', '2026', 'rollout.jsonl'))).toBe(true);
    expect(fs.existsSync(path.join(codexHome, 'log', 'codex-tui.log'))).toBe(true);
  });

  it('clears the legacy ~/.config/codex and %APPDATA%\\codex credential files when present', () => {
    const legacy = path.join(home, '.config', 'codex');
    const appdata = path.join(tmp, 'AppData', 'Roaming');
    fs.mkdirSync(legacy, { recursive: true });
    fs.mkdirSync(path.join(appdata, 'codex'), { recursive: true });
    fs.writeFileSync(path.join(legacy, 'auth.json'), '{}');
    fs.writeFileSync(path.join(legacy, 'config.json'), '{}');
    fs.writeFileSync(path.join(appdata, 'codex', 'auth.json'), '{}');
    const removed = store(null, 'win32', { APPDATA: appdata }).clear({ legacy: true });
    expect(removed).toEqual([path.join(legacy, 'auth.json'), path.join(appdata, 'codex', 'auth.json')]);
    expect(fs.existsSync(path.join(legacy, 'config.json'))).toBe(true);
  });

  it('removes a symlinked auth.json without touching its target', () => {
    fs.mkdirSync(codexHome);
    const target = path.join(tmp, 'precious.json');
    fs.writeFileSync(target, 'keep me');
    fs.symlinkSync(target, path.join(codexHome, 'auth.json'));
    store().clear({ legacy: true });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  });

  it('does not follow a symlinked legacy folder out of home', () => {
    const outside = path.join(tmp, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'auth.json'), 'not ours');
    fs.mkdirSync(path.join(home, '.config'));
    fs.symlinkSync(outside, path.join(home, '.config', 'codex'));
    expect(store().clear({ legacy: true })).toEqual([]);
    expect(fs.existsSync(path.join(outside, 'auth.json'))).toBe(true);
  });

  it('refuses to delete a folder named auth.json', () => {
    fs.mkdirSync(path.join(codexHome, 'auth.json'), { recursive: true });
    expect(removeCredentialFile(codexHome, 'auth.json', { dirMayBeSymlink: false })).toBe(false);
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(true);
  });
});

describe('sign in', () => {
  it('writes auth.json 0600 in a 0700 folder it creates', () => {
    const file = store().writeAuthJson('{"tokens":{}}\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"tokens":{}}\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(codexHome).mode & 0o777).toBe(0o700);
  });

  it('replaces a symlink at auth.json instead of writing through it', () => {
    fs.mkdirSync(codexHome);
    const target = path.join(tmp, 'target.json');
    fs.writeFileSync(target, 'untouched');
    fs.symlinkSync(target, path.join(codexHome, 'auth.json'));
    store().writeAuthJson('{"tokens":{}}');
    expect(fs.readFileSync(target, 'utf8')).toBe('untouched');
    expect(fs.lstatSync(path.join(codexHome, 'auth.json')).isFile()).toBe(true);
  });

  it('pipes the API key to codex login over stdin, never argv, with the file store forced', async () => {
    const calls: Array<{ args: string[]; input: string; codexHome?: string }> = [];
    const exec: CodexExec = async (args, options) => {
      calls.push({ args, input: options.input, codexHome: options.env.CODEX_HOME });
      return { exitCode: 0, output: 'API key saved.' };
    };
    await store(exec).loginWithApiKey('sk-secret-key');
    expect(calls).toEqual([
      { args: ['-c', 'cli_auth_credentials_store=file', 'login', '--with-api-key'], input: 'sk-secret-key', codexHome },
    ]);
    expect(calls[0].args.join(' ')).not.toContain('sk-secret-key');
  });

  it('reports a failing codex login', async () => {
    const exec: CodexExec = async () => ({ exitCode: 1, output: 'No API key provided via stdin.' });
    await expect(store(exec).loginWithApiKey('sk-x')).rejects.toThrow(/exited with 1: No API key provided/);
  });

  it('without codex on PATH, writes the API-key auth.json codex would write', async () => {
    const file = await store(null).loginWithApiKey('sk-abc');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-abc' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
