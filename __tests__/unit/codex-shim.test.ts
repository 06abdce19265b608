// The codex shim and the PATH lookup, with the platform injected: the Windows shim text and PATHEXT
// lookup are checked here on Linux (no Windows runner exists on this machine); the POSIX shim is run.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  batchSetValue,
  codexShimText,
  envValue,
  findOnPath,
  installCodexShim,
  pathCandidates,
  prependToPath,
  windowsExtensions,
} from '../../src/codex-shim.js';

const tmps: string[] = [];
afterEach(() => {
  for (const t of tmps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});
const tmpdir = (prefix = 'shim-'): string => {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmps.push(t);
  return t;
};

/**
 * A model of how cmd.exe reads one batch-file line, enough to check the shim's quoting: phase 1
 * percent expansion (`%%` → `%`, `%*`, `%NAME%`, undefined names → nothing), and for a CALL line
 * the caret doubling that follows, then a second percent expansion (documented cmd behaviour; see
 * "How does the Windows Command Interpreter (CMD.EXE) parse scripts?", phases 1 and 6).
 */
function percentExpand(line: string, vars: Record<string, string>, args: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '%') {
      out += line[i];
      continue;
    }
    if (line[i + 1] === '%') {
      out += '%';
      i += 1;
    } else if (line[i + 1] === '*') {
      out += args;
      i += 1;
    } else {
      const end = line.indexOf('%', i + 1);
      if (end === -1) continue; // a lone % is dropped in a batch file
      out += vars[line.slice(i + 1, end).toUpperCase()] ?? '';
      i = end;
    }
  }
  return out;
}
function runCallLine(line: string, vars: Record<string, string>, args: string): string {
  const first = percentExpand(line, vars, args);
  expect(first.startsWith('call ')).toBe(true);
  return percentExpand(first.replace(/\^/g, '^^'), vars, args);
}
/** `set "NAME=value"` read as cmd reads it. */
function runSetLine(line: string): [string, string] {
  const m = /^set "([^=]+)=(.*)"$/.exec(percentExpand(line, {}, ''));
  expect(m).not.toBeNull();
  return [m![1].toUpperCase(), m![2]];
}

const NASTY_WINDOWS = [
  'C:\\Program Files\\nodejs\\codex.cmd',
  'C:\\Users\\A&B\\AppData\\Roaming\\npm\\codex.cmd',
  'C:\\Users\\x^y\\npm\\codex.cmd',
  'C:\\100%\\npm\\%PATH%\\codex.cmd',
  "C:\\Users\\O'Brien (work)\\npm\\codex.cmd",
  'C:\\Users\\bang!\\npm\\codex.exe',
];

describe('Windows shim (codex.cmd) text', () => {
  it.each(NASTY_WINDOWS)('runs %s exactly, with the user arguments untouched by CALL', (real) => {
    const status = 'D:\\a\\_temp\\codex-reauth-1 %x% ^&\\codex-exit-codes';
    const { fileName, text } = codexShimText(real, status, 'win32');
    expect(fileName).toBe('codex.cmd');
    const lines = text.split('\r\n');
    // CRLF everywhere: no bare LF for cmd to mis-parse
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines[0]).toBe('@echo off');
    expect(lines).toContain('setlocal EnableExtensions DisableDelayedExpansion');
    const vars = Object.fromEntries(lines.filter((l) => l.startsWith('set "CODEX_REAUTH_') && !l.includes('STATUS=')).map(runSetLine));
    expect(vars.CODEX_REAUTH_CODEX).toBe(real);
    expect(vars.CODEX_REAUTH_STATUS_FILE).toBe(status);
    // The real path never stands on the CALL line itself, where CALL would double its carets.
    const call = lines.find((l) => l.startsWith('call '))!;
    expect(call).not.toContain(real);
    const userArgs = 'exec "fix ^ the 100% & tests"';
    expect(runCallLine(call, vars, userArgs)).toBe(`call "${real}" -c cli_auth_credentials_store=file ${userArgs}`);
    // The exit code is noted (redirection first) and passed on.
    expect(lines).toContain('>>"%CODEX_REAUTH_STATUS_FILE%" echo %CODEX_REAUTH_STATUS%');
    expect(lines).toContain('exit /b %CODEX_REAUTH_STATUS%');
    expect(lines.indexOf('set "CODEX_REAUTH_STATUS=%ERRORLEVEL%"')).toBe(lines.indexOf(call) + 1);
  });

  it('refuses a path that a batch file cannot hold, instead of writing a broken shim', () => {
    expect(() => codexShimText('C:\\a"b\\codex.cmd', 'C:\\t\\s', 'win32')).toThrow(/double quote/);
    expect(() => batchSetValue('C:\\a\nb')).toThrow(/line break/);
    expect(batchSetValue('C:\\50%off')).toBe('C:\\50%%off');
  });

  it('installs codex.cmd (not a sh script)', () => {
    const work = tmpdir();
    const shim = installCodexShim('C:\\npm\\codex.cmd', work, 'win32');
    expect(fs.readdirSync(path.join(work, 'bin'))).toEqual(['codex.cmd']);
    expect(fs.readFileSync(path.join(work, 'bin', 'codex.cmd'), 'utf8')).toContain('set "CODEX_REAUTH_CODEX=C:\\npm\\codex.cmd"');
    expect(shim.binDir).toBe(path.join(work, 'bin'));
  });
});

describe('POSIX shim, run for real', () => {
  const nasty = ["it's", 'a b', '$HOME', '`id`', '100%', 'x^y&z', 'semi;colon', 'new\nline'];

  it('runs the real codex at a path with spaces and special characters, passes arguments as given, notes exit codes', () => {
    const dir = path.join(tmpdir(), "odd dir 'q' $x `y` %z% ^&");
    fs.mkdirSync(dir);
    const real = path.join(dir, 'real codex');
    const argsFile = path.join(dir, 'args.json');
    fs.writeFileSync(
      real,
      `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(Number(process.env.EXIT_WITH || 0));\n`,
      { mode: 0o755 },
    );
    const work = path.join(dir, 'work & temp');
    fs.mkdirSync(work);
    const shim = installCodexShim(real, work, 'linux');
    const codex = path.join(shim.binDir, 'codex');
    expect((fs.statSync(codex).mode & 0o111) !== 0).toBe(true);

    const first = spawnSync(codex, ['exec', ...nasty], { env: { ...process.env, EXIT_WITH: '0' } });
    expect(first.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(argsFile, 'utf8'))).toEqual(['-c', 'cli_auth_credentials_store=file', 'exec', ...nasty]);
    const second = spawnSync(codex, ['exec', 'x'], { env: { ...process.env, EXIT_WITH: '7' } });
    expect(second.status).toBe(7);
    expect(shim.exitCodes()).toEqual([0, 7]);
    shim.reset();
    expect(shim.exitCodes()).toEqual([]);
  });
});

describe('PATH lookup with the platform injected', () => {
  it('Windows: PATHEXT order within each folder, in PATH order; quoted entries; never the bare name or .js', () => {
    const env = {
      Path: 'C:\\Windows;"C:\\Program Files\\nodejs";;C:\\Users\\me\\AppData\\Roaming\\npm',
      PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS;.JS;.PS1',
    };
    expect(pathCandidates('codex', env, 'win32')).toEqual([
      'C:\\Windows\\codex.com',
      'C:\\Windows\\codex.exe',
      'C:\\Windows\\codex.bat',
      'C:\\Windows\\codex.cmd',
      'C:\\Program Files\\nodejs\\codex.com',
      'C:\\Program Files\\nodejs\\codex.exe',
      'C:\\Program Files\\nodejs\\codex.bat',
      'C:\\Program Files\\nodejs\\codex.cmd',
      'C:\\Users\\me\\AppData\\Roaming\\npm\\codex.com',
      'C:\\Users\\me\\AppData\\Roaming\\npm\\codex.exe',
      'C:\\Users\\me\\AppData\\Roaming\\npm\\codex.bat',
      'C:\\Users\\me\\AppData\\Roaming\\npm\\codex.cmd',
    ]);
  });

  it('Windows: finds npm codex.cmd, reads Path/PathExt in any case, skips the shim folder case-insensitively', () => {
    const files = new Set([
      'c:\\temp\\codex-reauth-1\\bin\\codex.cmd',
      'c:\\users\\me\\appdata\\roaming\\npm\\codex.cmd',
      'c:\\users\\me\\appdata\\roaming\\npm\\codex',
    ]);
    const probe = (f: string) => files.has(f.toLowerCase());
    const env = { pAtH: 'C:\\Temp\\codex-reauth-1\\bin;C:\\Users\\me\\AppData\\Roaming\\npm', PathExt: '.exe;.cmd' };
    expect(findOnPath('codex', env, 'win32', undefined, probe)).toBe('C:\\Temp\\codex-reauth-1\\bin\\codex.cmd');
    expect(findOnPath('codex', env, 'win32', 'c:\\TEMP\\codex-reauth-1\\BIN', probe)).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\npm\\codex.cmd',
    );
    // A native install (codex.exe) wins over a .cmd in the same folder when PATHEXT lists .EXE first
    files.add('c:\\users\\me\\appdata\\roaming\\npm\\codex.exe');
    expect(findOnPath('codex', env, 'win32', 'C:\\Temp\\codex-reauth-1\\bin', probe)).toBe(
      'C:\\Users\\me\\AppData\\Roaming\\npm\\codex.exe',
    );
    expect(findOnPath('codex', { Path: 'C:\\nothing' }, 'win32', undefined, probe)).toBeNull();
  });

  it('Windows: no usable PATHEXT falls back to .com .exe .bat .cmd', () => {
    expect(windowsExtensions({})).toEqual(['.com', '.exe', '.bat', '.cmd']);
    expect(windowsExtensions({ PATHEXT: '.JS;.VBS' })).toEqual(['.com', '.exe', '.bat', '.cmd']);
    expect(windowsExtensions({ PathExt: '.CMD;.EXE;.cmd' })).toEqual(['.cmd', '.exe']);
  });

  it('POSIX: ":" separates, the name is used bare, Windows-looking names are not special', () => {
    expect(pathCandidates('codex', { PATH: '/a:/b c:', Path: '/ignored' }, 'darwin')).toEqual(['/a/codex', '/b c/codex']);
    expect(envValue({ Path: 'x' }, 'PATH', 'linux')).toBeUndefined();
    expect(envValue({ Path: 'x' }, 'PATH', 'win32')).toBe('x');
  });

  it('POSIX on disk: skips a non-executable file and the shim folder, finds the executable one', () => {
    const a = tmpdir();
    const b = tmpdir();
    const c = tmpdir();
    fs.writeFileSync(path.join(a, 'codex'), 'not executable', { mode: 0o644 });
    fs.writeFileSync(path.join(b, 'codex'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(c, 'codex'), '#!/bin/sh\n', { mode: 0o755 });
    const env = { PATH: [a, b, c].join(':') };
    expect(findOnPath('codex', env, 'linux')).toBe(path.join(b, 'codex'));
    expect(findOnPath('codex', env, 'linux', b)).toBe(path.join(c, 'codex'));
    fs.mkdirSync(path.join(a, 'codex-dir'));
    expect(findOnPath('codex-dir', env, 'linux')).toBeNull();
  });
});

describe('prependToPath', () => {
  it('Windows: keeps the spelling Windows uses (Path), uses ";", leaves no second PATH', () => {
    const env = prependToPath({ Path: 'C:\\Windows', PATH: undefined, Other: '1' }, 'C:\\t\\bin', 'win32');
    expect(env).toEqual({ Path: 'C:\\t\\bin;C:\\Windows', Other: '1' });
    const both = prependToPath({ PATH: 'C:\\a', Path: 'C:\\b' }, 'C:\\t', 'win32');
    expect(Object.keys(both).filter((k) => k.toUpperCase() === 'PATH')).toHaveLength(1);
  });

  it('POSIX: ":" and PATH; an empty PATH gives just the folder', () => {
    expect(prependToPath({ PATH: '/usr/bin' }, '/t/bin', 'linux')).toEqual({ PATH: '/t/bin:/usr/bin' });
    expect(prependToPath({}, '/t/bin', 'darwin')).toEqual({ PATH: '/t/bin' });
  });
});
