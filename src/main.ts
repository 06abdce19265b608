/**
 * The main step: read inputs, run the user's commands, and on an auth failure clear the stale
 * credentials, sign in from the next secret and run again; then report. Decisions come from the pure
 * modules (classifier.ts, recovery.ts); this file only carries them out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { childEnvironment } from './child-env.js';
import { codexPackageVersion } from './codex-version.js';
import { CodexOutputClassifier, LINE_START_BYTES } from './classifier.js';
import { type CodexShim, findOnPath, installCodexShim, prependToPath } from './codex-shim.js';
import { type CodexExec, createCredentialStore } from './credentials.js';
import { type FailureKind, isAuthKind } from './failure-kinds.js';
import { InputError, readSettings, type Settings } from './inputs.js';
import type { RunRequest, RunResult } from './process-runner.js';
import {
  type AuthMethod,
  attemptKind,
  chargeToCredential,
  decideNext,
  earlyStop,
  type EnvCredential,
  type OtherCause,
  otherCause,
  planFirstAttempt,
  type SecretCredential,
  type SignIn,
  type StopReason,
} from './recovery.js';
import { type SignInRejection, signInFromSecrets } from './sign-in.js';
import {
  type AttemptRecord,
  describeCredential,
  failureAnnotation,
  type FinalContext,
  recoveryWarning,
  summaryMarkdown,
} from './report.js';
import { secretsToMask } from './secrets.js';
import {
  accountOf,
  type AuthWriteback,
  finishWriteback,
  preflightWriteback,
  setupWriteback,
  WRITEBACK_OUTPUT,
  writebackTokenToMask,
} from './auth-writeback.js';
import { scriptExtension, scriptText, type ShellCommand, shellCommand } from './shell.js';
import { type IssueSettings, issueTokenToMask, readIssueSettings, trackCredentials } from './tracking-issues.js';
import { STATE, type StateStore, WORK_DIR_PREFIX } from './state.js';
import { defaultMainDependencies } from './actions-toolkit.js';
import { EXPIRES_AT_OUTPUT, type KeeperSetup, runKeeperStep, setupKeeper } from './keeper.js';
import { chatgptExpiry, isoSeconds } from './access-only.js';
import type { AuthJson } from './auth-json.js';

/** The part of @actions/core the action uses: tests pass a fake. */
export interface ActionCore extends StateStore {
  /** An input's value, trimmed unless `trimWhitespace` is false (as @actions/core does). */
  getInput(name: string, options?: { trimWhitespace?: boolean }): string;
  setOutput(name: string, value: string | number): void;
  setSecret(value: string): void;
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, properties?: { title?: string }): void;
  error(message: string, properties?: { title?: string }): void;
  startGroup(name: string): void;
  endGroup(): void;
  /** Appends Markdown to the job summary. */
  writeSummary(markdown: string): Promise<void>;
}

export interface MainDependencies {
  core: ActionCore;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Waits `ms`; resolves early when `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  runProcess(request: RunRequest): Promise<RunResult>;
  /** Runs a codex executable for `codex login` (stdin fed, output captured, never echoed). */
  codexExec(codexPath: string): CodexExec;
  /** Aborted when the runner cancels the step (it sends SIGINT, then SIGTERM 7.5 s later). */
  cancelSignal?: AbortSignal;
  /** The system's temporary folder: the work folder's fallback when RUNNER_TEMP is missing or read-only. */
  tmpdir?: string;
  /** Signal number → name, for "killed by SIGKILL" (os.constants.signals). */
  signalName?(signo: number): string | null;
}

/**
 * Time between SIGTERM and SIGKILL when an attempt is stopped. Short enough that a cancelled step's
 * tree is dead well within the 7.5 s the runner allows between its SIGINT and SIGTERM.
 */
export const KILL_GRACE_MS = 3000;

/** codex's default log filter plus the retry logger that names each retry's cause. */
export const CODEX_RUST_LOG = 'error,codex_core::responses_retry=warn';

/** Replaces every secret in `text` (for text that goes to the summary, which the runner does not mask). */
function redactor(secrets: readonly string[]): (text: string) => string {
  return (text) => secrets.reduce((acc, secret) => acc.split(secret).join('***'), text);
}

interface AttemptOutcome {
  result: RunResult;
  kind: FailureKind;
  evidence: string | null;
  cause: OtherCause | null;
  /** Stopped at codex's first retry of a cause no retry can fix. */
  stoppedEarly: boolean;
  /** codex completed a turn in this attempt and no codex run failed (what closes a tracking issue). */
  codexAccepted: boolean;
}

/** Runs the action's main step. Never throws: failures become an annotation and exit code 1. */
export async function run(deps: MainDependencies = defaultMainDependencies()): Promise<void> {
  const { core } = deps;
  // Mask first: nothing may be printed before the runner knows every secret and derived value.
  const secrets = secretsToMask({
    openaiApiKey: core.getInput('openai-api-key'),
    codexAuthJson: core.getInput('codex-auth-json'),
    codexAccessTokens: [core.getInput('codex-access-token'), deps.env.CODEX_ACCESS_TOKEN ?? ''],
  });
  secrets.unshift(...writebackTokenToMask((name) => core.getInput(name)), ...issueTokenToMask((name) => core.getInput(name)));
  for (const secret of secrets) core.setSecret(secret);
  const redact = redactor(secrets);

  let settings: Settings;
  let writeback: AuthWriteback | null;
  let issues: IssueSettings | null;
  let keeper: KeeperSetup | null;
  try {
    settings = readSettings({
      getInput: (name, options) => core.getInput(name, options),
      env: deps.env,
      platform: deps.platform,
      homedir: deps.homedir,
    });
    writeback = setupWriteback(core, deps.env, settings);
    issues = readIssueSettings((name) => core.getInput(name), deps.env);
    keeper = setupKeeper(core, deps.env, writeback);
  } catch (error) {
    if (error instanceof InputError) return failBeforeStart(core, `codex-reauth: invalid input '${error.input}' (other)`, error.message);
    // Not a mistake in an input we know of (a JSON nested too deep to handle): one clear line, and
    // never the value, which may be a secret.
    return failBeforeStart(
      core,
      'codex-reauth: could not read the inputs (other)',
      `Could not read the inputs: ${redact(errorText(error))}\nFix: check the values passed under \`with:\`: one of them could not be read at all (for example a JSON value nested too deeply).`,
    );
  }

  // A keeper run refreshes the ChatGPT login and writes its access-only copy; it runs no commands (keeper.ts).
  if (keeper && settings.codexAuthJson) {
    try {
      await runKeeperStep({
        core,
        env: deps.env,
        platform: deps.platform,
        homedir: deps.homedir,
        sleep: deps.sleep,
        signal: deps.cancelSignal,
        codexHome: settings.codexHome,
        login: settings.codexAuthJson,
        keeper,
        maxAttempts: settings.maxAttempts,
        retryWaitMs: settings.retryWaitMs,
        timeoutMs: settings.timeoutMs,
        cwd: deps.env.GITHUB_WORKSPACE || process.cwd(),
      });
    } catch (error) {
      core.error(redact(errorText(error)), { title: 'codex-reauth: could not run the keeper (other)' });
      process.exitCode = 1;
    }
    return;
  }

  let workDir: string;
  try {
    workDir = makeWorkDir([deps.env.RUNNER_TEMP, deps.tmpdir ?? os.tmpdir()]);
  } catch (error) {
    return failBeforeStart(
      core,
      'codex-reauth: no writable temporary folder (other)',
      `Could not create a private work folder in RUNNER_TEMP or the system's temporary folder: ${errorText(error)}\nFix: give the runner a writable RUNNER_TEMP (or temporary folder) with room on its disk.`,
    );
  }
  try {
    // Saved before anything is written, so the post step can clean up even if main is killed.
    core.saveState(STATE.workDir, workDir);
    core.saveState(STATE.codexHome, settings.codexHome);
    const ended = await runAttempts(deps, settings, workDir, redact, writeback);
    // After the report, and whatever it finds: tracking issues never change how the run ends.
    if (issues && ended)
      await trackCredentials(issues, { ...ended, settings, getInput: (name) => core.getInput(name) }, { core, env: deps.env, redact });
  } catch (error) {
    // Anything unforeseen still ends as one clear annotation, never a bare stack trace.
    core.error(redact(errorText(error)), { title: 'codex-reauth: could not run the step (other)' });
    process.exitCode = 1;
  } finally {
    // The script file may hold secrets expanded into `run`; the shim is only for this step.
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** Ends the step before anything ran: one error annotation, and the outputs that say nothing ran. */
function failBeforeStart(core: ActionCore, title: string, message: string): void {
  core.error(message, { title });
  core.setOutput('failure-kind', 'other');
  core.setOutput('attempts', 0);
  process.exitCode = 1;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A private (0700) work folder for the script file and the shim, in the first of `roots` that works:
 * RUNNER_TEMP on a runner, else the system's temporary folder (a self-hosted runner with a missing or
 * read-only RUNNER_TEMP). The post step accepts either parent.
 */
function makeWorkDir(roots: ReadonlyArray<string | undefined>): string {
  let lastError: unknown = new Error('no temporary folder is set');
  for (const root of roots) {
    if (!root) continue;
    try {
      return fs.mkdtempSync(path.join(root, WORK_DIR_PREFIX));
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function runAttempts(
  deps: MainDependencies,
  settings: Settings,
  workDir: string,
  redact: (text: string) => string,
  writeback: AuthWriteback | null,
): Promise<RunEnd | null> {
  const { core } = deps;
  const cancel = deps.cancelSignal;
  const realCodex = findOnPath('codex', deps.env, deps.platform);
  const shim: CodexShim | null = realCodex ? installCodexShim(realCodex, workDir, deps.platform) : null;
  if (!realCodex) core.info('codex is not on PATH yet; the run script is expected to install it.');

  // What a `run:` step would get, plus CODEX_HOME: never the action's INPUT_* (secrets) or the
  // runner's internal tokens. codex login gets the same.
  let env = childEnvironment(deps.env, { CODEX_HOME: settings.codexHome });
  // On Windows the variable may be spelled `Path`: prependToPath keeps the one spelling there is.
  if (shim) env = prependToPath(env, shim.binDir, deps.platform);
  // In human mode codex prints `Reconnecting... 1/5` without its cause; its retry logger names the
  // cause, so a dead key is known at the first retry instead of after all of them. `error` keeps
  // codex's default output (RUST_LOG replaces the default filter); the cost is one line per retry.
  // A RUST_LOG the user chose is left alone.
  if (env.RUST_LOG === undefined) env.RUST_LOG = CODEX_RUST_LOG;

  const store = createCredentialStore({
    codexHome: settings.codexHome,
    homedir: deps.homedir,
    env,
    platform: deps.platform,
    codexExec: realCodex ? deps.codexExec(realCodex) : null,
    codexVersion: realCodex ? codexPackageVersion(realCodex) : null,
  });

  const scriptPath = path.join(workDir, `run-${randomBytes(4).toString('hex')}${scriptExtension(settings.shell)}`);
  fs.writeFileSync(scriptPath, scriptText(settings.shell, settings.run), { mode: 0o700 });
  const shell = shellCommand(settings.shell, scriptPath);

  // Before codex can rotate the login: a login that cannot be saved must not be spent.
  if (writeback && !(await preflightWriteback(writeback, core))) return null;
  // The script runs with CODEX_HOME set to it, and codex refuses a CODEX_HOME that does not exist
  // (a run with no credential to sign in with, such as a pull request from a fork, never creates it).
  store.ensureHome();
  // codex uses a CODEX_API_KEY or CODEX_ACCESS_TOKEN in the environment before anything signed in:
  // attempts run with it.
  const envCredential: EnvCredential | null = env.CODEX_API_KEY?.trim()
    ? 'env'
    : env.CODEX_ACCESS_TOKEN?.trim()
      ? 'env-access-token'
      : null;
  const plan = planFirstAttempt(settings.login, store.hasCachedCredentials(), settings.secrets);
  const tried = new Set<SecretCredential>();
  const records: AttemptRecord[] = [];
  const waits: number[] = [];
  let method: AuthMethod = plan.method;
  let signIn: SignIn | null = plan.signIn;
  let transientRetries = 0;
  let attempt = 0;
  let reason: StopReason = 'succeeded';
  let signInError: string | null = null;
  let signInFix: string | null = null;
  let cause: OtherCause | null = null;
  // A credential refused when signing in: recorded for the report, though the script did not run.
  const rejectionRecord = (r: Omit<SignInRejection, 'credential'> & { credential: AuthMethod }, cleared: string[]): AttemptRecord => ({
    attempt: attempt === 0 ? 1 : attempt,
    method: r.credential,
    exitCode: r.exitCode,
    kind: r.kind,
    durationMs: r.durationMs,
    evidence: r.evidence,
    cleared,
    signInOnly: true,
  });

  // A workspace access token in the environment that codex refuses would make `codex exec` go on
  // unauthenticated and end in a bare 401 after seconds of retries: ask first, and name it.
  if (envCredential === 'env-access-token') {
    const started = performance.now();
    const check = await store.checkEnvAccessToken();
    if (check.check === 'rejected') {
      const durationMs = Math.round(performance.now() - started);
      const evidence = check.evidence ? redact(check.evidence) : null;
      records.push(
        rejectionRecord(
          { credential: 'env-access-token', kind: 'access-token-invalid', exitCode: check.exitCode, durationMs, evidence },
          [],
        ),
      );
      reason = 'env-credential';
    }
  }

  // (Nothing runs when the environment's own credential was refused: codex would use it again.)
  while (reason !== 'env-credential') {
    if (cancel?.aborted) {
      reason = 'cancelled';
      break;
    }
    attempt += 1;
    let cleared: string[] = [];
    if (signIn) {
      // After a failed attempt the legacy folders go too; on a first sign-in nothing has failed yet.
      cleared = store.clear({ legacy: records.length > 0 });
      if (cleared.length > 0) core.info(`Cleared cached credentials: ${cleared.join(', ')}`);
      const signedIn = await signInFromSecrets({ core, store, redact }, settings, signIn.credential, tried);
      for (const rejection of signedIn.rejections) records.push(rejectionRecord(rejection, cleared));
      if (signedIn.status === 'failed') {
        signInError = signedIn.error;
        signInFix = signedIn.fix;
        break;
      }
      if (signedIn.status === 'rejected') {
        reason = 'no-credential-left';
        break;
      }
      method = signedIn.credential;
      core.info(`Signed in with ${describeCredential(method, settings.codexHome)}.`);
    }

    core.startGroup(
      `codex-reauth: attempt ${attempt} of ${settings.maxAttempts} (credentials: ${describeCredential(method, settings.codexHome)})`,
    );
    shim?.reset();
    const last = await runOnce(deps, settings, shell, env, shim, envCredential ?? method);
    // Before a sign-in can replace auth.json: a rotation of codex-auth-json's login is kept (and masked) now.
    if (method === 'chatgpt') writeback?.capture();
    core.endGroup();
    const evidence = last.evidence ? redact(last.evidence) : null;
    records.push({
      attempt,
      method: envCredential ?? method,
      exitCode: last.result.exitCode,
      kind: last.kind,
      durationMs: last.result.durationMs,
      evidence,
      cleared,
      stoppedEarly: last.stoppedEarly,
      codexAccepted: last.codexAccepted,
    });
    cause = last.cause;
    if (last.kind === 'cancelled') {
      core.info(`Attempt ${attempt} was stopped: the step was cancelled.`);
    } else if (last.kind !== 'none') {
      core.info(
        `Attempt ${attempt} failed: ${last.kind} (exit code ${last.result.exitCode}).${evidence ? ` Codex said: ${evidence}` : ''}`,
      );
    }

    const decision = decideNext(last.kind, {
      attempt,
      maxAttempts: settings.maxAttempts,
      method,
      secrets: settings.secrets,
      tried,
      transientRetries,
      retryWaitMs: settings.retryWaitMs,
      envCredential,
    });
    if (decision.action === 'stop') {
      reason = decision.reason;
      break;
    }
    signIn = decision.signIn;
    if (signIn) {
      core.info(`Clearing the cached credentials and signing in with ${describeCredential(signIn.credential, settings.codexHome)}.`);
    } else {
      transientRetries += 1;
      core.info(`Retrying in ${Math.round(decision.waitMs / 100) / 10} s with the same credentials.`);
    }
    waits[attempt] = decision.waitMs;
    if (decision.waitMs > 0) await deps.sleep(decision.waitMs, cancel);
  }

  // Saved whatever the outcome (the script may fail after codex rotated the login), before the report.
  if (writeback) await finishWriteback(writeback, core, { cancelled: reason === 'cancelled' });
  else core.setOutput(WRITEBACK_OUTPUT, 'false');
  // Every run that tried the ChatGPT login says when its access token expires (issue 22).
  if (tried.has('chatgpt') && settings.codexAuthJson) setExpiresAtOutput(core, store.authFile, settings.codexAuthJson.parsed);
  const reusedHint = writeback?.reusedHint ?? '';
  return report(deps, settings, { records, waits, reason, tried, signInError, signInFix, method, cause, reusedHint });
}

/** `access-token-expires-at`: the ChatGPT login's access token, as auth.json holds it now (codex may have refreshed it). */
function setExpiresAtOutput(core: ActionCore, authFile: string, given: AuthJson): void {
  let text: string | null = null;
  try {
    text = fs.readFileSync(authFile, 'utf8');
  } catch {
    // removed or never written: the given login says it
  }
  const expiresAt = chatgptExpiry(text, given, (a, b) => accountOf(a).account === accountOf(b).account);
  if (expiresAt) core.setOutput(EXPIRES_AT_OUTPUT, isoSeconds(expiresAt));
}

async function runOnce(
  deps: MainDependencies,
  settings: Settings,
  shell: ShellCommand,
  env: NodeJS.ProcessEnv,
  shim: CodexShim | null,
  method: AuthMethod,
): Promise<AttemptOutcome> {
  const classifier = new CodexOutputClassifier();
  const cwd = deps.env.GITHUB_WORKSPACE || process.cwd();
  const early: { at: { kind: FailureKind; line: string } | null } = { at: null };
  const result = await deps
    .runProcess({
      command: shell.command,
      args: shell.args,
      cwd,
      env,
      timeoutMs: settings.timeoutMs,
      killGraceMs: KILL_GRACE_MS,
      signal: deps.cancelSignal,
      windowsVerbatimArguments: shell.windowsVerbatimArguments,
      stdout: deps.stdout,
      stderr: deps.stderr,
      lineStartBytes: LINE_START_BYTES,
      // Stop at the first retry whose cause waiting cannot fix (a rejected key, a dead refresh token):
      // codex would only repeat it, for seconds against a distant server. Never on 429, 5xx or network.
      // And only when the dead credential can be the one in use: anything else is quoted text.
      onLine: (line) => {
        classifier.push(line);
        const stop = earlyStop(classifier.decisiveRetry, classifier.authRetry, method);
        if (stop) early.at = { kind: stop.kind, line: stop.evidence.line };
        return stop !== null;
      },
      platform: deps.platform,
    })
    .catch((error: NodeJS.ErrnoException) => {
      // spawn says ENOENT for a missing working folder too: name the right one.
      if (error.code === 'ENOENT' && !fs.existsSync(cwd))
        throw new Error(
          `The working folder '${cwd}' (GITHUB_WORKSPACE) does not exist: check out the repository first, or fix GITHUB_WORKSPACE.`,
        );
      if (error.code === 'ENOENT')
        throw new Error(`The shell '${settings.shell}' (${shell.command}) was not found on PATH: install it or choose another \`shell\`.`);
      throw error;
    });
  const stoppedAt = result.stopped ? early.at : null;
  if (stoppedAt) deps.core.info(`Stopped this attempt at codex's first retry: ${stoppedAt.kind} cannot get better by retrying.`);
  const verdict = classifier.verdict;
  const codexExitCodes = shim ? shim.exitCodes() : null;
  const kind = chargeToCredential(
    attemptKind({
      exitCode: result.exitCode,
      cancelled: result.cancelled,
      timedOut: result.timedOut,
      stoppedEarly: stoppedAt?.kind ?? null,
      verdict: verdict?.kind ?? null,
      verdictIsCodexs: verdict?.verbatim ?? false,
      codexExitCodes,
    }),
    method,
  );
  const evidence =
    kind === 'timeout' || kind === 'none' || kind === 'other' || kind === 'cancelled' ? null : (stoppedAt?.line ?? verdict?.line ?? null);
  const cause =
    kind === 'other'
      ? otherCause({
          exitCode: result.exitCode,
          signal: result.signal,
          codexExitCodes,
          codexOnPath: shim !== null || findOnPath('codex', env, deps.platform) !== null,
          signalName: deps.signalName ?? (() => null),
        })
      : null;
  // A script that exits 0 says nothing about the credential unless codex itself completed a turn
  // (`codex exec … || true`, or a script that runs codex only sometimes, exits 0 too).
  const codexAccepted = classifier.turnsCompleted > 0 && (codexExitCodes === null || codexExitCodes.every((code) => code === 0));
  return { result, kind, evidence, cause, stoppedEarly: stoppedAt !== null, codexAccepted };
}

interface RunSummary {
  records: AttemptRecord[];
  waits: number[];
  reason: StopReason;
  tried: ReadonlySet<SecretCredential>;
  signInError: string | null;
  signInFix: string | null;
  method: AuthMethod;
  /** Why the last attempt ended, when it was `other` for a reason that is not the script's. */
  cause: OtherCause | null;
  /** With write-back on: added to a refresh-token-reused annotation (the copy was used twice at once). */
  reusedHint: string;
}

/** How a run ended, for what comes after the report. */
interface RunEnd {
  records: readonly AttemptRecord[];
  finalKind: FailureKind;
  recovered: boolean;
}

async function report(deps: MainDependencies, settings: Settings, run: RunSummary): Promise<RunEnd> {
  const { core } = deps;
  const { records } = run;
  const lastRecord = records.at(-1);
  const finalKind: FailureKind = run.reason === 'cancelled' ? 'cancelled' : run.signInError ? 'other' : (lastRecord?.kind ?? 'other');
  const recovered = finalKind === 'none' && records.some((r) => isAuthKind(r.kind));

  // A credential refused when signing in is in the records, but the script did not run with it.
  const attempts = records.filter((r) => !r.signInOnly);
  core.setOutput('exit-code', attempts.at(-1)?.exitCode ?? 1);
  core.setOutput('attempts', attempts.length);
  core.setOutput('failure-kind', finalKind);
  core.setOutput('recovered', recovered ? 'true' : 'false');
  core.setOutput('auth-method', lastRecord?.method ?? run.method);

  if (finalKind === 'none') {
    // A few warnings at most: only 10 per level show for a step.
    for (let i = 0; i < records.length - 1 && i < 5; i++) {
      const warning = recoveryWarning(records[i], records[i + 1], settings.codexHome, run.waits[records[i].attempt] ?? 0);
      const hint = records[i].kind === 'refresh-token-reused' ? run.reusedHint : '';
      core.warning(warning.message + hint, { title: warning.title });
    }
  }

  const final: FinalContext = {
    kind: finalKind,
    method: lastRecord?.method ?? run.method,
    evidence: lastRecord?.evidence ?? null,
    exitCode: lastRecord?.exitCode ?? 1,
    attempts: attempts.length,
    maxAttempts: settings.maxAttempts,
    reason: run.reason,
    triedSecrets: [...run.tried],
    codexHome: settings.codexHome,
    timeoutMinutes: settings.timeoutMs / 60_000,
    cause: run.cause,
    records,
    signInError: run.signInError,
    signInFix: run.signInFix,
  };
  try {
    await core.writeSummary(summaryMarkdown(records, final, recovered));
  } catch (error) {
    // The summary is a convenience: the annotation below still tells the story.
    core.warning(
      `Could not write the job summary (GITHUB_STEP_SUMMARY): ${errorText(error)}\nFix: nothing for this run (the annotations tell what happened); on a self-hosted runner, check that the runner's work folder is writable and has room.`,
      {
        title: 'codex-reauth: job summary not written',
      },
    );
  }

  if (finalKind !== 'none') {
    const annotation = failureAnnotation(final);
    core.error(annotation.message + (finalKind === 'refresh-token-reused' ? run.reusedHint : ''), { title: annotation.title });
    process.exitCode = 1;
  }
  return { records, finalKind, recovered };
}
