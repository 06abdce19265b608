#!/usr/bin/env node
// Regenerates the classifier's fixtures from real codex releases run against the loopback stand-in:
//   node scripts/capture-transcripts.mjs                         the pinned codex, every scenario
//   node scripts/capture-transcripts.mjs --all                   every release in scripts/codex-versions.mjs
//   node scripts/capture-transcripts.mjs --codex 0.101.0 [name …] one release, some scenarios
// Releases other than the pinned one are installed into ~/.cache/codex-reauth first (~400 MB each).
// Each transcript is codex's stdout and stderr interleaved as a job log shows them, saved as
// __fixtures__/transcripts/<version>/<name>.log, with a README.md in that folder saying how each was
// made. Loopback only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStandin } from '../test-support/openai-standin.js';
import { COMPAT_VERSIONS, ensureCodex, loopbackOnlyEnv, pinnedVersion, ROOT } from './codex-versions.mjs';

/**
 * name → what the stand-in is told and how codex runs. `key`: an API key signed in with
 * `codex login --with-api-key` that gets this behaviour; `auth`: a ChatGPT auth.json (see
 * `chatgptAuth` in test-support/openai-standin.js); neither: no credentials at all.
 */
const BASE_SCENARIOS = {
  success: { key: 'accept', about: 'a working API key' },
  'api-key-invalid': { key: 'invalid_api_key', about: 'a revoked API key (401 invalid_api_key on every request)' },
  'not-logged-in': { about: 'no credentials at all' },
  'refresh-token-reused': { auth: { refresh: 'reused' }, about: 'a ChatGPT login whose refresh token was already used' },
  'refresh-token-expired': { auth: { refresh: 'expired' }, about: 'a ChatGPT login whose refresh token has expired' },
  'refresh-token-revoked': { auth: { refresh: 'invalidated' }, about: 'a ChatGPT login whose refresh token was revoked' },
  'quota-exceeded': { key: 'insufficient_quota', about: 'an API key with no quota left (429 insufficient_quota)' },
  'usage-limit': {
    auth: { access: 'usage_limit', accessExpired: false },
    about: 'a ChatGPT plan at its usage limit (429 usage_limit_reached)',
  },
  'rate-limited': { key: 'rate_limit', about: 'an API key that is rate limited (429 rate_limit_exceeded)' },
  'server-error': { key: 'server_error', about: 'an API that answers 500 to everything' },
};

/** Extra cases: the ones the classifier's adversarial and early-verdict tests rest on. */
const EXTRA_SCENARIOS = {
  'success-after-failed-proactive-refresh': {
    auth: { refresh: 'reused', accessExpired: false },
    about: 'a live access token with a dead refresh token: codex logs failed refreshes, then succeeds',
  },
  'api-key-invalid.rust-log': {
    key: 'invalid_api_key',
    env: { RUST_LOG: 'codex_core::responses_retry=warn' },
    about: 'a revoked API key with `RUST_LOG=codex_core::responses_retry=warn`',
  },
  'chatgpt-unauthorized': { auth: { access: 'unauthorized', accessExpired: false }, about: 'a ChatGPT access token the API refuses (401)' },
  'chatgpt-unauthorized.json': {
    auth: { access: 'unauthorized', accessExpired: false },
    json: true,
    about: 'a ChatGPT access token the API refuses (401)',
  },
  'missing-scopes': { key: 'missing_scopes', about: 'a restricted API key without `api.responses.write`' },
};

/** Every base scenario in human mode and as `<name>.json` with `--json`, then the extras. */
export const SCENARIOS = {
  ...Object.fromEntries(
    Object.entries(BASE_SCENARIOS).flatMap(([name, sc]) => [
      [name, sc],
      [`${name}.json`, { ...sc, json: true }],
    ]),
  ),
  ...EXTRA_SCENARIOS,
};

// Paths of this machine are replaced in the transcripts by what a GitHub runner would show.
const RUNNER_HOME = '/home/runner/.codex';
const RUNNER_WORKSPACE = '/home/runner/work/project/project';

function run(cmd, args, { env, cwd, input }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    // One string for both streams keeps their interleaving, as in a job log.
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ out, code });
    });
  });
}

async function capture(standin, codex, outDir, name, sc) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-capture-'));
  const home = path.join(base, 'home');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(home);
  fs.mkdirSync(workspace);
  try {
    fs.writeFileSync(path.join(home, 'config.toml'), standin.configToml());
    // OPENAI_BASE_URL: 0.101 fetches its model list through the built-in provider even with a custom one.
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      CODEX_HOME: home,
      OPENAI_BASE_URL: `${standin.url}/v1`,
      ...loopbackOnlyEnv(),
      ...standin.env(),
      ...(sc.env ?? {}),
    };
    if (sc.key) await run(process.execPath, [codex, 'login', '--with-api-key'], { env, cwd: workspace, input: standin.apiKey(sc.key) });
    if (sc.auth) fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify(standin.chatgptAuth(sc.auth)), { mode: 0o600 });
    const args = ['exec', '--skip-git-repo-check', ...(sc.json ? ['--json'] : []), 'say hi'];
    const started = Date.now();
    const { out, code } = await run(process.execPath, [codex, ...args], { env, cwd: workspace });
    const ms = Date.now() - started;
    const text = `${out}# exit ${code}\n`.replaceAll(workspace, RUNNER_WORKSPACE).replaceAll(home, RUNNER_HOME);
    fs.writeFileSync(path.join(outDir, `${name}.log`), text);
    return { code, ms };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

function readme(version, rows) {
  const lines = [
    `# codex ${version} transcripts`,
    '',
    `Captured from the real \`@openai/codex@${version}\` (npm registry) against the loopback stand-in`,
    '(`test-support/openai-standin.js`), stdout and stderr interleaved; the last line is `# exit N`,',
    'codex\'s exit code. Each ran `codex exec --skip-git-repo-check [--json] "say hi"` with a fresh',
    "`CODEX_HOME` holding the stand-in's `config.toml`; paths are replaced by a runner's",
    `(\`${RUNNER_HOME}\`, \`${RUNNER_WORKSPACE}\`). Regenerate with:`,
    '',
    '```sh',
    `node scripts/capture-transcripts.mjs --codex ${version}`,
    '```',
    '',
    '| transcript | what the stand-in was told | mode | exit | codex took |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      ({ name, sc, code, ms }) =>
        `| \`${name}.log\` | ${sc.about} | ${sc.json ? '`--json`' : 'human'} | ${code} | ${(ms / 1000).toFixed(1)} s |`,
    ),
    '',
  ];
  return lines.join('\n');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { codex: { type: 'string', multiple: true }, all: { type: 'boolean', default: false } },
});
const versions = values.all ? COMPAT_VERSIONS : (values.codex ?? [pinnedVersion()]);
const unknown = positionals.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}\nknown: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const standin = await startStandin({ reply: 'hi' });
try {
  for (const version of versions) {
    const codex = ensureCodex(version);
    const outDir = path.join(ROOT, '__fixtures__', 'transcripts', version);
    fs.mkdirSync(outDir, { recursive: true });
    const rows = [];
    for (const [name, sc] of Object.entries(SCENARIOS)) {
      if (positionals.length > 0 && !positionals.includes(name)) continue;
      const { code, ms } = await capture(standin, codex, outDir, name, sc);
      rows.push({ name, sc, code, ms });
      console.log(`${version.padEnd(8)} ${name.padEnd(44)} exit ${code} ${String(ms).padStart(6)} ms`);
    }
    // A partial run leaves the README of the full one alone.
    if (positionals.length === 0) fs.writeFileSync(path.join(outDir, 'README.md'), readme(version, rows));
  }
} finally {
  await standin.close();
}
