// The keeper's orchestration with fakes: a fake codex refresher that rewrites auth.json as codex does,
// in-memory secrets clients that can refuse, and the real write-back and copy logic around them. Each
// failure of the keeper: what each secret holds afterwards, and the one annotation.
import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuthJson } from '../../src/auth-json.js';
import { createAuthWriteback, WRITEBACK_STATE } from '../../src/auth-writeback.js';
import { ACCESS_ONLY_OUTPUT, createCopySecret } from '../../src/access-only-secret.js';
import type { RefreshRun } from '../../src/codex-refresh.js';
import { SecretsApiError, type SecretsClient, type SecretTarget } from '../../src/github-secrets.js';
import {
  EXPIRES_AT_OUTPUT,
  KEEPER_STATE,
  keeperSummary,
  type KeeperDependencies,
  refusedKind,
  reportKeeper,
  runKeeper,
} from '../../src/keeper.js';
import { FakeCore } from '../../test-support/fake-core.js';
import { mintJwt } from '../../test-support/openai-standin.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const H = 3600;
const D = 24 * H;
const FULL = 'CODEX_AUTH_JSON';
const COPY = 'CODEX_AUTH_ACCESS';
const repoTarget: SecretTarget = { apiUrl: 'https://api.github.test', repository: 'octo/app', environment: null };

const access = (expiresInSeconds: number, label: string) =>
  mintJwt({
    iat: NOW.getTime() / 1000,
    exp: NOW.getTime() / 1000 + expiresInSeconds,
    label,
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1' },
  });
const login = (refresh: string, expiresInSeconds: number, label = refresh): AuthJson => ({
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: {
    id_token: mintJwt({ 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1', chatgpt_user_id: 'user-1' } }),
    access_token: access(expiresInSeconds, `access-${label}`),
    refresh_token: refresh,
    account_id: 'acct-1',
  },
  last_refresh: '2026-12-06T12:00:00Z',
});
const text = (auth: unknown) => `${JSON.stringify(auth, null, 2)}\n`;

/** An in-memory secrets client; `refuse(name)` makes writes of that name fail. */
function memoryClient(
  target: SecretTarget,
  store: Map<string, string>,
  refuse: (name: string, op: 'put' | 'exists') => Error | null = () => null,
): SecretsClient {
  return {
    target,
    publicKey: async () => ({ keyId: '1', key: 'k' }),
    async exists(name) {
      const error = refuse(name, 'exists');
      if (error) throw error;
      return store.has(name);
    },
    async put(name, value) {
      const error = refuse(name, 'put');
      if (error) throw error;
      const had = store.has(name);
      store.set(name, value);
      return had ? 'updated' : 'created';
    },
    async delete(name) {
      store.delete(name);
    },
  };
}

const okRun = (over: Partial<RefreshRun> = {}): RefreshRun => ({
  answered: true,
  errorMessage: null,
  log: { attempted: true, failedStatus: null, failureLine: null },
  exitCode: 0,
  timedOut: false,
  cancelled: false,
  durationMs: 600,
  spawnError: null,
  ...over,
});
const failedRun = (status: number | null): RefreshRun =>
  okRun({
    log: { attempted: true, failedStatus: status, failureLine: status ? `Failed to refresh token status=${status} Unauthorized` : null },
  });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

interface Setup {
  /** The stored login's access token expires in this many seconds. */
  expiresIn?: number;
  /** What each refresh does: a new refresh token to rotate to (with this lifetime), or the run to report. */
  refreshes?: Array<{ rotateTo: string; lifetime?: number } | RefreshRun>;
  refuse?: (name: string, op: 'put' | 'exists') => Error | null;
  noCodex?: boolean;
  maxAttempts?: number;
  signal?: AbortSignal;
}

function setup(options: Setup = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keeper-unit-'));
  dirs.push(dir);
  const authFile = path.join(dir, 'auth.json');
  const stored = login('rt-SECRET-0', options.expiresIn ?? 9 * D, 'stored');
  const storedText = text(stored);
  const store = new Map<string, string>([[FULL, storedText]]);
  const core = new FakeCore({});
  const refuse = options.refuse ?? (() => null);
  const fullLogin = createAuthWriteback({
    settings: { secretName: FULL, token: 'ghs_x', target: repoTarget },
    stored: { parsed: stored, raw: storedText },
    authFile,
    core,
    createClient: async (o) => memoryClient(o.target, store, refuse),
  });
  const copy = createCopySecret({
    settings: { secretName: COPY, target: repoTarget },
    token: 'ghs_x',
    log: core,
    createClient: async (o) => memoryClient(o.target, store, refuse),
  });
  const refreshes = [...(options.refreshes ?? [])];
  const calls = { refresh: 0, sleeps: [] as number[], wroteAuthFile: 0 };
  const deps: KeeperDependencies = {
    core,
    now: () => NOW,
    sleep: async (ms) => {
      calls.sleeps.push(ms);
    },
    signal: options.signal,
    login: stored,
    writeAuthFile: () => {
      calls.wroteAuthFile += 1;
      fs.writeFileSync(authFile, storedText, { mode: 0o600 });
    },
    refresher: options.noCodex
      ? null
      : {
          async refresh() {
            calls.refresh += 1;
            const next = refreshes.shift();
            if (!next) throw new Error('unexpected refresh');
            if ('rotateTo' in next) {
              // What codex does: the rotated login replaces auth.json.
              fs.writeFileSync(authFile, text({ ...login(next.rotateTo, next.lifetime ?? 10 * D), last_refresh: NOW.toISOString() }));
              return okRun();
            }
            return next;
          },
        },
    fullLogin,
    fullSecretName: FULL,
    copy,
    maxAttempts: options.maxAttempts ?? 3,
    retryWaitMs: 1000,
  };
  const copyOf = () => (store.has(COPY) ? JSON.parse(store.get(COPY)!) : undefined);
  const full = () => JSON.parse(store.get(FULL)!);
  return { deps, core, store, calls, stored, storedText, copyOf, full };
}

describe('runKeeper: the refresh is not due', () => {
  it('writes the copy of the current access token, leaves the full login alone, never starts codex', async () => {
    const { deps, calls, copyOf, store, storedText, stored, core } = setup({ expiresIn: 9 * D });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'none', attempts: 0, refreshed: false, fullSaved: false, copySaved: true, failure: null });
    expect(calls).toEqual({ refresh: 0, sleeps: [], wroteAuthFile: 0 });
    expect(store.get(FULL)).toBe(storedText);
    expect(copyOf()).toMatchObject({
      auth_mode: 'chatgptAuthTokens',
      tokens: { access_token: stored.tokens.access_token, refresh_token: '' },
    });
    expect(result.expiresAt?.toISOString()).toBe(new Date(NOW.getTime() + 9 * D * 1000).toISOString());
    expect(core.of('info').map((i) => i.message)).toContain(
      'The access token is valid until 2026-12-16T12:00:00Z (in 9 days): no refresh before it expires within 5 days.',
    );
    expect(core.state).toMatchObject({ [KEEPER_STATE]: 'done', [WRITEBACK_STATE]: 'done' });
  });
});

describe('runKeeper: the refresh is due', () => {
  it('codex refreshes: the rotated login is saved, the copy holds its new access token and no refresh token', async () => {
    const { deps, calls, copyOf, full, core } = setup({ expiresIn: 2 * D, refreshes: [{ rotateTo: 'rt-SECRET-1' }] });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'none', attempts: 1, refreshed: true, fullSaved: true, copySaved: true, failure: null });
    expect(calls.wroteAuthFile).toBe(1);
    expect(full().tokens.refresh_token).toBe('rt-SECRET-1');
    expect(copyOf().tokens).toMatchObject({ access_token: full().tokens.access_token, refresh_token: '' });
    expect(JSON.stringify(copyOf())).not.toContain('rt-SECRET');
    expect(result.expiresAt?.toISOString()).toBe('2026-12-17T12:00:00.000Z');
    // The copy and its access token are masked before the copy is written.
    expect(core.secrets).toContain(full().tokens.access_token);
    expect(core.secrets.some((s) => s.includes('"refresh_token": ""'))).toBe(true);
    expect(core.of('warning')).toEqual([]);
  });

  it('a fresh token that lives 1 hour: done, with a warning to run the keeper more often', async () => {
    const { deps, core } = setup({ expiresIn: 60, refreshes: [{ rotateTo: 'rt-SECRET-1', lifetime: H }] });
    expect((await runKeeper(deps)).kind).toBe('none');
    expect(core.of('warning')).toEqual([
      expect.objectContaining({ title: 'codex-reauth: access tokens live too short for a daily keeper' }),
    ]);
  });

  it('a refused refresh token: neither secret changes; the annotation says to store a new login', async () => {
    const { deps, store, storedText, copyOf, core } = setup({ expiresIn: H, refreshes: [failedRun(401)] });
    const result = await runKeeper(deps);
    // Main is done with the secrets: the post step has nothing to save.
    expect(core.state).toMatchObject({ [KEEPER_STATE]: 'done', [WRITEBACK_STATE]: 'done' });
    expect(result).toMatchObject({ kind: 'refresh-failed', attempts: 1, refreshed: false, fullSaved: false, copySaved: false });
    expect(store.get(FULL)).toBe(storedText);
    expect(copyOf()).toBeUndefined();
    expect(result.failure?.title).toBe("codex-reauth: the keeper's ChatGPT login cannot be refreshed");
    expect(result.failure?.message).toContain('(codex: Failed to refresh token status=401 Unauthorized)');
    expect(result.failure?.message).toContain(
      `Nothing was written: ${FULL} still holds this login, and the repository secret ${COPY} of octo/app is unchanged`,
    );
    expect(result.failure?.message).toContain('valid until 2026-12-07T13:00:00Z (in 60 minutes)');
    expect(result.failure?.message).toContain(`gh secret set ${FULL} < ~/.codex/auth.json`);
  });

  it('the token endpoint fails twice, then codex refreshes: retried with doubling waits', async () => {
    const { deps, calls, full } = setup({ expiresIn: H, refreshes: [failedRun(502), failedRun(null), { rotateTo: 'rt-SECRET-2' }] });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'none', attempts: 3, fullSaved: true, copySaved: true });
    expect(calls.sleeps).toEqual([1000, 2000]);
    expect(full().tokens.refresh_token).toBe('rt-SECRET-2');
  });

  it.each([
    [502, 'server-error', 'answered 502'],
    [429, 'rate-limited', 'answered 429'],
    [null, 'network', 'did not answer'],
  ] as const)('the token endpoint keeps failing (%s): %s after max-attempts, nothing written', async (status, kind, said) => {
    const { deps, calls, store, storedText, copyOf } = setup({
      expiresIn: H,
      refreshes: [failedRun(status), failedRun(status)],
      maxAttempts: 2,
    });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind, attempts: 2 });
    expect(calls.sleeps).toEqual([1000]);
    expect(store.get(FULL)).toBe(storedText);
    expect(copyOf()).toBeUndefined();
    expect(result.failure?.message).toContain(`the token endpoint ${said}`);
    expect(result.failure?.message).toContain('The refresh token was not spent.');
  });

  it.each([
    [
      okRun({ spawnError: 'spawn codex ENOENT', answered: false, log: { attempted: false, failedStatus: null, failureLine: null } }),
      'could not be started (spawn codex ENOENT)',
    ],
    [
      okRun({ timedOut: true, answered: false, log: { attempted: false, failedStatus: null, failureLine: null } }),
      'did not answer in time',
    ],
    [
      okRun({ answered: false, exitCode: 2, log: { attempted: false, failedStatus: null, failureLine: null } }),
      'exited with code 2 without answering',
    ],
    [okRun({ errorMessage: 'boom', log: { attempted: false, failedStatus: null, failureLine: null } }), 'answered with an error (boom)'],
    [okRun({ log: { attempted: false, failedStatus: null, failureLine: null } }), 'answered without refreshing'],
  ])('codex does not try (%#): other, nothing written, no retry', async (run, words) => {
    const { deps, calls, store, storedText } = setup({ expiresIn: H, refreshes: [run] });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'other', attempts: 1 });
    expect(calls.sleeps).toEqual([]);
    expect(result.failure?.message).toContain(words);
    expect(store.get(FULL)).toBe(storedText);
  });

  it('no codex on PATH: says to install it, writes no auth.json, nothing written', async () => {
    const { deps, calls, store, storedText, copyOf } = setup({ expiresIn: H, noCodex: true });
    const result = await runKeeper(deps);
    expect(result.failure?.title).toBe('codex-reauth: codex is not installed');
    expect(calls.wroteAuthFile).toBe(0);
    expect(store.get(FULL)).toBe(storedText);
    expect(copyOf()).toBeUndefined();
  });

  it('cancelled while codex ran: stops, leaves the state pending for the post step', async () => {
    const controller = new AbortController();
    controller.abort();
    const { deps, core } = setup({ expiresIn: H, refreshes: [okRun({ cancelled: true, answered: false })], signal: controller.signal });
    const result = await runKeeper(deps);
    expect(result.kind).toBe('cancelled');
    expect(core.state).toMatchObject({ [KEEPER_STATE]: 'pending', [WRITEBACK_STATE]: 'pending' });
  });
});

describe('refusedKind: what an older codex says about a refused refresh token', () => {
  it.each([
    ['Failed to refresh token status=401 Unauthorized', 'refresh-failed'],
    [
      'Failed to refresh token status=401 Unauthorized detail=TokenErrorDetail { error_code: Some("refresh_token_reused"), error_message: None }',
      'refresh-token-reused',
    ],
    [
      'Failed to refresh token: 401 Unauthorized: {"error":{"message":"refresh failed: refresh_token_expired","code":"refresh_token_expired"}}',
      'refresh-token-expired',
    ],
    ['Failed to refresh token: 401 Unauthorized: {"error":{"code":"refresh_token_invalidated"}}', 'refresh-token-revoked'],
    [null, 'refresh-failed'],
  ] as const)('%s → %s', (line, kind) => {
    expect(refusedKind(line)).toBe(kind);
  });
});

describe('runKeeper: a secret it cannot write', () => {
  const forbidden = (name: string) =>
    new SecretsApiError(`\`secrets-token\` is not allowed to write the secret ${name} (403 Forbidden).`, 403, 'write the secret');

  it('the full login secret fails its preflight: codex never runs, nothing written', async () => {
    const { deps, calls, copyOf } = setup({
      expiresIn: H,
      refuse: (name, op) => (op === 'put' && name.startsWith('CODEX_REAUTH_PREFLIGHT') ? forbidden(name) : null),
    });
    const result = await runKeeper(deps);
    expect(calls.refresh).toBe(0);
    expect(result.kind).toBe('other');
    expect(result.failure?.title).toBe(`codex-reauth: 'secrets-token' cannot write ${FULL}`);
    expect(result.failure?.message).toContain('The keeper stopped before codex refreshed anything.');
    expect(copyOf()).toBeUndefined();
  });

  it("the copy's secret fails its preflight (cannot read it): codex never runs, nothing written", async () => {
    const { deps, calls, store, storedText } = setup({
      expiresIn: H,
      refuse: (name, op) => (op === 'exists' && name === COPY ? forbidden(name) : null),
    });
    const result = await runKeeper(deps);
    expect(calls.refresh).toBe(0);
    expect(result.failure?.title).toBe(`codex-reauth: 'secrets-token' cannot write ${COPY}`);
    expect(result.failure?.message).toContain('The keeper stopped before codex refreshed anything');
    expect(store.get(FULL)).toBe(storedText);
  });

  it('refreshed, the full login cannot be saved, the copy can: says the full secret is stale and the copy holds until when', async () => {
    const { deps, copyOf, full, core } = setup({
      expiresIn: H,
      refreshes: [{ rotateTo: 'rt-SECRET-3' }],
      refuse: (name, op) => (op === 'put' && name === FULL ? new Error('HTTP 502, after 5 tries.') : null),
    });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'other', refreshed: true, fullSaved: false, copySaved: true });
    expect(full().tokens.refresh_token).toBe('rt-SECRET-0');
    expect(copyOf().tokens.refresh_token).toBe('');
    expect(result.failure?.title).toBe(`codex-reauth: could not save the rotated login to ${FULL}`);
    expect(result.failure?.message).toContain('The stored secret is now stale');
    expect(result.failure?.message).toContain(
      `The repository secret ${COPY} of octo/app was updated and is valid until 2026-12-17T12:00:00Z (in 10 days)`,
    );
    expect(result.failure?.message).toContain(`run \`codex login\` on a trusted machine, store ~/.codex/auth.json in ${FULL}`);
    // auth.json on this runner is the only copy of the rotated login: the post step must try again.
    expect(core.state).toMatchObject({ [KEEPER_STATE]: 'pending', [WRITEBACK_STATE]: 'pending' });
    expect(result.failure?.message).toContain('The post step of this job tries to save the rotated login once more');
  });

  it('refreshed and saved, the copy cannot be written: says the full login is safe and to run the keeper again', async () => {
    const { deps, copyOf, full, core } = setup({
      expiresIn: H,
      refreshes: [{ rotateTo: 'rt-SECRET-4' }],
      refuse: (name, op) => (op === 'put' && name === COPY ? new Error('HTTP 500, after 5 tries.') : null),
    });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'other', refreshed: true, fullSaved: true, copySaved: false });
    expect(full().tokens.refresh_token).toBe('rt-SECRET-4');
    expect(copyOf()).toBeUndefined();
    expect(result.failure?.title).toBe(`codex-reauth: could not write the access-only copy to ${COPY}`);
    expect(result.failure?.message).toContain(`Codex refreshed the login and it was saved to ${FULL}`);
    expect(result.failure?.message).toContain('failed: HTTP 500, after 5 tries. It still holds the previous copy');
    expect(result.expiresAt?.toISOString()).toBe('2026-12-07T13:00:00.000Z'); // what consumers still hold, at best
    // The full login is saved: nothing is left for the post step (the next keeper run writes the copy).
    expect(core.state).toMatchObject({ [KEEPER_STATE]: 'done', [WRITEBACK_STATE]: 'done' });
  });

  it('refreshed, neither can be written: both states in one annotation', async () => {
    const { deps } = setup({
      expiresIn: H,
      refreshes: [{ rotateTo: 'rt-SECRET-5' }],
      refuse: (name, op) => (op === 'put' && (name === COPY || name === FULL) ? new Error('HTTP 503.') : null),
    });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'other', fullSaved: false, copySaved: false });
    expect(result.failure?.message).toContain('The stored secret is now stale');
    expect(result.failure?.message).toContain(
      'Writing the access-only copy to the repository secret CODEX_AUTH_ACCESS of octo/app failed too: HTTP 503.',
    );
  });

  it('not due, the copy cannot be written', async () => {
    const { deps, store, storedText } = setup({
      expiresIn: 9 * D,
      refuse: (name, op) => (op === 'put' && name === COPY ? new Error('HTTP 500.') : null),
    });
    const result = await runKeeper(deps);
    expect(result).toMatchObject({ kind: 'other', refreshed: false, copySaved: false });
    expect(result.failure?.message).toContain(
      `The login was not due for a refresh (valid until 2026-12-16T12:00:00Z (in 9 days)), so ${FULL} is unchanged.`,
    );
    expect(store.get(FULL)).toBe(storedText);
  });
});

describe('reportKeeper and the summary', () => {
  it('a kept login: outputs, summary, no annotation', async () => {
    const { deps } = setup({ expiresIn: 2 * D, refreshes: [{ rotateTo: 'rt-SECRET-6' }] });
    const result = await runKeeper(deps);
    const core = new FakeCore({});
    const exitCode = process.exitCode;
    await reportKeeper(result, core, { full: FULL, copy: COPY }, NOW);
    expect(process.exitCode).toBe(exitCode);
    expect(core.outputs).toEqual({
      'failure-kind': 'none',
      attempts: '1',
      'exit-code': '0',
      recovered: 'false',
      'auth-method': 'chatgpt',
      'auth-json-secret-updated': 'true',
      [ACCESS_ONLY_OUTPUT]: 'true',
      [EXPIRES_AT_OUTPUT]: '2026-12-17T12:00:00Z',
    });
    expect(core.of('error')).toEqual([]);
    expect(core.summary).toContain('✅ The keeper kept the login.');
    expect(core.summary).toContain('| The access token is | valid until 2026-12-17T12:00:00Z (in 10 days) |');
  });

  it('a failed keeper: one error annotation and exit code 1', async () => {
    const { deps } = setup({ expiresIn: H, refreshes: [failedRun(401)] });
    const result = await runKeeper(deps);
    const core = new FakeCore({});
    const exitCode = process.exitCode;
    try {
      await reportKeeper(result, core, { full: FULL, copy: COPY }, NOW);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = exitCode;
    }
    expect(core.of('error')).toEqual([{ message: result.failure!.message, title: result.failure!.title }]);
    expect(core.outputs).toMatchObject({
      'failure-kind': 'refresh-failed',
      'auth-json-secret-updated': 'false',
      [ACCESS_ONLY_OUTPUT]: 'false',
    });
    expect(keeperSummary(result, { full: FULL, copy: COPY }, NOW)).toContain("❌ the keeper's ChatGPT login cannot be refreshed");
  });
});
