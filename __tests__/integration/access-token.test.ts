// Workspace access tokens through main.ts, with real processes: the fake codex on PATH answers the
// token check as codex 0.171 does (test-support/fake-codex.js). The real codex against the stand-in
// runs the same cases in __tests__/e2e/access-token.test.ts.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { chatgptLogin, createMainHarness, type MainHarness, type MainRun } from '../../test-support/main-harness.js';

jest.setTimeout(30_000);

let h: MainHarness;
beforeEach(() => {
  h = createMainHarness();
});
afterEach(() => h.dispose());

const RUN = 'codex exec "fix the tests"';
const GOOD = 'at-good-token-4000';
const BAD = 'at-bad-token-4001';

/** How many times the fake codex ran `codex exec` (its argv log has one line per invocation). */
const execs = (r: MainRun): number => r.argvLog.split('\n').filter((l) => l.includes('"exec"')).length;

/** Everything a person or a later step could read of the run. */
const visible = (r: MainRun): string =>
  [JSON.stringify(r.core.calls), JSON.stringify(r.core.outputs), r.core.summary, r.output, r.argvLog].join('\n');

describe('a workspace access token in codex-access-token', () => {
  it('healthy: signed in over stdin, the run succeeds with auth-method access-token', async () => {
    const r = await h.run({ run: RUN, 'codex-access-token': GOOD });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-method': 'access-token', attempts: '1', recovered: 'false' });
    expect(r.argvLog).toContain('"--with-access-token"');
    expect(visible(r)).not.toContain(GOOD);
    expect(r.core.secrets).toContain(GOOD);
  });

  it('revoked, alone: one access-token-invalid annotation and the script never runs', async () => {
    const r = await h.run({ run: RUN, 'codex-access-token': BAD });
    expect(r.exitCode).toBe(1);
    expect(r.spawned).toBe(0);
    expect(execs(r)).toBe(0);
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'access-token-invalid', 'auth-method': 'access-token', attempts: '0' });
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].title).toBe('codex-reauth: Workspace access token rejected (access-token-invalid)');
    expect(errors[0].message).toContain('The workspace access token in `codex-access-token` was rejected (401 Unauthorized)');
    expect(errors[0].message).toContain('update the secret passed as `codex-access-token`');
    expect(errors[0].message).toContain('Codex said: Error logging in with access token: personal access token metadata request failed');
    expect(r.core.summary).toContain('refused when signing in');
    expect(fs.existsSync(path.join(h.codexHome, 'auth.json'))).toBe(false);
    expect(visible(r)).not.toContain(BAD);
  });

  it('revoked, with an API key behind it: recovered, and the warning names codex-access-token', async () => {
    const r = await h.run({ run: RUN, 'codex-access-token': BAD, 'openai-api-key': 'sk-good-key-4002' });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-method': 'api-key', attempts: '1', recovered: 'true' });
    expect(execs(r)).toBe(1);
    const warnings = r.core.of('warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].title).toBe('codex-reauth recovered: Workspace access token rejected (access-token-invalid)');
    expect(warnings[0].message).toContain('The workspace access token in `codex-access-token` was rejected');
    expect(warnings[0].message).toContain('Signed in with the API key in `openai-api-key` instead; attempt 1 succeeded.');
    expect(r.core.of('error')).toHaveLength(0);
  });

  it('accepted by the check but refused by the model API: access-token-invalid, never not-logged-in, stopped at the first retry', async () => {
    // --json: the retry events name their cause, as codex's retry logger does in human mode.
    const r = await h.run({ run: 'codex exec --json "fix the tests"', 'codex-access-token': 'at-apirefuse-4003' });
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'access-token-invalid', attempts: '1' });
    expect(r.core.of('info').map((i) => i.message)).toContain(
      "Stopped this attempt at codex's first retry: access-token-invalid cannot get better by retrying.",
    );
    expect(r.core.of('error')[0].message).toContain('`codex-access-token`');
  });

  it('a dead ChatGPT login falls to the access token', async () => {
    const r = await h.run({ run: RUN, 'codex-auth-json': chatgptLogin('rt-reused-4004'), 'codex-access-token': GOOD });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toMatchObject({ 'auth-method': 'access-token', attempts: '2', recovered: 'true' });
    expect(r.core.of('warning')[0].message).toContain('`codex-auth-json`');
    expect(r.core.of('warning')[0].message).toContain('signed in again with the workspace access token in `codex-access-token`');
  });

  it('every credential dead: one annotation naming each, the access token refused at its check', async () => {
    const r = await h.run({
      run: RUN,
      'codex-auth-json': chatgptLogin('rt-expired-4005'),
      'codex-access-token': BAD,
      'openai-api-key': 'sk-bad-key-4006',
    });
    expect(r.exitCode).toBe(1);
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].title).toBe('codex-reauth: 3 credentials rejected (refresh-token-expired, access-token-invalid, api-key-invalid)');
    expect(errors[0].message).toContain(
      '- Sign-in check before attempt 2 (`access-token-invalid`): The workspace access token in `codex-access-token`',
    );
    expect(errors[0].message).toContain('- Attempt 2 (`api-key-invalid`)');
    expect(r.core.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'api-key-invalid' });
  });

  it('the auth server cannot be reached: signed in without the check, and codex decides', async () => {
    const r = await h.run({ run: RUN, 'codex-access-token': 'at-unreachable-4007' });
    expect(r.core.of('info').map((i) => i.message)).toContainEqual(
      expect.stringContaining('codex could not check the workspace access token'),
    );
    expect(execs(r)).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(h.codexHome, 'auth.json'), 'utf8'))).toEqual({
      OPENAI_API_KEY: null,
      personal_access_token: 'at-unreachable-4007',
    });
  });
});

describe('CODEX_ACCESS_TOKEN in the job environment', () => {
  it('refused: named as the environment variable, nothing cleared, the secrets not blamed, the script not run', async () => {
    fs.mkdirSync(h.codexHome, { recursive: true });
    const cached = path.join(h.codexHome, 'auth.json');
    fs.writeFileSync(cached, JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-good-key-4008' }));
    const r = await h.run({ run: RUN, 'openai-api-key': 'sk-good-key-4009' }, { CODEX_ACCESS_TOKEN: BAD });
    expect(r.exitCode).toBe(1);
    expect(r.spawned).toBe(0);
    expect(fs.existsSync(cached)).toBe(true);
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'access-token-invalid', 'auth-method': 'env-access-token' });
    const [error] = r.core.of('error');
    expect(error.message).toContain('the `CODEX_ACCESS_TOKEN` environment variable');
    expect(error.message).toContain('Fix: Update `CODEX_ACCESS_TOKEN` where the workflow sets it');
    expect(error.message).toContain('nothing was cleared');
    expect(error.message).not.toContain('openai-api-key');
    expect(visible(r)).not.toContain(BAD);
    expect(r.core.secrets).toContain(BAD);
  });

  it('accepted: the run uses it (auth-method env-access-token)', async () => {
    const r = await h.run({ run: RUN }, { CODEX_ACCESS_TOKEN: GOOD });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toMatchObject({ 'auth-method': 'env-access-token', 'failure-kind': 'none' });
  });
});

describe('no credential at all (a pull request from a fork)', () => {
  it('CODEX_HOME exists for codex, and the one annotation is not-logged-in with what to do about forks', async () => {
    const r = await h.run({ run: RUN, 'openai-api-key': '', 'codex-auth-json': '', 'codex-access-token': '' });
    expect(r.output).not.toContain('CODEX_HOME points to');
    expect(fs.statSync(h.codexHome).isDirectory()).toBe(true);
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'not-logged-in', 'auth-method': 'none' });
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].title).toBe('codex-reauth: Codex is not signed in (not-logged-in)');
    expect(errors[0].message).toContain('GitHub passes no secrets to workflows triggered by pull requests from forks');
    expect(errors[0].message).toContain('Do not switch to `pull_request_target`');
  });
});

describe('mix-ups in codex-access-token are refused before codex runs', () => {
  it.each([
    ['an API key', 'sk-proj-secret-4010'],
    ['a JWT', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQwMTEifQ.c2lnbmF0dXJlNDAxMQ'],
    ['a whole auth.json', chatgptLogin('rt-good-4012')],
    ['quotes', '"at-good-token-4013"'],
    ['white space', 'at-good-token-4014\n'],
    ['a masked value', '***'],
  ])('%s', async (_what, value) => {
    const r = await h.run({ run: RUN, 'codex-access-token': value, 'openai-api-key': 'sk-good-key-4015' });
    expect(r.exitCode).toBe(1);
    expect(r.spawned).toBe(0);
    expect(r.argvLog).toBe('');
    expect(r.core.of('error')).toHaveLength(1);
    expect(r.core.of('error')[0].title).toBe("codex-reauth: invalid input 'codex-access-token'");
    if (value.length >= 8) expect(visible(r)).not.toContain(value.trim());
  });
});
