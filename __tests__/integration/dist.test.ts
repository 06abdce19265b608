// The built dist/ run the way a runner runs it (test-support/run-action.js): INPUT_* with action.yml's
// defaults, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, RUNNER_TEMP, a temporary HOME,
// main then post with STATE_*; the fake codex on PATH. This catches what unit tests cannot: a bundle
// that does not load, inputs read under the wrong names, outputs and state in the wrong format.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, findSecretLeaks, runAction } from '../../test-support/run-action.js';

// Each test runs real processes; runAction names a step that runs past its own bound (STEP_BOUND_MS) first.
jest.setTimeout(60_000);

const FAKE_CODEX = path.join(process.cwd(), 'test-support', 'fake-codex.js');
const runs: Array<Awaited<ReturnType<typeof runAction>>> = [];
afterEach(() => {
  for (const r of runs.splice(0)) cleanup(r);
});

function binWithFakeCodex(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-bin-'));
  fs.symlinkSync(FAKE_CODEX, path.join(bin, 'codex'));
  return bin;
}

async function action(inputs: Record<string, string>, setup?: (home: string) => void) {
  const bin = binWithFakeCodex();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
  setup?.(home);
  const r = await runAction({ inputs, home, env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
  runs.push(r);
  // runAction's cleanup covers its own folder; these two are ours
  fs.rmSync(bin, { recursive: true, force: true });
  return { ...r, cleanupHome: () => fs.rmSync(home, { recursive: true, force: true }) };
}

const auth = (refresh: string) =>
  JSON.stringify({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: 'h.p.s', access_token: `acc-${refresh}`, refresh_token: refresh, account_id: 'a' },
  });

describe('dist/index.js as a runner runs it', () => {
  it('recovers from a stale cached login with the API key, then post removes only what it wrote', async () => {
    const key = 'sk-good-dist-0001';
    const r = await action({ run: 'codex exec "fix the tests"', 'openai-api-key': key }, (home) => {
      fs.mkdirSync(path.join(home, '.codex'));
      fs.writeFileSync(path.join(home, '.codex', 'auth.json'), auth('rt-reused-stale'));
      fs.writeFileSync(path.join(home, '.codex', 'config.toml'), 'model = "x"\n');
    });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toEqual({
      'exit-code': '0',
      attempts: '2',
      'failure-kind': 'none',
      recovered: 'true',
      'auth-method': 'api-key',
      // No write-back configured: nothing was saved to a secret.
      'auth-json-secret-updated': 'false',
    });
    const warnings = r.main.commands.filter((c) => c.command === 'warning');
    expect(warnings.map((w) => w.properties.title)).toEqual([
      'codex-reauth recovered: Codex refresh token already used (refresh-token-reused)',
    ]);
    expect(r.main.commands.filter((c) => c.command === 'error')).toEqual([]);
    expect(r.main.summary).toContain('✅ Succeeded after signing in again (attempt 2).');
    // one group per attempt, output live inside it
    expect(r.main.stdout).toMatch(
      /::group::codex-reauth: attempt 1 of 3[^\n]*\n[\s\S]*::endgroup::[\s\S]*::group::codex-reauth: attempt 2 of 3/,
    );
    // the key was masked before anything was printed
    expect(r.main.stdout.indexOf(`::add-mask::${key}`)).toBeLessThan(r.main.stdout.indexOf('::group::'));
    expect(r.post?.exitCode).toBe(0);
    expect(fs.existsSync(path.join(r.home, '.codex', 'auth.json'))).toBe(false);
    expect(fs.readFileSync(path.join(r.home, '.codex', 'config.toml'), 'utf8')).toBe('model = "x"\n');
    expect(fs.readdirSync(r.runnerTemp)).toEqual([]);
    expect(findSecretLeaks(r, [key, 'rt-reused-stale'])).toEqual([]);
    r.cleanupHome();
  });

  it('fails with one error annotation for a revoked key, and exits 1', async () => {
    const r = await action({ run: 'codex exec "x"', 'openai-api-key': 'sk-bad-dist-0002' });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs['failure-kind']).toBe('api-key-invalid');
    const errors = r.main.commands.filter((c) => c.command === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].properties.title).toBe('codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(errors[0].message).toContain('Fix: Create a new key');
    expect(r.main.summary).toContain('**Fix:** Create a new key');
    r.cleanupHome();
  });

  it('a ChatGPT secret: written, used, rotated by codex, and gone after post with every token', async () => {
    const secret = auth('rt-good-dist');
    const r = await action({ run: 'codex exec "x"', 'codex-auth-json': Buffer.from(secret).toString('base64') });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', 'auth-method': 'chatgpt' });
    expect(fs.existsSync(path.join(r.home, '.codex', 'auth.json'))).toBe(false);
    const leaks = findSecretLeaks(r, [
      secret,
      'rt-good-dist',
      'rt-good-dist-rotated',
      'acc-rt-good-dist',
      Buffer.from(secret).toString('base64'),
    ]);
    expect(leaks).toEqual([]);
    r.cleanupHome();
  });

  it.each([
    [{ 'codex-auth-json': 'definitely not json' }, 'codex-auth-json'],
    [{ 'max-attempts': 'many' }, 'max-attempts'],
    [{ 'timeout-minutes': '-5' }, 'timeout-minutes'],
    [{ login: 'never' }, 'login'],
    [{ shell: 'zsh' }, 'shell'],
    [{ run: '' }, 'run'],
    [{ 'codex-home': '/' }, 'codex-home'],
  ])('bad input %j: an error annotation naming %s, nothing run', async (inputs, name) => {
    const r = await action({ run: 'touch ran-it; codex exec "x"', ...inputs });
    expect(r.main.exitCode).toBe(1);
    const errors = r.main.commands.filter((c) => c.command === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].properties.title).toBe(`codex-reauth: invalid input '${name}'`);
    expect(fs.existsSync(path.join(r.workspace, 'ran-it'))).toBe(false);
    expect(r.post?.exitCode).toBe(0);
    r.cleanupHome();
  });

  it('codex-home symlinked outside: refused before anything is deleted', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    fs.writeFileSync(path.join(outside, 'auth.json'), 'precious');
    const r = await action({ run: 'codex exec "x"', 'openai-api-key': 'sk-good-x-0003', login: 'always' }, (home) => {
      fs.symlinkSync(outside, path.join(home, '.codex'));
    });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.commands.find((c) => c.command === 'error')?.message).toMatch(/codex-home.*symlink/);
    expect(fs.readFileSync(path.join(outside, 'auth.json'), 'utf8')).toBe('precious');
    fs.rmSync(outside, { recursive: true, force: true });
    r.cleanupHome();
  });
});

describe('what the bundles hold and load', () => {
  // The write-back libraries (libsodium, @octokit/request) are ~480 kB that most runs never use: ncc
  // puts them in chunk files loaded by import() only when write-back is configured (issue #11).
  const CHUNK = /^\d+\.index\.js$/;

  it('a run without write-back works from a copy of dist/ that lacks the lazily loaded chunks', async () => {
    for (const dir of ['dist', 'dist/post']) expect(fs.readdirSync(dir).filter((f) => CHUNK.test(f)).length).toBeGreaterThan(0);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-without-chunks-'));
    fs.mkdirSync(path.join(copy, 'post'));
    for (const f of ['index.js', 'package.json', 'post/index.js', 'post/package.json'])
      fs.copyFileSync(path.join('dist', f), path.join(copy, f));
    const bin = binWithFakeCodex();
    try {
      const r = await runAction({
        inputs: { run: 'codex exec "x"', 'openai-api-key': 'sk-good-nochunks-0001' },
        env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` },
        entries: { main: path.join(copy, 'index.js'), post: path.join(copy, 'post', 'index.js') },
      });
      runs.push(r);
      expect(r.main.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
      expect(r.main.exitCode).toBe(0);
      expect(r.post?.exitCode).toBe(0);
      expect(fs.existsSync(path.join(r.home, '.codex', 'auth.json'))).toBe(false);
    } finally {
      for (const dir of [copy, bin]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("each bundle's licenses.txt lists the packages of its chunks as well as its own", () => {
    for (const dir of ['dist', 'dist/post']) {
      const names = fs
        .readFileSync(path.join(dir, 'licenses.txt'), 'utf8')
        .split('\n\n')
        .map((block) => block.split('\n')[0]);
      expect(names).toEqual(
        expect.arrayContaining(['@actions/core', '@actions/exec', '@octokit/request', 'libsodium', 'libsodium-wrappers']),
      );
    }
  });

  it("undici is not in the bundles: only @actions/core's unused OIDC client imports it (src/bundle-stubs/undici.ts)", () => {
    for (const dir of ['dist', 'dist/post']) {
      for (const f of fs.readdirSync(dir).filter((name) => name.endsWith('.js'))) {
        expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toMatch(/llhttp|undici:/i);
      }
    }
    expect(fs.readFileSync('dist/licenses.txt', 'utf8')).not.toMatch(/^undici$/m);
  });
});

describe('dist/cli/index.js', () => {
  it('classify FILE prints one JSON line with the kind and the evidence', () => {
    const r = spawnSync(process.execPath, ['dist/cli/index.js', 'classify', '__fixtures__/transcripts/0.169.0/refresh-token-reused.log'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'refresh-token-reused',
      evidence: 'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
    });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('classify - reads stdin', () => {
    const r = spawnSync(process.execPath, ['dist/cli/index.js', 'classify', '-'], {
      input: 'ERROR: Quota exceeded. Check your plan and billing details.\n',
      encoding: 'utf8',
    });
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'usage-limit', evidence: 'Quota exceeded. Check your plan and billing details.' });
  });

  it('usage errors exit 2', () => {
    expect(spawnSync(process.execPath, ['dist/cli/index.js', 'frobnicate'], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, ['dist/cli/index.js', 'classify', '/no/such/file'], { encoding: 'utf8' }).status).toBe(2);
  });
});
