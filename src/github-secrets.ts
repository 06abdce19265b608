/**
 * A small client for GitHub Actions secrets (repository, environment and organization secrets): read
 * the public key, write a secret sealed with it, delete a secret. It speaks GitHub's documented REST endpoints at
 * `GITHUB_API_URL` through @octokit/request, and seals values with libsodium's sealed box
 * (`crypto_box_seal`) exactly as GitHub's own guide does. Both libraries are loaded with `import()`
 * the first time they are needed, so a run that does not write secrets back never reads them: ncc
 * puts them in chunk files of their own next to dist/index.js (libsodium alone is 435 kB), which
 * took ~3 MiB off the peak memory of every run (bench/steps.md). scripts/licenses.mjs lists the
 * packages of every chunk in licenses.txt, which ncc's own `--license` does not.
 *
 * Transport is injected (`fetch`, `sleep`, `random`) so tests use fakes or a loopback stand-in.
 */

/** Where a secret lives. */
export interface SecretTarget {
  /** The REST API base, `GITHUB_API_URL` (https://api.github.com, or a GitHub Enterprise Server's). */
  apiUrl: string;
  /** `owner/name`, as in `GITHUB_REPOSITORY`. */
  repository: string;
  /** An environment's name for an environment secret; null for a repository secret. */
  environment: string | null;
  /**
   * An organization's login for an organization secret (then `environment` is null). Who can see an
   * organization secret (`visibility`, the selected repositories) is read before every write and
   * repeated in it, never changed; a new one is made visible to `repository` only.
   */
  organization?: string | null;
  /** The input that names the environment or organization, for messages (default `auth-json-secret-environment`). */
  scopeInput?: string;
}

/** What a secret write or delete is about, for error messages. */
export type SecretOperation =
  | 'read the public key'
  | 'read the secret'
  | 'write the secret'
  | 'delete the secret'
  | "read the secret's selected repositories"
  | 'read the repository';

/** A request that failed for good (after the retries a transient failure gets). */
export class SecretsApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null when no answer came (network). */
    readonly status: number | null,
    readonly operation: SecretOperation,
  ) {
    super(message);
    this.name = 'SecretsApiError';
  }
}

export interface SecretsClientOptions {
  token: string;
  target: SecretTarget;
  /** The HTTP transport (defaults to the global fetch). */
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1): jitter for the backoff. */
  random?: () => number;
  /** Retries after the first try for 5xx, 429 and network errors (default 4: five tries). */
  retries?: number;
  /** First backoff; doubles each retry (default 1000 ms). */
  baseDelayMs?: number;
  /** A request that has not answered by then counts as a network error (default 30 s). */
  requestTimeoutMs?: number;
  /** Told about each retry (no secret in it). */
  onRetry?: (message: string) => void;
  /** The step's environment, to recognise the workflow's own GITHUB_TOKEN passed as `secrets-token`. */
  env?: NodeJS.ProcessEnv;
  /**
   * The numeric id of `target.repository` (the runner's GITHUB_REPOSITORY_ID), for a new organization
   * secret; asked of the API when not given.
   */
  repositoryId?: number | null;
}

export interface SecretsClient {
  readonly target: SecretTarget;
  /** The key to seal values with (`key` is base64). */
  publicKey(): Promise<{ keyId: string; key: string }>;
  /** True when a secret of that name exists at the target (reads its metadata, never its value). */
  exists(name: string): Promise<boolean>;
  /**
   * Seals `value` with the target's public key and stores it; `created` for a new secret. `retries`
   * overrides the client's (a cancelled step has seconds left, not a minute).
   */
  put(name: string, value: string, options?: { retries?: number }): Promise<'created' | 'updated'>;
  /** Deletes a secret; a secret that is not there counts as deleted. */
  delete(name: string): Promise<void>;
}

/** Names GitHub accepts: letters, digits and `_`, not starting with a digit or `GITHUB_`. */
export function isValidSecretName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/^GITHUB_/i.test(name);
}

/** 5xx, 429 and no answer at all are worth another try; anything else will answer the same. */
export function isRetryableStatus(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

/** Exponential backoff with up to 25% jitter, so parallel jobs do not retry in lockstep. */
export function backoffMs(retry: number, baseDelayMs: number, random: () => number): number {
  const delay = baseDelayMs * 2 ** retry;
  return Math.round(delay + delay * 0.25 * random());
}

/** A human name for the target, e.g. "the repository secret CODEX_AUTH_JSON of octo/app". */
export function describeSecret(name: string, target: SecretTarget): string {
  if (target.organization) return `the organization secret ${name} of ${target.organization}`;
  return target.environment === null
    ? `the repository secret ${name} of ${target.repository}`
    : `the secret ${name} of the environment '${target.environment}' in ${target.repository}`;
}

/**
 * Looks like the workflow's own `GITHUB_TOKEN`: it is an installation token (`ghs_`), and when the
 * workflow also exposes it as `GITHUB_TOKEN`/`GH_TOKEN`, it is the very same value. App installation
 * tokens share the `ghs_` prefix, so the message for `ghs_` covers both.
 */
export function tokenKind(
  token: string,
  env: NodeJS.ProcessEnv = {},
): 'github-token' | 'installation' | 'fine-grained' | 'classic' | 'other' {
  if (token && (token === env.GITHUB_TOKEN || token === env.GH_TOKEN)) return 'github-token';
  if (token.startsWith('ghs_')) return 'installation';
  if (token.startsWith('github_pat_')) return 'fine-grained';
  if (token.startsWith('ghp_') || token.startsWith('gho_')) return 'classic';
  return 'other';
}

/** The permission a token needs at the target, as GitHub names it for each kind of token. */
export function requiredPermission(target: SecretTarget): { fineGrained: string; app: string; classic: string } {
  if (target.organization) {
    return {
      fineGrained: '"Secrets: Read and write" (an organization permission)',
      app: '`organization_secrets: write`',
      classic: 'the `admin:org` scope',
    };
  }
  return target.environment === null
    ? { fineGrained: '"Secrets: Read and write"', app: '`secrets: write`', classic: 'the `repo` scope' }
    : {
        fineGrained: '"Environments: Read and write"',
        app: '`environments: write`',
        classic: 'the `repo` scope',
      };
}

/**
 * Explains a refused request (401/403/404) in terms of `secrets-token`: what it lacks and how to get
 * it. Pure, so every case is table-tested.
 */
export function permissionProblem(
  status: number,
  operation: SecretOperation,
  target: SecretTarget,
  kind: ReturnType<typeof tokenKind>,
  acceptedPermissions: string | null = null,
): string {
  const need = requiredPermission(target);
  const org = target.organization ?? null;
  const where = org
    ? `the organization ${org}`
    : target.environment === null
      ? `the repository ${target.repository}`
      : `the environment '${target.environment}' of ${target.repository}`;
  const fix = org
    ? `Give \`secrets-token\` a token that can write the organization's Actions secrets: a GitHub App installation token ` +
      `(actions/create-github-app-token with \`owner: ${org}\`) from an app with ${need.app} installed on ${org}, or a fine-grained ` +
      `personal access token with the ${need.fineGrained} on ${org}, owned by an organization owner.`
    : `Give \`secrets-token\` a token that can write Actions secrets in ${where}: a GitHub App installation token ` +
      `(actions/create-github-app-token) from an app with ${need.app} installed on ${target.repository}, or a fine-grained ` +
      `personal access token with the repository permission ${need.fineGrained} for ${target.repository}.`;
  const githubToken =
    kind === 'github-token'
      ? " `secrets-token` is the workflow's GITHUB_TOKEN, and GITHUB_TOKEN cannot write secrets (there is no `secrets` permission for it)."
      : kind === 'installation'
        ? " If `secrets-token` is the workflow's GITHUB_TOKEN (`github.token`): GITHUB_TOKEN cannot write secrets at all; if it is a GitHub App token, the app lacks the permission or is not installed on this repository."
        : kind === 'classic'
          ? ` A classic token needs ${need.classic} and its owner must ${org ? `be an owner of ${org}` : `have write access to ${target.repository}`}.`
          : '';
  const accepted = acceptedPermissions ? ` GitHub says this request needs: ${acceptedPermissions}.` : '';
  if (status === 401) {
    return `GitHub refused \`secrets-token\` (401 Bad credentials) when trying to ${operation}: the token is invalid, expired or revoked.${githubToken} ${fix}`;
  }
  if (status === 404) {
    const scopeInput = target.scopeInput ?? 'auth-json-secret-environment';
    const envHint = org
      ? ` Check the organization's name (\`${scopeInput}\`).`
      : target.environment === null
        ? ''
        : ` Check that the environment '${target.environment}' exists (\`${scopeInput}\`).`;
    return (
      `GitHub answered 404 when \`secrets-token\` tried to ${operation} in ${where}: either the token cannot see it ` +
      `(GitHub hides what a token may not access) or it does not exist.${envHint}${githubToken}${accepted} ${fix}`
    );
  }
  return `\`secrets-token\` is not allowed to ${operation} in ${where} (${status} Forbidden).${githubToken}${accepted} ${fix}`;
}

type Sodium = (typeof import('libsodium-wrappers'))['default'];
let sodiumPromise: Promise<Sodium> | null = null;

/** libsodium, loaded and initialised once, on first use. */
async function loadSodium(): Promise<Sodium> {
  sodiumPromise ??= import('libsodium-wrappers').then(async ({ default: sodium }) => {
    await sodium.ready;
    return sodium;
  });
  return sodiumPromise;
}

/** Seals `value` for GitHub with the repository's (or environment's) base64 public key. */
export async function sealSecret(value: string, publicKeyBase64: string): Promise<string> {
  const sodium = await loadSodium();
  const key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL);
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

interface OctokitLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  name?: string;
}

/** The status of a failed request, or null when no HTTP answer came (octokit reports those as 500 without a response). */
function statusOf(error: OctokitLikeError): number | null {
  if (!error.response) return null;
  return typeof error.status === 'number' ? error.status : null;
}

/**
 * Creates a client for the target. Loads @octokit/request on first call; the token goes only into the
 * Authorization header.
 */
export async function createSecretsClient(options: SecretsClientOptions): Promise<SecretsClient> {
  const { target, token } = options;
  const [owner, repo, ...rest] = target.repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new Error(`GITHUB_REPOSITORY must be owner/name, got '${target.repository}'.`);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const defaultRetries = options.retries ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const kind = tokenKind(token, options.env ?? {});

  const { request: octokitRequest } = await import('@octokit/request');
  const request = octokitRequest.defaults({
    baseUrl: target.apiUrl.replace(/\/+$/, ''),
    headers: {
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'codex-reauth',
    },
    // octokit logs deprecation notices through this; nothing of ours should go to the console.
    request: { fetch: options.fetch, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } },
  });
  const org = target.organization ?? null;
  const base = org
    ? '/orgs/{org}/actions/secrets'
    : target.environment === null
      ? '/repos/{owner}/{repo}/actions/secrets'
      : '/repos/{owner}/{repo}/environments/{environment_name}/secrets';
  // Each route's own parameters only: octokit sends the ones a route does not name as query or body fields.
  const scopeParams = org ? { org } : target.environment === null ? { owner, repo } : { owner, repo, environment_name: target.environment };

  /** One request with retries; 404 is returned (not thrown) when `allow404`. */
  async function call(
    operation: SecretOperation,
    route: string,
    params: Record<string, unknown>,
    allow404 = false,
    retries = defaultRetries,
  ): Promise<{ status: number; data: unknown }> {
    for (let retry = 0; ; retry++) {
      try {
        const response = await request(route, { ...scopeParams, ...params, request: { signal: AbortSignal.timeout(timeoutMs) } });
        return { status: response.status, data: response.data };
      } catch (caught) {
        const error = caught as OctokitLikeError;
        const status = statusOf(error);
        if (status === 404 && allow404) return { status, data: null };
        if (isRetryableStatus(status) && retry < retries) {
          const wait = backoffMs(retry, baseDelayMs, random);
          options.onRetry?.(
            `Could not ${operation} (${status === null ? 'no answer' : `HTTP ${status}`}); retrying in ${Math.round(wait / 100) / 10} s (retry ${retry + 1} of ${retries}).`,
          );
          await sleep(wait);
          continue;
        }
        if (status === 401 || status === 403 || status === 404) {
          const accepted = error.response?.headers?.['x-accepted-github-permissions'] ?? null;
          throw new SecretsApiError(permissionProblem(status, operation, target, kind, accepted), status, operation);
        }
        const cause = status === null ? `no answer from ${target.apiUrl} (${error.message ?? 'network error'})` : `HTTP ${status}`;
        const tries = retry + 1;
        throw new SecretsApiError(`Could not ${operation}: ${cause}, after ${tries} ${tries === 1 ? 'try' : 'tries'}.`, status, operation);
      }
    }
  }

  /** This repository's numeric id: the runner's, else the API's. */
  async function repositoryId(): Promise<number> {
    if (typeof options.repositoryId === 'number' && Number.isSafeInteger(options.repositoryId) && options.repositoryId > 0) {
      return options.repositoryId;
    }
    // The repository route takes owner and repo, whatever the secret's scope (octokit drops the undefined org).
    const { data } = await call('read the repository', 'GET /repos/{owner}/{repo}', { owner, repo, org: undefined });
    const id = (data as { id?: unknown } | null)?.id;
    if (typeof id !== 'number') throw new SecretsApiError(`The answer about ${target.repository} had no id.`, 200, 'read the repository');
    return id;
  }

  /** Every repository an organization secret with `selected` visibility is visible to (all pages). */
  async function selectedRepositoryIds(name: string): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const { data } = await call("read the secret's selected repositories", `GET ${base}/{secret_name}/repositories`, {
        secret_name: name,
        per_page: 100,
        page,
      });
      const { total_count: total, repositories } = (data ?? {}) as { total_count?: unknown; repositories?: unknown };
      if (typeof total !== 'number' || !Array.isArray(repositories)) {
        throw new SecretsApiError(
          `The list of repositories that can see ${name} was not understood.`,
          200,
          "read the secret's selected repositories",
        );
      }
      for (const repository of repositories as Array<{ id?: unknown }>) {
        if (typeof repository?.id === 'number' && !ids.includes(repository.id)) ids.push(repository.id);
      }
      if (ids.length >= total) return ids;
      // A list that ends short of its own count (repositories the token cannot see, or an answer
      // without ids) would narrow who can see the secret once the PUT repeats it: refuse instead.
      if (repositories.length === 0)
        throw new SecretsApiError(
          `GitHub listed ${ids.length} of the ${total} repositories that can see ${name}, so it was not written: writing it would hide it from the others. Give the token read access to all of them, or let an organization owner write it.`,
          200,
          "read the secret's selected repositories",
        );
    }
  }

  /**
   * Who can see an organization secret, as its PUT must repeat it: the current visibility (and the
   * selected repositories) of an existing secret; for a new one, this repository only.
   */
  async function organizationAccess(name: string): Promise<{ visibility: string; selected_repository_ids?: number[] }> {
    const { status, data } = await call('read the secret', `GET ${base}/{secret_name}`, { secret_name: name }, true);
    if (status === 404) return { visibility: 'selected', selected_repository_ids: [await repositoryId()] };
    const visibility = (data as { visibility?: unknown } | null)?.visibility;
    if (visibility !== 'all' && visibility !== 'private' && visibility !== 'selected') {
      throw new SecretsApiError(`GitHub did not say who can see ${name} (visibility), so it was not written.`, status, 'read the secret');
    }
    return visibility === 'selected' ? { visibility, selected_repository_ids: await selectedRepositoryIds(name) } : { visibility };
  }

  let cachedKey: { keyId: string; key: string } | null = null;
  const client: SecretsClient = {
    target,
    async publicKey() {
      if (cachedKey) return cachedKey;
      const { data } = await call('read the public key', `GET ${base}/public-key`, {});
      const { key_id: keyId, key } = (data ?? {}) as { key_id?: unknown; key?: unknown };
      if (typeof keyId !== 'string' || typeof key !== 'string')
        throw new SecretsApiError('The public key answer had no key_id/key.', 200, 'read the public key');
      cachedKey = { keyId, key };
      return cachedKey;
    },
    async exists(name) {
      const { status } = await call('read the secret', `GET ${base}/{secret_name}`, { secret_name: name }, true);
      return status === 200;
    },
    async put(name, value, putOptions = {}) {
      // An organization secret's PUT must say who can see it: read that first and say it again.
      const access = org ? await organizationAccess(name) : {};
      const attempt = async () => {
        const { keyId, key } = await client.publicKey();
        const encrypted = await sealSecret(value, key);
        return call(
          'write the secret',
          `PUT ${base}/{secret_name}`,
          { secret_name: name, encrypted_value: encrypted, key_id: keyId, ...access },
          false,
          putOptions.retries ?? defaultRetries,
        );
      };
      let response: { status: number };
      try {
        response = await attempt();
      } catch (error) {
        // 422: the key we sealed with is no longer the current one (GitHub rotated it): fetch it again, once.
        if (!(error instanceof SecretsApiError) || error.status !== 422) throw error;
        cachedKey = null;
        response = await attempt();
      }
      return response.status === 201 ? 'created' : 'updated';
    },
    async delete(name) {
      await call('delete the secret', `DELETE ${base}/{secret_name}`, { secret_name: name }, true);
    },
  };
  return client;
}
