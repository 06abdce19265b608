/**
 * What a person reads when a job fails or recovers: the error annotation, the warnings, and the job
 * summary. Pure text building; main.ts hands the results to @actions/core.
 */
import type { FailureKind } from './failure-kinds.js';
import { isAuthKind } from './failure-kinds.js';
import type { AuthMethod, OtherCause, SecretCredential, StopReason } from './recovery.js';
import { codeSpan, escapeHtml, escapeInline } from './markdown.js';

export { escapeHtml };

/** One attempt, as the summary shows it. */
export interface AttemptRecord {
  attempt: number;
  method: AuthMethod;
  exitCode: number;
  kind: FailureKind;
  durationMs: number;
  evidence: string | null;
  /** Credential files deleted before this attempt. */
  cleared: string[];
  /**
   * The credential was refused when the action signed in with it (codex's check of a workspace access
   * token), so the script did not run with it: `exitCode` and `durationMs` are the check's.
   */
  signInOnly?: boolean;
  /** The attempt was stopped at codex's first retry of a cause no retry can fix (the early verdict). */
  stoppedEarly?: boolean;
  /** codex completed a turn in this attempt and no codex run failed: it accepted the credential. */
  codexAccepted?: boolean;
}

export interface Annotation {
  title: string;
  message: string;
}

/** Plain words for a credential, naming the input it came from. */
export function describeCredential(method: AuthMethod, codexHome: string): string {
  switch (method) {
    case 'chatgpt':
      return 'the ChatGPT login in `codex-auth-json`';
    case 'api-key':
      // Only the input's name: the action cannot know which secret the workflow passed to it.
      return 'the API key in `openai-api-key`';
    case 'access-token':
      return 'the workspace access token in `codex-access-token`';
    case 'cached':
      return `the credentials cached on the runner (${codeSpan(`${codexHome}/auth.json`)})`;
    case 'none':
      return 'no credentials';
    case 'env':
      return 'the API key in the `CODEX_API_KEY` environment variable';
    case 'env-access-token':
      return 'the workspace access token in the `CODEX_ACCESS_TOKEN` environment variable';
  }
}

/** The input each secret credential comes from. */
export const CREDENTIAL_INPUT: Record<SecretCredential, string> = {
  chatgpt: 'codex-auth-json',
  'access-token': 'codex-access-token',
  'api-key': 'openai-api-key',
};

const STORE_AUTH_JSON =
  'run `codex login` on a trusted machine and store the new `~/.codex/auth.json` in the secret passed as `codex-auth-json` (`gh secret set <name> < ~/.codex/auth.json`); for CI an API key in `openai-api-key` is sturdier';

const TITLES: Record<FailureKind, string> = {
  none: 'Succeeded',
  'refresh-token-expired': 'Codex refresh token expired',
  'refresh-token-reused': 'Codex refresh token already used',
  'refresh-token-revoked': 'Codex refresh token revoked',
  'refresh-failed': 'Codex could not refresh its access token',
  'api-key-invalid': 'OpenAI API key rejected',
  'access-token-invalid': 'Workspace access token rejected',
  'access-token-expired': 'Access-only ChatGPT login expired',
  unauthorized: 'Codex credentials rejected (401 Unauthorized)',
  'not-logged-in': 'Codex is not signed in',
  'permission-denied': 'Codex credentials lack permission',
  'usage-limit': 'Usage limit or quota reached',
  'rate-limited': 'Rate limited',
  'server-error': 'OpenAI server errors',
  network: 'Codex could not reach the API',
  timeout: 'Attempt timed out',
  cancelled: 'Step cancelled',
  other: 'Run failed',
};

/** What died and why, in one sentence. */
export function whatHappened(
  kind: FailureKind,
  credential: string,
  detail: { exitCode: number; timeoutMinutes: number; cause?: OtherCause | null; evidence?: string | null },
): string {
  switch (kind) {
    case 'none':
      return 'The run succeeded.';
    case 'refresh-token-expired':
      return `The refresh token in ${credential} has expired.`;
    case 'refresh-token-reused':
      return `The refresh token in ${credential} was already used: another run or job refreshed this copy first, and refresh tokens are single-use.`;
    case 'refresh-token-revoked':
      return `The refresh token in ${credential} was revoked (a logout, a password change, or a newer login replaced it).`;
    case 'refresh-failed':
      return `Codex could not refresh the access token in ${credential}, and did not say why.`;
    case 'api-key-invalid':
      return `${capitalise(credential)} was rejected as revoked, expired or mistyped.`;
    case 'access-token-invalid':
      return `${capitalise(credential)} was rejected (401 Unauthorized) as revoked, expired or mistyped. Workspace access tokens are never refreshed: only a new token helps.`;
    case 'access-token-expired':
      // The evidence is the action's own check (access-only.ts): when the copy expired, and since when its keeper has not refreshed it.
      return `${detail.evidence ?? `${capitalise(credential)} is an access-only copy whose access token has expired.`} A copy is never refreshed by the jobs that use it, so codex was not run with it.`;
    case 'unauthorized':
      return `The API answered 401 Unauthorized to ${credential} without naming a cause (for example a rejected ChatGPT access token).`;
    case 'not-logged-in':
      return credential === describeCredential('none', '')
        ? 'Codex sent no credentials: none were in place (nothing cached on the runner, nothing signed in).'
        : `Codex sent no credentials although ${credential} was in place: codex could not use it (it ignores a login file it cannot read, and drops an access token its check refuses).`;
    case 'permission-denied':
      return `${capitalise(credential)} was accepted but lacks permission for this request (for example a restricted key without the \`api.responses.write\` scope).`;
    case 'usage-limit':
      return `The account behind ${credential} hit its plan's usage limit or its API quota.`;
    case 'rate-limited':
      return 'The API answered 429 Too Many Requests on every attempt.';
    case 'server-error':
      return 'The API answered with server errors on every attempt.';
    case 'network':
      return 'Codex could not reach the API.';
    case 'timeout':
      return `The attempt ran past \`timeout-minutes\` (${formatMinutes(detail.timeoutMinutes)}) and was stopped, with every process it had started.`;
    case 'cancelled':
      return 'The step was cancelled. Codex and every process the script started were stopped (SIGTERM, then SIGKILL), and nothing was retried.';
    case 'other':
      if (detail.cause?.kind === 'codex-not-found')
        return `The run script could not find codex (exit code ${detail.exitCode}, "command not found"): no \`codex\` was on \`PATH\` before or after it ran. This is not a credential problem.`;
      if (detail.cause?.kind === 'killed')
        return `A process in the run script (codex or a command it started) was killed by ${detail.cause.signal} (exit code ${detail.cause.exitCode}), a signal codex-reauth did not send: often the out-of-memory killer. This is not a credential problem, so it was not re-run.`;
      return `The run script exited with code ${detail.exitCode}, and codex reported no authentication or API failure: this is the script's own failure, so it was not re-run.`;
  }
}

/** Exactly what to do about it. */
export function howToFix(kind: FailureKind, cause?: OtherCause | null): string {
  if (kind === 'other' && cause?.kind === 'codex-not-found')
    return 'Install codex before this step (`npm install -g @openai/codex`, after `actions/setup-node`) or at the start of `run`, and check the command name.';
  if (kind === 'other' && cause?.kind === 'killed')
    return 'Give the job more memory (a larger runner) or do less in one step; the log above shows what was running when it was killed.';
  switch (kind) {
    case 'none':
      return '';
    case 'refresh-token-expired':
    case 'refresh-token-revoked':
    case 'refresh-failed':
      return `Sign in again: ${STORE_AUTH_JSON}.`;
    case 'refresh-token-reused':
      return 'Store a fresh copy: run `codex login` on a trusted machine and save its `~/.codex/auth.json` in the secret passed as `codex-auth-json`. Do not share one copy between parallel jobs or runners (serialise them with `concurrency:`), or use an API key in `openai-api-key`, which does not rotate. To keep a ChatGPT login alive across runs, let the action save each rotated login back to its secret (`auth-json-secret` and `secrets-token`, see the README).';
    case 'api-key-invalid':
      return 'Create a new key at https://platform.openai.com/api-keys and update the secret passed as `openai-api-key`.';
    case 'access-token-expired':
      return 'Run the keeper workflow that writes this copy (workflow_dispatch) and look at why its scheduled runs stopped or failed: its own annotation says what to do (README: Many jobs, one ChatGPT login). The full login belongs to the keeper alone: never pass it to this job instead.';
    case 'access-token-invalid':
      return 'Ask a workspace admin for a new workspace access token (ChatGPT workspace settings; tokens can be revoked or expire there) and update the secret passed as `codex-access-token`.';
    case 'unauthorized':
      return `Sign in again: ${STORE_AUTH_JSON}; or check that the key in \`openai-api-key\` belongs to a project with access to this model.`;
    case 'not-logged-in':
      return NOT_LOGGED_IN_FIX;
    case 'permission-denied':
      return "Give the key the permissions codex needs (write access to the Responses API) or use an unrestricted key, and check the account's role in the organization. Signing in again with the same key cannot help.";
    case 'usage-limit':
      return 'Wait for the limit to reset, raise it (plan or billing settings), or use another account. The credentials work, so they were left alone.';
    case 'rate-limited':
      return 'Run fewer codex jobs at once, raise `retry-wait-seconds` or `max-attempts`, or ask for a higher rate limit.';
    case 'server-error':
      return 'This is usually temporary: re-run the job later, and check https://status.openai.com.';
    case 'network':
      return "Check the runner's network, proxy (`HTTPS_PROXY`) and firewall for the OpenAI API hosts.";
    case 'timeout':
      return 'Raise `timeout-minutes` if the work needs longer; otherwise see the log for where it stalled (codex waits for the network without end).';
    case 'cancelled':
      return 'Nothing to fix: re-run the job when you want it to run.';
    case 'other':
      return 'See the log above for the failing command.';
  }
}

/** Minutes as a person says them: "5 minutes", "1 minute", "0.5 minutes". */
function formatMinutes(minutes: number): string {
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What to do when no credential reached codex. The usual cause is a pull request from a fork, whose
 * workflows get no secrets (and Dependabot's get only Dependabot secrets), so every input is empty.
 */
const NOT_LOGGED_IN_FIX =
  "Pass a credential from a secret: `codex-auth-json`, `codex-access-token` or `openai-api-key`. If they are set and still empty, this run probably came from a fork: GitHub passes no secrets to workflows triggered by pull requests from forks, and runs started by Dependabot get only Dependabot secrets. Skip the codex step there (`if: github.event.pull_request.head.repo.full_name == github.repository`). Do not switch to `pull_request_target` to get the secrets: it runs with the base repository's secrets, and checking out and running the fork's code there hands them to whoever opened the pull request.";

const ENV_VARIABLE: Record<'env' | 'env-access-token', string> = { env: 'CODEX_API_KEY', 'env-access-token': 'CODEX_ACCESS_TOKEN' };

const STOP_NOTES: Partial<Record<StopReason, (ctx: FinalContext) => string>> = {
  'no-credential-left': (ctx) =>
    ctx.triedSecrets.length === 0
      ? ' No credential was given to sign in with.'
      : ` Every credential given was tried (${ctx.triedSecrets.map((c) => `\`${CREDENTIAL_INPUT[c]}\``).join(', ')}); none is left.`,
  'attempts-exhausted': (ctx) =>
    ` Gave up after ${ctx.attempts} ${ctx.attempts === 1 ? 'attempt' : 'attempts'} (\`max-attempts\` is ${ctx.maxAttempts}).`,
  'env-credential': (ctx) =>
    ctx.method === 'env-access-token'
      ? ' Codex uses `CODEX_ACCESS_TOKEN` before every stored credential, so signing in again cannot help: nothing was cleared.'
      : ' `codex exec` uses `CODEX_API_KEY` before every stored credential, so signing in again cannot help: nothing was cleared.',
};

export interface FinalContext {
  kind: FailureKind;
  method: AuthMethod;
  evidence: string | null;
  exitCode: number;
  attempts: number;
  maxAttempts: number;
  reason: StopReason;
  triedSecrets: readonly SecretCredential[];
  codexHome: string;
  timeoutMinutes: number;
  /** Why an `other` run ended, when it was not the script's own failure. */
  cause?: OtherCause | null;
  /** Every attempt, so that the annotation can name each credential that died, not only the last. */
  records?: readonly AttemptRecord[];
  /**
   * Why no credential could be signed in with, when that is how the run ended (auth.json is a folder,
   * the disk is full, `codex login` failed): the story is then the sign-in, not the script.
   */
  signInError?: string | null;
  /** What to do about that sign-in failure (see sign-in.ts). */
  signInFix?: string | null;
}

/** Kinds that mean the credential itself was refused: signing in with it again cannot help. */
const isRejection = (kind: FailureKind): boolean => isAuthKind(kind) || kind === 'permission-denied';

/**
 * Each credential that was refused during the run, at the attempt where it was (one per credential:
 * the ladder never tries a credential twice). Runs that had no credential at all name none.
 */
export function rejectedCredentials(records: readonly AttemptRecord[]): AttemptRecord[] {
  const seen = new Set<AuthMethod>();
  return records.filter((r) => {
    if (r.method === 'none' || !isRejection(r.kind) || seen.has(r.method)) return false;
    seen.add(r.method);
    return true;
  });
}

/** What to do about one refused credential: a cached one was deleted, so only secrets need fixing. */
function fixFor(record: AttemptRecord): string {
  if (record.method === 'cached')
    return 'Nothing to store: they were deleted from the runner (a self-hosted runner keeps them between jobs).';
  return howToFix(record.kind);
}

/** The fix when a credential could not be written where codex reads it. */
export function signInWriteFix(codexHome: string): string {
  return `Make sure this job can write ${codeSpan(`${codexHome}/auth.json`)} (\`codex-home\`): no folder or read-only file in its place, and room on the disk. Where \`codex login\` failed, check that the codex on \`PATH\` runs (\`codex --version\`).`;
}

/** Where in the run a record stands: an attempt, or the check of a credential before one. */
function recordLabel(record: Pick<AttemptRecord, 'attempt' | 'signInOnly'>): string {
  return record.signInOnly ? `Sign-in check before attempt ${record.attempt}` : `Attempt ${record.attempt}`;
}

/** One refused credential in plain words, with its fix and what codex said. */
function rejectionLines(record: AttemptRecord, codexHome: string): { what: string; fix: string; evidence: string | null } {
  const credential = describeCredential(record.method, codexHome);
  return {
    what: `${recordLabel(record)} (\`${record.kind}\`): ${whatHappened(record.kind, credential, { exitCode: record.exitCode, timeoutMinutes: 0, evidence: record.evidence })}`,
    fix: fixFor(record),
    evidence: record.evidence && !ACTION_EVIDENCE.has(record.kind) ? truncate(record.evidence, 300) : null,
  };
}

/**
 * The refused credentials other than the final attempt's, which the main explanation already covers.
 * After a failed sign-in the explanation is about the sign-in, so every refused credential is listed.
 */
function earlierRejections(ctx: FinalContext): AttemptRecord[] {
  const last = ctx.records?.at(-1);
  return rejectedCredentials(ctx.records ?? []).filter((r) => ctx.signInError || r !== last);
}

/**
 * What codex said about how the run ended. After a failed sign-in nothing codex said is about that:
 * the last attempt's line belongs to the credential it names, listed with the earlier rejections.
 */
function finalEvidence(ctx: FinalContext): string | null {
  return ctx.signInError || ACTION_EVIDENCE.has(ctx.kind) ? null : ctx.evidence;
}

/** Kinds whose evidence is the action's own finding, told in what happened, not something codex said. */
const ACTION_EVIDENCE: ReadonlySet<FailureKind> = new Set<FailureKind>(['access-token-expired']);

/** The headline of a failed run: the kind's title, unless no credential could be signed in with. */
function headline(ctx: FinalContext): string {
  return ctx.signInError ? 'Sign-in failed' : TITLES[ctx.kind];
}

/**
 * The single error annotation of a failed run. When more than one credential was refused, it names
 * each, with its own fix: the person reading it has to fix every one of them, not only the last.
 */
export function failureAnnotation(ctx: FinalContext): Annotation {
  const said = finalEvidence(ctx);
  const evidence = said ? `\nCodex said: ${truncate(said, 500)}` : '';
  const earlier = earlierRejections(ctx);
  if (earlier.length === 0) {
    return {
      title: `codex-reauth: ${headline(ctx)} (${ctx.kind})`,
      message: `${finalExplanation(ctx)}\nFix: ${finalFix(ctx)}${evidence}`,
    };
  }
  const listed = earlier.map((r) => {
    const line = rejectionLines(r, ctx.codexHome);
    return `- ${line.what}\n  Fix: ${line.fix}${line.evidence ? `\n  Codex said: ${line.evidence}` : ''}`;
  });
  if (isRejection(ctx.kind) && ctx.method !== 'none') {
    const kinds = [...earlier.map((r) => r.kind), ctx.kind];
    const lastRecord = ctx.records?.at(-1);
    const label = lastRecord ? recordLabel(lastRecord) : `Attempt ${ctx.attempts}`;
    const said = finalEvidence(ctx);
    const last = `- ${label} (\`${ctx.kind}\`): ${finalExplanation(ctx)}\n  Fix: ${finalFix(ctx)}${said ? `\n  Codex said: ${truncate(said, 300)}` : ''}`;
    return {
      title: `codex-reauth: ${kinds.length} credentials rejected (${kinds.join(', ')})`,
      message: `Every credential this run signed in with was rejected; each needs its own fix:\n${[...listed, last].join('\n')}`,
    };
  }
  return {
    title: `codex-reauth: ${headline(ctx)} (${ctx.kind})`,
    message: `${finalExplanation(ctx)}\nFix: ${finalFix(ctx)}${evidence}\nEarlier in this run, these credentials were rejected too; fix them as well:\n${listed.join('\n')}`,
  };
}

/** The fix for how a run ended: a key from the environment is fixed where the workflow sets it. */
function finalFix(ctx: FinalContext): string {
  if (ctx.signInError) return ctx.signInFix ?? signInWriteFix(ctx.codexHome);
  if (ctx.reason === 'env-credential') {
    const variable = ENV_VARIABLE[ctx.method === 'env-access-token' ? 'env-access-token' : 'env'];
    const what = variable === 'CODEX_API_KEY' ? 'a working key' : 'a working workspace access token';
    return `Update \`${variable}\` where the workflow sets it (an \`env:\` block) to ${what}, or remove it so that the credentials the action signs in with are used.`;
  }
  return howToFix(ctx.kind, ctx.cause);
}

/** What happened to a failed run, with why it stopped: shared by the annotation and the summary. */
function finalExplanation(ctx: FinalContext): string {
  if (ctx.signInError) {
    const last = ctx.records?.at(-1);
    const script = last ? `the run script was not run again after attempt ${last.attempt} (\`${last.kind}\`)` : 'the run script never ran';
    return `Signing in failed, so ${script}: ${truncate(ctx.signInError, 1500)}`;
  }
  const credential = describeCredential(ctx.method, ctx.codexHome);
  return `${whatHappened(ctx.kind, credential, ctx)}${STOP_NOTES[ctx.reason]?.(ctx) ?? ''}`;
}

/** The warning for a failure the action got past: what happened, the fix, then what codex said. */
export function recoveryWarning(failed: AttemptRecord, next: AttemptRecord, codexHome: string, waitedMs: number): Annotation {
  const credential = describeCredential(failed.method, codexHome);
  const what = whatHappened(failed.kind, credential, { exitCode: failed.exitCode, timeoutMinutes: 0, evidence: failed.evidence });
  const then = `attempt ${next.attempt} ${next.kind === 'none' ? 'succeeded' : `failed too (\`${next.kind}\`)`}`;
  const said = failed.evidence ? `\nCodex said: ${truncate(failed.evidence, 500)}` : '';
  if (failed.signInOnly) {
    const refused = ACTION_EVIDENCE.has(failed.kind)
      ? 'The action refused it before codex ran'
      : 'Codex refused it when the action signed in with it, so the script never ran with it';
    return {
      title: `codex-reauth recovered: ${TITLES[failed.kind]} (${failed.kind})`,
      message: `${what} ${refused}. Signed in with ${describeCredential(next.method, codexHome)} instead; ${then}.\nFix it before it is needed: ${howToFix(failed.kind)}${ACTION_EVIDENCE.has(failed.kind) ? '' : said}`,
    };
  }
  if (isAuthKind(failed.kind)) {
    // A cached credential was deleted and one never signed in needs nothing: only secrets need fixing.
    const fix =
      failed.method === 'none'
        ? 'Nothing to fix: nothing was signed in for the first attempt (`login: on-failure`, or no credentials cached), so the action signed in when codex asked for credentials.'
        : failed.method === 'cached'
          ? fixFor(failed)
          : `Fix it before it is needed: ${fixFor(failed)}`;
    return {
      title: `codex-reauth recovered: ${TITLES[failed.kind]} (${failed.kind})`,
      message: `Attempt ${failed.attempt}: ${what} Cleared the cached credentials and signed in again with ${describeCredential(next.method, codexHome)}; ${then}.\n${fix}${said}`,
    };
  }
  return {
    title: `codex-reauth retried: ${TITLES[failed.kind]} (${failed.kind})`,
    message: `Attempt ${failed.attempt} failed (\`${failed.kind}\`); ${then} after waiting ${formatDuration(waitedMs)} with the same credentials.\nFix: nothing, unless it keeps happening. Then: ${howToFix(failed.kind)}${said}`,
  };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const METHOD_LABEL: Record<AuthMethod, string> = {
  chatgpt: 'ChatGPT login (`codex-auth-json`)',
  'api-key': 'API key (`openai-api-key`)',
  cached: 'cached on the runner',
  none: 'none',
  env: '`CODEX_API_KEY` (environment)',
  'access-token': 'workspace access token (`codex-access-token`)',
  'env-access-token': '`CODEX_ACCESS_TOKEN` (environment)',
};

/** How an attempt ended, for the summary's Outcome column. */
function outcomeCell(r: AttemptRecord): string {
  if (r.signInOnly) return '❌ refused when signing in';
  if (r.kind === 'none') return '✅ exit 0';
  if (r.kind === 'timeout') return `⏱️ timed out (exit ${r.exitCode})`;
  if (r.kind === 'cancelled') return `⏹️ cancelled (exit ${r.exitCode})`;
  if (r.stoppedEarly) return `❌ stopped at codex's first retry (exit ${r.exitCode})`;
  return `❌ exit ${r.exitCode}`;
}

/** One refused credential as a list item of the summary: what happened, the fix, what codex said. */
function rejectionItem(r: AttemptRecord, codexHome: string): string {
  const line = rejectionLines(r, codexHome);
  // codex's words inside <code>, every mark escaped: shown as typed, and nothing in them is read as Markdown or HTML.
  return `- ${line.what} **Fix:** ${line.fix}${line.evidence ? ` **Codex said:** <code>${escapeInline(line.evidence)}</code>` : ''}`;
}

/**
 * The job summary, as GitHub renders it (Markdown): how the run ended first, what died and how to fix
 * it, then the table of attempts. Our texts are Markdown already (names and commands as code spans);
 * codex's own words are escaped, or shown as code, so that nothing in them is rendered.
 */
export function summaryMarkdown(records: readonly AttemptRecord[], final: FinalContext, recovered: boolean): string {
  const all = final.records ?? records;
  const lines: string[] = ['## codex-reauth', ''];
  if (final.kind === 'none' && recovered) {
    lines.push(`✅ **Recovered:** attempt ${final.attempts} succeeded after signing in again.`, '', '**What died:**', '');
    for (const r of rejectedCredentials(all)) lines.push(rejectionItem(r, final.codexHome));
    lines.push('', `**Saved by:** ${describeCredential(final.method, final.codexHome)}, in attempt ${final.attempts}.`);
  } else if (final.kind === 'none') {
    lines.push(`✅ **Succeeded** in attempt ${final.attempts}, with ${describeCredential(final.method, final.codexHome)}.`);
  } else {
    lines.push(
      `${final.kind === 'cancelled' ? '⏹️' : '❌'} **${headline(final)}** (\`${final.kind}\`)`,
      '',
      `**What happened:** ${finalExplanation(final)}`,
      '',
      `**Fix:** ${finalFix(final)}`,
    );
    const evidence = finalEvidence(final);
    if (evidence)
      lines.push(
        '',
        '<details><summary>What codex said</summary>',
        '',
        `<pre>${escapeHtml(truncate(evidence, 2000))}</pre>`,
        '',
        '</details>',
      );
    const earlier = earlierRejections({ ...final, records: all });
    if (earlier.length > 0) {
      lines.push('', '**Also rejected in this run** (each needs its own fix):', '');
      for (const r of earlier) lines.push(rejectionItem(r, final.codexHome));
    }
  }
  lines.push('', '| Attempt | Credential | Outcome | Kind | Duration |', '| --- | --- | --- | --- | --- |');
  for (const r of records) {
    const cleared = r.cleared.length > 0 ? ' (after clearing the cache)' : '';
    lines.push(
      `| ${r.attempt} | ${METHOD_LABEL[r.method]}${cleared} | ${outcomeCell(r)} | \`${r.kind}\` | ${formatDuration(r.durationMs)} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
