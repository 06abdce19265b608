#!/usr/bin/env node
// Regenerates the classifier's fixtures from the real codex CLI (the pinned devDependency) run
// against the loopback stand-in: `node scripts/capture-transcripts.mjs [name …]`.
// Each transcript is codex's stdout and stderr interleaved as a job log shows them, saved as
// __fixtures__/transcripts/<codex version>/<name>.log. Loopback only.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandin } from '../test-support/openai-standin.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const codex = path.join(root, 'node_modules', '.bin', 'codex');
const version = spawnSync(codex, ['--version'], { encoding: 'utf8' })
  .stdout.trim()
  .replace(/^codex-cli\s+/, '');
const outDir = path.join(root, '__fixtures__', 'transcripts', version);
fs.mkdirSync(outDir, { recursive: true });

const s = await startStandin({ reply: 'hi' });
const scenarios = {
  success: { key: 'accept' },
  'success.json': { key: 'accept', json: true },
  'success-after-failed-proactive-refresh': { auth: { refresh: 'reused', accessExpired: false } },
  'api-key-invalid': { key: 'invalid_api_key' },
  'api-key-invalid.json': { key: 'invalid_api_key', json: true },
  'api-key-invalid.rust-log': { key: 'invalid_api_key', env: { RUST_LOG: 'codex_core::responses_retry=warn' } },
  'not-logged-in': {},
  'not-logged-in.json': { json: true },
  'refresh-token-reused': { auth: { refresh: 'reused' } },
  'refresh-token-reused.json': { auth: { refresh: 'reused' }, json: true },
  'refresh-token-expired': { auth: { refresh: 'expired' } },
  'refresh-token-revoked': { auth: { refresh: 'invalidated' } },
  'refresh-token-revoked.json': { auth: { refresh: 'invalidated' }, json: true },
  'chatgpt-unauthorized': { auth: { access: 'unauthorized', accessExpired: false } },
  'chatgpt-unauthorized.json': { auth: { access: 'unauthorized', accessExpired: false }, json: true },
  'missing-scopes': { key: 'missing_scopes' },
  'quota-exceeded': { key: 'insufficient_quota' },
  'quota-exceeded.json': { key: 'insufficient_quota', json: true },
  'usage-limit': { auth: { access: 'usage_limit', accessExpired: false } },
  'usage-limit.json': { auth: { access: 'usage_limit', accessExpired: false }, json: true },
  'rate-limited': { key: 'rate_limit' },
  'rate-limited.json': { key: 'rate_limit', json: true },
  'server-error': { key: 'server_error' },
  'server-error.json': { key: 'server_error', json: true },
};

async function capture(name, sc) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-capture-'));
  fs.writeFileSync(path.join(home, 'config.toml'), s.configToml());
  const env = { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, ...s.env(), ...(sc.env ?? {}) };
  if (sc.key) spawnSync(codex, ['login', '--with-api-key'], { input: s.apiKey(sc.key), env });
  if (sc.auth) fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify(s.chatgptAuth(sc.auth)), { mode: 0o600 });
  const args = ['exec', '--skip-git-repo-check', ...(sc.json ? ['--json'] : []), 'say hi'];
  // One pipe for both streams keeps their interleaving, as in a job log.
  const quoted = [codex, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const started = Date.now();
  const text = await new Promise((resolve) => {
    const child = spawn('sh', ['-c', `exec ${quoted} 2>&1`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(`${out}# exit ${code}\n`);
    });
  });
  fs.rmSync(home, { recursive: true, force: true });
  fs.writeFileSync(path.join(outDir, `${name}.log`), text.replaceAll(home, '/home/runner/.codex'));
  console.log(`${name.padEnd(44)} ${String(Date.now() - started).padStart(6)} ms`);
}

const wanted = process.argv.slice(2);
for (const [name, sc] of Object.entries(scenarios)) {
  if (wanted.length === 0 || wanted.includes(name)) await capture(name, sc);
}
await s.close();
