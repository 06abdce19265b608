// The on-demand refresh with the REAL codex (`codex app-server`, getAuthStatus with refreshToken)
// against the loopback OpenAI stand-in: a live login is rotated in auth.json; a spent one, a token
// endpoint in trouble and an API key leave auth.json as it was, and codex's log tells which.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCodexRefresher, refreshFailure } from '../../src/codex-refresh.js';
import { type Standin, startStandin } from '../../test-support/openai-standin.js';
import { prepareCodexHome, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';

jest.setTimeout(60_000);

let openai: Standin;
let bin: string;
const homes: string[] = [];

beforeAll(async () => {
  openai = await startStandin();
  bin = realCodexBin();
});
afterAll(async () => {
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(bin, { recursive: true, force: true });
  await openai.close();
});

async function refreshWith(auth: object, standin: Standin = openai) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-refresh-e2e-'));
  homes.push(home);
  const codexHome = prepareCodexHome(home, standin, auth);
  const authFile = path.join(codexHome, 'auth.json');
  const before = fs.readFileSync(authFile, 'utf8');
  const tokenRequests = () => standin.requests.filter((r) => r.url.endsWith('/oauth/token')).length;
  const requestsBefore = tokenRequests();
  const refresher = createCodexRefresher({
    codexPath: path.join(bin, 'codex'),
    env: { ...process.env, HOME: home, CODEX_HOME: codexHome, ...realCodexEnv(bin, standin) },
    cwd: home,
    timeoutMs: 30_000,
    killGraceMs: 1000,
    platform: process.platform,
  });
  const run = await refresher.refresh();
  const after = fs.readFileSync(authFile, 'utf8');
  return {
    run,
    before: JSON.parse(before),
    after: JSON.parse(after),
    changed: before !== after,
    tokenRequests: tokenRequests() - requestsBefore,
  };
}

describe('codex app-server refresh (real codex)', () => {
  it('a live login whose access token is valid for hours is refreshed now: auth.json holds the rotated login', async () => {
    const auth = openai.chatgptAuth({ refresh: 'rotate', accessExpired: false });
    const { run, after, changed, tokenRequests } = await refreshWith(auth);
    expect(run).toMatchObject({ answered: true, errorMessage: null, exitCode: 0, timedOut: false, spawnError: null });
    expect(run.log).toMatchObject({ attempted: true, failedStatus: null });
    expect(changed).toBe(true);
    expect(tokenRequests).toBe(1);
    expect(after.tokens.refresh_token).not.toBe(auth.tokens.refresh_token);
    expect(openai.refreshState(auth.tokens.refresh_token)).toBe('used');
    expect(openai.refreshState(after.tokens.refresh_token)).toBe('live');
    expect(after.tokens.access_token).not.toBe(auth.tokens.access_token);
    expect(new Date(after.last_refresh).getTime()).toBeGreaterThan(new Date(auth.last_refresh).getTime());
  });

  it.each([
    ['reused', 'refused'],
    ['expired', 'refused'],
    ['invalidated', 'refused'],
  ] as const)('a refresh token the endpoint calls %s: auth.json unchanged, codex logs 401 → %s', async (state, failure) => {
    const auth = openai.chatgptAuth({ refresh: state, accessExpired: false });
    const { run, changed } = await refreshWith(auth);
    expect(run.answered).toBe(true);
    expect(changed).toBe(false);
    expect(run.log.failedStatus).toBe(401);
    expect(refreshFailure(run)).toBe(failure);
  });

  it('a token endpoint answering 502: auth.json unchanged, transient, the refresh token is not spent', async () => {
    // A stand-in of its own: the failures it is told of must not reach the other tests.
    const troubled = await startStandin();
    try {
      const auth = troubled.chatgptAuth({ refresh: 'rotate', accessExpired: false });
      troubled.failRefreshes(100, 502);
      const { run, changed, tokenRequests } = await refreshWith(auth, troubled);
      expect(changed).toBe(false);
      expect(tokenRequests).toBeGreaterThanOrEqual(1);
      expect(run.log.failedStatus).toBe(502);
      expect(refreshFailure(run)).toBe('transient');
      expect(troubled.refreshState(auth.tokens.refresh_token)).toBe('live');
    } finally {
      await troubled.close();
    }
  });

  it('an API-key login: codex has nothing to refresh, and says nothing about refreshing', async () => {
    const { run, changed, tokenRequests } = await refreshWith({ auth_mode: 'apikey', OPENAI_API_KEY: openai.apiKey('accept') });
    expect(run.answered).toBe(true);
    expect(changed).toBe(false);
    expect(tokenRequests).toBe(0);
    expect(refreshFailure(run)).toBe('not-attempted');
  });
});
