#!/usr/bin/env node
// Plants, by hand as it were, the bugs that used to hang the suite instead of failing it, each in a
// throw-away clone of this repository, runs `npm test` there and reports how long it took to exit,
// its exit code, and which tests (or test files) failed and with what first line. Issue #20: each
// must make `npm test` exit non-zero within a minute of the broken test, naming it.
//
//   node scripts/plant-hangs.mjs [plant …]        (default: all; `--list` names them)
//
// Plants:
//   no-sigkill       the process runner never escalates SIGTERM to SIGKILL (src/, then `npm run bundle`)
//   no-timeout       the attempt timeout is never armed (src/, then `npm run bundle`)
//   leaky-test       a test starts a fake codex that ignores SIGTERM and never stops it
//   silent-standin   the OpenAI stand-in accepts a model request and never answers it
//
// The clones share this checkout's node_modules by hard links and are removed afterwards (kept with
// --keep). Nothing in this checkout is changed.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A text replacement that must find its text (a plant that silently does nothing proves nothing). */
function replace(dir, file, from, to) {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  if (!text.includes(from)) throw new Error(`plant: ${file} no longer contains ${JSON.stringify(from.slice(0, 80))}`);
  fs.writeFileSync(p, text.replace(from, to));
}

const PLANTS = {
  'no-sigkill': {
    bundle: true,
    apply: (dir) =>
      replace(
        dir,
        'src/process-runner.ts',
        "        if (child.pid) signalled = killTree(child.pid, 'SIGKILL', platform, undefined, signalled);\n      }, request.killGraceMs);",
        '      }, request.killGraceMs);',
      ),
  },
  'no-timeout': {
    bundle: true,
    apply: (dir) =>
      replace(
        dir,
        'src/process-runner.ts',
        'request.timeoutMs > 0\n        ? setTimeout(',
        'request.timeoutMs > 0 && Number.isNaN(0)\n        ? setTimeout(',
      ),
  },
  'leaky-test': {
    bundle: false,
    apply: (dir) =>
      fs.writeFileSync(
        path.join(dir, '__tests__', 'integration', 'planted-leak.test.ts'),
        `import { expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

it('planted: starts a fake codex that ignores SIGTERM and never stops it', () => {
  // The fake codex hangs on an API key with "hang" in it; a preload makes it ignore SIGTERM.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'planted-'));
  fs.writeFileSync(path.join(home, 'auth.json'), JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-hang-planted' }));
  const fake = path.join(process.cwd(), 'test-support', 'fake-codex.js');
  const ignoreTerm = "data:text/javascript,process.on('SIGTERM',()=>{})";
  const child = spawn(process.execPath, ['--import', ignoreTerm, fake, 'exec', 'planted'], {
    env: { ...process.env, CODEX_HOME: home },
    stdio: 'inherit',
  });
  expect(child.pid).toBeGreaterThan(0);
});
`,
      ),
  },
  'silent-standin': {
    bundle: false,
    apply: (dir) =>
      replace(
        dir,
        'test-support/openai-standin.js',
        "      case 'accept':\n        res.writeHead(200, { 'content-type': 'text/event-stream' });\n        return res.end(SSE_OK(reply));",
        "      case 'accept':\n        hanging.add(res);\n        return undefined;",
      ),
  },
};

function run(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Runs `npm test` in `dir`; resolves with its exit code, wall time and what failed. */
function npmTest(dir) {
  const results = path.join(dir, '.tmp', 'plant-results.json');
  fs.mkdirSync(path.dirname(results), { recursive: true });
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['test', '--', '--json', `--outputFile=${results}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const seconds = (Date.now() - started) / 1000;
      const failed = [];
      try {
        const r = JSON.parse(fs.readFileSync(results, 'utf8'));
        for (const file of r.testResults) {
          const rel = path.relative(dir, file.name);
          for (const a of file.assertionResults.filter((x) => x.status === 'failed')) {
            const first = (a.failureMessages[0] ?? '').split('\n').find((l) => l.trim()) ?? '';
            failed.push(`${rel} › ${a.fullName} (${(a.duration / 1000).toFixed(1)} s): ${first.trim().slice(0, 300)}`);
          }
          if (file.status === 'failed' && file.assertionResults.every((x) => x.status !== 'failed')) {
            const msg = file.message.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
            const line = msg.split('\n').find((l) => /process guard|did not|Error/.test(l)) ?? msg.split('\n')[0];
            failed.push(`${rel} (failed outside its tests): ${line.trim().slice(0, 300)}`);
          }
        }
      } catch (error) {
        failed.push(`no jest results (${error.message}); stderr ends: ${stderr.slice(-500)}`);
      }
      resolve({ code, seconds, failed });
    });
  });
}

const args = process.argv.slice(2);
if (args.includes('--list')) {
  console.log(Object.keys(PLANTS).join('\n'));
  process.exit(0);
}
const keep = args.includes('--keep');
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names.length ? names : Object.keys(PLANTS)) {
  const plant = PLANTS[name];
  if (!plant) throw new Error(`no plant named ${name} (--list)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plant-${name}-`));
  // Open to others as a checkout is: a test runs the CLI as `nobody` (mkdtemp makes the folder 0700).
  fs.chmodSync(dir, 0o755);
  try {
    run('git', ['clone', '--quiet', root, dir], root);
    run('cp', ['-al', path.join(root, 'node_modules'), path.join(dir, 'node_modules')], root);
    plant.apply(dir);
    if (plant.bundle) run('npm', ['run', '--silent', 'bundle'], dir);
    const { code, seconds, failed } = await npmTest(dir);
    console.log(`${name}: npm test exited ${code} after ${seconds.toFixed(0)} s; ${failed.length} failed:`);
    for (const f of failed) console.log(`  ${f}`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
