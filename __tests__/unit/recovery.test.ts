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
    '%s retries with the same credentials and doubling waits',
    (kind) => {
      expect(decideNext(kind, state({ attempt: 1, transientRetries: 0 }))).toEqual({ action: 'retry', signIn: null, waitMs: 10_000 });
      expect(decideNext(kind, state({ attempt: 2, transientRetries: 1 }))).toEqual({ action: 'retry', signIn: null, waitMs: 20_000 });
      expect(decideNext(kind, state({ attempt: 3, transientRetries: 2 }))).toEqual({ action: 'stop', reason: 'attempts-exhausted' });
    },
  );

  it('caps the backoff', () => {
    const d = decideNext('rate-limited', state({ attempt: 1, maxAttempts: 50, transientRetries: 30 }));
    expect(d).toEqual({ action: 'retry', signIn: null, waitMs: MAX_RETRY_WAIT_MS });
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
    ['nobody counted (codex not on PATH at start): the classifier decides', { ...base, verdict: 'usage-limit' }, 'usage-limit'],
    ['no codex line at all: other', { ...base, codexExitCodes: [] }, 'other'],
  ] as const)('%s', (_label, outcome, kind) => {
    expect(attemptKind(outcome)).toBe(kind);
  });
});
