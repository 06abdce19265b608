// A job that uses an access-only copy: the check before codex runs (through signInFromSecrets, as main
// calls it), and what the annotation, the summary and the recovery warning then say.
import { describe, expect, it } from '@jest/globals';
import { consumerSignIn } from '../../src/access-only.js';
import type { AuthJson } from '../../src/auth-json.js';
import type { CredentialStore } from '../../src/credentials.js';
import { type AttemptRecord, failureAnnotation, type FinalContext, recoveryWarning, summaryMarkdown } from '../../src/report.js';
import { signInFromSecrets, type SignInSecrets } from '../../src/sign-in.js';
import { mintJwt } from '../../test-support/openai-standin.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const H = 3600;
const copy = (expiresInSeconds: number, mode = 'chatgptAuthTokens', refresh = ''): AuthJson => ({
  auth_mode: mode,
  OPENAI_API_KEY: null,
  tokens: {
    id_token: mintJwt({ 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1' } }),
    access_token: mintJwt({ exp: NOW.getTime() / 1000 + expiresInSeconds, label: 'SECRET-access' }),
    refresh_token: refresh,
    account_id: 'acct-1',
  },
  last_refresh: '2026-11-27T08:00:00Z',
});

function fakeStore() {
  const written: string[] = [];
  const store = {
    authFile: '/h/.codex/auth.json',
    hasCachedCredentials: () => false,
    clear: () => [],
    writeAuthJson: (text: string) => {
      written.push(text);
      return '/h/.codex/auth.json';
    },
    loginWithApiKey: async () => {
      written.push('api-key');
      return '/h/.codex/auth.json';
    },
    loginWithAccessToken: async () => ({ check: 'accepted' as const, exitCode: 0, evidence: null }),
    checkEnvAccessToken: async () => ({ check: 'unchecked' as const, exitCode: 0, evidence: null }),
    ensureHome: () => undefined,
  } satisfies CredentialStore;
  return { store, written };
}

async function signIn(auth: AuthJson, withApiKey = false) {
  const { store, written } = fakeStore();
  const said: Array<[string, string, string?]> = [];
  const core = {
    saveState: () => undefined,
    info: (m: string) => said.push(['info', m]),
    warning: (m: string, p?: { title?: string }) => said.push(['warning', m, p?.title]),
  };
  const text = `${JSON.stringify(auth, null, 2)}\n`;
  const secrets: SignInSecrets = {
    codexAuthJson: { text, parsed: auth },
    codexAccessToken: null,
    openaiApiKey: withApiKey ? 'sk-key-1' : null,
    secrets: withApiKey ? ['chatgpt', 'api-key'] : ['chatgpt'],
    codexHome: '/h/.codex',
  };
  const outcome = await signInFromSecrets({ core, store, redact: (t) => t, now: () => NOW }, secrets, 'chatgpt', new Set());
  return { outcome, written, said, text };
}

describe('an access-only copy when signing in', () => {
  it('expired: refused at once as access-token-expired, nothing written, codex never runs', async () => {
    const { outcome, written } = await signIn(copy(-3 * H));
    expect(outcome.status).toBe('rejected');
    expect(outcome.rejections).toEqual([
      {
        credential: 'chatgpt',
        kind: 'access-token-expired',
        exitCode: 1,
        durationMs: expect.any(Number),
        evidence:
          'The access-only ChatGPT login in `codex-auth-json` expired at 2026-12-07T09:00:00Z (3 hours ago); its keeper has not refreshed it since 2026-11-27T08:00:00Z.',
      },
    ]);
    expect(written).toEqual([]);
  });

  it('expired, with an API key behind it: the ladder goes on to the key', async () => {
    const { outcome, written } = await signIn(copy(-H), true);
    expect(outcome).toMatchObject({ status: 'signed-in', credential: 'api-key', rejections: [{ kind: 'access-token-expired' }] });
    expect(written).toEqual(['api-key']);
  });

  it('within codex’s 5-minute refresh window: refused too (codex would try to refresh it)', async () => {
    const { outcome } = await signIn(copy(4 * 60));
    expect(outcome.rejections[0]?.kind).toBe('access-token-expired');
    expect(outcome.rejections[0]?.evidence).toContain('within the 5 minutes in which codex would try to refresh it');
  });

  it('expiring within a day: written, with a warning that the keeper is overdue', async () => {
    const { outcome, written, said } = await signIn(copy(5 * H));
    expect(outcome).toMatchObject({ status: 'signed-in', credential: 'chatgpt', rejections: [] });
    expect(written).toHaveLength(1);
    expect(said.filter(([level]) => level === 'warning')).toEqual([
      [
        'warning',
        expect.stringContaining('expires at 2026-12-07T17:00:00Z (in 5 hours)'),
        'codex-reauth: the access-only ChatGPT login expires soon',
      ],
    ]);
  });

  it('valid for days: written, one line in the log, no warning', async () => {
    const { written, said } = await signIn(copy(3 * 24 * H));
    expect(written).toHaveLength(1);
    expect(said.filter(([level]) => level === 'warning')).toEqual([]);
    expect(said).toContainEqual([
      'info',
      'The access-only ChatGPT login in `codex-auth-json` is valid until 2026-12-10T12:00:00Z (in 3 days).',
    ]);
  });

  it('a copy stored in chatgpt mode is written in chatgptAuthTokens mode, so codex never tries to refresh it', async () => {
    const { written } = await signIn(copy(3 * 24 * H, 'chatgpt'));
    expect(JSON.parse(written[0])).toMatchObject({ auth_mode: 'chatgptAuthTokens', tokens: { refresh_token: '' } });
  });

  it('a full login is written exactly as given, whatever its access token says', async () => {
    const full = copy(-3 * H, 'chatgpt', 'rt-SECRET-live');
    const { outcome, written, text } = await signIn(full);
    expect(outcome.status).toBe('signed-in');
    expect(written).toEqual([text]);
  });

  it('consumerSignIn: a copy whose account cannot be told keeps its own mode', () => {
    const auth = copy(3 * 24 * H, 'chatgpt');
    const text = JSON.stringify(auth);
    expect(consumerSignIn({ parsed: auth, text }, null, NOW).text).toBe(text);
  });
});

describe('what the reports say about an expired copy', () => {
  const evidence =
    'The access-only ChatGPT login in `codex-auth-json` expired at 2026-12-07T09:00:00Z (3 hours ago); its keeper has not refreshed it since 2026-11-27T08:00:00Z.';
  const rejected: AttemptRecord = {
    attempt: 1,
    method: 'chatgpt',
    exitCode: 1,
    kind: 'access-token-expired',
    durationMs: 0,
    evidence,
    cleared: [],
    signInOnly: true,
  };
  const final: FinalContext = {
    kind: 'access-token-expired',
    method: 'chatgpt',
    evidence,
    exitCode: 1,
    attempts: 0,
    maxAttempts: 3,
    reason: 'no-credential-left',
    triedSecrets: ['chatgpt'],
    codexHome: '/h/.codex',
    timeoutMinutes: 0,
    records: [rejected],
  };

  it('the annotation: when it expired, since when the keeper has not refreshed it, what to do; not "Codex said"', () => {
    const a = failureAnnotation(final);
    expect(a.title).toBe('codex-reauth: Access-only ChatGPT login expired (access-token-expired)');
    expect(a.message).toContain(evidence);
    expect(a.message).toContain('A copy is never refreshed by the jobs that use it, so codex was not run with it.');
    expect(a.message).toContain('Fix: Run the keeper workflow that writes this copy (workflow_dispatch)');
    expect(a.message).not.toContain('Codex said');
  });

  it('the summary has no "What codex said" for it', () => {
    const md = summaryMarkdown([rejected], final, false);
    expect(md).toContain('refused when signing in');
    expect(md).not.toContain('What codex said');
  });

  it('recovered by the next credential: the warning says the action refused it, not codex', () => {
    const next: AttemptRecord = { ...rejected, method: 'api-key', kind: 'none', exitCode: 0, evidence: null, signInOnly: false };
    const w = recoveryWarning(rejected, next, '/h/.codex', 0);
    expect(w.title).toBe('codex-reauth recovered: Access-only ChatGPT login expired (access-token-expired)');
    expect(w.message).toContain(evidence);
    expect(w.message).toContain('The action refused it before codex ran.');
    expect(w.message).not.toContain('codex refused it');
  });
});
