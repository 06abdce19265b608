/**
 * The keeper run: the one job that holds the full ChatGPT login. It makes codex refresh the login
 * when due (access-only.ts has the rule), writes the rotated login back to `auth-json-secret`
 * (auth-writeback.ts), and writes the access-only copy every other job uses to `access-only-secret`
 * (access-only-secret.ts). It runs no commands of the user's.
 *
 * Nothing is lost on any failure: both secrets are proven writable before codex refreshes anything;
 * a refresh token the token endpoint refuses leaves both secrets as they were; when a save fails, the
 * one annotation says what each secret holds now and what to do. A keeper killed midway leaves
 * `pending` state, and the post step saves what codex rotated (`finishPendingKeeper`).
 *
 * `runKeeper` takes its I/O as a small interface, so every path is tested with fakes.
 */
import type { AuthJson } from './auth-json.js';
import { parseAuthJson } from './auth-json.js';
import {
  accessOnlyCopy,
  accessTokenTimes,
  isoSeconds,
  REFRESH_DUE_WITHIN_MS,
  refreshDue,
  relativeTime,
  shortLifetimeWarning,
} from './access-only.js';
import {
  ACCESS_ONLY_OUTPUT,
  type AccessOnlySettings,
  type CopySecret,
  createCopySecret,
  readAccessOnlySettings,
} from './access-only-secret.js';
import { childEnvironment } from './child-env.js';
import { classifyMessage } from './classifier.js';
import { findOnPath } from './codex-shim.js';
import {
  accountOf,
  type AuthWriteback,
  readWritebackSettings,
  setupWriteback,
  WRITEBACK_OUTPUT,
  WRITEBACK_STATE,
  wroteAuthFileIn,
  WritebackError,
  type WritebackStepCore,
  writebackTokenToMask,
} from './auth-writeback.js';
import { createCodexRefresher, type LoginRefresher, refreshFailure, type RefreshRun } from './codex-refresh.js';
import type { SecretsClientOptions } from './github-secrets.js';
import { createCredentialStore } from './credentials.js';
import type { FailureKind } from './failure-kinds.js';
import { secretsToMask } from './secrets.js';
import { STATE } from './state.js';

/** The output with the access token's expiry (ISO 8601), on every run that used a ChatGPT login. */
export const EXPIRES_AT_OUTPUT = 'access-token-expires-at';

/** Main → post: `pending` once the preflights passed, `done` once the copy was written or its write failed. */
export const KEEPER_STATE = 'accessOnlySecret';

/** The part of @actions/core the keeper uses. */
export interface KeeperCore {
  info(message: string): void;
  warning(message: string, properties?: { title?: string }): void;
  setSecret(value: string): void;
  saveState(name: string, value: string): void;
}

export interface KeeperDependencies {
  core: KeeperCore;
  now(): Date;
  /** Waits `ms`; resolves early when `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal;
  /** The full login given as `codex-auth-json`. */
  login: AuthJson;
  /** Writes the full login to codex-home/auth.json for codex (and records it for the post step). */
  writeAuthFile(): void;
  /** null when no codex is on PATH. */
  refresher: LoginRefresher | null;
  /** The write-back of the full login to `auth-json-secret`. */
  fullLogin: AuthWriteback;
  fullSecretName: string;
  copy: CopySecret;
  /** Refresh tries when the token endpoint is in trouble (`max-attempts`), and the first wait between them. */
  maxAttempts: number;
  retryWaitMs: number;
}

export interface KeeperResult {
  /** `none` when everything the run had to do was done. */
  kind: FailureKind;
  /** Refresh runs of codex. */
  attempts: number;
  refreshed: boolean;
  fullSaved: boolean;
  copySaved: boolean;
  /** When the access token in the copy (or, when none was written, the login) expires. */
  expiresAt: Date | null;
  /** The one error annotation of a failed run. */
  failure: { title: string; message: string } | null;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const asSentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** "valid until 2026-12-09T10:00:00Z (in 2 days)", or "of unknown expiry". */
function validity(expiresAt: Date | null, now: Date): string {
  if (expiresAt === null) return 'of unknown expiry (its access token states none)';
  return expiresAt.getTime() > now.getTime()
    ? `valid until ${isoSeconds(expiresAt)} (${relativeTime(expiresAt, now)})`
    : `expired since ${isoSeconds(expiresAt)}`;
}

/** The kind of a refresh that the token endpoint failed or never answered. */
function transientKind(run: RefreshRun): FailureKind {
  const status = run.log.failedStatus;
  if (status === 429) return 'rate-limited';
  if (status !== null && status >= 500) return 'server-error';
  return status === null ? 'network' : 'refresh-failed';
}

/**
 * The kind of a refused refresh: codex 0.101 to 0.160 log the token endpoint's error code with the
 * status (`refresh_token_reused`, …); 0.169 and later only the status, which is `refresh-failed`.
 */
export function refusedKind(failureLine: string | null): FailureKind {
  const kind = failureLine ? classifyMessage(failureLine) : 'other';
  return kind === 'refresh-token-expired' || kind === 'refresh-token-reused' || kind === 'refresh-token-revoked' ? kind : 'refresh-failed';
}

/** Why codex did not even try, in words. */
function notAttempted(run: RefreshRun, timeoutNote: string): string {
  if (run.spawnError) return `could not be started (${run.spawnError})`;
  if (run.timedOut) return `did not answer ${timeoutNote}`;
  if (!run.answered) return `exited with code ${run.exitCode ?? 'unknown'} without answering`;
  if (run.errorMessage) return `answered with an error (${run.errorMessage})`;
  return 'answered without refreshing (`codex app-server` refreshes on request from codex 0.169 on; an older codex, or a login it does not take for a ChatGPT login)';
}

/** Runs the keeper. Never throws for what it expects (refusals, failed saves); emits info and warnings only. */
export async function runKeeper(deps: KeeperDependencies): Promise<KeeperResult> {
  const { core, copy, fullSecretName: FULL } = deps;
  const now = deps.now();
  const previous = accessTokenTimes(deps.login).expiresAt;
  const result: KeeperResult = {
    kind: 'none',
    attempts: 0,
    refreshed: false,
    fullSaved: false,
    copySaved: false,
    expiresAt: previous,
    failure: null,
  };
  const fail = (kind: FailureKind, title: string, message: string): KeeperResult => ({ ...result, kind, failure: { title, message } });
  const unchanged = `Nothing was written: ${FULL} still holds this login, and ${copy.description} is unchanged (a copy of this login's access token is ${validity(previous, now)}).`;

  // 1. Both secrets must be writable before codex spends the refresh token.
  try {
    await deps.fullLogin.preflight();
  } catch (error) {
    const title = error instanceof WritebackError ? error.title : `codex-reauth: 'secrets-token' cannot write ${FULL}`;
    return fail('other', title, `${errorText(error)} The keeper stopped before codex refreshed anything.`);
  }
  try {
    await copy.preflight();
  } catch (error) {
    return fail(
      'other',
      `codex-reauth: 'secrets-token' cannot write ${copy.secretName}`,
      `The keeper writes the access-only copy to ${copy.description}, but checking that it can be written failed: ${asSentence(errorText(error))} ` +
        `The keeper stopped before codex refreshed anything: a login it cannot hand on must not be refreshed. ${FULL} and ${copy.secretName} are unchanged.`,
    );
  }
  core.info(`secrets-token can write ${copy.description} and the full login's secret ${FULL}.`);
  core.saveState(WRITEBACK_STATE, 'pending');
  core.saveState(KEEPER_STATE, 'pending');
  const outcome = await refreshAndSave(deps, { now, previous, result, fail, unchanged });
  // A cancelled run leaves saving to the post step. So does a rotated login main could not save: its
  // old refresh token is spent, and auth.json on this runner is now the only copy of the new one, so
  // the post step tries once more before it removes that file.
  if (outcome.kind !== 'cancelled') {
    // (A copy that could not be written is not retried: the full login is safe, and the next keeper
    // run writes the copy; the post step saves the full login and then its copy.)
    const unsaved = outcome.refreshed && !outcome.fullSaved;
    core.saveState(KEEPER_STATE, unsaved ? 'pending' : 'done');
    core.saveState(WRITEBACK_STATE, unsaved ? 'pending' : 'done');
  }
  return outcome;
}

/** Step 2 and 3 of a keeper run, once both secrets are known to be writable: refresh when due, then save. */
async function refreshAndSave(
  deps: KeeperDependencies,
  ctx: {
    now: Date;
    previous: Date | null;
    result: KeeperResult;
    fail: (kind: FailureKind, title: string, message: string) => KeeperResult;
    unchanged: string;
  },
): Promise<KeeperResult> {
  const { core, copy, fullSecretName: FULL } = deps;
  const { now, previous, result, fail, unchanged } = ctx;
  // 2. Refresh when due.
  let current = deps.login;
  const due = refreshDue(deps.login, now);
  if (!due.due) {
    core.info(
      `The access token is ${validity(due.expiresAt, now)}: no refresh before it expires within ${REFRESH_DUE_WITHIN_MS / 86_400_000} days.`,
    );
  } else {
    core.info(
      due.reason === 'no-expiry'
        ? 'The access token states no expiry: asking codex to refresh the login.'
        : `The access token is ${validity(due.expiresAt, now)}: asking codex to refresh the login.`,
    );
    if (!deps.refresher) {
      return fail(
        'other',
        'codex-reauth: codex is not installed',
        `The keeper needs codex to refresh the login, and no codex is on PATH: install it in an earlier step (\`npm install -g @openai/codex\`, the version your other jobs use). ${unchanged}`,
      );
    }
    deps.writeAuthFile();
    for (;;) {
      result.attempts += 1;
      const run = await deps.refresher.refresh();
      const decision = deps.fullLogin.capture();
      if (decision.save) {
        current = decision.parsed;
        result.refreshed = true;
        core.info(`Codex refreshed the login (${Math.round(run.durationMs / 100) / 10} s).`);
        break;
      }
      if (run.cancelled || deps.signal?.aborted) return { ...result, kind: 'cancelled' };
      const failure = refreshFailure(run);
      const evidence = run.log.failureLine ? ` (codex: ${run.log.failureLine})` : '';
      if (decision.reason === 'other-account' || decision.reason === 'unknown-account') {
        return fail(
          'other',
          'codex-reauth: codex refreshed into another account',
          `After the refresh, auth.json holds a login whose ChatGPT account is not the one in ${FULL} (or cannot be told): it was not saved. ${unchanged}`,
        );
      }
      if (failure === 'refused') {
        return fail(
          refusedKind(run.log.failureLine),
          "codex-reauth: the keeper's ChatGPT login cannot be refreshed",
          `Codex could not refresh the ChatGPT login from ${FULL}${evidence}: the token endpoint refused its refresh token, which has been ` +
            `used by another holder of this login (a job or a person that refreshed it and did not write it back), has expired, or was revoked. ` +
            `${unchanged} To fix: run \`codex login\` on a trusted machine, store ~/.codex/auth.json in ${FULL} ` +
            `(\`gh secret set ${FULL} < ~/.codex/auth.json\`) and run this keeper again (workflow_dispatch). ` +
            `Only the keeper may hold the full login: every other job must use ${copy.secretName}.`,
        );
      }
      if (failure === 'not-attempted') {
        return fail(
          'other',
          'codex-reauth: codex did not refresh the ChatGPT login',
          `Asked to refresh the ChatGPT login from ${FULL}, codex ${notAttempted(run, 'in time')}. ${unchanged}`,
        );
      }
      if (result.attempts >= deps.maxAttempts) {
        const status = run.log.failedStatus;
        return fail(
          transientKind(run),
          'codex-reauth: the keeper could not refresh the ChatGPT login (the token endpoint failed)',
          `Codex tried to refresh the ChatGPT login from ${FULL} ${result.attempts} ${result.attempts === 1 ? 'time' : 'times'}, and the token endpoint ` +
            `${status === null ? 'did not answer' : `answered ${status}`}${evidence}. The refresh token was not spent. ${unchanged} ` +
            `The next keeper run tries again; run it by hand (workflow_dispatch) before the copy expires.`,
        );
      }
      const waitMs = deps.retryWaitMs * 2 ** (result.attempts - 1);
      core.info(`The token endpoint failed${evidence}; trying again in ${Math.round(waitMs / 100) / 10} s.`);
      await deps.sleep(waitMs, deps.signal);
      if (deps.signal?.aborted) return { ...result, kind: 'cancelled' };
    }
  }

  // 3. Save: the full login first (its old refresh token is spent), then the copy.
  let fullProblem: string | null = null;
  if (result.refreshed) {
    const outcome = await deps.fullLogin.saveIfRotated();
    if (outcome.updated) result.fullSaved = true;
    else fullProblem = 'failed' in outcome ? outcome.failed.message : `it was not saved (${outcome.skipped})`;
    const short = shortLifetimeWarning(current);
    if (short) core.warning(short.message, { title: short.title });
  }
  const copyText = accessOnlyCopy(current, accountOf(current).account, now);
  for (const value of secretsToMask({ openaiApiKey: '', codexAuthJson: copyText })) core.setSecret(value);
  const copyExpires = accessTokenTimes(current).expiresAt;
  let copyProblem: string | null = null;
  try {
    const how = await copy.put(copyText);
    result.copySaved = true;
    result.expiresAt = copyExpires;
    core.info(`Wrote the access-only copy to ${copy.description} (${how}); it is ${validity(copyExpires, now)}.`);
  } catch (error) {
    copyProblem = asSentence(errorText(error));
  }
  if (fullProblem === null && copyProblem === null) return result;

  // 4. One annotation that says what each secret holds now, and what to do.
  if (fullProblem !== null) {
    const copyState = copyProblem
      ? `Writing the access-only copy to ${copy.description} failed too: ${copyProblem} It still holds the previous copy (if the last keeper run succeeded, ${validity(previous, now)}).`
      : `${copy.description.charAt(0).toUpperCase()}${copy.description.slice(1)} was updated and is ${validity(copyExpires, now)}: the jobs using it keep working until then.`;
    return fail(
      'other',
      `codex-reauth: could not save the rotated login to ${FULL}`,
      `${fullProblem} ${copyState} The post step of this job tries to save the rotated login once more; if it says it could not either, then before the copy expires run \`codex login\` on a trusted machine, store ~/.codex/auth.json in ${FULL} and run this keeper again.`,
    );
  }
  const fullState = result.refreshed
    ? `Codex refreshed the login and it was saved to ${FULL}; the login saved there is not due for another refresh, so the next keeper run only writes the copy.`
    : `The login was not due for a refresh (${validity(copyExpires, now)}), so ${FULL} is unchanged.`;
  return fail(
    'other',
    `codex-reauth: could not write the access-only copy to ${copy.secretName}`,
    `${fullState} Writing the access-only copy to ${copy.description} failed: ${copyProblem} It still holds the previous copy ` +
      `(if the last keeper run succeeded, ${validity(previous, now)}). Fix the cause and run this keeper again (workflow_dispatch).`,
  );
}

/** What main's core offers the keeper step: inputs, outputs, errors, state, the summary. */
export interface KeeperStepCore extends WritebackStepCore {
  writeSummary(markdown: string): Promise<void>;
}

/** The keeper's job summary: what it found, did and wrote. Pure. */
export function keeperSummary(result: KeeperResult, names: { full: string; copy: string }, now: Date): string {
  const yes = (done: boolean) => (done ? 'yes' : 'no');
  const rows = [
    [
      'Refreshed the login',
      result.refreshed ? `yes (${result.attempts} ${result.attempts === 1 ? 'try' : 'tries'})` : result.attempts > 0 ? 'no' : 'not due',
    ],
    [`Saved the full login to ${names.full}`, yes(result.fullSaved)],
    [`Wrote the access-only copy to ${names.copy}`, yes(result.copySaved)],
    ['The access token is', validity(result.expiresAt, now)],
  ];
  const outcome =
    result.kind === 'none' ? '✅ The keeper kept the login.' : `❌ ${result.failure?.title.replace(/^codex-reauth: /, '') ?? result.kind}`;
  return [`### codex-reauth keeper`, '', outcome, '', '| | |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`), ''].join('\n');
}

/** Sets the outputs, the summary and the one error annotation of a keeper run; fails the step when it failed. */
export async function reportKeeper(
  result: KeeperResult,
  core: KeeperStepCore,
  names: { full: string; copy: string },
  now: Date,
): Promise<void> {
  core.setOutput('failure-kind', result.kind);
  core.setOutput('attempts', result.attempts);
  core.setOutput('exit-code', result.kind === 'none' ? 0 : 1);
  core.setOutput('recovered', 'false');
  core.setOutput('auth-method', 'chatgpt');
  core.setOutput(WRITEBACK_OUTPUT, result.fullSaved ? 'true' : 'false');
  core.setOutput(ACCESS_ONLY_OUTPUT, result.copySaved ? 'true' : 'false');
  if (result.expiresAt) core.setOutput(EXPIRES_AT_OUTPUT, isoSeconds(result.expiresAt));
  try {
    await core.writeSummary(keeperSummary(result, names, now));
  } catch (error) {
    core.warning(`Could not write the job summary (GITHUB_STEP_SUMMARY): ${errorText(error)}`, {
      title: 'codex-reauth: job summary not written',
    });
  }
  if (result.failure) {
    core.error(result.failure.message, { title: result.failure.title });
    process.exitCode = 1;
  } else if (result.kind === 'cancelled') {
    core.error('The step was cancelled while codex refreshed the login; the post step saves what codex rotated.', {
      title: 'codex-reauth: keeper cancelled',
    });
    process.exitCode = 1;
  }
}

/**
 * The post step's part for a keeper killed midway, after finishPendingWriteback saved the full login:
 * when auth.json holds a login codex rotated, write its access-only copy too. Same trust rules as
 * finishPendingWriteback (only the auth.json the action wrote, in the folder its inputs name). Never
 * throws; never fails the post step.
 */
export async function finishPendingKeeper(
  core: WritebackStepCore,
  env: NodeJS.ProcessEnv,
  codexHome: string | null,
  options: { now?: Date; clientOptions?: Partial<SecretsClientOptions> } = {},
): Promise<void> {
  if (core.getState(KEEPER_STATE) !== 'pending' || !wroteAuthFileIn(core, codexHome)) return;
  for (const value of writebackTokenToMask((name) => core.getInput(name))) core.setSecret(value);
  try {
    const raw = core.getInput('codex-auth-json');
    const writeback = setupWriteback(core, env, { codexHome, codexAuthJson: { ...parseAuthJson(raw), raw } });
    const settings = readAccessOnlySettings(
      (name) => core.getInput(name),
      writeback ? readWritebackSettings((name) => core.getInput(name), env, true) : null,
    );
    if (!writeback || !settings) return;
    const decision = writeback.capture();
    if (!decision.save) return; // codex rotated nothing: the copy in the secret is still this login's
    const copyText = accessOnlyCopy(decision.parsed, accountOf(decision.parsed).account, options.now ?? new Date());
    for (const value of secretsToMask({ openaiApiKey: '', codexAuthJson: copyText })) core.setSecret(value);
    const copy = createCopySecret({
      settings,
      token: core.getInput('secrets-token').trim(),
      env,
      log: core,
      clientOptions: options.clientOptions,
    });
    core.info('The main step ended before it wrote the access-only copy; writing it now.');
    await copy.put(copyText);
    core.info(`Wrote the access-only copy to ${copy.description}.`);
  } catch (error) {
    core.error(`Could not write the access-only copy in the post step: ${errorText(error)} Run the keeper again (workflow_dispatch).`, {
      title: 'codex-reauth: access-only copy not written',
    });
  }
}

/** A keeper run's inputs, once read and checked. */
export interface KeeperSetup {
  settings: AccessOnlySettings;
  writeback: AuthWriteback;
  fullSecretName: string;
  token: string;
}

/**
 * Reads the keeper's inputs: null when `access-only-secret` is empty (not a keeper run). Throws
 * InputError for a combination that cannot work (no write-back, the same secret twice, …).
 */
export function setupKeeper(core: WritebackStepCore, env: NodeJS.ProcessEnv, writeback: AuthWriteback | null): KeeperSetup | null {
  const writebackSettings = writeback ? readWritebackSettings((name) => core.getInput(name), env, true) : null;
  const settings = readAccessOnlySettings((name) => core.getInput(name), writebackSettings);
  if (!settings || !writeback || !writebackSettings) return null;
  return { settings, writeback, fullSecretName: writebackSettings.secretName, token: writebackSettings.token };
}

/** The whole refresh (app-server start, refresh, exit) gets this long when `timeout-minutes` sets no limit. */
export const KEEPER_REFRESH_TIMEOUT_MS = 2 * 60_000;

export interface KeeperStepOptions {
  core: KeeperStepCore;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  codexHome: string;
  login: { parsed: AuthJson; text: string };
  keeper: KeeperSetup;
  maxAttempts: number;
  retryWaitMs: number;
  /** `timeout-minutes` in ms (0: none, then KEEPER_REFRESH_TIMEOUT_MS per refresh). */
  timeoutMs: number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal;
  cwd: string;
}

/** Main's keeper run: wires the real codex, codex-home and the secrets into runKeeper, then reports. */
export async function runKeeperStep(options: KeeperStepOptions): Promise<void> {
  const { core, env, platform, codexHome, keeper } = options;
  core.saveState(STATE.codexHome, codexHome);
  // codex gets what a `run:` step would, plus CODEX_HOME: never the action's inputs (secrets).
  const codexEnv = childEnvironment(env, { CODEX_HOME: codexHome });
  const codexPath = findOnPath('codex', codexEnv, platform);
  const store = createCredentialStore({ codexHome, homedir: options.homedir, env: codexEnv, platform, codexExec: null });
  const copy = createCopySecret({ settings: keeper.settings, token: keeper.token, env, log: core });
  const now = new Date();
  const result = await runKeeper({
    core,
    now: () => now,
    sleep: options.sleep,
    signal: options.signal,
    login: options.login.parsed,
    writeAuthFile: () => {
      // Recorded before the file exists: if main dies mid-write, the post step still removes it.
      core.saveState(STATE.wroteAuthFile, store.authFile);
      store.writeAuthJson(options.login.text);
    },
    refresher: codexPath
      ? createCodexRefresher({
          codexPath,
          env: codexEnv,
          cwd: options.cwd,
          timeoutMs: options.timeoutMs > 0 ? options.timeoutMs : KEEPER_REFRESH_TIMEOUT_MS,
          killGraceMs: 3000,
          signal: options.signal,
          platform,
        })
      : null,
    fullLogin: keeper.writeback,
    fullSecretName: keeper.fullSecretName,
    copy,
    maxAttempts: options.maxAttempts,
    retryWaitMs: options.retryWaitMs,
  });
  await reportKeeper(result, core, { full: keeper.fullSecretName, copy: keeper.settings.secretName }, now);
}
