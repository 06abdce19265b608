/**
 * Reads and checks every input before anything runs or is deleted. One place, one typed result.
 */
import path from 'node:path';
import fs from 'node:fs';
import type { LoginMode, SecretCredential } from './recovery.js';
import { type AuthJson, parseAuthJson } from './auth-json.js';
import { InputError } from './input-error.js';

export { type AuthJson, InputError, parseAuthJson };

export const SHELLS = ['bash', 'sh', 'pwsh', 'powershell', 'cmd', 'python'] as const;
export type Shell = (typeof SHELLS)[number];
const LOGIN_MODES: readonly LoginMode[] = ['auto', 'always', 'on-failure'];

export interface Settings {
  run: string;
  shell: Shell;
  openaiApiKey: string | null;
  /** The parsed auth.json, and the text to write (normalised JSON). */
  codexAuthJson: { parsed: AuthJson; text: string; raw: string } | null;
  codexHome: string;
  login: LoginMode;
  maxAttempts: number;
  timeoutMs: number;
  retryWaitMs: number;
  /** Secrets given, in the order the ladder tries them. */
  secrets: SecretCredential[];
}

export interface InputEnvironment {
  getInput(name: string): string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
}

function parseNumber(name: string, value: string, fallback: number, opts: { integer: boolean; min: number }): number {
  if (value.trim() === '') return fallback;
  const n = Number(value.trim());
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new InputError(name, `must be ${opts.integer ? 'a whole number' : 'a number'}, got '${value}'.`);
  }
  if (n < opts.min) throw new InputError(name, `must be ${opts.min} or more, got '${value}'.`);
  return n;
}

function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Where codex keeps credentials, checked so that clearing it can never delete the wrong thing:
 * not `/`, not the home folder itself, and not a symlink that leads somewhere unexpected.
 */
export function resolveCodexHome(value: string, envr: Pick<InputEnvironment, 'env' | 'homedir'>): string {
  const home = envr.homedir;
  const chosen = value.trim() || envr.env.CODEX_HOME?.trim() || path.join(home, '.codex');
  const expanded = chosen === '~' ? home : chosen.startsWith('~/') ? path.join(home, chosen.slice(2)) : chosen;
  const resolved = path.resolve(envr.env.GITHUB_WORKSPACE ?? process.cwd(), expanded);
  const named = value.trim() ? 'codex-home' : envr.env.CODEX_HOME?.trim() ? 'codex-home (from $CODEX_HOME)' : 'codex-home';
  if (resolved === path.parse(resolved).root)
    throw new InputError(named, `is the root folder '${resolved}': codex-reauth will not clear credentials there.`);
  if (path.resolve(home) === resolved)
    throw new InputError(named, `is the home folder itself ('${resolved}'): use a folder inside it, such as ~/.codex.`);

  let stat: fs.Stats | null = null;
  try {
    stat = fs.lstatSync(resolved);
  } catch {
    stat = null; // Not there yet: signing in creates it.
  }
  if (stat?.isSymbolicLink()) {
    const target = fs.realpathSync.native(resolved);
    const allowed = [home, envr.env.RUNNER_TEMP, envr.env.GITHUB_WORKSPACE]
      .filter((p): p is string => Boolean(p))
      .map((p) => {
        try {
          return fs.realpathSync.native(p);
        } catch {
          return path.resolve(p);
        }
      });
    if (!allowed.some((root) => isWithin(target, root) && target !== root)) {
      throw new InputError(
        named,
        `is a symlink to '${target}', outside the home folder, RUNNER_TEMP and the workspace: codex-reauth will not delete credentials through it.`,
      );
    }
    return resolved;
  }
  if (stat && !stat.isDirectory()) throw new InputError(named, `'${resolved}' exists and is not a folder.`);
  return resolved;
}

/** Reads every input, with the defaults action.yml declares, and checks it. Throws InputError. */
export function readSettings(envr: InputEnvironment): Settings {
  const get = (name: string): string => envr.getInput(name) ?? '';
  const run = get('run');
  if (run.trim() === '') throw new InputError('run', 'is required: give the commands to run, e.g. `run: codex exec "fix the tests"`.');

  const shellValue = get('shell').trim() || (envr.platform === 'win32' ? 'pwsh' : 'bash');
  if (!(SHELLS as readonly string[]).includes(shellValue)) {
    throw new InputError('shell', `must be one of ${SHELLS.join(', ')}; got '${shellValue}'.`);
  }

  const loginValue = get('login').trim() || 'auto';
  if (!(LOGIN_MODES as readonly string[]).includes(loginValue)) {
    throw new InputError('login', `must be one of ${LOGIN_MODES.join(', ')}; got '${loginValue}'.`);
  }
  const login = loginValue as LoginMode;

  const maxAttempts = parseNumber('max-attempts', get('max-attempts'), 3, { integer: true, min: 1 });
  const timeoutMinutes = parseNumber('timeout-minutes', get('timeout-minutes'), 0, { integer: false, min: 0 });
  const retryWaitSeconds = parseNumber('retry-wait-seconds', get('retry-wait-seconds'), 10, { integer: false, min: 0 });

  const apiKey = get('openai-api-key').trim();
  if (apiKey && /\s/.test(apiKey)) throw new InputError('openai-api-key', 'contains white space inside it: paste the key alone.');
  const authRaw = get('codex-auth-json');
  const auth = authRaw.trim() ? { ...parseAuthJson(authRaw), raw: authRaw } : null;

  const secrets: SecretCredential[] = [];
  if (auth) secrets.push('chatgpt');
  if (apiKey) secrets.push('api-key');
  if (login === 'always' && secrets.length === 0) {
    throw new InputError(
      'login',
      "is 'always', but neither 'openai-api-key' nor 'codex-auth-json' is set: there is nothing to sign in with.",
    );
  }

  return {
    run,
    shell: shellValue as Shell,
    openaiApiKey: apiKey || null,
    codexAuthJson: auth,
    codexHome: resolveCodexHome(get('codex-home'), envr),
    login,
    maxAttempts,
    timeoutMs: Math.round(timeoutMinutes * 60_000),
    retryWaitMs: Math.round(retryWaitSeconds * 1000),
    secrets,
  };
}
