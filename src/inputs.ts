/**
 * Reads and checks every input before anything runs or is deleted. One place, one typed result.
 */
import path from 'node:path';
import fs from 'node:fs';
import { type LoginMode, SECRET_ORDER, type SecretCredential } from './recovery.js';
import { looksLikeAccessToken, parseAccessToken } from './access-token.js';
import { type AuthJson, parseAuthJson } from './auth-json.js';
import { InputError } from './input-error.js';
import { defaultShell } from './shell.js';

export { type AuthJson, InputError, parseAuthJson };

export const SHELLS = ['bash', 'sh', 'pwsh', 'powershell', 'cmd', 'python'] as const;
export type Shell = (typeof SHELLS)[number];
const LOGIN_MODES: readonly LoginMode[] = ['auto', 'always', 'on-failure'];

export interface Settings {
  run: string;
  shell: Shell;
  openaiApiKey: string | null;
  /** A workspace access token (`at-…`). */
  codexAccessToken: string | null;
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
  getInput(name: string, options?: { trimWhitespace?: boolean }): string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
}

/** Longest `timeout-minutes`: Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once past it. */
export const MAX_TIMEOUT_MINUTES = Math.floor((2 ** 31 - 1) / 60_000);

/**
 * A plain decimal number, as a person writes it: `3`, `2.5`. `Number()` would also take `0x10`,
 * `1e3`, `Infinity` and ` `, which nobody means in a workflow file.
 */
function parseNumber(
  name: string,
  value: string,
  fallback: number,
  opts: { integer: boolean; min?: number; max?: number; unit?: string },
): number {
  const text = value.trim();
  if (text === '') return fallback;
  const pattern = opts.integer ? /^\d+$/ : /^\d+(?:\.\d+)?$/;
  const min = opts.min ?? 0;
  // One message for every value out of reach, naming the least allowed: 'lots', '-1' and '0' alike.
  if (!pattern.test(text) || Number(text) < min) {
    const kind = opts.integer ? 'a whole number' : 'a plain decimal number';
    throw new InputError(name, `must be ${kind} of ${min} or more, like ${opts.integer ? "'3'" : "'2.5'"}; got '${value}'.`);
  }
  const n = Number(text);
  if (opts.max !== undefined && n > opts.max) {
    throw new InputError(name, `must be at most ${opts.max}${opts.unit ? ` ${opts.unit}` : ''}; got '${value}'.`);
  }
  return n;
}

/**
 * Where codex keeps credentials, checked so that clearing it can never delete the wrong thing and
 * writing it can never leak it: an absolute path (or `~/…`), not `/`, not the home folder or a folder
 * holding it, not inside the workspace, and not a symlink that leads anywhere unexpected.
 */
export function resolveCodexHome(value: string, envr: Pick<InputEnvironment, 'env' | 'homedir'>): string {
  const home = path.resolve(envr.homedir);
  const fromEnv = envr.env.CODEX_HOME?.trim() ?? '';
  const chosen = value.trim() || fromEnv || path.join(home, '.codex');
  const named = value.trim() ? 'codex-home' : fromEnv ? 'codex-home (from $CODEX_HOME)' : 'codex-home';
  const tilde = /^~(?:[/\\]|$)/.test(chosen);
  const expanded = tilde ? path.join(home, chosen.slice(1)) : chosen;
  // A relative path would silently depend on the step's working folder (usually the workspace).
  if (!path.isAbsolute(expanded)) {
    throw new InputError(named, `must be an absolute path (or start with ~/); got the relative path '${chosen}'.`);
  }
  const resolved = path.resolve(expanded);
  const real = realPathOrNull(resolved);
  // Where it really leads, even when it does not exist yet: a symlinked parent (`ws-link/codex`, with
  // ws-link → the workspace) must not carry it past the checks.
  const leadsTo = real ?? realPathOfNearestAncestor(resolved);
  for (const candidate of new Set([resolved, leadsTo])) checkCodexHomeLocation(candidate, named, home, envr.env);

  let stat: fs.Stats | null = null;
  try {
    stat = fs.lstatSync(resolved);
  } catch {
    stat = null; // Not there yet: signing in creates it.
  }
  if (stat?.isSymbolicLink()) {
    if (real === null)
      throw new InputError(
        named,
        `'${resolved}' is a symlink to a path that does not exist: point it at an existing folder, or give the folder itself.`,
      );
    const allowed = [home, envr.env.RUNNER_TEMP]
      .filter((root): root is string => Boolean(root))
      .map((root) => realPathOrNull(root) ?? path.resolve(root));
    if (!allowed.some((root) => isWithin(real, root) && real !== root)) {
      throw new InputError(
        named,
        `is a symlink to '${real}', which is not inside the home folder or RUNNER_TEMP: codex-reauth will not write or delete credentials through it.`,
      );
    }
    return resolved;
  }
  if (stat && !stat.isDirectory())
    throw new InputError(
      named,
      `'${resolved}' exists and is not a folder: give a folder, such as ~/.codex (the file may be auth.json itself).`,
    );
  return resolved;
}

/** The real path of `target`'s deepest existing ancestor, with the rest of `target` appended. */
function realPathOfNearestAncestor(target: string): string {
  const missing: string[] = [];
  let dir = target;
  for (;;) {
    const real = realPathOrNull(dir);
    if (real !== null) return path.join(real, ...missing.reverse());
    const parent = path.dirname(dir);
    if (parent === dir) return target;
    missing.push(path.basename(dir));
    dir = parent;
  }
}

function realPathOrNull(target: string): string | null {
  try {
    return fs.realpathSync.native(target);
  } catch {
    return null;
  }
}

function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Refuses the places where clearing or writing credentials would do harm. */
function checkCodexHomeLocation(target: string, named: string, home: string, env: NodeJS.ProcessEnv): void {
  if (target === path.parse(target).root) {
    throw new InputError(
      named,
      `is the root folder '${target}': codex-reauth will not clear credentials there. Use a folder of its own, such as ~/.codex.`,
    );
  }
  if (target === home) {
    throw new InputError(named, `is the home folder itself ('${target}'): use a folder inside it, such as ~/.codex.`);
  }
  if (isWithin(home, target)) {
    throw new InputError(named, `'${target}' holds the home folder: use a folder of its own, such as ~/.codex.`);
  }
  const workspace = env.GITHUB_WORKSPACE?.trim();
  if (workspace) {
    const roots = new Set([path.resolve(workspace), realPathOrNull(workspace) ?? path.resolve(workspace)]);
    if ([...roots].some((root) => isWithin(target, root) || isWithin(root, target))) {
      throw new InputError(
        named,
        `'${target}' is inside the workspace (${workspace}): later steps and agents commit and upload the workspace (git add -A, artifacts), and auth.json would go with them. Use a folder outside it, such as ~/.codex or \${{ runner.temp }}/codex.`,
      );
    }
  }
}

/** Reads every input, with the defaults action.yml declares, and checks it. Throws InputError. */
export function readSettings(envr: InputEnvironment): Settings {
  const get = (name: string): string => envr.getInput(name) ?? '';
  const run = get('run');
  // A keeper run (`access-only-secret`, keeper.ts) refreshes the login and runs no commands.
  const keeper = get('access-only-secret').trim() !== '';
  if (run.trim() === '' && !keeper)
    throw new InputError('run', 'is required: give the commands to run, e.g. `run: codex exec "fix the tests"`.');
  if (run.trim() !== '' && keeper) {
    throw new InputError(
      'run',
      "is set, but 'access-only-secret' makes this step a keeper, which refreshes the ChatGPT login and runs no commands: move the commands to a step of their own that uses the access-only copy.",
    );
  }

  const shellValue = get('shell').trim() || defaultShell(envr.platform);
  if (!(SHELLS as readonly string[]).includes(shellValue)) {
    throw new InputError('shell', `must be one of ${SHELLS.join(', ')}; got '${shellValue}'.`);
  }

  const loginValue = get('login').trim() || 'auto';
  if (!(LOGIN_MODES as readonly string[]).includes(loginValue)) {
    throw new InputError('login', `must be one of ${LOGIN_MODES.join(', ')}; got '${loginValue}'.`);
  }
  const login = loginValue as LoginMode;

  const maxAttempts = parseNumber('max-attempts', get('max-attempts'), 3, { integer: true, min: 1 });
  // Past the maximum a timer would fire at once: refuse rather than turn a long limit into none.
  const timeoutMinutes = parseNumber('timeout-minutes', get('timeout-minutes'), 0, {
    integer: false,
    max: MAX_TIMEOUT_MINUTES,
    unit: 'minutes (about 24.8 days, the longest timer Node.js can hold); use 0 for no limit',
  });
  const retryWaitSeconds = parseNumber('retry-wait-seconds', get('retry-wait-seconds'), 10, { integer: false });
  // A limit so small it rounds to 0 ms would silently mean "no limit".
  if (timeoutMinutes > 0 && Math.round(timeoutMinutes * 60_000) === 0) {
    throw new InputError(
      'timeout-minutes',
      `is too small to be a limit (under a millisecond); use 0 for no limit; got '${get('timeout-minutes')}'.`,
    );
  }

  const apiKey = get('openai-api-key').trim();
  if (apiKey && /\s/.test(apiKey)) throw new InputError('openai-api-key', 'contains white space inside it: paste the key alone.');
  // Quotes and JSON come from copying a key out of a file or a YAML value; the key itself has neither.
  if (apiKey && /^["'`\u2018\u2019\u201c\u201d]|["'`\u2018\u2019\u201c\u201d]$/.test(apiKey)) {
    throw new InputError('openai-api-key', 'is wrapped in quotes: store the key alone in the secret, without quotes.');
  }
  if (apiKey.startsWith('{')) {
    throw new InputError(
      'openai-api-key',
      'looks like JSON (an auth.json?): a ChatGPT login goes in `codex-auth-json`; this input takes the key alone.',
    );
  }
  if (looksLikeAccessToken(apiKey)) {
    throw new InputError(
      'openai-api-key',
      'looks like a workspace access token (`at-…`), not an API key: pass it as `codex-access-token` instead.',
    );
  }
  const authRaw = get('codex-auth-json');
  const auth = authRaw.trim() ? { ...parseAuthJson(authRaw), raw: authRaw } : null;
  // Untrimmed: white space around a token is a mix-up to name (a file saved with a newline).
  const accessToken = parseAccessToken(envr.getInput('codex-access-token', { trimWhitespace: false }) ?? '');

  const given: Record<SecretCredential, boolean> = {
    chatgpt: auth !== null,
    'access-token': accessToken !== null,
    'api-key': apiKey !== '',
  };
  const secrets = SECRET_ORDER.filter((credential) => given[credential]);
  if (login === 'always' && secrets.length === 0) {
    throw new InputError(
      'login',
      "is 'always', but none of `codex-auth-json`, `codex-access-token` and `openai-api-key` is set: there is nothing to sign in with. Pass one of them from a secret, or use `login: auto`. (Secrets are empty in workflows triggered from forks.)",
    );
  }

  return {
    run,
    shell: shellValue as Shell,
    openaiApiKey: apiKey || null,
    codexAccessToken: accessToken,
    codexAuthJson: auth,
    codexHome: resolveCodexHome(get('codex-home'), envr),
    login,
    maxAttempts,
    timeoutMs: Math.round(timeoutMinutes * 60_000),
    retryWaitMs: Math.round(retryWaitSeconds * 1000),
    secrets,
  };
}
