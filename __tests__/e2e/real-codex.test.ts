// End to end: the built dist/ run as a runner runs it (main, then post), around the REAL codex CLI
// (the pinned @openai/codex) talking to the loopback OpenAI stand-in. No network, no secrets: codex gets
// the stand-in through `-c` flags on every run (test-support/real-codex.js), and anything bound for
// another host goes to a loopback trap that refuses it and stops the run (test-support/network-trap.js).
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type NetworkTrap, startNetworkTrap } from '../../test-support/network-trap.js';
import { type ChatgptAuth, type Standin, startStandin } from '../../test-support/openai-standin.js';
import { runningWith } from '../../test-support/processes.js';
import { prepareCodexHome, REAL_CODEX, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { type ActionRun, cleanup, findSecretLeaks, runAction } from '../../test-support/run-action.js';

// Each test runs real processes (codex's own retries against a dead key take seconds).
jest.setTimeout(60_000);

let standin: Standin;
let trap: NetworkTrap;
let bin: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  standin = await startStandin({ reply: 'All tests pass now.' });
  trap = await startNetworkTrap({ stopRuns: true });
  bin = realCodexBin();
});
afterEach(() => {
  // Nothing may have tried to leave loopback (the trap names the host it was going to).
  expect(trap.hits.splice(0)).toEqual([]);
});
afterAll(async () => {
  for (const r of runs) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  await standin.close();
  await trap.close();
});

const b64 = (auth: ChatgptAuth) => Buffer.from(JSON.stringify(auth)).toString('base64');

async function scenario(inputs: Record<string, string>, options: { cached?: object; server?: Standin } = {}) {
  const server = options.server ?? standin;
  let codexHome = '';
  const r = await runAction({
    inputs: { 'retry-wait-seconds': '0', ...inputs },
    env: realCodexEnv(bin, server, trap),
    prepare: ({ home }) => {
      codexHome = prepareCodexHome(home, server, options.cached);
    },
  });
  runs.push(r);
  const errors = r.main.commands.filter((c) => c.command === 'error');
  const warnings = r.main.commands.filter((c) => c.command === 'warning');
  return { ...r, codexHome, errors, warnings };
}

/** Secrets given to this run, and every token the stand-in minted (rotations included). */
function noLeaks(r: ActionRun, given: string[], server: Standin = standin, except: string[] = []) {
  const secrets = [...given, ...server.issued()].filter((s) => !except.includes(s));
  expect(findSecretLeaks(r, secrets)).toEqual([]);
  // nothing the action wrote stays behind
  expect(fs.readdirSync(r.runnerTemp)).toEqual([]);
}

describe('real codex against the loopback stand-in', () => {
  it('healthy run: one attempt, API key, output streamed', async () => {
    const key = standin.apiKey('accept');
    const r = await scenario({ run: 'codex exec --skip-git-repo-check "say hi"', 'openai-api-key': key });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toEqual({
      'exit-code': '0',
      attempts: '1',
      'failure-kind': 'none',
      recovered: 'false',
      'auth-method': 'api-key',
      'auth-json-secret-updated': 'false',
    });
    expect(r.main.stdout).toContain('All tests pass now.');
    expect(r.errors).toEqual([]);
    expect(fs.existsSync(path.join(r.codexHome, 'auth.json'))).toBe(false); // post removed what main wrote
    noLeaks(r, [key]);
  });

  it('self-hosted runner with a stale cached ChatGPT login + API key secret: recovers, config.toml kept', async () => {
    const stale = standin.chatgptAuth({ refresh: 'reused' });
    const key = standin.apiKey('accept');
    const r = await scenario({ run: 'codex exec --skip-git-repo-check "fix it"', 'openai-api-key': key }, { cached: stale });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toEqual({
      'exit-code': '0',
      attempts: '2',
      'failure-kind': 'none',
      recovered: 'true',
      'auth-method': 'api-key',
      'auth-json-secret-updated': 'false',
    });
    expect(r.warnings.map((w) => w.properties.title)).toEqual([
      'codex-reauth recovered: Codex refresh token already used (refresh-token-reused)',
    ]);
    expect(r.warnings[0].message).toContain('the credentials cached on the runner');
    expect(fs.readFileSync(path.join(r.codexHome, 'config.toml'), 'utf8')).toBe(standin.configToml());
    expect(r.main.summary).toContain('`refresh-token-reused`');
    // the stale cached tokens were not ours to mask; everything given and minted since must not leak
    noLeaks(r, [key], standin, Object.values(stale.tokens));
  });

  it('revoked API key: fails with one error annotation naming the input and the fix', async () => {
    const key = standin.apiKey('invalid_api_key');
    const r = await scenario({ run: 'codex exec --skip-git-repo-check "x"', 'openai-api-key': key });
    expect(r.main.exitCode).toBe(1);
    // Stopped at codex's first retry (SIGTERM: 128 + 15) instead of waiting out its five retries.
    expect(r.main.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'api-key-invalid', recovered: 'false', 'exit-code': '143' });
    expect(r.main.stdout).toContain("Stopped this attempt at codex's first retry: api-key-invalid cannot get better by retrying.");
    const tries = standin.requests.filter((q) => q.authorization === `Bearer ${key}`).length;
    expect(tries).toBeLessThanOrEqual(2); // codex alone makes 6
    expect(runningWith(r.codexHome)).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].properties.title).toBe('codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(r.errors[0].message).toContain('`openai-api-key`');
    expect(r.errors[0].message).toContain('Create a new key');
    noLeaks(r, [key]);
  });

  describe.each([
    ['expired', 'refresh-token-expired'],
    ['reused', 'refresh-token-reused'],
    ['invalidated', 'refresh-token-revoked'],
  ] as const)('a %s refresh token in codex-auth-json', (refresh, kind) => {
    it(`without an API key: fails as ${kind}`, async () => {
      const auth = standin.chatgptAuth({ refresh });
      const r = await scenario({ run: 'codex exec --skip-git-repo-check "x"', 'codex-auth-json': JSON.stringify(auth) });
      expect(r.main.exitCode).toBe(1);
      expect(r.main.outputs).toMatchObject({ attempts: '1', 'failure-kind': kind, 'auth-method': 'chatgpt' });
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].properties.title).toContain(`(${kind})`);
      expect(r.errors[0].message).toContain('codex login');
      noLeaks(r, [JSON.stringify(auth)]);
    });

    it('with an API key to fall back to: recovers', async () => {
      const auth = standin.chatgptAuth({ refresh });
      const key = standin.apiKey('accept');
      const r = await scenario({ run: 'codex exec --skip-git-repo-check "x"', 'codex-auth-json': b64(auth), 'openai-api-key': key });
      expect(r.main.exitCode).toBe(0);
      expect(r.main.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'none', recovered: 'true', 'auth-method': 'api-key' });
      expect(r.warnings[0].properties.title).toContain(`(${kind})`);
      noLeaks(r, [b64(auth), key]);
    });
  });

  it('usage limit is not auth: one attempt, credentials left alone', async () => {
    const auth = standin.chatgptAuth({ access: 'usage_limit', accessExpired: false });
    const key = standin.apiKey('accept');
    const r = await scenario({ run: 'codex exec --skip-git-repo-check "x"', 'openai-api-key': key }, { cached: auth });
    expect(r.main.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'usage-limit', 'auth-method': 'cached', recovered: 'false' });
    expect(JSON.parse(fs.readFileSync(path.join(r.codexHome, 'auth.json'), 'utf8')).tokens.refresh_token).toBe(auth.tokens.refresh_token);
    expect(standin.requests.some((q) => q.authorization === `Bearer ${key}`)).toBe(false);
  });

  it('rate limit is not auth: retried with the same credentials, never signed in again', async () => {
    const key = standin.apiKey('rate_limit');
    const r = await scenario({ run: 'codex exec --skip-git-repo-check "x"', 'openai-api-key': key, 'max-attempts': '2' });
    expect(r.main.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'rate-limited' });
    expect(r.errors[0].properties.title).toBe('codex-reauth: Rate limited (rate-limited)');
    expect(r.main.stdout.match(/Signed in with/g)).toHaveLength(1);
    noLeaks(r, [key]);
  });

  it("the script's own failure after a successful codex run: exit code kept, no re-auth, even when the agent quotes an auth error", async () => {
    const quoting = await startStandin({
      reply:
        'ERROR: Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
    });
    try {
      const key = quoting.apiKey('accept');
      const r = await scenario(
        {
          run: 'codex exec --skip-git-repo-check "why did CI fail?"\necho "✕ shows login when refresh token has expired"\nexit 4',
          'openai-api-key': key,
        },
        { server: quoting },
      );
      expect(r.main.outputs).toMatchObject({ 'exit-code': '4', attempts: '1', 'failure-kind': 'other', recovered: 'false' });
      expect(r.errors[0].message).toContain('exited with code 4');
      expect(quoting.requests.filter((q) => q.url.endsWith('/responses'))).toHaveLength(1);
      noLeaks(r, [key], quoting);
    } finally {
      await quoting.close();
    }
  });

  it('a hung codex is killed by timeout-minutes, with nothing left running', async () => {
    const key = standin.apiKey('hang');
    const r = await scenario({
      run: 'codex exec --skip-git-repo-check "x"',
      'openai-api-key': key,
      'timeout-minutes': '0.05',
      'max-attempts': '1',
    });
    expect(r.main.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'timeout' });
    // 3 s of limit and 3 s of grace, with room for the real codex starting on a busy machine; a limit
    // never armed runs into runAction's own bound instead, which names the step.
    expect(r.main.durationMs).toBeLessThan(30_000);
    expect(runningWith(r.codexHome)).toEqual([]);
    expect(runningWith(r.runnerTemp)).toEqual([]);
    noLeaks(r, [key]);
  });

  it('a ChatGPT secret whose token codex refreshes: rotates single-use, then post removes the rotated copy', async () => {
    const auth = standin.chatgptAuth({ refresh: 'rotate', accessExpired: true });
    const r = await scenario({ run: 'codex exec --skip-git-repo-check "x"', 'codex-auth-json': JSON.stringify(auth) });
    expect(r.main.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'none', 'auth-method': 'chatgpt' });
    // codex spent the secret's refresh token: the copy in the secret is now dead, as in real life
    expect(standin.refreshState(auth.tokens.refresh_token)).toBe('used');
    expect(fs.existsSync(path.join(r.codexHome, 'auth.json'))).toBe(false);
    noLeaks(r, [JSON.stringify(auth)]);
  });

  it('bad input: annotated before codex runs, nothing deleted', async () => {
    const stale = standin.chatgptAuth({ refresh: 'reused' });
    const before = standin.requests.length;
    const r = await scenario(
      { run: 'codex exec --skip-git-repo-check "x"', 'codex-auth-json': '{"tokens":', login: 'always' },
      { cached: stale },
    );
    expect(r.main.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].properties.title).toBe("codex-reauth: invalid input 'codex-auth-json'");
    expect(standin.requests.length).toBe(before);
    expect(fs.existsSync(path.join(r.codexHome, 'auth.json'))).toBe(true);
  });
});

describe('the end-to-end harness keeps codex on loopback', () => {
  it('codex reaches the stand-in through its -c flags even when config.toml names no stand-in', async () => {
    const key = standin.apiKey('accept');
    const before = standin.requests.length;
    const r = await runAction({
      inputs: { run: 'codex exec --skip-git-repo-check "say hi"', 'openai-api-key': key },
      env: realCodexEnv(bin, standin, trap),
      prepare: ({ home }) => {
        fs.mkdirSync(path.join(home, '.codex'));
        fs.writeFileSync(path.join(home, '.codex', 'config.toml'), 'model = "gpt-5-codex"\n');
      },
    });
    runs.push(r);
    expect(r.main.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'none' });
    expect(standin.requests.slice(before).some((q) => q.authorization === `Bearer ${key}`)).toBe(true);
  });

  it('a codex bound for its default host is refused by the trap and the run stops within seconds', async () => {
    // The bare codex (no -c flags) and no stand-in in config.toml: what a bug deleting the address does.
    const ownTrap = await startNetworkTrap({ stopRuns: true });
    const bareBin = fs.mkdtempSync(path.join(os.tmpdir(), 'bare-codex-bin-'));
    fs.symlinkSync(REAL_CODEX, path.join(bareBin, 'codex'));
    try {
      const r = await runAction({
        inputs: { run: 'codex exec --skip-git-repo-check "say hi"', 'openai-api-key': standin.apiKey('accept') },
        env: realCodexEnv(bareBin, standin, ownTrap),
        timeoutMs: 30_000,
      });
      runs.push(r);
      // Its first request off loopback (0.169: the plugin sync to github.com, or the API itself) was refused.
      expect(ownTrap.hits.length).toBeGreaterThan(0);
      expect(ownTrap.hits[0].target).toMatch(/^(?!127\.0\.0\.1|localhost)[a-z0-9.-]+:443$/);
      // Seconds, not codex's own minutes of retries; room for two busy cores.
      expect(r.main.durationMs).toBeLessThan(25_000);
      expect(runningWith(r.runnerTemp)).toEqual([]);
    } finally {
      fs.rmSync(bareBin, { recursive: true, force: true });
      await ownTrap.close();
    }
  });
});
