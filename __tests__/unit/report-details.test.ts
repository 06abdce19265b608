// The exact texts a person reads after a failed or recovered run: the sentence that says what
// happened for each kind, the notes on why the run stopped, every refused credential named once,
// where long evidence is cut, and the job summary line by line.
import { describe, expect, it } from '@jest/globals';
import type { FailureKind } from '../../src/failure-kinds.js';
import type { AuthMethod, OtherCause } from '../../src/recovery.js';
import {
  type AttemptRecord,
  describeCredential,
  failureAnnotation,
  type FinalContext,
  howToFix,
  recoveryWarning,
  summaryMarkdown,
  whatHappened,
} from '../../src/report.js';

const HOME = '/home/runner/.codex';
const CACHED = `the credentials cached on the runner (${HOME}/auth.json)`;
const STORE_AUTH_JSON =
  'run `codex login` on a trusted machine and store the new ~/.codex/auth.json in the secret passed as `codex-auth-json` (`gh secret set <name> < ~/.codex/auth.json`); for CI an API key in `openai-api-key` is sturdier';
const NEW_KEY_FIX = 'Create a new key at https://platform.openai.com/api-keys and update the secret passed as `openai-api-key`.';
const QUOTA_FIX =
  'Wait for the limit to reset, raise it (plan or billing settings), or use another account. The credentials work, so they were left alone.';

const record = (overrides: Partial<AttemptRecord>): AttemptRecord => ({
  attempt: 1,
  method: 'api-key',
  exitCode: 1,
  kind: 'api-key-invalid',
  durationMs: 1200,
  evidence: null,
  cleared: [],
  ...overrides,
});

const final = (overrides: Partial<FinalContext>): FinalContext => ({
  kind: 'api-key-invalid',
  method: 'api-key',
  evidence: null,
  exitCode: 1,
  attempts: 1,
  maxAttempts: 3,
  reason: 'not-retryable',
  triedSecrets: ['api-key'],
  codexHome: HOME,
  timeoutMinutes: 0,
  ...overrides,
});

describe('credentials in plain words', () => {
  it.each<[AuthMethod, string]>([
    ['chatgpt', 'the ChatGPT login in `codex-auth-json`'],
    ['api-key', 'the API key in `openai-api-key`'],
    ['access-token', 'the workspace access token in `codex-access-token`'],
    ['env-access-token', 'the workspace access token in the `CODEX_ACCESS_TOKEN` environment variable'],
    ['cached', CACHED],
    ['none', 'no credentials'],
    ['env', 'the API key in the `CODEX_API_KEY` environment variable'],
  ])('%s → "%s"', (method, words) => {
    expect(describeCredential(method, HOME)).toBe(words);
  });

  it('a run with no credentials that got a bare 401 says so', () => {
    const { message } = failureAnnotation(final({ kind: 'unauthorized', method: 'none' }));
    expect(message.split('\n')[0]).toBe(
      'The API answered 401 Unauthorized to no credentials without naming a cause (for example a rejected ChatGPT access token).',
    );
  });
});

describe('a success is never described as a failure', () => {
  it('what happened: the run succeeded; nothing to fix', () => {
    expect(whatHappened('none', 'the API key in `openai-api-key`', { exitCode: 0, timeoutMinutes: 0 })).toBe('The run succeeded.');
    expect(howToFix('none')).toBe('');
  });
});

describe('what happened, one sentence per kind, opening the annotation', () => {
  it.each<[FailureKind, AuthMethod, Partial<FinalContext>, string]>([
    ['refresh-token-expired', 'chatgpt', {}, 'The refresh token in the ChatGPT login in `codex-auth-json` has expired.'],
    [
      'refresh-token-reused',
      'cached',
      {},
      `The refresh token in ${CACHED} was already used: another run or job refreshed this copy first, and refresh tokens are single-use.`,
    ],
    [
      'refresh-token-revoked',
      'chatgpt',
      {},
      'The refresh token in the ChatGPT login in `codex-auth-json` was revoked (a logout, a password change, or a newer login replaced it).',
    ],
    [
      'refresh-failed',
      'chatgpt',
      {},
      'Codex could not refresh the access token in the ChatGPT login in `codex-auth-json`, and did not say why.',
    ],
    ['api-key-invalid', 'api-key', {}, 'The API key in `openai-api-key` was rejected as revoked, expired or mistyped.'],
    [
      'unauthorized',
      'cached',
      {},
      `The API answered 401 Unauthorized to ${CACHED} without naming a cause (for example a rejected ChatGPT access token).`,
    ],
    ['not-logged-in', 'none', {}, 'Codex sent no credentials: none were cached on the runner and none could be signed in from the inputs.'],
    [
      'permission-denied',
      'api-key',
      {},
      'The API key in `openai-api-key` was accepted but lacks permission for this request (for example a restricted key without the api.responses.write scope).',
    ],
    [
      'usage-limit',
      'chatgpt',
      {},
      "The account behind the ChatGPT login in `codex-auth-json` hit its plan's usage limit or its API quota.",
    ],
    ['rate-limited', 'api-key', {}, 'The API answered 429 Too Many Requests on every attempt.'],
    ['server-error', 'api-key', {}, 'The API answered with server errors on every attempt.'],
    ['network', 'api-key', {}, 'Codex could not reach the API.'],
    [
      'timeout',
      'api-key',
      { timeoutMinutes: 30 },
      'The attempt ran past timeout-minutes (30) and was stopped with everything it had started.',
    ],
    [
      'cancelled',
      'api-key',
      { reason: 'cancelled' },
      'The step was cancelled. Codex and every process the script started were stopped (SIGTERM, then SIGKILL), and nothing was retried.',
    ],
    [
      'other',
      'api-key',
      { exitCode: 2 },
      "The run script exited with code 2, and codex reported no authentication or API failure: this is the script's own failure, so it was not re-run.",
    ],
  ])('%s (%s)', (kind, method, extra, sentence) => {
    const { message } = failureAnnotation(final({ kind, method, ...extra }));
    expect(message.split('\n')[0]).toBe(sentence);
  });

  it.each<[string, OtherCause, number, string, string]>([
    [
      'killed by a signal (the out-of-memory killer)',
      { kind: 'killed', signal: 'SIGKILL', exitCode: 137 },
      137,
      'A process in the run script (codex or a command it started) was killed by SIGKILL (exit code 137), a signal codex-reauth did not send: often the out-of-memory killer. This is not a credential problem, so it was not re-run.',
      'Fix: Give the job more memory (a larger runner) or do less in one step; the log above shows what was running when it was killed.',
    ],
    [
      'codex not on PATH',
      { kind: 'codex-not-found' },
      127,
      'The run script could not find codex (exit code 127, "command not found"): no `codex` was on PATH before or after it ran. This is not a credential problem.',
      'Fix: Install codex before this step (`npm install -g @openai/codex`, after actions/setup-node) or at the start of `run`, and check the command name.',
    ],
  ])('a script failure %s: its own sentence and fix, nothing else', (_name, cause, exitCode, sentence, fix) => {
    const { message } = failureAnnotation(final({ kind: 'other', cause, exitCode }));
    expect(message).toBe(`${sentence}\n${fix}`);
  });
});

describe('the annotation, whole', () => {
  it('no evidence and no stop note: just what happened and the fix', () => {
    const a = failureAnnotation(final({ kind: 'usage-limit', method: 'api-key' }));
    expect(a.title).toBe('codex-reauth: Usage limit or quota reached (usage-limit)');
    expect(a.message).toBe(
      `The account behind the API key in \`openai-api-key\` hit its plan's usage limit or its API quota.\nFix: ${QUOTA_FIX}`,
    );
  });

  it('a key set in the environment: nothing was cleared, and the fix is where the workflow sets it', () => {
    const a = failureAnnotation(final({ method: 'env', reason: 'env-credential', triedSecrets: [] }));
    expect(a.message).toBe(
      'The API key in the `CODEX_API_KEY` environment variable was rejected as revoked, expired or mistyped. `codex exec` uses `CODEX_API_KEY` before every stored credential, so signing in again cannot help: nothing was cleared.\n' +
        'Fix: Update `CODEX_API_KEY` where the workflow sets it (an `env:` block) to a working key, or remove it so that the credentials the action signs in with are used.',
    );
  });

  it('two secrets rejected, no evidence: one entry per credential, each with its fix, in order', () => {
    const a = failureAnnotation(
      final({
        attempts: 2,
        reason: 'no-credential-left',
        triedSecrets: ['chatgpt', 'api-key'],
        records: [record({ attempt: 1, method: 'chatgpt', kind: 'refresh-token-expired' }), record({ attempt: 2 })],
      }),
    );
    expect(a.title).toBe('codex-reauth: 2 credentials rejected (refresh-token-expired, api-key-invalid)');
    expect(a.message.split('\n')).toEqual([
      'Every credential this run signed in with was rejected; each needs its own fix:',
      '- Attempt 1 (`refresh-token-expired`): The refresh token in the ChatGPT login in `codex-auth-json` has expired.',
      `  Fix: Sign in again: ${STORE_AUTH_JSON}.`,
      '- Attempt 2 (`api-key-invalid`): The API key in `openai-api-key` was rejected as revoked, expired or mistyped. Every credential given was tried (`codex-auth-json`, `openai-api-key`); none is left.',
      `  Fix: ${NEW_KEY_FIX}`,
    ]);
  });

  it('a key without permission counts as rejected too', () => {
    const a = failureAnnotation(
      final({
        kind: 'permission-denied',
        attempts: 2,
        records: [
          record({ attempt: 1, method: 'chatgpt', kind: 'refresh-token-expired' }),
          record({ attempt: 2, kind: 'permission-denied' }),
        ],
      }),
    );
    expect(a.title).toBe('codex-reauth: 2 credentials rejected (refresh-token-expired, permission-denied)');
  });

  it('two earlier rejections before a final quota stop: both listed, one after the other', () => {
    const a = failureAnnotation(
      final({
        kind: 'usage-limit',
        attempts: 3,
        records: [
          record({ attempt: 1, method: 'cached', kind: 'unauthorized', evidence: 'ERROR: 401 Unauthorized' }),
          record({ attempt: 2, method: 'chatgpt', kind: 'refresh-token-revoked' }),
          record({ attempt: 3, kind: 'usage-limit' }),
        ],
      }),
    );
    expect(a.title).toBe('codex-reauth: Usage limit or quota reached (usage-limit)');
    expect(a.message.split('\n')).toEqual([
      "The account behind the API key in `openai-api-key` hit its plan's usage limit or its API quota.",
      `Fix: ${QUOTA_FIX}`,
      'Earlier in this run, these credentials were rejected too; fix them as well:',
      `- Attempt 1 (\`unauthorized\`): The API answered 401 Unauthorized to ${CACHED} without naming a cause (for example a rejected ChatGPT access token).`,
      '  Fix: Nothing to store: they were deleted from the runner (a self-hosted runner keeps them between jobs).',
      '  Codex said: ERROR: 401 Unauthorized',
      '- Attempt 2 (`refresh-token-revoked`): The refresh token in the ChatGPT login in `codex-auth-json` was revoked (a logout, a password change, or a newer login replaced it).',
      `  Fix: Sign in again: ${STORE_AUTH_JSON}.`,
    ]);
  });

  it.each<[string, AttemptRecord]>([
    ['a transient failure', record({ attempt: 1, method: 'chatgpt', kind: 'rate-limited' })],
    ['a run with no credentials at all', record({ attempt: 1, method: 'none', kind: 'not-logged-in' })],
  ])('%s before the final rejection is not called a rejected credential', (_name, earlier) => {
    const a = failureAnnotation(final({ attempts: 2, records: [earlier, record({ attempt: 2 })] }));
    expect(a.title).toBe('codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(a.message).toBe(`The API key in \`openai-api-key\` was rejected as revoked, expired or mistyped.\nFix: ${NEW_KEY_FIX}`);
  });
});

describe('long evidence is cut with an ellipsis at each limit', () => {
  const at = (n: number): string => `${'a'.repeat(n - 1)}Z`;
  const cut = (n: number): string => `${'a'.repeat(n - 1)}…`;

  it.each([
    ['short', 'ERROR: x', 'ERROR: x'],
    ['exactly 500 characters', at(500), at(500)],
    ['501 characters', at(501), cut(500)],
  ])('annotation, %s', (_name, evidence, shown) => {
    const lines = failureAnnotation(final({ evidence })).message.split('\n');
    expect(lines.at(-1)).toBe(`Codex said: ${shown}`);
  });

  it.each([
    ['exactly 300 characters', at(300), at(300)],
    ['301 characters', at(301), cut(300)],
  ])('each credential in a list of several, %s', (_name, evidence, shown) => {
    const { message } = failureAnnotation(
      final({
        attempts: 2,
        evidence,
        records: [record({ attempt: 1, method: 'chatgpt', kind: 'refresh-token-expired', evidence }), record({ attempt: 2, evidence })],
      }),
    );
    expect(message.split('\n').filter((l) => l.startsWith('  Codex said: '))).toEqual([`  Codex said: ${shown}`, `  Codex said: ${shown}`]);
  });

  it.each([
    ['exactly 2000 characters', at(2000), at(2000)],
    ['2001 characters', at(2001), cut(2000)],
  ])('summary, %s', (_name, evidence, shown) => {
    const md = summaryMarkdown([record({})], final({ evidence }), false);
    expect(md).toContain(`<pre>${shown}</pre>`);
  });
});

describe('warnings after signing in again', () => {
  it('the new credentials failed too: says so, with the kind, and a stale cache needs no fix', () => {
    const w = recoveryWarning(
      record({ attempt: 1, method: 'cached', kind: 'unauthorized' }),
      record({ attempt: 2, method: 'chatgpt', kind: 'usage-limit' }),
      HOME,
      0,
    );
    expect(w.message).toBe(
      `Attempt 1: The API answered 401 Unauthorized to ${CACHED} without naming a cause (for example a rejected ChatGPT access token). Cleared the cached credentials and signed in again with the ChatGPT login in \`codex-auth-json\`; attempt 2 failed too (usage-limit).`,
    );
  });

  it('no credentials at first: nothing to fix before it is needed', () => {
    const w = recoveryWarning(
      record({ attempt: 1, method: 'none', kind: 'not-logged-in' }),
      record({ attempt: 2, method: 'api-key', kind: 'none', exitCode: 0 }),
      HOME,
      0,
    );
    expect(w.title).toBe('codex-reauth recovered: Codex is not signed in (not-logged-in)');
    expect(w.message).toBe(
      'Attempt 1: Codex sent no credentials: none were cached on the runner and none could be signed in from the inputs. Cleared the cached credentials and signed in again with the API key in `openai-api-key`; attempt 2 succeeded.',
    );
  });
});

describe('the job summary, line by line', () => {
  const HEADER = ['| Attempt | Credential | Outcome | Kind | Duration |', '| --- | --- | --- | --- | --- |'];

  it('a first-try success: heading, verdict, table, nothing else', () => {
    const md = summaryMarkdown([record({ kind: 'none', exitCode: 0 })], final({ kind: 'none', reason: 'succeeded' }), false);
    expect(md).toBe(
      [
        '## codex-reauth',
        '',
        '✅ Succeeded (attempt 1).',
        '',
        ...HEADER,
        '| 1 | API key (`openai-api-key`) | ✅ exit 0 | `none` | 1.2 s |',
        '',
      ].join('\n'),
    );
  });

  it('a failure with no evidence and nothing rejected before: verdict, table, what happened, fix', () => {
    const md = summaryMarkdown([record({ kind: 'server-error' })], final({ kind: 'server-error', reason: 'attempts-exhausted' }), false);
    expect(md.split('\n')).toEqual([
      '## codex-reauth',
      '',
      '❌ **OpenAI server errors** (`server-error`)',
      '',
      ...HEADER,
      '| 1 | API key (`openai-api-key`) | ❌ exit 1 | `server-error` | 1.2 s |',
      '',
      '**What happened:** The API answered with server errors on every attempt. Stopped after 1 of max-attempts 3.',
      '',
      '**Fix:** This is usually temporary: re-run the job later, and check https://status.openai.com.',
      '',
    ]);
  });

  it('a failure after an earlier rejection, with evidence: every section, in order', () => {
    const records = [record({ attempt: 1, method: 'chatgpt', kind: 'refresh-token-expired', durationMs: 412 }), record({ attempt: 2 })];
    const md = summaryMarkdown(
      records,
      final({
        attempts: 2,
        reason: 'no-credential-left',
        triedSecrets: ['chatgpt', 'api-key'],
        evidence: 'ERROR: Incorrect API key <sk-abc***>',
      }),
      false,
    );
    expect(md.split('\n')).toEqual([
      '## codex-reauth',
      '',
      '❌ **OpenAI API key rejected** (`api-key-invalid`)',
      '',
      ...HEADER,
      '| 1 | ChatGPT login (`codex-auth-json`) | ❌ exit 1 | `refresh-token-expired` | 412 ms |',
      '| 2 | API key (`openai-api-key`) | ❌ exit 1 | `api-key-invalid` | 1.2 s |',
      '',
      '**What happened:** The API key in &#96;openai-api-key&#96; was rejected as revoked, expired or mistyped. Every credential given was tried (&#96;codex-auth-json&#96;, &#96;openai-api-key&#96;); none is left.',
      '',
      `**Fix:** ${NEW_KEY_FIX}`,
      '',
      '**Also rejected in this run** (each needs its own fix):',
      '',
      `- Attempt 1 (&#96;refresh-token-expired&#96;): The refresh token in the ChatGPT login in &#96;codex-auth-json&#96; has expired. **Fix:** Sign in again: ${STORE_AUTH_JSON}.`,
      '',
      '<details><summary>What codex said</summary>',
      '',
      '<pre>ERROR: Incorrect API key &lt;sk-abc***&gt;</pre>',
      '',
      '</details>',
      '',
    ]);
  });
});

describe('a run that ended because no credential could be signed in with', () => {
  const SIGN_IN_FIX =
    'Make sure this job can write `/home/runner/.codex/auth.json` (`codex-home`): no folder or read-only file in its place, and room on the disk. Where `codex login` failed, check that the codex on PATH runs (`codex --version`).';
  const ERROR = 'the API key in `openai-api-key`: EISDIR: illegal operation on a directory';

  it('before any attempt: the script never ran, which is neither the script nor codex failing', () => {
    const ctx = final({ kind: 'other', method: 'api-key', attempts: 0, reason: 'succeeded', records: [], signInError: ERROR });
    const a = failureAnnotation(ctx);
    expect(a.title).toBe('codex-reauth: Sign-in failed (other)');
    expect(a.message).toBe(`Signing in failed, so the run script never ran: ${ERROR}\nFix: ${SIGN_IN_FIX}`);
    expect(summaryMarkdown([], ctx, false).split('\n')).toEqual([
      '## codex-reauth',
      '',
      '❌ **Sign-in failed** (`other`)',
      '',
      '| Attempt | Credential | Outcome | Kind | Duration |',
      '| --- | --- | --- | --- | --- |',
      '',
      `**What happened:** Signing in failed, so the run script never ran: the API key in &#96;openai-api-key&#96;: EISDIR: illegal operation on a directory`,
      '',
      `**Fix:** ${SIGN_IN_FIX}`,
      '',
    ]);
  });

  it("after a rejected credential: the sign-in first, then that credential (the last attempt's too) with its own fix", () => {
    const records = [record({ attempt: 1, method: 'chatgpt', kind: 'refresh-token-reused', evidence: 'ERROR: already used' })];
    // main passes the last attempt's evidence too: it is about that attempt's credential, not the sign-in.
    const ctx = final({
      kind: 'other',
      method: 'chatgpt',
      attempts: 1,
      reason: 'succeeded',
      records,
      evidence: 'ERROR: already used',
      signInError: ERROR,
    });
    const a = failureAnnotation(ctx);
    expect(a.title).toBe('codex-reauth: Sign-in failed (other)');
    expect(a.message.split('\n')).toEqual([
      `Signing in failed, so the run script was not run again after attempt 1 (\`refresh-token-reused\`): ${ERROR}`,
      `Fix: ${SIGN_IN_FIX}`,
      'Earlier in this run, these credentials were rejected too; fix them as well:',
      '- Attempt 1 (`refresh-token-reused`): The refresh token in the ChatGPT login in `codex-auth-json` was already used: another run or job refreshed this copy first, and refresh tokens are single-use.',
      expect.stringMatching(/^ {2}Fix: Store a fresh copy: /),
      '  Codex said: ERROR: already used',
    ]);
    const md = summaryMarkdown(records, ctx, false);
    expect(md).toContain('❌ **Sign-in failed** (`other`)');
    expect(md).toContain('**Also rejected in this run** (each needs its own fix):\n\n- Attempt 1 (&#96;refresh-token-reused&#96;)');
    expect(md).not.toContain('What codex said');
  });

  it('after an attempt with no credentials (login: on-failure): which attempt, and what it ended in', () => {
    const records = [record({ attempt: 1, method: 'none', kind: 'not-logged-in', evidence: 'ERROR: Missing bearer' })];
    const ctx = final({ kind: 'other', method: 'none', attempts: 1, records, evidence: 'ERROR: Missing bearer', signInError: ERROR });
    expect(failureAnnotation(ctx).message).toBe(
      `Signing in failed, so the run script was not run again after attempt 1 (\`not-logged-in\`): ${ERROR}\nFix: ${SIGN_IN_FIX}`,
    );
  });

  it('a very long sign-in error (a crashing `codex login`) is cut', () => {
    const long = `the API key in \`openai-api-key\`: ${'x'.repeat(3000)}`;
    const a = failureAnnotation(final({ kind: 'other', attempts: 0, records: [], signInError: long }));
    const first = a.message.split('\n')[0];
    expect(first).toBe(`Signing in failed, so the run script never ran: ${long.slice(0, 1499)}…`);
  });
});

describe('workspace access tokens in the report', () => {
  const REFUSED = 'Error logging in with access token: personal access token metadata request failed with status 401 Unauthorized';
  const checkRefusal = record({
    attempt: 1,
    method: 'access-token',
    kind: 'access-token-invalid',
    signInOnly: true,
    evidence: REFUSED,
    durationMs: 480,
  });

  it('a token refused at its check, alone: the whole annotation', () => {
    const a = failureAnnotation(
      final({
        kind: 'access-token-invalid',
        method: 'access-token',
        evidence: REFUSED,
        attempts: 0,
        reason: 'no-credential-left',
        triedSecrets: ['access-token'],
        records: [checkRefusal],
      }),
    );
    expect(a.title).toBe('codex-reauth: Workspace access token rejected (access-token-invalid)');
    expect(a.message).toBe(
      'The workspace access token in `codex-access-token` was rejected (401 Unauthorized) as revoked, expired or mistyped. Workspace access tokens are never refreshed: only a new token helps. Every credential given was tried (`codex-access-token`); none is left.\n' +
        'Fix: Ask a workspace admin for a new workspace access token (ChatGPT workspace settings; tokens can be revoked or expire there) and update the secret passed as `codex-access-token`.\n' +
        `Codex said: ${REFUSED}`,
    );
  });

  it('refused at its check, then another credential died too: both named, the check labelled as such', () => {
    const records = [checkRefusal, record({ attempt: 1, method: 'api-key', kind: 'api-key-invalid' })];
    const a = failureAnnotation(final({ records, triedSecrets: ['access-token', 'api-key'], reason: 'no-credential-left' }));
    expect(a.title).toBe('codex-reauth: 2 credentials rejected (access-token-invalid, api-key-invalid)');
    expect(a.message).toContain(
      '- Sign-in check before attempt 1 (`access-token-invalid`): The workspace access token in `codex-access-token` was rejected',
    );
    expect(a.message).toContain('- Attempt 1 (`api-key-invalid`): The API key in `openai-api-key` was rejected');
  });

  it('the warning after a token refused at its check says the script never ran with it', () => {
    const w = recoveryWarning(checkRefusal, record({ attempt: 1, method: 'api-key', kind: 'none', exitCode: 0 }), HOME, 0);
    expect(w.title).toBe('codex-reauth recovered: Workspace access token rejected (access-token-invalid)');
    expect(w.message).toBe(
      'The workspace access token in `codex-access-token` was rejected (401 Unauthorized) as revoked, expired or mistyped. Workspace access tokens are never refreshed: only a new token helps. codex refused it when the action signed in with it, so the script never ran with it. Signed in with the API key in `openai-api-key` instead; attempt 1 succeeded. Fix it before it is needed: Ask a workspace admin for a new workspace access token (ChatGPT workspace settings; tokens can be revoked or expire there) and update the secret passed as `codex-access-token`.',
    );
  });

  it('CODEX_ACCESS_TOKEN refused: the variable is named and the fix is where the workflow sets it', () => {
    const a = failureAnnotation(
      final({ kind: 'access-token-invalid', method: 'env-access-token', reason: 'env-credential', triedSecrets: [] }),
    );
    expect(a.message).toBe(
      'The workspace access token in the `CODEX_ACCESS_TOKEN` environment variable was rejected (401 Unauthorized) as revoked, expired or mistyped. Workspace access tokens are never refreshed: only a new token helps. codex uses `CODEX_ACCESS_TOKEN` before every stored credential, so signing in again cannot help: nothing was cleared.\n' +
        'Fix: Update `CODEX_ACCESS_TOKEN` where the workflow sets it (an `env:` block) to a working workspace access token, or remove it so that the credentials the action signs in with are used.',
    );
  });

  it('the summary row of a check refusal says the script did not run', () => {
    const md = summaryMarkdown(
      [checkRefusal],
      final({ kind: 'access-token-invalid', method: 'access-token', records: [checkRefusal] }),
      false,
    );
    expect(md).toContain(
      '| 1 | workspace access token (`codex-access-token`) | ❌ refused when signing in | `access-token-invalid` | 480 ms |',
    );
  });
});
