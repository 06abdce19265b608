#!/usr/bin/env node
// `npm run bench:steps`: the before and after of each performance change. Builds the action at each
// commit listed in bench/steps.json (with that commit's own `npm run bundle`, in .tmp/bench-builds/),
// then measures all the builds in one interleaved run of bench/run.mjs (section 1, the healthy run as
// a user meets it, and section 3, memory and throughput on 1 GiB of output) and writes bench/steps.md. A benchmark: it prints figures and asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { steps } = JSON.parse(fs.readFileSync(path.join(here, 'steps.json'), 'utf8'));
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

const dists = [];
for (const step of steps) {
  const commit = git('rev-parse', '--short=12', step.commit);
  const dir = path.join(root, '.tmp', 'bench-builds', commit);
  const main = path.join(dir, 'dist', 'index.js');
  if (!fs.existsSync(main)) {
    console.log(`Building ${commit} (${step.label})…`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    // The sources and build settings of that commit; this checkout's node_modules.
    const archive = spawnSync('git', ['archive', commit, 'src', 'scripts', 'package.json', 'tsconfig.json'], {
      cwd: root,
      maxBuffer: 1 << 28,
    });
    if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`);
    execFileSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    // Type checking only needs src/ here: keep the commit's compiler options, drop its test folders.
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    tsconfig.include = ['src/**/*.ts'];
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    execFileSync('npm', ['run', '-s', 'bundle'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  dists.push({ main, label: `${step.label} (${commit})` });
}

const result = spawnSync(
  process.execPath,
  [
    path.join(here, 'run.mjs'),
    '--only=1,3',
    `--dist=${dists.map((d) => d.main).join(',')}`,
    `--labels=${dists.map((d) => d.label.replace(/,/g, ';')).join(',')}`,
    `--out=${path.join(here, 'steps.md')}`,
    '--by=npm run bench:steps',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: root },
);
process.exitCode = result.status ?? 1;
