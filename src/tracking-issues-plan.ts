/**
 * Pure decisions for tracking issues: given what became of each credential in this run and the
 * tracking issues already open, which issue to open, comment on or close. No I/O: tracking-issues.ts
 * carries the plan out.
 *
 * One open issue per credential. A credential is the input it came from, plus the secret's name
 * where the action knows it (`auth-json-secret`): `codex-auth-json/CODEX_AUTH_JSON`, `openai-api-key`.
 */
import type { FailureKind } from './failure-kinds.js';
import { isAuthKind } from './failure-kinds.js';
import type { AttemptRecord } from './report.js';
import type { AuthMethod } from './recovery.js';

/** A credential given to the action, as an issue names it. */
export interface TrackedCredential {
  /** The input it came from, e.g. `codex-auth-json`. */
  input: string;
  /** The Actions secret's name, when the action knows it; null otherwise. */
  secret: string | null;
}

/** The key an issue carries in its marker: `input` or `input/SECRET`. */
export function credentialKey(credential: TrackedCredential): string {
  return credential.secret ? `${credential.input}/${credential.secret}` : credential.input;
}

/** The credential a key names, or null for a key this version does not write. */
export function parseCredentialKey(key: string): TrackedCredential | null {
  const match = /^([a-z][a-z0-9-]*)(?:\/([A-Za-z_][A-Za-z0-9_]*))?$/.exec(key);
  return match ? { input: match[1], secret: match[2] ?? null } : null;
}

/** What became of one credential in this run. */
export type CredentialOutcome =
  /** An attempt ran with it and codex refused it. */
  | { state: 'rejected'; kind: FailureKind; attempt: number; evidence: string | null; signInOnly: boolean }
  /** An attempt ran with it and codex completed a turn with it: codex accepted it. */
  | { state: 'accepted'; attempt: number }
  /** Not signed in with in this run, or its attempts ended in a way that says nothing about it. */
  | { state: 'unknown' };

/** Kinds that say the credential itself was refused (the same as the report's rejections). */
export const isRejectionKind = (kind: FailureKind): boolean => isAuthKind(kind) || kind === 'permission-denied';

/**
 * What became of the credential that attempts with `method` ran with. The last such attempt decides
 * (the ladder never signs in with a credential twice, so there is at most one). A run that ends
 * otherwise (a timeout, the script failing, a rate limit) says nothing about the credential: an
 * issue is closed only when codex has plainly accepted it, never on a guess.
 */
export function outcomeOf(method: AuthMethod, records: readonly AttemptRecord[]): CredentialOutcome {
  const mine = records.filter((r) => r.method === method);
  const last = mine.at(-1);
  if (!last) return { state: 'unknown' };
  // The script exiting 0 is not enough: codex must have completed a turn (see AttemptRecord.codexAccepted).
  if (last.kind === 'none') return last.codexAccepted ? { state: 'accepted', attempt: last.attempt } : { state: 'unknown' };
  if (isRejectionKind(last.kind))
    return { state: 'rejected', kind: last.kind, attempt: last.attempt, evidence: last.evidence, signInOnly: last.signInOnly === true };
  return { state: 'unknown' };
}

/** An open tracking issue, with the credential its marker names. */
export interface OpenTrackingIssue {
  number: number;
  credential: TrackedCredential;
}

/** What to do about one credential. */
export type IssueAction =
  | { action: 'open'; credential: TrackedCredential; outcome: Extract<CredentialOutcome, { state: 'rejected' }> }
  | { action: 'comment'; issue: number; credential: TrackedCredential; outcome: Extract<CredentialOutcome, { state: 'rejected' }> }
  | { action: 'close'; issues: number[]; credential: TrackedCredential; outcome: Extract<CredentialOutcome, { state: 'accepted' }> };

/**
 * The open issues about `credential`: those whose key is the same; failing that, those about the
 * same input where one side does not know the secret's name (write-back was turned on or off since
 * the issue was opened: still the same input, and most likely the same secret).
 */
export function issuesAbout(credential: TrackedCredential, open: readonly OpenTrackingIssue[]): number[] {
  const key = credentialKey(credential);
  const exact = open.filter((i) => credentialKey(i.credential) === key);
  const chosen =
    exact.length > 0
      ? exact
      : open.filter((i) => i.credential.input === credential.input && (i.credential.secret === null || credential.secret === null));
  return chosen.map((i) => i.number).sort((a, b) => a - b);
}

/**
 * The plan: open an issue for a rejected credential with none open, comment on the open one (the
 * oldest, if a race ever made two), close every open one about a credential codex accepted, and
 * leave the rest alone.
 */
export function planIssueActions(
  credentials: ReadonlyArray<{ credential: TrackedCredential; outcome: CredentialOutcome }>,
  open: readonly OpenTrackingIssue[],
): IssueAction[] {
  const actions: IssueAction[] = [];
  for (const { credential, outcome } of credentials) {
    const about = issuesAbout(credential, open);
    if (outcome.state === 'rejected') {
      actions.push(
        about.length === 0 ? { action: 'open', credential, outcome } : { action: 'comment', issue: about[0], credential, outcome },
      );
    } else if (outcome.state === 'accepted') {
      // Closed only on the same key: a run that does not know the secret's name (a job on a keeper's
      // copy, another workflow) must not close the issue about a named secret it never used.
      const exact = open.filter((i) => credentialKey(i.credential) === credentialKey(credential)).map((i) => i.number);
      if (exact.length > 0) actions.push({ action: 'close', issues: exact.sort((a, b) => a - b), credential, outcome });
    }
  }
  return actions;
}
