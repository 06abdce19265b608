// What a user of the action sees from main.ts on the less travelled paths: the outputs of a step that
// stopped before anything ran, the text of its one error annotation, what codex said (or not) in the
// report, how many warnings a long recovery leaves, and the write-back of a rotated login (against the
// loopback stand-in of GitHub's secrets API). Real processes: the fake codex on PATH.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { FakeCore } from '../../test-support/fake-core.js';
import { FAKE_CODEX, chatgptLogin, createMainHarness, type MainHarness } from '../../test-support/main-harness.js';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';

jest.setTimeout(30_000);

let h: MainHarness;
beforeEach(() => {
  h = createMainHarness();
});
afterEach(() => h.dispose());

function plant(json: string): void {
  fs.mkdirSync(h.codexHome, { recursive: true });
  fs.writeFileSync(path.join(h.codexHome, 'auth.json'), json);
}

const BAD_KEY_LINE =
  'ERROR: unexpected status 401 Unauthorized: Incorrect API key provided: sk-bad***3001. You can find your API key at https://platform.openai.com/account/api-keys., url: https://api.openai.com/v1/responses';

describe('a step that stops before anything runs', () => {
  it('an invalid input: failure-kind other, 0 attempts, and one annotation naming the input', async () => {
    const r = await h.run({ run: 'codex exec "x"', 'max-attempts': '0' });
    expect(r.exitCode).toBe(1);
    expect(r.spawned).toBe(0);
    expect(r.core.outputs).toEqual({ 'failure-kind': 'other', attempts: '0' });
    expect(r.core.of('error').map((e) => e.title)).toEqual(["codex-reauth: invalid input 'max-attempts' (other)"]);
  });

  it('inputs that cannot be read at all: one annotation saying so, with every secret in the cause masked', async () => {
    class UnreadableInputs extends FakeCore {
      override getInput(name: string): string {
        if (name === 'run') throw new Error('input store unreadable after sk-good-key-3000');
        return super.getInput(name);
      }
    }
    const core = new UnreadableInputs({ 'openai-api-key': 'sk-good-key-3000' });
    const r = await h.run({}, {}, { core });
    expect(r.exitCode).toBe(1);
    expect(r.spawned).toBe(0);
    expect(core.outputs).toEqual({ 'failure-kind': 'other', attempts: '0' });
    expect(core.of('error')).toEqual([
      {
        message:
          'Could not read the inputs: input store unreadable after ***\nFix: check the values passed under `with:`: one of them could not be read at all (for example a JSON value nested too deeply).',
        title: 'codex-reauth: could not read the inputs (other)',
      },
    ]);
  });

  it('no writable temporary folder: the error says where it looked and why it failed', async () => {
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-3001' },
      { RUNNER_TEMP: path.join(h.tmp, 'gone-1') },
      { tmpdir: path.join(h.tmp, 'gone-2') },
    );
    const [error] = r.core.of('error');
    expect(error.message).toMatch(/^Could not create a private work folder in RUNNER_TEMP or the system's temporary folder: .*ENOENT/);
  });
});

describe('the attempt', () => {
  it('the script file (which may hold secrets expanded into `run`) is readable by its owner only', async () => {
    const r = await h.run({ run: 'stat -c "mode=%a" "$0"' });
    expect(r.output).toContain('mode=700');
  });

  it('a blank CODEX_API_KEY in the environment is not a credential: the run is reported as signed in with openai-api-key', async () => {
    const r = await h.run({ run: 'echo ok', 'openai-api-key': 'sk-good-key-3002' }, { CODEX_API_KEY: '  ' });
    expect(r.core.outputs['auth-method']).toBe('api-key');
  });

  it('when no secret can be written, the error names each secret and why, separated', async () => {
    fs.mkdirSync(path.join(h.codexHome, 'auth.json'), { recursive: true });
    const r = await h.run({ run: 'codex exec "x"', 'codex-auth-json': chatgptLogin('rt-good-3003'), 'openai-api-key': 'sk-good-key-3003' });
    const [error] = r.core.of('error');
    expect(error.message).toMatch(
      /^Signing in failed, so the run script never ran: the ChatGPT login in `codex-auth-json`: .+; the API key in `openai-api-key`: .+/,
    );
    expect(r.argvLog).not.toContain('"exec"');
    // The summary tells the same story: nothing ran, so it is not the script's own failure.
    expect(r.core.summary).toContain('❌ **Sign-in failed** (`other`)');
    expect(r.core.summary).toContain('**What happened:** Signing in failed, so the run script never ran:');
    expect(r.core.summary).not.toContain("the script's own failure");
    expect(r.core.summary).toContain(`**Fix:** Make sure this job can write \`${h.codexHome}/auth.json\``);
  });

  it('when signing in fails after a credential was rejected, the annotation and the summary name both', async () => {
    // Attempt 1's ChatGPT login is dead; then the script leaves a folder where auth.json goes, so the
    // API key cannot be signed in with.
    const r = await h.run({
      run: 'codex exec "x" || { rm -f "$CODEX_HOME/auth.json"; mkdir "$CODEX_HOME/auth.json"; exit 1; }',
      'codex-auth-json': chatgptLogin('rt-expired-3010'),
      'openai-api-key': 'sk-good-key-3010',
    });
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'other', attempts: '1', recovered: 'false' });
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].title).toBe('codex-reauth: Sign-in failed (other)');
    expect(errors[0].message).toMatch(
      /^Signing in failed, so the run script was not run again after attempt 1 \(`refresh-token-expired`\): the API key in `openai-api-key`: /,
    );
    expect(errors[0].message).toContain(
      'Earlier in this run, these credentials were rejected too; fix them as well:\n- Attempt 1 (`refresh-token-expired`): The refresh token in the ChatGPT login in `codex-auth-json` has expired.',
    );
    expect(r.core.summary).toContain(
      '**What happened:** Signing in failed, so the run script was not run again after attempt 1 (`refresh-token-expired`):',
    );
    // What codex said is about the expired login, listed with it; nothing codex said explains the sign-in.
    expect(errors[0].message.match(/Codex said: /g)).toHaveLength(1);
    expect(errors[0].message).toMatch(/\n {2}Codex said: .*refresh token has expired/);
    expect(r.core.summary).not.toContain('What codex said');
    expect(r.core.summary).toContain('**Also rejected in this run** (each needs its own fix):');
    expect(r.core.summary).toContain('Attempt 1 (`refresh-token-expired`)');
  });

  it.each([
    ['the workspace exists', false],
    ['the workspace is missing', true],
  ])('a spawn failure other than ENOENT is reported as it is (%s)', async (_label, missing) => {
    const spawnError = Object.assign(new Error('spawn bash EACCES'), { code: 'EACCES' });
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-3004' },
      missing ? { GITHUB_WORKSPACE: path.join(h.tmp, 'no-ws') } : {},
      { runProcess: () => Promise.reject(spawnError) },
    );
    expect(r.core.of('error')).toEqual([{ message: 'spawn bash EACCES', title: 'codex-reauth: could not run the step (other)' }]);
  });

  it('codex run by its full path (outside the shim) with a rejected key: its own error line still decides the kind', async () => {
    plant(JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-bad-cached-3005' }));
    const r = await h.run(
      { run: `"${process.execPath}" "${FAKE_CODEX}" exec "x"`, 'max-attempts': '1' },
      { PATH: `/usr/bin${path.delimiter}/bin` },
    );
    expect(r.core.outputs['failure-kind']).toBe('api-key-invalid');
  });
});

describe('what codex said, in the report', () => {
  it('is quoted for a rejected credential', async () => {
    const r = await h.run({ run: 'codex exec "x"', 'openai-api-key': 'sk-bad-key-3006' });
    expect(r.core.summary).toContain('What codex said');
    // The annotation as the job page shows it, whole: what died, why it stopped, the fix, codex's line.
    expect(r.core.of('error')).toEqual([
      {
        title: 'codex-reauth: OpenAI API key rejected (api-key-invalid)',
        message:
          'The API key in `openai-api-key` was rejected as revoked, expired or mistyped. Every credential given was tried (`openai-api-key`); none is left.\n' +
          'Fix: Create a new key at https://platform.openai.com/api-keys and update the secret passed as `openai-api-key`.\n' +
          'Codex said: unexpected status 401 Unauthorized: Incorrect API key provided: sk-bad***3006. You can find your API key at https://platform.openai.com/account/api-keys.',
      },
    ]);
  });

  it.each([
    ['the script failed after codex succeeded (other)', { run: `codex exec "x"\necho '${BAD_KEY_LINE}' >&2\nexit 1` }, 'other'],
    [
      "another tool's 401 before codex ran (other)",
      { run: 'echo "ERROR: failed to solve: failed to fetch oauth token: unexpected status: 401 Unauthorized" >&2\nexit 1' },
      'other',
    ],
    ['the attempt timed out', { run: `echo '${BAD_KEY_LINE}' >&2\nsleep 30`, 'timeout-minutes': '0.01', 'max-attempts': '1' }, 'timeout'],
  ])('is not quoted when %s: the line was not why it ended', async (_label, inputs, kind) => {
    const r = await h.run({ 'openai-api-key': 'sk-good-key-3007', ...inputs });
    expect(r.core.outputs['failure-kind']).toBe(kind);
    expect(r.core.summary).not.toContain('What codex said');
    expect(r.core.of('error')[0].message).not.toContain('Codex said');
  });

  it('is not quoted when the step was cancelled', async () => {
    const cancel = new AbortController();
    let seen = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        seen += chunk.toString();
        if (seen.includes('codex-line-printed')) cancel.abort('SIGINT');
        cb();
      },
    });
    const r = await h.run(
      { run: `echo '${BAD_KEY_LINE}' >&2\nsleep 0.2\necho codex-line-printed\nsleep 30`, 'openai-api-key': 'sk-good-key-3008' },
      {},
      { cancelSignal: cancel.signal, stdout: sink, stderr: sink },
    );
    expect(r.core.outputs['failure-kind']).toBe('cancelled');
    expect(r.core.summary).not.toContain('What codex said');
    expect(r.core.of('error')[0].message).not.toContain('Codex said');
  });
});

describe('a missing command is blamed on codex only when no codex is on PATH', () => {
  it('codex on PATH, another command missing (exit 127): the script’s own failure', async () => {
    const r = await h.run({ run: 'no-such-command-3009', 'openai-api-key': 'sk-good-key-3009' });
    expect(r.core.outputs['exit-code']).toBe('127');
    expect(r.core.of('error')[0].message).not.toContain('could not find codex');
    expect(r.core.of('error')[0].message).toContain('exited with code 127');
  });

  it('codex installed by the script itself, another command missing: not blamed on codex', async () => {
    const later = path.join(h.tmp, 'later-bin');
    fs.mkdirSync(later);
    const r = await h.run(
      { run: `printf '#!/bin/sh\\nexit 0\\n' > "${later}/codex"\nchmod +x "${later}/codex"\nno-such-command-3010` },
      { PATH: `${later}${path.delimiter}/usr/bin${path.delimiter}/bin` },
    );
    expect(r.core.outputs['exit-code']).toBe('127');
    expect(r.core.of('error')[0].message).not.toContain('could not find codex');
  });
});

describe('warnings of a run that got past trouble', () => {
  it('at most five, however many failures came before the success', async () => {
    const r = await h.run(
      { run: 'codex exec "x"', 'openai-api-key': 'sk-good-key-3011', 'max-attempts': '7' },
      { FAKE_CODEX_FAIL_FIRST: '6', FAKE_CODEX_FAIL_AS: 'network', FAKE_CODEX_STATE: path.join(h.tmp, 'runs') },
    );
    expect(r.core.outputs).toMatchObject({ attempts: '7', 'failure-kind': 'none' });
    expect(r.core.of('warning')).toHaveLength(5);
  });

  it('without write-back, a reused refresh token’s error ends with what codex said, nothing appended', async () => {
    const r = await h.run({ run: 'codex exec "x"', 'codex-auth-json': chatgptLogin('rt-reused-3012') });
    expect(r.core.outputs['failure-kind']).toBe('refresh-token-reused');
    const [error] = r.core.of('error');
    expect(error.message.split('\n').at(-1)).toMatch(/^Codex said: .*refresh token was already used\. Please log out and sign in again\.$/);
  });
});

describe('write-back of a rotated login', () => {
  let gh: GithubSecretsStandin;
  beforeAll(async () => {
    gh = await startGithubSecretsStandin({ repository: 'octo/app' });
  });
  afterAll(async () => {
    await gh.close();
  });

  const NAME = 'CODEX_AUTH_JSON';
  const HINT = 'With write-back on, this means another job or run used the same copy of CODEX_AUTH_JSON at the same time';
  const refreshOf = (value: string | undefined): string => JSON.parse(value ?? '{}').tokens?.refresh_token;

  function writeback(stored: string, grant: 'read' | 'write' = 'write') {
    gh.setSecret(NAME, stored);
    return { 'codex-auth-json': stored, 'auth-json-secret': NAME, 'secrets-token': gh.token({ secrets: grant }) };
  }

  it('the login codex rotated is saved to the secret, and the output says so', async () => {
    const r = await h.run({ run: 'codex exec "x"', ...writeback(chatgptLogin('rt-good-4001')) }, gh.env());
    expect(r.core.outputs['auth-json-secret-updated']).toBe('true');
    expect(refreshOf(gh.secret(NAME))).toBe('rt-good-4001-rotated');
    expect(r.exitCode).toBe(0);
  });

  it("a login cached on the runner, which codex rotated, is never written to the secret: it is not the secret's", async () => {
    // A self-hosted runner kept a login of the same account from an earlier job; `login: auto` uses it.
    plant(chatgptLogin('rt-good-cache-4010'));
    const stored = chatgptLogin('rt-good-4010');
    const r = await h.run({ run: 'codex exec "x"', ...writeback(stored) }, gh.env());
    expect(r.core.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-method': 'cached', 'auth-json-secret-updated': 'false' });
    expect(refreshOf(fs.readFileSync(path.join(h.codexHome, 'auth.json'), 'utf8'))).toBe('rt-good-cache-4010-rotated');
    expect(gh.secret(NAME)).toBe(stored);
  });

  it('a token that cannot write the secret: nothing runs, one error, 0 attempts', async () => {
    const r = await h.run({ run: 'codex exec "x"', ...writeback(chatgptLogin('rt-good-4002'), 'read') }, gh.env());
    expect(r.spawned).toBe(0);
    expect(r.argvLog).toBe('');
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs).toMatchObject({ attempts: '0', 'auth-json-secret-updated': 'false' });
    expect(refreshOf(gh.secret(NAME))).toBe('rt-good-4002');
  });

  it('recovered runs: only the warning for a reused refresh token carries the parallel-use hint', async () => {
    plant(chatgptLogin('rt-expired-cache-4003'));
    const r = await h.run(
      { run: 'codex exec "x"', ...writeback(chatgptLogin('rt-reused-4003')), 'openai-api-key': 'sk-good-key-4003' },
      gh.env(),
    );
    const warnings = r.core.of('warning');
    expect(warnings.map((w) => w.title)).toEqual([
      'codex-reauth recovered: Codex refresh token expired (refresh-token-expired)',
      'codex-reauth recovered: Codex refresh token already used (refresh-token-reused)',
    ]);
    // The cached login needs nothing stored, and gets no write-back advice appended.
    expect(warnings[0].message).toContain(
      'attempt 2 failed too (`refresh-token-reused`).\nNothing to store: they were deleted from the runner',
    );
    expect(warnings[0].message).not.toContain('concurrency');
    expect(warnings[1].message).toContain(HINT);
  });

  it.each([
    ['rt-reused-4004', 'refresh-token-reused', true],
    ['rt-expired-4005', 'refresh-token-expired', false],
  ])('a run that ends with %s: the hint is in the error only for a reused token', async (refresh, kind, hinted) => {
    const r = await h.run({ run: 'codex exec "x"', ...writeback(chatgptLogin(refresh)) }, gh.env());
    expect(r.core.outputs['failure-kind']).toBe(kind);
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message.includes(HINT)).toBe(hinted);
    expect(errors[0].message.includes('concurrency')).toBe(hinted);
  });

  it('saving fails for good at the end of a normal run: the stale-secret error, and the step fails', async () => {
    const inputs = writeback(chatgptLogin('rt-good-4006'));
    gh.failNext(1, { method: 'PUT', name: NAME, status: 403 });
    const r = await h.run({ run: 'codex exec "x"', ...inputs }, gh.env());
    expect(r.core.outputs['auth-json-secret-updated']).toBe('false');
    expect(r.core.of('error').map((e) => e.title)).toEqual([`codex-reauth: could not save the rotated login to ${NAME}`]);
    expect(r.core.state.authJsonSecret).toBe('done');
    expect(r.exitCode).toBe(1);
  });

  it('saving fails in a cancelled step: left for the post step, no stale-secret error yet', async () => {
    const inputs = writeback(chatgptLogin('rt-good-4007'));
    const cancel = new AbortController();
    const authFile = path.join(h.codexHome, 'auth.json');
    const poll = setInterval(() => {
      if (fs.existsSync(authFile) && fs.readFileSync(authFile, 'utf8').includes('rt-good-4007-rotated')) cancel.abort('SIGINT');
    }, 10);
    gh.failNext(1, { method: 'PUT', name: NAME, status: 403 });
    try {
      const r = await h.run({ run: 'codex exec "x"\nsleep 30', ...inputs }, gh.env(), { cancelSignal: cancel.signal });
      expect(r.core.outputs['failure-kind']).toBe('cancelled');
      expect(r.core.of('error').map((e) => e.title)).not.toContain(`codex-reauth: could not save the rotated login to ${NAME}`);
      expect(r.core.state.authJsonSecret).toBe('pending');
    } finally {
      clearInterval(poll);
    }
  });
});
