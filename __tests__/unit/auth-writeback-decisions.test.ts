// Write-back decisions as a user sees them: which inputs are refused and with what words, which
// auth.json is written to the secret (and in what form, decrypted by the stand-in), what is masked,
// and the annotations, outputs and exit code of main and of the post step.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
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
  staleSecretMessage,
  storedForm,
  WRITEBACK_STATE,
  type AuthWriteback,
  type WritebackSettings,
  writebackTokenToMask,
} from '../../src/auth-writeback.js';
import { InputError } from '../../src/input-error.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';
import { mintJwt } from '../../test-support/openai-standin.js';
import { FakeCore } from '../../test-support/fake-core.js';

const idToken = (claims: unknown) => mintJwt({ 'https://api.openai.com/auth': claims });
const login = (refresh: string, account = 'acct-1', user: string | null = 'user-1'): AuthJson => ({
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: {
    id_token: idToken({ chatgpt_account_id: account, chatgpt_user_id: user ?? undefined }),
    access_token: `at-${refresh}-xxxxxxxx`,
    refresh_token: refresh,
    account_id: account,
  },
  last_refresh: '2026-11-25T00:00:00Z',
});
const text = (auth: unknown) => `${JSON.stringify(auth, null, 2)}\n`;
const refreshOf = (value: string): string => JSON.parse(value).tokens.refresh_token;

describe('readWritebackSettings', () => {
  const env = { GITHUB_REPOSITORY: 'octo/app' };
  const read = (inputs: Record<string, string>, e: NodeJS.ProcessEnv = env, hasAuth = true) =>
    readWritebackSettings((name) => inputs[name] ?? '', e, hasAuth);
  const refusal = (inputs: Record<string, string>, e: NodeJS.ProcessEnv = env, hasAuth = true): InputError => {
    try {
      read(inputs, e, hasAuth);
    } catch (error) {
      return error as InputError;
    }
    throw new Error('not refused');
  };

  it('trims the environment, the token and GITHUB_API_URL / GITHUB_REPOSITORY', () => {
    const settings = read(
      { 'auth-json-secret': 'X', 'auth-json-secret-environment': '  prod \n', 'secrets-token': ' ghs_tok \n' },
      { GITHUB_REPOSITORY: ' octo/app ', GITHUB_API_URL: ' https://ghe.example.com/api/v3 ' },
    );
    expect(settings).toEqual({
      secretName: 'X',
      token: 'ghs_tok',
      target: { apiUrl: 'https://ghe.example.com/api/v3', repository: 'octo/app', environment: 'prod' },
    });
  });

  it('a blank environment means a repository secret; a blank GITHUB_API_URL means api.github.com', () => {
    expect(
      read({ 'auth-json-secret': 'X', 'auth-json-secret-environment': '   ', 'secrets-token': 't' }, { ...env, GITHUB_API_URL: ' ' })
        ?.target,
    ).toEqual({
      apiUrl: 'https://api.github.com',
      repository: 'octo/app',
      environment: null,
    });
  });

  it('a blank secret name with no environment leaves write-back off', () => {
    expect(read({ 'auth-json-secret': '  ', 'auth-json-secret-environment': ' ', 'secrets-token': 't' })).toBeNull();
  });

  it.each(['o/r', 'octo-org/app.js'])('accepts GITHUB_REPOSITORY %p', (repository) => {
    expect(read({ 'auth-json-secret': 'X', 'secrets-token': 't' }, { GITHUB_REPOSITORY: repository })?.target.repository).toBe(repository);
  });

  it.each(['octo', 'octo/app/x', '/app', 'octo/', 'octo/my app', 'my octo/app'])(
    'refuses GITHUB_REPOSITORY %p, quoting it',
    (repository) => {
      const error = refusal({ 'auth-json-secret': 'X', 'secrets-token': 't' }, { GITHUB_REPOSITORY: repository });
      expect(error.message).toBe(
        `Input 'auth-json-secret' needs GITHUB_REPOSITORY (owner/name), which the runner sets; got '${repository}'.`,
      );
    },
  );

  it('refuses a missing GITHUB_REPOSITORY (run outside a runner), quoting it as empty', () => {
    expect(refusal({ 'auth-json-secret': 'X', 'secrets-token': 't' }, {}).message).toBe(
      "Input 'auth-json-secret' needs GITHUB_REPOSITORY (owner/name), which the runner sets; got ''.",
    );
  });

  it('the refusals, word for word', () => {
    expect(refusal({ 'auth-json-secret-environment': 'prod' }).message).toBe(
      "Input 'auth-json-secret-environment' is set but 'auth-json-secret' is empty: name the secret to write back to.",
    );
    expect(refusal({ 'auth-json-secret': '1X', 'secrets-token': 't' }).message).toBe(
      "Input 'auth-json-secret' must be the name of an Actions secret (letters, digits and _, not starting with a digit or GITHUB_), e.g. CODEX_AUTH_JSON; got '1X'. Give the name, not ${{ secrets.… }}.",
    );
    expect(refusal({ 'auth-json-secret': 'MY_LOGIN', 'secrets-token': 't' }, env, false).message).toBe(
      "Input 'auth-json-secret' is set but 'codex-auth-json' is empty: pass the same secret, `codex-auth-json: ${{ secrets.MY_LOGIN }}` (secrets are empty in workflows triggered from forks, including Dependabot).",
    );
    expect(refusal({ 'auth-json-secret': 'X', 'secrets-token': '  ' }).message).toBe(
      "Input 'secrets-token' is required with 'auth-json-secret': a GitHub App installation token with secrets: write (actions/create-github-app-token) or a fine-grained personal access token with \"Secrets: Read and write\". GITHUB_TOKEN cannot write secrets. (Secrets are empty in workflows triggered from forks, including Dependabot.)",
    );
  });
});

describe('writebackTokenToMask', () => {
  it('masks the token, its base64 and base64url forms, and the basic-auth forms git and curl send', () => {
    const token = 'ghs_ab?de>gh?jk>mnop';
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    const b64url = (v: string) => Buffer.from(v).toString('base64url');
    expect(new Set(writebackTokenToMask((name) => (name === 'secrets-token' ? token : 'other input')))).toEqual(
      new Set([token, b64(token), b64url(token), b64(`x-access-token:${token}`), b64url(`x-access-token:${token}`)]),
    );
  });

  it('a blank token masks nothing', () => {
    expect(writebackTokenToMask(() => '   ')).toEqual([]);
  });
});

describe('the form the login is stored in', () => {
  it.each([
    ['a dash', 'eyJ0b2tlbnMi-fQ', 'base64url'],
    ['an underscore', 'eyJ0b2tlbnMi_fQ', 'base64url'],
    ['neither', 'eyJ0b2tlbnMifQ==', 'base64'],
    ['a brace after white space', '\n  {"tokens": {}}', 'json'],
    ['base64 after white space', '  eyJ0b2tlbnMifQ==\n', 'base64'],
  ] as const)('base64 with %s is %p', (_label, raw, form) => {
    expect(storedForm(raw)).toBe(form);
  });

  it('base64 is standard base64, URL-safe stays URL-safe', () => {
    const json = '{"a":"???>>>"}';
    expect(encodeLike('base64', json)).toBe(Buffer.from(json).toString('base64'));
    expect(encodeLike('base64', json)).toContain('/');
    expect(encodeLike('base64url', json)).toBe(Buffer.from(json).toString('base64url'));
  });
});

describe('whose login it is', () => {
  const withToken = (tokens: Record<string, unknown>): AuthJson =>
    ({ tokens: { refresh_token: 'r', access_token: 'a', ...tokens } }) as AuthJson;

  it.each([
    [
      'an id_token without its signature part',
      { id_token: idToken({ chatgpt_account_id: 'acct-9' }).split('.').slice(0, 2).join('.') },
      { account: null, user: null },
    ],
    ['an id_token with four parts', { id_token: `${idToken({ chatgpt_account_id: 'acct-9' })}.x` }, { account: null, user: null }],
    ['an id_token whose payload is not JSON', { id_token: 'a.bm90IGpzb24.c' }, { account: null, user: null }],
    ['claims that are not an object', { id_token: idToken('acct-1') }, { account: null, user: null }],
    ['claims that are null', { id_token: idToken(null) }, { account: null, user: null }],
    ['empty ids', { id_token: idToken({ chatgpt_account_id: '', chatgpt_user_id: '' }), account_id: '' }, { account: null, user: null }],
    [
      'an empty account_id, the id_token names it',
      { id_token: idToken({ chatgpt_account_id: 'acct-9' }), account_id: '' },
      { account: 'acct-9', user: null },
    ],
    [
      'account_id wins over the id_token',
      { id_token: idToken({ chatgpt_account_id: 'acct-9', chatgpt_user_id: 'u' }), account_id: 'acct-1' },
      { account: 'acct-1', user: 'u' },
    ],
    ['a non-string id', { id_token: idToken({ chatgpt_account_id: 7 }) }, { account: null, user: null }],
  ])('%s', (_label, tokens, expected) => {
    expect(accountOf(withToken(tokens))).toEqual(expected);
  });
});

describe('decideWriteback', () => {
  const stored = login('rt-old');
  it.each([
    ['JSON null', 'invalid-json', 'null'],
    ['a JSON string', 'invalid-json', '"{}"'],
    ['a JSON number', 'invalid-json', '42'],
    ['tokens null', 'not-chatgpt', text({ tokens: null })],
    ['tokens a string', 'not-chatgpt', text({ tokens: 'rt-new' })],
    ['an empty refresh token', 'not-chatgpt', text(login(''))],
    ['a numeric refresh token', 'not-chatgpt', text({ tokens: { refresh_token: 5, account_id: 'acct-1' } })],
    ['rotated but its account cannot be told', 'unknown-account', text({ tokens: { refresh_token: 'rt-new' } })],
  ])('%s: not written (%s)', (_label, reason, current) => {
    expect(decideWriteback(stored, current)).toEqual({ save: false, reason });
  });

  it('a stored login whose account cannot be told is never overwritten', () => {
    const unknown = { tokens: { refresh_token: 'rt-old', access_token: 'a' } } as AuthJson;
    expect(decideWriteback(unknown, text(login('rt-new')))).toEqual({ save: false, reason: 'unknown-account' });
  });

  it.each([
    ['the stored login names no user', login('rt-old', 'acct-1', null), login('rt-new', 'acct-1', 'user-1')],
    ['the new login names no user', login('rt-old', 'acct-1', 'user-1'), login('rt-new', 'acct-1', null)],
  ])('same account, %s: written', (_label, was, now) => {
    expect(decideWriteback(was, text(now))).toMatchObject({ save: true, text: text(now) });
  });
});

describe('texts for the user', () => {
  const repo = { apiUrl: 'x', repository: 'octo/app', environment: null };
  it('the concurrency group joins every run of white space in the environment with one dash', () => {
    expect(concurrencyGroup('L', { ...repo, environment: 'prod  eu\twest' })).toBe('codex-login-L-prod-eu-west');
    expect(concurrencyGroup('L', { ...repo, environment: '' })).toBe('codex-login-L');
  });

  it('the parallel-use hint, whole', () => {
    expect(parallelUseHint('CODEX_AUTH_JSON', repo)).toBe(
      ' With write-back on, this means another job or run used the same copy of CODEX_AUTH_JSON at the same time ' +
        '(each refresh token works once). Serialise every workflow that uses this secret by adding:\n' +
        'concurrency:\n  group: codex-login-CODEX_AUTH_JSON\n  cancel-in-progress: false\n' +
        'Then store a fresh login once (run `codex login` on a trusted machine and put ~/.codex/auth.json in CODEX_AUTH_JSON).',
    );
  });

  it('the stale-secret message, whole', () => {
    expect(staleSecretMessage('CODEX_AUTH_JSON', repo, 'HTTP 503.').message).toBe(
      'Codex rotated the ChatGPT login, but saving it to the repository secret CODEX_AUTH_JSON of octo/app failed: HTTP 503. ' +
        'The stored secret is now stale: its refresh token has been used, so the next run will fail with refresh-token-reused. ' +
        'Run `codex login` on a trusted machine and store the new ~/.codex/auth.json in CODEX_AUTH_JSON.',
    );
  });
});

describe('the write-back against the stand-in', () => {
  let gh: GithubSecretsStandin;
  let dir: string;
  const savedExitCode = process.exitCode;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['prod'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writeback-decisions-'));
  });
  afterEach(() => {
    process.exitCode = savedExitCode;
  });
  afterAll(async () => {
    await gh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  function setup(
    options: {
      raw?: (stored: AuthJson) => string;
      environment?: string | null;
      name?: string;
      token?: string;
      env?: NodeJS.ProcessEnv;
    } = {},
  ) {
    n += 1;
    const stored = login(`rt-dec-${n}-old`);
    const raw = options.raw ? options.raw(stored) : text(stored);
    const environment = options.environment ?? null;
    const name = options.name ?? `DEC_${n}`;
    gh.setSecret(`DEC_${n}`, raw, environment);
    const authFile = path.join(dir, `auth-${n}.json`);
    fs.writeFileSync(authFile, text(stored));
    const core = new FakeCore({});
    const waits: number[] = [];
    const settings: WritebackSettings = {
      secretName: name,
      token: options.token ?? gh.token({ secrets: 'write', environments: 'write' }),
      target: { apiUrl: gh.url, repository: gh.repository, environment },
    };
    const writeback = createAuthWriteback({
      settings,
      stored: { parsed: stored, raw },
      authFile,
      core,
      env: options.env,
      sleep: async (ms) => {
        waits.push(ms);
      },
      randomHex: (bytes) => 'ab12'.repeat(bytes).slice(0, bytes * 2),
      clientOptions: { baseDelayMs: 1 },
    });
    return {
      writeback,
      core,
      name,
      waits,
      authFile,
      rotate: (refresh: string) => fs.writeFileSync(authFile, text(login(refresh))),
    };
  }

  it('preflight: a missing environment secret is named, and the fix says "in that environment"', async () => {
    const { writeback } = setup({ environment: 'prod', name: 'NOT_THERE' });
    const error = (await writeback.preflight().catch((e: unknown) => e)) as Error & { title: string };
    expect(error.title).toBe("codex-reauth: 'auth-json-secret' names no existing secret");
    expect(error.name).toBe('WritebackError');
    expect(error.message).toBe(
      "The secret NOT_THERE of the environment 'prod' in octo/app does not exist. 'auth-json-secret' must name the secret that `codex-auth-json` comes from, in that environment.",
    );
  });

  it('preflight: a missing repository secret suggests the environment input', async () => {
    const { writeback } = setup({ name: 'NOT_THERE' });
    const error = (await writeback.preflight().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      "The repository secret NOT_THERE of octo/app does not exist. 'auth-json-secret' must name the secret that `codex-auth-json` comes from; if it is an environment secret, set 'auth-json-secret-environment' to the environment's name (organization secrets are not supported).",
    );
  });

  it('preflight: a temporary secret that cannot be deleted is named in a warning; write access is still proven', async () => {
    const { writeback, core, name } = setup();
    gh.failNext(5, { method: 'DELETE', status: 503 });
    await writeback.preflight();
    expect(core.of('warning')).toEqual([
      {
        message:
          'Could not delete the temporary secret CODEX_REAUTH_PREFLIGHT_AB12AB12AB12; delete it by hand. Could not delete the secret: HTTP 503, after 5 tries.',
        title: 'codex-reauth: temporary secret left behind',
      },
    ]);
    expect(gh.secret('CODEX_REAUTH_PREFLIGHT_AB12AB12AB12')).toBe('codex-reauth preflight: safe to delete');
    expect(core.of('info').at(-1)?.message).toBe(
      `secrets-token can write the repository secret ${name} of octo/app: a rotated login will be saved there.`,
    );
  });

  it('preflight: GitHub failing for good says what failed, lower-cased into the sentence', async () => {
    const { writeback, name } = setup();
    gh.failNext(5, { method: 'GET', status: 503 });
    const error = (await writeback.preflight().catch((e: unknown) => e)) as Error & { title: string };
    expect(error.title).toBe(`codex-reauth: 'secrets-token' cannot write ${name}`);
    expect(error.message).toBe(
      `Write-back to the repository secret ${name} of octo/app is on, but checking that it can be written failed: Could not read the secret: HTTP 503, after 5 tries. ` +
        'Nothing was run: codex would have rotated the login and the new one could not have been saved.',
    );
  });

  it('preflight: the workflow GITHUB_TOKEN passed as secrets-token is called out', async () => {
    const token = gh.token({ secrets: 'read' });
    const { writeback } = setup({ token, env: { GITHUB_TOKEN: token } });
    const error = (await writeback.preflight().catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("`secrets-token` is the workflow's GITHUB_TOKEN, and GITHUB_TOKEN cannot write secrets");
  });

  it('preflight: a temporary secret whose delete failed without an Error is still reported', async () => {
    const core = new FakeCore({});
    const client = {
      target: { apiUrl: 'x', repository: 'octo/app', environment: null },
      publicKey: async () => ({ keyId: 'k', key: 'k' }),
      exists: async () => true,
      put: async () => 'created' as const,
      delete: () => Promise.reject(42),
    };
    const writeback = createAuthWriteback({
      settings: { secretName: 'S', token: 't', target: client.target },
      stored: { parsed: login('r'), raw: text(login('r')) },
      authFile: path.join(dir, 'none.json'),
      core,
      randomHex: () => '0a0b0c0d0e0f',
      createClient: async () => client,
    });
    await writeback.preflight();
    expect(core.of('warning')).toEqual([
      {
        message: 'Could not delete the temporary secret CODEX_REAUTH_PREFLIGHT_0A0B0C0D0E0F; delete it by hand. ',
        title: 'codex-reauth: temporary secret left behind',
      },
    ]);
  });

  /** A write-back to secret S whose GitHub client cannot be made: `failure` is what creating it rejects with. */
  const unreachableWriteback = (failure: unknown) =>
    createAuthWriteback({
      settings: { secretName: 'S', token: 't', target: { apiUrl: gh.url, repository: 'octo/app', environment: null } },
      stored: { parsed: login('r'), raw: text(login('r')) },
      authFile: path.join(dir, 'none.json'),
      core: new FakeCore({}),
      createClient: () => Promise.reject(failure),
    });

  it.each([
    ['a dot inside but none at the end', 'getaddrinfo ENOTFOUND api.github.com', 'getaddrinfo ENOTFOUND api.github.com.'],
    ['its own full stop and white space after it', 'Proxy said no. \n', 'Proxy said no.'],
    ['white space and no full stop', 'Proxy said no \n', 'Proxy said no.'],
  ])('preflight: a cause with %s reads as one sentence', async (_label, cause, shown) => {
    await expect(unreachableWriteback(new Error(cause)).preflight()).rejects.toThrow(
      `checking that it can be written failed: ${shown} Nothing was run:`,
    );
  });

  it('preflight: something thrown that is not an Error is still reported', async () => {
    await expect(unreachableWriteback('Proxy said no').preflight()).rejects.toThrow(
      'Write-back to the repository secret S of octo/app is on, but checking that it can be written failed: Proxy said no. Nothing was run: codex would have rotated the login and the new one could not have been saved.',
    );
  });

  it.each([
    ['the file', (s: AuthJson) => text(s), (v: string) => v],
    [
      'URL-safe base64',
      (s: AuthJson) => Buffer.from(text({ ...s, note: '??????' })).toString('base64url'),
      (v: string) => Buffer.from(v, 'base64url').toString(),
    ],
  ])('a rotation stored as %s is saved in that form', async (_label, raw, decode) => {
    const { writeback, rotate, name, core } = setup({ raw });
    rotate('rt-form-new');
    writeback.capture();
    expect(await writeback.saveIfRotated()).toEqual({ updated: true, how: 'updated' });
    const saved = gh.secret(name)!;
    expect(refreshOf(decode(saved))).toBe('rt-form-new');
    expect(core.secrets).toContain(saved.trim());
    expect(core.of('info').at(-1)?.message).toBe(
      `Saved the rotated ChatGPT login to the repository secret ${name} of octo/app (${_label === 'the file' ? 'JSON' : 'base64url'}).`,
    );
  });

  it('the log says in which form it was saved', async () => {
    const { writeback, rotate, name, core } = setup();
    rotate('rt-log-new');
    writeback.capture();
    await writeback.saveIfRotated();
    expect(core.of('info').at(-1)?.message).toBe(`Saved the rotated ChatGPT login to the repository secret ${name} of octo/app (JSON).`);
  });

  it('the newest of two captured rotations is saved, and each secret value is masked once', async () => {
    const { writeback, rotate, name, core } = setup();
    rotate('rt-first');
    expect(writeback.capture().save).toBe(true);
    expect(writeback.capture().save).toBe(false); // the same rotation again: unchanged
    rotate('rt-second');
    expect(writeback.capture().save).toBe(true);
    await writeback.saveIfRotated();
    expect(refreshOf(gh.secret(name)!)).toBe('rt-second');
    expect(core.secrets).toContain('rt-first');
    expect(core.secrets).toContain('rt-second');
    expect(new Set(core.secrets).size).toBe(core.secrets.length);
  });

  it('a rotation that was captured, then an unreadable auth.json: the captured one is still saved', async () => {
    const { writeback, rotate, name, authFile } = setup();
    rotate('rt-kept');
    writeback.capture();
    fs.writeFileSync(authFile, '{');
    expect(writeback.capture()).toEqual({ save: false, reason: 'invalid-json' });
    expect(await writeback.saveIfRotated()).toEqual({ updated: true, how: 'updated' });
    expect(refreshOf(gh.secret(name)!)).toBe('rt-kept');
  });

  it('skipped when the last capture found no auth.json', async () => {
    const { writeback, authFile, core, name } = setup();
    fs.rmSync(authFile);
    writeback.capture();
    expect(await writeback.saveIfRotated()).toEqual({ updated: false, skipped: 'missing' });
    expect(core.of('info').at(-1)?.message).toBe(`Not writing ${name} back: codex-home holds no auth.json.`);
  });

  it('finishWriteback: a save that fails for good is one error annotation, output false, exit code 1, state done', async () => {
    process.exitCode = 0;
    const { writeback, rotate, name, core, waits } = setup();
    rotate('rt-fails');
    writeback.capture();
    gh.failNext(5, { method: 'PUT', status: 502 });
    await finishWriteback(writeback, core);
    expect(core.outputs['auth-json-secret-updated']).toBe('false');
    expect(core.state[WRITEBACK_STATE]).toBe('done');
    expect(core.of('error')).toEqual([
      {
        title: `codex-reauth: could not save the rotated login to ${name}`,
        message: expect.stringContaining(
          `saving it to the repository secret ${name} of octo/app failed: Could not write the secret: HTTP 502, after 5 tries.`,
        ),
      },
    ]);
    expect(process.exitCode).toBe(1);
    expect(waits).toHaveLength(4);
    expect(core.of('info').map((i) => i.message)).toContain(
      'codex-reauth: Could not write the secret (HTTP 502); retrying in 0 s (retry 1 of 4).',
    );
  });

  it('finishWriteback: nothing rotated is not a failure', async () => {
    process.exitCode = 0;
    const { writeback, core } = setup();
    writeback.capture();
    await finishWriteback(writeback, core);
    expect(core.outputs['auth-json-secret-updated']).toBe('false');
    expect(core.state[WRITEBACK_STATE]).toBe('done');
    expect(core.of('error')).toEqual([]);
    expect(process.exitCode).toBe(0);
  });

  it('finishWriteback: a cancelled step tries twice at most', async () => {
    const { writeback, rotate, name, core } = setup();
    rotate('rt-quick');
    writeback.capture();
    gh.failNext(1, { method: 'PUT', status: 502 });
    await finishWriteback(writeback, core, { cancelled: true });
    expect(core.outputs['auth-json-secret-updated']).toBe('true');
    expect(refreshOf(gh.secret(name)!)).toBe('rt-quick');
    expect(core.state[WRITEBACK_STATE]).toBe('done');
  });

  it('preflightWriteback: an error that is not a WritebackError still gets a title naming secrets-token', async () => {
    process.exitCode = 0;
    const core = new FakeCore({});
    for (const thrown of [new Error('socket hang up'), 'plain words']) {
      const broken = {
        preflight: () => Promise.reject(thrown),
      } as unknown as AuthWriteback;
      expect(await preflightWriteback(broken, core)).toBe(false);
    }
    expect(core.of('error')).toEqual([
      { message: 'socket hang up', title: "codex-reauth: 'secrets-token' cannot write the secret (other)" },
      { message: 'plain words', title: "codex-reauth: 'secrets-token' cannot write the secret (other)" },
    ]);
    expect(process.exitCode).toBe(1);
  });

  describe('the post step', () => {
    function post(inputs: { auth?: string; token?: string; name?: string }) {
      n += 1;
      const stored = login(`rt-post-${n}-old`);
      const raw = text(stored);
      const name = inputs.name ?? `POST_${n}`;
      gh.setSecret(`POST_${n}`, raw);
      const codexHome = fs.mkdtempSync(path.join(dir, 'home-'));
      fs.writeFileSync(path.join(codexHome, 'auth.json'), raw);
      const core = new FakeCore({
        'auth-json-secret': name,
        'secrets-token': inputs.token ?? gh.token({ secrets: 'write' }),
        'codex-auth-json': inputs.auth ?? raw,
      });
      core.saveState(WRITEBACK_STATE, 'pending');
      core.saveState('codexHome', codexHome);
      core.saveState('wroteAuthFile', path.join(codexHome, 'auth.json'));
      return { core, codexHome, name, rotate: (rt: string) => fs.writeFileSync(path.join(codexHome, 'auth.json'), text(login(rt))) };
    }

    it('says it is saving what main could not, then saves it', async () => {
      const { core, codexHome, name, rotate } = post({});
      rotate('rt-post-saved');
      await finishPendingWriteback(core, gh.env(), codexHome);
      expect(refreshOf(gh.secret(name)!)).toBe('rt-post-saved');
      expect(core.of('info')[0].message).toBe('The main step ended before it could save the login codex rotated; saving it now.');
      expect(core.of('error')).toEqual([]);
    });

    it('a codex-home given relative to the working folder, with a trailing separator, is the same folder', async () => {
      const { core, codexHome, name, rotate } = post({});
      rotate('rt-post-slash');
      await finishPendingWriteback(core, gh.env(), `${path.relative(process.cwd(), codexHome)}${path.sep}`);
      expect(refreshOf(gh.secret(name)!)).toBe('rt-post-slash');
    });

    it('auth.json the action wrote elsewhere (another codex-home): nothing said, nothing written', async () => {
      const { core, codexHome, name, rotate } = post({});
      const before = gh.secret(name);
      core.saveState('wroteAuthFile', path.join(dir, 'elsewhere', 'auth.json'));
      rotate('rt-post-elsewhere');
      await finishPendingWriteback(core, gh.env(), codexHome);
      expect(gh.secret(name)).toBe(before);
      expect(core.calls).toEqual([]);
    });

    it('write-back off in the inputs: nothing said, nothing written', async () => {
      const { core, codexHome, rotate } = post({ name: '' });
      rotate('rt-post-off');
      await finishPendingWriteback(core, gh.env(), codexHome);
      expect(core.calls.filter((c) => c.fn !== 'setSecret')).toEqual([]);
    });

    it('a save that fails for good: the stale-secret error annotation, the post step itself not failed', async () => {
      process.exitCode = 0;
      const { core, codexHome, name, rotate } = post({ token: gh.token({ secrets: 'read' }) });
      rotate('rt-post-refused');
      await finishPendingWriteback(core, gh.env(), codexHome);
      expect(core.of('error')).toHaveLength(1);
      expect(core.of('error')[0].title).toBe(`codex-reauth: could not save the rotated login to ${name}`);
      expect(core.of('error')[0].message).toContain('(403 Forbidden)');
      expect(process.exitCode).toBe(0);
    });

    it('an input that no longer parses: a warning, not a crash', async () => {
      const { core, codexHome } = post({ auth: '{"tokens":' });
      await finishPendingWriteback(core, gh.env(), codexHome);
      expect(core.of('warning')).toEqual([
        {
          message: expect.stringMatching(/^Could not save the rotated login: Input 'codex-auth-json' is not valid JSON/),
          title: 'codex-reauth: write-back in the post step failed',
        },
      ]);
    });

    it('masks the token before anything else, even when the save then fails', async () => {
      const token = gh.token({ secrets: 'write' });
      const { core, codexHome } = post({ token, name: 'bad name' });
      await finishPendingWriteback(core, gh.env(), codexHome);
      expect(core.secrets).toEqual(writebackTokenToMask((n2) => (n2 === 'secrets-token' ? token : '')));
      expect(core.of('warning')[0].message).toContain("Input 'auth-json-secret' must be the name of an Actions secret");
    });
  });
});
