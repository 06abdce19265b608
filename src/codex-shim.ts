/**
 * A `codex` placed first on PATH for the user's script only. It runs the real codex with
 * `-c cli_auth_credentials_store=file`, so credentials live in a file the action can clear (with
 * `keyring` or `auto`, deleting auth.json would clear nothing on macOS or Windows), and it notes each
 * codex exit code, so a failure of the user's own commands after codex succeeded is never taken for
 * an auth failure, whatever the log says.
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

const shQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** Finds an executable on PATH (PATHEXT on Windows), skipping `skipDir`. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, skipDir?: string): string | null {
  const pathValue = env.PATH ?? env.Path ?? '';
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathValue.split(path.delimiter)) {
    if (!dir || (skipDir && path.resolve(dir) === path.resolve(skipDir))) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext.toLowerCase());
      try {
        const stat = fs.statSync(candidate);
        if (stat.isFile() && (platform === 'win32' || (stat.mode & 0o111) !== 0)) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Writes the shim for `realCodex` into `workDir/bin`. */
export function installCodexShim(realCodex: string, workDir: string, platform: NodeJS.Platform): CodexShim {
  const binDir = path.join(workDir, 'bin');
  const statusFile = path.join(workDir, 'codex-exit-codes');
  fs.mkdirSync(binDir, { recursive: true });
  if (platform === 'win32') {
    fs.writeFileSync(
      path.join(binDir, 'codex.cmd'),
      [
        '@echo off',
        `call "${realCodex}" -c cli_auth_credentials_store=file %*`,
        'set CODEX_REAUTH_STATUS=%ERRORLEVEL%',
        `>>"${statusFile}" echo %CODEX_REAUTH_STATUS%`,
        'exit /b %CODEX_REAUTH_STATUS%',
        '',
      ].join('\r\n'),
    );
  } else {
    const shim = path.join(binDir, 'codex');
    fs.writeFileSync(
      shim,
      [
        '#!/bin/sh',
        '# codex-reauth: file credential store, and a note of each exit code (see src/codex-shim.ts).',
        `${shQuote(realCodex)} -c cli_auth_credentials_store=file "$@"`,
        'status=$?',
        `printf '%s\\n' "$status" >> ${shQuote(statusFile)}`,
        'exit "$status"',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }
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
