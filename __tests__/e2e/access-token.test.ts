// End to end: workspace access tokens (`at-…`, input `codex-access-token`). The built dist/ runs as a
// runner runs it (main, then post) around the REAL codex CLI (the pinned @openai/codex, 0.171), which
// checks a token at the stand-in's whoami (`CODEX_AUTHAPI_BASE_URL`, set by the test wrapper) and then
// sends it to the stand-in's model endpoint. Anything bound for another host goes to a loopback trap
// that refuses it and stops the run (test-support/network-trap.js). Every test ends with a leak scan.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type NetworkTrap, startNetworkTrap } from '../../test-support/network-trap.js';
import { type Standin, startStandin } from '../../test-support/openai-standin.js';
import { runningWith } from '../../test-support/processes.js';
import { CALL_LOG_VAR, prepareCodexHome, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { type ActionRun, cleanup, findSecretLeaks, runAction } from '../../test-support/run-action.js';

// Real processes: codex's own retries against a refused token take seconds.
jest.setTimeout(60_000);

const INPUT = 'codex-access-token';
const REPLY = 'All tests pass now.';
/** The user's script: it leaves its environment in the workspace, so a token handed to it is found by the leak scan. */
const RUN = 'env > "$GITHUB_WORKSPACE/script-env.txt"\ncodex exec --skip-git-repo-check "fix the tests"';

let standin: Standin;
let trap: NetworkTrap;
let bin: string;
let scratch: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  standin = await startStandin({ reply: REPLY });
  trap = await startNetworkTrap({ stopRuns: true });
  bin = realCodexBin();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'access-token-e2e-'));
});
afterEach(() => {
  // Nothing may have tried to leave loopback (the trap names the host it was going to).
  expect(trap.hits.splice(0)).toEqual([]);
});
afterAll(async () => {
  for (const r of runs) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
  await standin.close();
  await trap.close();
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Scenario {
  /** A login left on the runner by an earlier job (self-hosted runner). */
  cached?: object;
  /** Variables set in the job's environment (`env:` of the workflow). */
  env?: Record<string, string>;
  /** No codex-home prepared at all: a fresh hosted runner without `~/.codex`. */
  bareHome?: boolean;
}

let callLogs = 0;

/** One step with the real codex; what the stand-in saw during it, and every codex invocation. */
async function scenario(inputs: Record<string, string>, options: Scenario = {}) {
  const callLog = path.join(scratch, `codex-calls-${++callLogs}.txt`);
  const before = standin.requests.length;
  let codexHome = '';
  const r = await runAction({
    inputs: { run: RUN, 'retry-wait-seconds': '0', ...inputs },
    env: { ...realCodexEnv(bin, standin, trap), [CALL_LOG_VAR]: callLog, ...(options.env ?? {}) },
    prepare: ({ home }) => {
      codexHome = options.bareHome ? path.join(home, '.codex') : prepareCodexHome(home, standin, options.cached);
    },
  });
  runs.push(r);
  const seen = standin.requests.slice(before);
  const codexCalls = fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8').split('\n').filter(Boolean) : [];
  return {
    ...r,
    codexHome,
    codexCalls,
    errors: r.main.commands.filter((c) => c.command === 'error'),
    warnings: r.main.commands.filter((c) => c.command === 'warning'),
    postErrors: (r.post?.commands ?? []).filter((c) => c.command === 'error'),
    whoami: seen.filter((q) => /\/user-auth-credential\/whoami(\?|$)/.test(q.url)),
    model: seen.filter((q) => q.method === 'POST' && /\/responses(\?|$)/.test(q.url)),
    seen,
  };
}
type Run = Awaited<ReturnType<typeof scenario>>;

/** An annotation's whole text: its title and its message. */
const text = (a: { properties: Record<string, string>; message: string }) => `${a.properties.title ?? ''}\n${a.message}`;

/**
 * The leak scan: every secret given and its base64 form nowhere in the steps' output, outputs, summary, state, files left after post, or codex's
 * argv; every token the stand-in minted too (`except`: a cached login's tokens, not the action's to mask).
 */
function noLeaks(r: Run, given: string[], except: string[] = []) {
  const derived = given.flatMap((s) => [s, b64(s)]);
  const secrets = [...new Set([...derived, ...standin.issued()])].filter((s) => !except.includes(s));
  expect(findSecretLeaks(r, secrets)).toEqual([]);
  const argv = r.codexCalls.join('\n');
  expect(secrets.filter((s) => argv.includes(s)).map((s) => `${s.slice(0, 4)}…`)).toEqual([]);
  // nothing the action wrote stays behind, and nothing it started is still running
  expect(fs.readdirSync(r.runnerTemp)).toEqual([]);
  expect(runningWith(r.codexHome)).toEqual([]);
}

describe('a workspace access token (codex-access-token) with the real codex', () => {
  it('a healthy token: one attempt, auth-method access-token, sent with its workspace account', async () => {
    const token = standin.accessToken();
    const r = await scenario({ [INPUT]: token });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toMatchObject({
      'exit-code': '0',
      attempts: '1',
      'failure-kind': 'none',
      recovered: 'false',
      'auth-method': 'access-token',
    });
    expect(r.main.stdout).toContain(REPLY);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    // codex used the token itself (not an API key, not unauthenticated), with the account whoami named
    expect(r.model.length).toBeGreaterThan(0);
    for (const q of r.model) {
      expect(q.authorization).toBe(`Bearer ${token}`);
      expect(q.accountId).toMatch(/^acct-ws-/);
    }
    // the user's script ran without it in its environment (the leak scan reads script-env.txt)
    expect(fs.existsSync(path.join(r.workspace, 'script-env.txt'))).toBe(true);
    expect(fs.existsSync(path.join(r.codexHome, 'auth.json'))).toBe(false); // post removed the login main made
    noLeaks(r, [token]);
  });

  it('a revoked token alone: access-token-invalid, one error naming the input, and no model request', async () => {
    const token = standin.accessToken({ whoami: 'revoked' });
    const r = await scenario({ [INPUT]: token });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'access-token-invalid', recovered: 'false' });
    expect(r.errors).toHaveLength(1);
    expect(text(r.errors[0])).toContain(INPUT);
    expect(r.postErrors).toEqual([]);
    // the token was checked (codex asked whoami with it) and refused before any model turn
    expect(r.whoami.some((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    expect(r.model).toEqual([]);
    // the script never ran: codex's silent unauthenticated path was not taken
    expect(fs.existsSync(path.join(r.workspace, 'script-env.txt'))).toBe(false);
    noLeaks(r, [token]);
  });

  it('a revoked token with an API key behind it: recovered with the key, the warning names the token input', async () => {
    const token = standin.accessToken({ whoami: 'revoked' });
    const key = standin.apiKey('accept');
    const r = await scenario({ [INPUT]: token, 'openai-api-key': key });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toMatchObject({ 'exit-code': '0', 'failure-kind': 'none', recovered: 'true', 'auth-method': 'api-key' });
    expect(r.main.stdout).toContain(REPLY);
    expect(r.errors).toEqual([]);
    expect(r.warnings.length).toBeGreaterThan(0);
    expect(r.warnings.some((w) => text(w).includes(INPUT))).toBe(true);
    // the model saw the key only: the dead token never reached it
    expect(r.model.length).toBeGreaterThan(0);
    expect(r.model.every((q) => q.authorization === `Bearer ${key}`)).toBe(true);
    noLeaks(r, [token, key]);
  });

  it('a token whoami accepts and the model API refuses: access-token-invalid, never not-logged-in', async () => {
    const token = standin.accessToken({ model: 'unauthorized' });
    const r = await scenario({ [INPUT]: token });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs['failure-kind']).toBe('access-token-invalid');
    expect(r.main.outputs['auth-method']).toBe('access-token');
    expect(r.errors).toHaveLength(1);
    expect(text(r.errors[0])).toContain(INPUT);
    expect(text(r.errors[0])).not.toContain('not-logged-in');
    // the model did refuse this very token (the check alone could not have caught it)
    expect(r.model.some((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    noLeaks(r, [token]);
  });

  it('a dead ChatGPT login falls to the access token: recovered, the warning names codex-auth-json', async () => {
    const auth = JSON.stringify(standin.chatgptAuth({ refresh: 'reused' }));
    const token = standin.accessToken();
    const r = await scenario({ 'codex-auth-json': auth, [INPUT]: token });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toMatchObject({ 'exit-code': '0', 'failure-kind': 'none', recovered: 'true', 'auth-method': 'access-token' });
    expect(r.main.stdout).toContain(REPLY);
    expect(r.errors).toEqual([]);
    expect(r.warnings.some((w) => text(w).includes('codex-auth-json'))).toBe(true);
    expect(r.model.some((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    noLeaks(r, [auth, token]);
  });

  it('a healthy token with an API key behind it: the token is used first (a plan before pay-per-use)', async () => {
    const token = standin.accessToken();
    const key = standin.apiKey('accept');
    const r = await scenario({ [INPUT]: token, 'openai-api-key': key });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'false', 'auth-method': 'access-token' });
    expect(r.model.every((q) => q.authorization === `Bearer ${token}`)).toBe(true);
    noLeaks(r, [token, key]);
  });
});

/** A workspace token as an admin hands it out; the mix-ups below are what else such a secret tends to hold. */
const AT = 'at-Wz0rkSp4ceT0kenFr0mTheAdm1nPage';

describe('codex-access-token mix-ups are refused before codex runs, never echoed', () => {
  const chatgptLogin = () => JSON.stringify(standin.chatgptAuth({ refresh: 'rotate', accessExpired: false }));
  it.each<[string, () => string, string[]]>([
    ['an API key (sk-…)', () => 'sk-proj-Q0dFpasted1nTheTokenBox9xZ', []],
    [
      'a JWT (a ChatGPT access or id token)',
      () => 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS11c2VyIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLW9mLXRoZS1qd3Q',
      ['eyJzdWIiOiJjaS11c2VyIiwiZXhwIjoxOTAwMDAwMDAwfQ', 'c2lnbmF0dXJlLW9mLXRoZS1qd3Q'],
    ],
    ['a whole ChatGPT auth.json', chatgptLogin, []],
    ['the auth.json codex writes for a token', () => JSON.stringify({ OPENAI_API_KEY: null, personal_access_token: AT }), [AT]],
    ['the token in double quotes', () => `"${AT}"`, [AT]],
    ['the token in single quotes', () => `'${AT}'`, [AT]],
    ['white space around the token', () => ` ${AT}\t`, [AT]],
    ['a masked value pasted back (***)', () => '***', []],
  ])('%s', async (_label, value, inside) => {
    const bad = value();
    const key = standin.apiKey('accept');
    const r = await scenario({ [INPUT]: bad, 'openai-api-key': key });
    expect(r.main.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].properties.title ?? '').toMatch(/^codex-reauth/);
    expect(text(r.errors[0])).toContain(INPUT);
    // before codex: no codex process at all, nothing reached the stand-in, the script never ran
    expect(r.codexCalls).toEqual([]);
    expect(r.seen).toEqual([]);
    expect(fs.existsSync(path.join(r.workspace, 'script-env.txt'))).toBe(false);
    const secrets = bad === '***' ? [key] : [bad, ...inside, key];
    noLeaks(r, secrets, []);
  });
});

describe('CODEX_ACCESS_TOKEN in the job environment', () => {
  it('rejected: access-token-invalid naming CODEX_ACCESS_TOKEN, the cached login kept, the secrets not blamed', async () => {
    const token = standin.accessToken({ whoami: 'revoked' });
    const cached = standin.chatgptAuth({ refresh: 'rotate', accessExpired: false });
    const key = standin.apiKey('accept');
    const auth = JSON.stringify(standin.chatgptAuth({ refresh: 'rotate', accessExpired: false }));
    // (no environment dump here: the job's own CODEX_ACCESS_TOKEN is the user's to hand to their script)
    const r = await scenario(
      { run: 'codex exec --skip-git-repo-check "fix the tests"', 'openai-api-key': key, 'codex-auth-json': auth },
      { cached, env: { CODEX_ACCESS_TOKEN: token } },
    );
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs['failure-kind']).toBe('access-token-invalid');
    expect(r.errors).toHaveLength(1);
    const said = text(r.errors[0]);
    expect(said).toContain('CODEX_ACCESS_TOKEN');
    expect(said).not.toContain(INPUT);
    // the secrets did nothing wrong: no annotation tells the user to replace them
    for (const a of [...r.errors, ...r.warnings]) {
      expect(text(a)).not.toContain('openai-api-key');
      expect(text(a)).not.toContain('codex-auth-json');
    }
    // the login cached on the runner is still there, unchanged, and its refresh token unspent
    const left = JSON.parse(fs.readFileSync(path.join(r.codexHome, 'auth.json'), 'utf8'));
    expect(left.tokens.refresh_token).toBe(cached.tokens.refresh_token);
    expect(standin.refreshState(cached.tokens.refresh_token)).toBe('live');
    noLeaks(r, [token, key, auth], Object.values(cached.tokens));
  });
});

describe("a fork's pull request: every secret empty, nothing cached", () => {
  it('one not-logged-in annotation about forks and pull_request_target; codex could use CODEX_HOME', async () => {
    const event = path.join(scratch, 'fork-event.json');
    fs.writeFileSync(
      event,
      JSON.stringify({
        action: 'opened',
        pull_request: {
          number: 7,
          head: { repo: { full_name: 'someone/app', fork: true } },
          base: { repo: { full_name: 'octo/app', fork: false } },
        },
        repository: { full_name: 'octo/app' },
      }),
    );
    const r = await scenario(
      { 'openai-api-key': '', 'codex-auth-json': '', [INPUT]: '' },
      { bareHome: true, env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'octo/app' } },
    );
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs['failure-kind']).toBe('not-logged-in');
    expect(r.errors).toHaveLength(1);
    expect(text(r.errors[0])).toMatch(/fork/i);
    expect(text(r.errors[0])).toContain('pull_request_target');
    // the action made codex's home usable: codex ran and was refused, it did not die on a missing folder
    const log = `${r.main.stdout}\n${r.main.stderr}`;
    expect(log).not.toMatch(/CODEX_HOME points to .*but that path does not exist/);
    expect(r.model.length).toBeGreaterThan(0);
    expect(r.model.every((q) => q.authorization === null)).toBe(true);
    noLeaks(r, []);
  });
});
