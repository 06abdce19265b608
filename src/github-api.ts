/**
 * One way to call GitHub's REST API for the action's small clients: a JSON request with the token in
 * the Authorization header only, a time limit per request, a few retries with short bounded waits for
 * 5xx, rate limits and no answer, and a typed error that says which request failed for good and why
 * (a refused permission, a rate limit, a server error). Plain `fetch`: nothing is loaded for it.
 *
 * The retry rules (`isRetryableStatus`, `backoffMs`) are the ones github-secrets.ts uses, imported
 * from there so that both clients retry alike.
 */
import { backoffMs, isRetryableStatus } from './github-secrets.js';

/** Why a request failed for good. */
export type GithubFailure =
  /** 401: the token is invalid, expired or revoked. */
  | 'bad-credentials'
  /** 403 (not a rate limit) or 404: the token lacks a permission, or cannot see the resource. */
  | 'forbidden'
  /** 410: the feature is switched off (issues disabled in the repository). */
  | 'gone'
  /** 429, or 403 with the rate limit spent, after the retries (or asking for a wait too long to hold the job). */
  | 'rate-limited'
  /** 5xx or no answer (network, time limit), after the retries. */
  | 'unavailable'
  /** Any other answer (400, 422…): retrying would get the same. */
  | 'rejected';

/** A request that failed for good. The message never holds the token. */
export class GithubApiError extends Error {
  constructor(
    message: string,
    readonly failure: GithubFailure,
    /** The HTTP status, or null when no answer came. */
    readonly status: number | null,
    /** What the request was for, in words: "open the issue". */
    readonly operation: string,
    /** GitHub's `x-accepted-github-permissions` header, e.g. `issues=write`, when it sent one. */
    readonly acceptedPermissions: string | null = null,
  ) {
    super(message);
    this.name = 'GithubApiError';
  }
}

export interface GithubRequestOptions {
  token: string;
  /** The REST API base, `GITHUB_API_URL`. */
  apiUrl: string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1): jitter for the backoff. */
  random?: () => number;
  /** Retries after the first try (default 3: four tries). */
  retries?: number;
  /** First backoff; doubles each retry (default 1000 ms). */
  baseDelayMs?: number;
  /**
   * The longest single wait. A rate limit that asks for longer (`retry-after`, `x-ratelimit-reset`)
   * is given up at once: holding a job for an hour to file an issue costs more than the issue is worth.
   */
  maxWaitMs?: number;
  /** A request that has not answered by then counts as no answer (default 15 s). */
  requestTimeoutMs?: number;
  /** Told about each retry (no secret in it). */
  onRetry?: (message: string) => void;
  /** Now, for `x-ratelimit-reset` (default Date.now). */
  now?: () => number;
}

export interface GithubResponse<T = unknown> {
  status: number;
  data: T;
}

/** One request: `path` is relative to the API base and already holds its query string. */
export type GithubRequest = <T = unknown>(
  operation: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<GithubResponse<T>>;

/** What a failed answer says, as far as retrying and explaining need. */
export interface FailedAnswer {
  status: number;
  headers: { get(name: string): string | null };
  /** GitHub's `message`, when the body had one. */
  message: string;
}

/**
 * A rate limit: 429, or a 403 that GitHub sends when the primary limit is spent
 * (`x-ratelimit-remaining: 0`) or for a secondary limit (its message says "rate limit").
 */
export function isRateLimit(answer: FailedAnswer): boolean {
  if (answer.status === 429) return true;
  if (answer.status !== 403) return false;
  return answer.headers.get('x-ratelimit-remaining') === '0' || /rate limit/i.test(answer.message);
}

/**
 * How long GitHub asks us to wait before the next try, in ms, or null when it does not say:
 * `retry-after` (seconds), else `x-ratelimit-reset` (epoch seconds) when the limit is spent.
 */
export function requestedWaitMs(answer: FailedAnswer, now: number): number | null {
  const retryAfter = answer.headers.get('retry-after');
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
  const reset = answer.headers.get('x-ratelimit-reset');
  if (answer.headers.get('x-ratelimit-remaining') === '0' && reset !== null && /^\d+$/.test(reset.trim())) {
    return Math.max(0, Number(reset.trim()) * 1000 - now);
  }
  return null;
}

/** Which failure an answer is, before retries are counted. */
export function failureOf(answer: FailedAnswer | null): GithubFailure {
  if (answer === null) return 'unavailable';
  if (isRateLimit(answer)) return 'rate-limited';
  if (answer.status === 401) return 'bad-credentials';
  if (answer.status === 403 || answer.status === 404) return 'forbidden';
  if (answer.status === 410) return 'gone';
  if (isRetryableStatus(answer.status)) return 'unavailable';
  return 'rejected';
}

function messageOf(data: unknown): string {
  if (typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string')
    return (data as { message: string }).message;
  return '';
}

function describeAnswer(answer: FailedAnswer | null, cause: string): string {
  if (answer === null) return cause;
  return `HTTP ${answer.status}${answer.message ? ` ${JSON.stringify(answer.message.slice(0, 200))}` : ''}`;
}

/** Creates the request function for one token and API base. */
export function createGithubRequest(options: GithubRequestOptions): GithubRequest {
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const retries = options.retries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const now = options.now ?? Date.now;
  const base = options.apiUrl.trim().replace(/\/+$/, '');

  return async function request<T>(operation: string, method: string, path: string, body?: unknown): Promise<GithubResponse<T>> {
    for (let retry = 0; ; retry++) {
      let answer: FailedAnswer | null = null;
      let cause = '';
      try {
        const response = await doFetch(`${base}${path}`, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${options.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'codex-reauth',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        let data: unknown = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch {
          data = null;
        }
        if (response.ok) return { status: response.status, data: data as T };
        answer = { status: response.status, headers: response.headers, message: messageOf(data) };
      } catch (error) {
        // No answer: refused, reset, or past the time limit. The error never holds the token.
        // (An abort's reason is a DOMException, which may come from another realm: read its name, not its class.)
        const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
        cause =
          name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : `no answer (${typeof message === 'string' && message ? message : 'network error'})`;
      }
      const failure = failureOf(answer);
      const transient = failure === 'unavailable' || failure === 'rate-limited';
      const asked = answer ? requestedWaitMs(answer, now()) : null;
      const wait = asked ?? backoffMs(retry, baseDelayMs, random);
      if (transient && retry < retries && wait <= maxWaitMs) {
        options.onRetry?.(
          `Could not ${operation} (${answer ? `HTTP ${answer.status}` : 'no answer'}); retrying in ${Math.round(wait / 100) / 10} s (retry ${retry + 1} of ${retries}).`,
        );
        await sleep(wait);
        continue;
      }
      const tries = retry + 1;
      const after =
        transient && wait > maxWaitMs && retry < retries
          ? `; GitHub asked to wait ${Math.ceil(wait / 1000)} s, longer than is worth holding the job for`
          : `, after ${tries} ${tries === 1 ? 'try' : 'tries'}`;
      throw new GithubApiError(
        `Could not ${operation}: ${describeAnswer(answer, cause)}${transient ? after : ''}.`,
        failure,
        answer?.status ?? null,
        operation,
        answer?.headers.get('x-accepted-github-permissions') ?? null,
      );
    }
  } as GithubRequest;
}
