// A loopback stand-in for GitHub's Actions secrets REST API (repository and environment secrets):
// GET …/secrets/public-key, GET/PUT/DELETE …/secrets/{name}. It holds a real libsodium keypair per
// repository and per environment, opens every sealed value it receives (so tests read back exactly
// what a workflow would get from `secrets.NAME`), checks each request's token against the permissions
// it was given, and can fail chosen requests with a 5xx. Loopback only; used by the tests and the demo.
//
//   const gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: ['prod'] });
//   const token = gh.token({ secrets: 'write' });            // may read and write repository secrets
//   gh.setSecret('CODEX_AUTH_JSON', JSON.stringify(auth));    // what the user stored
//   gh.failNext(1, { method: 'PUT', status: 502 });           // the next PUT answers 502
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
 * @param {{ repository?: string, environments?: string[] }} [options]
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

  /** token -> { secrets: level, environments: level, kind } */
  const tokens = new Map();
  const requests = [];
  /** Every value written by PUT, in order: { scope, name, value }. */
  const writes = [];
  const failures = [];

  function scopeFor(pathname) {
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
    const target = scopeFor(url.pathname);
    if (!target) return reply(404, { message: 'Not Found', status: '404' });
    const scope = scopes.get(target.scope);
    if (!scope) return reply(404, { message: 'Not Found', status: '404' });
    const area = target.scope === '' ? 'secrets' : 'environments';
    const needed = req.method === 'GET' ? 'read' : 'write';
    if (LEVELS[grant[area]] < LEVELS[needed]) {
      return reply(
        403,
        { message: 'Resource not accessible by integration', status: '403' },
        { 'x-accepted-github-permissions': `${area}=${needed}` },
      );
    }

    if (target.item === 'public-key') {
      if (req.method !== 'GET') return reply(404, { message: 'Not Found' });
      return reply(200, { key_id: scope.keyId, key: sodium.to_base64(scope.keypair.publicKey, sodium.base64_variants.ORIGINAL) });
    }
    const name = target.item;
    if (req.method === 'GET') {
      const secret = scope.secrets.get(name.toUpperCase());
      if (!secret) return reply(404, { message: 'Not Found' });
      return reply(200, { name: name.toUpperCase(), created_at: secret.createdAt, updated_at: secret.updatedAt });
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
      if (parsed.key_id !== scope.keyId) return reply(422, { message: 'Bad request: key_id does not match' });
      let value;
      try {
        const sealed = sodium.from_base64(parsed.encrypted_value, sodium.base64_variants.ORIGINAL);
        value = sodium.to_string(sodium.crypto_box_seal_open(sealed, scope.keypair.publicKey, scope.keypair.privateKey));
      } catch {
        return reply(422, { message: 'Bad request: encrypted_value could not be decrypted' });
      }
      const key = name.toUpperCase();
      const now = new Date().toISOString();
      const existing = scope.secrets.get(key);
      scope.secrets.set(key, { value, createdAt: existing?.createdAt ?? now, updatedAt: now });
      writes.push({ scope: target.scope, name: key, value });
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
    token({ secrets = 'none', environments = 'none', kind = 'app' } = {}) {
      const value = `${kind === 'pat' ? 'github_pat_' : 'ghs_'}${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
      tokens.set(value, { secrets, environments });
      return value;
    },
    /** Stores a secret directly (what the user did in the settings page). */
    setSecret(name, value, environment = null) {
      const now = new Date().toISOString();
      scopeOf(environment).secrets.set(name.toUpperCase(), { value, createdAt: now, updatedAt: now });
    },
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
    /** GITHUB_API_URL and GITHUB_REPOSITORY for a step that talks to this stand-in. */
    env() {
      return { GITHUB_API_URL: url, GITHUB_REPOSITORY: repository };
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
