// End to end: many jobs, one ChatGPT login. The built action (main, then post) with the REAL codex
// against the loopback OpenAI stand-in and the GitHub secrets stand-in (real sealed boxes). A keeper
// run refreshes the full login through `codex app-server` and writes it back, with an access-only copy
// beside it; 8 consumer jobs then run at once on the copy. Three simulated days: before each keeper
// run the stored access token is made due (it expires within 5 days), as the days in between would.
// Then every failure of the keeper, and the consumers' expiry checks.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';
import { mintJwt, type Standin, startStandin } from '../../test-support/openai-standin.js';
import { runningWith } from '../../test-support/processes.js';
import { prepareCodexHome, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { type ActionRun, cleanup, findSecretLeaks, runAction, stripMaskCommands } from '../../test-support/run-action.js';

jest.setTimeout(180_000);

const FULL = 'CODEX_AUTH_JSON';
const COPY = 'CODEX_AUTH_ACCESS';
const ENV = 'codex-login';
const CODEX = 'codex exec --skip-git-repo-check "fix the tests"';
const DAY = 24 * 3600;

let openai: Standin;
let gh: GithubSecretsStandin;
let bin: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  // Access tokens minted by a refresh live 10 days, as ChatGPT's are reported to.
  openai = await startStandin({ reply: 'Fixed.', accessLifetimeSeconds: 10 * DAY });
  gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: [ENV], organization: 'octo' });
  bin = realCodexBin();
});
afterAll(async () => {
  for (const r of runs) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  await openai.close();
  await gh.close();
});

const tokenRequests = () => openai.requests.filter((r) => r.url.endsWith('/oauth/token')).length;
const modelRequests = () => openai.requests.filter((r) => /\/responses/.test(r.url)).length;
const full = () => JSON.parse(gh.secret(FULL, ENV)!);
const copyText = () => gh.secret(COPY)!;
const refreshTokensEverIssued = () => openai.issued().filter((t) => t.startsWith('rt-'));
const keeperToken = () => gh.token({ secrets: 'write', environments: 'write', organizationSecrets: 'write' });

/** Days pass: the stored full login's access token now expires within the keeper's 5 days. */
function makeDue(expiresInSeconds = 2 * DAY): void {
  const auth = full();
  auth.tokens.access_token = mintJwt({
    iat: Math.floor(Date.now() / 1000) - 8 * DAY,
    exp: Math.floor(Date.now() / 1000) + expiresInSeconds,
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct-standin' },
  });
  gh.setSecret(FULL, JSON.stringify(auth, null, 2), ENV);
}

function storeNewLogin(options: Parameters<Standin['chatgptAuth']>[0] = {}): void {
  gh.setSecret(FULL, JSON.stringify(openai.chatgptAuth({ accessExpiresIn: 2 * DAY, ...options }), null, 2), ENV);
}

async function keeper(
  extra: Record<string, string> = {},
  options: { token?: string; onOutput?: (text: string) => void; mark?: string } = {},
) {
  const r = await runAction({
    inputs: {
      'codex-auth-json': gh.secret(FULL, ENV)!,
      'auth-json-secret': FULL,
      'auth-json-secret-environment': ENV,
      'access-only-secret': COPY,
      'secrets-token': options.token ?? keeperToken(),
      'retry-wait-seconds': '0',
      ...extra,
    },
    env: { ...realCodexEnv(bin, openai), ...gh.env(), ...(options.mark ? { KEEPER_TEST_MARK: options.mark } : {}) },
    onOutput: options.onOutput,
    prepare: ({ home }) => {
      prepareCodexHome(home, openai);
    },
  });
  runs.push(r);
  return {
    ...r,
    errors: r.main.commands.filter((c) => c.command === 'error'),
    warnings: r.main.commands.filter((c) => c.command === 'warning'),
  };
}

/** A job using the copy: no write-back, no secrets token, its own runner. */
async function consumer(copy: string) {
  let codexHome = '';
  const r = await runAction({
    inputs: { run: CODEX, 'codex-auth-json': copy, 'retry-wait-seconds': '0' },
    env: realCodexEnv(bin, openai),
    prepare: ({ home }) => {
      codexHome = prepareCodexHome(home, openai);
    },
  });
  runs.push(r);
  return {
    ...r,
    codexHome,
    errors: r.main.commands.filter((c) => c.command === 'error'),
    warnings: r.main.commands.filter((c) => c.command === 'warning'),
  };
}

/** No refresh token anywhere a consumer leaves things; auth.json and the work folder gone after post. */
function expectNoRefreshTokenLeaks(r: Awaited<ReturnType<typeof consumer>>) {
  const post = r.post && { ...r.post, stdout: stripMaskCommands(r.post.stdout) };
  expect(findSecretLeaks({ ...r, post }, refreshTokensEverIssued())).toEqual([]);
  expect(fs.existsSync(path.join(r.codexHome, 'auth.json'))).toBe(false);
  expect(fs.readdirSync(r.runnerTemp)).toEqual([]);
}

describe('three days: a keeper a day, 8 consumers at once in between', () => {
  it('every consumer succeeds with 0 refresh requests and 0 secret writes; the full login is alive at the end', async () => {
    storeNewLogin();
    let yesterday: string | null = null;
    const seenRefreshTokens = new Set<string>();
    for (let day = 1; day <= 3; day++) {
      if (day > 1) makeDue();
      const before = full().tokens.refresh_token;
      const k = await keeper();
      expect({ day, exit: k.main.exitCode, errors: k.errors, outputs: k.main.outputs }).toMatchObject({
        day,
        exit: 0,
        errors: [],
        outputs: { 'failure-kind': 'none', attempts: '1', 'auth-json-secret-updated': 'true', 'access-only-secret-updated': 'true' },
      });
      // codex rotated the full login; the secret holds the live successor, the copy its access token and no refresh token.
      const after = full().tokens.refresh_token;
      expect(openai.refreshState(before)).toBe('used');
      expect(openai.refreshState(after)).toBe('live');
      seenRefreshTokens.add(after);
      const copy = JSON.parse(copyText());
      expect(copy).toMatchObject({
        auth_mode: 'chatgptAuthTokens',
        tokens: { refresh_token: '', access_token: full().tokens.access_token },
      });
      const expiresAt = k.main.outputs['access-token-expires-at'];
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 9 * DAY * 1000);

      const writes = gh.writes.length;
      const refreshes = tokenRequests();
      const consumers = await Promise.all(Array.from({ length: 8 }, () => consumer(copyText())));
      for (const [i, c] of consumers.entries()) {
        expect({ day, i, exit: c.main.exitCode, errors: c.errors, warnings: c.warnings }).toEqual({
          day,
          i,
          exit: 0,
          errors: [],
          warnings: [],
        });
        expect(c.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-method': 'chatgpt', 'access-token-expires-at': expiresAt });
        expect(c.main.stdout).toContain('Fixed.');
        expectNoRefreshTokenLeaks(c);
      }
      expect({ day, refreshRequests: tokenRequests() - refreshes, secretWrites: gh.writes.length - writes }).toEqual({
        day,
        refreshRequests: 0,
        secretWrites: 0,
      });

      // Yesterday's copy still works while its token is valid.
      if (yesterday) {
        const old = await consumer(yesterday);
        expect({ exit: old.main.exitCode, kind: old.main.outputs['failure-kind'] }).toEqual({ exit: 0, kind: 'none' });
      }
      yesterday = copyText();
    }
    expect(seenRefreshTokens.size).toBe(3);
    expect(openai.refreshState(full().tokens.refresh_token)).toBe('live');
  });

  it('the same five jobs sharing the full login: the first refresh wins, the other four die', async () => {
    // Its access token has expired: every job's codex refreshes before its first request.
    const shared = JSON.stringify(openai.chatgptAuth({ accessExpired: true }));
    const results = await Promise.all(Array.from({ length: 5 }, () => consumer(shared)));
    const kinds = results.map((r) => r.main.outputs['failure-kind']).sort();
    expect(kinds).toEqual(['none', 'refresh-token-reused', 'refresh-token-reused', 'refresh-token-reused', 'refresh-token-reused']);
    // access-token-expires-at on every run that used a ChatGPT login: the winner's is the token codex got (10 days).
    const winner = results.find((r) => r.main.outputs['failure-kind'] === 'none')!;
    expect(new Date(winner.main.outputs['access-token-expires-at']).getTime()).toBeGreaterThan(Date.now() + 9 * DAY * 1000);
    for (const r of results) expect(r.main.outputs['access-token-expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('a keeper run that finds the token not due writes the copy and leaves the full login alone', async () => {
    storeNewLogin({ accessExpiresIn: 9 * DAY });
    const stored = gh.secret(FULL, ENV);
    const refreshes = tokenRequests();
    const k = await keeper();
    expect(k.main.outputs).toMatchObject({
      'failure-kind': 'none',
      attempts: '0',
      'auth-json-secret-updated': 'false',
      'access-only-secret-updated': 'true',
    });
    expect(tokenRequests()).toBe(refreshes);
    expect(gh.secret(FULL, ENV)).toBe(stored);
    expect(JSON.parse(copyText()).tokens.access_token).toBe(JSON.parse(stored!).tokens.access_token);
  });
});

describe('every failure of the keeper ends in one annotation and loses nothing', () => {
  it('a dead refresh token: neither secret is overwritten; the fix says to store a new login', async () => {
    storeNewLogin({ refresh: 'reused' });
    gh.setSecret(COPY, 'the last good copy');
    const stored = gh.secret(FULL, ENV);
    const k = await keeper();
    expect(k.main.exitCode).toBe(1);
    expect(k.errors).toHaveLength(1);
    expect(k.errors[0].properties.title).toBe("codex-reauth: the keeper's ChatGPT login cannot be refreshed");
    expect(k.errors[0].message).toContain('Failed to refresh token status=401');
    expect(k.errors[0].message).toContain(`gh secret set ${FULL} < ~/.codex/auth.json`);
    expect(k.main.outputs).toMatchObject({
      'failure-kind': 'refresh-failed',
      'auth-json-secret-updated': 'false',
      'access-only-secret-updated': 'false',
    });
    expect(gh.secret(FULL, ENV)).toBe(stored);
    expect(copyText()).toBe('the last good copy');
  });

  it('a token that cannot write the copy: found by the preflight, before codex refreshes anything', async () => {
    storeNewLogin();
    gh.setSecret(COPY, 'the last good copy');
    const stored = gh.secret(FULL, ENV)!;
    const refreshes = tokenRequests();
    const k = await keeper({}, { token: gh.token({ environments: 'write', secrets: 'read' }) });
    expect(k.main.exitCode).toBe(1);
    expect(k.errors).toHaveLength(1);
    expect(k.errors[0].properties.title).toBe(`codex-reauth: 'secrets-token' cannot write ${COPY}`);
    expect(k.errors[0].message).toContain('`secrets-token` is not allowed to write the secret');
    expect(tokenRequests()).toBe(refreshes);
    expect(openai.refreshState(JSON.parse(stored).tokens.refresh_token)).toBe('live');
    expect(gh.secret(FULL, ENV)).toBe(stored);
    expect(copyText()).toBe('the last good copy');
  });

  it('refreshed, but the full login cannot be saved: says what each secret holds and what to do', async () => {
    storeNewLogin();
    gh.failNext(5, { method: 'PUT', name: FULL, status: 502 }); // the first try and its 4 retries
    const k = await keeper();
    expect(k.main.exitCode).toBe(1);
    expect(k.errors).toHaveLength(1);
    expect(k.errors[0].properties.title).toBe(`codex-reauth: could not save the rotated login to ${FULL}`);
    expect(k.errors[0].message).toContain('The stored secret is now stale');
    expect(k.errors[0].message).toContain(`The repository secret ${COPY} of octo/app was updated and is valid until`);
    expect(k.main.outputs).toMatchObject({ 'auth-json-secret-updated': 'false', 'access-only-secret-updated': 'true' });
    expect(JSON.parse(copyText()).tokens.refresh_token).toBe('');
  });

  it('refreshed and saved, but the copy cannot be written: the full login is safe; the next run only writes the copy', async () => {
    storeNewLogin();
    gh.setSecret(COPY, 'the last good copy');
    gh.failNext(5, { method: 'PUT', name: COPY, status: 500 });
    const k = await keeper();
    expect(k.main.exitCode).toBe(1);
    expect(k.errors).toHaveLength(1);
    expect(k.errors[0].properties.title).toBe(`codex-reauth: could not write the access-only copy to ${COPY}`);
    expect(openai.refreshState(full().tokens.refresh_token)).toBe('live');
    expect(copyText()).toBe('the last good copy');
    const refreshes = tokenRequests();
    const again = await keeper();
    expect(again.main.outputs).toMatchObject({ 'failure-kind': 'none', attempts: '0', 'access-only-secret-updated': 'true' });
    expect(tokenRequests()).toBe(refreshes);
    expect(JSON.parse(copyText()).tokens.access_token).toBe(full().tokens.access_token);
  });

  it('killed midway, after codex refreshed: the post step saves the login and writes its copy', async () => {
    storeNewLogin();
    const before = full().tokens.refresh_token;
    gh.setSecret(COPY, 'the last good copy');
    // Saving is slowed by a 502 (retried after a second or so): main is killed meanwhile.
    gh.failNext(1, { method: 'PUT', name: FULL, status: 502 });
    const mark = randomBytes(6).toString('hex');
    let killed = false;
    const k = await keeper(
      {},
      {
        mark,
        onOutput: (text) => {
          if (killed || !text.includes('Codex refreshed the login')) return;
          killed = true;
          for (const pid of runningWith(`KEEPER_TEST_MARK=${mark}`)) {
            const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
            if (cmdline.includes(path.join('dist', 'index.js'))) process.kill(pid, 'SIGKILL');
          }
        },
      },
    );
    expect(killed).toBe(true);
    expect(k.main.exitCode).not.toBe(0);
    expect(k.post?.exitCode).toBe(0);
    const after = full().tokens.refresh_token;
    expect(after).not.toBe(before);
    expect(openai.refreshState(after)).toBe('live');
    expect(JSON.parse(copyText())).toMatchObject({ tokens: { refresh_token: '', access_token: full().tokens.access_token } });
    expect(k.post?.stdout).toContain('writing it now');
  });

  it('an organization copy with selected visibility keeps its repositories', async () => {
    storeNewLogin();
    gh.setOrgSecret(COPY, 'old', { visibility: 'selected', repositories: [gh.repositoryId, 777, 888] });
    const k = await keeper({ 'access-only-secret-organization': 'octo' });
    expect({ exit: k.main.exitCode, errors: k.errors }).toEqual({ exit: 0, errors: [] });
    const org = gh.orgSecret(COPY)!;
    expect(org.visibility).toBe('selected');
    expect(org.selectedRepositoryIds).toEqual([gh.repositoryId, 777, 888]);
    expect(JSON.parse(org.value).tokens).toMatchObject({ refresh_token: '', access_token: full().tokens.access_token });
  });
});

describe('a consumer checks its copy before codex runs', () => {
  const copyOf = (auth: ReturnType<Standin['chatgptAuth']>) =>
    `${JSON.stringify({ ...auth, auth_mode: 'chatgptAuthTokens', tokens: { ...auth.tokens, refresh_token: '' } }, null, 2)}\n`;

  it('expired: access-token-expired at once, one annotation with the times, no request to OpenAI', async () => {
    const expired = copyOf(openai.chatgptAuth({ accessExpiresIn: -3600 }));
    const requests = openai.requests.length;
    const c = await consumer(expired);
    expect(c.main.exitCode).toBe(1);
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0].properties.title).toBe('codex-reauth: Access-only ChatGPT login expired (access-token-expired)');
    expect(c.errors[0].message).toMatch(
      /expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+ minutes ago\); its keeper has not refreshed it since /,
    );
    expect(c.main.outputs).toMatchObject({ 'failure-kind': 'access-token-expired', attempts: '0' });
    expect(c.main.outputs['access-token-expires-at']).toMatch(/Z$/);
    expect(openai.requests.length).toBe(requests);
    expect(c.main.durationMs).toBeLessThan(5000); // nowhere near codex's retries (~6 s against the stand-in)
  });

  it('expiring within a day: runs, with a warning that the keeper is overdue', async () => {
    const modelBefore = modelRequests();
    const c = await consumer(copyOf(openai.chatgptAuth({ accessExpiresIn: 5 * 3600 })));
    expect(c.main.exitCode).toBe(0);
    expect(c.warnings.map((w) => w.properties.title)).toEqual(['codex-reauth: the access-only ChatGPT login expires soon']);
    expect(c.warnings[0].message).toContain('so the keeper is overdue');
    expect(modelRequests()).toBeGreaterThan(modelBefore);
  });

  it('a copy given with auth-json-secret: refused as an input error before anything runs', async () => {
    const r = await runAction({
      inputs: {
        run: CODEX,
        'codex-auth-json': copyOf(openai.chatgptAuth({ accessExpiresIn: DAY * 3 })),
        'auth-json-secret': COPY,
        'secrets-token': 'ghs_x',
      },
      env: { ...realCodexEnv(bin, openai), ...gh.env() },
    });
    runs.push(r);
    const errors = r.main.commands.filter((c) => c.command === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].properties.title).toBe("codex-reauth: invalid input 'auth-json-secret' (other)");
  });
});
