// main.ts in-process, on the paths where something other than codex goes wrong: the step is cancelled,
// a credential cannot be written, codex is missing or killed, the summary cannot be written. Real
// processes (the fake codex on PATH), a recording fake of @actions/core, a temporary HOME.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type { MainDependencies } from '../../src/main.js';
import { FakeCore } from '../../test-support/fake-core.js';
import { createMainHarness, type MainHarness } from '../../test-support/main-harness.js';
import { runningWith } from '../../test-support/processes.js';

jest.setTimeout(30_000);

let harness: MainHarness;
let tmp: string;
let home: string;
let codexHome: string;
let codexLog: string;

beforeEach(() => {
  harness = createMainHarness();
  ({ tmp, home, codexHome } = harness);
  codexLog = path.join(tmp, 'codex-argv.jsonl');
});
afterEach(() => harness.dispose());

const AUTH_JSON = JSON.stringify({
  auth_mode: 'chatgpt',
  tokens: { id_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln', access_token: 'access-abc-token', refresh_token: 'rt-good-0001' },
});

async function runMain(
  inputs: Record<string, string>,
  options: { env?: NodeJS.ProcessEnv; deps?: Partial<MainDependencies> & { core?: FakeCore } } = {},
) {
  const r = await harness.run(inputs, options.env, options.deps);
  return { core: r.core, out: r.output, argvLog: r.argvLog, exitCode: r.exitCode };
}

describe('cancellation', () => {
  it('kills the running attempt, retries nothing and reports the step as cancelled', async () => {
    const cancel = new AbortController();
    const marker = `cancel-marker-${process.pid}-${Date.now()}`;
    // Abort as soon as codex is running (its argv lands in the log).
    let cancelledAt = 0;
    const poll = setInterval(() => {
      if (cancelledAt === 0 && fs.existsSync(codexLog) && fs.readFileSync(codexLog, 'utf8').includes('exec')) {
        cancelledAt = Date.now();
        cancel.abort('SIGINT');
      }
    }, 20);
    const r = await runMain(
      { run: `sleep 300 &\ncodex exec "${marker}"`, 'openai-api-key': 'sk-hang-forever-0001', 'max-attempts': '5' },
      { deps: { cancelSignal: cancel.signal } },
    );
    clearInterval(poll);
    // Done before the runner would follow its SIGINT with SIGTERM, 7.5 s later (counted from the
    // cancel, not from the start: starting the fake codex on a busy machine is not the action's time).
    expect(cancelledAt).toBeGreaterThan(0);
    expect(Date.now() - cancelledAt).toBeLessThan(7500);
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs['failure-kind']).toBe('cancelled');
    expect(r.core.outputs.attempts).toBe('1');
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(errors[0].title).toContain('cancelled');
    // The log says the attempt was stopped, not that it failed.
    expect(r.core.of('info').map((i) => i.message)).toContain('Attempt 1 was stopped: the step was cancelled.');
    expect(r.core.of('info').some((i) => i.message.startsWith('Attempt 1 failed'))).toBe(false);
    expect(runningWith(marker)).toEqual([]);
    // Only one codex exec ran: nothing was retried after the cancel.
    expect(r.argvLog.split('\n').filter((l) => l.includes('"exec"'))).toHaveLength(1);
  });

  it('a cancel that arrives before an attempt starts runs nothing', async () => {
    const cancel = new AbortController();
    cancel.abort('SIGTERM');
    const r = await runMain({ run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0001' }, { deps: { cancelSignal: cancel.signal } });
    expect(r.core.outputs['failure-kind']).toBe('cancelled');
    expect(r.core.outputs.attempts).toBe('0');
    expect(r.argvLog).toBe('');
    expect(r.exitCode).toBe(1);
  });
});

describe('a credential that cannot be written', () => {
  it('leaves no temporary file, says so once, goes on to openai-api-key, and records auth.json for the post step first', async () => {
    fs.mkdirSync(path.join(codexHome, 'auth.json'), { recursive: true }); // rename onto a folder fails
    const r = await runMain({ run: 'codex exec "hi"', 'codex-auth-json': AUTH_JSON, 'openai-api-key': 'sk-good-key-0002' });
    expect(fs.readdirSync(codexHome)).toEqual(['auth.json']);
    // Nothing could be signed in with: the one error names each credential, with no warning beside it.
    expect(r.core.of('warning')).toEqual([]);
    expect(r.core.of('error')[0].message).toContain('the ChatGPT login in `codex-auth-json`: ');
    expect(r.core.of('error')[0].message).toContain('the API key in `openai-api-key`: ');
    // the API key was tried next (codex login ran), and it fails on the same folder
    expect(r.argvLog).toContain('"login"');
    expect(r.core.state.wroteAuthFile).toBe(path.join(codexHome, 'auth.json'));
    expect(r.exitCode).toBe(1);
    expect(r.core.of('error')).toHaveLength(1);
    expect(r.core.of('error')[0].title).toBe('codex-reauth: Sign-in failed (other)');
  });
});

describe('legacy credential folders', () => {
  const legacy = () => path.join(home, '.config', 'codex', 'auth.json');
  beforeEach(() => {
    fs.mkdirSync(path.dirname(legacy()), { recursive: true });
    fs.writeFileSync(legacy(), '{"OPENAI_API_KEY":"sk-someone-elses"}');
  });

  it('are left alone on a first sign-in, before anything failed', async () => {
    const r = await runMain({ run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0004' });
    expect(r.exitCode).toBe(0);
    expect(fs.existsSync(legacy())).toBe(true);
  });

  it('are cleared after an auth failure', async () => {
    fs.mkdirSync(codexHome, { recursive: true });
    fs.writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-bad-cached-key' }));
    const r = await runMain({ run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0005' });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs.recovered).toBe('true');
    expect(fs.existsSync(legacy())).toBe(false);
  });
});

describe('faults that are not credential problems', () => {
  it('codex not on PATH at all: says codex was not found and how to install it', async () => {
    const r = await runMain(
      { run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0006' },
      { env: { PATH: `/usr/bin${path.delimiter}/bin` } },
    );
    expect(r.exitCode).toBe(1);
    const [error] = r.core.of('error');
    expect(error.message).toContain('could not find codex');
    expect(error.message).toContain('npm install -g @openai/codex');
    expect(error.message).toContain('not a credential problem');
  });

  it('codex killed by SIGKILL: names the signal and says it is not a credential problem', async () => {
    const r = await runMain({ run: 'codex exec "hi"\nbash -c \'kill -KILL $$\'', 'openai-api-key': 'sk-good-key-0007' });
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs['failure-kind']).toBe('other');
    expect(r.core.outputs.attempts).toBe('1');
    const [error] = r.core.of('error');
    expect(error.message).toContain('killed by SIGKILL');
    expect(error.message).toContain('not a credential problem');
  });

  it('a job summary that cannot be written is a warning, and the run still succeeds', async () => {
    class NoSummaryCore extends FakeCore {
      override async writeSummary(): Promise<void> {
        throw new Error("EACCES: permission denied, open '/summary'");
      }
    }
    const core = new NoSummaryCore({ run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0008', 'retry-wait-seconds': '0' });
    const r = await runMain({}, { deps: { core } });
    expect(r.exitCode).toBe(0);
    expect(core.of('warning')).toEqual([
      { title: 'codex-reauth: job summary not written', message: expect.stringContaining('EACCES') as unknown as string },
    ]);
    expect(core.of('error')).toEqual([]);
  });

  it('RUNNER_TEMP missing: the work folder goes to the system temporary folder instead', async () => {
    const systemTmp = path.join(tmp, 'system-tmp');
    fs.mkdirSync(systemTmp);
    const r = await runMain(
      { run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0009' },
      { env: { RUNNER_TEMP: path.join(tmp, 'no-such-folder') }, deps: { tmpdir: systemTmp } },
    );
    expect(r.exitCode).toBe(0);
    expect(path.dirname(r.core.state.workDir)).toBe(systemTmp);
    expect(fs.readdirSync(systemTmp)).toEqual([]); // removed when main ends
  });

  it('no writable temporary folder at all: one clear error, nothing run', async () => {
    const r = await runMain(
      { run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0010' },
      { env: { RUNNER_TEMP: path.join(tmp, 'nope1') }, deps: { tmpdir: path.join(tmp, 'nope2') } },
    );
    expect(r.exitCode).toBe(1);
    expect(r.core.of('error').map((e) => e.title)).toEqual(['codex-reauth: no writable temporary folder']);
    expect(r.argvLog).toBe('');
  });
});

describe('text that only looks like codex', () => {
  /** codex's retry logger naming `cause` (RUST_LOG), as a script's stderr carries it. */
  const retryWarning = (cause: string) =>
    `2026-11-25T09:00:00.000000Z  WARN codex_core::responses_retry: stream disconnected - retrying sampling request (1/5 in 200ms)... sampling_error=${cause}`;
  /** A script that prints `line` to stderr, then works on for `seconds` and says `marker`. */
  const printThen = (line: string, seconds: number, marker: string) => `printf '%s\\n' '${line}' >&2\nsleep ${seconds}\necho ${marker}`;

  it("a quoted retry line (an agent's message, a test log) does not stop a healthy run", async () => {
    const line = 'Reconnecting... 1/5 (unexpected status 401 Unauthorized: Incorrect API key provided: sk-abc***wxyz)';
    const r = await runMain({
      run: `codex exec "hi"\nprintf '%s\\n' '${line}' >&2\nsleep 0.3\necho finished-expensive-work`,
      'openai-api-key': 'sk-good-key-0011',
    });
    expect(r.exitCode).toBe(0);
    expect(r.core.outputs.attempts).toBe('1');
    expect(r.out).toContain('finished-expensive-work');
  });

  it('a dead-credential retry line that cannot be about the credential in use does not stop the run', async () => {
    const line = retryWarning(
      'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
    );
    const r = await runMain({
      run: printThen(line, 0.3, 'finished-expensive-work'),
      'openai-api-key': 'sk-good-key-0012',
    });
    expect(r.out).toContain('finished-expensive-work');
    expect(r.exitCode).toBe(0);
  });

  it('a dead-credential retry line about the credential in use stops the run at once: codex would only repeat it', async () => {
    const line = retryWarning(
      'unexpected status 401 Unauthorized: Incorrect API key provided: sk-goo***0014. You can find your API key at https://platform.openai.com/account/api-keys.',
    );
    const r = await runMain({
      run: printThen(line, 20, 'went-on-retrying'),
      'openai-api-key': 'sk-good-key-0014',
      'max-attempts': '1',
    });
    expect(r.out).not.toContain('went-on-retrying');
    expect(r.core.outputs['failure-kind']).toBe('api-key-invalid');
    expect(r.exitCode).toBe(1);
  });

  it("another tool's `ERROR: … 401 Unauthorized` before codex ever ran is the script's failure: nothing cleared, nothing re-run", async () => {
    fs.mkdirSync(codexHome, { recursive: true });
    const cached = JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-good-cached-key' });
    fs.writeFileSync(path.join(codexHome, 'auth.json'), cached);
    const r = await runMain({
      run: 'echo "ERROR: failed to solve: failed to fetch oauth token: unexpected status: 401 Unauthorized" >&2\nexit 1\ncodex exec "hi"',
      'openai-api-key': 'sk-good-key-0013',
    });
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs['failure-kind']).toBe('other');
    expect(r.core.outputs.attempts).toBe('1');
    expect(fs.readFileSync(path.join(codexHome, 'auth.json'), 'utf8')).toBe(cached);
  });
});

describe('more faults that end in one clear annotation', () => {
  it('a missing workspace folder is named as such, not blamed on the shell', async () => {
    const r = await runMain(
      { run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0014' },
      { env: { GITHUB_WORKSPACE: path.join(tmp, 'no-ws') } },
    );
    expect(r.exitCode).toBe(1);
    const [error] = r.core.of('error');
    expect(error.message).toContain('does not exist');
    expect(error.message).toContain('GITHUB_WORKSPACE');
    expect(error.message).not.toContain('was not found on PATH');
  });

  it('a state file that cannot be written: one annotation, and the work folder is still removed', async () => {
    class NoStateCore extends FakeCore {
      override saveState(): void {
        throw new Error("EACCES: permission denied, open '/runner/state'");
      }
    }
    const core = new NoStateCore({ run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0015', 'retry-wait-seconds': '0' });
    const r = await runMain({}, { deps: { core } });
    expect(r.exitCode).toBe(1);
    expect(core.of('error')).toHaveLength(1);
    expect(core.of('error')[0].message).toContain('EACCES');
    expect(fs.readdirSync(path.join(tmp, 'rt'))).toEqual([]);
  });

  it('a codex-auth-json nested too deep to handle: one annotation, no stack trace, no secret', async () => {
    const deep = `{"tokens":{"refresh_token":"rt-deep-secret-0001","access_token":"a"},"x":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    const r = await runMain({ run: 'codex exec "hi"', 'codex-auth-json': deep });
    expect(r.exitCode).toBe(1);
    const errors = r.core.of('error');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors)).not.toContain('rt-deep-secret-0001');
    expect(r.argvLog).toBe('');
  });
});

describe('a revoked CODEX_API_KEY in the environment', () => {
  it('is named as the dead credential; nothing cached is cleared and no secret is blamed', async () => {
    fs.mkdirSync(codexHome, { recursive: true });
    const cached = JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-good-cached-key' });
    fs.writeFileSync(path.join(codexHome, 'auth.json'), cached);
    const r = await runMain(
      { run: 'codex exec "hi"', 'openai-api-key': 'sk-good-key-0016' },
      { env: { CODEX_API_KEY: 'sk-bad-env-key-0001' } },
    );
    expect(r.exitCode).toBe(1);
    expect(r.core.outputs['failure-kind']).toBe('api-key-invalid');
    expect(r.core.outputs['auth-method']).toBe('env');
    expect(r.core.outputs.attempts).toBe('1');
    expect(fs.readFileSync(path.join(codexHome, 'auth.json'), 'utf8')).toBe(cached);
    const [error] = r.core.of('error');
    expect(error.message).toContain('CODEX_API_KEY');
    expect(error.message).not.toContain('update the secret passed as `openai-api-key`');
  });
});
