// `codex-reauth classify` as users run it: the bundled dist/cli/index.js (`npm run bundle`), in a
// child process. It must answer like the action, and fail like a good CLI: one line, exit 2.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.join(process.cwd(), 'dist', 'cli', 'index.js');
const FIXTURES = path.join(process.cwd(), '__fixtures__', 'transcripts');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };

function cli(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...options });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A failure the user can read: exactly one line on stderr, nothing on stdout, exit 2, no stack. */
function expectOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/ at |node:internal|triggerUncaughtException/);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('classify answers with the kind the action would give', () => {
  it('a codex failure: the kind, and codex message (short) as evidence', () => {
    const r = cli(['classify', path.join(FIXTURES, '0.169.0', 'refresh-token-reused.log')]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'refresh-token-reused',
      evidence: 'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
    });
  });

  it('codex completed its turn, then the step failed: other (stdin)', () => {
    const log = `${fs.readFileSync(path.join(FIXTURES, '0.169.0', 'success.log'), 'utf8')}\n> npm test\n2026-11-24T10:06:10.3000000Z ##[error]Process completed with exit code 1.\n`;
    const r = cli(['classify', '-'], { input: log });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'other', evidence: 'Process completed with exit code 1.' });
  });

  it('nothing failed: none', () => {
    const r = cli(['classify'], { input: fs.readFileSync(path.join(FIXTURES, '0.169.0', 'success.json.log')) });
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'none', evidence: null });
  });

  it("0.101's human-mode log is read like the action reads it", () => {
    const r = cli(['classify', path.join(FIXTURES, '0.101.0', 'api-key-invalid.log')]);
    expect(JSON.parse(r.stdout).kind).toBe('api-key-invalid');
  });
});

describe('usage, --version and exit codes', () => {
  it('--version prints the package version', () => {
    const r = cli(['--version']);
    expect(r).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help documents the exit codes', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Exit codes: 0 when a kind was printed/);
    expect(r.stdout).toMatch(/2 on a usage error or when the log\s+cannot be read/);
  });

  it.each([[['frobnicate']], [['classify', 'a', 'b']], [[]]])('usage error %j: exit 2, usage on stderr', (args) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: codex-reauth classify/);
  });
});

describe('a log that cannot be read: one line, exit 2, never a stack trace', () => {
  it('a folder', () => {
    expectOneLineError(cli(['classify', dir]), /^codex-reauth: .* is a folder, not a log file$/m);
  });

  it('a missing file', () => {
    expectOneLineError(cli(['classify', path.join(dir, 'nope.log')]), /^codex-reauth: no such file: /);
  });

  it('an unreadable file', () => {
    const file = path.join(dir, 'secret.log');
    fs.writeFileSync(file, 'ERROR: x\n', { mode: 0o000 });
    // root reads anything: run the CLI as nobody then, as a user on a runner would be.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    fs.chmodSync(dir, 0o755);
    expectOneLineError(cli(['classify', file], asUser), /^codex-reauth: cannot read .*secret\.log: permission denied$/m);
  });

  it('a file whose reading fails midway (an I/O error)', () => {
    // Reading address 0 of a process's own memory fails with EIO after a successful open.
    expectOneLineError(cli(['classify', '/proc/self/mem']), /^codex-reauth: cannot read \/proc\/self\/mem: EIO/);
  });

  it('a file that vanishes just as the CLI opens it', () => {
    const file = path.join(dir, 'vanishing.log');
    fs.writeFileSync(file, 'ERROR: Quota exceeded.\n');
    // Deletes the file at the CLI's first look at it, whichever way it looks (exists, stat, open):
    // the race between a user's `rm` and the CLI, made certain.
    const preload = path.join(dir, 'vanish.mjs');
    fs.writeFileSync(
      preload,
      [
        "import fs from 'node:fs';",
        `const target = ${JSON.stringify(file)};`,
        'const vanish = (p) => { if (String(p) === target) fs.rmSync(target, { force: true }); };',
        'for (const name of ["existsSync", "statSync", "createReadStream", "openSync", "readFileSync"]) {',
        '  const original = fs[name];',
        '  fs[name] = (p, ...rest) => { const r = name === "existsSync" ? original(p, ...rest) : undefined; vanish(p); return name === "existsSync" ? r : original(p, ...rest); };',
        '}',
        'const open = fs.promises.open;',
        'fs.promises.open = (p, ...rest) => { vanish(p); return open(p, ...rest); };',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, ['--import', preload, CLI, 'classify', file], { encoding: 'utf8' });
    expectOneLineError({ status: r.status, stdout: r.stdout, stderr: r.stderr }, /^codex-reauth: no such file: .*vanishing\.log$/m);
  });
});
