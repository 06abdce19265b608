import { describe, expect, it } from '@jest/globals';
import type { FailureKind } from '../../src/failure-kinds.js';
import {
  attemptKind,
  decideNext,
  type LadderState,
  MAX_RETRY_WAIT_MS,
  planFirstAttempt,
  type SecretCredential,
} from '../../src/recovery.js';

const BOTH: SecretCredential[] = ['chatgpt', 'api-key'];

describe('planFirstAttempt', () => {
  it.each([
    // login, cached, secrets → signIn, method
    ['auto', true, BOTH, null, 'cached'],
    ['auto', false, BOTH, 'chatgpt', 'chatgpt'],
    ['auto', false, ['api-key'], 'api-key', 'api-key'],
    ['auto', false, [], null, 'none'],
    ['auto', true, [], null, 'cached'],
    ['always', true, BOTH, 'chatgpt', 'chatgpt'],
    ['always', true, ['api-key'], 'api-key', 'api-key'],
    ['on-failure', false, BOTH, null, 'none'],
    ['on-failure', true, BOTH, null, 'cached'],
  ] as const)('login=%s cached=%s secrets=%j → sign in with %s, run with %s', (login, cached, secrets, signIn, method) => {
    const plan = planFirstAttempt(login, cached, secrets);
    expect(plan.signIn?.credential ?? null).toBe(signIn);
    expect(plan.method).toBe(method);
  });
});

const state = (overrides: Partial<LadderState>): LadderState => ({
  attempt: 1,
  maxAttempts: 3,
  method: 'cached',
  secrets: BOTH,
  tried: new Set(),
  transientRetries: 0,
  retryWaitMs: 10_000,
  ...overrides,
});

describe('decideNext', () => {
  it('stops on success', () => {
    expect(decideNext('none', state({}))).toEqual({ action: 'stop', reason: 'succeeded' });
  });

  it('walks the ladder cached → codex-auth-json → openai-api-key, each once', () => {
    expect(decideNext('refresh-token-reused', state({ method: 'cached' }))).toEqual({
      action: 'retry',
      signIn: { credential: 'chatgpt' },
      waitMs: 0,
    });
    expect(decideNext('refresh-token-reused', state({ attempt: 2, method: 'chatgpt', tried: new Set(['chatgpt']) }))).toEqual({
      action: 'retry',
      signIn: { credential: 'api-key' },
      waitMs: 0,
    });
    expect(decideNext('api-key-invalid', state({ attempt: 3, method: 'api-key', tried: new Set(BOTH) }))).toEqual({
      action: 'stop',
      reason: 'no-credential-left',
    });
  });

  it('never signs in again with a credential that was rejected, even with attempts left', () => {
    const d = decideNext(
      'api-key-invalid',
      state({ attempt: 1, maxAttempts: 10, method: 'api-key', secrets: ['api-key'], tried: new Set(['api-key']) }),
    );
    expect(d).toEqual({ action: 'stop', reason: 'no-credential-left' });
  });

  it('counts the failing credential as tried even when main did not record it', () => {
    const d = decideNext('unauthorized', state({ method: 'chatgpt', tried: new Set() }));
    expect(d).toEqual({ action: 'retry', signIn: { credential: 'api-key' }, waitMs: 0 });
  });

  it('never signs in again with an API key that was just rejected, even when main did not record it', () => {
    expect(decideNext('api-key-invalid', state({ method: 'api-key', secrets: ['api-key'], tried: new Set() }))).toEqual({
      action: 'stop',
      reason: 'no-credential-left',
    });
  });

  it.each(['rate-limited', 'server-error', 'network', 'timeout', 'unauthorized'] as FailureKind[])(
    'with CODEX_API_KEY in the environment, %s goes on as usual (only a rejected key is beyond signing in)',
    (kind) => {
      expect(decideNext(kind, state({ method: 'cached', envCredential: 'env' }))).toMatchObject({ action: 'retry' });
    },
  );

  it('signs in after not-logged-in, and stops when nothing was given', () => {
    expect(decideNext('not-logged-in', state({ method: 'none', secrets: ['api-key'] }))).toMatchObject({
      action: 'retry',
      signIn: { credential: 'api-key' },
    });
    expect(decideNext('not-logged-in', state({ method: 'none', secrets: [] }))).toEqual({ action: 'stop', reason: 'no-credential-left' });
  });

  it('respects max-attempts for auth failures', () => {
    expect(decideNext('refresh-token-expired', state({ attempt: 1, maxAttempts: 1 }))).toEqual({
      action: 'stop',
      reason: 'attempts-exhausted',
    });
  });

  it.each(['usage-limit', 'permission-denied', 'other'] as FailureKind[])('%s stops at once, credentials untouched', (kind) => {
    expect(decideNext(kind, state({ attempt: 1, maxAttempts: 5 }))).toEqual({ action: 'stop', reason: 'not-retryable' });
  });

  it.each(['rate-limited', 'server-error', 'network', 'timeout'] as FailureKind[])(
    '%s retries with the same credentials, never signing in again',
    (kind) => {
      expect(decideNext(kind, state({ attempt: 1, transientRetries: 0 }))).toEqual({ action: 'retry', signIn: null, waitMs: 10_000 });
      expect(decideNext(kind, state({ attempt: 3, transientRetries: 2 }))).toEqual({ action: 'stop', reason: 'attempts-exhausted' });
    },
  );

  it('doubles the wait after every transient failure, not just the first two (10 s, 20 s, 40 s, 80 s, 160 s)', () => {
    const waits = [0, 1, 2, 3, 4].map((transientRetries) => {
      const d = decideNext('server-error', state({ attempt: transientRetries + 1, maxAttempts: 10, transientRetries }));
      return d.action === 'retry' ? d.waitMs : null;
    });
    expect(waits).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
  });

  it('caps the wait at five minutes once doubling would pass it, and not before', () => {
    const wait = (retryWaitMs: number, transientRetries: number) => {
      const d = decideNext('rate-limited', state({ attempt: 1, maxAttempts: 50, retryWaitMs, transientRetries }));
      return d.action === 'retry' ? d.waitMs : null;
    };
    expect(MAX_RETRY_WAIT_MS).toBe(300_000);
    expect(wait(100_000, 1)).toBe(200_000); // under the cap: the doubled wait itself
    expect(wait(100_000, 2)).toBe(300_000); // 400 s would be past it
    expect(wait(150_000, 1)).toBe(300_000); // exactly at it
    expect(wait(10_000, 30)).toBe(300_000);
  });

  it('retry-wait-seconds 0 means no wait at all, however often it retries', () => {
    expect(decideNext('network', state({ attempt: 2, maxAttempts: 5, retryWaitMs: 0, transientRetries: 3 }))).toEqual({
      action: 'retry',
      signIn: null,
      waitMs: 0,
    });
  });

  it('runs exactly max-attempts attempts: retries after attempt max-1, stops after attempt max', () => {
    expect(decideNext('timeout', state({ attempt: 2, maxAttempts: 3, transientRetries: 1 }))).toMatchObject({ action: 'retry' });
    expect(decideNext('timeout', state({ attempt: 3, maxAttempts: 3, transientRetries: 2 }))).toEqual({
      action: 'stop',
      reason: 'attempts-exhausted',
    });
    expect(decideNext('unauthorized', state({ attempt: 2, maxAttempts: 3, method: 'cached' }))).toMatchObject({ action: 'retry' });
    expect(decideNext('unauthorized', state({ attempt: 3, maxAttempts: 3, method: 'cached' }))).toEqual({
      action: 'stop',
      reason: 'attempts-exhausted',
    });
  });

  it('a cancelled step stops at once, with attempts and credentials left', () => {
    expect(decideNext('cancelled', state({ attempt: 1, maxAttempts: 5 }))).toEqual({ action: 'stop', reason: 'cancelled' });
  });
});

describe('attemptKind', () => {
  const base = { exitCode: 1, timedOut: false, stoppedEarly: null, verdict: null, codexExitCodes: null };
  it.each([
    ['exit 0 is success whatever the log said', { ...base, exitCode: 0, verdict: 'api-key-invalid' }, 'none'],
    ['a timeout wins over the log', { ...base, timedOut: true, verdict: 'network' }, 'timeout'],
    ['an early verdict wins', { ...base, stoppedEarly: 'api-key-invalid', exitCode: 143 }, 'api-key-invalid'],
    ['codex failed: the classifier decides', { ...base, verdict: 'refresh-token-reused', codexExitCodes: [1] }, 'refresh-token-reused'],
    [
      'codex succeeded, the script failed: other, even if the log quotes an auth error',
      { ...base, verdict: 'refresh-token-reused', codexExitCodes: [0] },
      'other',
    ],
    ['codex ran twice, the second failed', { ...base, verdict: 'api-key-invalid', codexExitCodes: [0, 1] }, 'api-key-invalid'],
    [
      "nobody counted (codex not on PATH at start): a line that is certainly codex's decides",
      { ...base, verdict: 'usage-limit', verdictIsCodexs: true },
      'usage-limit',
    ],
    ["nobody counted, and the line is not certainly codex's (docker's ERROR: … 401): other", { ...base, verdict: 'unauthorized' }, 'other'],
    ['no codex line at all: other', { ...base, codexExitCodes: [] }, 'other'],
    [
      "codex never ran through the shim: a line that is certainly codex's decides",
      { ...base, verdict: 'network', verdictIsCodexs: true, codexExitCodes: [] },
      'network',
    ],
    [
      "codex never ran through the shim, and the line is not certainly codex's: other",
      { ...base, verdict: 'network', verdictIsCodexs: false, codexExitCodes: [] },
      'other',
    ],
    [
      'codex ran and failed: its failure decides even in a form we have not seen',
      { ...base, verdict: 'unauthorized', verdictIsCodexs: false, codexExitCodes: [1] },
      'unauthorized',
    ],
    ['a cancelled step wins over everything', { ...base, cancelled: true, stoppedEarly: 'api-key-invalid', timedOut: true }, 'cancelled'],
    [
      'an early verdict wins over the timeout that came after',
      { ...base, stoppedEarly: 'refresh-token-reused', timedOut: true },
      'refresh-token-reused',
    ],
    ['exit 0 after codex failed once and then succeeded: none', { ...base, exitCode: 0, codexExitCodes: [1, 0] }, 'none'],
  ] as const)('%s', (_label, outcome, kind) => {
    expect(attemptKind(outcome)).toBe(kind);
  });
});
