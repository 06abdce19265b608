/**
 * The text of tracking issues: title, body, the comment for a later rejection, the closing comment,
 * and the marker that finds an issue again. Pure. Issues can be public: every secret the run knows is
 * replaced, and so is anything shaped like a credential (an `sk-` key, even the part codex shows of
 * one, a JWT, an `at-` access token, a GitHub token); codex's own words are escaped, never rendered.
 */
import type { FailureKind } from './failure-kinds.js';
import { codeSpan, escapeHtml } from './markdown.js';
import { howToFix, whatHappened } from './report.js';
import { credentialKey, parseCredentialKey, type TrackedCredential } from './tracking-issues-plan.js';

/** Every tracking issue's body holds this, then its credential's key: what the search looks for. */
export const MARKER = 'codex-reauth-tracking-key:';

/** The marker line for one credential. */
export function markerFor(credential: TrackedCredential): string {
  return `${MARKER} \`${credentialKey(credential)}\``;
}

/** The credential an issue's body names in its marker, or null when it carries none (or a mangled one). */
export function credentialInBody(body: string): TrackedCredential | null {
  const match = new RegExp(`${MARKER} \`([^\`\\s]+)\``).exec(body);
  return match ? parseCredentialKey(match[1]) : null;
}

/** The run an issue or comment is about, from the runner's environment. */
export interface RunContext {
  /** When the run's report was made (ms since epoch). */
  at: number;
  /** The run's page (this attempt of it), or null when the runner did not say. */
  runUrl: string | null;
  workflow: string;
  job: string;
  ref: string;
  sha: string;
  /** How the run ended: `none` when it succeeded. */
  finalKind: FailureKind;
  /** The credential that saved a recovered run, in words; null when the run did not recover. */
  savedBy: string | null;
}

/** The run context from the variables the runner sets. */
export function runContextFromEnv(
  env: NodeJS.ProcessEnv,
  at: number,
  outcome: { finalKind: FailureKind; savedBy: string | null },
): RunContext {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const id = env.GITHUB_RUN_ID?.trim();
  const attempt = env.GITHUB_RUN_ATTEMPT?.trim();
  const repository = env.GITHUB_REPOSITORY?.trim();
  const runUrl =
    id && /^\d+$/.test(id) && repository
      ? `${server}/${repository}/actions/runs/${id}${attempt && /^\d+$/.test(attempt) ? `/attempts/${attempt}` : ''}`
      : null;
  return {
    at,
    runUrl,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    ref: env.GITHUB_REF_NAME ?? '',
    sha: env.GITHUB_SHA ?? '',
    ...outcome,
  };
}

/**
 * Replaces whatever looks like a credential. Codex quotes a rejected key as `sk-abc***wxyz`: harmless
 * in a job log only maintainers read, not in an issue anyone with read access sees.
 */
export function scrubCredentials(text: string): string {
  return (
    text
      // JWTs (ChatGPT id and access tokens): three base64url parts.
      .replace(/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***')
      // OpenAI keys, whole or as codex quotes them (sk-abc***wxyz), and workspace access tokens.
      .replace(/\bsk-[A-Za-z0-9_*-]{3,}/g, 'sk-***')
      .replace(/\bat-[A-Za-z0-9_-]{16,}/g, 'at-***')
      // GitHub tokens.
      .replace(/\b(gh[opsur]_|github_pat_)[A-Za-z0-9_]{8,}/g, '$1***')
  );
}

function when(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "[run of workflow `codex`, job `fix`](url) on `main` at `abc1234`" */
function runLink(run: RunContext): string {
  const label = `the run of ${run.workflow ? `workflow ${escapeLinkText(run.workflow)}` : 'this workflow'}`;
  const where = [
    run.job ? `job ${codeSpan(run.job)}` : '',
    run.ref ? `on ${codeSpan(run.ref)}` : '',
    run.sha ? `at ${codeSpan(run.sha.slice(0, 7))}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${run.runUrl ? `[${label}](${run.runUrl})` : label}${where ? ` (${where})` : ''}`;
}

/** Link text from a workflow name: no brackets or HTML can break out of it. */
function escapeLinkText(text: string): string {
  return escapeHtml(text).replace(/[[\]\\*_]/g, (c) => `\\${c}`);
}

function runOutcome(run: RunContext): string {
  if (run.finalKind === 'none')
    return run.savedBy ? `The run recovered: it signed in again with ${run.savedBy}, which codex accepted.` : 'The run succeeded.';
  if (run.finalKind === 'cancelled') return 'The run was cancelled.';
  return `The run failed (${codeSpan(run.finalKind)}).`;
}

function codexSaid(evidence: string | null, redact: (text: string) => string): string[] {
  if (!evidence) return [];
  return ['', '**What codex said:**', '', `<pre>${escapeHtml(scrubCredentials(redact(evidence)).slice(0, 1000))}</pre>`];
}

/** One rejected credential, for an issue or a comment. */
export interface Rejection {
  credential: TrackedCredential;
  /** The credential in words, e.g. "the ChatGPT login in `codex-auth-json`". */
  described: string;
  kind: FailureKind;
  attempt: number;
  evidence: string | null;
  /** Refused when the action signed in with it (codex's check of an access token), before any attempt ran with it. */
  signInOnly?: boolean;
}

/** Where in the run it was refused: "attempt 2", "the sign-in check before attempt 2". */
function where(rejection: Rejection): string {
  return rejection.signInOnly ? `the sign-in check before attempt ${rejection.attempt}` : `attempt ${rejection.attempt}`;
}

/** What died, in the report's words. */
function died(rejection: Rejection): string {
  return whatHappened(rejection.kind, rejection.described, { exitCode: 1, timeoutMinutes: 0 });
}

/** "`codex-auth-json` (secret `CODEX_AUTH_JSON`)" */
function named(credential: TrackedCredential): string {
  return `${codeSpan(credential.input)}${credential.secret ? ` (secret ${codeSpan(credential.secret)})` : ''}`;
}

/** The issue's title: the same for every run about this credential. */
export function issueTitle(credential: TrackedCredential): string {
  return `codex-reauth: the credential in ${credential.input}${credential.secret ? ` (secret ${credential.secret})` : ''} was rejected`;
}

/** The body of a new tracking issue: what died, when, in which run, the fix, what codex said; then the marker. */
export function issueBody(rejection: Rejection, run: RunContext, redact: (text: string) => string): string {
  const lines = [
    `**What died:** ${named(rejection.credential)}, ${codeSpan(rejection.kind)}. ${died(rejection)}`,
    '',
    `**When:** ${when(run.at)}, ${where(rejection)} of ${runLink(run)}. ${runOutcome(run)}`,
    '',
    `**Fix:** ${howToFix(rejection.kind)}`,
    ...codexSaid(rejection.evidence, redact),
    '',
    '---',
    '',
    `<sub>Opened by codex-reauth because ${named(rejection.credential)} was rejected. Each later run in which it is rejected adds a comment here; the first run that signs in with it and gets it accepted by codex closes this issue. ${markerFor(rejection.credential)}</sub>`,
    '',
  ];
  return redact(lines.join('\n'));
}

/** The comment for a later run in which the credential was rejected again. */
export function rejectedAgainComment(rejection: Rejection, run: RunContext, redact: (text: string) => string): string {
  const lines = [
    `**Rejected again** (${codeSpan(rejection.kind)}) on ${when(run.at)}, ${where(rejection)} of ${runLink(run)}. ${died(rejection)} ${runOutcome(run)}`,
    '',
    `**Fix:** ${howToFix(rejection.kind)}`,
    ...codexSaid(rejection.evidence, redact),
    '',
  ];
  return redact(lines.join('\n'));
}

/** The comment that closes the issue: codex accepted the credential again. */
export function acceptedComment(credential: TrackedCredential, attempt: number, run: RunContext, redact: (text: string) => string): string {
  return redact(
    `**Accepted** on ${when(run.at)}: attempt ${attempt} of ${runLink(run)} signed in with ${named(credential)} and codex accepted it. Closing this issue; codex-reauth opens a new one if the credential is rejected again.\n`,
  );
}
