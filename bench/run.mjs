#!/usr/bin/env node
// `npm run bench`: what the action costs and what it saves, measured on this machine with the real
// codex CLI against the loopback stand-in. A benchmark, not a test: it prints figures and writes
// bench/results.md; it asserts nothing. Runs are interleaved (action, bare, action, bare, …) so drift
// in the machine's load hits both sides alike; figures are medians.
//
//   1. Healthy run, as a user meets it: the action's main step started cold like a runner starts it
//      (INPUT_* from action.yml), vs bare `codex exec` already logged in. Once with the credentials
//      cached on the runner, once with the key coming from `openai-api-key` (sign-in included), and
//      once as a job that uses a keeper's access-only ChatGPT copy from `codex-auth-json` (its expiry
//      check and sign-in included) vs bare codex with the same copy already in auth.json.
//   2. Revoked key: the action's time to its verdict vs bare codex's time to exit (--json and human).
//   3. 1 GiB of output: the action's peak RSS, and its forwarding throughput vs `cat`.
//
// Options: --quick (fewer rounds), --only=1,2,3, --dist=FILE (another build of the main entry, for
// before/after comparisons; see bench/steps.mjs), --out=FILE (where to write the Markdown report).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandin } from '../test-support/openai-standin.js';
import { codexVersion, prepareCodexHome, REAL_CODEX, realCodexBin, realCodexEnv } from '../test-support/real-codex.js';
import { actionEntries, prepareRunner } from '../test-support/run-action.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const only = (process.argv.find((a) => a.startsWith('--only=')) ?? '--only=1,2,3,4').slice(7).split(',');
const ROUNDS = { healthy: quick ? 5 : 21, revoked: quick ? 2 : 5, stream: quick ? 1 : 3 };
const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
// Sections 1 and 3 can compare several builds (bench/steps.mjs passes one per performance change);
// section 2 uses the first.
const DISTS = option('dist', actionEntries().main)
  .split(',')
  .map((file) => path.resolve(file));
const LABELS = option('labels', '').split(',').filter(Boolean);
const DIST = DISTS[0];
const OUT = path.resolve(option('out', path.join(here, 'results.md')));
/** The targets of the performance issue (#11), each checked below. */
const TARGETS = { cachedMs: 70, secretMs: 80, revokedSpeedup: 15, rssMB: 64, catShare: 0.66, revokedTokenMs: 2000 };
const MAX_RSS_PRELOAD = path.join(here, 'max-rss.mjs');
const GiB = 1024 ** 3;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const SHELL = ['--noprofile', '--norc', '-eo', 'pipefail', '-c']; // what a runner's `run:` step uses

/** Runs a command; resolves with its wall time, exit code, and when `marker` first appeared in stdout. */
function timed(command, args, env, marker) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let markerMs = null;
    let tail = '';
    const look = (d) => {
      if (marker && markerMs === null) {
        tail = (tail + d).slice(-4096);
        if (tail.includes(marker)) markerMs = Number(process.hrtime.bigint() - started) / 1e6;
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', () => {});
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, markerMs }));
  });
}

const standin = await startStandin({ reply: 'hi' });
// As on a runner after `npm install -g @openai/codex`: a symlink on PATH into the npm package (the
// tests' wrapper script would hide which release it is). config.toml points codex at the stand-in.
const bin = realCodexBin();
fs.rmSync(path.join(bin, 'codex'));
fs.symlinkSync(REAL_CODEX, path.join(bin, 'codex'));
const baseEnv = realCodexEnv(bin, standin);
const results = { machine: {}, healthy: null, revoked: [], stream: null, revokedToken: null };
const cleanups = [];

/** A runner layout whose codex home points at the stand-in and holds `auth` (or nothing). */
function runner(inputs, auth) {
  const r = prepareRunner({
    inputs,
    env: baseEnv,
    prepare: ({ home }) => {
      const codexHome = prepareCodexHome(home, standin);
      if (auth) fs.writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify(auth), { mode: 0o600 });
    },
  });
  cleanups.push(r.base);
  return r;
}

function bareEnv(r) {
  return { ...r.mainEnv, CODEX_HOME: path.join(r.home, '.codex') };
}

try {
  const version = codexVersion();
  results.machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / GiB),
    node: process.version,
    codex: version,
    date: new Date().toISOString(),
  };
  console.log(`codex-reauth bench: codex ${version}, node ${process.version}, ${results.machine.cores} × ${results.machine.cpu}`);

  // ── 1. healthy run ───────────────────────────────────────────────────────────────────────────
  if (only.includes('1')) {
    const key = standin.apiKey('accept');
    const apikeyAuth = { auth_mode: 'apikey', OPENAI_API_KEY: key };
    const cmd = 'codex exec --skip-git-repo-check "say hi"';
    // A keeper's access-only copy: a valid access token (9 days left) and no refresh token.
    const full = standin.chatgptAuth({ accessExpiresIn: 9 * 24 * 3600 });
    const copyAuth = { ...full, auth_mode: 'chatgptAuthTokens', tokens: { ...full.tokens, refresh_token: '' } };
    const copyText = JSON.stringify(copyAuth, null, 2);
    const builds = DISTS.map((dist, i) => ({
      dist,
      label: LABELS[i] ?? path.relative(process.cwd(), dist),
      cached: [],
      secret: [],
      copy: [],
    }));
    const bare = { cached: [], login: [], copy: [] };
    for (let i = 0; i < ROUNDS.healthy; i++) {
      // Interleaved, so drift in the machine's load hits every side alike.
      const b = runner({}, apikeyAuth);
      bare.cached.push((await timed('bash', [...SHELL, cmd], bareEnv(b))).ms);
      for (const build of builds) {
        // (a) credentials already cached on the runner: the action and bare codex both use them.
        const a = runner({ run: cmd }, apikeyAuth);
        const act = await timed(process.execPath, [build.dist], a.mainEnv);
        if (act.code !== 0) throw new Error(`healthy action run failed (${build.label})`);
        build.cached.push(act.ms);
        // (b) the key comes from a secret, nothing cached: the action signs in, then runs.
        const c = runner({ run: cmd, 'openai-api-key': key });
        const sec = await timed(process.execPath, [build.dist], c.mainEnv);
        if (sec.code !== 0) throw new Error(`healthy action run with the key from a secret failed (${build.label})`);
        build.secret.push(sec.ms);
        // (c) a job on a keeper's access-only copy: the expiry check, then the copy is written and codex runs.
        const e = runner({ run: cmd, 'codex-auth-json': copyText });
        const cop = await timed(process.execPath, [build.dist], e.mainEnv);
        // A build from before access-only copies refuses the copy: it is left out of this measure.
        if (cop.code === 0) build.copy.push(cop.ms);
        else if (DISTS.length === 1) throw new Error(`healthy action run on an access-only copy failed (${build.label})`);
      }
      const f = runner({}, copyAuth);
      bare.copy.push((await timed('bash', [...SHELL, cmd], bareEnv(f))).ms);
      // For reference: what a person would write without the action.
      const d = runner({});
      bare.login.push(
        (
          await timed('bash', [...SHELL, `printf %s "$KEY" | codex login --with-api-key >/dev/null 2>&1 && ${cmd}`], {
            ...bareEnv(d),
            KEY: key,
          })
        ).ms,
      );
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    const bareCached = median(bare.cached);
    const bareCopy = median(bare.copy);
    results.healthy = {
      rounds: ROUNDS.healthy,
      bareCached,
      bareCopy,
      bareLogin: median(bare.login),
      // Against bare codex already logged in: for a key from a secret, the sign-in is part of what the action costs.
      builds: builds.map((build) => ({
        label: build.label,
        cached: { action: median(build.cached), overhead: median(build.cached) - bareCached },
        secret: { action: median(build.secret), overhead: median(build.secret) - bareCached },
        copy: build.copy.length > 0 ? { action: median(build.copy), overhead: median(build.copy) - bareCopy } : null,
      })),
    };
  }

  // ── 2. revoked key ───────────────────────────────────────────────────────────────────────────
  if (only.includes('2')) {
    for (const mode of ['--json', 'human']) {
      const flag = mode === '--json' ? '--json ' : '';
      const cmd = `codex exec ${flag}--skip-git-repo-check "say hi"`;
      const verdict = [];
      const actionExit = [];
      const bare = [];
      for (let i = 0; i < ROUNDS.revoked; i++) {
        const key = standin.apiKey('invalid_api_key');
        const a = runner({ run: cmd, 'openai-api-key': key, 'max-attempts': '1' });
        const act = await timed(process.execPath, [DIST], a.mainEnv, 'Attempt 1 failed: api-key-invalid');
        if (act.markerMs === null) throw new Error(`no verdict from the action in ${mode} mode`);
        verdict.push(act.markerMs);
        actionExit.push(act.ms);
        const b = runner({}, { auth_mode: 'apikey', OPENAI_API_KEY: standin.apiKey('invalid_api_key') });
        bare.push((await timed('bash', [...SHELL, cmd], bareEnv(b))).ms);
        process.stdout.write('.');
      }
      process.stdout.write('\n');
      const v = median(verdict);
      const e = median(actionExit);
      const bx = median(bare);
      results.revoked.push({ mode, rounds: ROUNDS.revoked, verdict: v, actionExit: e, bare: bx, speedup: bx / v, speedupExit: bx / e });
    }
  }

  // ── 4. revoked workspace access token ─────────────────────────────────────────────────────────
  if (only.includes('4')) {
    const cmd = 'codex exec --skip-git-repo-check "say hi"';
    const verdict = [];
    const actionExit = [];
    const bare = [];
    for (let i = 0; i < ROUNDS.revoked; i++) {
      const token = standin.accessToken({ whoami: 'revoked' });
      const a = runner({ run: cmd, 'codex-access-token': token });
      const act = await timed(process.execPath, [DIST], a.mainEnv, 'was refused when codex checked it (access-token-invalid)');
      if (act.markerMs === null || act.code !== 1) throw new Error('no access-token-invalid verdict from the action');
      verdict.push(act.markerMs);
      actionExit.push(act.ms);
      // What codex alone does with the same token: it drops it without a word and retries unauthenticated.
      const b = runner({});
      bare.push(
        (await timed('bash', [...SHELL, cmd], { ...bareEnv(b), CODEX_ACCESS_TOKEN: standin.accessToken({ whoami: 'revoked' }) })).ms,
      );
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    results.revokedToken = {
      rounds: ROUNDS.revoked,
      verdict: median(verdict),
      actionExit: median(actionExit),
      bare: median(bare),
    };
  }

  // ── 3. 1 GiB of output ───────────────────────────────────────────────────────────────────────
  if (only.includes('3')) {
    // Lines like a busy test log (~100 bytes), none of them codex's.
    const producer = `yes '  PASS  src/components/widget.test.ts > renders the widget with default props (3 ms) [worker 2]' | head -c ${GiB}`;
    const builds = DISTS.map((dist, i) => ({
      dist,
      label: LABELS[i] ?? path.relative(process.cwd(), dist),
      ms: [],
      rss: [],
      user: [],
      sys: [],
    }));
    const cat = [];
    for (let i = 0; i < ROUNDS.stream; i++) {
      for (const build of builds) {
        const r = runner({ run: producer });
        const rssFile = path.join(r.base, 'max-rss');
        const env = { ...r.mainEnv, MAX_RSS_FILE: rssFile };
        const act = await timed('bash', [...SHELL, `node --import "${MAX_RSS_PRELOAD}" "${build.dist}" | wc -c > "${r.base}/bytes"`], env);
        const bytes = Number(fs.readFileSync(path.join(r.base, 'bytes'), 'utf8'));
        if (bytes < GiB) throw new Error(`the action forwarded only ${bytes} bytes (${build.label})`);
        build.ms.push(act.ms);
        const usage = JSON.parse(fs.readFileSync(rssFile, 'utf8'));
        build.rss.push(usage.maxRSS / 1024);
        build.user.push(usage.userCPUTime / 1e6);
        build.sys.push(usage.systemCPUTime / 1e6);
      }
      const c = await timed(
        'bash',
        [...SHELL, `bash --noprofile --norc -eo pipefail -c "${producer.replace(/"/g, '\\"')}" | cat | wc -c > /dev/null`],
        baseEnv,
      );
      cat.push(c.ms);
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    const c = median(cat);
    results.stream = {
      rounds: ROUNDS.stream,
      catMs: c,
      catMiBs: 1024 / (c / 1000),
      builds: builds.map((build) => {
        const a = median(build.ms);
        return {
          label: build.label,
          peakRssMiB: Math.max(...build.rss),
          actionMs: a,
          actionMiBs: 1024 / (a / 1000),
          share: c / a,
          userS: median(build.user),
          sysS: median(build.sys),
        };
      }),
    };
  }
} finally {
  for (const dir of cleanups) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(bin, { recursive: true, force: true });
  await standin.close();
}

// ── report ─────────────────────────────────────────────────────────────────────────────────────
const mark = (ok) => (ok ? 'met' : 'NOT met');
const rows = [];
if (results.healthy) {
  const { bareCached, bareCopy, bareLogin, builds } = results.healthy;
  for (const { label, cached, secret, copy } of builds) {
    const which = builds.length > 1 ? ` [${label}]` : '';
    rows.push(
      [
        `Healthy run, credentials cached: action vs bare codex exec${which}`,
        `${fmtMs(cached.action)} vs ${fmtMs(bareCached)}`,
        `overhead ${fmtMs(cached.overhead)}`,
        `≤ ${TARGETS.cachedMs} ms: ${mark(cached.overhead <= TARGETS.cachedMs)}`,
      ],
      [
        `Healthy run, key from a secret (cold, sign-in included): action vs bare codex exec already logged in${which}`,
        `${fmtMs(secret.action)} vs ${fmtMs(bareCached)} (bare login + exec: ${fmtMs(bareLogin)})`,
        `overhead ${fmtMs(secret.overhead)}`,
        `≤ ${TARGETS.secretMs} ms: ${mark(secret.overhead <= TARGETS.secretMs)}`,
      ],
    );
    if (copy) {
      rows.push([
        `Healthy run, a job on an access-only ChatGPT copy (expiry check and sign-in included): action vs bare codex exec with the copy in auth.json${which}`,
        `${fmtMs(copy.action)} vs ${fmtMs(bareCopy)}`,
        `overhead ${fmtMs(copy.overhead)}`,
        `≤ ${TARGETS.secretMs} ms: ${mark(copy.overhead <= TARGETS.secretMs)}`,
      ]);
    }
  }
}
for (const r of results.revoked) {
  const target = TARGETS.revokedSpeedup;
  rows.push([
    `Revoked key (${r.mode}): action's verdict vs bare codex's exit`,
    `${fmtMs(r.verdict)} (step ends ${fmtMs(r.actionExit)}) vs ${fmtMs(r.bare)}`,
    `speed-up ${r.speedup.toFixed(1)}× (${r.speedupExit.toFixed(1)}× to step end)`,
    `≥ ${target}×: ${mark(r.speedup >= target)}`,
  ]);
}
if (results.revokedToken) {
  const t = results.revokedToken;
  rows.push([
    "Revoked workspace access token: action's verdict (before the script) vs bare codex's exit",
    `${fmtMs(t.verdict)} (step ends ${fmtMs(t.actionExit)}) vs ${fmtMs(t.bare)}`,
    `speed-up ${(t.bare / t.verdict).toFixed(1)}×`,
    `< ${TARGETS.revokedTokenMs / 1000} s: ${mark(t.actionExit < TARGETS.revokedTokenMs)}`,
  ]);
}
if (results.stream) {
  const { builds, catMiBs } = results.stream;
  for (const b of builds) {
    const which = builds.length > 1 ? ` [${b.label}]` : '';
    rows.push(
      [
        `1 GiB of output: action peak RSS${which}`,
        `${b.peakRssMiB.toFixed(1)} MiB (${(b.peakRssMiB * 1.048576).toFixed(1)} MB)`,
        '',
        `≤ ${TARGETS.rssMB} MB: ${mark(b.peakRssMiB * 1.048576 <= TARGETS.rssMB)}`,
      ],
      [
        `1 GiB of output: throughput, action vs cat${which}`,
        `${b.actionMiBs.toFixed(0)} vs ${catMiBs.toFixed(0)} MiB/s`,
        `${(b.share * 100).toFixed(0)}% of cat (the action's CPU: ${b.userS.toFixed(2)} s user, ${b.sysS.toFixed(2)} s system)`,
        `≥ ${TARGETS.catShare * 100}%: ${mark(b.share >= TARGETS.catShare)}`,
      ],
    );
  }
}

const header = ['Measure', 'Figures (medians)', 'Result', 'Target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' │ ');
console.log(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}`);
for (const r of rows) console.log(line(r));

const m = results.machine;
const md = [
  '# Benchmark results',
  '',
  `Measured by \`${option('by', 'npm run bench')}\` on ${m.date.slice(0, 10)}: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, node ${m.node}, codex ${m.codex} (real CLI) against the loopback stand-in.`,
  `Interleaved rounds, medians: ${results.healthy ? `${results.healthy.rounds} healthy` : ''}${results.revoked[0] ? `, ${results.revoked[0].rounds} revoked-key` : ''}${results.stream ? `, ${results.stream.rounds} streaming` : ''}.`,
  '',
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  'How each is measured:',
  '- Healthy: wall time of the action\'s main step (`node dist/index.js` started cold as the runner starts it, `INPUT_*` from action.yml) vs the same codex command in `bash -eo pipefail -c` (what a plain `run:` step does) with codex already logged in. "Credentials cached": both find the same API-key auth.json. "Key from a secret": nothing cached, the action signs in with `openai-api-key` first (writing the login file itself for the codex releases whose format is known, `codex login --with-api-key` otherwise); the reference "bare login + exec" is `printf %s "$KEY" | codex login --with-api-key && codex exec …`. "Access-only copy": a job that passes a keeper\'s copy (a valid access token, `"refresh_token": ""`) as `codex-auth-json`, nothing cached; the action checks its expiry and writes it, codex runs; bare codex finds the same copy in auth.json. A ChatGPT login makes codex ask the stand-in for more than an API key does, so this pair has its own bare figure.',
  "- Revoked key: the action's verdict is when its log says `Attempt 1 failed: api-key-invalid`, counted from the start of the step (node start-up and sign-in included); bare is codex exiting on its own after its retries.",
  "- Revoked workspace access token: the action (`codex-access-token`) says the token `was refused when codex checked it`, before the script runs (codex's check at sign-in); the step then ends with its one annotation. Bare is `codex exec` with the token in `CODEX_ACCESS_TOKEN`: codex drops the refused token without a word and retries unauthenticated until it gives up.",
  "- 1 GiB: `yes '<100-byte test log line>' | head -c 1GiB` run by the action, its stdout piped to `wc -c`, vs the same producer piped through `cat` to `wc -c`. Peak RSS and CPU time are the action process's own (`process.resourceUsage()`), not the producer's.",
  '',
].join('\n');
fs.writeFileSync(OUT, md);
console.log(`\nWrote ${path.relative(process.cwd(), OUT)}`);
