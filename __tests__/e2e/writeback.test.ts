// End to end: keeping a ChatGPT login alive. The built action (main, then post) runs the REAL codex
// CLI against the loopback OpenAI stand-in, and writes the login codex rotated back to a loopback
// stand-in of GitHub's secrets API (real libsodium sealed boxes). Between runs, the stored login's
// access token is expired to stand in for the days that pass (codex 0.169 trusts a JWT access token
// until its `exp`), so every run makes codex refresh and rotate the single-use refresh token.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';
import { mintJwt, type Standin, startStandin } from '../../test-support/openai-standin.js';
import { prepareCodexHome, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { type ActionRun, cleanup, findSecretLeaks, runAction, stripMaskCommands } from '../../test-support/run-action.js';

jest.setTimeout(90_000);

const NAME = 'CODEX_AUTH_JSON';
const ENVIRONMENT = 'production eu';
const CODEX = 'codex exec --skip-git-repo-check "fix the tests"';

let openai: Standin;
let gh: GithubSecretsStandin;
let bin: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  openai = await startStandin({ reply: 'Fixed.' });
  gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: [ENVIRONMENT] });
  bin = realCodexBin();
});
afterAll(async () => {
  for (const r of runs) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  await openai.close();
  await gh.close();
});

const isBase64 = (value: string) => !value.trim().startsWith('{');
const decode = (value: string) => JSON.parse(isBase64(value) ? Buffer.from(value, 'base64').toString('utf8') : value);
const refreshTokenOf = (value: string): string => decode(value).tokens.refresh_token;

/** Days pass: the stored login's access token expires (kept in the form it is stored in). */
function expireStoredAccessToken(environment: string | null = null): void {
  const value = gh.secret(NAME, environment)!;
  const auth = decode(value);
  auth.tokens.access_token = mintJwt({
    exp: Math.floor(Date.now() / 1000) - 3600,
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct-standin' },
  });
  const text = JSON.stringify(auth, null, 2);
  gh.setSecret(NAME, isBase64(value) ? Buffer.from(text).toString('base64') : text, environment);
}

/** One workflow run: `codex-auth-json` is what the secret holds now, as `${{ secrets.NAME }}` would give it. */
async function workflowRun(
  inputs: Record<string, string>,
  options: { environment?: string | null; writeback?: boolean; cached?: object } = {},
) {
  const environment = options.environment ?? null;
  const given = gh.secret(NAME, environment)!;
  const writeback =
    options.writeback === false
      ? {}
      : { 'auth-json-secret': NAME, ...(environment ? { 'auth-json-secret-environment': environment } : {}) };
  let codexHome = '';
  const r = await runAction({
    inputs: { run: CODEX, 'retry-wait-seconds': '0', 'codex-auth-json': given, ...writeback, ...inputs },
    env: { ...realCodexEnv(bin, openai), ...gh.env() },
    prepare: ({ home }) => {
      codexHome = prepareCodexHome(home, openai, options.cached);
    },
  });
  runs.push(r);
  const errors = r.main.commands.filter((c) => c.command === 'error');
  return { ...r, given, codexHome, errors };
}

/** Nothing secret in logs, outputs, summary, state or files left after post; auth.json removed by post. */
function expectNoLeaks(r: Awaited<ReturnType<typeof workflowRun>>, extra: string[] = []) {
  const saved = [gh.secret(NAME), gh.secret(NAME, ENVIRONMENT)].filter((v): v is string => Boolean(v));
  // The post step registers masks too (it may save the login): its `::add-mask::` lines are not log lines.
  const post = r.post && { ...r.post, stdout: stripMaskCommands(r.post.stdout) };
  expect(findSecretLeaks({ ...r, post }, [r.given, ...saved, ...openai.issued(), ...gh.issued(), ...extra])).toEqual([]);
  expect(fs.existsSync(path.join(r.codexHome, 'auth.json'))).toBe(false);
  expect(fs.readdirSync(r.runnerTemp)).toEqual([]);
}

describe('write-back with the real codex', () => {
  it('five runs in a row share one secret: codex rotates in each, all succeed, the secret always holds the newest login', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    const token = gh.token({ secrets: 'write' });
    const seen = new Set<string>();
    for (let run = 1; run <= 5; run++) {
      if (run > 1) expireStoredAccessToken();
      const r = await workflowRun({ 'secrets-token': token });
      const before = refreshTokenOf(r.given);
      const after = refreshTokenOf(gh.secret(NAME)!);
      expect({ run, exit: r.main.exitCode, outputs: r.main.outputs }).toMatchObject({
        run,
        exit: 0,
        outputs: { 'failure-kind': 'none', attempts: '1', 'auth-method': 'chatgpt', 'auth-json-secret-updated': 'true' },
      });
      expect(r.errors).toEqual([]);
      // codex spent the stored refresh token; the secret holds its successor, which is live
      expect(openai.refreshState(before)).toBe('used');
      expect(after).not.toBe(before);
      expect(openai.refreshState(after)).toBe('live');
      seen.add(after);
      expectNoLeaks(r, [token]);
    }
    expect(seen.size).toBe(5);
  });

  it('the same chain without write-back dies on its second run with refresh-token-reused', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    const first = await workflowRun({}, { writeback: false });
    expect(first.main.outputs).toMatchObject({ 'failure-kind': 'none' });
    expect(first.main.outputs['auth-json-secret-updated']).toBe('false');
    expireStoredAccessToken();
    const second = await workflowRun({}, { writeback: false });
    expect(second.main.exitCode).toBe(1);
    expect(second.main.outputs).toMatchObject({ 'failure-kind': 'refresh-token-reused' });
    // without write-back, the concurrency group for the secret is not offered
    expect(second.errors[0].message).not.toContain('codex-login-');
  });

  it.each([
    ['raw JSON', (text: string) => text, (v: string) => expect(v.trim().startsWith('{')).toBe(true)],
    ['base64', (text: string) => Buffer.from(text).toString('base64'), (v: string) => expect(v).toMatch(/^[A-Za-z0-9+/]+=*$/)],
  ])('%s stays in its form', async (_form, encode, check) => {
    gh.setSecret(NAME, encode(JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true }))));
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.outputs['auth-json-secret-updated']).toBe('true');
    const saved = gh.secret(NAME)!;
    check(saved);
    expect(openai.refreshState(refreshTokenOf(saved))).toBe('live');
    expectNoLeaks(r);
  });

  it('an environment secret is written to the environment, not the repository', async () => {
    gh.setSecret(NAME, 'repository value, untouched');
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })), ENVIRONMENT);
    const r = await workflowRun({ 'secrets-token': gh.token({ environments: 'write' }) }, { environment: ENVIRONMENT });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-json-secret-updated': 'true' });
    expect(openai.refreshState(refreshTokenOf(gh.secret(NAME, ENVIRONMENT)!))).toBe('live');
    expect(gh.secret(NAME)).toBe('repository value, untouched');
    const paths = gh.requests.filter((q) => q.method === 'PUT').map((q) => q.path);
    expect(paths.at(-1)).toBe(`/repos/octo/app/environments/${encodeURIComponent(ENVIRONMENT)}/secrets/${NAME}`);
  });

  it('a token that cannot write secrets: the step fails before codex makes any request, naming secrets-token', async () => {
    const stored = JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true }));
    gh.setSecret(NAME, stored);
    const requestsBefore = openai.requests.length;
    const token = gh.token({ secrets: 'read' });
    const r = await workflowRun({ 'secrets-token': token });
    expect(r.main.exitCode).toBe(1);
    expect(openai.requests.length).toBe(requestsBefore);
    expect(openai.refreshState(refreshTokenOf(stored))).toBe('live'); // the login was not spent
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].properties.title).toBe(`codex-reauth: 'secrets-token' cannot write ${NAME}`);
    expect(r.errors[0].message).toContain('`secrets-token` is not allowed to write the secret');
    expect(r.errors[0].message).toContain('GITHUB_TOKEN cannot write secrets');
    expect(r.main.outputs).toMatchObject({ attempts: '0', 'auth-json-secret-updated': 'false' });
    expect(gh.secret(NAME)).toBe(stored);
    expect(gh.secretNames()).toEqual([NAME]);
    expectNoLeaks(r, [token]);
  });

  it('a login codex did not rotate is not written', async () => {
    const stored = JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: false }));
    gh.setSecret(NAME, stored);
    const writes = gh.writes.length;
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-json-secret-updated': 'false' });
    expect(gh.writes.slice(writes).filter((w) => w.name === NAME)).toEqual([]);
    expect(gh.secret(NAME)).toBe(stored);
    expect(r.main.stdout).toContain(`Not writing ${NAME} back: codex did not rotate the login`);
  });

  it("a self-hosted runner's cached login is used as before and never written to the secret", async () => {
    const stored = JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true }));
    gh.setSecret(NAME, stored);
    const cached = openai.chatgptAuth({ refresh: 'rotate', accessExpired: true }); // same account, its own copy
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }) }, { cached });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-method': 'cached', 'auth-json-secret-updated': 'false' });
    expect(openai.refreshState(cached.tokens.refresh_token)).toBe('used'); // codex rotated the cached login...
    expect(gh.secret(NAME)).toBe(stored); // ...which is not the secret's
    expect(openai.refreshState(refreshTokenOf(stored))).toBe('live');
  });

  it('a 5xx on save is retried and the login is saved', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    gh.failNext(2, { method: 'PUT', name: NAME, status: 502 });
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-json-secret-updated': 'true' });
    expect(
      gh.requests
        .filter((q) => q.method === 'PUT' && q.path.endsWith(`/${NAME}`))
        .map((q) => q.status)
        .slice(-3),
    ).toEqual([502, 502, 204]);
    expect(r.main.stdout.match(/retrying in/g)).toHaveLength(2);
    expect(openai.refreshState(refreshTokenOf(gh.secret(NAME)!))).toBe('live');
  });

  it('a save that keeps failing: one error annotation saying the stored secret is now stale', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    gh.failNext(5, { method: 'PUT', name: NAME, status: 503 });
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-json-secret-updated': 'false' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].properties.title).toBe(`codex-reauth: could not save the rotated login to ${NAME}`);
    expect(r.errors[0].message).toContain('The stored secret is now stale');
    expect(r.errors[0].message).toContain('codex login');
    expectNoLeaks(r);
  });

  it("a rotated login is saved even when the user's script fails afterwards", async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    const r = await workflowRun({ run: `${CODEX}\necho "tests still red" >&2\nexit 3`, 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs).toMatchObject({ 'exit-code': '3', 'failure-kind': 'other', 'auth-json-secret-updated': 'true' });
    expect(openai.refreshState(refreshTokenOf(gh.secret(NAME)!))).toBe('live');
    expectNoLeaks(r);
  });

  it('a cancelled step still saves the rotated login before it ends', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    // The runner cancels by sending SIGINT to the action's process: here the script does it after codex rotated.
    const r = await workflowRun({ run: `${CODEX}\nkill -INT $PPID\nsleep 300`, 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'cancelled', 'auth-json-secret-updated': 'true' });
    // Ended by the cancel, not by the script's 300 s; room for two busy cores.
    expect(r.main.durationMs).toBeLessThan(30_000);
    expect(openai.refreshState(refreshTokenOf(gh.secret(NAME)!))).toBe('live');
    expectNoLeaks(r);
  });

  it('main killed outright after codex rotated: the post step saves the login, then removes auth.json', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'rotate', accessExpired: true })));
    const r = await workflowRun({ run: `${CODEX}\nkill -KILL $PPID\nsleep 30`, 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.exitCode).not.toBe(0);
    expect(r.main.outputs['auth-json-secret-updated']).toBeUndefined(); // main never got that far
    expect(r.post?.stdout).toContain('saving it now');
    expect(openai.refreshState(refreshTokenOf(gh.secret(NAME)!))).toBe('live');
    expectNoLeaks(r);
  });

  it('refresh-token-reused with write-back on: the annotation says another job used the copy and shows the concurrency group', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'reused' })));
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }) });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'refresh-token-reused', 'auth-json-secret-updated': 'false' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toContain('another job or run used the same copy of CODEX_AUTH_JSON at the same time');
    expect(r.errors[0].message).toContain(`concurrency:\n  group: codex-login-${NAME}\n  cancel-in-progress: false`);
  });

  it('refresh-token-reused, then recovered with an API key: the warning carries the same advice', async () => {
    gh.setSecret(NAME, JSON.stringify(openai.chatgptAuth({ refresh: 'reused' })));
    const r = await workflowRun({ 'secrets-token': gh.token({ secrets: 'write' }), 'openai-api-key': openai.apiKey('accept') });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'true', 'auth-json-secret-updated': 'false' });
    const warnings = r.main.commands.filter((c) => c.command === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain(`group: codex-login-${NAME}`);
    expectNoLeaks(r);
  });
});
