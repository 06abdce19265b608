// A loopback stand-in for the part of GitHub's REST API that tracking issues use: list a repository's
// open issues, search issues (`repo:`, `is:issue`, `is:open`, `in:body` and one quoted phrase), open an
// issue, comment on one, close one (PATCH state). Each token gets an `issues` permission (`none`,
// `read`, `write`): a request it does not allow answers 403 "Resource not accessible by integration"
// with `x-accepted-github-permissions`, as GitHub does for a workflow's read-only GITHUB_TOKEN.
// Chosen requests can be made to fail (5xx, 429, a spent rate limit, a dropped connection), search can
// lag behind (GitHub indexes new issues after a while), and issues can be turned off (410). Loopback
// only; used by the tests.
//
//   const gh = await startGithubIssuesStandin({ repository: 'octo/app' });
//   const token = gh.token({ issues: 'write' });
//   gh.failNext(2, { method: 'POST', status: 502 });   // the next two POSTs answer 502
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const LEVELS = { none: 0, read: 1, write: 2 };

/**
 * Starts the stand-in on a free loopback port.
 * @param {{ repository?: string, searchLag?: boolean, issuesEnabled?: boolean }} [options]
 *   searchLag: new issues are not found by search until `indexSearch()` is called.
 */
export async function startGithubIssuesStandin(options = {}) {
  const repository = options.repository ?? 'octo/app';
  let issuesEnabled = options.issuesEnabled ?? true;
  /** number -> { number, title, body, state, state_reason, comments: string[], searchable, pull_request? } */
  const issues = new Map();
  let nextNumber = 1;
  const tokens = new Map();
  /** Every request: { method, path, query, status, body }. */
  const requests = [];
  const failures = [];
  let url = '';

  const view = (issue) => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason,
    html_url: `${url}/${repository}/issues/${issue.number}`,
    ...(issue.pull_request ? { pull_request: { url: `${url}/${repository}/pull/${issue.number}` } } : {}),
  });

  /** GitHub's search syntax, as far as the client uses it. */
  function matchesQuery(issue, q) {
    const phrase = /"([^"]*)"/.exec(q)?.[1] ?? null;
    const rest = q.replace(/"[^"]*"/g, ' ');
    for (const term of rest.split(/\s+/).filter(Boolean)) {
      if (term.startsWith('repo:')) {
        if (term.slice(5) !== repository) return false;
      } else if (term === 'is:issue') {
        if (issue.pull_request) return false;
      } else if (term === 'is:open') {
        if (issue.state !== 'open') return false;
      } else if (term === 'in:body') {
        // where the phrase must be: checked below
      } else if (!issue.body.includes(term) && !issue.title.includes(term)) return false;
    }
    return phrase === null || issue.body.includes(phrase);
  }

  function handle(req, res, raw) {
    const parsed = new URL(req.url, 'http://127.0.0.1');
    const record = { method: req.method, path: parsed.pathname, query: Object.fromEntries(parsed.searchParams), status: 0, body: null };
    try {
      record.body = raw ? JSON.parse(raw) : null;
    } catch {
      record.body = raw;
    }
    requests.push(record);
    const reply = (status, payload, headers = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    const failure = failures.find(
      (f) => f.remaining > 0 && (!f.method || f.method === req.method) && (!f.path || parsed.pathname.includes(f.path)),
    );
    if (failure) {
      failure.remaining -= 1;
      if (failure.status === 'reset') {
        record.status = 'reset';
        return req.socket.destroy();
      }
      if (failure.status === 'rate-limit') {
        // The primary rate limit spent: 403 with x-ratelimit-remaining 0 and the reset time.
        return reply(
          403,
          { message: 'API rate limit exceeded for installation.' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (failure.resetSeconds ?? 0)) },
        );
      }
      if (failure.status === 429) return reply(429, { message: 'Too Many Requests' }, { 'retry-after': String(failure.retryAfter ?? 0) });
      return reply(failure.status, { message: 'Server Error' });
    }

    const header = req.headers.authorization ?? '';
    const token = /^(?:Bearer|token) (.+)$/.exec(header)?.[1] ?? '';
    const grant = tokens.get(token);
    if (!grant) return reply(401, { message: 'Bad credentials', status: '401' });
    const needed = req.method === 'GET' ? 'read' : 'write';
    const forbidden = () =>
      reply(
        403,
        { message: 'Resource not accessible by integration', status: '403' },
        { 'x-accepted-github-permissions': `issues=${needed}` },
      );

    if (parsed.pathname === '/search/issues' && req.method === 'GET') {
      if (LEVELS[grant.issues] < LEVELS.read) return forbidden();
      const q = parsed.searchParams.get('q') ?? '';
      const items = [...issues.values()].filter((i) => i.searchable && matchesQuery(i, q)).map(view);
      return reply(200, {
        total_count: items.length,
        incomplete_results: false,
        items: items.slice(0, Number(parsed.searchParams.get('per_page') ?? 30)),
      });
    }

    const prefix = `/repos/${repository}/issues`;
    if (!parsed.pathname.startsWith(prefix)) return reply(404, { message: 'Not Found' });
    if (!issuesEnabled) return reply(410, { message: 'Issues are disabled for this repo' });
    if (LEVELS[grant.issues] < LEVELS[needed]) return forbidden();
    const rest = parsed.pathname.slice(prefix.length).split('/').filter(Boolean);

    if (rest.length === 0 && req.method === 'GET') {
      const state = parsed.searchParams.get('state') ?? 'open';
      const perPage = Number(parsed.searchParams.get('per_page') ?? 30);
      const direction = parsed.searchParams.get('direction') ?? 'desc';
      let list = [...issues.values()].filter((i) => state === 'all' || i.state === state);
      list.sort((a, b) => (direction === 'desc' ? b.number - a.number : a.number - b.number));
      list = list.slice(0, perPage);
      return reply(200, list.map(view));
    }
    if (rest.length === 0 && req.method === 'POST') {
      const body = record.body ?? {};
      if (typeof body.title !== 'string' || body.title === '') return reply(422, { message: 'Validation Failed' });
      const issue = {
        number: nextNumber++,
        title: body.title,
        body: typeof body.body === 'string' ? body.body : '',
        state: 'open',
        state_reason: null,
        comments: [],
        searchable: !options.searchLag,
      };
      issues.set(issue.number, issue);
      return reply(201, view(issue));
    }
    const issue = issues.get(Number(rest[0]));
    if (!issue) return reply(404, { message: 'Not Found' });
    if (rest.length === 2 && rest[1] === 'comments' && req.method === 'POST') {
      const body = record.body ?? {};
      if (typeof body.body !== 'string' || body.body === '') return reply(422, { message: 'Validation Failed' });
      issue.comments.push(body.body);
      return reply(201, { id: issue.comments.length, body: body.body });
    }
    if (rest.length === 1 && req.method === 'PATCH') {
      const body = record.body ?? {};
      if (body.state === 'closed' || body.state === 'open') {
        issue.state = body.state;
        issue.state_reason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
      }
      return reply(200, view(issue));
    }
    return reply(404, { message: 'Not Found' });
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    repository,
    requests,
    /** A new token with this `issues` permission: `none`, `read` or `write`. `kind`: `app` (ghs_) or `pat` (github_pat_). */
    token({ issues: level = 'write', kind = 'app' } = {}) {
      const value = `${kind === 'pat' ? 'github_pat_' : 'ghs_'}${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
      tokens.set(value, { issues: level });
      return value;
    },
    /** Every issue, pull requests included, oldest first: { number, title, body, state, state_reason, comments }. */
    issues() {
      return [...issues.values()].map((i) => ({ ...i, comments: [...i.comments] }));
    },
    /** Adds an issue (or, with `pullRequest`, a pull request) as a person would have opened it. */
    addIssue({ title = 'An issue', body = '', state = 'open', pullRequest = false } = {}) {
      const issue = {
        number: nextNumber++,
        title,
        body,
        state,
        state_reason: null,
        comments: [],
        searchable: true,
        pull_request: pullRequest,
      };
      issues.set(issue.number, issue);
      return issue.number;
    },
    /** Search catches up with every issue opened so far. */
    indexSearch() {
      for (const issue of issues.values()) issue.searchable = true;
    },
    setIssuesEnabled(enabled) {
      issuesEnabled = enabled;
    },
    /**
     * The next `count` requests (of `method`, with `path` in their path, if given) fail: `status` a 5xx,
     * 429 (with `retryAfter` seconds), `'rate-limit'` (403 with the limit spent, reset in `resetSeconds`)
     * or `'reset'` (the connection dropped).
     */
    failNext(count, { method = null, path = null, status = 502, retryAfter = 0, resetSeconds = 0 } = {}) {
      failures.push({ remaining: count, method, path, status, retryAfter, resetSeconds });
    },
    /** GITHUB_API_URL and GITHUB_REPOSITORY for a step that talks to this stand-in. */
    env() {
      return { GITHUB_API_URL: url, GITHUB_REPOSITORY: repository };
    },
    /** Every token made (for leak checks). */
    issued() {
      return [...tokens.keys()];
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
