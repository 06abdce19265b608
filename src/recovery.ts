/**
 * What to try next. Pure decisions, no I/O: the main loop asks, then does what it is told.
 */
import { type FailureKind, isAuthKind, isTransientKind } from './failure-kinds.js';

/** A credential the action can sign in with, in the order it tries them. */
export type SecretCredential = 'chatgpt' | 'api-key';
/** What an attempt runs with (the `auth-method` output). */
export type AuthMethod = SecretCredential | 'cached' | 'none';
export type LoginMode = 'auto' | 'always' | 'on-failure';

/** Sign in before an attempt: clear what is cached, then write this credential. */
export interface SignIn {
  credential: SecretCredential;
}

export interface FirstAttemptPlan {
  signIn: SignIn | null;
  /** What the first attempt runs with. */
  method: AuthMethod;
}

/**
 * The first attempt. `auto` trusts credentials already on the runner (a self-hosted runner, an earlier
 * step) and otherwise signs in; `always` signs in regardless; `on-failure` waits for an auth failure.
 */
export function planFirstAttempt(login: LoginMode, hasCachedCredentials: boolean, secrets: readonly SecretCredential[]): FirstAttemptPlan {
  const cachedOrNone: AuthMethod = hasCachedCredentials ? 'cached' : 'none';
  if (login === 'on-failure' || secrets.length === 0) return { signIn: null, method: cachedOrNone };
  if (login === 'auto' && hasCachedCredentials) return { signIn: null, method: 'cached' };
  return { signIn: { credential: secrets[0] }, method: secrets[0] };
}

export interface LadderState {
  /** Attempts run so far (the one that just ended included). */
  attempt: number;
  maxAttempts: number;
  /** What the attempt that just ended ran with. */
  method: AuthMethod;
  /** Secrets given, in the order to try them. */
  secrets: readonly SecretCredential[];
  /** Secrets already signed in with (each is tried once at most). */
  tried: ReadonlySet<SecretCredential>;
  /** Transient-failure retries so far (for backoff). */
  transientRetries: number;
  /** Base wait before a transient retry; doubles each time. */
  retryWaitMs: number;
}

export type StopReason = 'succeeded' | 'attempts-exhausted' | 'no-credential-left' | 'not-retryable';

export type Decision = { action: 'stop'; reason: StopReason } | { action: 'retry'; signIn: SignIn | null; waitMs: number };

/** Longest wait between transient retries, whatever `retry-wait-seconds` says it doubles from. */
export const MAX_RETRY_WAIT_MS = 5 * 60 * 1000;

/**
 * After an attempt ended with `kind`: stop, or run again (after signing in with the next untried
 * secret for an auth failure, or after a backoff wait with the same credentials for a transient one).
 */
export function decideNext(kind: FailureKind, state: LadderState): Decision {
  if (kind === 'none') return { action: 'stop', reason: 'succeeded' };
  const retryable = isAuthKind(kind) || isTransientKind(kind);
  if (!retryable) return { action: 'stop', reason: 'not-retryable' };

  if (isAuthKind(kind)) {
    // The credential that just failed counts as tried even if it was not one of ours (cached).
    const tried = new Set(state.tried);
    if (state.method === 'chatgpt' || state.method === 'api-key') tried.add(state.method);
    const next = state.secrets.find((credential) => !tried.has(credential));
    if (!next) return { action: 'stop', reason: 'no-credential-left' };
    if (state.attempt >= state.maxAttempts) return { action: 'stop', reason: 'attempts-exhausted' };
    return { action: 'retry', signIn: { credential: next }, waitMs: 0 };
  }

  if (state.attempt >= state.maxAttempts) return { action: 'stop', reason: 'attempts-exhausted' };
  const waitMs = Math.min(state.retryWaitMs * 2 ** state.transientRetries, MAX_RETRY_WAIT_MS);
  return { action: 'retry', signIn: null, waitMs };
}

/**
 * The kind of one attempt, from how it ended and what codex printed. The user's own commands
 * failing after codex succeeded is `other`, whatever the log says: re-running an agent because a
 * test name mentions a refresh token would waste the user's money.
 */
export function attemptKind(outcome: {
  exitCode: number;
  timedOut: boolean;
  /** The classifier's early verdict that ended the attempt, if it was cut short. */
  stoppedEarly: FailureKind | null;
  verdict: FailureKind | null;
  /** Exit codes of the codex invocations the shim saw, in order; null when nobody counted. */
  codexExitCodes: readonly number[] | null;
}): FailureKind {
  if (outcome.stoppedEarly) return outcome.stoppedEarly;
  if (outcome.timedOut) return 'timeout';
  if (outcome.exitCode === 0) return 'none';
  const codes = outcome.codexExitCodes;
  if (codes && codes.length > 0 && codes.every((code) => code === 0)) return 'other';
  return outcome.verdict ?? 'other';
}
