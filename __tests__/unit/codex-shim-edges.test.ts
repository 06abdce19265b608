// The codex shim at its edges: the exit codes it records as the action reads them back, the files it
// installs, and the PATH lookup and PATH edits on either platform.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envKey, findOnPath, installCodexShim, pathCandidates, prependToPath, windowsExtensions } from '../../src/codex-shim.js';

const tmps: string[] = [];
afterEach(() => {
  for (const t of tmps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});
const tmpdir = (): string => {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), 'shim-edges-'));
  tmps.push(t);
  return t;
};

/** A stand-in for the real codex that exits with $EXIT_WITH. */
function fakeRealCodex(dir: string): string {
  const real = path.join(dir, 'real-codex');
  fs.writeFileSync(real, '#!/bin/sh\nexit "${EXIT_WITH:-0}"\n', { mode: 0o755 });
  return real;
}

describe('exit codes recorded by the installed shim', () => {
  it('records every run in order and passes each exit code on to the script', () => {
    const work = tmpdir();
    const shim = installCodexShim(fakeRealCodex(work), work, 'linux');
    const codex = path.join(shim.binDir, 'codex');
    const statuses = [3, 0, 255, 1].map(
      (code) => spawnSync(codex, ['exec', 'x'], { env: { ...process.env, EXIT_WITH: String(code) } }).status,
    );
    expect(statuses).toEqual([3, 0, 255, 1]);
    expect(shim.exitCodes()).toEqual([3, 0, 255, 1]);
  });

  it('reads back no codes before codex ran, and reset before any run does not throw', () => {
    const work = tmpdir();
    const shim = installCodexShim(fakeRealCodex(work), work, 'linux');
    expect(shim.exitCodes()).toEqual([]);
    expect(() => shim.reset()).not.toThrow();
    expect(shim.exitCodes()).toEqual([]);
  });

  it('reads the codes the Windows shim writes (CRLF, a space before the line break), and skips anything else', () => {
    const work = tmpdir();
    const shim = installCodexShim('C:\\npm\\codex.cmd', work, 'win32');
    fs.writeFileSync(
      path.join(work, 'codex-exit-codes'),
      '1 \r\n0\r\n-1073741510\r\n\r\nThe system cannot find the path specified.\r\n2x\r\nx2\r\n  7\r\n',
    );
    expect(shim.exitCodes()).toEqual([1, 0, -1073741510, 7]);
  });

  it('installs an executable shim in a private bin folder, and a second install overwrites the first', () => {
    const work = tmpdir();
    const first = installCodexShim('/opt/one/codex', work, 'linux');
    expect(fs.statSync(first.binDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(first.binDir, 'codex')).mode & 0o777).toBe(0o755);
    installCodexShim('/opt/two/codex', work, 'linux');
    const text = fs.readFileSync(path.join(first.binDir, 'codex'), 'utf8');
    expect(text).toContain("'/opt/two/codex'");
    expect(text).not.toContain('/opt/one/codex');
  });
});

describe('PATH lookup edges', () => {
  it('Windows: a PATH entry with blanks around it or around its quotes is still searched', () => {
    const env = { PATH: ' C:\\a ; "C:\\b c" ;"C:\\d";  ', PATHEXT: '.CMD' };
    expect(pathCandidates('codex', env, 'win32')).toEqual(['C:\\a\\codex.cmd', 'C:\\b c\\codex.cmd', 'C:\\d\\codex.cmd']);
  });

  it('Windows: quotes inside an entry are kept (only a quoted whole is unquoted)', () => {
    expect(pathCandidates('codex', { PATH: 'C:\\x"y;C:\\p"q";"tools"bin', PATHEXT: '.EXE' }, 'win32')).toEqual([
      'C:\\x"y\\codex.exe',
      'C:\\p"q"\\codex.exe',
      '"tools"bin\\codex.exe',
    ]);
  });

  it('POSIX: an entry is taken as written (blanks and quotes are part of the folder name)', () => {
    expect(pathCandidates('codex', { PATH: ' /a :"/b"' }, 'linux')).toEqual([' /a /codex', '"/b"/codex']);
  });

  it('POSIX: skips the shim folder however it is written, but only that exact folder (case matters)', () => {
    const env = { PATH: '/tmp/shim/bin/:/tmp/shim/../shim/bin:/tmp/SHIM/bin:/usr/bin' };
    expect(pathCandidates('codex', env, 'linux', '/tmp/shim/bin')).toEqual(['/tmp/SHIM/bin/codex', '/usr/bin/codex']);
  });

  it('no PATH at all: no candidates, nothing found', () => {
    expect(pathCandidates('codex', {}, 'linux')).toEqual([]);
    expect(pathCandidates('codex', {}, 'win32')).toEqual([]);
    expect(findOnPath('codex', {}, 'linux')).toBeNull();
  });

  it('Windows: PATHEXT entries with blanks or odd case are understood', () => {
    expect(windowsExtensions({ PATHEXT: ' .Exe ; .CMD' })).toEqual(['.exe', '.cmd']);
  });

  it('POSIX on disk: a file that only its group or others may execute still counts; a folder does not', () => {
    const a = tmpdir();
    const b = tmpdir();
    fs.mkdirSync(path.join(a, 'codex'));
    fs.writeFileSync(path.join(b, 'codex'), '#!/bin/sh\n');
    fs.chmodSync(path.join(b, 'codex'), 0o601);
    expect(findOnPath('codex', { PATH: `${a}:${b}` }, 'linux')).toBe(path.join(b, 'codex'));
  });
});

describe('environment names on Windows', () => {
  it('a PATH spelling whose value is undefined does not hide the one that is set', () => {
    const env = { PATH: undefined, Path: 'C:\\Windows' };
    expect(envKey(env, 'PATH', 'win32')).toBe('Path');
    expect(prependToPath(env, 'C:\\t', 'win32')).toEqual({ Path: 'C:\\t;C:\\Windows' });
  });

  it('with no PATH at all, adds one named PATH holding only the shim folder', () => {
    expect(prependToPath({ Other: 'x' }, 'C:\\t', 'win32')).toEqual({ Other: 'x', PATH: 'C:\\t' });
    expect(prependToPath({ PATH: '' }, '/t', 'linux')).toEqual({ PATH: '/t' });
  });

  it('POSIX: other spellings of PATH are separate variables and kept', () => {
    expect(prependToPath({ PATH: '/usr/bin', Path: 'x' }, '/t', 'linux')).toEqual({ PATH: '/t:/usr/bin', Path: 'x' });
  });
});
