// The issues client against the loopback stand-in of GitHub's issues API: what it asks, what it
// finds, and how a refused permission, switched-off issues, 5xx and rate limits come out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GithubApiError } from '../../src/github-api.js';
import { createIssuesClient, explainIssuesFailure, IssuesApiError, type IssuesClient } from '../../src/github-issues.js';
import { type GithubIssuesStandin, startGithubIssuesStandin } from '../../test-support/github-issues-standin.js';

const MARK = 'codex-reauth-tracking-key:';

let gh: GithubIssuesStandin;
let waits: number[];

beforeAll(async () => {
  gh = await startGithubIssuesStandin({ repository: 'octo/app' });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  waits = [];
  gh.requests.length = 0;
});

function clientFor(token: string, env: NodeJS.ProcessEnv = {}): IssuesClient {
  return createIssuesClient({
    token,
    apiUrl: gh.url,
    repository: gh.repository,
    env,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    baseDelayMs: 5,
  });
}

async function rejection(promise: Promise<unknown>): Promise<IssuesApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IssuesApiError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('issues client against the stand-in', () => {
  it('opens, finds by marker, comments on and closes an issue', async () => {
    const client = clientFor(gh.token({ issues: 'write' }));
    const opened = await client.open('codex-reauth: dead key', `What died…\n\n<sub>${MARK} \`openai-api-key\`</sub>`);
    expect(opened.url).toBe(`${gh.url}/octo/app/issues/${opened.number}`);
    expect((await client.findOpen(MARK)).map((i) => i.number)).toContain(opened.number);

    await client.comment(opened.number, 'Rejected again.');
    await client.close(opened.number, 'Accepted: closing.');
    const stored = gh.issues().find((i) => i.number === opened.number)!;
    expect(stored).toMatchObject({ state: 'closed', state_reason: 'completed', comments: ['Rejected again.', 'Accepted: closing.'] });
    expect((await client.findOpen(MARK)).map((i) => i.number)).not.toContain(opened.number);
  });

  it('finds with two requests: the newest open issues, and a search for the marker', async () => {
    await clientFor(gh.token({ issues: 'read' })).findOpen(MARK);
    expect(gh.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/repos/octo/app/issues'],
      ['GET', '/search/issues'],
    ]);
    expect(gh.requests[0].query).toMatchObject({ state: 'open', sort: 'created', direction: 'desc', per_page: '100' });
    expect(gh.requests[1].query.q).toBe(`repo:octo/app is:issue is:open in:body "${MARK}"`);
  });

  it('finds an old issue past the newest 100 through search, and a new one search has not indexed through the list', async () => {
    const lagging = await startGithubIssuesStandin({ repository: 'octo/lag', searchLag: true });
    try {
      const old = lagging.addIssue({ title: 'old', body: `x ${MARK} \`codex-auth-json\`` });
      for (let i = 0; i < 120; i++) lagging.addIssue({ title: `noise ${i}`, body: `mentions ${MARK.slice(0, 12)} only` });
      const client = createIssuesClient({ token: lagging.token({ issues: 'write' }), apiUrl: lagging.url, repository: 'octo/lag' });
      const fresh = await client.open('new', `y ${MARK} \`openai-api-key\``);
      // search has not seen `fresh`; the list of the newest 100 has not reached `old`
      const found = await client.findOpen(MARK);
      expect(found.map((i) => i.number)).toEqual([old, fresh.number]);
    } finally {
      await lagging.close();
    }
  });

  it('leaves out pull requests, closed issues and issues without the marker', async () => {
    const client = clientFor(gh.token({ issues: 'write' }));
    const pr = gh.addIssue({ body: `${MARK} \`openai-api-key\``, pullRequest: true });
    const closed = gh.addIssue({ body: `${MARK} \`openai-api-key\``, state: 'closed' });
    const other = gh.addIssue({ body: 'nothing to do with it' });
    const numbers = (await client.findOpen(MARK)).map((i) => i.number);
    expect(numbers).not.toEqual(expect.arrayContaining([pr]));
    expect(numbers).not.toContain(closed);
    expect(numbers).not.toContain(other);
  });

  it('a read-only token (a pull request from a fork, Dependabot) can look but not open: the error names github-token and issues: write', async () => {
    const token = gh.token({ issues: 'read' });
    const client = clientFor(token, { GITHUB_TOKEN: token });
    await expect(client.findOpen(MARK)).resolves.toBeDefined();
    const error = await rejection(client.open('t', 'b'));
    expect(error.problem).toBe('permission');
    expect(error.status).toBe(403);
    expect(error.message).toContain('`github-token` may not read or write issues in octo/app (403)');
    expect(error.message).toContain('GitHub says this request needs: issues=write');
    expect(error.message).toContain('Add `issues: write` to the job');
    expect(error.message).toContain('pull requests from forks and in Dependabot runs');
    expect(error.message).not.toContain(token);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('a token without any issues permission fails at the first request', async () => {
    const error = await rejection(clientFor(gh.token({ issues: 'none' })).findOpen(MARK));
    expect(error.problem).toBe('permission');
    expect(gh.requests).toHaveLength(1);
  });

  it('a fine-grained token is told the permission by its fine-grained name', async () => {
    const error = await rejection(clientFor(gh.token({ issues: 'read', kind: 'pat' })).comment(1, 'x'));
    expect(error.message).toContain('"Issues: Read and write"');
    expect(error.message).not.toContain('permissions:');
  });

  it('an unknown token is named as invalid', async () => {
    const error = await rejection(clientFor('ghs_not_a_token_of_this_standin').findOpen(MARK));
    expect(error.problem).toBe('permission');
    expect(error.message).toContain('GitHub refused `github-token` as invalid, expired or revoked');
  });

  it('switched-off issues (410) say how to turn them on or the tracking off', async () => {
    gh.setIssuesEnabled(false);
    try {
      const error = await rejection(clientFor(gh.token({ issues: 'write' })).open('t', 'b'));
      expect(error.problem).toBe('disabled');
      expect(error.message).toContain('issues are turned off in octo/app');
      expect(error.message).toContain('`report-issues: false`');
    } finally {
      gh.setIssuesEnabled(true);
    }
  });

  it.each([
    [502, 429, 'rate-limit', [502, 429, 403, 201]],
    ['reset', 500, 'reset', ['reset', 500, 'reset', 201]],
  ] as const)('retries %p, %p, %p (three tries), then succeeds', async (a, b, c, statuses) => {
    const client = clientFor(gh.token({ issues: 'write' }));
    for (const status of [a, b, c]) gh.failNext(1, { method: 'POST', status });
    const issue = await client.open('after trouble', 'b');
    expect(gh.issues().find((i) => i.number === issue.number)).toBeDefined();
    expect(gh.requests.map((r) => r.status)).toEqual(statuses);
    expect(waits).toHaveLength(3);
  });

  it('gives up on lasting 5xx after four tries, as unavailable', async () => {
    gh.failNext(4, { method: 'POST', status: 503 });
    const error = await rejection(clientFor(gh.token({ issues: 'write' })).open('t', 'b'));
    expect(error.problem).toBe('unavailable');
    expect(error.message).toBe(
      'Could not open an issue: HTTP 503 "Server Error", after 4 tries. GitHub\'s API is busy or out of reach; the next run that finds a dead credential tries again.',
    );
    expect(gh.requests).toHaveLength(4);
  });

  it('a rate limit that resets in an hour is given up at once', async () => {
    gh.failNext(1, { method: 'GET', status: 'rate-limit', resetSeconds: 3600 });
    const error = await rejection(clientFor(gh.token({ issues: 'write' })).findOpen(MARK));
    expect(error.problem).toBe('unavailable');
    expect(gh.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('a search that keeps failing leaves the list of newest issues to go on', async () => {
    const client = clientFor(gh.token({ issues: 'write' }));
    const issue = await client.open('t', `${MARK} \`openai-api-key\``);
    gh.failNext(4, { path: '/search/', status: 500 });
    expect((await client.findOpen(MARK)).map((i) => i.number)).toContain(issue.number);
  });
});

describe('explainIssuesFailure', () => {
  const err = (failure: GithubApiError['failure'], status: number | null, accepted: string | null = null) =>
    new GithubApiError('Could not open an issue: HTTP x.', failure, status, 'open an issue', accepted);

  it.each([
    ['forbidden', 403, 'github-token', 'permission', 'Add `issues: write` to the job'],
    ['forbidden', 404, 'installation', 'permission', 'Add `issues: write` to the job'],
    ['forbidden', 403, 'classic', 'permission', '"Issues: Read and write"'],
    ['bad-credentials', 401, 'other', 'permission', 'invalid, expired or revoked'],
    ['gone', 410, 'github-token', 'disabled', 'issues are turned off'],
    ['rate-limited', 429, 'github-token', 'unavailable', 'the next run that finds a dead credential tries again'],
    ['unavailable', null, 'github-token', 'unavailable', 'busy or out of reach'],
    ['rejected', 422, 'github-token', 'rejected', 'Could not open an issue: HTTP x.'],
  ] as const)('%s %p with a %s token: %s, %p', (failure, status, kind, problem, text) => {
    const explained = explainIssuesFailure(err(failure, status), 'octo/app', kind);
    expect(explained.problem).toBe(problem);
    expect(explained.message).toContain(text);
    // what happened comes first, then the fix
    expect(explained.message.startsWith('Could not open an issue')).toBe(true);
  });
});
