/**
 * One ChatGPT login, many jobs: the pure decisions. A *keeper* run holds the full login (with its
 * single-use refresh token) and makes codex refresh it when due; every other job gets an
 * *access-only copy*: the same access token with `"refresh_token": ""`, which codex runs with and
 * never refreshes, so any number of jobs can use it at once without spending anything.
 *
 * This module answers, without I/O or clocks (the time is a parameter):
 * - is this auth.json a full login or an access-only copy (`loginShape`);
 * - is the full login's refresh due (`refreshDue`, the rule is explained at REFRESH_DUE_WITHIN_MS);
 * - is a copy still good, about to expire (the keeper is overdue), or expired (`checkCopy`);
 * - what the copy holds (`accessOnlyCopy`).
 */
import type { AuthJson } from './auth-json.js';
import { claimDate, jwtClaims } from './jwt.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The keeper refreshes when the access token expires within 5 days (or its expiry cannot be read).
 *
 * Why 5 days: the keeper runs once a day from a schedule, and every copy it writes must stay valid
 * for days after, with room for missed runs (GitHub delays or drops scheduled runs under load, a
 * keeper can fail for a day before someone looks). A copy written by a keeper run is valid for at
 * least 5 days, so it outlives 4 missed daily runs, and consumers warn a full day before it expires.
 * ChatGPT access tokens are reported to live about 10 days (unverified, see README), which makes a
 * refresh every 6th day: few rotations of the single-use refresh token (each one is a chance to
 * lose the login if saving fails), and the refresh token is used often enough never to go stale.
 * The rule depends on no assumed lifetime: tokens that live less than 5 days are refreshed on every
 * run, tokens that live longer are refreshed less often, and the margin stays 5 days either way.
 */
export const REFRESH_DUE_WITHIN_MS = 5 * DAY_MS;

/** Codex refreshes an access token that expires within 5 minutes (codex-credentials-0.171.md §4). */
export const CODEX_REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** A copy that expires within this is worth a warning: its keeper should have refreshed it by now. */
export const OVERDUE_WARNING_MS = DAY_MS;

/**
 * A fresh access token that lives less than this cannot be kept valid by one keeper run a day: the
 * keeper says so (it would have to run more often).
 */
export const SHORT_LIFETIME_MS = 2 * DAY_MS;

/** A full login (holds a refresh token) or an access-only copy (`"refresh_token": ""`). */
export type LoginShape = 'full' | 'access-only';

/**
 * What kind of ChatGPT login this is. An empty refresh token is the mark of an access-only copy:
 * codex runs with it and has nothing to refresh with. (Absent or `null` is not a copy: codex ignores
 * such a file altogether, and parseAuthJson refuses it.)
 */
export function loginShape(auth: AuthJson): LoginShape {
  return auth.tokens.refresh_token === '' ? 'access-only' : 'full';
}

/** When the access token expires and was issued, from its own claims (null when it does not say). */
export function accessTokenTimes(auth: AuthJson): { expiresAt: Date | null; issuedAt: Date | null } {
  const claims = jwtClaims(auth.tokens.access_token);
  return { expiresAt: claimDate(claims, 'exp'), issuedAt: claimDate(claims, 'iat') };
}

/** `last_refresh` as a Date, or null when it is missing or not a date. */
export function lastRefreshOf(auth: AuthJson): Date | null {
  if (typeof auth.last_refresh !== 'string' || auth.last_refresh.trim() === '') return null;
  const date = new Date(auth.last_refresh);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A time as ISO 8601 to the second, UTC (`2026-12-07T10:00:00Z`): what outputs and messages show. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Why a refresh is due, or that it is not. */
export type RefreshDecision =
  { due: true; reason: 'no-expiry' | 'expired' | 'expiring'; expiresAt: Date | null } | { due: false; expiresAt: Date };

/** Whether the keeper should make codex refresh the full login now (see REFRESH_DUE_WITHIN_MS). */
export function refreshDue(auth: AuthJson, now: Date): RefreshDecision {
  const { expiresAt } = accessTokenTimes(auth);
  if (expiresAt === null) return { due: true, reason: 'no-expiry', expiresAt };
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return { due: true, reason: 'expired', expiresAt };
  if (left < REFRESH_DUE_WITHIN_MS) return { due: true, reason: 'expiring', expiresAt };
  return { due: false, expiresAt };
}

/** What a consumer finds in an access-only copy before codex runs. */
export type CopyCheck =
  /** Expired, or within codex's refresh window (codex would try to refresh it at once). */
  | { status: 'expired'; expiresAt: Date; lastRefresh: Date | null }
  /** Valid, but for less than OVERDUE_WARNING_MS: the keeper is overdue. */
  | { status: 'expiring'; expiresAt: Date; lastRefresh: Date | null }
  | { status: 'valid'; expiresAt: Date; lastRefresh: Date | null }
  /** The access token states no expiry: nothing can be told in advance. */
  | { status: 'unknown'; expiresAt: null; lastRefresh: Date | null };

/** Checks an access-only copy's access token against `now`. */
export function checkCopy(auth: AuthJson, now: Date): CopyCheck {
  const { expiresAt } = accessTokenTimes(auth);
  const lastRefresh = lastRefreshOf(auth);
  if (expiresAt === null) return { status: 'unknown', expiresAt, lastRefresh };
  const left = expiresAt.getTime() - now.getTime();
  if (left <= CODEX_REFRESH_WINDOW_MS) return { status: 'expired', expiresAt, lastRefresh };
  if (left <= OVERDUE_WARNING_MS) return { status: 'expiring', expiresAt, lastRefresh };
  return { status: 'valid', expiresAt, lastRefresh };
}

/** "in 5 hours", "in 3 days", "5 minutes ago": how far `then` is from `now`, roughly. */
export function relativeTime(then: Date, now: Date): string {
  const ms = then.getTime() - now.getTime();
  const abs = Math.abs(ms);
  const [count, unit] =
    abs >= 2 * DAY_MS
      ? [Math.floor(abs / DAY_MS), 'day']
      : abs >= 2 * HOUR_MS
        ? [Math.floor(abs / HOUR_MS), 'hour']
        : [Math.max(1, Math.floor(abs / 60_000)), 'minute'];
  const text = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

const since = (lastRefresh: Date | null): string =>
  lastRefresh ? `since ${isoSeconds(lastRefresh)}` : 'for as long as the copy can tell (it has no last_refresh)';

/**
 * The evidence for `access-token-expired`: when the copy expired and since when its keeper has not
 * refreshed it. Fixed text and times only: never a token.
 */
export function expiredCopyEvidence(check: { expiresAt: Date; lastRefresh: Date | null }, now: Date): string {
  const when =
    check.expiresAt.getTime() > now.getTime()
      ? `expires at ${isoSeconds(check.expiresAt)} (${relativeTime(check.expiresAt, now)}, within the 5 minutes in which codex would try to refresh it)`
      : `expired at ${isoSeconds(check.expiresAt)} (${relativeTime(check.expiresAt, now)})`;
  return `The access-only ChatGPT login in \`codex-auth-json\` ${when}; its keeper has not refreshed it ${since(check.lastRefresh)}.`;
}

/** The warning for a copy that expires within a day: the keeper is overdue. */
export function expiringCopyWarning(check: { expiresAt: Date; lastRefresh: Date | null }, now: Date): { title: string; message: string } {
  return {
    title: 'codex-reauth: the access-only ChatGPT login expires soon',
    message:
      `The access-only ChatGPT login in \`codex-auth-json\` expires at ${isoSeconds(check.expiresAt)} (${relativeTime(check.expiresAt, now)}); ` +
      `its keeper has not refreshed it ${since(check.lastRefresh)}, so the keeper is overdue. Check the keeper workflow's recent runs ` +
      `(its schedule may be disabled or failing) and run it by hand (workflow_dispatch): every job using this copy fails once it expires.`,
  };
}

/** A keeper's warning when the access token codex just got lives too short for one keeper run a day. */
export function shortLifetimeWarning(auth: AuthJson): { title: string; message: string } | null {
  const { expiresAt, issuedAt } = accessTokenTimes(auth);
  if (expiresAt === null) return null;
  const from = issuedAt ?? lastRefreshOf(auth);
  if (from === null || expiresAt.getTime() - from.getTime() >= SHORT_LIFETIME_MS) return null;
  const hours = Math.max(0, Math.round((expiresAt.getTime() - from.getTime()) / HOUR_MS));
  return {
    title: 'codex-reauth: access tokens live too short for a daily keeper',
    message:
      `The access token codex got lives ${hours} hours (until ${isoSeconds(expiresAt)}). A keeper that runs once a day cannot keep ` +
      `the access-only copies valid with a margin: schedule it more often (for instance every 6 hours).`,
  };
}

/**
 * The access-only copy of a full login, as the text to store: the same access token, id_token and
 * account, `"refresh_token": ""`, and `last_refresh` (when codex got this access token; `now` when the
 * login does not say). Nothing else from the login is copied: it may hold more than a consumer needs.
 *
 * Mode `chatgptAuthTokens` (externally managed tokens): codex 0.169 and 0.171 run with it and never call
 * the token endpoint, not even for an expired token, where `chatgpt` mode would send the empty refresh
 * token 4 times (codex-credentials-0.171.md §3). It needs an account id; a login with none anywhere
 * keeps `chatgpt` mode, which runs just as well while the token is valid.
 */
export function accessOnlyCopy(full: AuthJson, account: string | null, now: Date): string {
  const copy = {
    auth_mode: account ? 'chatgptAuthTokens' : 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      ...(typeof full.tokens.id_token === 'string' ? { id_token: full.tokens.id_token } : {}),
      access_token: full.tokens.access_token,
      refresh_token: '',
      ...(account ? { account_id: account } : {}),
    },
    last_refresh: (lastRefreshOf(full) ?? now).toISOString(),
  };
  return `${JSON.stringify(copy, null, 2)}\n`;
}

/** What a job does with the login in `codex-auth-json` before codex runs. */
export interface ConsumerSignIn {
  /** Refuse it (`access-token-expired`), with this evidence. */
  reject: string | null;
  /** A warning to give (the keeper is overdue), or a line for the log. */
  warning: { title: string; message: string } | null;
  info: string | null;
  /** The auth.json text to write for codex. */
  text: string;
}

/**
 * The check a job makes of `codex-auth-json` before codex runs. A full login is written as given. An
 * access-only copy is refused when expired (or inside codex's refresh window), warned about when it
 * expires within a day, and written in `chatgptAuthTokens` mode whatever mode it came in, so that codex
 * never tries to refresh it, not even once it has expired (see accessOnlyCopy). Pure.
 */
export function consumerSignIn(login: { parsed: AuthJson; text: string }, account: string | null, now: Date): ConsumerSignIn {
  const none = { reject: null, warning: null, info: null };
  if (loginShape(login.parsed) === 'full') return { ...none, text: login.text };
  const text = account ? `${JSON.stringify({ ...login.parsed, auth_mode: 'chatgptAuthTokens' }, null, 2)}\n` : login.text;
  const check = checkCopy(login.parsed, now);
  switch (check.status) {
    case 'expired':
      return { ...none, reject: expiredCopyEvidence(check, now), text };
    case 'expiring':
      return { ...none, warning: expiringCopyWarning(check, now), text };
    case 'valid':
      return {
        ...none,
        info: `The access-only ChatGPT login in \`codex-auth-json\` is valid until ${isoSeconds(check.expiresAt)} (${relativeTime(check.expiresAt, now)}).`,
        text,
      };
    case 'unknown':
      return {
        ...none,
        info: 'The access-only ChatGPT login in `codex-auth-json` states no expiry: it cannot be checked before codex runs.',
        text,
      };
  }
}

/**
 * The expiry for `access-token-expires-at` after a run with the ChatGPT login from `codex-auth-json`:
 * the access token auth.json holds now (codex may have refreshed it) when it is this login's, else the
 * given one's. Pure.
 */
export function chatgptExpiry(
  currentText: string | null,
  given: AuthJson,
  sameAccount: (a: AuthJson, b: AuthJson) => boolean,
): Date | null {
  if (currentText !== null) {
    try {
      const current = JSON.parse(currentText) as AuthJson;
      if (typeof current?.tokens?.access_token === 'string' && sameAccount(current, given)) {
        const { expiresAt } = accessTokenTimes(current);
        if (expiresAt) return expiresAt;
      }
    } catch {
      // not a login: the given one says it
    }
  }
  return accessTokenTimes(given).expiresAt;
}
