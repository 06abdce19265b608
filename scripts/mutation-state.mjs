#!/usr/bin/env node
// Stryker's incremental state, shared through git. A full mutation run is slow on 2 cores; with the
// last run's state, `npm run test:mutation` on a fresh clone re-tests only the mutants whose code or
// covering tests changed since (Stryker diffs both), and reuses the rest. Stryker itself reads and
// writes the plain JSON in .tmp/stryker/ (stryker.config.mjs: incrementalFile); the committed copy is
// bench/stryker-incremental.json.gz (gzip shrinks it about 20 times).
//
//   node scripts/mutation-state.mjs restore   .tmp/stryker/incremental.json from the committed copy, unless one exists
//   node scripts/mutation-state.mjs save      the committed copy from .tmp/stryker/incremental.json
//   node scripts/mutation-state.mjs retest-timeouts
//                                             forget the mutants that timed out, so the next run tests them again
//
// Why retest-timeouts: Stryker counts a timed-out mutant as detected, but on 2 busy cores a mutant
// whose tests all pass can run past a short timeout (the checkers compete for the CPU): a survivor
// reported as detected. Forgetting them and running again with the configured timeout (20 s beyond
// the tests' usual time, stryker.config.mjs; runs before it used 5 s) leaves only the real endless
// loops timed out.
//
// `npm run test:mutation:full` (--force) ignores the state and tests every mutant again.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL = path.join(ROOT, '.tmp', 'stryker', 'incremental.json');
const COMMITTED = path.join(ROOT, 'bench', 'stryker-incremental.json.gz');
const PARTIAL = path.join(ROOT, '.tmp', 'stryker', 'partial-incremental.json');

function restore() {
  // A local state is newer than (or the same as) the committed one: it is the last run on this machine.
  if (fs.existsSync(LOCAL)) return `kept ${path.relative(ROOT, LOCAL)}`;
  if (!fs.existsSync(COMMITTED)) return 'no committed state: every mutant will be tested';
  fs.mkdirSync(path.dirname(LOCAL), { recursive: true });
  fs.writeFileSync(LOCAL, zlib.gunzipSync(fs.readFileSync(COMMITTED)));
  return `restored ${path.relative(ROOT, LOCAL)} from ${path.relative(ROOT, COMMITTED)}`;
}

function save() {
  // A run cut short (session over, machine stopped) leaves no incremental file of Stryker's own, but
  // the live reporter's (scripts/stryker-live-reporter.mjs) has every result it reached: keep that.
  const adopted = fs.existsSync(PARTIAL) && (!fs.existsSync(LOCAL) || fs.statSync(PARTIAL).mtimeMs > fs.statSync(LOCAL).mtimeMs);
  if (adopted) fs.renameSync(PARTIAL, LOCAL);
  if (!fs.existsSync(LOCAL)) throw new Error(`no ${path.relative(ROOT, LOCAL)}: run Stryker first`);
  // mtime 0 in the gzip header: the same state gives the same bytes, so git sees no change.
  fs.writeFileSync(COMMITTED, zlib.gzipSync(fs.readFileSync(LOCAL), { level: 9 }));
  return `saved ${path.relative(ROOT, COMMITTED)}${adopted ? ' (from the partial state of a run that did not finish)' : ''}`;
}

/** Drops the timed-out mutants from a Stryker incremental report (its `files[f].mutants`), in place. */
export function forgetTimeouts(state) {
  let forgotten = 0;
  for (const file of Object.values(state.files ?? {})) {
    const kept = file.mutants.filter((m) => m.status !== 'Timeout');
    forgotten += file.mutants.length - kept.length;
    file.mutants = kept;
  }
  return forgotten;
}

function retestTimeouts() {
  if (!fs.existsSync(LOCAL)) throw new Error(`no ${path.relative(ROOT, LOCAL)}: run Stryker first`);
  const state = JSON.parse(fs.readFileSync(LOCAL, 'utf8'));
  const forgotten = forgetTimeouts(state);
  fs.writeFileSync(LOCAL, JSON.stringify(state));
  return `forgot ${forgotten} timed-out mutant(s) in ${path.relative(ROOT, LOCAL)}: the next run tests them again`;
}

const ACTIONS = { restore, save, 'retest-timeouts': retestTimeouts };
const action = process.argv[2];
if (path.resolve(process.argv[1] ?? '') !== fileURLToPath(import.meta.url)) {
  // Imported (by its unit test): do nothing.
} else if (!Object.hasOwn(ACTIONS, action ?? '')) {
  process.stderr.write('usage: node scripts/mutation-state.mjs restore|save|retest-timeouts\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`mutation-state: ${ACTIONS[action]()}\n`);
}
