import { describe, expect, it } from '@jest/globals';
import { FAILURE_KINDS } from '../../src/failure-kinds.js';
import {
  type AttemptRecord,
  escapeHtml,
  failureAnnotation,
  type FinalContext,
  howToFix,
  recoveryWarning,
  summaryMarkdown,
} from '../../src/report.js';

const final = (overrides: Partial<FinalContext>): FinalContext => ({
  kind: 'api-key-invalid',
  method: 'api-key',
  evidence: 'ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz.',
  exitCode: 1,
  attempts: 1,
  maxAttempts: 3,
  reason: 'no-credential-left',
  triedSecrets: ['api-key'],
  codexHome: '/home/runner/.codex',
  timeoutMinutes: 0,
  ...overrides,
});

const KIND_TEXTS = [
  ['refresh-token-expired', 'Codex refresh token expired', 'Fix: Sign in again: run `codex login` on a trusted machine'],
  ['refresh-token-revoked', 'Codex refresh token revoked', 'Fix: Sign in again: run `codex login` on a trusted machine'],
  ['refresh-failed', 'Codex could not refresh its access token', 'Fix: Sign in again: run `codex login` on a trusted machine'],
  ['refresh-token-reused', 'Codex refresh token already used', 'Fix: Store a fresh copy: run `codex login` on a trusted machine'],
  ['api-key-invalid', 'OpenAI API key rejected', 'Fix: Create a new key at https://platform.openai.com/api-keys'],
  ['unauthorized', 'Codex credentials rejected (401 Unauthorized)', 'belongs to a project with access to this model'],
  ['not-logged-in', 'Codex is not signed in', 'GitHub passes no secrets to workflows triggered by pull requests from forks'],
  [
    'access-token-invalid',
    'Workspace access token rejected',
    'Fix: Ask a workspace admin for a new workspace access token (ChatGPT workspace settings; tokens can be revoked or expire there) and update the secret passed as `codex-access-token`.',
  ],
  ['access-token-expired', 'Access-only ChatGPT login expired', 'Fix: Run the keeper workflow that writes this copy (workflow_dispatch)'],
  ['permission-denied', 'Codex credentials lack permission', 'Signing in again with the same key cannot help.'],
  ['usage-limit', 'Usage limit or quota reached', 'Fix: Wait for the limit to reset'],
  ['rate-limited', 'Rate limited', 'Fix: Run fewer codex jobs at once'],
  ['server-error', 'OpenAI server errors', 'https://status.openai.com'],
  ['network', 'Codex could not reach the API', 'proxy (`HTTPS_PROXY`) and firewall'],
  ['timeout', 'Attempt timed out', 'Fix: Raise `timeout-minutes`'],
  ['cancelled', 'Step cancelled', 'Fix: Nothing to fix'],
  ['other', 'Run failed', 'Fix: See the log above for the failing command.'],
] as const;

describe('failureAnnotation', () => {
  it('names the input, the cause and the fix for a rejected key', () => {
    const a = failureAnnotation(final({}));
    expect(a.title).toBe('codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(a.message).toContain('The API key in `openai-api-key` was rejected as revoked, expired or mistyped.');
    expect(a.message).toContain(
      'Fix: Create a new key at https://platform.openai.com/api-keys and update the secret passed as `openai-api-key`.',
    );
    expect(a.message).toContain('Codex said: ERROR: unexpected status 401');
  });

  it('explains a reused refresh token: single use, do not share copies', () => {
    const a = failureAnnotation(final({ kind: 'refresh-token-reused', method: 'chatgpt', triedSecrets: ['chatgpt'] }));
    expect(a.message).toContain('another run or job refreshed this copy first, and refresh tokens are single-use');
    expect(a.message).toContain('Do not share one copy between parallel jobs');
    expect(a.message).toContain('Every credential given was tried (`codex-auth-json`)');
  });

  it.each(['refresh-token-expired', 'refresh-token-revoked'] as const)('%s: codex login on a trusted machine, store auth.json', (kind) => {
    expect(failureAnnotation(final({ kind, method: 'chatgpt' })).message).toContain(
      'run `codex login` on a trusted machine and store the new `~/.codex/auth.json`',
    );
  });

  // What a person reading the job's annotation must see for each kind: its own title and its own fix
  // (a fix shown under another kind's title, or an empty one, fails here).
  it.each(KIND_TEXTS)('%s: its own title and fix', (kind, title, fix) => {
    const a = failureAnnotation(final({ kind }));
    expect(a.title).toBe(`codex-reauth: ${title} (${kind})`);
    expect(a.message).toContain(fix);
  });

  it('the table above covers every kind that can fail', () => {
    // Keeps the table honest when a kind is added.
    expect(KIND_TEXTS.map(([kind]) => kind).sort()).toEqual(FAILURE_KINDS.filter((k) => k !== 'none').sort());
  });

  it('stays far below the 4096-character annotation limit even with a huge evidence line', () => {
    expect(failureAnnotation(final({ evidence: 'x'.repeat(20_000) })).message.length).toBeLessThan(2000);
  });
});

const record = (overrides: Partial<AttemptRecord>): AttemptRecord => ({
  attempt: 1,
  method: 'cached',
  exitCode: 1,
  kind: 'refresh-token-reused',
  durationMs: 412,
  evidence: 'ERROR: x',
  cleared: [],
  ...overrides,
});

describe('recoveryWarning', () => {
  it('names what died and how the action got past it', () => {
    const w = recoveryWarning(record({}), record({ attempt: 2, method: 'api-key', kind: 'none', exitCode: 0 }), '/h/.codex', 0);
    expect(w.title).toBe('codex-reauth recovered: Codex refresh token already used (refresh-token-reused)');
    expect(w.message).toContain('the credentials cached on the runner (`/h/.codex/auth.json`)');
    expect(w.message).toContain('signed in again with the API key in `openai-api-key`');
    expect(w.message).toContain('attempt 2 succeeded');
  });
});

describe('summaryMarkdown', () => {
  it('tabulates attempts and escapes what came from logs', () => {
    const records = [
      record({ evidence: 'ERROR: <script>alert(1)</script> | pipe' }),
      record({ attempt: 2, method: 'api-key', kind: 'api-key-invalid', cleared: ['/h/.codex/auth.json'] }),
    ];
    const md = summaryMarkdown(records, final({ attempts: 2, evidence: 'ERROR: <script>alert(1)</script> | pipe' }), false);
    expect(md).toContain('| 1 | cached on the runner | ❌ exit 1 | `refresh-token-reused` | 412 ms |');
    expect(md).toContain('| 2 | API key (`openai-api-key`) (after clearing the cache) | ❌ exit 1 | `api-key-invalid` | 412 ms |');
    expect(md).toContain('**Fix:** Create a new key');
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &#124; pipe');
  });

  it('says when it recovered', () => {
    const md = summaryMarkdown(
      [record({}), record({ attempt: 2, kind: 'none', exitCode: 0, method: 'api-key' })],
      final({ kind: 'none', attempts: 2 }),
      true,
    );
    expect(md).toContain('✅ **Recovered:** attempt 2 succeeded after signing in again.');
    // what died (a stale cache: nothing to store) and what saved the run, before the table
    expect(md.indexOf('**What died:**')).toBeLessThan(md.indexOf('| Attempt |'));
    expect(md).toContain('**Fix:** Nothing to store: they were deleted from the runner');
    expect(md).toContain('**Saved by:** the API key in `openai-api-key`, in attempt 2.');
  });

  it('escapeHtml leaves no markup', () => {
    expect(escapeHtml('<a href="x">`|`</a>\n&')).toBe('&lt;a href=&quot;x&quot;&gt;&#96;&#124;&#96;&lt;/a&gt; &amp;');
  });
});

describe('every credential that died is named, each with its own fix', () => {
  const chatgptExpired = record({
    attempt: 1,
    method: 'chatgpt',
    kind: 'refresh-token-expired',
    evidence: 'ERROR: Your access token could not be refreshed because your refresh token has expired.',
  });
  const keyRevoked = record({
    attempt: 2,
    method: 'api-key',
    kind: 'api-key-invalid',
    evidence: 'ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz.',
  });
  const bothDied = final({ attempts: 2, triedSecrets: ['chatgpt', 'api-key'], records: [chatgptExpired, keyRevoked] });

  it('codex-auth-json and openai-api-key both rejected: the annotation names both, with both fixes', () => {
    const a = failureAnnotation(bothDied);
    expect(a.title).toBe('codex-reauth: 2 credentials rejected (refresh-token-expired, api-key-invalid)');
    expect(a.message).toContain(
      'Attempt 1 (`refresh-token-expired`): The refresh token in the ChatGPT login in `codex-auth-json` has expired.',
    );
    expect(a.message).toContain('Fix: Sign in again: run `codex login` on a trusted machine and store the new `~/.codex/auth.json`');
    expect(a.message).toContain('Attempt 2 (`api-key-invalid`): The API key in `openai-api-key` was rejected');
    expect(a.message).toContain('Fix: Create a new key at https://platform.openai.com/api-keys');
    expect(a.message).toContain('Codex said: ERROR: Your access token could not be refreshed');
    expect(a.message).toContain('Codex said: ERROR: unexpected status 401');
    expect(a.message.length).toBeLessThan(4096);
  });

  it('the summary lists the earlier one too, from the records it is given', () => {
    const md = summaryMarkdown([chatgptExpired, keyRevoked], { ...bothDied, records: undefined }, false);
    expect(md).toContain('**Also rejected in this run**');
    expect(md).toContain('The refresh token in the ChatGPT login in `codex-auth-json` has expired. **Fix:** Sign in again');
    expect(md).toContain('**Fix:** Create a new key');
  });

  it('a dead secret before a final usage limit is still named, with its fix', () => {
    const quota = record({ attempt: 2, method: 'api-key', kind: 'usage-limit', evidence: 'ERROR: Quota exceeded.' });
    const a = failureAnnotation(final({ kind: 'usage-limit', attempts: 2, reason: 'not-retryable', records: [chatgptExpired, quota] }));
    expect(a.title).toBe('codex-reauth: Usage limit or quota reached (usage-limit)');
    expect(a.message).toContain('Earlier in this run, these credentials were rejected too; fix them as well:');
    expect(a.message).toContain('The refresh token in the ChatGPT login in `codex-auth-json` has expired.');
  });

  it('a stale cache on the runner is named, but needs nothing stored', () => {
    const cached = record({ attempt: 1, method: 'cached', kind: 'refresh-token-reused' });
    const a = failureAnnotation(final({ attempts: 2, records: [cached, keyRevoked] }));
    expect(a.message).toContain('the credentials cached on the runner (`/home/runner/.codex/auth.json`)');
    expect(a.message).toContain('Fix: Nothing to store: they were deleted from the runner');
  });

  it('one credential alone keeps the short form', () => {
    const a = failureAnnotation(final({ records: [record({ attempt: 1, method: 'api-key', kind: 'api-key-invalid' })] }));
    expect(a.title).toBe('codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(a.message).not.toContain('Earlier in this run');
  });

  it('never names a secret the action cannot know', () => {
    const texts = [failureAnnotation(bothDied).message, summaryMarkdown([chatgptExpired, keyRevoked], bothDied, false)];
    for (const kind of FAILURE_KINDS) texts.push(howToFix(kind), failureAnnotation(final({ kind })).message);
    for (const text of texts) expect(text).not.toMatch(/OPENAI_API_KEY|CODEX_AUTH_JSON/);
  });
});
