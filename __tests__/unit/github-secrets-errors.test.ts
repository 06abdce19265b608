// What a user of `auth-json-secret` sees when talking to GitHub's secrets API goes wrong (or right):
// the exact error texts naming the secret, the operation and the permission `secrets-token` lacks, the
// retry notices, and what reaches GitHub (decrypted by the loopback stand-in).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  backoffMs,
  createSecretsClient,
  describeSecret,
  isValidSecretName,
  permissionProblem,
  requiredPermission,
  SecretsApiError,
  type SecretTarget,
  tokenKind,
} from '../../src/github-secrets.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';

const repoTarget: SecretTarget = { apiUrl: 'https://api.github.com', repository: 'octo/app', environment: null };
const envTarget: SecretTarget = { ...repoTarget, environment: 'prod' };

const REPO_FIX =
  'Give `secrets-token` a token that can write Actions secrets in the repository octo/app: a GitHub App installation token ' +
  '(actions/create-github-app-token) from an app with `secrets: write` installed on octo/app, or a fine-grained personal ' +
  'access token with the repository permission "Secrets: Read and write" for octo/app.';
const ENV_FIX =
  "Give `secrets-token` a token that can write Actions secrets in the environment 'prod' of octo/app: a GitHub App installation token " +
  '(actions/create-github-app-token) from an app with `environments: write` installed on octo/app, or a fine-grained personal ' +
  'access token with the repository permission "Environments: Read and write" for octo/app.';

describe('secret names GitHub accepts', () => {
  it.each([
    ['MY_GITHUB_TOKEN_COPY', true],
    ['A', true],
    ['CODEX AUTH', false],
    ['CODEX_AUTH!', false],
    ['-CODEX', false],
    ['CODEX\n', false],
  ])('%j valid: %p', (name, valid) => {
    expect(isValidSecretName(name)).toBe(valid);
  });
});

describe('backoff', () => {
  it('adds a quarter of the delay times the random draw', () => {
    expect(backoffMs(0, 1000, () => 0.5)).toBe(1125);
    expect(backoffMs(2, 100, () => 0.5)).toBe(450);
  });
});

describe('token kinds', () => {
  it.each([
    ['gho_abc', {}, 'classic'],
    ['', { GITHUB_TOKEN: '', GH_TOKEN: '' }, 'other'],
    ['ghs_abc', { GITHUB_TOKEN: 'ghs_other', GH_TOKEN: 'ghs_third' }, 'installation'],
    ['github_pat_x', { GH_TOKEN: 'github_pat_x' }, 'github-token'],
  ] as const)('%p with %p is %p', (token, env, kind) => {
    expect(tokenKind(token, env)).toBe(kind);
  });

  it('defaults to no environment', () => {
    expect(tokenKind('ghp_abc')).toBe('classic');
  });
});

describe('where the secret is and what it needs', () => {
  it('names a repository secret and an environment secret', () => {
    expect(describeSecret('CODEX_AUTH_JSON', repoTarget)).toBe('the repository secret CODEX_AUTH_JSON of octo/app');
    expect(describeSecret('CODEX_AUTH_JSON', envTarget)).toBe("the secret CODEX_AUTH_JSON of the environment 'prod' in octo/app");
  });

  it('names the permission for each kind of token', () => {
    expect(requiredPermission(repoTarget)).toEqual({
      fineGrained: '"Secrets: Read and write"',
      app: '`secrets: write`',
      classic: 'the `repo` scope',
    });
    expect(requiredPermission(envTarget)).toEqual({
      fineGrained: '"Environments: Read and write"',
      app: '`environments: write`',
      classic: 'the `repo` scope',
    });
  });
});

describe('permission problems, word for word', () => {
  it.each([
    [
      '401, fine-grained, repository',
      401,
      'read the public key',
      repoTarget,
      'fine-grained',
      null,
      `GitHub refused \`secrets-token\` (401 Bad credentials) when trying to read the public key: the token is invalid, expired or revoked. ${REPO_FIX}`,
    ],
    [
      '401, the workflow token, environment',
      401,
      'write the secret',
      envTarget,
      'github-token',
      'environments=write',
      "GitHub refused `secrets-token` (401 Bad credentials) when trying to write the secret: the token is invalid, expired or revoked. `secrets-token` is the workflow's GITHUB_TOKEN, and GITHUB_TOKEN cannot write secrets (there is no `secrets` permission for it). " +
        ENV_FIX,
    ],
    [
      '403, classic, repository',
      403,
      'write the secret',
      repoTarget,
      'classic',
      'secrets=write',
      '`secrets-token` is not allowed to write the secret in the repository octo/app (403 Forbidden). A classic token needs the `repo` scope and its owner must have write access to octo/app. GitHub says this request needs: secrets=write. ' +
        REPO_FIX,
    ],
    [
      '403, other, environment',
      403,
      'delete the secret',
      envTarget,
      'other',
      null,
      `\`secrets-token\` is not allowed to delete the secret in the environment 'prod' of octo/app (403 Forbidden). ${ENV_FIX}`,
    ],
    [
      '404, installation, repository',
      404,
      'read the secret',
      repoTarget,
      'installation',
      'secrets=read',
      "GitHub answered 404 when `secrets-token` tried to read the secret in the repository octo/app: either the token cannot see it (GitHub hides what a token may not access) or it does not exist. If `secrets-token` is the workflow's GITHUB_TOKEN (`github.token`): GITHUB_TOKEN cannot write secrets at all; if it is a GitHub App token, the app lacks the permission or is not installed on this repository. GitHub says this request needs: secrets=read. " +
        REPO_FIX,
    ],
    [
      '404, fine-grained, environment',
      404,
      'read the public key',
      envTarget,
      'fine-grained',
      null,
      "GitHub answered 404 when `secrets-token` tried to read the public key in the environment 'prod' of octo/app: either the token cannot see it (GitHub hides what a token may not access) or it does not exist. Check that the environment 'prod' exists (`auth-json-secret-environment`). " +
        ENV_FIX,
    ],
  ] as const)('%s', (_label, status, operation, target, kind, accepted, expected) => {
    expect(permissionProblem(status, operation, target, kind, accepted)).toBe(expected);
  });
});

describe('the client against the stand-in', () => {
  let gh: GithubSecretsStandin;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['prod'] });
  });
  afterAll(async () => {
    await gh.close();
  });

  const target = (environment: string | null = null): SecretTarget => ({ apiUrl: gh.url, repository: gh.repository, environment });

  it.each(['octo', 'octo/app/extra', '/app', 'octo/'])('refuses GITHUB_REPOSITORY %p, quoting it', async (repository) => {
    await expect(createSecretsClient({ token: 't', target: { ...target(), repository } })).rejects.toThrow(
      `GITHUB_REPOSITORY must be owner/name, got '${repository}'.`,
    );
  });

  it('a GITHUB_API_URL with a trailing slash still reaches the API', async () => {
    const api = await createSecretsClient({ token: gh.token({ secrets: 'write' }), target: { ...target(), apiUrl: `${gh.url}//` } });
    expect(await api.put('ERR_SLASH', 'slash value')).toBe('created');
    expect(gh.secret('ERR_SLASH')).toBe('slash value');
  });

  it('sends the GitHub API version and a user agent, the token only as a Bearer', async () => {
    const token = gh.token({ secrets: 'write' });
    const headers: Array<Record<string, string>> = [];
    const urls: string[] = [];
    const api = await createSecretsClient({
      token,
      target: target(),
      fetch: async (input, init) => {
        headers.push(init?.headers as Record<string, string>);
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await api.publicKey();
    expect(urls).toEqual([`${gh.url}/repos/octo/app/actions/secrets/public-key`]);
    expect(headers[0]).toMatchObject({
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'codex-reauth',
    });
  });

  it('the public key is read once per client, not before every write', async () => {
    const api = await createSecretsClient({ token: gh.token({ secrets: 'write' }), target: target() });
    const before = gh.requests.length;
    await api.put('ERR_ONCE', 'one');
    await api.put('ERR_ONCE', 'two');
    expect(gh.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo/app/actions/secrets/public-key',
      'PUT /repos/octo/app/actions/secrets/ERR_ONCE',
      'PUT /repos/octo/app/actions/secrets/ERR_ONCE',
    ]);
    expect(gh.secret('ERR_ONCE')).toBe('two');
  });

  it('each retry is announced with the status, the wait and the count', async () => {
    const notices: string[] = [];
    const api = await createSecretsClient({
      token: gh.token({ secrets: 'write' }),
      target: target(),
      sleep: async () => {},
      random: () => 0,
      baseDelayMs: 1500,
      retries: 3,
      onRetry: (m) => notices.push(m),
    });
    gh.failNext(2, { method: 'GET', status: 502 });
    gh.failNext(1, { method: 'GET', status: 'reset' });
    await api.publicKey();
    expect(notices).toEqual([
      'Could not read the public key (HTTP 502); retrying in 1.5 s (retry 1 of 3).',
      'Could not read the public key (HTTP 502); retrying in 3 s (retry 2 of 3).',
      'Could not read the public key (no answer); retrying in 6 s (retry 3 of 3).',
    ]);
  });

  it('waits a second first by default, then two', async () => {
    const waits: number[] = [];
    const api = await createSecretsClient({
      token: gh.token({ secrets: 'write' }),
      target: target(),
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
    });
    gh.failNext(2, { method: 'GET', status: 503 });
    await api.publicKey();
    expect(waits).toEqual([1000, 2000]);
  });

  it('without a sleep given, it really waits and then succeeds', async () => {
    const api = await createSecretsClient({ token: gh.token({ secrets: 'write' }), target: target(), baseDelayMs: 40 });
    gh.failNext(1, { method: 'GET', status: 500 });
    const started = Date.now();
    await expect(api.publicKey()).resolves.toMatchObject({ keyId: expect.any(String) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('a token that GitHub does not know: 401 explained, not "HTTP 401"', async () => {
    const api = await createSecretsClient({ token: 'ghp_revoked', target: target(), sleep: async () => {} });
    await expect(api.publicKey()).rejects.toThrow(
      'GitHub refused `secrets-token` (401 Bad credentials) when trying to read the public key: the token is invalid, expired or revoked. A classic token needs the `repo` scope',
    );
  });

  it("the workflow's own GITHUB_TOKEN is recognised from the step's environment", async () => {
    const token = gh.token({ secrets: 'read' });
    const api = await createSecretsClient({ token, target: target(), env: { GITHUB_TOKEN: token } });
    await expect(api.put('ERR_GHTOKEN', 'v')).rejects.toThrow(
      "(403 Forbidden). `secrets-token` is the workflow's GITHUB_TOKEN, and GITHUB_TOKEN cannot write secrets",
    );
  });

  it('a write answered 404 is an error, not a success', async () => {
    const api = await createSecretsClient({ token: gh.token({ secrets: 'write' }), target: target(), sleep: async () => {} });
    await api.publicKey();
    gh.failNext(1, { method: 'PUT', status: 404 });
    await expect(api.put('ERR_404', 'v')).rejects.toThrow(
      'GitHub answered 404 when `secrets-token` tried to write the secret in the repository octo/app',
    );
  });

  it('a value GitHub keeps refusing with 422 is tried with a fresh key once, then reported after 1 try', async () => {
    const api = await createSecretsClient({ token: gh.token({ secrets: 'write' }), target: target(), sleep: async () => {} });
    gh.failNext(2, { method: 'PUT', status: 422 });
    const error = (await api.put('ERR_422', 'v').catch((e: unknown) => e)) as SecretsApiError;
    expect(error).toBeInstanceOf(SecretsApiError);
    expect(error.message).toBe('Could not write the secret: HTTP 422, after 1 try.');
    expect(error.status).toBe(422);
    expect(error.operation).toBe('write the secret');
    expect(error.name).toBe('SecretsApiError');
    expect(gh.secret('ERR_422')).toBeUndefined();
  });

  it('another failure on write is not retried with a fresh key', async () => {
    const api = await createSecretsClient({ token: gh.token({ secrets: 'write' }), target: target(), sleep: async () => {} });
    await api.publicKey();
    const before = gh.requests.length;
    gh.failNext(1, { method: 'PUT', status: 400 });
    await expect(api.put('ERR_400', 'v')).rejects.toThrow('Could not write the secret: HTTP 400, after 1 try.');
    expect(gh.requests.length - before).toBe(1);
  });

  it('a 403 on a delete names the environment and the permission GitHub asks for', async () => {
    gh.setSecret('ERR_ENV_DEL', 'x', 'prod');
    const api = await createSecretsClient({ token: gh.token({ environments: 'read' }), target: target('prod') });
    const before = gh.requests.length;
    const error = (await api.delete('ERR_ENV_DEL').catch((e: unknown) => e)) as SecretsApiError;
    expect(gh.requests.slice(before).map((r) => r.path)).toEqual(['/repos/octo/app/environments/prod/secrets/ERR_ENV_DEL']);
    expect(error.operation).toBe('delete the secret');
    expect(error.message).toContain(
      "`secrets-token` is not allowed to delete the secret in the environment 'prod' of octo/app (403 Forbidden).",
    );
    expect(error.message).toContain('GitHub says this request needs: environments=write.');
    expect(gh.secret('ERR_ENV_DEL', 'prod')).toBe('x');
  });

  it('exists: a secret in the environment is found there, not in the repository', async () => {
    gh.setSecret('ERR_ENV_ONLY', 'x', 'prod');
    const token = gh.token({ secrets: 'read', environments: 'read' });
    const inEnv = await createSecretsClient({ token, target: target('prod') });
    const inRepo = await createSecretsClient({ token, target: target() });
    expect(await inEnv.exists('ERR_ENV_ONLY')).toBe(true);
    expect(await inRepo.exists('ERR_ENV_ONLY')).toBe(false);
  });

  it('a request that never answers counts as no answer, after the timeout', async () => {
    const api = await createSecretsClient({
      token: 'ghs_x',
      target: target(),
      retries: 0,
      requestTimeoutMs: 20,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new Error('The operation was aborted due to timeout')));
        }),
    });
    const error = (await api.publicKey().catch((e: unknown) => e)) as SecretsApiError;
    expect(error.status).toBeNull();
    expect(error.message).toBe(
      `Could not read the public key: no answer from ${gh.url} (The operation was aborted due to timeout), after 1 try.`,
    );
  });

  it('a public key answer without key_id/key is an error, not a write with garbage', async () => {
    const api = await createSecretsClient({
      token: 'ghs_x',
      target: target(),
      fetch: async () => new Response(JSON.stringify({ key: 'abc' }), { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    await expect(api.put('ERR_NOKEY', 'v')).rejects.toThrow(
      new SecretsApiError('The public key answer had no key_id/key.', 200, 'read the public key'),
    );
    const error = (await api.publicKey().catch((e: unknown) => e)) as SecretsApiError;
    expect(error.message).toBe('The public key answer had no key_id/key.');
    expect(error.status).toBe(200);
  });
});
