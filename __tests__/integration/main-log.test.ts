// The job log is where a user follows a recovery as it happens: one group per attempt naming the
// credentials it used, then what that attempt ended in (with codex's own words), what was cleared and
// what the action signed in with next. These lines are the log's story; the annotations only sum it up.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { chatgptLogin, createMainHarness, type MainHarness } from '../../test-support/main-harness.js';

jest.setTimeout(30_000);

let h: MainHarness;
beforeEach(() => {
  h = createMainHarness();
});
afterEach(() => h.dispose());

/** The log lines main writes itself (info and group markers), in order; the script's output goes elsewhere. */
const story = (calls: ReadonlyArray<{ fn: string; args: unknown[] }>): string[] =>
  calls
    .filter((c) => c.fn === 'info' || c.fn === 'startGroup' || c.fn === 'endGroup')
    .map((c) => (c.fn === 'endGroup' ? 'endGroup' : `${c.fn}: ${String(c.args[0])}`));

describe('the job log of a run', () => {
  it('a recovery down the whole ladder: each attempt, what it ended in, what was cleared and what came next', async () => {
    fs.mkdirSync(h.codexHome, { recursive: true });
    fs.writeFileSync(path.join(h.codexHome, 'auth.json'), chatgptLogin('rt-expired-cache'));
    const r = await h.run({
      run: 'codex exec "x"',
      'codex-auth-json': chatgptLogin('rt-reused-secret'),
      'openai-api-key': 'sk-good-key-0104',
    });
    const auth = path.join(h.codexHome, 'auth.json');
    expect(story(r.core.calls)).toEqual([
      `startGroup: codex-reauth: attempt 1 of 3 (credentials: the credentials cached on the runner (\`${auth}\`))`,
      'endGroup',
      'info: Attempt 1 failed: refresh-token-expired (exit code 1). Codex said: Your access token could not be refreshed because your refresh token has expired. Please log out and sign in again.',
      'info: Clearing the cached credentials and signing in with the ChatGPT login in `codex-auth-json`.',
      `info: Cleared cached credentials: ${auth}`,
      'info: Signed in with the ChatGPT login in `codex-auth-json`.',
      'startGroup: codex-reauth: attempt 2 of 3 (credentials: the ChatGPT login in `codex-auth-json`)',
      'endGroup',
      'info: Attempt 2 failed: refresh-token-reused (exit code 1). Codex said: Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
      'info: Clearing the cached credentials and signing in with the API key in `openai-api-key`.',
      `info: Cleared cached credentials: ${auth}`,
      'info: Signed in with the API key in `openai-api-key`.',
      'startGroup: codex-reauth: attempt 3 of 3 (credentials: the API key in `openai-api-key`)',
      'endGroup',
    ]);
  });

  it('a first-try success: one group, and no line calling the attempt failed or cleared', async () => {
    const r = await h.run({ run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-0105' });
    expect(r.exitCode).toBe(0);
    expect(story(r.core.calls)).toEqual([
      'info: Signed in with the API key in `openai-api-key`.',
      'startGroup: codex-reauth: attempt 1 of 3 (credentials: the API key in `openai-api-key`)',
      'endGroup',
    ]);
  });
});
