/**
 * Signing in from the secrets, in ladder order: write the ChatGPT login, sign in with the workspace
 * access token (which codex checks with the auth server first), or with the API key. A credential that
 * cannot be written (auth.json is a folder, the disk is full) or that the check refuses is passed over
 * for the next one not yet tried; a refusal is kept so the report can name it with its fix.
 */
import { performance } from 'node:perf_hooks';
import { consumerSignIn } from './access-only.js';
import type { AuthJson } from './auth-json.js';
import { accountOf } from './auth-writeback.js';
import type { CredentialStore } from './credentials.js';
import type { FailureKind } from './failure-kinds.js';
import type { SecretCredential } from './recovery.js';
import { codeSpan } from './markdown.js';
import { describeCredential, signInWriteFix } from './report.js';
import { OLDEST_ACCESS_TOKEN_CODEX } from './access-token.js';
import { STATE } from './state.js';

/** The secrets to sign in with, as read from the inputs. */
export interface SignInSecrets {
  /** `parsed`: for the check of an access-only copy (access-only.ts) before it is written. */
  codexAuthJson: { text: string; parsed?: AuthJson } | null;
  codexAccessToken: string | null;
  openaiApiKey: string | null;
  /** Secrets given, in the order to try them. */
  secrets: readonly SecretCredential[];
  codexHome: string;
}

/** The part of @actions/core signing in uses. */
export interface SignInCore {
  saveState(name: string, value: string): void;
  info(message: string): void;
  warning(message: string, properties?: { title?: string }): void;
}

/** A credential refused when signing in, before the script ran with it. */
export interface SignInRejection {
  credential: SecretCredential;
  kind: FailureKind;
  exitCode: number;
  durationMs: number;
  /** What codex said (already redacted). */
  evidence: string | null;
}

export type SignInOutcome =
  | { status: 'signed-in'; credential: SecretCredential; rejections: SignInRejection[] }
  /** Every credential left was refused by its check. */
  | { status: 'rejected'; rejections: SignInRejection[] }
  /**
   * No credential left could be signed in with: each could not be written, or the codex on PATH
   * cannot use it. `fix` says what to do about each cause.
   */
  | { status: 'failed'; error: string; fix: string; rejections: SignInRejection[] };

/** The codex on PATH cannot sign in with this credential at all: a setup problem, not a dead secret. */
class Unsupported extends Error {
  readonly fix = `Install codex ${OLDEST_ACCESS_TOKEN_CODEX} or later before this step (\`npm install -g @openai/codex\`) to use \`codex-access-token\`, or pass another credential.`;
}

class Rejected extends Error {
  constructor(readonly rejection: Omit<SignInRejection, 'credential' | 'durationMs'>) {
    super('rejected');
  }
}

/**
 * Signs in with `first`, or, when that fails, with each secret not yet tried in turn. Each secret
 * tried lands in `tried` (the ladder tries a credential once).
 */
export async function signInFromSecrets(
  deps: { core: SignInCore; store: CredentialStore; redact(text: string): string; now?: () => Date },
  secrets: SignInSecrets,
  first: SecretCredential,
  tried: Set<SecretCredential>,
): Promise<SignInOutcome> {
  const { core, store, redact } = deps;
  const failures: Array<{ problem: string; fix: string }> = [];
  const rejections: SignInRejection[] = [];
  let credential: SecretCredential | undefined = first;
  while (credential) {
    tried.add(credential);
    // Recorded before the file exists: if main dies mid-write, the post step still removes it.
    core.saveState(STATE.wroteAuthFile, store.authFile);
    const started = performance.now();
    try {
      await signInWith(credential, secrets, store, { core, redact, now: deps.now ?? (() => new Date()) });
      // Only now, when the run goes on with another credential, is a failure worth a warning of its
      // own: when none can be signed in with, the one error annotation names them all.
      for (const { problem, fix } of failures)
        core.warning(`Could not sign in with ${problem}\nFix: ${fix}`, { title: 'codex-reauth: sign-in failed' });
      return { status: 'signed-in', credential, rejections };
    } catch (error) {
      if (error instanceof Rejected) {
        const { kind, exitCode, evidence } = error.rejection;
        rejections.push({
          credential,
          kind,
          exitCode,
          evidence: evidence && redact(evidence),
          durationMs: Math.round(performance.now() - started),
        });
        const checker = kind === 'access-token-expired' ? 'the action' : 'codex';
        core.info(`${capitalise(describeCredential(credential, secrets.codexHome))} was refused when ${checker} checked it (${kind}).`);
      } else {
        // Another module's error in its own words, as code: it may hold paths and characters Markdown
        // would read. Ours (a codex too old for the credential) is already written for the summary.
        const words = redact(error instanceof Error ? error.message : String(error));
        const problem = `${describeCredential(credential, secrets.codexHome)}: ${error instanceof Unsupported ? words : codeSpan(words)}`;
        failures.push({ problem, fix: error instanceof Unsupported ? error.fix : signInWriteFix(secrets.codexHome) });
        core.info(`Could not sign in with ${problem}`);
      }
    }
    credential = secrets.secrets.find((c) => !tried.has(c));
  }
  if (failures.length > 0) {
    const fix = [...new Set(failures.map((f) => f.fix))].join(' ');
    return { status: 'failed', error: failures.map((f) => f.problem).join('; '), fix, rejections };
  }
  return { status: 'rejected', rejections };
}

async function signInWith(
  credential: SecretCredential,
  secrets: SignInSecrets,
  store: CredentialStore,
  log: { core: SignInCore; redact(text: string): string; now(): Date },
): Promise<void> {
  const info = (message: string): void => log.core.info(log.redact(message));
  switch (credential) {
    case 'chatgpt': {
      if (!secrets.codexAuthJson) throw new Error('codex-auth-json is empty');
      const { parsed, text } = secrets.codexAuthJson;
      // An access-only copy is checked before codex runs (expired: refused at once, never after retries).
      const check = parsed ? consumerSignIn({ parsed, text }, accountOf(parsed).account, log.now()) : null;
      if (check?.reject) throw new Rejected({ kind: 'access-token-expired', exitCode: 1, evidence: check.reject });
      if (check?.warning) log.core.warning(check.warning.message, { title: check.warning.title });
      if (check?.info) info(check.info);
      store.writeAuthJson(check?.text ?? text);
      return;
    }
    case 'access-token': {
      if (!secrets.codexAccessToken) throw new Error('codex-access-token is empty');
      const result = await store.loginWithAccessToken(secrets.codexAccessToken);
      if (result.check === 'rejected')
        throw new Rejected({ kind: 'access-token-invalid', exitCode: result.exitCode, evidence: result.evidence });
      if (result.check === 'unsupported')
        throw new Unsupported(
          `the codex on PATH does not know workspace access tokens (\`codex login --with-access-token\` said: ${result.evidence ? codeSpan(result.evidence) : `exit code ${result.exitCode}`})`,
        );
      if (result.check === 'unchecked' && result.evidence)
        info(`codex could not check the workspace access token (${result.evidence}); signed in without the check.`);
      return;
    }
    case 'api-key':
      if (!secrets.openaiApiKey) throw new Error('openai-api-key is empty');
      await store.loginWithApiKey(secrets.openaiApiKey);
      return;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
