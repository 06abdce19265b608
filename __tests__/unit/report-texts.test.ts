// The sentences a user reads after a run: why it stopped, what it got past, how long it waited. Each
// test pins a text that a plausible slip (a wrong count, a lost wait, a transient failure reported as
// a credential recovery) would change.
import { describe, expect, it } from '@jest/globals';
import {
  type AttemptRecord,
  failureAnnotation,
  type FinalContext,
  formatDuration,
  recoveryWarning,
  summaryMarkdown,
} from '../../src/report.js';

const HOME = '/home/runner/.codex';

const record = (overrides: Partial<AttemptRecord>): AttemptRecord => ({
  attempt: 1,
  method: 'api-key',
  exitCode: 1,
  kind: 'rate-limited',
  durationMs: 1200,
  evidence: null,
  cleared: [],
  ...overrides,
});

const final = (overrides: Partial<FinalContext>): FinalContext => ({
  kind: 'rate-limited',
  method: 'api-key',
  evidence: null,
  exitCode: 1,
  attempts: 3,
  maxAttempts: 3,
  reason: 'attempts-exhausted',
  triedSecrets: ['api-key'],
  codexHome: HOME,
  timeoutMinutes: 0,
  ...overrides,
});

describe('why the run stopped', () => {
  it.each([
    [2, 2],
    [3, 5],
  ])('out of attempts: "Gave up after %i attempts (`max-attempts` is %i)."', (attempts, maxAttempts) => {
    const { message } = failureAnnotation(final({ attempts, maxAttempts }));
    expect(message).toContain(`Gave up after ${attempts} attempts (\`max-attempts\` is ${maxAttempts}).`);
  });

  it('a failure that is not retried says nothing about attempts', () => {
    const { message } = failureAnnotation(final({ kind: 'usage-limit', reason: 'not-retryable', attempts: 1 }));
    expect(message).not.toContain('Gave up after');
    expect(message).not.toContain('none is left');
  });

  it('every secret tried: names each input, in the order tried', () => {
    const { message } = failureAnnotation(
      final({ kind: 'api-key-invalid', reason: 'no-credential-left', attempts: 2, triedSecrets: ['chatgpt', 'api-key'] }),
    );
    expect(message).toContain('Every credential given was tried (`codex-auth-json`, `openai-api-key`); none is left.');
  });

  it('nothing to sign in with: says no credential was given', () => {
    const { message } = failureAnnotation(final({ kind: 'not-logged-in', method: 'none', reason: 'no-credential-left', triedSecrets: [] }));
    expect(message).toContain('No credential was given to sign in with.');
  });

  it('the summary carries the same note as the annotation', () => {
    const md = summaryMarkdown([record({ attempt: 1 }), record({ attempt: 2 })], final({ attempts: 2, maxAttempts: 2 }), false);
    expect(md).toContain('Gave up after 2 attempts (`max-attempts` is 2).');
  });
});

describe('warnings for what the action got past', () => {
  it('a transient failure then success: "retried", the wait, and the same credentials', () => {
    const w = recoveryWarning(
      record({ attempt: 1, kind: 'server-error' }),
      record({ attempt: 2, kind: 'none', exitCode: 0 }),
      HOME,
      20_000,
    );
    expect(w.title).toBe('codex-reauth retried: OpenAI server errors (server-error)');
    expect(w.message).toBe(
      'Attempt 1 failed (`server-error`); attempt 2 succeeded after waiting 20.0 s with the same credentials.\n' +
        'Fix: nothing, unless it keeps happening. Then: This is usually temporary: re-run the job later, and check https://status.openai.com.',
    );
  });

  it('a transient failure followed by another: "failed too", with the kind', () => {
    const w = recoveryWarning(record({ attempt: 2, kind: 'rate-limited' }), record({ attempt: 3, kind: 'network' }), HOME, 4000);
    expect(w.message.split('\n')[0]).toBe(
      'Attempt 2 failed (`rate-limited`); attempt 3 failed too (`network`) after waiting 4.0 s with the same credentials.',
    );
  });

  it('an auth failure is "recovered", names the credential signed in with, and is never called a retry', () => {
    const w = recoveryWarning(
      record({ attempt: 1, method: 'cached', kind: 'refresh-token-reused' }),
      record({ attempt: 2, method: 'api-key', kind: 'none', exitCode: 0 }),
      HOME,
      0,
    );
    expect(w.title).toBe('codex-reauth recovered: Codex refresh token already used (refresh-token-reused)');
    expect(w.message).toContain('Attempt 1: ');
    expect(w.message).toContain('signed in again with the API key in `openai-api-key`');
    expect(w.message).toContain('attempt 2 succeeded.');
    // A stale cache needs nothing stored.
    expect(w.message).not.toContain('Fix it before it is needed');
  });

  it('a dead secret the action got past still asks for a fix, before it is needed', () => {
    const w = recoveryWarning(
      record({ attempt: 1, method: 'chatgpt', kind: 'refresh-token-expired' }),
      record({ attempt: 2, method: 'api-key', kind: 'none', exitCode: 0 }),
      HOME,
      0,
    );
    expect(w.message).toContain('The refresh token in the ChatGPT login in `codex-auth-json` has expired.');
    expect(w.message).toContain('Fix it before it is needed: Sign in again:');
  });
});

describe('durations as people read them', () => {
  it.each([
    [0, '0 ms'],
    [999, '999 ms'],
    [1000, '1.0 s'],
    [20_000, '20.0 s'],
    [59_900, '59.9 s'],
    [60_000, '1 min 0 s'],
    [90_000, '1 min 30 s'],
    [300_000, '5 min 0 s'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('the summary', () => {
  it('after passing trouble: a plain success, not a recovery', () => {
    const md = summaryMarkdown(
      [record({ attempt: 1, kind: 'rate-limited' }), record({ attempt: 2, kind: 'none', exitCode: 0 })],
      final({ kind: 'none', attempts: 2, reason: 'succeeded' }),
      false,
    );
    expect(md).toContain('✅ **Succeeded** in attempt 2, with the API key in `openai-api-key`.');
    expect(md).not.toContain('signing in again');
    expect(md).toContain('| 1 | API key (`openai-api-key`) | ❌ exit 1 | `rate-limited` | 1.2 s |');
    expect(md).toContain('| 2 | API key (`openai-api-key`) | ✅ exit 0 | `none` | 1.2 s |');
  });

  it('marks an attempt that cleared the cache first', () => {
    const md = summaryMarkdown(
      [
        record({ attempt: 1, method: 'cached', kind: 'unauthorized' }),
        record({ attempt: 2, method: 'chatgpt', kind: 'none', exitCode: 0, cleared: [`${HOME}/auth.json`] }),
      ],
      final({ kind: 'none', attempts: 2, reason: 'succeeded' }),
      true,
    );
    expect(md).toContain('✅ **Recovered:** attempt 2 succeeded after signing in again.');
    expect(md).toContain('| 1 | cached on the runner | ❌ exit 1 | `unauthorized` |');
    expect(md).toContain('| 2 | ChatGPT login (`codex-auth-json`) (after clearing the cache) | ✅ exit 0 | `none` |');
  });
});
