// codex-home decides what the action deletes and where it writes a credential: a symlink there must
// lead strictly inside the home folder or RUNNER_TEMP, never exactly at one of them (clearing it would
// act on the folder itself), and never into the workspace (which later steps commit and upload).
import { inputErrorOf } from '../../test-support/input-error.js';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCodexHome } from '../../src/inputs.js';

let tmp: string;
let home: string;
let runnerTemp: string;
let workspace: string;
beforeEach(() => {
  // realpath: on macOS os.tmpdir() is itself behind a symlink.
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-home-')));
  home = path.join(tmp, 'home');
  runnerTemp = path.join(tmp, 'rt');
  workspace = path.join(tmp, 'ws');
  for (const dir of [home, runnerTemp, workspace]) fs.mkdirSync(dir);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const envr = (env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: workspace }) => ({ env, homedir: home });

function problem(fn: () => unknown): { input: string; message: string } {
  const { input, message } = inputErrorOf(fn);
  return { input, message };
}

/** A symlink `home/.codex-link` to `target`. */
function link(target: string): string {
  const at = path.join(home, '.codex-link');
  fs.symlinkSync(target, at);
  return at;
}

describe('a symlinked codex-home', () => {
  it('pointing exactly at the home folder is refused', () => {
    const at = link(home);
    expect(problem(() => resolveCodexHome(at, envr())).message).toContain('is the home folder itself');
  });

  it('pointing exactly at RUNNER_TEMP is refused', () => {
    const at = link(runnerTemp);
    const { message } = problem(() => resolveCodexHome(at, envr()));
    expect(message).toContain(`is a symlink to '${runnerTemp}'`);
    expect(message).toContain('not inside the home folder or RUNNER_TEMP');
  });

  it('pointing exactly at the workspace is refused', () => {
    const at = link(workspace);
    expect(problem(() => resolveCodexHome(at, envr())).message).toContain('is inside the workspace');
  });

  it('pointing into the workspace is refused', () => {
    fs.mkdirSync(path.join(workspace, '.codex'));
    const at = link(path.join(workspace, '.codex'));
    expect(problem(() => resolveCodexHome(at, envr())).message).toContain('is inside the workspace');
  });

  it('pointing at a folder inside RUNNER_TEMP is accepted, and used by its own name', () => {
    fs.mkdirSync(path.join(runnerTemp, 'codex'));
    const at = link(path.join(runnerTemp, 'codex'));
    expect(resolveCodexHome(at, envr())).toBe(at);
  });

  it('pointing at a folder inside the home folder is accepted', () => {
    fs.mkdirSync(path.join(home, 'codex-store'));
    const at = link(path.join(home, 'codex-store'));
    expect(resolveCodexHome(at, envr())).toBe(at);
  });

  it('pointing inside RUNNER_TEMP is refused when RUNNER_TEMP is not set (only home is trusted then)', () => {
    fs.mkdirSync(path.join(runnerTemp, 'codex'));
    const at = link(path.join(runnerTemp, 'codex'));
    expect(problem(() => resolveCodexHome(at, envr({}))).message).toContain('is a symlink to');
  });

  it('pointing nowhere is refused', () => {
    const at = link(path.join(tmp, 'missing'));
    expect(problem(() => resolveCodexHome(at, envr())).message).toContain('is a symlink to a path that does not exist');
  });
});

describe('where codex-home may be', () => {
  it('the default is ~/.codex', () => {
    expect(resolveCodexHome('', envr())).toBe(path.join(home, '.codex'));
  });

  it('~ alone is the home folder, refused', () => {
    expect(problem(() => resolveCodexHome('~', envr())).message).toContain('is the home folder itself');
  });

  it('a folder holding the home folder is refused', () => {
    expect(problem(() => resolveCodexHome(tmp, envr())).message).toContain('holds the home folder');
  });

  it('a folder inside the workspace is refused, one beside it is fine', () => {
    expect(problem(() => resolveCodexHome(path.join(workspace, 'codex'), envr())).message).toContain('is inside the workspace');
    expect(resolveCodexHome(path.join(tmp, 'ws-codex'), envr())).toBe(path.join(tmp, 'ws-codex'));
  });

  it('a folder holding the workspace is refused', () => {
    const outer = path.join(tmp, 'outer');
    fs.mkdirSync(path.join(outer, 'ws'), { recursive: true });
    const { message } = problem(() => resolveCodexHome(outer, envr({ GITHUB_WORKSPACE: path.join(outer, 'ws') })));
    expect(message).toContain('is inside the workspace');
  });

  it('a folder inside RUNNER_TEMP is fine', () => {
    expect(resolveCodexHome(path.join(runnerTemp, 'codex'), envr())).toBe(path.join(runnerTemp, 'codex'));
  });

  it('names $CODEX_HOME when that is where the bad value came from', () => {
    const p = problem(() => resolveCodexHome('', envr({ CODEX_HOME: home })));
    expect(p.input).toBe('codex-home (from $CODEX_HOME)');
    expect(p.message).toContain('is the home folder itself');
  });

  it('the input wins over $CODEX_HOME, and is named as the input', () => {
    expect(resolveCodexHome(path.join(runnerTemp, 'a'), envr({ CODEX_HOME: path.join(runnerTemp, 'b') }))).toBe(path.join(runnerTemp, 'a'));
    expect(problem(() => resolveCodexHome(home, envr({ CODEX_HOME: path.join(runnerTemp, 'b') }))).input).toBe('codex-home');
  });

  it('ignores white space around the value', () => {
    expect(resolveCodexHome(`  ${path.join(runnerTemp, 'c')}\n`, envr())).toBe(path.join(runnerTemp, 'c'));
    expect(resolveCodexHome('', envr({ CODEX_HOME: `  ${path.join(runnerTemp, 'd')} ` }))).toBe(path.join(runnerTemp, 'd'));
  });

  it('a relative path is refused, even one that looks like a tilde path', () => {
    expect(problem(() => resolveCodexHome('.codex', envr())).message).toContain('must be an absolute path');
    expect(problem(() => resolveCodexHome('~user/.codex', envr())).message).toContain('must be an absolute path');
  });
});
