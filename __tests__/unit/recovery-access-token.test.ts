// The ladder's decisions about workspace access tokens, as tables: where the token stands on the
// ladder, what a bare 401 is charged to, when an attempt stops at codex's first retry, and that a
// token from the job's environment is never "fixed" by clearing and signing in.
import { describe, expect, it } from '@jest/globals';
import type { FailureKind } from '../../src/failure-kinds.js';
import {
  type AuthMethod,
  chargeToCredential,
  decideNext,
  earlyStop,
  fitsCredential,
  type LadderState,
  planFirstAttempt,
  SECRET_ORDER,
} from '../../src/recovery.js';

const state = (over: Partial<LadderState>): LadderState => ({
  attempt: 1,
  maxAttempts: 3,
  method: 'chatgpt',
  secrets: ['chatgpt', 'access-token', 'api-key'],
  tried: new Set(['chatgpt']),
  transientRetries: 0,
  retryWaitMs: 10_000,
  envCredential: null,
  ...over,
});

describe('the ladder', () => {
  it('is ChatGPT login, then workspace access token, then API key (plan usage before pay-per-use)', () => {
    expect(SECRET_ORDER).toEqual(['chatgpt', 'access-token', 'api-key']);
    expect(planFirstAttempt('auto', false, ['access-token', 'api-key'])).toEqual({
      signIn: { credential: 'access-token' },
      method: 'access-token',
    });
  });

  it.each<[string, Partial<LadderState>, FailureKind, object]>([
    ['a dead ChatGPT login falls to the access token', {}, 'refresh-token-reused', { signIn: { credential: 'access-token' } }],
    [
      'a rejected access token falls to the API key',
      { method: 'access-token', tried: new Set(['chatgpt', 'access-token']), attempt: 2 },
      'access-token-invalid',
      { signIn: { credential: 'api-key' } },
    ],
    [
      'a rejected access token with nothing behind it stops',
      { method: 'access-token', secrets: ['access-token'], tried: new Set(['access-token']) },
      'access-token-invalid',
      { action: 'stop', reason: 'no-credential-left' },
    ],
    [
      'a rejected access token from the environment stops, clearing nothing',
      { method: 'env-access-token', envCredential: 'env-access-token' },
      'access-token-invalid',
      { action: 'stop', reason: 'env-credential' },
    ],
    [
      "an environment token does not stop the ladder for another credential's failure",
      { method: 'env-access-token', envCredential: 'env-access-token' },
      'refresh-token-expired',
      { action: 'retry' },
    ],
    [
      'a rejected CODEX_API_KEY still stops as before',
      { method: 'env', envCredential: 'env' },
      'api-key-invalid',
      { action: 'stop', reason: 'env-credential' },
    ],
  ])('%s', (_what, over, kind, expected) => {
    expect(decideNext(kind, state(over))).toMatchObject(expected);
  });
});

describe('chargeToCredential: what a failure is charged as, given what the attempt ran with', () => {
  it.each<[FailureKind, AuthMethod, FailureKind]>([
    // codex names no credential in a bare 401: under an access token it is the token's failure.
    ['unauthorized', 'access-token', 'access-token-invalid'],
    ['unauthorized', 'env-access-token', 'access-token-invalid'],
    // A refused token is dropped by codex, which then sends nothing: still the token's failure.
    ['not-logged-in', 'access-token', 'access-token-invalid'],
    ['not-logged-in', 'env-access-token', 'access-token-invalid'],
    // Nothing signed in: a bare 401 means nobody is.
    ['unauthorized', 'none', 'not-logged-in'],
    // Everything else keeps its kind.
    ['unauthorized', 'chatgpt', 'unauthorized'],
    ['unauthorized', 'api-key', 'unauthorized'],
    ['unauthorized', 'cached', 'unauthorized'],
    ['not-logged-in', 'none', 'not-logged-in'],
    ['not-logged-in', 'api-key', 'not-logged-in'],
    ['usage-limit', 'access-token', 'usage-limit'],
    ['rate-limited', 'access-token', 'rate-limited'],
    ['network', 'env-access-token', 'network'],
    ['other', 'access-token', 'other'],
    ['none', 'access-token', 'none'],
  ])('%s under %s → %s', (kind, method, expected) => {
    expect(chargeToCredential(kind, method)).toBe(expected);
  });
});

describe("earlyStop: stopping at codex's first retry", () => {
  const ev = (kind: FailureKind) => ({ kind, line: `line for ${kind}` });
  it.each<[string, FailureKind | null, FailureKind | null, AuthMethod, FailureKind | null]>([
    ['a bare 401 under an access token: nothing refreshes it', null, 'unauthorized', 'access-token', 'access-token-invalid'],
    ['the same from the environment', null, 'unauthorized', 'env-access-token', 'access-token-invalid'],
    ['no credentials sent under an access token', 'not-logged-in', 'not-logged-in', 'access-token', 'access-token-invalid'],
    ['a bare 401 under a ChatGPT login: codex refreshes and may succeed', null, 'unauthorized', 'chatgpt', null],
    ['a bare 401 under an API key', null, 'unauthorized', 'api-key', null],
    ['a bare 401 with nothing signed in', null, 'unauthorized', 'none', null],
    ['a rejected key under an access token is quoted text', 'api-key-invalid', 'api-key-invalid', 'access-token', null],
    ['a dead refresh token under an access token is quoted text', 'refresh-token-reused', 'refresh-token-reused', 'access-token', null],
    ['a rejected key under the key stops as before', 'api-key-invalid', 'api-key-invalid', 'api-key', 'api-key-invalid'],
    ['nothing seen yet', null, null, 'access-token', null],
  ])('%s', (_what, decisive, auth, method, expected) => {
    const stop = earlyStop(decisive && ev(decisive), auth && ev(auth), method);
    expect(stop?.kind ?? null).toBe(expected);
  });

  it('quotes the retry it stopped at', () => {
    expect(earlyStop(null, ev('unauthorized'), 'access-token')?.evidence.line).toBe('line for unauthorized');
    expect(earlyStop(ev('not-logged-in'), ev('unauthorized'), 'access-token')?.evidence.line).toBe('line for not-logged-in');
  });
});

describe('fitsCredential for access tokens', () => {
  it.each<[AuthMethod, boolean]>([
    ['access-token', true],
    ['env-access-token', true],
    ['cached', true],
    ['chatgpt', false],
    ['api-key', false],
    ['env', false],
    ['none', false],
  ])('access-token-invalid fits %s: %s', (method, expected) => {
    expect(fitsCredential('access-token-invalid', method)).toBe(expected);
  });
});
