// `codex login` as the action runs it on a runner: the secret reaches its stdin (never argv), its
// output is read, and a login that never answers (an auth server behind a firewall that swallows the
// request) is stopped at its limit with its whole process tree, and reads as "nobody could check".
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAccessTokenCheck } from '../../src/access-token.js';
import { runCodexLogin } from '../../src/actions-toolkit.js';

function script(body: string): { file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-login-'));
  const file = path.join(dir, 'codex');
  fs.writeFileSync(file, `#!${process.execPath}\n${body}\n`, { mode: 0o755 });
  return { file, dir };
}

describe('runCodexLogin', () => {
  it('feeds the secret on stdin, passes only the arguments, and returns what codex said', async () => {
    const { file, dir } = script(
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stderr.write(`argv=${process.argv.slice(2).join(' ')} stdin=${s}\\n`);process.exit(3);});",
    );
    try {
      const r = await runCodexLogin(file, ['login', '--with-access-token'], { input: 'at-secret-8000', env: process.env });
      expect(r).toEqual({ exitCode: 3, output: 'argv=login --with-access-token stdin=at-secret-8000\n' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a login that never answers is stopped at its limit, tree and all, and reads as unchecked', async () => {
    // Ignores SIGTERM and keeps a child of its own: only the SIGKILL of the whole group ends them.
    const { file, dir } = script(
      "process.on('SIGTERM',()=>{});require('node:child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});process.stderr.write('Reading access token from stdin...\\n');setInterval(()=>{},1000);",
    );
    try {
      const r = await runCodexLogin(file, ['login', 'status'], { input: '', env: process.env, timeoutMs: 1500 });
      expect(r.exitCode).toBe(124);
      expect(r.output).toBe('Reading access token from stdin...\ncodex did not answer within 1.5 s and was stopped\n');
      expect(readAccessTokenCheck(r.exitCode, r.output)).toBe('unchecked');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
