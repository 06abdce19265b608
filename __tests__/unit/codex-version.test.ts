// Which codex a PATH entry is, and whether its API-key login file may be written without running it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiKeyAuthJson, canWriteApiKeyLogin, codexPackageVersion } from '../../src/codex-version.js';

describe('canWriteApiKeyLogin', () => {
  it.each([
    ['0.101.0', true],
    ['0.130.0', true],
    ['0.169.0', true],
    ['0.171.0', true],
    ['0.171.7', true], // patch releases of the newest checked minor
    ['0.171.12', true], // however many
    ['0.171.0+linux.x64', true], // build metadata names no other release
    ['0.150.1\n', true], // as a command prints it
    ['v0.150.1', false], // not a package version: unknown
    ['0.100.9', false],
    ['0.172.0', false], // newer: its format is not known, run codex login
    ['1.0.0', false],
    ['0.171.0-alpha.1', false],
    ['0.150', false],
    ['', false],
    [null, false],
  ])('%s → %s', (version, expected) => {
    expect(canWriteApiKeyLogin(version)).toBe(expected);
  });
});

describe('codexPackageVersion', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-version-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function npmLayout(name: string, version: string): string {
    const pkg = path.join(tmp, 'lib', 'node_modules', '@openai', 'codex');
    fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, version }));
    fs.writeFileSync(path.join(pkg, 'bin', 'codex.js'), '#!/usr/bin/env node\n', { mode: 0o755 });
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.symlinkSync(path.join(pkg, 'bin', 'codex.js'), path.join(tmp, 'bin', 'codex'));
    return path.join(tmp, 'bin', 'codex');
  }

  it('reads the version of the npm package a PATH symlink leads to', () => {
    expect(codexPackageVersion(npmLayout('@openai/codex', '0.150.1'))).toBe('0.150.1');
  });
  it('ignores a package of another name', () => {
    expect(codexPackageVersion(npmLayout('not-codex', '0.150.1'))).toBeNull();
  });
  it('is null for a native binary with no package around it, and for a missing file', () => {
    const native = path.join(tmp, 'codex');
    fs.writeFileSync(native, 'binary');
    expect(codexPackageVersion(native)).toBeNull();
    expect(codexPackageVersion(path.join(tmp, 'nope'))).toBeNull();
  });
  it('knows the pinned real codex of this repository', () => {
    const pinned = JSON.parse(fs.readFileSync(path.join('node_modules', '@openai', 'codex', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(codexPackageVersion(path.join('node_modules', '.bin', 'codex'))).toBe(pinned.version);
  });
});

describe('apiKeyAuthJson', () => {
  it('is the login file the pinned codex login --with-api-key writes', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-login-'));
    try {
      execFileSync(path.join('node_modules', '.bin', 'codex'), ['-c', 'cli_auth_credentials_store=file', 'login', '--with-api-key'], {
        input: 'sk-proj-format-check-0001',
        env: { ...process.env, CODEX_HOME: home },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const written = fs.readFileSync(path.join(home, 'auth.json'), 'utf8');
      expect(JSON.parse(apiKeyAuthJson('sk-proj-format-check-0001'))).toEqual(JSON.parse(written));
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
