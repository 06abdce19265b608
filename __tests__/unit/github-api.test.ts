import { describe, expect, it } from '@jest/globals';
import { createGithubRequest, type FailedAnswer, failureOf, GithubApiError, isRateLimit, requestedWaitMs } from '../../src/github-api.js';

const answer = (status: number, headers: Record<string, string> = {}, message = ''): FailedAnswer => ({
  status,
  headers: new Headers(headers),
  message,
});

describe('what a failed answer is', () => {
  it.each([
    [answer(429), true],
    [answer(403, { 'x-ratelimit-remaining': '0' }), true],
    [answer(403, {}, 'You have exceeded a secondary rate limit. Please wait a few minutes.'), true],
    [answer(403, { 'x-ratelimit-remaining': '4999' }, 'Resource not accessible by integration'), false],
    [answer(404), false],
    [answer(500), false],
  ])('%j is a rate limit: %p', (a, expected) => {
    expect(isRateLimit(a)).toBe(expected);
  });

  it.each([
    [null, 'unavailable'],
    [answer(500), 'unavailable'],
    [answer(502), 'unavailable'],
    [answer(429), 'rate-limited'],
    [answer(403, { 'x-ratelimit-remaining': '0' }), 'rate-limited'],
    [answer(401), 'bad-credentials'],
    [answer(403), 'forbidden'],
    [answer(404), 'forbidden'],
    [answer(410), 'gone'],
    [answer(422), 'rejected'],
    [answer(400), 'rejected'],
  ] as const)('%j fails as %p', (a, failure) => {
    expect(failureOf(a)).toBe(failure);
  });

  it.each([
    [answer(429, { 'retry-after': '7' }), 7000],
    [answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1030' }), 30_000],
    [answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '900' }), 0],
    // A reset time without the limit spent is not a request to wait.
    [answer(403, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1030' }), null],
    [answer(429, { 'retry-after': 'soon' }), null],
    [answer(502), null],
  ])('%j asks for a wait of %p ms', (a, ms) => {
    expect(requestedWaitMs(a, 1_000_000)).toBe(ms);
  });
});

/** A fetch that answers from a script, one entry per request; records what it was asked. */
function scriptedFetch(script: Array<{ status: number; body?: unknown; headers?: Record<string, string> } | 'network'>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const step = script.shift();
    if (!step) throw new Error('no more answers scripted');
    if (step === 'network') throw new TypeError('fetch failed');
    return new Response(step.body === undefined ? null : JSON.stringify(step.body), { status: step.status, headers: step.headers });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

function client(script: Parameters<typeof scriptedFetch>[0], extra: Record<string, unknown> = {}) {
  const { fetch, calls } = scriptedFetch(script);
  const waits: number[] = [];
  const retries: string[] = [];
  const request = createGithubRequest({
    token: 'ghs_secrettoken123',
    apiUrl: 'https://api.example.test/',
    fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    onRetry: (m) => retries.push(m),
    now: () => 1_000_000,
    ...extra,
  });
  return { request, calls, waits, retries };
}

async function failure(promise: Promise<unknown>): Promise<GithubApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GithubApiError) return error;
    throw error;
  }
  throw new Error('the request did not fail');
}

describe('createGithubRequest', () => {
  it('sends JSON with the token in the Authorization header only, to the API base without a doubled slash', async () => {
    const c = client([{ status: 201, body: { number: 3 } }]);
    const response = await c.request<{ number: number }>('open an issue', 'POST', '/repos/o/r/issues', { title: 't' });
    expect(response).toEqual({ status: 201, data: { number: 3 } });
    expect(c.calls[0].url).toBe('https://api.example.test/repos/o/r/issues');
    const headers = c.calls[0].init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer ghs_secrettoken123');
    expect(headers['content-type']).toBe('application/json');
    expect(c.calls[0].init.body).toBe('{"title":"t"}');
    expect(c.calls[0].url).not.toContain('ghs_');
  });

  it('retries 5xx and no answer with doubling waits, then succeeds', async () => {
    const c = client([{ status: 502 }, 'network', { status: 503 }, { status: 200, body: [] }]);
    await expect(c.request('list the open issues', 'GET', '/x')).resolves.toEqual({ status: 200, data: [] });
    expect(c.waits).toEqual([1000, 2000, 4000]);
    expect(c.retries[0]).toBe('Could not list the open issues (HTTP 502); retrying in 1 s (retry 1 of 3).');
    expect(c.retries[1]).toContain('(no answer)');
  });

  it('gives up after the retries with the failure, the status and how many tries', async () => {
    const c = client([{ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }]);
    const error = await failure(c.request('open an issue', 'POST', '/x', {}));
    expect(error.failure).toBe('unavailable');
    expect(error.status).toBe(502);
    expect(error.message).toBe('Could not open an issue: HTTP 502, after 4 tries.');
    expect(c.calls).toHaveLength(4);
  });

  it('waits as long as a rate limit asks when that is short', async () => {
    const c = client([
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 200, body: {} },
    ]);
    await c.request('comment on the issue', 'POST', '/x', {});
    expect(c.waits).toEqual([3000]);
  });

  it('gives up at once on a rate limit that asks for longer than the longest wait, without sleeping', async () => {
    const c = client([{ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1000 + 3600) } }]);
    const error = await failure(c.request('list the open issues', 'GET', '/x'));
    expect(error.failure).toBe('rate-limited');
    expect(error.message).toContain('GitHub asked to wait 3600 s');
    expect(c.waits).toEqual([]);
    expect(c.calls).toHaveLength(1);
  });

  it.each([
    [401, 'bad-credentials'],
    [403, 'forbidden'],
    [404, 'forbidden'],
    [410, 'gone'],
    [422, 'rejected'],
  ] as const)('does not retry %p (%p), and keeps the accepted permissions', async (status, failureKind) => {
    const c = client([{ status, body: { message: 'Nope' }, headers: { 'x-accepted-github-permissions': 'issues=write' } }]);
    const error = await failure(c.request('open an issue', 'POST', '/x', {}));
    expect(error.failure).toBe(failureKind);
    expect(error.acceptedPermissions).toBe('issues=write');
    expect(error.message).toBe(`Could not open an issue: HTTP ${status} "Nope".`);
    expect(c.calls).toHaveLength(1);
  });

  it('counts a request past its time limit as no answer', async () => {
    const fetch = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
      })) as unknown as typeof globalThis.fetch;
    const request = createGithubRequest({ token: 't', apiUrl: 'https://x.test', fetch, retries: 0, requestTimeoutMs: 20 });
    const error = await failure(request('list the open issues', 'GET', '/x'));
    expect(error.failure).toBe('unavailable');
    expect(error.status).toBeNull();
    expect(error.message).toBe('Could not list the open issues: no answer within 0.02 s, after 1 try.');
  });
});
