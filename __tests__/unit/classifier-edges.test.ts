// The classifier at the edges of codex's transcripts: runs cut off mid-retry, several sessions in
// one step, retries that name no known cause, text that only looks like codex's, and long messages.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { classifyTranscript, CodexOutputClassifier, evidenceText, MAX_LINE_CHARS, normaliseLine } from '../../src/classifier.js';

const read = (name: string): string => fs.readFileSync(path.join(process.cwd(), '__fixtures__', 'transcripts', name), 'utf8');
const feed = (lines: readonly string[]): CodexOutputClassifier => {
  const c = new CodexOutputClassifier();
  for (const line of lines) c.push(line);
  return c;
};
/** A fixture up to (not including) its first line that matches `stop`. */
const until = (name: string, stop: RegExp): string[] => {
  const lines = read(name).split('\n');
  return lines.slice(
    0,
    lines.findIndex((line) => stop.test(line)),
  );
};

/** The old --json protocol's session header. */
const SESSION_CONFIGURED = '{"id":"0","msg":{"type":"session_configured","session_id":"c0ffee","model":"codex-mini-latest"}}';
const REUSED = 'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.';
const KEY_401 =
  'unexpected status 401 Unauthorized: Incorrect API key provided: sk-pro***-Len. You can find your API key at https://platform.openai.com/account/api-keys.';

describe('a run cut off while codex was retrying (the step timed out, the job was cancelled)', () => {
  it('0.130 and later: `ERROR: Reconnecting... 3/5` names no cause, so there is nothing to quote', () => {
    const lines = until('0.169.0/api-key-invalid.log', /Reconnecting\.\.\. 4\/5/);
    expect(lines.at(-1)).toBe('ERROR: Reconnecting... 3/5');
    const c = feed(lines);
    expect(c.verdict).toBeNull();
    expect(c.result()).toEqual({ kind: 'other', evidence: null });
  });

  it('`ERROR: Reconnecting... waiting for network` is a network problem', () => {
    const c = feed(['OpenAI Codex v0.169.0', 'user', 'say hi', 'ERROR: Reconnecting... waiting for network']);
    expect(c.verdict).toEqual({ kind: 'network', line: 'Reconnecting... waiting for network', verbatim: true });
  });

  it('--json: a session that started but never completed a turn is other, not none', () => {
    const lines = until('0.169.0/success.json.log', /"turn\.completed"/);
    expect(lines.some((line) => line.includes('"thread.started"'))).toBe(true);
    expect(feed(lines).result()).toEqual({ kind: 'other', evidence: null });
    expect(feed(lines).turnsCompleted).toBe(0);
  });

  it('old --json protocol: `task_complete` completes the turn, so an error it recovered from is no failure', () => {
    const c = feed([
      SESSION_CONFIGURED,
      `{"id":"1","msg":{"type":"error","message":"${KEY_401}"}}`,
      '{"id":"1","msg":{"type":"task_complete","last_agent_message":"done"}}',
    ]);
    expect(c.turnsCompleted).toBe(1);
    expect(c.result()).toEqual({ kind: 'none', evidence: null });
  });

  it('old --json protocol: `session_configured` starts a session, it completes no turn', () => {
    const c = feed([SESSION_CONFIGURED]);
    expect(c.turnsCompleted).toBe(0);
    expect(c.result()).toEqual({ kind: 'other', evidence: null });
  });
});

describe('several codex sessions in one step', () => {
  // After a completed turn, codex's lines are the agent's message printed again; a new session header
  // (human banner, `thread.started`, or the old protocol's `session_configured`) makes them count again.
  it.each([
    ['thread.started', '{"type":"thread.started","thread_id":"01a2120d-0012-7600-a3b8-48f2354835db"}'],
    ['session_configured', SESSION_CONFIGURED],
  ])('a later --json session started by %s that fails is seen', (_label, header) => {
    const c = feed([...read('0.169.0/success.json.log').split('\n'), header, `ERROR: ${REUSED}`]);
    expect(c.turnsCompleted).toBe(1);
    expect(c.result()).toEqual({ kind: 'refresh-token-reused', evidence: REUSED });
  });
});

describe('older builds: the retry notices name the cause a final bare 401 hides', () => {
  it('a bare `Failed to refresh token: …` line before `exceeded retry limit, last status: 401`', () => {
    const c = feed([
      '[2025-10-02T08:11:02] OpenAI Codex v0.46.0 (research preview)',
      `Failed to refresh token: ${REUSED}`,
      'ERROR: exceeded retry limit, last status: 401 Unauthorized, request id: 99438b5929d256ae-OSL',
    ]);
    expect(c.result()).toEqual({ kind: 'refresh-token-reused', evidence: `Failed to refresh token: ${REUSED}` });
  });

  it('older text-only retry forms never stop a run early, however many name a dead credential', () => {
    const c = feed([
      '[2025-10-02T08:11:02] OpenAI Codex v0.46.0 (research preview)',
      `stream error: Failed to refresh token: ${REUSED}; retrying 1/5 in 187ms...`,
      `stream error: Failed to refresh token: ${REUSED}; retrying 2/5 in 390ms...`,
      `ERROR: Reconnecting... 3/5 (Failed to refresh token: ${REUSED})`,
      `ERROR: Reconnecting... 4/5 (Failed to refresh token: ${REUSED})`,
    ]);
    expect(c.decisiveRetry).toBeNull();
    expect(c.verdict?.kind).toBe('refresh-token-reused');
  });
});

describe('retry causes', () => {
  it('a retry whose cause names nothing known leaves the cause an earlier retry named', () => {
    const c = feed([
      '{"type":"thread.started","thread_id":"01a2120d-0012-7600-a3b8-48f2354835da"}',
      '{"type":"error","message":"Reconnecting... 1/5 (unexpected status 503 Service Unavailable: upstream connect error, url: https://api.openai.com/v1/responses)"}',
      '{"type":"error","message":"Reconnecting... 2/5 (response.failed event received)"}',
    ]);
    expect(c.verdict).toEqual({
      kind: 'server-error',
      line: 'unexpected status 503 Service Unavailable: upstream connect error',
      verbatim: true,
    });
  });

  it("another tool's retry notice, not in codex's words, names nothing when a log is read without exit codes", () => {
    const text = ['Reconnecting... 1/5 (connection refused)', 'Reconnecting... 2/5 (connection refused)'].join('\n');
    expect(classifyTranscript(text)).toEqual({ kind: 'other', evidence: null });
  });
});

describe('tracing lines: only the retry logger names a cause', () => {
  const cause = `${KEY_401}, url: http://127.0.0.1:43557/v1/responses`;
  const fields = `stream disconnected - retrying sampling request (1/5 in 199ms)... turn_id=01a2120e-5b9a-75a3-9ef9-cb376777fbe5 retries=1 max_retries=5 sampling_error=${cause}`;

  it('the WARN of codex_core::responses_retry is a decisive retry', () => {
    const c = feed([`2026-11-25T09:34:20.622784Z  WARN codex_core::responses_retry: ${fields}`]);
    expect(c.decisiveRetry).toEqual({ kind: 'api-key-invalid', line: KEY_401, verbatim: true });
  });

  it.each([
    ['another level of the retry logger', `2026-11-25T09:34:20.622784Z ERROR codex_core::responses_retry: ${fields}`],
    ['a warning of another module', `2026-11-25T09:34:20.622784Z  WARN codex_core::client: ${fields}`],
    ['an error of another module', `2026-11-25T09:34:20.622784Z ERROR codex_core::codex: ${fields}`],
  ])('%s is log noise', (_label, line) => {
    const c = feed([line]);
    expect(c.decisiveRetry).toBeNull();
    expect(c.verdict).toBeNull();
  });
});

describe('evidence text', () => {
  it('drops the request URL even when white space follows it', () => {
    const c = feed([JSON.stringify({ type: 'turn.failed', error: { message: `${KEY_401}, url: https://api.openai.com/v1/responses\n` } })]);
    expect(c.verdict).toEqual({ kind: 'api-key-invalid', line: KEY_401, verbatim: true });
  });

  it('has no white space around it', () => {
    expect(evidenceText('  Quota exceeded. Check your plan and billing details.\t ')).toBe(
      'Quota exceeded. Check your plan and billing details.',
    );
  });

  // codex appends `, url: <url>` and then, when the API sent them, `, cf-ray: <id>` and `, request id: <id>`
  // (the older `exceeded retry limit, last status: 401 Unauthorized, request id: 9943…-OSL`).
  it.each([
    [
      'the URL with the cf-ray and request id after it',
      'unexpected status 500 Internal Server Error: upstream failed, url: https://api.openai.com/v1/responses, cf-ray: 99438b5929d256ae-OSL, request id: req_8f2c1',
      'unexpected status 500 Internal Server Error: upstream failed',
    ],
    [
      "a request id that ends an older build's retry-limit line",
      'exceeded retry limit, last status: 401 Unauthorized, request id: 99438b5929d256ae-OSL',
      'exceeded retry limit, last status: 401 Unauthorized',
    ],
    [
      "only the URL codex appends, not a 'url:' inside the API's own message",
      'unexpected status 400 Bad Request: {"detail":"Invalid image url: ftp://x.test/a.png is not supported"}, url: https://api.openai.com/v1/responses',
      'unexpected status 400 Bad Request: {"detail":"Invalid image url: ftp://x.test/a.png is not supported"}',
    ],
  ])('drops %s', (_name, message, evidence) => {
    expect(evidenceText(message)).toBe(evidence);
  });

  it('a long message cut just after a word has no space before the ellipsis', () => {
    const words = `Quota exceeded. ${'a'.repeat(182)}`;
    expect(words.length).toBe(198);
    expect(evidenceText(`${words} and more text after the cut`)).toBe(`${words}…`);
  });

  it('a message of exactly 200 characters is quoted whole; one more and it is cut', () => {
    const exact = `Quota exceeded. ${'b'.repeat(184)}`;
    expect(exact.length).toBe(200);
    expect(evidenceText(exact)).toBe(exact);
    expect(evidenceText(`${exact}c`)).toBe(`${exact.slice(0, 199)}…`);
  });
});

describe('bounded memory', () => {
  it('keeps at most MAX_LINE_CHARS of a line, so a step printing a huge line costs no more', () => {
    expect(normaliseLine(`ERROR: ${'x'.repeat(MAX_LINE_CHARS * 2)}`)).toHaveLength(MAX_LINE_CHARS);
    expect(normaliseLine('ERROR: Quota exceeded.')).toBe('ERROR: Quota exceeded.');
  });
});

describe('authRetry: the first retry on any 401, for credentials nothing refreshes', () => {
  const retryJson = (cause: string) => JSON.stringify({ type: 'error', message: `Reconnecting... 1/5 (${cause})` });
  const BARE_401 = 'unexpected status 401 Unauthorized: {"detail":"Unauthorized"}, url: http://127.0.0.1:1/v1/responses';

  it('a bare 401 retry event is an auth retry, not a decisive one', () => {
    const c = new CodexOutputClassifier();
    c.push(retryJson(BARE_401));
    expect(c.decisiveRetry).toBeNull();
    expect(c.authRetry).toMatchObject({ kind: 'unauthorized', line: 'unexpected status 401 Unauthorized: {"detail":"Unauthorized"}' });
  });

  it('a decisive retry is an auth retry too', () => {
    const c = new CodexOutputClassifier();
    c.push(retryJson('unexpected status 401 Unauthorized: Missing bearer or basic authentication in header'));
    expect(c.decisiveRetry?.kind).toBe('not-logged-in');
    expect(c.authRetry?.kind).toBe('not-logged-in');
  });

  it('rate limits and server errors are not', () => {
    const c = new CodexOutputClassifier();
    c.push(retryJson('exceeded retry limit, last status: 429 Too Many Requests'));
    c.push(retryJson('unexpected status 500 Internal Server Error'));
    expect(c.authRetry).toBeNull();
  });

  it('a bare notice (0.101) counts only when the next notice repeats it', () => {
    const c = new CodexOutputClassifier();
    c.push(`Reconnecting... 1/5 (${BARE_401})`);
    expect(c.authRetry).toBeNull();
    c.push(`Reconnecting... 2/5 (${BARE_401})`);
    expect(c.authRetry?.kind).toBe('unauthorized');
  });

  it('a completed turn forgets it', () => {
    const c = new CodexOutputClassifier();
    c.push(retryJson(BARE_401));
    c.push(JSON.stringify({ type: 'turn.completed' }));
    expect(c.authRetry).toBeNull();
  });
});
