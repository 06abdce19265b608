// Organization secrets through the secrets client, against the loopback stand-in: a write never
// changes who can see the secret (visibility and every selected repository are read and repeated), a
// new secret is visible to this repository only, and a token without the permission is told what it lacks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSecretsClient, describeSecret, permissionProblem, SecretsApiError, type SecretTarget } from '../../src/github-secrets.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';

let gh: GithubSecretsStandin;
const ORG = 'octo';

beforeAll(async () => {
  gh = await startGithubSecretsStandin({ repository: 'octo/app', repositoryId: 4242, organization: ORG });
});
afterAll(async () => {
  await gh.close();
});

const target = (): SecretTarget => ({
  apiUrl: gh.url,
  repository: 'octo/app',
  environment: null,
  organization: ORG,
  scopeInput: 'access-only-secret-organization',
});
const client = (token: string, repositoryId: number | null = 4242) =>
  createSecretsClient({ token, target: target(), repositoryId, retries: 0, baseDelayMs: 1 });

describe('organization secrets', () => {
  it('selected visibility: the value changes, the visibility and every selected repository stay', async () => {
    gh.setOrgSecret('CODEX_AUTH_ACCESS', 'old', { visibility: 'selected', repositories: [7, 4242, 9] });
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    expect(await api.put('CODEX_AUTH_ACCESS', 'new')).toBe('updated');
    expect(gh.orgSecret('CODEX_AUTH_ACCESS')).toEqual({ value: 'new', visibility: 'selected', selectedRepositoryIds: [7, 4242, 9] });
  });

  it('a selection without this repository is kept as it is (the keeper never adds itself)', async () => {
    gh.setOrgSecret('SHARED', 'old', { visibility: 'selected', repositories: [7] });
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    await api.put('SHARED', 'new');
    expect(gh.orgSecret('SHARED')).toEqual({ value: 'new', visibility: 'selected', selectedRepositoryIds: [7] });
  });

  it('a list of selected repositories that ends short of its count: refused, the secret unchanged', async () => {
    gh.setOrgSecret('PARTLY', 'old', { visibility: 'selected', repositories: [7, 4242, 9], hidden: [9] });
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    await expect(api.put('PARTLY', 'new')).rejects.toThrow(
      'GitHub listed 2 of the 3 repositories that can see PARTLY, so it was not written: writing it would hide it from the others.',
    );
    expect(gh.orgSecret('PARTLY')).toEqual({ value: 'old', visibility: 'selected', selectedRepositoryIds: [7, 4242, 9] });
  });

  it('more selected repositories than one page holds: all of them are kept', async () => {
    const many = Array.from({ length: 230 }, (_, i) => 1000 + i);
    gh.setOrgSecret('MANY', 'old', { visibility: 'selected', repositories: many });
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    await api.put('MANY', 'new');
    expect(gh.orgSecret('MANY')?.selectedRepositoryIds).toEqual(many);
    const pages = gh.requests.filter((r) => r.path === `/orgs/${ORG}/actions/secrets/MANY/repositories`);
    expect(pages).toHaveLength(3);
  });

  it.each(['all', 'private'] as const)('%s visibility stays as it is, with no repository list', async (visibility) => {
    gh.setOrgSecret('WIDE', 'old', { visibility });
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    await api.put('WIDE', 'new');
    expect(gh.orgSecret('WIDE')).toEqual({ value: 'new', visibility, selectedRepositoryIds: [] });
    expect(gh.writes.at(-1)).toMatchObject({ name: 'WIDE', visibility, selected: [] });
  });

  it('a new secret is visible to this repository only (GITHUB_REPOSITORY_ID)', async () => {
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    expect(await api.put('FRESH_ONE', 'v')).toBe('created');
    expect(gh.orgSecret('FRESH_ONE')).toEqual({ value: 'v', visibility: 'selected', selectedRepositoryIds: [4242] });
  });

  it("a new secret without GITHUB_REPOSITORY_ID: the repository's id is asked of the API", async () => {
    const api = await client(gh.token({ organizationSecrets: 'write' }), null);
    await api.put('FRESH_TWO', 'v');
    expect(gh.orgSecret('FRESH_TWO')?.selectedRepositoryIds).toEqual([4242]);
    expect(gh.requests.some((r) => r.method === 'GET' && r.path === '/repos/octo/app')).toBe(true);
  });

  it('exists and delete work on the organization', async () => {
    gh.setOrgSecret('GONE', 'v', { visibility: 'all' });
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    expect(await api.exists('GONE')).toBe(true);
    await api.delete('GONE');
    expect(await api.exists('GONE')).toBe(false);
    expect(gh.orgSecret('GONE')).toBeUndefined();
  });

  it('a new secret: read (404), the key, then a PUT with only the fields GitHub documents', async () => {
    const api = await client(gh.token({ organizationSecrets: 'write' }));
    await api.put('FRESH_THREE', 'v');
    expect(gh.requests.slice(-3).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /orgs/${ORG}/actions/secrets/FRESH_THREE 404`,
      `GET /orgs/${ORG}/actions/secrets/public-key 200`,
      `PUT /orgs/${ORG}/actions/secrets/FRESH_THREE 201`,
    ]);
    expect(gh.requests.at(-1)?.fields).toEqual(['encrypted_value', 'key_id', 'selected_repository_ids', 'visibility']);
  });

  it('a token that can write repository secrets but not the organization’s: 403, naming what it needs', async () => {
    gh.setOrgSecret('LOCKED', 'old', { visibility: 'selected', repositories: [4242] });
    const api = await client(gh.token({ secrets: 'write', environments: 'write' }));
    const error = await api.put('LOCKED', 'new').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsApiError);
    expect((error as SecretsApiError).status).toBe(403);
    const message = (error as SecretsApiError).message;
    expect(message).toContain('in the organization octo (403 Forbidden)');
    expect(message).toContain('GitHub says this request needs: organization_secrets=read');
    expect(message).toContain('`organization_secrets: write`');
    expect(gh.orgSecret('LOCKED')).toEqual({ value: 'old', visibility: 'selected', selectedRepositoryIds: [4242] });
  });

  it('a token that can only read: the visibility is read, the write is refused, nothing changes', async () => {
    gh.setOrgSecret('READONLY', 'old', { visibility: 'selected', repositories: [4242, 5] });
    const api = await client(gh.token({ organizationSecrets: 'read' }));
    const error = (await api.put('READONLY', 'new').catch((e: unknown) => e)) as SecretsApiError;
    expect(error.operation).toBe('write the secret');
    expect(gh.orgSecret('READONLY')).toEqual({ value: 'old', visibility: 'selected', selectedRepositoryIds: [4242, 5] });
  });
});

describe('the stand-in is strict where a careless client would change who can see the secret', () => {
  const rawPut = async (body: object) => {
    const token = gh.token({ organizationSecrets: 'write' });
    const key = (await (
      await fetch(`${gh.url}/orgs/${ORG}/actions/secrets/public-key`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { key_id: string };
    // The value is not sealed: only the visibility checks before decryption are under test.
    return fetch(`${gh.url}/orgs/${ORG}/actions/secrets/STRICT`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key_id: key.key_id, encrypted_value: 'x', ...body }),
    });
  };

  it('a PUT without visibility is refused (422), as GitHub refuses it', async () => {
    expect((await rawPut({})).status).toBe(422);
  });

  it('selected_repository_ids with another visibility is refused (422)', async () => {
    expect((await rawPut({ visibility: 'all', selected_repository_ids: [1] })).status).toBe(422);
  });
});

describe('texts for organization secrets', () => {
  const t: SecretTarget = { apiUrl: 'https://api.github.com', repository: 'octo/app', environment: null, organization: 'octo' };

  it('describeSecret names the organization', () => {
    expect(describeSecret('CODEX_AUTH_ACCESS', t)).toBe('the organization secret CODEX_AUTH_ACCESS of octo');
  });

  it.each([
    [401, 'fine-grained', ['401 Bad credentials', 'organization permission', 'owned by an organization owner']],
    [404, 'installation', ["Check the organization's name (`access-only-secret-organization`)", '`owner: octo`']],
    [403, 'classic', ['the `admin:org` scope', 'be an owner of octo']],
  ] as const)('%i for a %s token', (status, kind, parts) => {
    const message = permissionProblem(status, 'write the secret', { ...t, scopeInput: 'access-only-secret-organization' }, kind);
    for (const part of parts) expect(message).toContain(part);
  });
});
