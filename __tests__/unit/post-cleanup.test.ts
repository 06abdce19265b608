// The post step in the two situations a runner produces most: main already removed its work folder
// (a normal run), and codex-home is a symlink (a self-hosted runner pointing it at another disk).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { post, type PostCore } from '../../src/post.js';

let tmp: string;
let runnerTemp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'post-cleanup-'));
  runnerTemp = path.join(tmp, 'rt');
  fs.mkdirSync(runnerTemp);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeCore(state: Record<string, string>) {
  const warnings: string[] = [];
  const infos: string[] = [];
  const core: PostCore = {
    getState: (name) => state[name] ?? '',
    saveState: () => undefined,
    info: (message) => infos.push(message),
    warning: (message) => warnings.push(message),
  };
  return { core, warnings, infos };
}

describe('post: the work folder', () => {
  it('already removed by main (the normal case): nothing to do, and no warning', () => {
    const { core, warnings } = fakeCore({ workDir: path.join(runnerTemp, 'codex-reauth-gone') });
    post(core, { tempRoots: [runnerTemp] });
    expect(warnings).toEqual([]);
  });

  it('left behind with nested folders (main was killed): removed whole, without a warning', () => {
    const workDir = path.join(runnerTemp, 'codex-reauth-left');
    fs.mkdirSync(path.join(workDir, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(workDir, 'bin', 'codex'), '#!/bin/sh\n');
    const { core, warnings } = fakeCore({ workDir });
    post(core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(workDir)).toBe(false);
    expect(warnings).toEqual([]);
  });
});

describe('post: a codex-home that is a symlink', () => {
  it('the auth.json main wrote through it is removed, and the folder it points to stays', () => {
    const real = path.join(tmp, 'disk', 'codex');
    fs.mkdirSync(real, { recursive: true });
    fs.writeFileSync(path.join(real, 'auth.json'), '{}');
    fs.writeFileSync(path.join(real, 'config.toml'), 'x');
    const codexHome = path.join(tmp, 'codex-link');
    fs.symlinkSync(real, codexHome);
    const wrote = path.join(codexHome, 'auth.json');
    const { core, infos, warnings } = fakeCore({ codexHome, wroteAuthFile: wrote });
    post(core, { tempRoots: [runnerTemp], codexHome });
    expect(fs.existsSync(path.join(real, 'auth.json'))).toBe(false);
    expect(fs.readFileSync(path.join(real, 'config.toml'), 'utf8')).toBe('x');
    expect(infos).toEqual([`Removed the credentials codex-reauth wrote: ${wrote}`]);
    expect(warnings).toEqual([]);
  });
});
