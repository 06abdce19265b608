/**
 * Where a keeper run stores the access-only copy of its login: the inputs `access-only-secret`,
 * `access-only-secret-environment` and `access-only-secret-organization` (read and checked by
 * `readAccessOnlySettings`), and the capability that writes it (`createCopySecret`): a preflight
 * that proves `secrets-token` can write there before codex refreshes anything, and the write itself.
 * The token is the write-back's `secrets-token`: one token for both secrets.
 */
import { randomBytes } from 'node:crypto';
import type { WritebackSettings } from './auth-writeback.js';
import { InputError } from './input-error.js';
import {
  createSecretsClient,
  describeSecret,
  isValidSecretName,
  type SecretsClient,
  type SecretsClientOptions,
  type SecretTarget,
} from './github-secrets.js';

export const ACCESS_ONLY_INPUTS = {
  secret: 'access-only-secret',
  environment: 'access-only-secret-environment',
  organization: 'access-only-secret-organization',
} as const;

/** Whether this run wrote the access-only copy. */
export const ACCESS_ONLY_OUTPUT = 'access-only-secret-updated';

export interface AccessOnlySettings {
  secretName: string;
  target: SecretTarget;
}

/** An organization's login as GitHub allows it: letters, digits and single inner hyphens, at most 39 characters. */
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/**
 * Reads the access-only inputs; null when `access-only-secret` is empty (not a keeper run). Throws
 * InputError for a combination that cannot work. `writeback`: the write-back settings (a keeper
 * writes the rotated full login back, so it needs them, and its token writes both secrets).
 */
export function readAccessOnlySettings(getInput: (name: string) => string, writeback: WritebackSettings | null): AccessOnlySettings | null {
  const secretName = (getInput(ACCESS_ONLY_INPUTS.secret) ?? '').trim();
  const environment = (getInput(ACCESS_ONLY_INPUTS.environment) ?? '').trim();
  const organization = (getInput(ACCESS_ONLY_INPUTS.organization) ?? '').trim();
  if (!secretName) {
    for (const input of [ACCESS_ONLY_INPUTS.environment, ACCESS_ONLY_INPUTS.organization]) {
      if ((getInput(input) ?? '').trim()) {
        throw new InputError(
          input,
          `is set but '${ACCESS_ONLY_INPUTS.secret}' is empty: name the secret to write the access-only copy to.`,
        );
      }
    }
    return null;
  }
  if (!isValidSecretName(secretName)) {
    throw new InputError(
      ACCESS_ONLY_INPUTS.secret,
      // The value is not repeated: what was given may be a secret's value instead of its name.
      `must be the name of an Actions secret (letters, digits and _, not starting with a digit or GITHUB_), e.g. CODEX_AUTH_ACCESS. Give the name, not \${{ secrets.… }}.`,
    );
  }
  if (environment && organization) {
    throw new InputError(
      ACCESS_ONLY_INPUTS.organization,
      `and '${ACCESS_ONLY_INPUTS.environment}' are both set: the copy goes to one place, an environment of this repository or the organization.`,
    );
  }
  if (organization && !ORGANIZATION.test(organization)) {
    throw new InputError(
      ACCESS_ONLY_INPUTS.organization,
      `must be an organization's login (letters, digits and hyphens), as in github.com/<organization>; got '${organization}'.`,
    );
  }
  if (!writeback) {
    throw new InputError(
      ACCESS_ONLY_INPUTS.secret,
      `makes this step a keeper, which refreshes the full login and writes it back: set 'auth-json-secret' to the name of the secret passed as \`codex-auth-json\`, and 'secrets-token'.`,
    );
  }
  const target: SecretTarget = {
    apiUrl: writeback.target.apiUrl,
    repository: writeback.target.repository,
    environment: environment || null,
    organization: organization || null,
    scopeInput: organization ? ACCESS_ONLY_INPUTS.organization : ACCESS_ONLY_INPUTS.environment,
  };
  // By name alone, whatever the scopes: a repository secret hides an organization secret of the same
  // name, so jobs that read the copy's name would get the full login.
  if (secretName.toUpperCase() === writeback.secretName.toUpperCase()) {
    throw new InputError(
      ACCESS_ONLY_INPUTS.secret,
      `names the same secret as 'auth-json-secret' (${secretName}): the copy would overwrite the full login, which only the keeper may hold. Use another name, e.g. CODEX_AUTH_ACCESS.`,
    );
  }
  return { secretName, target };
}

/** Writes the access-only copy. */
export interface CopySecret {
  /** "the repository secret CODEX_AUTH_ACCESS of octo/app" and the like. */
  readonly description: string;
  readonly secretName: string;
  /** Proves `secrets-token` can write there (a throwaway secret made and deleted), without touching the copy. Throws. */
  preflight(): Promise<void>;
  /** Stores the copy (JSON text). Throws SecretsApiError when it cannot. */
  put(text: string, options?: { quick?: boolean }): Promise<'created' | 'updated'>;
}

export interface CopySecretOptions {
  settings: AccessOnlySettings;
  /** `secrets-token`. */
  token: string;
  env?: NodeJS.ProcessEnv;
  /** Told about retries and a temporary secret left behind. */
  log: { info(message: string): void; warning(message: string, properties?: { title?: string }): void };
  /** Test seams. */
  createClient?: (options: SecretsClientOptions) => Promise<SecretsClient>;
  clientOptions?: Partial<SecretsClientOptions>;
  randomHex?: (bytes: number) => string;
}

/** GITHUB_REPOSITORY_ID as a number, when the runner gave a usable one. */
export function repositoryIdFrom(env: NodeJS.ProcessEnv): number | null {
  const id = Number(env.GITHUB_REPOSITORY_ID?.trim() ?? '');
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Creates the copy's writer; nothing is requested until it is used. */
export function createCopySecret(options: CopySecretOptions): CopySecret {
  const { settings, log } = options;
  const description = describeSecret(settings.secretName, settings.target);
  const randomHex = options.randomHex ?? ((bytes: number) => randomBytes(bytes).toString('hex'));
  let clientPromise: Promise<SecretsClient> | null = null;
  const client = (): Promise<SecretsClient> => {
    clientPromise ??= (options.createClient ?? createSecretsClient)({
      token: options.token,
      target: settings.target,
      env: options.env,
      repositoryId: repositoryIdFrom(options.env ?? {}),
      onRetry: (message) => log.info(`codex-reauth: ${message}`),
      ...options.clientOptions,
    });
    return clientPromise;
  };
  return {
    description,
    secretName: settings.secretName,
    async preflight() {
      const api = await client();
      // Reading it proves the token sees the scope (an organization secret's visibility is read before every write).
      await api.exists(settings.secretName);
      const probe = `CODEX_REAUTH_PREFLIGHT_${randomHex(6).toUpperCase()}`;
      await api.put(probe, 'codex-reauth preflight: safe to delete');
      try {
        await api.delete(probe);
      } catch (error) {
        log.warning(`Could not delete the temporary secret ${probe}; delete it by hand. ${error instanceof Error ? error.message : ''}`, {
          title: 'codex-reauth: temporary secret left behind',
        });
      }
    },
    async put(text, putOptions = {}) {
      return (await client()).put(settings.secretName, text, putOptions.quick ? { retries: 1 } : {});
    },
  };
}
