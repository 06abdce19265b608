#!/usr/bin/env node
// `npm run test:compat [-- VERSION …]`: the built action (dist/) with every tested codex release
// (scripts/codex-versions.mjs), end to end against the loopback stand-in. Opt-in, not part of
// `npm test`: each release is ~400 MB, installed once into ~/.cache/codex-reauth.
//
// Per release, in human and --json mode:
//   recovery     a runner's cached ChatGPT login whose refresh token was already used, and an API key
//                secret: the action must clear it, sign in with the key and succeed;
//   revoked-key  only a revoked API key: the action must fail with `api-key-invalid` and one annotation,
//                within ~1 s wherever codex's output names the cause at its first retry.
//   login-file   an API key secret: the auth.json the action signs in with (written directly for the
//                releases src/codex-version.ts names) must be the one `codex login --with-api-key` writes.
//   access-token a workspace access token (`at-…`) in `codex-access-token`: where the release knows
//                such tokens (ACCESS_TOKEN_SINCE), the action must sign in with it and succeed; before,
//                it must fail before the script, with one error naming the input.
//   revoked-token only a revoked workspace access token: the action must fail with `access-token-invalid`,
//                one annotation and no model request, within ~1 s (before the script; bare codex goes on
//                unauthenticated for ~6.5 s); before ACCESS_TOKEN_SINCE, as for access-token.
// Each is timed next to bare codex in the same situation. Prints the table and writes bench/compat.md.
// Exits 1 when any case fails. Loopback only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { startStandin } from '../test-support/openai-standin.js';
import { prepareCodexHome } from '../test-support/real-codex.js';
import { cleanup, DIST, runAction } from '../test-support/run-action.js';
import { COMPAT_VERSIONS, ensureCodex, loopbackOnlyEnv, ROOT } from './codex-versions.mjs';

/** Where codex's output names a dead key's cause at its first retry, so the action can stop early. */
function namesCauseEarly(version, json) {
  if (json) return true;
  const [, minor] = version.split('.').map(Number);
  // 0.101: `Reconnecting... 1/5 (<cause>)`; 0.150+: the responses_retry logger the action enables.
  return minor <= 101 || minor >= 150;
}
/** A verdict this fast means the action did not sit through codex's retries (~6.5 s). */
const EARLY_LIMIT_MS = 1500;

/**
 * The first tested release whose `codex login --with-access-token` takes a workspace token (`at-…`):
 * 0.101 has no such flag, 0.130 reads any token as an agent-identity JWT.
 */
const ACCESS_TOKEN_SINCE = '0.150.1';
const knowsAccessTokens = (version) => {
  const [a, b] = [version, ACCESS_TOKEN_SINCE].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};
const TOKEN_SCENARIOS = new Set(['access-token', 'revoked-token']);

const SCENARIOS = ['recovery', 'revoked-key', 'access-token', 'revoked-token'];

function spawnTimed(command, args, env, cwd) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, ms: Date.now() - started });
    });
  });
}

/** What codex alone does in the scenario: its exit code and how long it took to exit. */
async function bareCodex(codex, standin, scenario, json) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'compat-bare-'));
  try {
    const home = prepareCodexHome(base, standin, scenario === 'recovery' ? standin.chatgptAuth({ refresh: 'reused' }) : undefined);
    const env = {
      PATH: process.env.PATH,
      HOME: base,
      CODEX_HOME: home,
      OPENAI_BASE_URL: `${standin.url}/v1`,
      ...loopbackOnlyEnv(),
      ...standin.env(),
    };
    if (scenario === 'revoked-key') {
      await new Promise((resolve) => {
        const login = spawn(process.execPath, [codex, 'login', '--with-api-key'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
        login.stdin.end(standin.apiKey('invalid_api_key'));
        login.on('close', resolve);
      });
    }
    // codex's own way to take a workspace token from CI: the environment variable.
    if (TOKEN_SCENARIOS.has(scenario)) {
      env.CODEX_ACCESS_TOKEN = standin.accessToken(scenario === 'revoked-token' ? { whoami: 'revoked' } : {});
    }
    const args = [codex, 'exec', '--skip-git-repo-check', ...(json ? ['--json'] : []), 'fix the failing tests'];
    return await spawnTimed(process.execPath, args, env, base);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The built action around `codex` (first on PATH), as a runner runs it. */
async function throughAction(bin, standin, scenario, json, version) {
  const run = `codex exec --skip-git-repo-check ${json ? '--json ' : ''}"fix the failing tests"`;
  const cached = scenario === 'recovery' ? standin.chatgptAuth({ refresh: 'reused' }) : undefined;
  const credential = TOKEN_SCENARIOS.has(scenario)
    ? { 'codex-access-token': standin.accessToken(scenario === 'revoked-token' ? { whoami: 'revoked' } : {}) }
    : { 'openai-api-key': standin.apiKey(scenario === 'recovery' ? 'accept' : 'invalid_api_key') };
  const modelBefore = standin.modelRequests().length;
  const r = await runAction({
    inputs: { run, ...credential, 'retry-wait-seconds': '0' },
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      OPENAI_BASE_URL: `${standin.url}/v1`,
      ...loopbackOnlyEnv(),
      ...standin.env(),
    },
    prepare: ({ home }) => prepareCodexHome(home, standin, cached),
  });
  try {
    const errors = r.main.commands.filter((c) => c.command === 'error');
    const modelRequests = standin.modelRequests().length - modelBefore;
    const o = r.main.outputs;
    // revoked-token: the verdict came before the script, so codex never asked the model.
    const early =
      scenario === 'revoked-token'
        ? modelRequests === 0 && o.attempts === '0'
        : r.main.stdout.includes("Stopped this attempt at codex's first retry");
    const refusedUpFront =
      r.main.exitCode === 1 && errors.length === 1 && errors[0].message.includes('codex-access-token') && modelRequests === 0;
    const ok =
      scenario === 'recovery'
        ? r.main.exitCode === 0 && o.recovered === 'true' && o['failure-kind'] === 'none'
        : scenario === 'revoked-key'
          ? r.main.exitCode === 1 && o['failure-kind'] === 'api-key-invalid' && errors.length === 1
          : !knowsAccessTokens(version)
            ? refusedUpFront
            : scenario === 'access-token'
              ? r.main.exitCode === 0 && o['failure-kind'] === 'none' && o['auth-method'] === 'access-token'
              : refusedUpFront && o['failure-kind'] === 'access-token-invalid';
    return {
      ok,
      ms: r.main.durationMs,
      early,
      summary: `exit ${r.main.exitCode}, ${o['failure-kind']}${scenario === 'recovery' ? `, recovered=${o.recovered}` : ''}${
        TOKEN_SCENARIOS.has(scenario) ? `, auth-method ${o['auth-method']}, ${modelRequests} model request(s)` : ''
      }, ${o.attempts} attempt(s)`,
    };
  } finally {
    cleanup(r);
  }
}

/**
 * The login file the action leaves for codex vs the one codex's own `login --with-api-key` writes:
 * the action may write it itself only where the two are the same.
 */
async function loginFile(bin, codex, standin) {
  const key = standin.apiKey('accept');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'compat-login-'));
  try {
    const codexHome = path.join(base, 'codex-home');
    fs.mkdirSync(codexHome);
    const env = { PATH: process.env.PATH, HOME: base, CODEX_HOME: codexHome, ...loopbackOnlyEnv() };
    await new Promise((resolve) => {
      const login = spawn(process.execPath, [codex, '-c', 'cli_auth_credentials_store=file', 'login', '--with-api-key'], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      login.stdin.end(key);
      login.on('close', resolve);
    });
    const byCodex = JSON.parse(fs.readFileSync(path.join(codexHome, 'auth.json'), 'utf8'));
    const copy = path.join(base, 'action-auth.json');
    const r = await runAction({
      inputs: { run: 'cp "$CODEX_HOME/auth.json" "$COMPAT_COPY"', 'openai-api-key': key },
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH}`, COMPAT_COPY: copy, ...loopbackOnlyEnv() },
    });
    const ms = r.main.durationMs;
    cleanup(r);
    const byAction = fs.existsSync(copy) ? JSON.parse(fs.readFileSync(copy, 'utf8')) : null;
    const same = JSON.stringify(byAction) === JSON.stringify(byCodex);
    return { ok: same, ms, early: false, summary: same ? "auth.json = codex login's" : "auth.json DIFFERS from codex login's" };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

if (!fs.existsSync(DIST)) {
  console.error('dist/index.js is missing: run `npm run bundle` first.');
  process.exit(2);
}
const versions = process.argv.slice(2).length > 0 ? process.argv.slice(2) : COMPAT_VERSIONS;
const rows = [];
const standin = await startStandin({ reply: 'Fixed the failing test.' });
try {
  for (const version of versions) {
    const codex = ensureCodex(version);
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), `compat-bin-${version}-`));
    fs.symlinkSync(codex, path.join(bin, 'codex'));
    try {
      for (const scenario of SCENARIOS) {
        for (const json of [false, true]) {
          const bare = await bareCodex(codex, standin, scenario, json);
          const action = await throughAction(bin, standin, scenario, json, version);
          const expectEarly =
            (scenario === 'revoked-key' && namesCauseEarly(version, json)) || (scenario === 'revoked-token' && knowsAccessTokens(version));
          const fastEnough = !expectEarly || (action.early && action.ms < EARLY_LIMIT_MS);
          const row = { version, scenario, mode: json ? '--json' : 'human', bare, action, expectEarly, pass: action.ok && fastEnough };
          rows.push(row);
          console.log(
            `${version.padEnd(8)} ${scenario.padEnd(13)} ${row.mode.padEnd(7)} action ${seconds(action.ms).padStart(6)} ${action.early ? 'early' : '     '} ` +
              `(${action.summary})  bare codex: exit ${bare.exitCode} after ${seconds(bare.ms)}  ${row.pass ? 'PASS' : 'FAIL'}`,
          );
        }
      }
      const login = await loginFile(bin, codex, standin);
      rows.push({ version, scenario: 'login-file', mode: '–', bare: null, action: login, expectEarly: false, pass: login.ok });
      console.log(`${version.padEnd(8)} ${'login-file'.padEnd(13)} ${'–'.padEnd(7)} ${login.summary}  ${login.ok ? 'PASS' : 'FAIL'}`);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }
} finally {
  await standin.close();
}

const passed = rows.filter((r) => r.pass).length;
const table = [
  '| codex | scenario | mode | action: result | action: time | verdict at first retry | bare codex: exit after | pass |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.version} | ${r.scenario} | ${r.mode} | ${r.action.summary} | ${seconds(r.action.ms)} | ${
        r.scenario === 'revoked-key'
          ? r.action.early
            ? 'yes'
            : r.expectEarly
              ? 'NO (expected)'
              : 'no: codex names no cause'
          : r.scenario === 'revoked-token'
            ? r.action.early
              ? 'before the script'
              : r.expectEarly
                ? 'NO (expected before the script)'
                : 'no: this codex knows no workspace tokens'
            : '–'
      } | ${r.bare ? `exit ${r.bare.exitCode}, ${seconds(r.bare.ms)}` : '–'} | ${r.pass ? 'yes' : '**NO**'} |`,
  ),
];
const doc = [
  '# Compatibility with codex releases',
  '',
  'Written by `npm run test:compat` (`scripts/test-compat.mjs`): the built action (`dist/`) around each',
  'real codex release, against the loopback OpenAI stand-in, as a runner runs it (main, then post).',
  '',
  '- **recovery**: a cached ChatGPT login whose refresh token was already used, plus an API key secret.',
  '  Pass: exit 0, `recovered=true`. Bare codex fails in this situation.',
  '- **revoked-key**: only a revoked API key. Pass: exit 1, `failure-kind=api-key-invalid`, one error',
  `  annotation, and, where codex's output names the cause at its first retry, the verdict within ${seconds(EARLY_LIMIT_MS)}`,
  '  (bare codex retries 5 times first).',
  '- **access-token**: a workspace access token (`at-…`) in `codex-access-token`. Pass, where the release knows such',
  `  tokens (${ACCESS_TOKEN_SINCE} on): exit 0, \`auth-method=access-token\`; before: exit 1 before the script, one error`,
  '  annotation naming `codex-access-token`, no model request. Bare codex: the token in `CODEX_ACCESS_TOKEN`.',
  '- **revoked-token**: only a revoked workspace access token. Pass: exit 1, `failure-kind=access-token-invalid`, one',
  `  error annotation naming the input, no model request, within ${seconds(EARLY_LIMIT_MS)} (bare codex, with the token in`,
  '  `CODEX_ACCESS_TOKEN`, goes on unauthenticated and retries 5 times); before the release that knows such tokens, as',
  '  for access-token.',
  "- **login-file**: an API key secret. Pass: the `auth.json` the action signs in with is the one the release's own",
  '  `codex login --with-api-key` writes (the action writes it itself, without starting codex, for the releases',
  '  `src/codex-version.ts` names).',
  '- Times are wall-clock for the whole main step (Node start, sign-in, codex, report), on a shared',
  `  2-core machine; bare codex is \`codex exec\` alone. Node ${process.version}, ${os.platform()} ${os.arch()}.`,
  '',
  ...table,
  '',
  `${passed}/${rows.length} cases pass (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
if (process.argv.slice(2).length === 0) {
  // Formatted as `npm run lint` expects the repository's Markdown to be.
  const file = path.join(ROOT, 'bench', 'compat.md');
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(doc, { ...options, parser: 'markdown' }));
}
console.log(
  `\n${passed}/${rows.length} compatibility cases pass${process.argv.slice(2).length === 0 ? '; table written to bench/compat.md' : ''}.`,
);
process.exitCode = passed === rows.length ? 0 : 1;
