// The job summary of each outcome, rendered as GitHub renders Markdown (micromark with GFM, raw HTML
// let through as GitHub lets through the tags it allows), and read as a person reads the page: every
// input name, kind and command sits in <code>; no backtick or escaped entity is left in the prose; no
// tag from codex's words survives; a recovered run tells what died, what saved it and the fix before
// the table; an attempt cut short by the early verdict says so.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { FAILURE_KINDS } from '../../src/failure-kinds.js';
import { type AttemptRecord, type FinalContext, summaryMarkdown } from '../../src/report.js';
import { codeTexts, proseText, renderGfm, tagNames } from '../../test-support/render-gfm.js';

const HOSTILE =
  '<img src=x onerror=alert(1)> <script>alert(2)</script> `tick` | pipe &amp; *star* _under_ [a](https://evil.example) www.evil.example';

const rec = (
  attempt: number,
  method: AttemptRecord['method'],
  kind: AttemptRecord['kind'],
  extra: Partial<AttemptRecord> = {},
): AttemptRecord => ({
  attempt,
  method,
  kind,
  exitCode: kind === 'none' ? 0 : 1,
  durationMs: 1234,
  evidence: null,
  cleared: [],
  ...extra,
});

const base: Omit<FinalContext, 'kind' | 'method'> = {
  evidence: null,
  exitCode: 0,
  attempts: 1,
  maxAttempts: 3,
  reason: 'succeeded',
  triedSecrets: [],
  codexHome: '/home/runner/.codex',
  timeoutMinutes: 0,
};

interface Case {
  records: AttemptRecord[];
  final: FinalContext;
  recovered: boolean;
  /** Names that must show as code. */
  code: string[];
}

const expiredLogin = rec(1, 'chatgpt', 'refresh-token-expired', {
  evidence: `Your access token could not be refreshed because your refresh token has expired. ${HOSTILE}`,
});
const revokedKey = (attempt: number) =>
  rec(attempt, 'api-key', 'api-key-invalid', {
    exitCode: 143,
    stoppedEarly: true,
    evidence: `unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz. ${HOSTILE}`,
  });

const CASES: Record<string, Case> = {
  healthy: {
    records: [rec(1, 'api-key', 'none')],
    final: { ...base, kind: 'none', method: 'api-key', triedSecrets: ['api-key'] },
    recovered: false,
    code: ['openai-api-key', 'none'],
  },
  recovered: {
    records: [
      rec(1, 'chatgpt', 'refresh-token-reused', {
        exitCode: 143,
        stoppedEarly: true,
        evidence: `Your access token could not be refreshed because your refresh token was already used. ${HOSTILE}`,
      }),
      rec(2, 'api-key', 'none', { cleared: ['/home/runner/.codex/auth.json'] }),
    ],
    final: { ...base, kind: 'none', method: 'api-key', attempts: 2, triedSecrets: ['chatgpt', 'api-key'] },
    recovered: true,
    code: ['codex-auth-json', 'openai-api-key', 'refresh-token-reused', 'codex login', '~/.codex/auth.json', 'concurrency:'],
  },
  'failed, one dead credential': {
    records: [revokedKey(1)],
    final: {
      ...base,
      kind: 'api-key-invalid',
      method: 'api-key',
      evidence: revokedKey(1).evidence,
      exitCode: 143,
      reason: 'no-credential-left',
      triedSecrets: ['api-key'],
    },
    recovered: false,
    code: ['openai-api-key', 'api-key-invalid'],
  },
  'failed, two dead credentials': {
    records: [expiredLogin, revokedKey(2)],
    final: {
      ...base,
      kind: 'api-key-invalid',
      method: 'api-key',
      evidence: revokedKey(2).evidence,
      exitCode: 143,
      attempts: 2,
      reason: 'no-credential-left',
      triedSecrets: ['chatgpt', 'api-key'],
    },
    recovered: false,
    code: ['codex-auth-json', 'openai-api-key', 'api-key-invalid', 'refresh-token-expired', 'codex login'],
  },
  timeout: {
    records: [rec(1, 'api-key', 'timeout', { exitCode: 143 }), rec(2, 'api-key', 'timeout', { exitCode: 143 })],
    final: {
      ...base,
      kind: 'timeout',
      method: 'api-key',
      exitCode: 143,
      attempts: 2,
      maxAttempts: 2,
      reason: 'attempts-exhausted',
      timeoutMinutes: 5,
      triedSecrets: ['api-key'],
    },
    recovered: false,
    code: ['timeout-minutes', 'max-attempts', 'timeout'],
  },
  cancelled: {
    records: [rec(1, 'api-key', 'cancelled', { exitCode: 143 })],
    final: { ...base, kind: 'cancelled', method: 'api-key', exitCode: 143, reason: 'cancelled', triedSecrets: ['api-key'] },
    recovered: false,
    code: ['cancelled'],
  },
  'failed sign-in': {
    records: [expiredLogin],
    final: {
      ...base,
      kind: 'other',
      method: 'chatgpt',
      evidence: expiredLogin.evidence,
      exitCode: 1,
      reason: 'no-credential-left',
      triedSecrets: ['chatgpt', 'api-key'],
      signInError:
        "the API key in `openai-api-key`: `EISDIR: illegal operation on a directory, open '/home/runner/.codex/auth.json' <b>x</b>`",
    },
    recovered: false,
    code: ['openai-api-key', 'codex-home', 'refresh-token-expired', '/home/runner/.codex/auth.json', 'codex --version'],
  },
  'access token refused when signing in, then recovered': {
    records: [
      rec(1, 'access-token', 'access-token-invalid', {
        signInOnly: true,
        evidence: `Error logging in with access token: personal access token metadata request failed with status 401 Unauthorized ${HOSTILE}`,
      }),
      rec(1, 'api-key', 'none'),
    ],
    final: { ...base, kind: 'none', method: 'api-key', triedSecrets: ['access-token', 'api-key'] },
    recovered: true,
    code: ['codex-access-token', 'access-token-invalid', 'openai-api-key'],
  },
};

// Each case's records, final context and whether it recovered, as main hands them to the summary.
for (const c of Object.values(CASES)) c.final.records = c.records;

/** Hyphenated input names (from action.yml) and kinds: words no sentence would use but as a name. */
const action = loadYaml(fs.readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> };
const NAMES = [...Object.keys(action.inputs), ...FAILURE_KINDS].filter((name) => name.includes('-'));
const ALLOWED_TAGS = new Set([
  'h2',
  'p',
  'strong',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'details',
  'summary',
  'pre',
  'a',
]);

describe.each(Object.entries(CASES))('the job summary of a run: %s', (_name, c) => {
  const markdown = summaryMarkdown(c.records, c.final, c.recovered);
  const html = renderGfm(markdown);
  const prose = proseText(html);

  it('names inputs, kinds and commands as code', () => {
    const code = codeTexts(html);
    for (const name of c.code) expect(code).toContain(name);
    for (const name of NAMES) expect(prose).not.toMatch(new RegExp(`(^|[^\\w-])${name}([^\\w-]|$)`));
  });

  it('leaves no literal backtick and no escaped entity in the text a reader sees', () => {
    expect(prose).not.toContain('`');
    expect(prose).not.toMatch(/&(#\d+|#x[0-9a-f]+|[a-z]+);/i);
  });

  it("keeps codex's words as text: no tag from them survives", () => {
    for (const tag of tagNames(html)) expect(ALLOWED_TAGS).toContain(tag);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('evil.example"');
  });

  it('says how the run ended before the table of attempts', () => {
    const table = html.indexOf('<table>');
    expect(table).toBeGreaterThan(0);
    const ending = c.final.kind === 'none' ? (c.recovered ? 'Recovered:' : 'Succeeded') : 'What happened:';
    expect(html.indexOf(ending)).toBeGreaterThan(0);
    expect(html.indexOf(ending)).toBeLessThan(table);
  });
});

describe('what the summary of each outcome says', () => {
  const render = (name: string) => {
    const c = CASES[name];
    return renderGfm(summaryMarkdown(c.records, c.final, c.recovered));
  };
  const before = (html: string, text: string) => html.indexOf(text) >= 0 && html.indexOf(text) < html.indexOf('<table>');

  it('a recovered run: what died, what saved it, and the fix, before the table', () => {
    const html = render('recovered');
    expect(before(html, '<strong>What died:</strong>')).toBe(true);
    expect(before(html, 'was already used')).toBe(true);
    expect(before(html, '<strong>Fix:</strong> Store a fresh copy')).toBe(true);
    expect(before(html, '<strong>Saved by:</strong> the API key in <code>openai-api-key</code>, in attempt 2.')).toBe(true);
    expect(before(html, 'Codex said:')).toBe(true);
  });

  it('a token refused when signing in, then saved by the key: placed at the sign-in check', () => {
    const html = render('access token refused when signing in, then recovered');
    expect(before(html, 'Sign-in check before attempt 1')).toBe(true);
    expect(html).toContain('❌ refused when signing in');
  });

  it.each([
    ['recovered', "❌ stopped at codex's first retry (exit 143)"],
    ['failed, one dead credential', "❌ stopped at codex's first retry (exit 143)"],
    ['failed, two dead credentials', '❌ exit 1'],
    ['timeout', '⏱️ timed out (exit 143)'],
    ['cancelled', '⏹️ cancelled (exit 143)'],
    ['healthy', '✅ exit 0'],
  ])('%s: the Outcome column says %p', (name, cell) => {
    expect(render(name)).toContain(`<td>${cell}</td>`);
  });

  it('two dead credentials: each with its own fix and what codex said', () => {
    const html = render('failed, two dead credentials');
    expect(html).toContain('<strong>Also rejected in this run</strong>');
    expect(proseText(html)).toContain('Create a new key at');
    expect(proseText(html)).toContain('Sign in again: run');
    expect(codeTexts(html).some((code) => code.startsWith('Your access token could not be refreshed'))).toBe(true);
  });

  it('a timeout says the limit and the attempts as names', () => {
    const prose = proseText(render('timeout'));
    expect(prose).toContain('ran past');
    expect(prose).toContain('(5 minutes)');
    expect(prose).toContain('Gave up after 2 attempts (');
    expect(prose).toContain(' is 2).');
  });
});
