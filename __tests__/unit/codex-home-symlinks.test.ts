// codex-home reached through a symlinked parent folder: the checks apply to where it really leads.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/input-error.js';
import { resolveCodexHome } from '../../src/inputs.js';

let tmp: string;
let home: string;
let runnerTemp: string;
let workspace: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-home-links-')));
  home = path.join(tmp, 'home');
  runnerTemp = path.join(tmp, 'rt');
  workspace = path.join(tmp, 'ws');
  for (const d of [home, runnerTemp, workspace]) fs.mkdirSync(d);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const resolve = (value: string) =>
  resolveCodexHome(value, { homedir: home, env: { RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: workspace } });

describe('resolveCodexHome through a symlinked parent', () => {
  it('refuses a codex-home that does not exist yet but whose parent leads into the workspace', () => {
    fs.symlinkSync(workspace, path.join(runnerTemp, 'ws-link'));
    expect(() => resolve(path.join(runnerTemp, 'ws-link', 'codex'))).toThrow(InputError);
    // The error names where the path really leads, so the user sees why a folder in RUNNER_TEMP was refused.
    expect(() => resolve(path.join(runnerTemp, 'ws-link', 'codex'))).toThrow(`'${path.join(workspace, 'codex')}' is inside the workspace`);
  });

  it('names the real path of a missing codex-home several folders below the link', () => {
    fs.symlinkSync(workspace, path.join(runnerTemp, 'ws-link'));
    expect(() => resolve(path.join(runnerTemp, 'ws-link', 'a', 'b'))).toThrow(
      `'${path.join(workspace, 'a', 'b')}' is inside the workspace`,
    );
  });

  it('refuses one that exists, through the same link', () => {
    fs.mkdirSync(path.join(workspace, 'codex'));
    fs.symlinkSync(workspace, path.join(runnerTemp, 'ws-link'));
    expect(() => resolve(path.join(runnerTemp, 'ws-link', 'codex'))).toThrow(/inside the workspace/);
  });

  it("with no codex-home given, a ~/.codex that is a link to the home folder is refused in the name of 'codex-home'", () => {
    fs.symlinkSync(home, path.join(home, '.codex'));
    expect(() => resolve('')).toThrow(/^Input 'codex-home' .*home folder/);
  });

  it('refuses a parent link that makes it the home folder', () => {
    fs.symlinkSync(tmp, path.join(runnerTemp, 'up'));
    expect(() => resolve(path.join(runnerTemp, 'up', 'home'))).toThrow(/home folder/);
  });

  it('accepts a missing codex-home under a parent link that stays in RUNNER_TEMP', () => {
    fs.mkdirSync(path.join(runnerTemp, 'real'));
    fs.symlinkSync(path.join(runnerTemp, 'real'), path.join(runnerTemp, 'link'));
    expect(resolve(path.join(runnerTemp, 'link', 'codex'))).toBe(path.join(runnerTemp, 'link', 'codex'));
  });
});
