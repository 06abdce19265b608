/**
 * Keeping a ChatGPT login alive: codex rotates the refresh token it was given (single use), so the
 * rotated auth.json is written back to the Actions secret `codex-auth-json` came from.
 *
 * - `readWritebackSettings` parses the three inputs (`auth-json-secret`, `auth-json-secret-environment`,
 *   `secrets-token`).
 * - `decideWriteback` and `encodeLike` are the pure decisions: is this a rotation of the stored login
 *   (same account, different refresh token, valid JSON), and in which form to store it.
 * - `createAuthWriteback` is the capability main uses: `preflight()` before codex runs (proves the
 *   token can write there without touching the stored value), `capture()` after every attempt that ran
 *   with the login from `codex-auth-json` (keeps the newest rotation even if a later sign-in replaces
 *   auth.json), `saveIfRotated()` at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type AuthJson, parseAuthJson } from './auth-json.js';
import { AUTH_FILE } from './credentials.js';
import { jwtClaims } from './jwt.js';
import { loginShape } from './access-only.js';
import { InputError } from './input-error.js';
import { secretsToMask } from './secrets.js';
import { STATE, type StateStore } from './state.js';
import {
  createSecretsClient,
  describeSecret,
  isValidSecretName,
  type SecretsClient,
  type SecretsClientOptions,
  type SecretTarget,
} from './github-secrets.js';

export const WRITEBACK_INPUTS = {
  secret: 'auth-json-secret',
  environment: 'auth-json-secret-environment',
  token: 'secrets-token',
} as const;

/** The output that says whether a rotated login was saved in this run. */
export const WRITEBACK_OUTPUT = 'auth-json-secret-updated';

export interface WritebackSettings {
  secretName: string;
  token: string;
  target: SecretTarget;
}

/**
 * Reads the write-back inputs; null when write-back is off (`auth-json-secret` empty). Throws
 * InputError for a combination that cannot work, before anything runs.
 */
export function readWritebackSettings(
  getInput: (name: string) => string,
  env: NodeJS.ProcessEnv,
  hasCodexAuthJson: boolean,
): WritebackSettings | null {
  const secretName = (getInput(WRITEBACK_INPUTS.secret) ?? '').trim();
  const environment = (getInput(WRITEBACK_INPUTS.environment) ?? '').trim();
  const token = (getInput(WRITEBACK_INPUTS.token) ?? '').trim();
  if (!secretName) {
    if (environment) {
      throw new InputError(
        WRITEBACK_INPUTS.environment,
        `is set but '${WRITEBACK_INPUTS.secret}' is empty: name the secret to write back to.`,
      );
    }
    return null;
  }
  if (!isValidSecretName(secretName)) {
    throw new InputError(
      WRITEBACK_INPUTS.secret,
      `must be the name of an Actions secret (letters, digits and _, not starting with a digit or GITHUB_), e.g. CODEX_AUTH_JSON; got '${secretName}'. Give the name, not \${{ secrets.… }}.`,
    );
  }
  if (!hasCodexAuthJson) {
    throw new InputError(
      WRITEBACK_INPUTS.secret,
      `is set but 'codex-auth-json' is empty: pass the same secret, \`codex-auth-json: \${{ secrets.${secretName} }}\` (secrets are empty in workflows triggered from forks, including Dependabot).`,
    );
  }
  if (!token) {
    throw new InputError(
      WRITEBACK_INPUTS.token,
      `is required with '${WRITEBACK_INPUTS.secret}': a GitHub App installation token with secrets: write (actions/create-github-app-token) or a fine-grained personal access token with "Secrets: Read and write". GITHUB_TOKEN cannot write secrets. (Secrets are empty in workflows triggered from forks, including Dependabot.)`,
    );
  }
  const repository = env.GITHUB_REPOSITORY?.trim() ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
    throw new InputError(WRITEBACK_INPUTS.secret, `needs GITHUB_REPOSITORY (owner/name), which the runner sets; got '${repository}'.`);
  }
  return {
    secretName,
    token,
    target: { apiUrl: env.GITHUB_API_URL?.trim() || 'https://api.github.com', repository, environment: environment || null },
  };
}

/** How the user stored the login: the file itself, or base64 of it (standard or URL-safe alphabet). */
export type StoredForm = 'json' | 'base64' | 'base64url';

/** The form of what was given as `codex-auth-json`. */
export function storedForm(raw: string): StoredForm {
  const trimmed = raw.trim();
  if (trimmed.startsWith('{')) return 'json';
  return /[-_]/.test(trimmed) ? 'base64url' : 'base64';
}

/** `text` (an auth.json) in the given form. */
export function encodeLike(form: StoredForm, text: string): string {
  if (form === 'json') return text;
  return Buffer.from(text, 'utf8').toString(form === 'base64' ? 'base64' : 'base64url');
}

export type SkipReason = 'not-used' | 'missing' | 'invalid-json' | 'not-chatgpt' | 'unchanged' | 'other-account' | 'unknown-account';
export type WritebackDecision = { save: true; text: string; parsed: AuthJson } | { save: false; reason: SkipReason };

const SKIP_EXPLANATION: Record<SkipReason, string> = {
  'not-used': 'no attempt ran with the login from codex-auth-json (cached credentials or an API key ran)',
  missing: 'codex-home holds no auth.json',
  'invalid-json': 'auth.json in codex-home is not valid JSON',
  'not-chatgpt': 'auth.json in codex-home holds no ChatGPT login (an API key, or no refresh token)',
  unchanged: 'codex did not rotate the login (same refresh token)',
  'other-account': 'auth.json in codex-home belongs to another ChatGPT account',
  'unknown-account': 'the ChatGPT account of auth.json in codex-home cannot be told',
};

/** Why nothing was written, for the log. */
export function explainSkip(reason: SkipReason): string {
  return SKIP_EXPLANATION[reason];
}

/** The ChatGPT account (and user) a login belongs to: `tokens.account_id`, else the id_token's claims. */
export function accountOf(auth: AuthJson): { account: string | null; user: string | null } {
  const openaiClaims = jwtClaims(auth.tokens?.id_token)?.['https://api.openai.com/auth'];
  const claims: Record<string, unknown> =
    typeof openaiClaims === 'object' && openaiClaims !== null ? (openaiClaims as Record<string, unknown>) : {};
  const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
  return {
    account: str(auth.tokens?.account_id) ?? str(claims.chatgpt_account_id),
    user: str(claims.chatgpt_user_id),
  };
}

/**
 * Decides whether what codex left in auth.json is a rotation of the stored login and must be saved.
 * Never an unchanged login (a pointless write that races other runs), never another account's login
 * (someone signed in by hand on a self-hosted runner), never anything that is not a ChatGPT login.
 */
export function decideWriteback(stored: AuthJson, currentText: string | null): WritebackDecision {
  if (currentText === null) return { save: false, reason: 'missing' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(currentText);
  } catch {
    return { save: false, reason: 'invalid-json' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { save: false, reason: 'invalid-json' };
  const current = parsed as AuthJson;
  const refresh = current.tokens?.refresh_token;
  if (typeof current.tokens !== 'object' || current.tokens === null || typeof refresh !== 'string' || refresh.length === 0) {
    return { save: false, reason: 'not-chatgpt' };
  }
  if (refresh === stored.tokens.refresh_token) return { save: false, reason: 'unchanged' };
  const was = accountOf(stored);
  const now = accountOf(current);
  if (was.account === null || now.account === null) return { save: false, reason: 'unknown-account' };
  if (was.account !== now.account || (was.user !== null && now.user !== null && was.user !== now.user)) {
    return { save: false, reason: 'other-account' };
  }
  return { save: true, text: currentText, parsed: current };
}

/** The `concurrency:` group that serialises every job using this secret. */
export function concurrencyGroup(secretName: string, target: SecretTarget): string {
  return `codex-login-${secretName}${target.environment ? `-${target.environment.replace(/\s+/g, '-')}` : ''}`;
}

/** Added to a `refresh-token-reused` annotation when write-back is on: the login was used twice at once. */
export function parallelUseHint(secretName: string, target: SecretTarget): string {
  return (
    ` With write-back on, this means another job or run used the same copy of ${secretName} at the same time ` +
    `(each refresh token works once). Serialise every workflow that uses this secret by adding:\n` +
    `concurrency:\n  group: ${concurrencyGroup(secretName, target)}\n  cancel-in-progress: false\n` +
    `Then store a fresh login once (run \`codex login\` on a trusted machine and put ~/.codex/auth.json in ${secretName}).`
  );
}

/** The error annotation when saving failed for good: the stored secret is now stale. */
export function staleSecretMessage(secretName: string, target: SecretTarget, cause: string): { title: string; message: string } {
  return {
    title: `codex-reauth: could not save the rotated login to ${secretName}`,
    message:
      `Codex rotated the ChatGPT login, but saving it to ${describeSecret(secretName, target)} failed: ${cause} ` +
      `The stored secret is now stale: its refresh token has been used, so the next run will fail with refresh-token-reused. ` +
      `Run \`codex login\` on a trusted machine and store the new ~/.codex/auth.json in ${secretName}.`,
  };
}

/** Thrown by `preflight` when write-back cannot work; the message names the input to fix. */
export class WritebackError extends Error {
  constructor(
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'WritebackError';
  }
}

/** What `saveIfRotated` did. */
export type SaveOutcome =
  | { updated: true; how: 'created' | 'updated' }
  | { updated: false; skipped: SkipReason }
  | { updated: false; failed: { title: string; message: string } };

/** The part of @actions/core write-back uses. */
export interface WritebackCore {
  setSecret(value: string): void;
  info(message: string): void;
  warning(message: string, properties?: { title?: string }): void;
}

/**
 * Main → post: `pending` once the preflight passed, `done` once the save has happened or failed. A
 * post step that finds `pending` (main was killed first) saves before auth.json is removed.
 */
export const WRITEBACK_STATE = 'authJsonSecret';

/** What main's core offers besides: inputs, outputs, error annotations, state. */
export interface WritebackStepCore extends WritebackCore, StateStore {
  getInput(name: string): string;
  setOutput(name: string, value: string | number): void;
  error(message: string, properties?: { title?: string }): void;
}

export interface AuthWritebackOptions {
  settings: WritebackSettings;
  /** What the action wrote to auth.json: the parsed login and `codex-auth-json` exactly as given. */
  stored: { parsed: AuthJson; raw: string };
  /** codex-home/auth.json. */
  authFile: string;
  core: WritebackCore;
  env?: NodeJS.ProcessEnv;
  /** Test seams: the HTTP transport, sleep, random bytes, the client factory. */
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  randomHex?: (bytes: number) => string;
  createClient?: (options: SecretsClientOptions) => Promise<SecretsClient>;
  clientOptions?: Partial<SecretsClientOptions>;
}

export interface AuthWriteback {
  /** Proves `secrets-token` can write the secret, without changing it. Throws WritebackError. */
  preflight(): Promise<void>;
  /**
   * Reads auth.json now; keeps it (and masks its tokens) if it is a rotation of the stored login. Call
   * it only when auth.json holds what the action wrote from `codex-auth-json` (or what codex made of
   * it): a login cached on a self-hosted runner is never the secret's to receive.
   */
  capture(): WritebackDecision;
  /**
   * Saves the newest captured rotation. Never throws. `quick`: one retry at most, for a cancelled
   * step that has seconds left.
   */
  saveIfRotated(options?: { quick?: boolean }): Promise<SaveOutcome>;
  /** Appended to a `refresh-token-reused` annotation: the copy was used twice at the same time. */
  readonly reusedHint: string;
}

/** A message as a sentence of its own: ends with a full stop. */
const asSentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Creates the write-back capability for one run. Nothing is loaded or requested until it is used. */
export function createAuthWriteback(options: AuthWritebackOptions): AuthWriteback {
  const { settings, core } = options;
  const { secretName, target } = settings;
  const form = storedForm(options.stored.raw);
  const randomHex = options.randomHex ?? ((bytes: number) => randomBytes(bytes).toString('hex'));
  let clientPromise: Promise<SecretsClient> | null = null;
  const client = (): Promise<SecretsClient> => {
    clientPromise ??= (options.createClient ?? createSecretsClient)({
      token: settings.token,
      target,
      fetch: options.fetch,
      sleep: options.sleep,
      env: options.env,
      onRetry: (message) => core.info(`codex-reauth: ${message}`),
      ...options.clientOptions,
    });
    return clientPromise;
  };
  let newest: { text: string; parsed: AuthJson } | null = null;
  let lastDecision: WritebackDecision | null = null;
  const masked = new Set<string>();

  const capture = (): WritebackDecision => {
    const decision = decideWriteback(newest?.parsed ?? options.stored.parsed, readText(options.authFile));
    if (decision.save) {
      // Mask before anything can print them: the tokens, the file, and the form it is stored in.
      const values = [...secretsToMask({ openaiApiKey: '', codexAuthJson: decision.text }), encodeLike(form, decision.text)];
      for (const value of values) {
        if (value.length >= 8 && !masked.has(value)) {
          masked.add(value);
          core.setSecret(value);
        }
      }
      newest = { text: decision.text, parsed: decision.parsed };
    }
    lastDecision = decision;
    return decision;
  };

  return {
    async preflight() {
      const described = describeSecret(secretName, target);
      try {
        const api = await client();
        if (!(await api.exists(secretName))) {
          throw new WritebackError(
            `codex-reauth: '${WRITEBACK_INPUTS.secret}' names no existing secret`,
            `${described.charAt(0).toUpperCase()}${described.slice(1)} does not exist. '${WRITEBACK_INPUTS.secret}' must name the secret that \`codex-auth-json\` comes from` +
              (target.environment === null
                ? `; if it is an environment secret, set '${WRITEBACK_INPUTS.environment}' to the environment's name (organization secrets are not supported).`
                : ', in that environment.'),
          );
        }
        // Create and delete a throwaway secret: proves write access without touching the stored login.
        const probe = `CODEX_REAUTH_PREFLIGHT_${randomHex(6).toUpperCase()}`;
        await api.put(probe, 'codex-reauth preflight: safe to delete');
        try {
          await api.delete(probe);
        } catch (error) {
          core.warning(
            `Could not delete the temporary secret ${probe}; delete it by hand. ${error instanceof Error ? error.message : ''}`,
            {
              title: 'codex-reauth: temporary secret left behind',
            },
          );
        }
        core.info(`secrets-token can write ${described}: a rotated login will be saved there.`);
      } catch (error) {
        if (error instanceof WritebackError) throw error;
        throw new WritebackError(
          `codex-reauth: 'secrets-token' cannot write ${secretName}`,
          `Write-back to ${described} is on, but checking that it can be written failed: ${asSentence(error instanceof Error ? error.message : String(error))} ` +
            `Nothing was run: codex would have rotated the login and the new one could not have been saved.`,
        );
      }
    },
    capture,
    reusedHint: parallelUseHint(secretName, target),
    async saveIfRotated(saveOptions = {}) {
      if (!newest) {
        const reason: SkipReason = lastDecision === null ? 'not-used' : lastDecision.save ? 'missing' : lastDecision.reason;
        core.info(`Not writing ${secretName} back: ${explainSkip(reason)}.`);
        return { updated: false, skipped: reason };
      }
      try {
        const how = await (await client()).put(secretName, encodeLike(form, newest.text), saveOptions.quick ? { retries: 1 } : {});
        core.info(`Saved the rotated ChatGPT login to ${describeSecret(secretName, target)} (${form === 'json' ? 'JSON' : form}).`);
        return { updated: true, how };
      } catch (error) {
        return { updated: false, failed: staleSecretMessage(secretName, target, error instanceof Error ? error.message : String(error)) };
      }
    },
  };
}

/** `secrets-token` and its encoded forms: masked before anything else is printed. */
export function writebackTokenToMask(getInput: (name: string) => string): string[] {
  const token = (getInput(WRITEBACK_INPUTS.token) ?? '').trim();
  if (!token) return [];
  // The token itself, its base64 forms, and the basic-auth form git and curl would send.
  const b64 = (value: string) => [Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')];
  return [...new Set([token, ...b64(token), ...b64(`x-access-token:${token}`)])];
}

/**
 * Main's entry: reads the write-back inputs (throws InputError) and, when on, creates the capability
 * for the login that came from `codex-auth-json`.
 */
export function setupWriteback(
  core: WritebackStepCore,
  env: NodeJS.ProcessEnv,
  settings: { codexHome: string; codexAuthJson: { parsed: AuthJson; raw: string } | null },
): AuthWriteback | null {
  const writeback = readWritebackSettings((name) => core.getInput(name), env, settings.codexAuthJson !== null);
  if (!writeback || !settings.codexAuthJson) return null;
  if (loginShape(settings.codexAuthJson.parsed) === 'access-only') {
    throw new InputError(
      WRITEBACK_INPUTS.secret,
      'is set, but `codex-auth-json` holds an access-only copy (`"refresh_token": ""`): a copy is never written back. Only the keeper, which holds the full login, sets it; remove `auth-json-secret` and `secrets-token` from this job.',
    );
  }
  return createAuthWriteback({
    settings: writeback,
    stored: settings.codexAuthJson,
    authFile: path.join(settings.codexHome, AUTH_FILE),
    core,
    env,
  });
}

/**
 * Runs the preflight before codex; on failure emits the one error annotation, sets the outputs and
 * the exit code, and returns false: the step must stop before codex rotates a login it cannot save.
 */
export async function preflightWriteback(writeback: AuthWriteback, core: WritebackStepCore): Promise<boolean> {
  try {
    await writeback.preflight();
    core.saveState(WRITEBACK_STATE, 'pending');
    return true;
  } catch (error) {
    const title = error instanceof WritebackError ? error.title : "codex-reauth: 'secrets-token' cannot write the secret";
    // The step ends before codex runs, with failure-kind `other`: the title says so, as every error's does.
    core.error(error instanceof Error ? error.message : String(error), { title: `${title} (other)` });
    core.setOutput('failure-kind', 'other');
    core.setOutput('attempts', 0);
    core.setOutput(WRITEBACK_OUTPUT, 'false');
    process.exitCode = 1;
    return false;
  }
}

/**
 * After the attempts, whatever their outcome: saves a rotated login, sets `auth-json-secret-updated`,
 * and on a final failure emits the stale-secret error annotation and fails the step.
 */
export async function finishWriteback(
  writeback: AuthWriteback,
  core: WritebackStepCore,
  options: { cancelled?: boolean } = {},
): Promise<void> {
  const outcome = await writeback.saveIfRotated({ quick: options.cancelled });
  core.setOutput(WRITEBACK_OUTPUT, outcome.updated ? 'true' : 'false');
  if ('failed' in outcome && options.cancelled) {
    // A cancelled step had seconds for one quick try; the post step tries again, with every retry.
    core.info('Could not save the rotated login before the step ends; the post step will try again.');
    return;
  }
  core.saveState(WRITEBACK_STATE, 'done');
  if ('failed' in outcome) {
    core.error(outcome.failed.message, { title: outcome.failed.title });
    process.exitCode = 1;
  }
}

/**
 * Whether the main step wrote auth.json in `codexHome`, the folder the post step's own inputs name:
 * only such a file can hold what codex made of codex-auth-json, so only then may the post step read it.
 */
export function wroteAuthFileIn(core: Pick<WritebackStepCore, 'getState'>, codexHome: string | null): codexHome is string {
  if (codexHome === null) return false;
  const authFile = path.join(path.resolve(codexHome), AUTH_FILE);
  const wrote = core.getState(STATE.wroteAuthFile);
  return (
    Boolean(wrote) && path.resolve(wrote) === authFile && path.resolve(core.getState(STATE.codexHome) || '.') === path.resolve(codexHome)
  );
}

/**
 * The post step's part, before it removes auth.json: when main was killed after the preflight and
 * before its save (a cancelled step whose main outlived the runner's patience), save now. Post
 * steps get the same inputs as main. `codexHome` is the folder the step's own inputs give (null when
 * they give none that is valid): the state's copy is trusted only when it names the same folder.
 * Never throws; never fails the post step.
 */
export async function finishPendingWriteback(core: WritebackStepCore, env: NodeJS.ProcessEnv, codexHome: string | null): Promise<void> {
  if (core.getState(WRITEBACK_STATE) !== 'pending' || !wroteAuthFileIn(core, codexHome)) return;
  for (const value of writebackTokenToMask((name) => core.getInput(name))) core.setSecret(value);
  try {
    const raw = core.getInput('codex-auth-json');
    const writeback = setupWriteback(core, env, { codexHome, codexAuthJson: { ...parseAuthJson(raw), raw } });
    if (!writeback) return;
    core.info('The main step ended before it could save the login codex rotated; saving it now.');
    writeback.capture();
    const outcome = await writeback.saveIfRotated();
    // An error annotation, not a failed post step: the run has already failed or been cancelled.
    if ('failed' in outcome) core.error(outcome.failed.message, { title: outcome.failed.title });
  } catch (error) {
    core.warning(`Could not save the rotated login: ${error instanceof Error ? error.message : String(error)}`, {
      title: 'codex-reauth: write-back in the post step failed',
    });
  }
}
