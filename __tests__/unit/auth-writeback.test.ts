import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuthJson } from '../../src/auth-json.js';
import {
  accountOf,
  concurrencyGroup,
  createAuthWriteback,
  decideWriteback,
  encodeLike,
  finishPendingWriteback,
  finishWriteback,
  parallelUseHint,
  preflightWriteback,
  readWritebackSettings,
  setupWriteback,
  staleSecretMessage,
  storedForm,
  WRITEBACK_STATE,
  WritebackError,
  type WritebackSettings,
  writebackTokenToMask,
} from '../../src/auth-writeback.js';
import { InputError } from '../../src/input-error.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';
import { mintJwt } from '../../test-support/openai-standin.js';
import { FakeCore } from '../../test-support/fake-core.js';

const idToken = (account: string, user = 'user-1') =>
  mintJwt({ 'https://api.openai.com/auth': { chatgpt_account_id: account, chatgpt_user_id: user } });
const login = (refresh: string, account = 'acct-1', user = 'user-1', accountField: string | undefined = account): AuthJson => ({
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: { id_token: idToken(account, user), access_token: `at-${refresh}-xxxxxxxx`, refresh_token: refresh, account_id: accountField },
  last_refresh: '2026-11-25T00:00:00Z',
});
const text = (auth: unknown) => `${JSON.stringify(auth, null, 2)}\n`;

describe('readWritebackSettings', () => {
  const env = { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'https://ghe.example.com/api/v3' };
  const read = (inputs: Record<string, string>, e: NodeJS.ProcessEnv = env, hasAuth = true) =>
    readWritebackSettings((name) => inputs[name] ?? '', e, hasAuth);

  it('off when auth-json-secret is empty', () => {
    expect(read({})).toBeNull();
    expect(read({ 'secrets-token': 'ghs_x' })).toBeNull();
  });

  it('a repository secret at GITHUB_API_URL', () => {
    expect(read({ 'auth-json-secret': ' CODEX_AUTH_JSON ', 'secrets-token': 'ghs_x' })).toEqual({
      secretName: 'CODEX_AUTH_JSON',
      token: 'ghs_x',
      target: { apiUrl: 'https://ghe.example.com/api/v3', repository: 'octo/app', environment: null },
    });
  });

  it('an environment secret; api.github.com when GITHUB_API_URL is unset', () => {
    const s = read(
      { 'auth-json-secret': 'X', 'auth-json-secret-environment': 'prod eu', 'secrets-token': 't' },
      { GITHUB_REPOSITORY: 'o/r' },
    );
    expect(s?.target).toEqual({ apiUrl: 'https://api.github.com', repository: 'o/r', environment: 'prod eu' });
  });

  it.each([
    [{ 'auth-json-secret-environment': 'prod' }, env, true, 'auth-json-secret-environment', "'auth-json-secret' is empty"],
    [{ 'auth-json-secret': '${{ secrets.X }}', 'secrets-token': 't' }, env, true, 'auth-json-secret', 'Give the name'],
    [{ 'auth-json-secret': 'X' }, env, true, 'secrets-token', 'GITHUB_TOKEN cannot write secrets'],
    [{ 'auth-json-secret': 'X', 'secrets-token': 't' }, env, false, 'auth-json-secret', 'codex-auth-json: ${{ secrets.X }}'],
    [{ 'auth-json-secret': 'X', 'secrets-token': 't' }, {}, true, 'auth-json-secret', 'GITHUB_REPOSITORY'],
  ] as const)('refuses %p', (inputs, e, hasAuth, input, words) => {
    let error: unknown;
    try {
      read(inputs, e, hasAuth);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe(input);
    expect((error as InputError).message).toContain(words);
  });
});

describe('writebackTokenToMask', () => {
  it('the token and its base64 forms; nothing when unset', () => {
    const masks = writebackTokenToMask((name) => (name === 'secrets-token' ? ' ghs_abcdefghijklmnop ' : ''));
    expect(masks[0]).toBe('ghs_abcdefghijklmnop');
    expect(masks).toContain(Buffer.from('ghs_abcdefghijklmnop').toString('base64'));
    expect(masks).toContain(Buffer.from('x-access-token:ghs_abcdefghijklmnop').toString('base64'));
    expect(writebackTokenToMask(() => '')).toEqual([]);
  });
});

describe('stored form', () => {
  const json = text(login('rt-1'));
  it.each([
    ['the file', json, 'json'],
    ['the file after blank space', `  ${json}`, 'json'],
    ['base64 -w0 of the file', Buffer.from(json).toString('base64'), 'base64'],
    ['URL-safe base64', Buffer.from(`${json}??>>`).toString('base64url'), 'base64url'],
  ] as const)('%s: recognised', (_label, raw, form) => {
    expect(storedForm(raw)).toBe(form);
  });

  it('base64 stays base64 and decodes to the new file; JSON stays the file', () => {
    expect(encodeLike('json', json)).toBe(json);
    expect(Buffer.from(encodeLike('base64', json), 'base64').toString()).toBe(json);
    expect(encodeLike('base64', json)).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(encodeLike('base64url', json), 'base64url').toString()).toBe(json);
  });
});

describe('decideWriteback', () => {
  const stored = login('rt-old');
  it.each([
    ['no file', null, { save: false, reason: 'missing' }],
    ['cut JSON', '{"tokens": {"refresh_token": "rt-', { save: false, reason: 'invalid-json' }],
    ['a JSON array', '[]', { save: false, reason: 'invalid-json' }],
    ['an API key login', text({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-xyz' }), { save: false, reason: 'not-chatgpt' }],
    ['unchanged', text(stored), { save: false, reason: 'unchanged' }],
    ['only last_refresh changed', text({ ...stored, last_refresh: '2026-12-01T00:00:00Z' }), { save: false, reason: 'unchanged' }],
    ['another account', text(login('rt-new', 'acct-2')), { save: false, reason: 'other-account' }],
    ['same account, another user', text(login('rt-new', 'acct-1', 'user-2')), { save: false, reason: 'other-account' }],
    ['no account anywhere', text({ tokens: { refresh_token: 'rt-new', access_token: 'a' } }), { save: false, reason: 'unknown-account' }],
  ])('%s: not written', (_name, current, expected) => {
    expect(decideWriteback(stored, current)).toEqual(expected);
  });

  it('rotated, same account: written as codex wrote it', () => {
    const current = text(login('rt-new'));
    expect(decideWriteback(stored, current)).toEqual({ save: true, text: current, parsed: JSON.parse(current) });
  });

  it('the account is read from the id_token when account_id is absent', () => {
    const noField = login('rt-new', 'acct-1', 'user-1', undefined);
    expect(accountOf(noField)).toEqual({ account: 'acct-1', user: 'user-1' });
    expect(decideWriteback(stored, text(noField)).save).toBe(true);
  });
});

describe('messages', () => {
  const target = { apiUrl: 'x', repository: 'octo/app', environment: 'prod eu' };
  it('the parallel-use hint shows a concurrency group to paste', () => {
    expect(concurrencyGroup('CODEX_AUTH_JSON', { ...target, environment: null })).toBe('codex-login-CODEX_AUTH_JSON');
    const hint = parallelUseHint('CODEX_AUTH_JSON', target);
    expect(hint).toContain('another job or run used the same copy of CODEX_AUTH_JSON at the same time');
    expect(hint).toContain('concurrency:\n  group: codex-login-CODEX_AUTH_JSON-prod-eu\n  cancel-in-progress: false');
  });
  it('the stale-secret annotation says what happens next and what to do', () => {
    const { title, message } = staleSecretMessage('CODEX_AUTH_JSON', target, 'HTTP 503.');
    expect(title).toBe('codex-reauth: could not save the rotated login to CODEX_AUTH_JSON');
    expect(message).toContain("the secret CODEX_AUTH_JSON of the environment 'prod eu' in octo/app failed: HTTP 503.");
    expect(message).toContain('The stored secret is now stale');
    expect(message).toContain('refresh-token-reused');
    expect(message).toContain('codex login');
  });
});

describe('createAuthWriteback against the stand-in', () => {
  let gh: GithubSecretsStandin;
  let dir: string;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['prod'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writeback-unit-'));
  });
  afterAll(async () => {
    await gh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function setup(options: { raw?: string; token?: string; environment?: string | null; name?: string } = {}) {
    const stored = login(`rt-${Math.random().toString(36).slice(2)}`);
    const raw = options.raw ?? text(stored);
    const name = options.name ?? 'CODEX_AUTH_JSON';
    const environment = options.environment ?? null;
    gh.setSecret('CODEX_AUTH_JSON', raw, environment);
    const authFile = path.join(dir, `auth-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(authFile, text(stored));
    const masked: string[] = [];
    const logs: string[] = [];
    const settings: WritebackSettings = {
      secretName: name,
      token: options.token ?? gh.token({ secrets: 'write', environments: 'write' }),
      target: { apiUrl: gh.url, repository: gh.repository, environment },
    };
    const writeback = createAuthWriteback({
      settings,
      stored: { parsed: stored, raw },
      authFile,
      core: {
        setSecret: (v) => masked.push(v),
        info: (m) => logs.push(m),
        warning: (m) => logs.push(`warning: ${m}`),
      },
      sleep: async () => {},
      clientOptions: { baseDelayMs: 1 },
    });
    return {
      writeback,
      stored,
      authFile,
      masked,
      logs,
      rotate: (refresh: string, account = 'acct-1') => fs.writeFileSync(authFile, text(login(refresh, account))),
    };
  }

  it('preflight proves write access without changing the stored secret, and leaves no temporary secret', async () => {
    const { writeback } = setup();
    const before = gh.secret('CODEX_AUTH_JSON');
    const writes = gh.writes.length;
    await writeback.preflight();
    expect(gh.secret('CODEX_AUTH_JSON')).toBe(before);
    expect(gh.secretNames()).toEqual(['CODEX_AUTH_JSON']);
    // exactly one write, to a throwaway name
    expect(gh.writes.slice(writes).map((w) => w.name)).toEqual([expect.stringMatching(/^CODEX_REAUTH_PREFLIGHT_[0-9A-F]{12}$/)]);
  });

  it.each([
    ['read-only token', { secrets: 'read' }, '(403 Forbidden)'],
    ['no access', { secrets: 'none' }, '(403 Forbidden)'],
  ] as const)('preflight refuses a %s, naming secrets-token', async (_n, grant, words) => {
    const { writeback } = setup({ token: gh.token(grant) });
    const error = (await writeback.preflight().catch((e: unknown) => e)) as WritebackError;
    expect(error).toBeInstanceOf(WritebackError);
    expect(error.title).toBe("codex-reauth: 'secrets-token' cannot write CODEX_AUTH_JSON");
    expect(error.message).toContain(words);
    expect(error.message).toContain('Nothing was run');
  });

  it('preflight refuses a name that is not an existing secret (a typo would leave the real one stale)', async () => {
    const { writeback } = setup({ name: 'CODEX_AUTH_JSNO' });
    const error = (await writeback.preflight().catch((e: unknown) => e)) as WritebackError;
    expect(error.title).toBe("codex-reauth: 'auth-json-secret' names no existing secret");
    expect(error.message).toContain("set 'auth-json-secret-environment'");
  });

  it('saves a rotation in base64 when base64 was stored, and masks the new tokens first', async () => {
    const stored = login('rt-b64-old');
    const raw = Buffer.from(text(stored)).toString('base64');
    const { writeback, authFile, masked } = setup({ raw });
    fs.writeFileSync(authFile, text(login('rt-b64-new')));
    writeback.capture();
    const outcome = await writeback.saveIfRotated();
    expect(outcome).toEqual({ updated: true, how: 'updated' });
    const saved = gh.secret('CODEX_AUTH_JSON')!;
    expect(saved).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(JSON.parse(Buffer.from(saved, 'base64').toString()).tokens.refresh_token).toBe('rt-b64-new');
    expect(masked).toEqual(expect.arrayContaining(['rt-b64-new', saved, text(login('rt-b64-new')).trim()]));
  });

  it('an unchanged login is not written', async () => {
    const { writeback, logs } = setup();
    const writes = gh.writes.length;
    expect(writeback.capture()).toEqual({ save: false, reason: 'unchanged' });
    expect(await writeback.saveIfRotated()).toEqual({ updated: false, skipped: 'unchanged' });
    expect(gh.writes.length).toBe(writes);
    expect(logs).toContain('Not writing CODEX_AUTH_JSON back: codex did not rotate the login (same refresh token).');
  });

  it('another account is not written', async () => {
    const { writeback, rotate } = setup();
    rotate('rt-other', 'acct-9');
    writeback.capture();
    expect(await writeback.saveIfRotated()).toEqual({ updated: false, skipped: 'other-account' });
  });

  it('nothing captured (the login from codex-auth-json never ran): not written, even if auth.json rotated', async () => {
    const { writeback, rotate, logs } = setup();
    rotate('rt-cached-runner-login');
    expect(await writeback.saveIfRotated()).toEqual({ updated: false, skipped: 'not-used' });
    expect(logs.at(-1)).toContain('no attempt ran with the login from codex-auth-json');
  });

  it('a rotation captured before a later sign-in replaced auth.json is still saved', async () => {
    const { writeback, authFile, rotate } = setup();
    rotate('rt-captured');
    expect(writeback.capture().save).toBe(true);
    fs.writeFileSync(authFile, text({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-fallback-key' }));
    expect(await writeback.saveIfRotated()).toEqual({ updated: true, how: 'updated' });
    expect(JSON.parse(gh.secret('CODEX_AUTH_JSON')!).tokens.refresh_token).toBe('rt-captured');
  });

  it('an environment secret is written to the environment', async () => {
    const { writeback, rotate } = setup({ environment: 'prod' });
    const repoValue = gh.secret('CODEX_AUTH_JSON');
    rotate('rt-env-new');
    writeback.capture();
    expect(await writeback.saveIfRotated()).toMatchObject({ updated: true });
    expect(JSON.parse(gh.secret('CODEX_AUTH_JSON', 'prod')!).tokens.refresh_token).toBe('rt-env-new');
    expect(gh.secret('CODEX_AUTH_JSON')).toBe(repoValue);
  });

  it('5xx on save is retried; when it never stops, the outcome is the stale-secret annotation', async () => {
    const a = setup();
    a.rotate('rt-retry');
    a.writeback.capture();
    gh.failNext(2, { method: 'PUT', status: 500 });
    expect(await a.writeback.saveIfRotated()).toMatchObject({ updated: true });
    expect(a.logs.filter((l) => l.includes('retrying'))).toHaveLength(2);

    const b = setup();
    b.rotate('rt-never');
    b.writeback.capture();
    gh.failNext(5, { method: 'PUT', status: 503 });
    const outcome = await b.writeback.saveIfRotated();
    expect(outcome).toMatchObject({
      updated: false,
      failed: { title: 'codex-reauth: could not save the rotated login to CODEX_AUTH_JSON' },
    });
    expect(JSON.stringify(outcome)).toContain('HTTP 503, after 5 tries');
    expect(JSON.stringify(outcome)).not.toContain('rt-never');
  });
});

describe('the step: preflight, finish, and the post step finishing what main could not', () => {
  let gh: GithubSecretsStandin;
  let home: string;
  const savedExitCode = process.exitCode;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app' });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'writeback-step-'));
  });
  afterAll(async () => {
    process.exitCode = savedExitCode;
    await gh.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  function step(grant: { secrets: 'read' | 'write' }) {
    const stored = login(`rt-step-${Math.random().toString(36).slice(2)}`);
    const raw = text(stored);
    gh.setSecret('CODEX_AUTH_JSON', raw);
    const token = gh.token(grant);
    const core = new FakeCore({ 'auth-json-secret': 'CODEX_AUTH_JSON', 'secrets-token': token, 'codex-auth-json': raw });
    const codexHome = fs.mkdtempSync(path.join(home, 'codex-'));
    fs.writeFileSync(path.join(codexHome, 'auth.json'), raw);
    core.saveState('codexHome', codexHome);
    const env = { ...gh.env() };
    const writeback = setupWriteback(core, env, { codexHome, codexAuthJson: { parsed: stored, raw } })!;
    return {
      core,
      env,
      codexHome,
      writeback,
      rotate: (rt: string) => fs.writeFileSync(path.join(codexHome, 'auth.json'), text(login(rt))),
    };
  }

  it('write-back off: no capability', () => {
    expect(setupWriteback(new FakeCore({}), {}, { codexHome: home, codexAuthJson: null })).toBeNull();
  });

  it("write-back asked for without codex-auth-json: an input error naming 'auth-json-secret', before codex runs", () => {
    const core = new FakeCore({ 'auth-json-secret': 'CODEX_AUTH_JSON', 'secrets-token': 'ghs_x' });
    expect(() => setupWriteback(core, { GITHUB_REPOSITORY: 'o/r' }, { codexHome: home, codexAuthJson: null })).toThrow(
      "Input 'auth-json-secret' is set but 'codex-auth-json' is empty",
    );
  });

  it('an access-only copy is never written back: an input error naming auth-json-secret, before codex runs', () => {
    const core = new FakeCore({ 'auth-json-secret': 'CODEX_AUTH_ACCESS', 'secrets-token': 'ghs_x' });
    const copy = { ...login('rt-unused'), tokens: { ...login('rt-unused').tokens, refresh_token: '' } };
    expect(() =>
      setupWriteback(core, { GITHUB_REPOSITORY: 'o/r' }, { codexHome: home, codexAuthJson: { parsed: copy, raw: JSON.stringify(copy) } }),
    ).toThrow("Input 'auth-json-secret' is set, but `codex-auth-json` holds an access-only copy");
  });

  it('a refused preflight: one error annotation, outputs set, exit code 1, nothing pending', async () => {
    process.exitCode = 0;
    const { core, writeback } = step({ secrets: 'read' });
    expect(await preflightWriteback(writeback, core)).toBe(false);
    expect(core.of('error')).toHaveLength(1);
    expect(core.of('error')[0].title).toBe("codex-reauth: 'secrets-token' cannot write CODEX_AUTH_JSON (other)");
    expect(core.outputs).toEqual({ 'failure-kind': 'other', attempts: '0', 'auth-json-secret-updated': 'false' });
    expect(core.state[WRITEBACK_STATE]).toBeUndefined();
    expect(process.exitCode).toBe(1);
  });

  it('preflight then finish: pending, then done, output true', async () => {
    process.exitCode = 0;
    const { core, writeback, rotate } = step({ secrets: 'write' });
    expect(await preflightWriteback(writeback, core)).toBe(true);
    expect(core.state[WRITEBACK_STATE]).toBe('pending');
    rotate('rt-step-rotated');
    writeback.capture();
    await finishWriteback(writeback, core);
    expect(core.state[WRITEBACK_STATE]).toBe('done');
    expect(core.outputs['auth-json-secret-updated']).toBe('true');
    expect(refreshOf(gh.secret('CODEX_AUTH_JSON')!)).toBe('rt-step-rotated');
    expect(process.exitCode).toBe(0);
  });

  it('cancelled and the quick save fails: no stale-secret error yet, still pending for the post step', async () => {
    process.exitCode = 0;
    const { core, writeback, rotate } = step({ secrets: 'write' });
    expect(await preflightWriteback(writeback, core)).toBe(true);
    rotate('rt-cancelled');
    writeback.capture();
    gh.failNext(2, { method: 'PUT', name: 'CODEX_AUTH_JSON', status: 503 });
    await finishWriteback(writeback, core, { cancelled: true });
    expect(core.state[WRITEBACK_STATE]).toBe('pending');
    expect(core.outputs['auth-json-secret-updated']).toBe('false');
    expect(core.of('error')).toEqual([]);
    expect(core.of('info').at(-1)?.message).toBe('Could not save the rotated login before the step ends; the post step will try again.');
    expect(process.exitCode).toBe(0);
  });

  it('post: saves the rotation main never saved (main was killed), masking the token first', async () => {
    const { core, env, rotate, codexHome } = step({ secrets: 'write' });
    core.saveState(WRITEBACK_STATE, 'pending');
    core.saveState('wroteAuthFile', path.join(codexHome, 'auth.json'));
    rotate('rt-post-rotated');
    await finishPendingWriteback(core, env, codexHome);
    expect(refreshOf(gh.secret('CODEX_AUTH_JSON')!)).toBe('rt-post-rotated');
    expect(core.calls[0]).toEqual({ fn: 'setSecret', args: [] });
    expect(core.secrets[0]).toBe(core.getInput('secrets-token'));
  });

  it("post: nothing to do when main finished, write-back never started, auth.json is not the action's, or the inputs name another codex-home", async () => {
    for (const [state, wrote, inputsHome] of [
      ['done', true, 'same'],
      ['', true, 'same'],
      ['pending', false, 'same'],
      ['pending', true, 'other'],
      ['pending', true, 'none'],
    ] as const) {
      const { core, env, rotate, codexHome } = step({ secrets: 'write' });
      const before = gh.secret('CODEX_AUTH_JSON');
      if (state) core.saveState(WRITEBACK_STATE, state);
      if (wrote) core.saveState('wroteAuthFile', path.join(codexHome, 'auth.json'));
      rotate('rt-post-untouched');
      const given = inputsHome === 'same' ? codexHome : inputsHome === 'other' ? path.join(home, 'elsewhere') : null;
      await finishPendingWriteback(core, env, given);
      expect(gh.secret('CODEX_AUTH_JSON')).toBe(before);
      expect(core.calls.filter((c) => c.fn !== 'setSecret')).toEqual([]);
    }
  });
});

const refreshOf = (value: string): string => JSON.parse(value).tokens.refresh_token;
