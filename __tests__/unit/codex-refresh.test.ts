// The on-demand refresh through `codex app-server`: what codex's log says (tables), and the process
// handling against a fake app-server (answer, error, hang, linger, a grandchild, an early death). The
// real codex is in __tests__/e2e/codex-refresh.test.ts.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { APP_SERVER_REQUESTS, createCodexRefresher, refreshFailure, refreshLogFrom } from '../../src/codex-refresh.js';
import { isRunning, runningWith } from '../../test-support/processes.js';
import { ROOT } from '../../test-support/run-action.js';
import { within } from '../../test-support/deadline.js';

const FAKE = path.join(ROOT, 'test-support', 'fake-app-server.js');

describe('refreshLogFrom', () => {
  it.each([
    ['nothing', [], { attempted: false, failedStatus: null, failureLine: null }],
    [
      'a refresh that worked (0.169/0.171, info level)',
      [
        '2026-12-07T10:22:41.723190Z  INFO codex_login::auth::manager: Reloaded auth, changed: false auth_changed_for_refresh=false',
        '2026-12-07T10:22:41.723242Z  INFO codex_login::auth::manager: Refreshing token',
      ],
      { attempted: true, failedStatus: null, failureLine: null },
    ],
    [
      'a refused refresh token (0.169/0.171)',
      [
        '2026-12-07T10:22:41.723242Z  INFO codex_login::auth::manager: Refreshing token',
        '2026-12-07T10:22:41.761817Z ERROR codex_login::auth::manager: Failed to refresh token status=401 Unauthorized',
      ],
      { attempted: true, failedStatus: 401, failureLine: 'Failed to refresh token status=401 Unauthorized' },
    ],
    [
      'the same in colour (no NO_COLOR)',
      [
        '\x1b[2m2026-12-07T10:22:39.499269Z\x1b[0m \x1b[31mERROR\x1b[0m \x1b[2mcodex_login::auth::manager\x1b[0m\x1b[2m:\x1b[0m Failed to refresh token \x1b[3mstatus\x1b[0m\x1b[2m=\x1b[0m401 Unauthorized',
      ],
      { attempted: true, failedStatus: 401, failureLine: 'Failed to refresh token status=401 Unauthorized' },
    ],
    [
      'a token endpoint in trouble',
      ['2026-12-07T10:22:59.361608Z ERROR codex_login::auth::manager: Failed to refresh token status=502 Bad Gateway'],
      { attempted: true, failedStatus: 502, failureLine: 'Failed to refresh token status=502 Bad Gateway' },
    ],
    [
      'an older codex (0.101 logger, status after a colon)',
      ['2025-08-01T10:00:00Z ERROR codex_core::auth: Failed to refresh token: 401 Unauthorized: {"error":{"code":"refresh_token_reused"}}'],
      {
        attempted: true,
        failedStatus: 401,
        failureLine: 'Failed to refresh token: 401 Unauthorized: {"error":{"code":"refresh_token_reused"}}',
      },
    ],
    [
      'the words in a line that is not codex_login (another logger quoting them)',
      ['2026-12-07T10:00:00Z ERROR codex_app_server: user said "Failed to refresh token status=401"'],
      { attempted: false, failedStatus: null, failureLine: null },
    ],
  ])('%s', (_what, lines, log) => {
    expect(refreshLogFrom(lines)).toEqual(log);
  });
});

describe('refreshFailure', () => {
  const log = (attempted: boolean, failedStatus: number | null) => ({ attempted, failedStatus, failureLine: null });
  it.each([
    [401, true, 'refused'],
    [400, true, 'refused'],
    [403, true, 'refused'],
    [408, true, 'transient'],
    [429, true, 'transient'],
    [500, true, 'transient'],
    [502, true, 'transient'],
    [null, true, 'transient'], // tried, no answer (a network failure logs no error line)
    [null, false, 'not-attempted'],
  ] as const)('status %s, attempted %s → %s', (status, attempted, failure) => {
    expect(refreshFailure({ answered: true, log: log(attempted, status) })).toBe(failure);
  });
});

describe('createCodexRefresher (a fake app-server)', () => {
  const run = async (mode: string, extra: { timeoutMs?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}) => {
    const mark = `fake-app-server-${randomBytes(6).toString('hex')}`;
    const refresher = createCodexRefresher({
      codexPath: FAKE,
      env: { ...process.env, FAKE_APP_SERVER: mode, FAKE_APP_SERVER_MARK: mark, ...extra.env },
      cwd: os.tmpdir(),
      timeoutMs: extra.timeoutMs ?? 20_000,
      killGraceMs: 500,
      signal: extra.signal,
      platform: process.platform,
    });
    const result = await refresher.refresh();
    return { result, left: runningWith(mark) };
  };

  it('sends initialize, initialized and getAuthStatus with refreshToken (never includeToken)', () => {
    expect(APP_SERVER_REQUESTS.map((line) => JSON.parse(line))).toEqual([
      { id: 0, method: 'initialize', params: { clientInfo: { name: 'codex-reauth', title: 'codex-reauth', version: '1' } } },
      { method: 'initialized' },
      { id: 1, method: 'getAuthStatus', params: { includeToken: false, refreshToken: true } },
    ]);
  });

  it('an answer: stdin is closed after it and app-server exits 0', async () => {
    const { result, left } = await run('answer');
    expect(result).toMatchObject({ answered: true, errorMessage: null, exitCode: 0, timedOut: false, cancelled: false, spawnError: null });
    expect(left).toEqual([]);
  });

  it("codex's refusal line is read from stderr", async () => {
    const { result } = await run('log-401');
    expect(result.log).toEqual({ attempted: true, failedStatus: 401, failureLine: 'Failed to refresh token status=401 Unauthorized' });
  });

  it('an error answer is kept (its message)', async () => {
    const { result } = await run('error');
    expect(result).toMatchObject({ answered: true, errorMessage: 'something failed', exitCode: 0 });
  });

  it('no answer: killed at the time limit, nothing left running', async () => {
    const { result, left } = await run('hang', { timeoutMs: 1500 });
    expect(result).toMatchObject({ answered: false, timedOut: true });
    expect(left).toEqual([]);
  });

  it('an app-server that stays after answering is killed, and the answer still counts', async () => {
    // The wait after the answer is 10 s; the run limit ends it sooner here.
    const { result, left } = await run('linger', { timeoutMs: 3000 });
    expect(result).toMatchObject({ answered: true });
    expect(left).toEqual([]);
  });

  it('a grandchild dies with it', async () => {
    const pids = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-app-server-')), 'pids');
    const { result } = await run('grandchild', { timeoutMs: 1500, env: { FAKE_APP_SERVER_PIDS: pids } });
    expect(result.timedOut).toBe(true);
    const [server, grandchild] = fs.readFileSync(pids, 'utf8').split(' ').map(Number);
    expect([isRunning(server), isRunning(grandchild)]).toEqual([false, false]);
    fs.rmSync(path.dirname(pids), { recursive: true, force: true });
  });

  it('a process that left its group and holds its stderr open does not keep the run waiting', async () => {
    const pids = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-app-server-')), 'pids');
    try {
      // Without a bound after app-server's exit, `close` would wait for the escaped child's minute.
      const { result } = await within(
        run('escape', { env: { FAKE_APP_SERVER_PIDS: pids } }),
        15_000,
        'the refresh',
        'does it end after app-server exits?',
      );
      expect(result).toMatchObject({ answered: true, exitCode: 0, timedOut: false });
    } finally {
      const escaped = Number(fs.readFileSync(pids, 'utf8').split(' ')[1]);
      if (escaped > 1) process.kill(escaped, 'SIGKILL');
      fs.rmSync(path.dirname(pids), { recursive: true, force: true });
    }
  });

  it('a cancelled step kills it at once', async () => {
    const controller = new AbortController();
    const pending = run('hang', { signal: controller.signal });
    setImmediate(() => controller.abort());
    const { result, left } = await pending;
    expect(result).toMatchObject({ answered: false, cancelled: true, timedOut: false });
    expect(left).toEqual([]);
  });

  it('an app-server that dies without answering', async () => {
    const { result } = await run('die');
    expect(result).toMatchObject({ answered: false, exitCode: 3, timedOut: false });
  });

  it('a codex that cannot be started', async () => {
    const refresher = createCodexRefresher({
      codexPath: path.join(os.tmpdir(), `no-such-codex-${randomBytes(4).toString('hex')}`),
      env: process.env,
      cwd: os.tmpdir(),
      timeoutMs: 5000,
      killGraceMs: 500,
      platform: process.platform,
    });
    const result = await refresher.refresh();
    expect(result.answered).toBe(false);
    expect(result.spawnError).toMatch(/ENOENT/);
  });
});
