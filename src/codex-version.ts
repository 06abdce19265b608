/**
 * Which codex release an executable on PATH is, read from its npm package without running it, and
 * whether the action may write that release's API-key login itself.
 *
 * `codex login --with-api-key` costs a process start (~70 ms here) on every run that signs in with a
 * key. For the releases whose login file is known and tested, writing that same file directly is
 * equivalent and free; for any other release (a newer one may change the format) the action still
 * runs `codex login`.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The oldest and newest releases whose API-key `auth.json` has been checked against the real CLI. */
export const DIRECT_API_KEY_LOGIN_RANGE = { oldest: '0.101.0', newest: '0.171.0' } as const;

/** What `codex login --with-api-key` writes in every release of DIRECT_API_KEY_LOGIN_RANGE. */
export function apiKeyAuthJson(key: string): string {
  return `${JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key }, null, 2)}\n`;
}

function parseVersion(version: string): [number, number, number] | null {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:$|[-+])/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Whether the API-key login of `version` is the file apiKeyAuthJson writes: a release inside the
 * checked range, patch releases of its newest minor included. Unknown or pre-release versions: no.
 */
export function canWriteApiKeyLogin(version: string | null): boolean {
  if (!version || /-/.test(version)) return false;
  const v = parseVersion(version);
  const oldest = parseVersion(DIRECT_API_KEY_LOGIN_RANGE.oldest)!;
  const newest = parseVersion(DIRECT_API_KEY_LOGIN_RANGE.newest)!;
  if (!v) return false;
  return compare(v, oldest) >= 0 && (v[0] < newest[0] || (v[0] === newest[0] && v[1] <= newest[1]));
}

/**
 * The version of the `@openai/codex` npm package that `codexPath` (a file on PATH, usually a symlink
 * to `bin/codex.js`) belongs to, or null when it is not from npm (a native binary, Homebrew) or its
 * package cannot be read. Looks at most a few folders up from the real file.
 */
export function codexPackageVersion(codexPath: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(fs.realpathSync(codexPath));
  } catch {
    return null;
  }
  for (let depth = 0; depth < 3; depth++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === '@openai/codex' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: look one folder up
    }
    dir = path.dirname(dir);
  }
  return null;
}
