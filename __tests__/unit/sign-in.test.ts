// Signing in from the secrets in ladder order, against a fake credential store: a token the check
// refuses is kept as a rejection and the next secret is signed in; a credential that cannot be
// written is a warning and the next one is tried; what is said is redacted.
import { describe, expect, it } from '@jest/globals';
import type { AccessTokenCheckResult, CredentialStore } from '../../src/credentials.js';
import type { SecretCredential } from '../../src/recovery.js';
import { signInFromSecrets, type SignInSecrets } from '../../src/sign-in.js';
import { signInWriteFix } from '../../src/report.js';
import { STATE } from '../../src/state.js';

function fakeStore(answers: { token?: AccessTokenCheckResult; writeFails?: string }) {
  const calls: string[] = [];
  const store: CredentialStore = {
    authFile: '/h/.codex/auth.json',
    hasCachedCredentials: () => false,
    clear: () => [],
    writeAuthJson: () => {
      calls.push('writeAuthJson');
      if (answers.writeFails) throw new Error(answers.writeFails);
      return '/h/.codex/auth.json';
    },
    loginWithApiKey: async (key) => {
      calls.push(`loginWithApiKey ${key}`);
      return '/h/.codex/auth.json';
    },
    loginWithAccessToken: async (token) => {
      calls.push(`loginWithAccessToken ${token}`);
      return answers.token ?? { check: 'accepted', exitCode: 0, evidence: null };
    },
    checkEnvAccessToken: async () => ({ check: 'unchecked', exitCode: 0, evidence: null }),
    ensureHome: () => undefined,
  };
  return { store, calls };
}

function recordingCore() {
  const said: Array<[string, string]> = [];
  const state: Record<string, string> = {};
  return {
    said,
    state,
    core: {
      saveState: (name: string, value: string) => {
        state[name] = value;
      },
      info: (message: string) => said.push(['info', message]),
      warning: (message: string) => said.push(['warning', message]),
    },
  };
}

const secrets = (given: SecretCredential[]): SignInSecrets => ({
  codexAuthJson: given.includes('chatgpt') ? { text: '{"tokens":{}}' } : null,
  codexAccessToken: given.includes('access-token') ? 'at-token-5000' : null,
  openaiApiKey: given.includes('api-key') ? 'sk-key-5001' : null,
  secrets: given,
  codexHome: '/h/.codex',
});
const redact = (text: string) => text.split('at-token-5000').join('***');
const REFUSED: AccessTokenCheckResult = {
  check: 'rejected',
  exitCode: 1,
  evidence: 'Error logging in with access token: personal access token metadata request failed with status 401 Unauthorized',
};

describe('signInFromSecrets', () => {
  it('signs in with the first credential and records where the post step must clean up', async () => {
    const { store, calls } = fakeStore({});
    const { core, state } = recordingCore();
    const tried = new Set<SecretCredential>();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['access-token', 'api-key']), 'access-token', tried);
    expect(out).toEqual({ status: 'signed-in', credential: 'access-token', rejections: [] });
    expect(calls).toEqual(['loginWithAccessToken at-token-5000']);
    expect([...tried]).toEqual(['access-token']);
    expect(state[STATE.wroteAuthFile]).toBe('/h/.codex/auth.json');
  });

  it('a token the check refuses is a rejection, and the next secret is signed in', async () => {
    const { store, calls } = fakeStore({ token: REFUSED });
    const { core, said } = recordingCore();
    const tried = new Set<SecretCredential>(['chatgpt']);
    const out = await signInFromSecrets({ core, store, redact }, secrets(['chatgpt', 'access-token', 'api-key']), 'access-token', tried);
    expect(out.status).toBe('signed-in');
    expect(out).toMatchObject({ credential: 'api-key' });
    expect(out.rejections).toEqual([
      { credential: 'access-token', kind: 'access-token-invalid', exitCode: 1, evidence: REFUSED.evidence, durationMs: expect.any(Number) },
    ]);
    expect(calls).toEqual(['loginWithAccessToken at-token-5000', 'loginWithApiKey sk-key-5001']);
    expect(said).toEqual([
      ['info', 'The workspace access token in `codex-access-token` was refused when codex checked it (access-token-invalid).'],
    ]);
    expect([...tried]).toEqual(['chatgpt', 'access-token', 'api-key']);
  });

  it('every credential left refused: rejected, with each refusal', async () => {
    const { store } = fakeStore({ token: REFUSED });
    const { core } = recordingCore();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['access-token']), 'access-token', new Set());
    expect(out.status).toBe('rejected');
    expect(out.rejections.map((r) => r.credential)).toEqual(['access-token']);
  });

  it('a login that cannot be written is a warning, and the token after it is tried', async () => {
    const { store } = fakeStore({ writeFails: 'EISDIR: illegal operation on a directory' });
    const { core, said } = recordingCore();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['chatgpt', 'access-token']), 'chatgpt', new Set());
    expect(out).toEqual({ status: 'signed-in', credential: 'access-token', rejections: [] });
    expect(said).toEqual([
      ['info', 'Could not sign in with the ChatGPT login in `codex-auth-json`: `EISDIR: illegal operation on a directory`'],
      [
        'warning',
        `Could not sign in with the ChatGPT login in \`codex-auth-json\`: \`EISDIR: illegal operation on a directory\`\nFix: ${signInWriteFix('/h/.codex')}`,
      ],
    ]);
  });

  it('nothing could be signed in with: no warning (the error names them), and the fix for each cause', async () => {
    const { store } = fakeStore({
      writeFails: 'EISDIR: illegal operation on a directory',
      token: { check: 'unsupported', exitCode: 1, evidence: 'invalid agent identity JWT format' },
    });
    const { core, said } = recordingCore();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['chatgpt', 'access-token']), 'chatgpt', new Set());
    expect(said.filter(([level]) => level === 'warning')).toEqual([]);
    expect(out).toMatchObject({
      status: 'failed',
      error:
        'the ChatGPT login in `codex-auth-json`: `EISDIR: illegal operation on a directory`; the workspace access token in `codex-access-token`: the codex on PATH does not know workspace access tokens (`codex login --with-access-token` said: `invalid agent identity JWT format`)',
    });
    if (out.status !== 'failed') throw new Error('expected a failed sign-in');
    expect(out.fix).toContain('Make sure this job can write `/h/.codex/auth.json`');
    expect(out.fix).toContain('Install codex 0.150.1 or later before this step');
  });

  it('a codex without --with-access-token: a failed sign-in that says to install a newer codex', async () => {
    const { store } = fakeStore({
      token: { check: 'unsupported', exitCode: 2, evidence: "error: unexpected argument '--with-access-token' found" },
    });
    const { core } = recordingCore();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['access-token']), 'access-token', new Set());
    expect(out.status).toBe('failed');
    expect(out).toMatchObject({
      error: expect.stringContaining('does not know workspace access tokens'),
      fix: expect.stringContaining('Install codex 0.150.1 or later'),
    });
  });

  it('the auth server could not be asked: signed in unchecked, saying so with codex words redacted', async () => {
    const { store } = fakeStore({ token: { check: 'unchecked', exitCode: 1, evidence: 'failed to request metadata for at-token-5000' } });
    const { core, said } = recordingCore();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['access-token']), 'access-token', new Set());
    expect(out.status).toBe('signed-in');
    expect(said).toEqual([
      ['info', 'codex could not check the workspace access token (failed to request metadata for ***); signed in without the check.'],
    ]);
  });

  it('a refusal quotes codex redacted', async () => {
    const { store } = fakeStore({ token: { ...REFUSED, evidence: 'refused at-token-5000' } });
    const { core } = recordingCore();
    const out = await signInFromSecrets({ core, store, redact }, secrets(['access-token']), 'access-token', new Set());
    expect(out.rejections[0].evidence).toBe('refused ***');
  });
});
