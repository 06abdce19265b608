#!/usr/bin/env node
// A stand-in for `codex app-server` in the refresher's process tests (the real codex is tested in
// __tests__/e2e/codex-refresh.test.ts). FAKE_APP_SERVER picks what it does once it has read the
// getAuthStatus request:
//   answer       answer it, then exit when stdin closes (as codex does)
//   error        answer with a JSON-RPC error, then exit when stdin closes
//   hang         never answer, never exit (the refresher must kill it)
//   linger       answer, then ignore stdin closing and stay (the refresher must kill it after the answer)
//   grandchild   start a child that sleeps for a minute (writing its pid to FAKE_APP_SERVER_PIDS), then hang
//   die          exit 3 without answering
//   log-401      log codex's refusal line on stderr, then answer
//   escape       start a child in a session of its own that keeps stderr open for a minute (its pid to
//                FAKE_APP_SERVER_PIDS), answer, and exit when stdin closes
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const mode = process.env.FAKE_APP_SERVER ?? 'answer';
let buffer = '';
const answer = (body) => process.stdout.write(`${JSON.stringify({ id: 1, ...body })}\n`);
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  if (!buffer.includes('"getAuthStatus"')) return;
  buffer = '';
  if (mode === 'die') process.exit(3);
  if (mode === 'log-401') {
    process.stderr.write('2026-12-07T10:00:00.000000Z  INFO codex_login::auth::manager: Refreshing token\n');
    process.stderr.write('2026-12-07T10:00:00.100000Z ERROR codex_login::auth::manager: Failed to refresh token status=401 Unauthorized\n');
  }
  if (mode === 'grandchild') {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    if (process.env.FAKE_APP_SERVER_PIDS) fs.writeFileSync(process.env.FAKE_APP_SERVER_PIDS, `${process.pid} ${child.pid}`);
  }
  if (mode === 'escape') {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
    child.unref();
    if (process.env.FAKE_APP_SERVER_PIDS) fs.writeFileSync(process.env.FAKE_APP_SERVER_PIDS, `${process.pid} ${child.pid}`);
  }
  if (mode === 'hang' || mode === 'grandchild') return setInterval(() => {}, 1000);
  if (mode === 'error') answer({ error: { code: -32603, message: 'something failed' } });
  else answer({ result: { authMethod: 'chatgpt', authToken: null, requiresOpenaiAuth: true } });
  if (mode === 'linger') setInterval(() => {}, 1000);
  return undefined;
});
process.stdin.on('end', () => {
  if (mode === 'answer' || mode === 'error' || mode === 'log-401' || mode === 'escape') process.exit(0);
});
