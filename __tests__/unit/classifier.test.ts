import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  classifyMessage,
  classifyTranscript,
  CodexOutputClassifier,
  evidenceText,
  LINE_START_BYTES,
  MAX_EVIDENCE_CHARS,
  MAX_LINE_CHARS,
  normaliseLine,
} from '../../src/classifier.js';
import type { FailureKind } from '../../src/failure-kinds.js';

const FIXTURES = path.join(process.cwd(), '__fixtures__', 'transcripts');
const read = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const OLDER: ReadonlyArray<[string, FailureKind]> = [
  ['refresh-reused.tui-0.4x.log', 'refresh-token-reused'],
  ['exceeded-retry-401.exec-0.4x.log', 'unauthorized'],
  ['refresh-then-401.exec-0.4x.log', 'refresh-token-reused'],
  ['json-old-protocol.exec-0.2x.log', 'api-key-invalid'],
  ['usage-limit-ascii.exec-0.5x.log', 'usage-limit'],
  ['github-download.exec-0.169.log', 'refresh-token-expired'],
];

describe('classifier on older codex formats', () => {
  it.each(OLDER)('%s → %s', (name, kind) => {
    expect(classifyTranscript(read(path.join('older', name))).kind).toBe(kind);
  });
});

describe('lines that must not trigger re-authentication', () => {
  const cases: ReadonlyArray<[string, string]> = [
    [
      'tracing lines of a failed proactive refresh, in a run that then succeeded',
      '2026-11-24T10:06:10.123Z ERROR codex_login::auth::manager: Failed to refresh token: Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.',
    ],
    ['a test name', '  ✕ refresh token has expired → shows login screen (12 ms)'],
    ['npm output', 'npm error code E401\nnpm error 401 Unauthorized - GET https://npm.pkg.github.com/@org%2fpkg'],
    ['git output', 'remote: Invalid username or token.\nfatal: Authentication failed for https://github.com/o/r.git/ (401 Unauthorized)'],
    ['gh output', 'HTTP 401: Bad credentials (https://api.github.com/graphql)\nTry authenticating with:  gh auth login'],
    ['jest assertion text', 'Expected: "Your access token could not be refreshed because your refresh token was already used."'],
    [
      'an agent message in --json mode',
      '{"type":"item.completed","item":{"id":"item_1","type":"agent_message","text":"ERROR: Incorrect API key provided"}}',
    ],
    ['a JSON log line of another tool', '{"level":"error","message":"401 Unauthorized"}'],
  ];
  it.each(cases)('%s', (_label, text) => {
    expect(classifyTranscript(text).kind).toBe('other');
  });

  it('forgets an auth error the agent quoted once its turn completes (human mode, both copies)', () => {
    const quoted =
      'ERROR: Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.';
    const text = [
      'OpenAI Codex v0.169.0',
      'user',
      'why did CI fail?',
      'codex',
      'The log says:',
      quoted,
      'tokens used',
      '1,234',
      // codex prints the final message again on stdout after the turn
      'The log says:',
      quoted,
      '> npm test',
      'Tests: 1 failed, 41 passed',
    ].join('\n');
    expect(classifyTranscript(text)).toEqual({ kind: 'none', evidence: null });
  });

  it('still sees a later codex session fail after an earlier one succeeded', () => {
    const text = [read('0.169.0/success.log'), read('0.169.0/refresh-token-reused.log')].join('\n');
    expect(classifyTranscript(text).kind).toBe('refresh-token-reused');
  });

  it('in --json mode a retry notice alone is no fatal verdict, but names the cause', () => {
    const c = new CodexOutputClassifier();
    c.push('{"type":"error","message":"Reconnecting... 1/5 (stream disconnected before completion: error sending request)"}');
    expect(c.verdict).toEqual({ kind: 'network', line: 'stream disconnected before completion: error sending request', verbatim: true });
    expect(c.decisiveRetry).toBeNull();
  });
});

describe('decisive retries (the cause that waiting cannot fix)', () => {
  const first = (text: string) => {
    const c = new CodexOutputClassifier();
    for (const line of text.split('\n')) {
      c.push(line);
      if (c.decisiveRetry) return { kind: c.decisiveRetry.kind, line };
    }
    return null;
  };

  it('--json: the first Reconnecting event of a revoked key', () => {
    const hit = first(read('0.169.0/api-key-invalid.json.log'));
    expect(hit?.kind).toBe('api-key-invalid');
    expect(hit?.line).toContain('Reconnecting... 1/5');
  });

  it('human mode with RUST_LOG: the first responses_retry warning', () => {
    const hit = first(read('0.169.0/api-key-invalid.rust-log.log'));
    expect(hit?.kind).toBe('api-key-invalid');
    expect(hit?.line).toMatch(/WARN codex_core::responses_retry: .*retries=1 /);
  });

  it.each([['rate-limited.json.log'], ['server-error.json.log'], ['chatgpt-unauthorized.json.log'], ['usage-limit.json.log']])(
    'never for %s',
    (name) => {
      expect(first(read(`0.169.0/${name}`))).toBeNull();
    },
  );

  it('never for the older text-only retry forms (any tool could print them): they only name the cause', () => {
    const text = read('older/refresh-then-401.exec-0.4x.log');
    expect(first(text)).toBeNull();
    expect(classifyTranscript(text).kind).toBe('refresh-token-reused');
  });
});

describe('classifyMessage', () => {
  const table: ReadonlyArray<[string, FailureKind]> = [
    [
      'Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.',
      'refresh-token-expired',
    ],
    [
      'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
      'refresh-token-reused',
    ],
    [
      'Your access token could not be refreshed because your refresh token was revoked. Please log out and sign in again.',
      'refresh-token-revoked',
    ],
    ['Your access token could not be refreshed. Please log out and sign in again.', 'refresh-failed'],
    [
      'Your access token could not be refreshed because you have since logged out or signed in to another account. Please sign in again.',
      'refresh-token-revoked',
    ],
    [
      'unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz. You can find your API key at https://platform.openai.com/account/api-keys., url: x',
      'api-key-invalid',
    ],
    ['unexpected status 401 Unauthorized: Missing bearer or basic authentication in header, url: x', 'not-logged-in'],
    ['unexpected status 401 Unauthorized: {"detail":"Unauthorized"}, url: https://chatgpt.com/backend-api/codex/responses', 'unauthorized'],
    [
      'unexpected status 401 Unauthorized: You have insufficient permissions for this operation. Missing scopes: api.responses.write.',
      'permission-denied',
    ],
    ['Quota exceeded. Check your plan and billing details.', 'usage-limit'],
    ['You’ve hit your usage limit. Upgrade to Pro', 'usage-limit'],
    ["You've hit your usage limit. Try again in 2 days.", 'usage-limit'],
    ['exceeded retry limit, last status: 429 Too Many Requests', 'rate-limited'],
    ['We’re currently experiencing high demand, which may cause temporary errors.', 'server-error'],
    ['stream disconnected before completion: error sending request for url (https://api.openai.com/v1/responses)', 'network'],
    ['Connection failed: error sending request', 'network'],
    ['Reconnecting... waiting for network', 'network'],
    ['exceeded retry limit, last status: 401 Unauthorized, request id: 99438b5929d256ae-OSL', 'unauthorized'],
    ['something else entirely', 'other'],
  ];
  it.each(table)('%s → %s', (message, kind) => {
    expect(classifyMessage(message)).toBe(kind);
  });
});

describe('normaliseLine and bounded memory', () => {
  it('strips colour codes, CR and the GitHub log timestamp, but keeps a tracing timestamp', () => {
    expect(normaliseLine('2026-11-24T10:06:10.2000000Z \x1b[31mERROR:\x1b[0m boom\r')).toBe('ERROR: boom');
    const tracing = '2026-11-24T10:06:10.123Z ERROR codex_login::auth::manager: x';
    expect(normaliseLine(tracing)).toBe(tracing);
  });

  it('cuts an enormous line before looking at it, and quotes at most MAX_EVIDENCE_CHARS of it', () => {
    const huge = `ERROR: Quota exceeded. ${'x'.repeat(MAX_LINE_CHARS * 4)}`;
    const c = new CodexOutputClassifier();
    c.push(huge);
    expect(c.verdict?.kind).toBe('usage-limit');
    expect(c.verdict?.line.length).toBe(MAX_EVIDENCE_CHARS);
    expect(c.verdict?.line.endsWith('…')).toBe(true);
  });
});

describe('evidence is the message, short (what the annotation quotes as "Codex said")', () => {
  const key401 =
    'unexpected status 401 Unauthorized: Incorrect API key provided: sk-pro***vTas. You can find your API key at https://platform.openai.com/account/api-keys.';
  const cases: ReadonlyArray<[string, string]> = [
    ['a human-mode fatal line loses its ERROR: prefix and the request URL', `ERROR: ${key401}, url: http://127.0.0.1:40463/v1/responses`],
    [
      'a turn.failed event gives its message',
      JSON.stringify({ type: 'turn.failed', error: { message: `${key401}, url: https://api.openai.com/v1/responses` } }),
    ],
    [
      'a responses_retry tracing line gives only the retry cause, no turn_id or timing',
      `2026-11-24T10:58:54.297403Z  WARN codex_core::responses_retry: stream disconnected - retrying sampling request (1/5 in 210ms)... turn_id=01a20d35-6aa3-7f51-b72a-e6f6befa1618 retries=1 max_retries=5 sampling_error=${key401}, url: http://127.0.0.1:40463/v1/responses`,
    ],
    ["0.101's bare retry notice gives the cause", `Reconnecting... 1/5 (${key401}, url: http://127.0.0.1:40463/v1/responses)`],
    [
      'a --json retry event gives the cause',
      JSON.stringify({ type: 'error', message: `Reconnecting... 1/5 (${key401}, url: http://x/v1/responses)` }),
    ],
  ];
  it.each(cases)('%s', (_label, line) => {
    const c = new CodexOutputClassifier();
    c.push(line);
    expect(c.verdict).toEqual({ kind: 'api-key-invalid', line: key401, verbatim: true });
  });

  it('the old JSON protocol: the stream error cause without its retry schedule', () => {
    const c = new CodexOutputClassifier();
    c.push(
      '{"id":"1","msg":{"type":"stream_error","message":"stream error: unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz.; retrying 1/5 in 200ms"}}',
    );
    expect(c.decisiveRetry).toEqual({
      kind: 'api-key-invalid',
      line: 'unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz.',
      verbatim: true,
    });
  });

  it('drops a request id, keeps the status', () => {
    expect(evidenceText('exceeded retry limit, last status: 401 Unauthorized, request id: 99438b5929d256ae-OSL')).toBe(
      'exceeded retry limit, last status: 401 Unauthorized',
    );
  });

  it('an old fatal 401 after a named retry cause quotes the cause', () => {
    const r = classifyTranscript(read('older/refresh-then-401.exec-0.4x.log'));
    expect(r.kind).toBe('refresh-token-reused');
    expect(r.evidence).toMatch(/^Failed to refresh token: 401 Unauthorized: Your refresh token has already been used/);
  });
});

describe("0.101's unprefixed human-mode retry notice", () => {
  const notice =
    'Reconnecting... 1/5 (unexpected status 401 Unauthorized: Missing bearer or basic authentication in header, url: http://x/v1/responses)';

  it('is a decisive retry when the next notice names the same dead credential, as codex retries in a series', () => {
    const c = new CodexOutputClassifier();
    c.push(notice);
    expect(c.decisiveRetry).toBeNull(); // one such line may be quoted text (an agent's message, a test log)
    c.push(
      'Reconnecting... 2/5 (unexpected status 401 Unauthorized: Missing bearer or basic authentication in header, url: http://x/v1/responses)',
    );
    expect(c.decisiveRetry?.kind).toBe('not-logged-in');
  });

  it('an agent message quoting one notice stops nothing, and after the turn completes nothing counts', () => {
    const c = new CodexOutputClassifier();
    for (const line of ['codex', 'The CI job failed. The log says:', notice, 'Rotate the key.', 'tokens used', '2', notice]) c.push(line);
    expect(c.decisiveRetry).toBeNull();
    expect(c.result().kind).toBe('none');
  });

  it("reaches the classifier through the runner's first-byte filter", () => {
    expect(LINE_START_BYTES).toContain(notice.charCodeAt(0));
  });

  it.each([
    ['indented (a test name, an agent quoting it)', `  ${notice}`],
    ['without a cause', 'Reconnecting... 1/5'],
    ['inside other text', `The log said: ${notice}`],
    ['in a tracing line', `2026-11-24T10:58:54.297403Z  WARN codex_core::client: ${notice}`],
  ])('is ignored %s', (_label, line) => {
    const c = new CodexOutputClassifier();
    c.push(line);
    expect(c.decisiveRetry).toBeNull();
    expect(c.verdict).toBeNull();
  });

  it('is ignored after a completed turn (the agent printing it again)', () => {
    const c = new CodexOutputClassifier();
    for (const line of ['OpenAI Codex v0.101.0 (research preview)', 'codex', 'done', 'tokens used', '12', notice]) c.push(line);
    expect(c.decisiveRetry).toBeNull();
    expect(c.result()).toEqual({ kind: 'none', evidence: null });
  });
});
