// Passing trouble (429, 5xx, a dropped connection) followed by success: main retries with the same
// credentials after doubling waits, succeeds, and tells the user in warnings what it got past. The fake
// codex's stateful mode fails its first N runs, then behaves normally.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { createMainHarness, type MainHarness } from '../../test-support/main-harness.js';

jest.setTimeout(30_000);

let h: MainHarness;
beforeEach(() => {
  h = createMainHarness();
});
afterEach(() => h.dispose());

const failFirst = (n: number, as: string) => ({
  FAKE_CODEX_FAIL_FIRST: String(n),
  FAKE_CODEX_FAIL_AS: as,
  FAKE_CODEX_STATE: path.join(h.tmp, 'fake-codex-runs'),
});

describe('transient failures, then success', () => {
  it.each([
    ['rate-limited', 'Rate limited'],
    ['server-error', 'OpenAI server errors'],
    ['network', 'Codex could not reach the API'],
  ])('%s twice, then success: three attempts, same credentials, waits doubling, job green', async (kind, title) => {
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-1001', 'retry-wait-seconds': '3', 'max-attempts': '3' },
      failFirst(2, kind),
    );
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toEqual({
      'exit-code': '0',
      attempts: '3',
      'failure-kind': 'none',
      // Retrying is not recovering credentials.
      recovered: 'false',
      'auth-method': 'api-key',
      // No write-back configured: nothing was saved to a secret.
      'auth-json-secret-updated': 'false',
    });
    expect(r.sleeps).toEqual([3000, 6000]);
    // Signed in once; the retries reuse it.
    expect(r.argvLog.match(/--with-api-key/g)).toHaveLength(1);
    expect(r.core.of('error')).toEqual([]);
    // One warning per failure got past, naming it and the wait before the next attempt.
    const warnings = r.core.of('warning');
    expect(warnings.map((w) => w.title)).toEqual([`codex-reauth retried: ${title} (${kind})`, `codex-reauth retried: ${title} (${kind})`]);
    expect(warnings[0].message).toContain('3.0 s');
    expect(warnings[1].message).toContain('6.0 s');
    expect(r.core.of('info').map((i) => i.message)).toEqual(
      expect.arrayContaining(['Retrying in 3 s with the same credentials.', 'Retrying in 6 s with the same credentials.']),
    );
  });

  it('keeps doubling past the second retry: waits of 1, 2, 4 and 8 s before success on attempt 5', async () => {
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-1002', 'retry-wait-seconds': '1', 'max-attempts': '5' },
      failFirst(4, 'server-error'),
    );
    expect(r.core.outputs).toMatchObject({ attempts: '5', 'failure-kind': 'none' });
    expect(r.sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('runs out of attempts while the trouble lasts: fails as that kind, with no wait after the last attempt', async () => {
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-1003', 'retry-wait-seconds': '2', 'max-attempts': '3' },
      failFirst(5, 'server-error'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs).toMatchObject({ attempts: '3', 'failure-kind': 'server-error', recovered: 'false' });
    expect(r.sleeps).toEqual([2000, 4000]);
    expect(r.core.of('warning')).toEqual([]);
    const [error] = r.core.of('error');
    expect(error.title).toBe('codex-reauth: OpenAI server errors (server-error)');
    expect(error.message).toContain('Gave up after 3 attempts (`max-attempts` is 3).');
  });

  it('with retry-wait-seconds 0 it retries at once, without sleeping', async () => {
    const r = await h.run({ run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-1004', 'max-attempts': '2' }, failFirst(1, 'network'));
    expect(r.core.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'none' });
    expect(r.sleeps).toEqual([]);
  });

  it('max-attempts 1: a transient failure is reported, never retried', async () => {
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-1005', 'retry-wait-seconds': '5', 'max-attempts': '1' },
      failFirst(1, 'rate-limited'),
    );
    expect(r.spawned).toBe(1);
    expect(r.core.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'rate-limited' });
    expect(r.sleeps).toEqual([]);
  });
});
