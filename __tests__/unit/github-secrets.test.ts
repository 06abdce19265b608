import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import sodium from 'libsodium-wrappers';
import {
  backoffMs,
  createSecretsClient,
  isRetryableStatus,
  isValidSecretName,
  permissionProblem,
  sealSecret,
  SecretsApiError,
  type SecretTarget,
  tokenKind,
} from '../../src/github-secrets.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';

const repoTarget: SecretTarget = { apiUrl: 'https://api.github.com', repository: 'octo/app', environment: null };
const envTarget: SecretTarget = { ...repoTarget, environment: 'prod eu' };

describe('pure helpers', () => {
  it.each([
    ['CODEX_AUTH_JSON', true],
    ['codex_auth', true],
    ['_X', true],
    ['1ABC', false],
    ['GITHUB_SECRET', false],
    ['github_x', false],
    ['WITH-DASH', false],
    ['${{ secrets.X }}', false],
    ['', false],
  ])('secret name %p valid: %p', (name, valid) => {
    expect(isValidSecretName(name)).toBe(valid);
  });

  it.each([
    [null, true],
    [500, true],
    [502, true],
    [429, true],
    [401, false],
    [403, false],
    [404, false],
    [422, false],
  ])('status %p retryable: %p', (status, retry) => {
    expect(isRetryableStatus(status)).toBe(retry);
  });

  it('backoff doubles with at most 25% jitter', () => {
    expect([0, 1, 2].map((r) => backoffMs(r, 1000, () => 0))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(1, 1000, () => 0.999)).toBeLessThanOrEqual(2500);
  });

  it.each([
    ['ghs_abc', {}, 'installation'],
    ['ghs_abc', { GITHUB_TOKEN: 'ghs_abc' }, 'github-token'],
    ['ghs_abc', { GH_TOKEN: 'ghs_abc' }, 'github-token'],
    ['github_pat_11abc', {}, 'fine-grained'],
    ['ghp_abc', {}, 'classic'],
    ['something', {}, 'other'],
  ] as const)('token %p with env %p is %p', (token, env, kind) => {
    expect(tokenKind(token, env)).toBe(kind);
  });

  it('401 says the token is invalid and how to get one', () => {
    const message = permissionProblem(401, 'read the public key', repoTarget, 'fine-grained');
    expect(message).toContain('401 Bad credentials');
    expect(message).toContain('`secrets-token`');
    expect(message).toContain('"Secrets: Read and write"');
    expect(message).toContain('actions/create-github-app-token');
  });

  it('403 with the workflow GITHUB_TOKEN says GITHUB_TOKEN cannot write secrets', () => {
    const message = permissionProblem(403, 'write the secret', repoTarget, 'github-token', 'secrets=write');
    expect(message).toContain("`secrets-token` is the workflow's GITHUB_TOKEN, and GITHUB_TOKEN cannot write secrets");
    expect(message).toContain('GitHub says this request needs: secrets=write');
  });

  it('403 with a ghs_ token names both possibilities', () => {
    const message = permissionProblem(403, 'write the secret', repoTarget, 'installation');
    expect(message).toContain('GITHUB_TOKEN cannot write secrets at all');
    expect(message).toContain('`secrets: write`');
  });

  it('environment secrets need the Environments permission, and a 404 points at the environment name', () => {
    const message = permissionProblem(404, 'read the public key', envTarget, 'fine-grained');
    expect(message).toContain('"Environments: Read and write"');
    expect(message).toContain("the environment 'prod eu' exists (`auth-json-secret-environment`)");
  });
});

describe('sealSecret', () => {
  it('produces a sealed box that opens with the private key (GitHub can read it)', async () => {
    await sodium.ready;
    const pair = sodium.crypto_box_keypair();
    const sealed = await sealSecret('{"tokens":{}}', sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL));
    const opened = sodium.crypto_box_seal_open(
      sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL),
      pair.publicKey,
      pair.privateKey,
    );
    expect(sodium.to_string(opened)).toBe('{"tokens":{}}');
  });
});

describe('createSecretsClient against the stand-in', () => {
  let gh: GithubSecretsStandin;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['prod eu'] });
  });
  afterAll(async () => {
    await gh.close();
  });

  const client = (token: string, environment: string | null = null, waits: number[] = []) =>
    createSecretsClient({
      token,
      target: { apiUrl: gh.url, repository: gh.repository, environment },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
      baseDelayMs: 10,
    });

  it('writes a repository secret GitHub can decrypt; created then updated; deletes it', async () => {
    const api = await client(gh.token({ secrets: 'write' }));
    expect(await api.put('UNIT_ONE', 'first')).toBe('created');
    expect(gh.secret('UNIT_ONE')).toBe('first');
    expect(await api.exists('UNIT_ONE')).toBe(true);
    expect(await api.put('UNIT_ONE', 'second')).toBe('updated');
    expect(gh.secret('UNIT_ONE')).toBe('second');
    await api.delete('UNIT_ONE');
    expect(gh.secret('UNIT_ONE')).toBeUndefined();
    expect(await api.exists('UNIT_ONE')).toBe(false);
    await expect(api.delete('UNIT_ONE')).resolves.toBeUndefined(); // already gone counts as deleted
  });

  it('writes an environment secret into the environment (name with a space), not the repository', async () => {
    const api = await client(gh.token({ environments: 'write' }), 'prod eu');
    await api.put('UNIT_ENV', 'env-value');
    expect(gh.secret('UNIT_ENV', 'prod eu')).toBe('env-value');
    expect(gh.secret('UNIT_ENV')).toBeUndefined();
  });

  it('retries 5xx and dropped connections with backoff, then succeeds', async () => {
    const waits: number[] = [];
    const api = await client(gh.token({ secrets: 'write' }), null, waits);
    await api.publicKey();
    gh.failNext(2, { method: 'PUT', status: 502 });
    gh.failNext(1, { method: 'PUT', status: 'reset' });
    expect(await api.put('UNIT_RETRY', 'v')).toBe('created');
    expect(gh.secret('UNIT_RETRY')).toBe('v');
    expect(waits).toEqual([10, 20, 40]);
  });

  it('a public key GitHub rotated meanwhile (422): fetched again once, then written', async () => {
    const api = await client(gh.token({ secrets: 'write' }));
    await api.put('UNIT_KEY', 'old key');
    gh.rotateKey();
    expect(await api.put('UNIT_KEY', 'new key')).toBe('updated');
    expect(gh.secret('UNIT_KEY')).toBe('new key');
    expect(gh.requests.slice(-3).map((q) => `${q.method} ${q.path.split('/').pop()} ${q.status}`)).toEqual([
      'PUT UNIT_KEY 422',
      'GET public-key 200',
      'PUT UNIT_KEY 204',
    ]);
  });

  it('gives up after the retries with the status in the message', async () => {
    const waits: number[] = [];
    const api = await client(gh.token({ secrets: 'write' }), null, waits);
    await api.publicKey();
    gh.failNext(5, { method: 'PUT', status: 503 });
    const error = await api.put('UNIT_FAIL', 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsApiError);
    expect((error as SecretsApiError).message).toBe('Could not write the secret: HTTP 503, after 5 tries.');
    expect(waits).toHaveLength(4);
    expect(gh.secret('UNIT_FAIL')).toBeUndefined();
  });

  it('a read-only token is refused at once (403, no retry) with the permission it lacks', async () => {
    const waits: number[] = [];
    const api = await client(gh.token({ secrets: 'read' }), null, waits);
    const error = (await api.put('UNIT_RO', 'v').catch((e: unknown) => e)) as SecretsApiError;
    expect(error.status).toBe(403);
    expect(error.message).toContain('`secrets-token` is not allowed to write the secret in the repository octo/app (403 Forbidden)');
    expect(error.message).toContain('GitHub says this request needs: secrets=write');
    expect(waits).toEqual([]);
  });

  it('an unknown token gets 401; an unknown environment gets 404', async () => {
    const bad = await client('ghp_notatoken');
    expect(((await bad.publicKey().catch((e: unknown) => e)) as SecretsApiError).status).toBe(401);
    const nowhere = await client(gh.token({ environments: 'write' }), 'staging');
    const error = (await nowhere.publicKey().catch((e: unknown) => e)) as SecretsApiError;
    expect(error.status).toBe(404);
    expect(error.message).toContain("environment 'staging'");
  });

  it('no server at all: retried as a network error, then a clear message', async () => {
    const waits: number[] = [];
    const api = await createSecretsClient({
      token: 'ghs_x',
      target: { apiUrl: 'http://127.0.0.1:9', repository: 'octo/app', environment: null },
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
      baseDelayMs: 1,
      retries: 2,
    });
    const error = (await api.publicKey().catch((e: unknown) => e)) as SecretsApiError;
    expect(error.status).toBeNull();
    expect(error.message).toMatch(/^Could not read the public key: no answer from http:\/\/127\.0\.0\.1:9 .*after 3 tries\.$/);
    expect(waits).toEqual([1, 2]);
  });

  it('the token travels only in the Authorization header', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
    const token = gh.token({ secrets: 'write' });
    const api = await createSecretsClient({
      token,
      target: { apiUrl: gh.url, repository: gh.repository, environment: null },
      fetch: async (input, init) => {
        seen.push({ url: String(input), headers: init?.headers as Record<string, string>, body: init?.body });
        return fetch(input, init);
      },
    });
    await api.put('UNIT_HEADER', 'v');
    expect(seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    for (const s of seen) {
      expect(s.url).not.toContain(token);
      expect(String(s.body ?? '')).not.toContain(token);
      expect(String(s.body ?? '')).not.toContain('"v"');
    }
  });
});
