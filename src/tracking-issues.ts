/**
 * Tracking issues (opt-in, `report-issues`): after the report, one GitHub issue per credential that
 * codex rejected, a comment on it when a later run finds it dead again, and closing it when a later
 * run signs in with it and codex accepts it. Never changes the run's outcome: whatever goes wrong
 * here is one warning. Without `report-issues` nothing here makes a request.
 *
 * - `readIssueSettings` reads `report-issues` and `github-token`.
 * - `trackCredentials` is main's one call: it finds the open tracking issues, asks
 *   tracking-issues-plan.ts what to do, and does it through the issues client (github-issues.ts).
 */
import { InputError } from './input-error.js';
import { createIssuesClient, type IssuesClient, type IssuesClientOptions, IssuesApiError } from './github-issues.js';
import type { FailureKind } from './failure-kinds.js';
import type { AuthMethod, SecretCredential } from './recovery.js';
import { type AttemptRecord, CREDENTIAL_INPUT, describeCredential } from './report.js';
import { WRITEBACK_INPUTS } from './auth-writeback.js';
import { isValidSecretName } from './github-secrets.js';
import {
  type CredentialOutcome,
  type IssueAction,
  outcomeOf,
  type OpenTrackingIssue,
  planIssueActions,
  type TrackedCredential,
} from './tracking-issues-plan.js';
import {
  acceptedComment,
  credentialInBody,
  issueBody,
  issueTitle,
  MARKER,
  rejectedAgainComment,
  runContextFromEnv,
} from './tracking-issues-text.js';

export const ISSUE_INPUTS = { report: 'report-issues', token: 'github-token' } as const;

export interface IssueSettings {
  token: string;
  apiUrl: string;
  repository: string;
}

/** `report-issues` as GitHub's own boolean inputs read it (YAML 1.2 core schema). */
function readBoolean(name: string, value: string): boolean {
  const text = value.trim();
  if (text === '' || ['false', 'False', 'FALSE'].includes(text)) return false;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  throw new InputError(name, `must be \`true\` or \`false\`; got '${value}'.`);
}

/**
 * Reads the inputs: null when `report-issues` is off. A bad `report-issues` is an InputError (before
 * anything runs). A missing token or repository is not: it is told as a warning when the issues would
 * be filed, because tracking issues never change how a run ends.
 */
export function readIssueSettings(getInput: (name: string) => string, env: NodeJS.ProcessEnv): IssueSettings | null {
  if (!readBoolean(ISSUE_INPUTS.report, getInput(ISSUE_INPUTS.report) ?? '')) return null;
  return {
    token: (getInput(ISSUE_INPUTS.token) ?? '').trim(),
    apiUrl: env.GITHUB_API_URL?.trim() || 'https://api.github.com',
    repository: env.GITHUB_REPOSITORY?.trim() ?? '',
  };
}

/** `github-token`, masked with the other secrets before anything is printed (always: its default is the job's token). */
export function issueTokenToMask(getInput: (name: string) => string): string[] {
  const token = (getInput(ISSUE_INPUTS.token) ?? '').trim();
  return token ? [token] : [];
}

/** The part of @actions/core tracking uses. */
export interface TrackingCore {
  info(message: string): void;
  warning(message: string, properties?: { title?: string }): void;
}

/** A credential given to the action: the method attempts ran with, and how an issue names it. */
export interface GivenCredential {
  method: AuthMethod;
  credential: TrackedCredential;
  /** In words, e.g. "the ChatGPT login in `codex-auth-json`". */
  described: string;
}

/** What main knows when its report is done. */
export interface TrackedRun {
  records: readonly AttemptRecord[];
  finalKind: FailureKind;
  recovered: boolean;
  /** The credentials given, in the ladder's order, and codex-home (to name cached credentials). */
  settings: { secrets: readonly SecretCredential[]; codexHome: string };
  /** The step's inputs: `auth-json-secret` names the secret `codex-auth-json` comes from. */
  getInput(name: string): string;
}

/**
 * The credentials given to the action, as issues name them: the input, and the secret's name where
 * the action knows it (only `codex-auth-json`'s, from `auth-json-secret`).
 */
export function givenCredentials(
  secrets: readonly SecretCredential[],
  getInput: (name: string) => string,
  codexHome: string,
): GivenCredential[] {
  const authJsonSecret = (getInput(WRITEBACK_INPUTS.secret) ?? '').trim();
  return secrets.map((method) => ({
    method,
    credential: {
      input: CREDENTIAL_INPUT[method],
      secret: method === 'chatgpt' && isValidSecretName(authJsonSecret) ? authJsonSecret : null,
    },
    described: describeCredential(method, codexHome),
  }));
}

export interface TrackingDependencies {
  core: TrackingCore;
  env: NodeJS.ProcessEnv;
  /** Replaces every secret the run knows. */
  redact: (text: string) => string;
  now?: () => number;
  createClient?: (options: IssuesClientOptions) => IssuesClient;
  clientOptions?: Partial<IssuesClientOptions>;
}

const WARNING_TITLE = 'codex-reauth: tracking issue not updated';

/** What was done, for tests and the log. */
export type TrackingResult = { done: IssueAction[] } | { skipped: 'nothing-to-do' | 'cancelled' } | { warned: string; done: IssueAction[] };

/**
 * Opens, comments on or closes tracking issues for this run. Never throws; a failure is one warning
 * (the first request that fails for good stops the rest), and the run's outcome stays as it is.
 */
export async function trackCredentials(settings: IssueSettings, run: TrackedRun, deps: TrackingDependencies): Promise<TrackingResult> {
  const { core } = deps;
  if (run.finalKind === 'cancelled') {
    // The runner allows seconds after a cancel; the next run that finds the credential dead files it.
    core.info('Tracking issues: not updated, the step was cancelled.');
    return { skipped: 'cancelled' };
  }
  const done: IssueAction[] = [];
  // Everything below in one try: whatever fails here is one warning, never the step's failure.
  try {
    const given = givenCredentials(run.settings.secrets, run.getInput, run.settings.codexHome);
    const outcomes = given.map((g) => ({ given: g, credential: g.credential, outcome: outcomeOf(g.method, run.records) }));
    // No credential given was rejected or accepted (cached credentials ran, or the script failed before
    // codex said anything): no request at all. A run in which one was accepted still has to look, since
    // an issue from an earlier run may be open.
    if (!outcomes.some((o) => o.outcome.state !== 'unknown')) return { skipped: 'nothing-to-do' };
    if (!settings.token)
      throw new IssuesApiError(
        '`github-token` is empty. Leave it at its default (`${{ github.token }}`), or pass a token that can write issues.',
        'permission',
        null,
      );
    if (!/^[^/\s]+\/[^/\s]+$/.test(settings.repository))
      throw new IssuesApiError(`GITHUB_REPOSITORY is '${settings.repository}', not owner/name: the runner sets it.`, 'rejected', null);
    const client = (deps.createClient ?? createIssuesClient)({
      token: settings.token,
      apiUrl: settings.apiUrl,
      repository: settings.repository,
      env: deps.env,
      onRetry: (message) => core.info(`codex-reauth: ${message}`),
      ...deps.clientOptions,
    });
    const found = await client.findOpen(MARKER);
    const open: OpenTrackingIssue[] = [];
    for (const issue of found) {
      const credential = credentialInBody(issue.body);
      if (credential) open.push({ number: issue.number, credential });
    }
    const last = run.records.at(-1);
    const savedBy = run.recovered && last ? describeCredential(last.method, run.settings.codexHome) : null;
    const context = runContextFromEnv(deps.env, (deps.now ?? Date.now)(), { finalKind: run.finalKind, savedBy });
    const describedBy = new Map(outcomes.map((o) => [o.credential, o.given.described]));
    for (const action of planIssueActions(outcomes, open)) {
      const described = describedBy.get(action.credential) ?? `\`${action.credential.input}\``;
      if (action.action === 'open') {
        const rejection = { ...rejectionOf(action.outcome), credential: action.credential, described };
        const issue = await client.open(issueTitle(action.credential), issueBody(rejection, context, deps.redact));
        core.info(`Tracking issue opened for ${described}: ${issue.url || `#${issue.number}`}`);
      } else if (action.action === 'comment') {
        const rejection = { ...rejectionOf(action.outcome), credential: action.credential, described };
        await client.comment(action.issue, rejectedAgainComment(rejection, context, deps.redact));
        core.info(`Tracking issue #${action.issue} for ${described}: rejected again, commented.`);
      } else {
        for (const issue of action.issues) {
          await client.close(issue, acceptedComment(action.credential, action.outcome.attempt, context, deps.redact));
          core.info(`Tracking issue #${issue} for ${described}: codex accepted it, closed.`);
        }
      }
      done.push(action);
    }
    return { done };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.warning(`${deps.redact(message)} The run's outcome does not depend on it.`, { title: WARNING_TITLE });
    return { warned: message, done };
  }
}

function rejectionOf(outcome: Extract<CredentialOutcome, { state: 'rejected' }>) {
  return { kind: outcome.kind, attempt: outcome.attempt, evidence: outcome.evidence, signInOnly: outcome.signInOnly };
}
