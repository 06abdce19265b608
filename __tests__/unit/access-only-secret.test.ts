// Where the keeper writes the access-only copy: the inputs (each refusal, word for word where it
// matters), the preflight and write against the GitHub secrets stand-in, and the post step's save of
// a copy the main step could not write (killed midway).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACCESS_ONLY_INPUTS, createCopySecret, readAccessOnlySettings, repositoryIdFrom } from '../../src/access-only-secret.js';
import { finishPendingWriteback, WRITEBACK_STATE, type WritebackSettings } from '../../src/auth-writeback.js';
import { InputError } from '../../src/input-error.js';
import { finishPendingKeeper, KEEPER_STATE } from '../../src/keeper.js';
import { FakeCore } from '../../test-support/fake-core.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';
import { mintJwt } from '../../test-support/openai-standin.js';

const writeback: WritebackSettings = {
  secretName: 'CODEX_AUTH_JSON',
  token: 'ghs_x',
  target: { apiUrl: 'https://api.github.com', repository: 'octo/app', environment: null },
};

describe('readAccessOnlySettings', () => {
  const read = (inputs: Record<string, string>, wb: WritebackSettings | null = writeback) =>
    readAccessOnlySettings((name) => inputs[name] ?? '', wb);
  const refusal = (inputs: Record<string, string>, wb: WritebackSettings | null = writeback): InputError => {
    try {
      read(inputs, wb);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('not refused');
  };

  it('off when access-only-secret is empty', () => {
    expect(read({ 'access-only-secret': '  ' })).toBeNull();
  });

  it.each([
    [{ 'access-only-secret': 'CODEX_AUTH_ACCESS' }, { environment: null, organization: null }],
    [
      { 'access-only-secret': 'CODEX_AUTH_ACCESS', 'access-only-secret-environment': ' ci ' },
      { environment: 'ci', organization: null },
    ],
    [
      { 'access-only-secret': 'CODEX_AUTH_ACCESS', 'access-only-secret-organization': 'octo-org' },
      { environment: null, organization: 'octo-org' },
    ],
  ])('%p → %p', (inputs, where) => {
    const settings = read(inputs);
    expect(settings?.secretName).toBe(inputs['access-only-secret']);
    expect(settings?.target).toMatchObject({ apiUrl: 'https://api.github.com', repository: 'octo/app', ...where });
  });

  it.each([
    [{ 'access-only-secret-environment': 'ci' }, ACCESS_ONLY_INPUTS.environment, "is set but 'access-only-secret' is empty"],
    [{ 'access-only-secret-organization': 'octo' }, ACCESS_ONLY_INPUTS.organization, "is set but 'access-only-secret' is empty"],
    [{ 'access-only-secret': '${{ secrets.X }}' }, ACCESS_ONLY_INPUTS.secret, 'must be the name of an Actions secret'],
    [{ 'access-only-secret': 'GITHUB_X' }, ACCESS_ONLY_INPUTS.secret, 'must be the name of an Actions secret'],
    [
      { 'access-only-secret': 'X', 'access-only-secret-environment': 'ci', 'access-only-secret-organization': 'octo' },
      ACCESS_ONLY_INPUTS.organization,
      'are both set',
    ],
    [
      { 'access-only-secret': 'X', 'access-only-secret-organization': 'octo/app' },
      ACCESS_ONLY_INPUTS.organization,
      "must be an organization's login",
    ],
    [
      { 'access-only-secret': 'X', 'access-only-secret-organization': '-octo' },
      ACCESS_ONLY_INPUTS.organization,
      "must be an organization's login",
    ],
    [{ 'access-only-secret': 'codex_auth_json' }, ACCESS_ONLY_INPUTS.secret, "names the same secret as 'auth-json-secret'"],
  ])('refuses %p, naming %s', (inputs, input, words) => {
    const error = refusal(inputs);
    expect(error.input).toBe(input);
    expect(error.message).toContain(words);
  });

  it('the name of the full login is refused in every scope: a secret of one scope hides another of the same name', () => {
    const wb = { ...writeback, target: { ...writeback.target, environment: 'ci' } };
    expect(refusal({ 'access-only-secret': 'CODEX_AUTH_JSON', 'access-only-secret-environment': 'ci' }, wb).input).toBe(
      'access-only-secret',
    );
    // A repository copy named like the environment's full login: jobs in that environment would get the full login.
    expect(refusal({ 'access-only-secret': 'codex_auth_json' }, wb).input).toBe('access-only-secret');
    // An organization copy named like the repository's full login: the repository secret hides it.
    expect(refusal({ 'access-only-secret': 'CODEX_AUTH_JSON', 'access-only-secret-organization': 'octo' }, writeback).input).toBe(
      'access-only-secret',
    );
  });

  it('without write-back: refused, saying the keeper needs auth-json-secret and secrets-token', () => {
    expect(refusal({ 'access-only-secret': 'CODEX_AUTH_ACCESS' }, null).message).toBe(
      "Input 'access-only-secret' makes this step a keeper, which refreshes the full login and writes it back: set 'auth-json-secret' to the name of the secret passed as `codex-auth-json`, and 'secrets-token'.",
    );
  });

  it.each([
    [{ GITHUB_REPOSITORY_ID: '4242' }, 4242],
    [{ GITHUB_REPOSITORY_ID: ' 7 ' }, 7],
    [{ GITHUB_REPOSITORY_ID: '' }, null],
    [{ GITHUB_REPOSITORY_ID: 'abc' }, null],
    [{ GITHUB_REPOSITORY_ID: '-3' }, null],
    [{}, null],
  ])('repositoryIdFrom %p → %p', (env, id) => {
    expect(repositoryIdFrom(env)).toBe(id);
  });
});

describe('createCopySecret against the GitHub stand-in', () => {
  let gh: GithubSecretsStandin;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['ci'], organization: 'octo' });
  });
  afterAll(async () => {
    await gh.close();
  });
  const copy = (token: string, where: { environment?: string; organization?: string } = {}) =>
    createCopySecret({
      settings: {
        secretName: 'CODEX_AUTH_ACCESS',
        target: {
          apiUrl: gh.url,
          repository: 'octo/app',
          environment: where.environment ?? null,
          organization: where.organization ?? null,
        },
      },
      token,
      env: gh.env(),
      log: new FakeCore({}),
      clientOptions: { retries: 0 },
    });

  it('preflight makes and deletes a throwaway secret, never touching the copy; put writes it', async () => {
    gh.setSecret('CODEX_AUTH_ACCESS', 'yesterday');
    const c = copy(gh.token({ secrets: 'write' }));
    await c.preflight();
    expect(gh.secret('CODEX_AUTH_ACCESS')).toBe('yesterday');
    expect(gh.secretNames()).toEqual(['CODEX_AUTH_ACCESS']);
    expect(await c.put('today')).toBe('updated');
    expect(gh.secret('CODEX_AUTH_ACCESS')).toBe('today');
    expect(c.description).toBe('the repository secret CODEX_AUTH_ACCESS of octo/app');
  });

  it('an environment copy goes to the environment', async () => {
    const c = copy(gh.token({ environments: 'write' }), { environment: 'ci' });
    await c.preflight();
    expect(await c.put('env copy')).toBe('created');
    expect(gh.secret('CODEX_AUTH_ACCESS', 'ci')).toBe('env copy');
  });

  it('an organization copy: the preflight probe is visible to this repository only and gone after; a new copy likewise', async () => {
    const c = copy(gh.token({ organizationSecrets: 'write' }), { organization: 'octo' });
    await c.preflight();
    const probe = gh.writes.at(-1)!;
    expect(probe.name).toMatch(/^CODEX_REAUTH_PREFLIGHT_/);
    expect(probe).toMatchObject({ scope: 'org:octo', visibility: 'selected', selected: [gh.repositoryId] });
    expect(gh.orgSecret(probe.name)).toBeUndefined();
    await c.put('org copy');
    expect(gh.orgSecret('CODEX_AUTH_ACCESS')).toEqual({
      value: 'org copy',
      visibility: 'selected',
      selectedRepositoryIds: [gh.repositoryId],
    });
  });

  it('a token that cannot write: the preflight throws and nothing is written', async () => {
    gh.setSecret('CODEX_AUTH_ACCESS', 'kept');
    await expect(copy(gh.token({ secrets: 'read' })).preflight()).rejects.toThrow('is not allowed to write the secret');
    expect(gh.secret('CODEX_AUTH_ACCESS')).toBe('kept');
  });
});

describe('finishPendingKeeper (the post step of a keeper killed midway)', () => {
  let gh: GithubSecretsStandin;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app' });
  });
  afterAll(async () => {
    await gh.close();
  });

  const login = (refresh: string, access: string) =>
    JSON.stringify({
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: {
        id_token: mintJwt({ 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1', chatgpt_user_id: 'user-1' } }),
        access_token: mintJwt({ exp: 2_000_000_000, label: access }),
        refresh_token: refresh,
        account_id: 'acct-1',
      },
      last_refresh: '2026-12-07T10:00:00Z',
    });

  function killedKeeper(rotated: string | null) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keeper-post-'));
    const codexHome = path.join(dir, 'codex');
    fs.mkdirSync(codexHome);
    const stored = login('rt-SECRET-old', 'old');
    gh.setSecret('CODEX_AUTH_JSON', stored);
    gh.setSecret('CODEX_AUTH_ACCESS', 'yesterday');
    fs.writeFileSync(path.join(codexHome, 'auth.json'), rotated ?? stored);
    const core = new FakeCore({
      'codex-auth-json': stored,
      'auth-json-secret': 'CODEX_AUTH_JSON',
      'access-only-secret': 'CODEX_AUTH_ACCESS',
      'secrets-token': gh.token({ secrets: 'write' }),
    });
    core.saveState('wroteAuthFile', path.join(codexHome, 'auth.json'));
    core.saveState('codexHome', codexHome);
    core.saveState(WRITEBACK_STATE, 'pending');
    core.saveState(KEEPER_STATE, 'pending');
    return { core, codexHome, dir };
  }

  it('codex had rotated the login: the post step saves it and writes its copy', async () => {
    const rotated = login('rt-SECRET-new', 'new');
    const { core, codexHome, dir } = killedKeeper(rotated);
    await finishPendingWriteback(core, gh.env(), codexHome);
    await finishPendingKeeper(core, gh.env(), codexHome);
    expect(JSON.parse(gh.secret('CODEX_AUTH_JSON')!).tokens.refresh_token).toBe('rt-SECRET-new');
    const copy = JSON.parse(gh.secret('CODEX_AUTH_ACCESS')!);
    expect(copy.tokens).toMatchObject({ access_token: JSON.parse(rotated).tokens.access_token, refresh_token: '' });
    expect(core.of('error')).toEqual([]);
    expect(core.secrets).toContain(gh.secret('CODEX_AUTH_ACCESS')!.trim());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('codex rotated nothing: neither secret is written', async () => {
    const { core, codexHome, dir } = killedKeeper(null);
    await finishPendingWriteback(core, gh.env(), codexHome);
    await finishPendingKeeper(core, gh.env(), codexHome);
    expect(gh.secret('CODEX_AUTH_ACCESS')).toBe('yesterday');
    expect(JSON.parse(gh.secret('CODEX_AUTH_JSON')!).tokens.refresh_token).toBe('rt-SECRET-old');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('state done (main finished): nothing', async () => {
    const { core, codexHome, dir } = killedKeeper(login('rt-SECRET-new2', 'new2'));
    core.saveState(KEEPER_STATE, 'done');
    await finishPendingKeeper(core, gh.env(), codexHome);
    expect(gh.secret('CODEX_AUTH_ACCESS')).toBe('yesterday');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the copy cannot be written: one error annotation, the post step does not throw', async () => {
    const { core, codexHome, dir } = killedKeeper(login('rt-SECRET-new3', 'new3'));
    gh.failNext(1, { method: 'PUT', name: 'CODEX_AUTH_ACCESS', status: 500 });
    await finishPendingKeeper(core, gh.env(), codexHome, { clientOptions: { retries: 0 } });
    expect(core.of('error')).toHaveLength(1);
    expect(core.of('error')[0].title).toBe('codex-reauth: access-only copy not written');
    expect(gh.secret('CODEX_AUTH_ACCESS')).toBe('yesterday');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
