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
 * `chatgptAuth` in test-support/openai-standin.js); `token`: a workspace access token (see
 * `accessToken` there), signed in with `codex login --with-access-token` (`via: 'login'`), given as
 * `CODEX_ACCESS_TOKEN` (`via: 'env'`), or signed in while whoami accepted it and revoked afterwards
 * (`via: 'login-then-revoke'`); neither: no credentials at all. `command`: what is captured, `exec`
 * (default), `login` (`codex login --with-access-token`, the token on stdin) or `login-status`.
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

/**
 * Workspace access tokens (codex 0.171 checks them at `GET …/v1/user-auth-credential/whoami`): what the
 * action's sign-in and its check of the token see, and what codex does when the token dies. Captured
 * from the releases that know `--with-access-token` only (see ACCESS_TOKEN_SINCE).
 */
const ACCESS_TOKEN_BASE = {
  'access-token-success': { token: { via: 'login' }, about: 'a workspace access token, signed in with `codex login --with-access-token`' },
  'access-token-model-refused': {
    token: { via: 'login', model: 'unauthorized' },
    about: 'a workspace access token whoami accepts and the model API refuses (401 on `/v1/responses`)',
  },
  'access-token-env-revoked': {
    token: { via: 'env', whoami: 'revoked' },
    about: '`CODEX_ACCESS_TOKEN` holding a revoked token (401 from whoami): codex goes on unauthenticated',
  },
  'access-token-stored-revoked': {
    token: { via: 'login-then-revoke' },
    about: 'a workspace access token signed in with `codex login --with-access-token`, revoked afterwards (401 from whoami)',
  },
};
/** `codex login` has no `--json`: these are captured in human mode only. */
const ACCESS_TOKEN_LOGIN = {
  'login-access-token': { token: { via: 'stdin' }, command: 'login', about: '`codex login --with-access-token`, a good token on stdin' },
  'login-access-token-revoked': {
    token: { via: 'stdin', whoami: 'revoked' },
    command: 'login',
    about: '`codex login --with-access-token`, a revoked token on stdin (401 from whoami)',
  },
  'login-status-access-token': {
    token: { via: 'env' },
    command: 'login-status',
    about: '`codex login status` with a good token in `CODEX_ACCESS_TOKEN`',
  },
  'login-status-access-token-revoked': {
    token: { via: 'env', whoami: 'revoked' },
    command: 'login-status',
    about: '`codex login status` with a revoked token in `CODEX_ACCESS_TOKEN` (401 from whoami)',
  },
};
/** The first release captured with access tokens (the pinned one when they were added). */
export const ACCESS_TOKEN_SINCE = '0.171.0';

const withJson = (scenarios) =>
  Object.fromEntries(
    Object.entries(scenarios).flatMap(([name, sc]) => [
      [name, sc],
      [`${name}.json`, { ...sc, json: true }],
    ]),
  );

/** Every base scenario in human mode and as `<name>.json` with `--json`, then the extras and the access-token ones. */
export const SCENARIOS = {
  ...withJson(BASE_SCENARIOS),
  ...EXTRA_SCENARIOS,
  ...withJson(ACCESS_TOKEN_BASE),
  ...ACCESS_TOKEN_LOGIN,
};

/** Whether `version` is captured in scenario `sc` (access tokens from ACCESS_TOKEN_SINCE on). */
function applies(version, sc) {
  if (!sc.token) return true;
  const [a, b] = [version, ACCESS_TOKEN_SINCE].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

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
    let input;
    if (sc.token) {
      const { via, ...behaviour } = sc.token;
      const token = standin.accessToken(behaviour);
      if (via === 'env') env.CODEX_ACCESS_TOKEN = token;
      if (via === 'stdin') input = token;
      if (via === 'login' || via === 'login-then-revoke') {
        const login = await run(process.execPath, [codex, 'login', '--with-access-token'], { env, cwd: workspace, input: token });
        if (login.code !== 0) throw new Error(`${name}: codex login --with-access-token failed: ${login.out}`);
      }
      if (via === 'login-then-revoke') standin.revokeAccessToken(token);
    }
    const args =
      sc.command === 'login'
        ? ['login', '--with-access-token']
        : sc.command === 'login-status'
          ? ['login', 'status']
          : ['exec', '--skip-git-repo-check', ...(sc.json ? ['--json'] : []), 'say hi'];
    const started = Date.now();
    const { out, code } = await run(process.execPath, [codex, ...args], { env, cwd: workspace, input });
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
    'codex\'s exit code. Each ran `codex exec --skip-git-repo-check [--json] "say hi"` (the `login-*` ones:',
    '`codex login --with-access-token` or `codex login status`, which have no `--json`) with a fresh',
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
      if (!applies(version, sc)) continue;
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
