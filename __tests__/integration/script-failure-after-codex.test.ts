// The codex shim notes each codex exit code. When every codex run in an attempt succeeded, a failure is
// the user's own commands ('other'), never an auth failure, even when the script then prints exactly
// what codex prints for a dead credential: re-running an agent (and clearing a working login) for a
// failing test would cost the user money and their login.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { createMainHarness, type MainHarness } from '../../test-support/main-harness.js';

jest.setTimeout(30_000);

const REUSED =
  'ERROR: Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.';
const BAD_KEY =
  'ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: sk-bad***0001. You can find your API key at https://platform.openai.com/account/api-keys., url: https://api.openai.com/v1/responses';

let h: MainHarness;
beforeEach(() => {
  h = createMainHarness();
});
afterEach(() => h.dispose());

const cachedKey = (key: string) => {
  fs.mkdirSync(h.codexHome, { recursive: true });
  fs.writeFileSync(path.join(h.codexHome, 'auth.json'), JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key }));
};

describe('a script that fails after codex succeeded', () => {
  it.each([
    ['a refresh-token error', REUSED],
    ['a rejected-key error', BAD_KEY],
  ])('printing %s itself is `other`: one attempt, its exit code, credentials untouched', async (_label, line) => {
    cachedKey('sk-good-cached-2001');
    const r = await h.run({
      run: `codex exec "run the tests"\necho '${line}' >&2\nexit 1`,
      'openai-api-key': 'sk-good-key-2001',
    });
    expect(r.spawned).toBe(1);
    expect(r.core.outputs).toMatchObject({
      'exit-code': '1',
      attempts: '1',
      'failure-kind': 'other',
      recovered: 'false',
      'auth-method': 'cached',
    });
    // The working cached login was neither cleared nor replaced.
    expect(JSON.parse(fs.readFileSync(path.join(h.codexHome, 'auth.json'), 'utf8')).OPENAI_API_KEY).toBe('sk-good-cached-2001');
    expect(r.argvLog).not.toContain('--with-api-key');
    const [error] = r.core.of('error');
    expect(error.title).toBe('codex-reauth: Run failed (other)');
    expect(error.message).toContain('exited with code 1');
  });

  it('the same line printed when codex itself failed is an auth failure, and the ladder moves on', async () => {
    // Control case: codex exits 1 (a dead cached key), so the log decides.
    cachedKey('sk-bad-cached-2002');
    const r = await h.run({ run: 'codex exec "run the tests"', 'openai-api-key': 'sk-good-key-2002' });
    expect(r.core.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'none', recovered: 'true', 'auth-method': 'api-key' });
  });

  it('codex run twice, the second run failing: the failure is codex’s, so it is classified', async () => {
    cachedKey('sk-good-cached-2003');
    const r = await h.run({
      run: 'codex exec "first"\nprintf \'{"auth_mode":"apikey","OPENAI_API_KEY":"sk-bad-2003"}\' > "$CODEX_HOME/auth.json"\ncodex exec "second"',
      'max-attempts': '1',
    });
    expect(r.core.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'api-key-invalid' });
  });
});
