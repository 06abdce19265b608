import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { post, type PostCore } from '../../src/post.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'post-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeCore(state: Record<string, string>) {
  const warnings: string[] = [];
  const core: PostCore = {
    getState: (name) => state[name] ?? '',
    saveState: () => undefined,
    info: () => undefined,
    warning: (message) => warnings.push(message),
  };
  return { core, warnings };
}

describe('post', () => {
  it("removes the auth.json main wrote and main's work folder, nothing else", () => {
    const codexHome = path.join(tmp, '.codex');
    const runnerTemp = path.join(tmp, 'rt');
    const workDir = path.join(runnerTemp, 'codex-reauth-abc');
    fs.mkdirSync(codexHome);
    fs.mkdirSync(workDir, { recursive: true });
    fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    fs.writeFileSync(path.join(codexHome, 'config.toml'), 'x');
    fs.writeFileSync(path.join(runnerTemp, 'other-step-file'), 'x');
    const { core, warnings } = fakeCore({ wroteAuthFile: path.join(codexHome, 'auth.json'), codexHome, workDir });
    post(core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(false);
    expect(fs.existsSync(path.join(codexHome, 'config.toml'))).toBe(true);
    expect(fs.existsSync(workDir)).toBe(false);
    expect(fs.existsSync(path.join(runnerTemp, 'other-step-file'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('leaves credentials it did not write', () => {
    const codexHome = path.join(tmp, '.codex');
    fs.mkdirSync(codexHome);
    fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    post(fakeCore({ codexHome }).core, { tempRoots: [tmp] });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(true);
  });

  it('refuses state that points elsewhere', () => {
    const victim = path.join(tmp, 'victim');
    fs.mkdirSync(victim);
    fs.writeFileSync(path.join(victim, 'auth.json'), '{}');
    post(fakeCore({ wroteAuthFile: path.join(victim, 'auth.json'), codexHome: path.join(tmp, '.codex'), workDir: victim }).core, {
      tempRoots: [path.join(tmp, 'rt')],
    });
    expect(fs.existsSync(path.join(victim, 'auth.json'))).toBe(true);
  });

  it('turns a failure into a warning, never a failed job', () => {
    const core: PostCore = {
      getState: () => {
        throw new Error('state unreadable');
      },
      saveState: () => undefined,
      info: () => undefined,
      warning: (message) => warnings.push(message),
    };
    const warnings: string[] = [];
    expect(() => post(core, { tempRoots: [tmp] })).not.toThrow();
    expect(warnings).toEqual(['Cleaning up failed: state unreadable']);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
