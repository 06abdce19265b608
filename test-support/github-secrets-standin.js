// A loopback stand-in for GitHub's Actions secrets REST API (repository, environment and organization
// secrets): GET …/secrets/public-key, GET/PUT/DELETE …/secrets/{name}, and for an organization secret
// its selected repositories (GET …/secrets/{name}/repositories) and GET /repos/{owner}/{repo} (its id). It holds a real libsodium keypair per
// repository and per environment, opens every sealed value it receives (so tests read back exactly
// what a workflow would get from `secrets.NAME`), checks each request's token against the permissions
// it was given, and can fail chosen requests with a 5xx. Loopback only; used by the tests and the demo.
//
//   const gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['prod'] });
//   const token = gh.token({ secrets: 'write' });            // may read and write repository secrets
//   gh.setSecret('CODEX_AUTH_JSON', JSON.stringify(auth));    // what the user stored
//   gh.failNext(1, { method: 'PUT', status: 502 });           // the next PUT answers 502
//
// Organization secrets (`organization: 'octo'`): a PUT must say `visibility`, as GitHub requires (422
// otherwise). A PUT with `selected` visibility and no `selected_repository_ids` leaves the secret
// visible to NO repository here: GitHub's documentation does not promise to keep the list, so the
// stand-in takes the reading that punishes a client which does not repeat it.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers';

const LEVELS = { none: 0, read: 1, write: 2 };

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/**
 * Starts the stand-in on a free loopback port.
 * @param {{ repository?: string, repositoryId?: number, environments?: string[], organization?: string }} [options]
 */
export async function startGithubSecretsStandin(options = {}) {
  await sodium.ready;
  const repository = options.repository ?? 'octo/app';
  /** scope ('' = repository, else the environment's name) -> { keyId, keypair, secrets: Map<name, {value, updatedAt}> } */
  const scopes = new Map();
  const addScope = (scope) => {
    const keypair = sodium.crypto_box_keypair();
    scopes.set(scope, { keyId: `${randomBytes(8).readBigUInt64BE()}`, keypair, secrets: new Map() });
  };
  addScope('');
  for (const environment of options.environments ?? []) addScope(environment);
  const repositoryId = options.repositoryId ?? 101;
  const organization = options.organization ?? null;
  /** The organization's scope key; its secrets also hold `visibility` and `selected` (repository ids). */
  const ORG = organization ? `org:${organization}` : null;
  if (ORG) addScope(ORG);

  /** token -> { secrets: level, environments: level, kind } */
  const tokens = new Map();
  const requests = [];
  /** Every value written by PUT, in order: { scope, name, value }. */
  const writes = [];
  const failures = [];

  function scopeFor(pathname) {
    if (ORG && pathname.startsWith(`/orgs/${organization}/actions/secrets/`)) {
      const rest = pathname.slice(`/orgs/${organization}/actions/secrets/`.length).split('/').map(decodeURIComponent);
      if (rest.length === 1) return { scope: ORG, item: rest[0] };
      if (rest.length === 2 && rest[1] === 'repositories') return { scope: ORG, item: rest[0], repositories: true };
      return null;
    }
    const prefix = `/repos/${repository}/`;
    if (!pathname.startsWith(prefix)) return null;
    const rest = pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    // actions/secrets/{public-key|name}
    if (rest[0] === 'actions' && rest[1] === 'secrets' && rest.length === 3) return { scope: '', item: rest[2] };
    // environments/{env}/secrets/{public-key|name}
    if (rest[0] === 'environments' && rest[2] === 'secrets' && rest.length === 4) return { scope: rest[1], item: rest[3] };
    return null;
  }

  function handle(req, res, body) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const header = req.headers.authorization ?? '';
    const token = /^(?:Bearer|token) (.+)$/.exec(header)?.[1] ?? '';
    const record = { method: req.method, path: url.pathname, status: 0 };
    requests.push(record);
    const reply = (status, payload, headers) => {
      record.status = status;
      send(res, status, payload, headers);
    };

    const failure = failures.find(
      (f) => f.remaining > 0 && (!f.method || f.method === req.method) && (!f.name || url.pathname.endsWith(`/secrets/${f.name}`)),
    );
    if (failure) {
      failure.remaining -= 1;
      if (failure.status === 'reset') {
        record.status = 'reset';
        return req.socket.destroy();
      }
      return reply(failure.status, { message: 'Server Error' });
    }

    const grant = tokens.get(token);
    if (!grant) return reply(401, { message: 'Bad credentials', status: '401' });
    // Any token that can see the repository reads its metadata.
    if (req.method === 'GET' && url.pathname === `/repos/${repository}`) return reply(200, { id: repositoryId, full_name: repository });
    const target = scopeFor(url.pathname);
    if (!target) return reply(404, { message: 'Not Found', status: '404' });
    const scope = scopes.get(target.scope);
    if (!scope) return reply(404, { message: 'Not Found', status: '404' });
    const area = target.scope === ORG ? 'organizationSecrets' : target.scope === '' ? 'secrets' : 'environments';
    const acceptedName = { secrets: 'secrets', environments: 'environments', organizationSecrets: 'organization_secrets' }[area];
    const needed = req.method === 'GET' ? 'read' : 'write';
    if (LEVELS[grant[area]] < LEVELS[needed]) {
      return reply(
        403,
        { message: 'Resource not accessible by integration', status: '403' },
        { 'x-accepted-github-permissions': `${acceptedName}=${needed}` },
      );
    }

    if (target.item === 'public-key') {
      if (req.method !== 'GET') return reply(404, { message: 'Not Found' });
      return reply(200, { key_id: scope.keyId, key: sodium.to_base64(scope.keypair.publicKey, sodium.base64_variants.ORIGINAL) });
    }
    const name = target.item;
    if (target.repositories) {
      const secret = scope.secrets.get(name.toUpperCase());
      if (req.method !== 'GET' || !secret) return reply(404, { message: 'Not Found' });
      if (secret.visibility !== 'selected') return reply(409, { message: 'Visibility is not selected' });
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      // Repositories the token may not see are counted but not listed (`hidden`, set by a test).
      const listed = secret.selected.filter((id) => !(secret.hidden ?? []).includes(id));
      const ids = listed.slice((page - 1) * perPage, page * perPage);
      return reply(200, {
        total_count: secret.selected.length,
        repositories: ids.map((id) => ({ id, full_name: id === repositoryId ? repository : `${organization}/repo-${id}` })),
      });
    }
    if (req.method === 'GET') {
      const secret = scope.secrets.get(name.toUpperCase());
      if (!secret) return reply(404, { message: 'Not Found' });
      const visibility =
        target.scope === ORG
          ? {
              visibility: secret.visibility,
              ...(secret.visibility === 'selected'
                ? { selected_repositories_url: `${url.origin}/orgs/${organization}/actions/secrets/${name.toUpperCase()}/repositories` }
                : {}),
            }
          : {};
      return reply(200, { name: name.toUpperCase(), created_at: secret.createdAt, updated_at: secret.updatedAt, ...visibility });
    }
    if (req.method === 'DELETE') {
      if (!scope.secrets.delete(name.toUpperCase())) return reply(404, { message: 'Not Found' });
      return reply(204);
    }
    if (req.method === 'PUT') {
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        return reply(400, { message: 'Problems parsing JSON' });
      }
      record.fields = Object.keys(parsed).sort();
      if (parsed.key_id !== scope.keyId) return reply(422, { message: 'Bad request: key_id does not match' });
      let value;
      try {
        const sealed = sodium.from_base64(parsed.encrypted_value, sodium.base64_variants.ORIGINAL);
        value = sodium.to_string(sodium.crypto_box_seal_open(sealed, scope.keypair.publicKey, scope.keypair.privateKey));
      } catch {
        return reply(422, { message: 'Bad request: encrypted_value could not be decrypted' });
      }
      let access = {};
      if (target.scope === ORG) {
        if (!['all', 'private', 'selected'].includes(parsed.visibility)) {
          return reply(422, { message: 'Invalid request.\n\n"visibility" wasn\'t supplied.' });
        }
        const ids = parsed.selected_repository_ids;
        if (ids !== undefined && (parsed.visibility !== 'selected' || !Array.isArray(ids) || ids.some((id) => typeof id !== 'number'))) {
          return reply(422, { message: 'selected_repository_ids can only be given, as numbers, with selected visibility' });
        }
        access = { visibility: parsed.visibility, selected: parsed.visibility === 'selected' ? [...(ids ?? [])] : [] };
      }
      const key = name.toUpperCase();
      const now = new Date().toISOString();
      const existing = scope.secrets.get(key);
      scope.secrets.set(key, { value, createdAt: existing?.createdAt ?? now, updatedAt: now, ...access });
      writes.push({ scope: target.scope, name: key, value, ...access });
      return existing ? reply(204) : reply(201, {});
    }
    return reply(404, { message: 'Not Found' });
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  const scopeOf = (environment) => {
    const scope = scopes.get(environment ?? '');
    if (!scope) throw new Error(`stand-in: no environment '${environment}'`);
    return scope;
  };

  return {
    url,
    repository,
    requests,
    writes,
    /**
     * A new token with these permissions (`none`, `read`, `write`) on repository secrets and on
     * environments. `kind` picks its prefix: `app` (ghs_, like GITHUB_TOKEN and App tokens) or `pat` (github_pat_).
     */
    token({ secrets = 'none', environments = 'none', organizationSecrets = 'none', kind = 'app' } = {}) {
      const value = `${kind === 'pat' ? 'github_pat_' : 'ghs_'}${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
      tokens.set(value, { secrets, environments, organizationSecrets });
      return value;
    },
    /** Stores a secret directly (what the user did in the settings page). */
    setSecret(name, value, environment = null) {
      const now = new Date().toISOString();
      scopeOf(environment).secrets.set(name.toUpperCase(), { value, createdAt: now, updatedAt: now });
    },
    /**
     * Stores an organization secret directly, visible as given (`repositories`: ids, for `selected`;
     * `hidden`: those of them its list of repositories counts but does not show).
     */
    setOrgSecret(name, value, { visibility = 'selected', repositories = [], hidden = [] } = {}) {
      if (!ORG) throw new Error('stand-in: no organization');
      const now = new Date().toISOString();
      scopes.get(ORG).secrets.set(name.toUpperCase(), {
        value,
        createdAt: now,
        updatedAt: now,
        visibility,
        selected: [...repositories],
        hidden: [...hidden],
      });
    },
    /** An organization secret: its value and who can see it, or undefined. */
    orgSecret(name) {
      if (!ORG) throw new Error('stand-in: no organization');
      const secret = scopes.get(ORG).secrets.get(name.toUpperCase());
      return secret && { value: secret.value, visibility: secret.visibility, selectedRepositoryIds: [...secret.selected] };
    },
    /** The repository's numeric id (GITHUB_REPOSITORY_ID). */
    repositoryId,
    /** A secret's current value, or undefined. */
    secret(name, environment = null) {
      return scopeOf(environment).secrets.get(name.toUpperCase())?.value;
    },
    /** GitHub rotates a public key now and then: values sealed with the old one are refused (422). */
    rotateKey(environment = null) {
      const scope = scopeOf(environment);
      scope.keypair = sodium.crypto_box_keypair();
      scope.keyId = `${randomBytes(8).readBigUInt64BE()}`;
    },
    /** Names of the secrets in the repository (null) or an environment. */
    secretNames(environment = null) {
      return [...scopeOf(environment).secrets.keys()];
    },
    /**
     * The next `count` requests (of `method`, for the secret `name`, if given) answer `status` (a 5xx),
     * or `'reset'` to drop the connection.
     */
    failNext(count, { method = null, name = null, status = 502 } = {}) {
      failures.push({ remaining: count, method, name, status });
    },
    /** GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_REPOSITORY_ID for a step that talks to this stand-in. */
    env() {
      return { GITHUB_API_URL: url, GITHUB_REPOSITORY: repository, GITHUB_REPOSITORY_ID: String(repositoryId) };
    },
    /** Every token made (for leak checks). */
    issued() {
      return [...tokens.keys()];
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
