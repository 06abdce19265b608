// The keeper's and the consumers' decisions, as tables: full login or access-only copy, is the refresh
// due, is a copy valid / about to expire / expired, and what the copy holds.
import { describe, expect, it } from '@jest/globals';
import type { AuthJson } from '../../src/auth-json.js';
import {
  accessOnlyCopy,
  checkCopy,
  CODEX_REFRESH_WINDOW_MS,
  expiredCopyEvidence,
  expiringCopyWarning,
  isoSeconds,
  loginShape,
  OVERDUE_WARNING_MS,
  REFRESH_DUE_WITHIN_MS,
  refreshDue,
  relativeTime,
  shortLifetimeWarning,
} from '../../src/access-only.js';
import { jwtClaims } from '../../src/jwt.js';
import { mintJwt } from '../../test-support/openai-standin.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const seconds = (offsetMs: number) => Math.floor(at(offsetMs).getTime() / 1000);

function login(
  options: {
    refresh?: string;
    exp?: number | null;
    iat?: number | null;
    access?: string;
    lastRefresh?: unknown;
    account?: string | null;
  } = {},
): AuthJson {
  const claims: Record<string, unknown> = { 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1' } };
  if (options.exp !== null) claims.exp = options.exp ?? seconds(9 * D);
  if (options.iat !== undefined && options.iat !== null) claims.iat = options.iat;
  const auth: AuthJson = {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: mintJwt({ 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-1', chatgpt_user_id: 'user-1' } }),
      access_token: options.access ?? mintJwt(claims),
      refresh_token: options.refresh ?? 'rt-SECRET-1',
      ...(options.account === null ? {} : { account_id: options.account ?? 'acct-1' }),
    },
    extra_field: 'not for consumers',
  };
  if (options.lastRefresh !== undefined) auth.last_refresh = options.lastRefresh as string;
  else auth.last_refresh = '2026-12-06T12:00:00.123456789Z';
  return auth;
}

describe('loginShape', () => {
  it.each([
    ['a refresh token', 'rt-SECRET-1', 'full'],
    ['an empty refresh token', '', 'access-only'],
    ['white space (not empty: codex would try to refresh with it)', ' ', 'full'],
  ] as const)('%s → %s', (_what, refresh, shape) => {
    expect(loginShape(login({ refresh }))).toBe(shape);
  });
});

describe('refreshDue: due when the access token expires within 5 days, or cannot tell', () => {
  it.each([
    ['expires in 9 days', seconds(9 * D), false, undefined],
    ['expires in exactly 5 days', seconds(REFRESH_DUE_WITHIN_MS), false, undefined],
    ['expires in 5 days less a second', seconds(REFRESH_DUE_WITHIN_MS - S), true, 'expiring'],
    ['expires in 1 hour (a short-lived token)', seconds(H), true, 'expiring'],
    ['expired a second ago', seconds(-S), true, 'expired'],
    ['expired 3 days ago', seconds(-3 * D), true, 'expired'],
    ['states no expiry', null, true, 'no-expiry'],
  ] as const)('%s → due %s (%s)', (_what, exp, due, reason) => {
    const decision = refreshDue(login({ exp }), NOW);
    expect(decision.due).toBe(due);
    if (decision.due) expect(decision.reason).toBe(reason);
    expect(decision.expiresAt?.getTime() ?? null).toBe(exp === null ? null : exp * 1000);
  });

  it.each([
    ['not a JWT', 'opaque-access-token'],
    ['a JWT whose payload is not JSON', 'eyJhbGciOiJub25lIn0.bm90IGpzb24.sig'],
    ['a JWT whose exp is a string', mintJwt({ exp: '1796640000' })],
    ['a JWT whose exp is 0', mintJwt({ exp: 0 })],
  ])('an access token that is %s has no readable expiry: due', (_what, access) => {
    expect(refreshDue(login({ access }), NOW)).toEqual({ due: true, reason: 'no-expiry', expiresAt: null });
  });

  it('one keeper run a day keeps every copy valid for at least 4 more days, whatever the token lives', () => {
    // Simulate 30 days of daily keeper runs for tokens living 1 h, 3 d, 7 d, 10 d and 30 d.
    for (const lifetime of [H, 3 * D, 7 * D, 10 * D, 30 * D]) {
      let expiresAt = NOW.getTime() + lifetime;
      let refreshes = 0;
      let worst = Infinity;
      for (let day = 0; day < 30; day++) {
        const now = new Date(NOW.getTime() + day * D);
        const auth = login({ exp: Math.floor(expiresAt / 1000) });
        if (refreshDue(auth, now).due) {
          expiresAt = now.getTime() + lifetime;
          refreshes += 1;
        }
        // The copy written today is used until tomorrow's keeper run.
        worst = Math.min(worst, expiresAt - (now.getTime() + D));
      }
      if (lifetime >= REFRESH_DUE_WITHIN_MS)
        expect({ lifetime, ok: worst >= REFRESH_DUE_WITHIN_MS - D - 1000 }).toEqual({ lifetime, ok: true });
      if (lifetime === 10 * D) expect(refreshes).toBe(4); // on days 6, 12, 18 and 24
      if (lifetime < REFRESH_DUE_WITHIN_MS) expect(refreshes).toBe(30); // every run
    }
  });
});

describe('checkCopy: what a consumer does before codex runs', () => {
  it.each([
    ['expires in 3 days', 3 * D, 'valid'],
    ['expires in a day and a second', OVERDUE_WARNING_MS + S, 'valid'],
    ['expires in exactly a day', OVERDUE_WARNING_MS, 'expiring'],
    ['expires in 2 hours', 2 * H, 'expiring'],
    ['expires in 5 minutes and a second', CODEX_REFRESH_WINDOW_MS + S, 'expiring'],
    ['expires in exactly 5 minutes (codex would refresh it)', CODEX_REFRESH_WINDOW_MS, 'expired'],
    ['expires in a minute', MIN, 'expired'],
    ['expired a second ago', -S, 'expired'],
    ['expired 2 days ago', -2 * D, 'expired'],
  ] as const)('%s → %s', (_what, offset, status) => {
    const check = checkCopy(login({ refresh: '', exp: seconds(offset) }), NOW);
    expect(check.status).toBe(status);
    expect(check.expiresAt?.getTime()).toBe(seconds(offset) * 1000);
    expect(check.lastRefresh?.toISOString()).toBe('2026-12-06T12:00:00.123Z');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['not a date', 'yesterday'],
    ['not a string', 12],
  ])('last_refresh %s → null', (_what, lastRefresh) => {
    const auth = login({ refresh: '', exp: seconds(-H) });
    if (lastRefresh === undefined) delete auth.last_refresh;
    else auth.last_refresh = lastRefresh as string;
    expect(checkCopy(auth, NOW)).toMatchObject({ status: 'expired', lastRefresh: null });
  });

  it('a token that states no expiry → unknown', () => {
    expect(checkCopy(login({ refresh: '', exp: null }), NOW)).toMatchObject({ status: 'unknown', expiresAt: null });
  });
});

describe('messages', () => {
  it.each([
    [2 * D + H, 'in 2 days'],
    [47 * H, 'in 47 hours'],
    [2 * H, 'in 2 hours'],
    [119 * MIN, 'in 119 minutes'],
    [MIN, 'in 1 minute'],
    [10 * S, 'in 1 minute'],
    [-90 * S, '1 minute ago'],
    [-3 * H, '3 hours ago'],
    [-3 * D, '3 days ago'],
  ])('relativeTime %i ms → %s', (offset, text) => {
    expect(relativeTime(at(offset), NOW)).toBe(text);
  });

  it('isoSeconds drops the milliseconds', () => {
    expect(isoSeconds(new Date('2026-12-07T10:00:00.999Z'))).toBe('2026-12-07T10:00:00Z');
  });

  it('the expired evidence says when it expired and since when the keeper has not refreshed it', () => {
    const check = { expiresAt: at(-3 * H), lastRefresh: new Date('2026-11-27T08:00:00Z') };
    expect(expiredCopyEvidence(check, NOW)).toBe(
      'The access-only ChatGPT login in `codex-auth-json` expired at 2026-12-07T09:00:00Z (3 hours ago); its keeper has not refreshed it since 2026-11-27T08:00:00Z.',
    );
    expect(expiredCopyEvidence({ expiresAt: at(2 * MIN), lastRefresh: null }, NOW)).toBe(
      'The access-only ChatGPT login in `codex-auth-json` expires at 2026-12-07T12:02:00Z (in 2 minutes, within the 5 minutes in which codex would try to refresh it); its keeper has not refreshed it for as long as the copy can tell (it has no last_refresh).',
    );
  });

  it('the overdue warning names the time, the last refresh and what to do', () => {
    const warning = expiringCopyWarning({ expiresAt: at(5 * H), lastRefresh: new Date('2026-11-28T08:00:00Z') }, NOW);
    expect(warning.title).toBe('codex-reauth: the access-only ChatGPT login expires soon');
    expect(warning.message).toContain('expires at 2026-12-07T17:00:00Z (in 5 hours)');
    expect(warning.message).toContain('has not refreshed it since 2026-11-28T08:00:00Z, so the keeper is overdue');
    expect(warning.message).toContain('workflow_dispatch');
  });

  it.each([
    ['10 days (iat)', { iat: seconds(0), exp: seconds(10 * D) }, null],
    ['2 days exactly', { iat: seconds(0), exp: seconds(2 * D) }, null],
    ['1 hour (iat)', { iat: seconds(0), exp: seconds(H) }, '1 hours'],
    ['1 hour (no iat: from last_refresh)', { exp: seconds(H), lastRefresh: NOW.toISOString() }, '1 hours'],
    ['unknown start', { exp: seconds(H), lastRefresh: '' }, null],
    ['no expiry', { exp: null }, null],
  ] as const)('shortLifetimeWarning, a token living %s', (_what, options, hours) => {
    const warning = shortLifetimeWarning(login(options));
    if (hours === null) expect(warning).toBeNull();
    else expect(warning?.message).toContain(`lives ${hours}`);
  });
});

describe('accessOnlyCopy', () => {
  it('keeps the access token, id_token and account, empties the refresh token, sets last_refresh, drops the rest', () => {
    const full = login();
    const copy = JSON.parse(accessOnlyCopy(full, 'acct-1', NOW));
    expect(copy).toEqual({
      auth_mode: 'chatgptAuthTokens',
      OPENAI_API_KEY: null,
      tokens: { id_token: full.tokens.id_token, access_token: full.tokens.access_token, refresh_token: '', account_id: 'acct-1' },
      last_refresh: '2026-12-06T12:00:00.123Z',
    });
    expect(JSON.stringify(copy)).not.toContain('rt-SECRET');
    expect(loginShape(copy)).toBe('access-only');
  });

  it('a login without last_refresh: the copy says now', () => {
    const full = login({ lastRefresh: 'garbage' });
    expect(JSON.parse(accessOnlyCopy(full, 'acct-1', NOW)).last_refresh).toBe(NOW.toISOString());
  });

  it('no account id anywhere: chatgpt mode, no account_id', () => {
    const copy = JSON.parse(accessOnlyCopy(login({ account: null }), null, NOW));
    expect(copy.auth_mode).toBe('chatgpt');
    expect(copy.tokens).not.toHaveProperty('account_id');
    expect(copy.tokens.refresh_token).toBe('');
  });
});

describe('jwtClaims', () => {
  it.each([
    ['a JWT', mintJwt({ exp: 5 }), { exp: 5 }],
    ['two parts', 'a.b', null],
    ['an empty payload', 'a..c', null],
    ['a JSON array payload', `a.${Buffer.from('[1]').toString('base64url')}.c`, null],
    ['not a string', 42, null],
  ])('%s', (_what, token, claims) => {
    expect(jwtClaims(token)).toEqual(claims);
  });
});
