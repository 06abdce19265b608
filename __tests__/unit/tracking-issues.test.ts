// Tracking issues from one run's records to the issues API (the loopback stand-in): open, comment,
// close, one warning when the token may not write issues, and no request when there is nothing to look at.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { attemptRecord } from '../../test-support/attempt-record.js';
import type { AttemptRecord } from '../../src/report.js';
import type { SecretCredential } from '../../src/recovery.js';
import {
  givenCredentials,
  issueTokenToMask,
  readIssueSettings,
  type TrackedRun,
  trackCredentials,
  type TrackingDependencies,
} from '../../src/tracking-issues.js';
import { InputError } from '../../src/input-error.js';
import { credentialInBody } from '../../src/tracking-issues-text.js';
import { type GithubIssuesStandin, startGithubIssuesStandin } from '../../test-support/github-issues-standin.js';

const SECRET_KEY = 'sk-proj-secretsecretsecretsecret';
const rec = attemptRecord;

/** A run's end as main hands it over: records, how it ended, the credentials given. */
function tracked(
  records: AttemptRecord[],
  finalKind: AttemptRecord['kind'],
  secrets: SecretCredential[],
  inputs: Record<string, string> = {},
): TrackedRun {
  const recovered = finalKind === 'none' && records.some((r) => r.kind !== 'none');
  return { records, finalKind, recovered, settings: { secrets, codexHome: '/home/runner/.codex' }, getInput: (name) => inputs[name] ?? '' };
}

let gh: GithubIssuesStandin;
let log: { info: string[]; warnings: Array<{ message: string; title?: string }> };

beforeAll(async () => {
  gh = await startGithubIssuesStandin({ repository: 'octo/app' });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  log = { info: [], warnings: [] };
});

function deps(): TrackingDependencies {
  return {
    core: { info: (m) => log.info.push(m), warning: (message, p) => log.warnings.push({ message, title: p?.title }) },
    env: { GITHUB_REPOSITORY: 'octo/app', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com', GITHUB_WORKFLOW: 'codex' },
    redact: (text) => text.split(SECRET_KEY).join('***'),
    now: () => Date.UTC(2026, 11, 7),
    clientOptions: { sleep: async () => {}, baseDelayMs: 1 },
  };
}

const settings = (token: string) => ({ token, apiUrl: gh.url, repository: 'octo/app' });
const recovered = tracked([rec(1, 'chatgpt', 'refresh-token-reused', `already used ${SECRET_KEY}`), rec(2, 'api-key', 'none')], 'none', [
  'chatgpt',
  'api-key',
]);
const healthyLogin = tracked([rec(1, 'chatgpt', 'none')], 'none', ['chatgpt', 'api-key']);
const openAbout = (input: string) => gh.issues().filter((i) => i.state === 'open' && credentialInBody(i.body)?.input === input);

describe('trackCredentials', () => {
  it('a recovered run opens one issue; a second comments on it; a healthy run closes it', async () => {
    const token = gh.token({ issues: 'write' });
    await trackCredentials(settings(token), recovered, deps());
    expect(openAbout('codex-auth-json')).toHaveLength(1);
    const [issue] = openAbout('codex-auth-json');
    expect(issue.title).toBe('codex-reauth: the credential in codex-auth-json was rejected');
    expect(issue.body).toContain('https://github.com/octo/app/actions/runs/7');
    expect(issue.body).not.toContain(SECRET_KEY);

    await trackCredentials(settings(token), recovered, deps());
    expect(openAbout('codex-auth-json')).toHaveLength(1);
    expect(gh.issues().find((i) => i.number === issue.number)!.comments).toHaveLength(1);
    expect(gh.issues().find((i) => i.number === issue.number)!.comments[0]).toContain('Rejected again');

    await trackCredentials(settings(token), healthyLogin, deps());
    expect(openAbout('codex-auth-json')).toHaveLength(0);
    const closed = gh.issues().find((i) => i.number === issue.number)!;
    expect(closed.state).toBe('closed');
    expect(closed.comments.at(-1)).toContain('codex accepted it');
    expect(log.warnings).toEqual([]);
  });

  it('a failed run with two dead credentials opens one issue for each', async () => {
    const before = gh.issues().length;
    await trackCredentials(
      settings(gh.token({ issues: 'write' })),
      tracked(
        [rec(1, 'chatgpt', 'refresh-token-expired'), rec(2, 'api-key', 'api-key-invalid')],
        'api-key-invalid',
        ['chatgpt', 'api-key'],
        {
          'auth-json-secret': 'TWO_DEAD',
        },
      ),
      deps(),
    );
    const made = gh.issues().slice(before);
    expect(made.map((i) => i.title)).toEqual([
      'codex-reauth: the credential in codex-auth-json (secret TWO_DEAD) was rejected',
      'codex-reauth: the credential in openai-api-key was rejected',
    ]);
    // clean up for the other tests: a healthy run with the key closes its issue
    await trackCredentials(settings(gh.token({ issues: 'write' })), tracked([rec(1, 'api-key', 'none')], 'none', ['api-key']), deps());
    expect(openAbout('openai-api-key')).toHaveLength(0);
  });

  it('a read-only token gives one warning naming github-token and issues: write, and nothing else happens', async () => {
    const before = gh.issues().length;
    const result = await trackCredentials(settings(gh.token({ issues: 'read' })), recovered, deps());
    expect('warned' in result).toBe(true);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0].title).toBe('codex-reauth: tracking issue not updated');
    expect(log.warnings[0].message).toContain('`github-token` may not read or write issues');
    expect(log.warnings[0].message).toContain('`issues: write`');
    expect(log.warnings[0].message).toMatch(/The run's outcome does not depend on it\.$/);
    expect(gh.issues()).toHaveLength(before);
  });

  it('lasting 5xx: a few tries, then one warning', async () => {
    gh.requests.length = 0;
    gh.failNext(4, { method: 'GET', path: '/repos/', status: 502 });
    await trackCredentials(settings(gh.token({ issues: 'write' })), recovered, deps());
    expect(gh.requests).toHaveLength(4);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0].message).toContain('after 4 tries');
  });

  it('no request when no credential given was accepted or rejected', async () => {
    gh.requests.length = 0;
    const cases: TrackedRun[] = [
      tracked([rec(1, 'cached', 'none')], 'none', ['chatgpt']),
      tracked([rec(1, 'api-key', 'other')], 'other', ['api-key']),
      tracked([rec(1, 'api-key', 'timeout')], 'timeout', ['api-key']),
      tracked([rec(1, 'api-key', 'api-key-invalid')], 'cancelled', ['api-key']),
      tracked([rec(1, 'env', 'api-key-invalid')], 'api-key-invalid', ['api-key']),
      tracked([], 'other', []),
    ];
    for (const run of cases) await trackCredentials(settings(gh.token({ issues: 'write' })), run, deps());
    expect(gh.requests).toEqual([]);
    expect(log.warnings).toEqual([]);
  });

  it('an empty github-token is one warning, with no request', async () => {
    gh.requests.length = 0;
    await trackCredentials(settings(''), recovered, deps());
    expect(gh.requests).toEqual([]);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0].message).toContain('`github-token` is empty');
  });
});

describe('readIssueSettings', () => {
  const env = { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'https://ghe.example/api/v3' };
  it.each([
    [{}, null],
    [{ 'report-issues': 'false' }, null],
    [{ 'report-issues': 'FALSE', 'github-token': 't' }, null],
    [
      { 'report-issues': 'true', 'github-token': ' t ' },
      { token: 't', apiUrl: 'https://ghe.example/api/v3', repository: 'octo/app' },
    ],
    [
      { 'report-issues': 'True', 'github-token': '' },
      { token: '', apiUrl: 'https://ghe.example/api/v3', repository: 'octo/app' },
    ],
  ])('%j reads as %j', (inputs, expected) => {
    expect(readIssueSettings((name) => (inputs as Record<string, string>)[name] ?? '', env)).toEqual(expected);
  });

  it.each(['yes', '1', 'on', 'tru'])('report-issues %p is an input error naming the values it takes', (value) => {
    expect(() => readIssueSettings((name) => (name === 'report-issues' ? value : ''), env)).toThrow(InputError);
    expect(() => readIssueSettings((name) => (name === 'report-issues' ? value : ''), env)).toThrow(
      `Input 'report-issues' must be \`true\` or \`false\`; got '${value}'.`,
    );
  });

  it('masks github-token when given', () => {
    expect(issueTokenToMask((n) => (n === 'github-token' ? ' ghs_x ' : ''))).toEqual(['ghs_x']);
    expect(issueTokenToMask(() => '')).toEqual([]);
  });

  it('names each credential given by its input, and codex-auth-json by its secret when auth-json-secret says it', () => {
    const inputs: Record<string, string> = { 'auth-json-secret': 'CODEX_AUTH_JSON' };
    expect(givenCredentials(['chatgpt', 'access-token', 'api-key'], (n) => inputs[n] ?? '', '/h/.codex')).toEqual([
      {
        method: 'chatgpt',
        credential: { input: 'codex-auth-json', secret: 'CODEX_AUTH_JSON' },
        described: 'the ChatGPT login in `codex-auth-json`',
      },
      {
        method: 'access-token',
        credential: { input: 'codex-access-token', secret: null },
        described: 'the workspace access token in `codex-access-token`',
      },
      { method: 'api-key', credential: { input: 'openai-api-key', secret: null }, described: 'the API key in `openai-api-key`' },
    ]);
    expect(
      givenCredentials(['chatgpt'], (n) => (n === 'auth-json-secret' ? '${{ secrets.X }}' : ''), '/h')[0].credential.secret,
    ).toBeNull();
  });
});
