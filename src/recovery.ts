/**
 * What to try next. Pure decisions, no I/O: the main loop asks, then does what it is told.
 */
import { type FailureKind, isAuthKind, isTransientKind } from './failure-kinds.js';

/**
 * A credential the action can sign in with. The ladder tries them in SECRET_ORDER: a ChatGPT login or
 * a workspace access token spends a plan's included usage, an API key is billed per use, so the key
 * comes last.
 */
export type SecretCredential = 'chatgpt' | 'access-token' | 'api-key';
export const SECRET_ORDER: readonly SecretCredential[] = ['chatgpt', 'access-token', 'api-key'];
/**
 * What an attempt runs with (the `auth-method` output). `env`: a `CODEX_API_KEY` in the environment,
 * which `codex exec` uses before every stored credential; `env-access-token`: a `CODEX_ACCESS_TOKEN`
 * there, which codex likewise uses before every stored credential.
 */
export type AuthMethod = SecretCredential | 'cached' | 'none' | 'env' | 'env-access-token';

/** Credentials from the job's environment: the action can neither clear nor replace them. */
export type EnvCredential = 'env' | 'env-access-token';

const isAccessToken = (method: AuthMethod): boolean => method === 'access-token' || method === 'env-access-token';
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
  /**
   * A credential in the job's environment (`CODEX_API_KEY`, `CODEX_ACCESS_TOKEN`): it beats every
   * credential the action could sign in with.
   */
  envCredential?: EnvCredential | null;
}

export type StopReason = 'succeeded' | 'attempts-exhausted' | 'no-credential-left' | 'not-retryable' | 'cancelled' | 'env-credential';

export type Decision = { action: 'stop'; reason: StopReason } | { action: 'retry'; signIn: SignIn | null; waitMs: number };

/** Longest wait between transient retries, whatever `retry-wait-seconds` says it doubles from. */
export const MAX_RETRY_WAIT_MS = 5 * 60 * 1000;

/**
 * After an attempt ended with `kind`: stop, or run again (after signing in with the next untried
 * secret for an auth failure, or after a backoff wait with the same credentials for a transient one).
 */
export function decideNext(kind: FailureKind, state: LadderState): Decision {
  if (kind === 'none') return { action: 'stop', reason: 'succeeded' };
  if (kind === 'cancelled') return { action: 'stop', reason: 'cancelled' };
  const retryable = isAuthKind(kind) || isTransientKind(kind);
  if (!retryable) return { action: 'stop', reason: 'not-retryable' };

  // A rejected credential from the environment is what codex will use again whatever is signed in:
  // clearing and signing in would only delete good credentials and blame the secrets.
  if (state.envCredential && kind === envKind(state.envCredential)) return { action: 'stop', reason: 'env-credential' };

  if (isAuthKind(kind)) {
    // The credential that just failed counts as tried even if it was not one of ours (cached).
    const tried = new Set(state.tried);
    if ((SECRET_ORDER as readonly AuthMethod[]).includes(state.method)) tried.add(state.method as SecretCredential);
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
  /** The step was cancelled while the attempt ran. */
  cancelled?: boolean;
  timedOut: boolean;
  /** The classifier's early verdict that ended the attempt, if it was cut short. */
  stoppedEarly: FailureKind | null;
  verdict: FailureKind | null;
  /** The verdict rests on a line that is certainly codex's (a JSON event, its retry logger, one of its message forms). */
  verdictIsCodexs?: boolean;
  /** Exit codes of the codex invocations the shim saw, in order; null when nobody counted. */
  codexExitCodes: readonly number[] | null;
}): FailureKind {
  if (outcome.cancelled) return 'cancelled';
  if (outcome.stoppedEarly) return outcome.stoppedEarly;
  if (outcome.timedOut) return 'timeout';
  if (outcome.exitCode === 0) return 'none';
  const codes = outcome.codexExitCodes;
  if (codes && codes.length > 0 && codes.every((code) => code === 0)) return 'other';
  // No codex run was seen failing (codex ran outside the shim, or not at all): then only a line that is
  // certainly codex's may say why, not any tool's `ERROR: … 401 Unauthorized`.
  if ((!codes || codes.length === 0) && outcome.verdictIsCodexs !== true) return 'other';
  return outcome.verdict ?? 'other';
}

/** Why an attempt that codex did not fail for (`other`) ended, when something other than the script said so. */
export type OtherCause = { kind: 'codex-not-found' } | { kind: 'killed'; signal: string; exitCode: number };

// Exit codes of a shell whose command was not found: sh/bash 127, cmd 9009.
const NOT_FOUND_EXIT_CODES: ReadonlySet<number> = new Set([127, 9009]);

/**
 * Names the cause of an `other` attempt when it is not the user's own commands: codex was never found
 * (no codex on PATH before or after, and the shell's "command not found" exit code), or a process was
 * killed by a signal nobody in the action sent (the out-of-memory killer's SIGKILL), which a shell
 * reports as 128 + the signal's number. Neither is a credential problem, and the annotation must say so.
 */
export function otherCause(outcome: {
  exitCode: number;
  /** The signal that ended the shell itself, if any. */
  signal: string | null;
  codexExitCodes: readonly number[] | null;
  /** Whether a codex executable is on PATH now. */
  codexOnPath: boolean;
  /** Maps a signal number to its name (`9` → `SIGKILL`). */
  signalName(signo: number): string | null;
}): OtherCause | null {
  if (!outcome.codexOnPath && NOT_FOUND_EXIT_CODES.has(outcome.exitCode)) return { kind: 'codex-not-found' };
  if (outcome.signal) return { kind: 'killed', signal: outcome.signal, exitCode: outcome.exitCode };
  const codes = [...(outcome.codexExitCodes ?? []), outcome.exitCode];
  for (const code of codes) {
    if (code <= 128 || code > 128 + 64) continue;
    const signal = outcome.signalName(code - 128);
    if (signal) return { kind: 'killed', signal, exitCode: code };
  }
  return null;
}

/**
 * Whether a dead credential named by a retry line can be the one this attempt runs with. A refresh
 * token cannot die under an API key, nor an API key under a ChatGPT login: such a line is text
 * quoted by something else (an agent's message, a test), and must not stop a healthy run early.
 * What a cached login is, the action does not know: anything may fit it.
 */
export function fitsCredential(kind: FailureKind, method: AuthMethod): boolean {
  if (kind === 'api-key-invalid') return method === 'api-key' || method === 'cached' || method === 'env';
  if (kind === 'access-token-invalid') return isAccessToken(method) || method === 'cached';
  if (kind.startsWith('refresh-')) return method === 'chatgpt' || method === 'cached';
  return true;
}

/** The kind a rejection of an environment credential shows as. */
function envKind(credential: EnvCredential): FailureKind {
  return credential === 'env' ? 'api-key-invalid' : 'access-token-invalid';
}

/**
 * The kind an attempt's failure is charged as, given what it ran with. codex names no credential in a
 * bare 401: under a workspace access token (which nothing refreshes) it is that token's failure, and
 * so is "no credentials sent", because codex drops a token its check refuses and goes on without one.
 * With nothing signed in at all, a bare 401 means just that: nobody is signed in.
 */
export function chargeToCredential(kind: FailureKind, method: AuthMethod): FailureKind {
  if (isAccessToken(method) && (kind === 'unauthorized' || kind === 'not-logged-in')) return 'access-token-invalid';
  if (method === 'none' && kind === 'unauthorized') return 'not-logged-in';
  return kind;
}

/**
 * Whether to stop an attempt at codex's first retry, and as what. `decisive` is a retry whose cause no
 * waiting can fix (a dead refresh token, a rejected key); `auth` is the first retry on any 401. A bare
 * 401 is not decisive for a ChatGPT login (codex refreshes it and may then succeed) but is for a
 * workspace access token, which has nothing to refresh. A cause that cannot belong to the credential
 * in use is quoted text, never a reason to stop.
 */
export function earlyStop<E extends { kind: FailureKind }>(
  decisive: E | null,
  auth: E | null,
  method: AuthMethod,
): { kind: FailureKind; evidence: E } | null {
  if (decisive && fitsCredential(decisive.kind, method)) return { kind: chargeToCredential(decisive.kind, method), evidence: decisive };
  if (auth && isAccessToken(method) && (auth.kind === 'unauthorized' || auth.kind === 'not-logged-in'))
    return { kind: 'access-token-invalid', evidence: auth };
  return null;
}
