// Naming why an attempt ended when it was neither codex's failure nor the script's own.
import { describe, expect, it } from '@jest/globals';
import { attemptKind, decideNext, fitsCredential, otherCause } from '../../src/recovery.js';

const names: Record<number, string> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };
const signalName = (n: number): string | null => names[n] ?? null;
const base = { signal: null, codexExitCodes: null, codexOnPath: true, signalName };

describe('otherCause', () => {
  it.each([
    ['codex never on PATH, bash says command not found', { ...base, exitCode: 127, codexOnPath: false }, { kind: 'codex-not-found' }],
    ['codex never on PATH, cmd says not recognised', { ...base, exitCode: 9009, codexOnPath: false }, { kind: 'codex-not-found' }],
    ['codex on PATH, something else not found', { ...base, exitCode: 127 }, null],
    ['codex missing but the script failed its own way', { ...base, exitCode: 1, codexOnPath: false }, null],
    ['the shell itself killed', { ...base, exitCode: 137, signal: 'SIGKILL' }, { kind: 'killed', signal: 'SIGKILL', exitCode: 137 }],
    [
      'codex OOM-killed, seen by the shim',
      { ...base, exitCode: 1, codexExitCodes: [137] },
      { kind: 'killed', signal: 'SIGKILL', exitCode: 137 },
    ],
    ['last command segfaulted', { ...base, exitCode: 139 }, { kind: 'killed', signal: 'SIGSEGV', exitCode: 139 }],
    ['a plain failing test', { ...base, exitCode: 1, codexExitCodes: [0] }, null],
    ['exit 128 is no signal', { ...base, exitCode: 128 }, null],
    ['exit 200 is no signal', { ...base, exitCode: 200 }, null],
    ['an unknown signal number', { ...base, exitCode: 128 + 40 }, null],
  ])('%s', (_name, outcome, expected) => {
    expect(otherCause(outcome)).toEqual(expected);
  });
});

describe('cancellation', () => {
  it('a cancelled attempt is cancelled, whatever else it printed', () => {
    expect(
      attemptKind({
        exitCode: 143,
        cancelled: true,
        timedOut: false,
        stoppedEarly: null,
        verdict: 'api-key-invalid',
        codexExitCodes: null,
      }),
    ).toBe('cancelled');
  });
  it('stops the ladder: no retry, no sign-in', () => {
    expect(
      decideNext('cancelled', {
        attempt: 1,
        maxAttempts: 5,
        method: 'chatgpt',
        secrets: ['chatgpt', 'api-key'],
        tried: new Set(['chatgpt']),
        transientRetries: 0,
        retryWaitMs: 1000,
      }),
    ).toEqual({ action: 'stop', reason: 'cancelled' });
  });
});

describe('fitsCredential', () => {
  it.each([
    ['api-key-invalid', 'api-key', true],
    ['api-key-invalid', 'cached', true],
    ['api-key-invalid', 'chatgpt', false],
    ['api-key-invalid', 'none', false],
    ['refresh-token-reused', 'chatgpt', true],
    ['refresh-token-expired', 'cached', true],
    ['refresh-failed', 'api-key', false],
    ['refresh-token-revoked', 'none', false],
    ['not-logged-in', 'api-key', true],
    ['not-logged-in', 'none', true],
  ] as const)('%s under %s: %s', (kind, method, expected) => {
    expect(fitsCredential(kind, method)).toBe(expected);
  });
});

describe('a CODEX_API_KEY in the environment', () => {
  const state = {
    attempt: 1,
    maxAttempts: 5,
    method: 'api-key' as const,
    secrets: ['chatgpt', 'api-key'] as const,
    tried: new Set<'chatgpt' | 'api-key'>(['api-key']),
    transientRetries: 0,
    retryWaitMs: 0,
  };
  it('a rejected key then stops the ladder: signing in cannot beat the environment', () => {
    expect(decideNext('api-key-invalid', { ...state, envCredential: 'env' })).toEqual({ action: 'stop', reason: 'env-credential' });
  });
  it('without it, the ladder goes on to the next secret', () => {
    expect(decideNext('api-key-invalid', { ...state, envCredential: null })).toEqual({
      action: 'retry',
      signIn: { credential: 'chatgpt' },
      waitMs: 0,
    });
  });
  it('an early stop fits it', () => {
    expect(fitsCredential('api-key-invalid', 'env')).toBe(true);
    expect(fitsCredential('refresh-token-reused', 'env')).toBe(false);
  });
});
