#!/usr/bin/env node
// Stryker's incremental state, shared through git. A full mutation run is slow on 2 cores; with the
// last run's state, `npm run test:mutation` on a fresh clone re-tests only the mutants whose code or
// covering tests changed since (Stryker diffs both), and reuses the rest. Stryker itself reads and
// writes the plain JSON in .tmp/stryker/ (stryker.config.mjs: incrementalFile); the committed copy is
// bench/stryker-incremental.json.gz (gzip shrinks it about 20 times).
//
//   node scripts/mutation-state.mjs restore   .tmp/stryker/incremental.json from the committed copy, unless one exists
//   node scripts/mutation-state.mjs save      the committed copy from .tmp/stryker/incremental.json
//
// `npm run test:mutation:full` (--force) ignores the state and tests every mutant again.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL = path.join(ROOT, '.tmp', 'stryker', 'incremental.json');
const COMMITTED = path.join(ROOT, 'bench', 'stryker-incremental.json.gz');

function restore() {
  // A local state is newer than (or the same as) the committed one: it is the last run on this machine.
  if (fs.existsSync(LOCAL)) return `kept ${path.relative(ROOT, LOCAL)}`;
  if (!fs.existsSync(COMMITTED)) return 'no committed state: every mutant will be tested';
  fs.mkdirSync(path.dirname(LOCAL), { recursive: true });
  fs.writeFileSync(LOCAL, zlib.gunzipSync(fs.readFileSync(COMMITTED)));
  return `restored ${path.relative(ROOT, LOCAL)} from ${path.relative(ROOT, COMMITTED)}`;
}

function save() {
  if (!fs.existsSync(LOCAL)) throw new Error(`no ${path.relative(ROOT, LOCAL)}: run Stryker first`);
  // mtime 0 in the gzip header: the same state gives the same bytes, so git sees no change.
  fs.writeFileSync(COMMITTED, zlib.gzipSync(fs.readFileSync(LOCAL), { level: 9 }));
  return `saved ${path.relative(ROOT, COMMITTED)}`;
}

const action = process.argv[2];
if (action !== 'restore' && action !== 'save') {
  process.stderr.write('usage: node scripts/mutation-state.mjs restore|save\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`mutation-state: ${action === 'restore' ? restore() : save()}\n`);
}
