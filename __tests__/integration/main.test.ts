// main.ts end to end in-process: a recording fake of @actions/core, the real process runner, and the
// fake codex (test-support/fake-codex.js) on PATH, in a temporary HOME.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { chatgptLogin, createMainHarness, type MainHarness } from '../../test-support/main-harness.js';
import { runningWith } from '../../test-support/processes.js';

// Each test runs real processes.
jest.setTimeout(30_000);

let harness: MainHarness;
let tmp: string;
let codexHome: string;
let bin: string;
let out: string;

beforeEach(() => {
  harness = createMainHarness();
  ({ tmp, codexHome, bin } = harness);
  out = '';
});
afterEach(() => harness.dispose());

function plantCache(json: string): void {
  fs.mkdirSync(path.join(codexHome, 'sessions'), { recursive: true });
  fs.writeFileSync(path.join(codexHome, 'auth.json'), json);
  fs.writeFileSync(path.join(codexHome, 'config.toml'), 'model = "gpt-5-codex"\n');
}

async function runMain(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const r = await harness.run(inputs, env);
  out += r.output;
  return r;
}

describe('main', () => {
  it('healthy run: signs in with the API key, runs once, reports success', async () => {
    const r = await runMain({ run: 'codex exec "say hi"', 'openai-api-key': 'sk-good-key-0001' });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toEqual({
      'exit-code': '0',
      attempts: '1',
      'failure-kind': 'none',
      recovered: 'false',
      'auth-method': 'api-key',
      // No write-back configured: nothing was saved to a secret.
      'auth-json-secret-updated': 'false',
    });
    expect(r.core.of('error')).toEqual([]);
    expect(out).toContain('done');
    // the key went over stdin, never argv; the file store was forced
    expect(r.argvLog).not.toContain('sk-good-key-0001');
    expect(r.argvLog).toContain('cli_auth_credentials_store=file');
  });

  it('stale cached ChatGPT login + API key secret: clears, signs in, recovers, keeps config.toml', async () => {
    plantCache(chatgptLogin('rt-reused-1'));
    const r = await runMain({ run: 'codex exec "fix it"', 'openai-api-key': 'sk-good-key-0002' });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'none', recovered: 'true', 'auth-method': 'api-key' });
    const warnings = r.core.of('warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].title).toBe('codex-reauth recovered: Codex refresh token already used (refresh-token-reused)');
    expect(warnings[0].message).toContain('signed in again with the API key in `openai-api-key`');
    expect(fs.readFileSync(path.join(codexHome, 'config.toml'), 'utf8')).toBe('model = "gpt-5-codex"\n');
    expect(fs.existsSync(path.join(codexHome, 'sessions'))).toBe(true);
    expect(r.core.summary).toContain('| 1 | cached on the runner | ❌ exit 1 | `refresh-token-reused` |');
    expect(r.core.summary).toMatch(/\| 2 \| API key \(`openai-api-key`\) \(after clearing the cache\) \| ✅ exit 0 \| `none` \|/);
    expect(r.argvLog).not.toContain('logout');
  });

  it('revoked API key and nothing else: one error annotation that says what to do', async () => {
    const r = await runMain({ run: 'codex exec "x"', 'openai-api-key': 'sk-bad-key-0003' });
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs).toMatchObject({
      'exit-code': '1',
      attempts: '1',
      'failure-kind': 'api-key-invalid',
      recovered: 'false',
      'auth-method': 'api-key',
    });
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].title).toBe('codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(errors[0].message).toContain('Create a new key at https://platform.openai.com/api-keys');
  });

  it('walks the whole ladder: cached → codex-auth-json → openai-api-key', async () => {
    plantCache(chatgptLogin('rt-expired-cache'));
    const r = await runMain({
      run: 'codex exec "x"',
      'codex-auth-json': chatgptLogin('rt-reused-secret'),
      'openai-api-key': 'sk-good-key-0004',
    });
    expect(r.core.outputs).toMatchObject({ attempts: '3', 'failure-kind': 'none', recovered: 'true', 'auth-method': 'api-key' });
    expect(r.core.of('warning').map((w) => w.title)).toEqual([
      'codex-reauth recovered: Codex refresh token expired (refresh-token-expired)',
      'codex-reauth recovered: Codex refresh token already used (refresh-token-reused)',
    ]);
  });

  it('a ChatGPT secret that refreshes fine: auth.json written 0600 and rotated by codex', async () => {
    const r = await runMain({ run: 'codex exec "x"', 'codex-auth-json': Buffer.from(chatgptLogin('rt-good-1')).toString('base64') });
    expect(r.core.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'none', 'auth-method': 'chatgpt' });
    const file = path.join(codexHome, 'auth.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).tokens.refresh_token).toBe('rt-good-1-rotated');
    expect(r.core.state.wroteAuthFile).toBe(file);
  });

  it('expired refresh token with no fallback: fails naming the secret and the fix', async () => {
    const r = await runMain({ run: 'codex exec "x"', 'codex-auth-json': chatgptLogin('rt-expired-2') });
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'refresh-token-expired' });
    const [error] = r.core.of('error');
    expect(error.message).toContain('The refresh token in the ChatGPT login in `codex-auth-json` has expired.');
    expect(error.message).toContain('Every credential given was tried (`codex-auth-json`); none is left.');
  });

  it('usage limit: stops at once and leaves the credentials alone', async () => {
    plantCache(JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-quota-cached' }));
    const r = await runMain({ run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-0005' });
    expect(r.core.outputs).toMatchObject({ attempts: '1', 'failure-kind': 'usage-limit', 'auth-method': 'cached' });
    expect(JSON.parse(fs.readFileSync(path.join(codexHome, 'auth.json'), 'utf8')).OPENAI_API_KEY).toBe('sk-quota-cached');
  });

  it("the script's own failure after codex succeeded is 'other', never re-run, even when the agent quotes an auth error", async () => {
    const r = await runMain(
      { run: 'codex exec "why did it fail?"\necho "FAIL refresh token has expired test"\nexit 3', 'openai-api-key': 'sk-good-key-0006' },
      {
        FAKE_CODEX_REPLY:
          'ERROR: Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
      },
    );
    expect(r.spawned).toBe(1);
    expect(r.core.outputs).toMatchObject({ 'exit-code': '3', attempts: '1', 'failure-kind': 'other', recovered: 'false' });
    expect(r.core.of('error')[0].message).toContain('exited with code 3');
  });

  it('rate limits retry with the same credentials after a backoff, up to max-attempts', async () => {
    const r = await runMain({
      run: 'codex exec "x"',
      'openai-api-key': 'sk-rate-key-0007',
      'retry-wait-seconds': '2',
      'max-attempts': '3',
    });
    expect(r.core.outputs).toMatchObject({ attempts: '3', 'failure-kind': 'rate-limited' });
    expect(r.sleeps).toEqual([2000, 4000]);
    // signed in once: retries reuse the same credentials
    expect(r.argvLog.match(/--with-api-key/g)).toHaveLength(1);
  });

  it('a hung codex is killed by timeout-minutes, retried, and nothing is left running', async () => {
    // Unique to this run: another suite on the machine may be running the same test.
    const hangKey = `sk-hang-key-0008-${process.pid}`;
    const r = await runMain({
      run: 'codex exec "x"',
      'openai-api-key': hangKey,
      'timeout-minutes': '0.01',
      'max-attempts': '2',
    });
    expect(r.core.outputs).toMatchObject({ attempts: '2', 'failure-kind': 'timeout' });
    expect(r.core.of('error')[0].message).toContain('ran past `timeout-minutes` (0.01 minutes)');
    expect(runningWith(hangKey)).toEqual([]);
    expect(runningWith(codexHome)).toEqual([]);
  });

  it('bad input: an error annotation naming it, before anything runs or is deleted', async () => {
    plantCache(chatgptLogin('rt-reused-3'));
    const r = await runMain({ run: 'codex exec "x"', 'max-attempts': '0', 'openai-api-key': 'sk-good-key-0009' });
    expect(r.exitCode).toBe(1);
    expect(r.spawned).toBe(0);
    expect(r.core.of('error')).toEqual([
      {
        message: "Input 'max-attempts' must be a whole number of 1 or more, like '3'; got '0'.",
        title: "codex-reauth: invalid input 'max-attempts' (other)",
      },
    ]);
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(true);
  });

  it('masks every secret before printing anything', async () => {
    const auth = chatgptLogin('rt-good-9');
    const r = await runMain({ run: 'codex exec "x"', 'codex-auth-json': auth, 'openai-api-key': 'sk-good-key-0010' });
    const firstPrint = r.core.calls.findIndex((c) => ['info', 'warning', 'error', 'startGroup', 'setOutput'].includes(c.fn));
    const lastMask = r.core.calls.map((c) => c.fn).lastIndexOf('setSecret');
    expect(lastMask).toBeLessThan(firstPrint);
    for (const v of ['sk-good-key-0010', 'rt-good-9', 'access-rt-good-9-token', auth]) expect(r.core.secrets).toContain(v);
    const printed = JSON.stringify(r.core.calls.filter((c) => c.fn !== 'setSecret')) + JSON.stringify(r.core.outputs) + r.core.summary;
    for (const v of ['sk-good-key-0010', 'rt-good-9']) expect(printed).not.toContain(v);
  });

  it('removes its work folder (script and shim) when it ends', async () => {
    await runMain({ run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-0011' });
    expect(fs.readdirSync(path.join(tmp, 'rt'))).toEqual([]);
  });

  it('a shell that is not installed: one clear annotation, no stack trace', async () => {
    const r = await runMain({ run: 'Write-Output hi', shell: 'pwsh' }, { PATH: bin });
    expect(r.exitCode).toBe(1);
    expect(r.core.of('error')).toEqual([
      {
        message: "The shell 'pwsh' (pwsh) was not found on PATH: install it or choose another `shell`.",
        title: 'codex-reauth: could not run the step (other)',
      },
    ]);
    expect(fs.readdirSync(path.join(tmp, 'rt'))).toEqual([]);
  });

  it('sets RUST_LOG so human-mode codex names the cause of each retry, unless the user set one', async () => {
    await runMain({ run: 'echo "RUST_LOG=$RUST_LOG"' });
    expect(out).toContain('RUST_LOG=error,codex_core::responses_retry=warn');
    out = '';
    await runMain({ run: 'echo "RUST_LOG=$RUST_LOG"' }, { RUST_LOG: 'debug' });
    expect(out).toContain('RUST_LOG=debug');
  });
});
