/**
 * A `codex` placed first on PATH for the user's script only. It runs the real codex with
 * `-c cli_auth_credentials_store=file`, so credentials live in a file the action can clear (with
 * `keyring` or `auto`, deleting auth.json would clear nothing on macOS or Windows), and it notes each
 * codex exit code, so a failure of the user's own commands after codex succeeded is never taken for
 * an auth failure, whatever the log says.
 *
 * Every platform decision here takes the platform as a parameter (and file probing as a function),
 * so the Windows shim and the Windows PATH lookup are tested on any machine.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CodexShim {
  /** Folder to put first on PATH. */
  readonly binDir: string;
  /** Exit codes of the codex runs since the last `reset`, oldest first. */
  exitCodes(): number[];
  reset(): void;
}

/** The path functions of `platform` (Windows paths parsed as Windows paths even on Linux). */
export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * The name under which `env` holds `name`. Windows environment names are case-insensitive and a copy
 * of `process.env` keeps the spelling Windows uses (`Path`, `PathExt`), so `env.PATH` alone misses it.
 */
export function envKey(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string {
  if (platform !== 'win32') return name;
  const upper = name.toUpperCase();
  return Object.keys(env).find((key) => key.toUpperCase() === upper && env[key] !== undefined) ?? name;
}

/** `env[name]`, case-insensitively on Windows. */
export function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  return env[envKey(env, name, platform)];
}

/**
 * A copy of `env` with `dir` first on PATH, under the name the platform already uses for PATH, and
 * with no second spelling of it (on Windows a child given both `PATH` and `Path` sees only one of them).
 */
export function prependToPath(env: NodeJS.ProcessEnv, dir: string, platform: NodeJS.Platform): NodeJS.ProcessEnv {
  const key = envKey(env, 'PATH', platform);
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (platform === 'win32' && name.toUpperCase() === 'PATH' && name !== key) continue;
    out[name] = value;
  }
  const rest = env[key];
  out[key] = rest ? `${dir}${pathFor(platform).delimiter}${rest}` : dir;
  return out;
}

/**
 * Extensions a Windows command is looked up with, in PATHEXT order, keeping only those the shim can
 * `call` (a `codex.js` or `.vbs` next to codex.cmd would otherwise be opened by Windows Script Host).
 */
export function windowsExtensions(env: NodeJS.ProcessEnv): string[] {
  const runnable = ['.com', '.exe', '.bat', '.cmd'];
  const listed = (envValue(env, 'PATHEXT', 'win32') ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => runnable.includes(ext));
  const unique = [...new Set(listed)];
  return unique.length > 0 ? unique : runnable;
}

/**
 * Every file that running `name` could start, in the order the shell tries them: each PATH folder in
 * turn; on Windows each PATHEXT extension within a folder (never the bare name: npm also installs an
 * extension-less `codex` shell script there, which Windows cannot run). Pure: no I/O.
 */
export function pathCandidates(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, skipDir?: string): string[] {
  const p = pathFor(platform);
  const windows = platform === 'win32';
  const same = (a: string, b: string): boolean => (windows ? a.toLowerCase() === b.toLowerCase() : a === b);
  const skip = skipDir ? p.resolve(skipDir) : null;
  const exts = windows ? windowsExtensions(env) : [''];
  const candidates: string[] = [];
  for (const raw of (envValue(env, 'PATH', platform) ?? '').split(p.delimiter)) {
    // Windows allows a PATH entry in quotes ("C:\Program Files\x"); the quotes are not part of it.
    const dir = windows ? raw.trim().replace(/^"(.*)"$/, '$1') : raw;
    if (!dir) continue;
    if (skip && same(p.resolve(dir), skip)) continue;
    for (const ext of exts) candidates.push(p.join(dir, name + ext));
  }
  return candidates;
}

/** True if `file` is something the platform would run (a file; on POSIX with an execute bit). */
function isRunnable(file: string, platform: NodeJS.Platform): boolean {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && (platform === 'win32' || (stat.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/**
 * Finds an executable on PATH (PATHEXT on Windows), skipping `skipDir` (the shim's own folder).
 * `isExecutable` is the file probe; tests pass one to look up Windows paths on any machine.
 */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  skipDir?: string,
  isExecutable: (file: string) => boolean = (file) => isRunnable(file, platform),
): string | null {
  return pathCandidates(name, env, platform, skipDir).find((file) => isExecutable(file)) ?? null;
}

const shQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A value for `set "NAME=value"` in a batch file. Inside quotes cmd takes `&`, `^`, `(`, `)` and
 * spaces literally; only `%` is still expanded there, and `%%` is how a batch file writes one `%`.
 * A `"` cannot be written at all (Windows forbids it in paths anyway), nor can a line break.
 */
export function batchSetValue(value: string): string {
  if (/["\r\n]/.test(value)) throw new Error(`cannot write a path containing a double quote or a line break into a batch file: ${value}`);
  return value.replace(/%/g, '%%');
}

/** The shim's file name and text for `platform`. Pure: tests read the text without writing it. */
export function codexShimText(realCodex: string, statusFile: string, platform: NodeJS.Platform): { fileName: string; text: string } {
  if (platform === 'win32') {
    return {
      fileName: 'codex.cmd',
      text: [
        '@echo off',
        // Delayed expansion off: a `!` in a path stays a `!` whatever the machine's default is.
        'setlocal EnableExtensions DisableDelayedExpansion',
        `set "CODEX_REAUTH_CODEX=${batchSetValue(realCodex)}"`,
        `set "CODEX_REAUTH_STATUS_FILE=${batchSetValue(statusFile)}"`,
        // `call` is needed to come back from codex.cmd, but CALL doubles every caret on its line, quoted
        // or not, and then expands `%` once more. Writing `%%NAME%%` and `%%*` leaves `%NAME%` and `%*`
        // for that second expansion, which comes after the doubling: the path and the user's arguments
        // (`^`, `&`, `%`, spaces) reach codex as they were.
        'call "%%CODEX_REAUTH_CODEX%%" -c cli_auth_credentials_store=file %%*',
        'set "CODEX_REAUTH_STATUS=%ERRORLEVEL%"',
        // Redirection first: `echo 1>>file` would redirect handle 1 instead of writing "1".
        '>>"%CODEX_REAUTH_STATUS_FILE%" echo %CODEX_REAUTH_STATUS%',
        'exit /b %CODEX_REAUTH_STATUS%',
        '',
      ].join('\r\n'),
    };
  }
  return {
    fileName: 'codex',
    text: [
      '#!/bin/sh',
      '# codex-reauth: file credential store, and a note of each exit code (see src/codex-shim.ts).',
      `${shQuote(realCodex)} -c cli_auth_credentials_store=file "$@"`,
      'status=$?',
      `printf '%s\\n' "$status" >> ${shQuote(statusFile)}`,
      'exit "$status"',
      '',
    ].join('\n'),
  };
}

/** Writes the shim for `realCodex` into `workDir/bin`. */
export function installCodexShim(realCodex: string, workDir: string, platform: NodeJS.Platform): CodexShim {
  // Files are written on this machine, so its own path functions join them (on Windows, path.win32).
  const binDir = path.join(workDir, 'bin');
  const statusFile = path.join(workDir, 'codex-exit-codes');
  const shim = codexShimText(realCodex, statusFile, platform);
  fs.mkdirSync(binDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(binDir, shim.fileName), shim.text, { mode: 0o755 });
  return {
    binDir,
    exitCodes() {
      let text = '';
      try {
        text = fs.readFileSync(statusFile, 'utf8');
      } catch {
        return [];
      }
      return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => /^-?\d+$/.test(line))
        .map(Number);
    },
    reset() {
      fs.rmSync(statusFile, { force: true });
    },
  };
}
