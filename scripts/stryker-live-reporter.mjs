// A Stryker reporter for runs longer than a session. Stryker writes its JSON report and its incremental
// state only when a run ends, and a full run over src/ takes about two hours on 2 cores: a run cut
// short left nothing. This reporter keeps both as the run goes:
// - .tmp/stryker/live.jsonl: one line a mutant, the moment its result is known, so survivors can be
//   read (and tests written for them) while the run goes on: `node scripts/mutation-report.mjs --live`;
// - .tmp/stryker/partial-incremental.json: every result so far in the form of Stryker's incremental
//   file (mutation-testing-report-schema: sources, mutants with the tests that covered and killed
//   them, the dry run's tests). `node scripts/mutation-state.mjs save` takes it when it is newer than
//   Stryker's own file, so the next run (in this session or a later one) tests only what is left.
import fs from 'node:fs';
import path from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const DIR = path.join('.tmp', 'stryker');
export const LIVE_FILE = path.join(DIR, 'live.jsonl');
export const PARTIAL_STATE_FILE = path.join(DIR, 'partial-incremental.json');
/** Results between two writes of the partial state: a write is a few MB, so not after every mutant. */
const WRITE_EVERY = 20;

/** A path as the report keys it: relative to the project, with the sandbox folder taken out. */
export function projectRelative(fileName, root = process.cwd()) {
  const rel = path.relative(root, fileName).split(path.sep).join('/');
  return rel.replace(/^\.tmp\/stryker-sandbox\/sandbox-[^/]+\//, '');
}

/**
 * The incremental state Stryker would write for the results so far (see mutation-test-report-helper
 * in @stryker-mutator/core): tests keep the ids they have in coveredBy/killedBy.
 */
export function partialState({ sources, testSources, tests, results }) {
  const files = {};
  for (const r of results) {
    const { fileName, ...mutant } = r;
    const file = projectRelative(fileName);
    files[file] ??= { language: 'typescript', source: sources.get(file) ?? '', mutants: [] };
    files[file].mutants.push(mutant);
  }
  const testFiles = {};
  for (const t of tests) {
    const file = t.fileName ? projectRelative(t.fileName) : '';
    testFiles[file] ??= { source: testSources.get(file), tests: [] };
    testFiles[file].tests.push({
      id: t.id,
      name: t.name,
      location: t.startPosition ? { start: { line: t.startPosition.line + 1, column: t.startPosition.column + 1 } } : undefined,
    });
  }
  return { schemaVersion: '1.0', thresholds: { high: 85, low: 75 }, files, testFiles };
}

class LiveReporter {
  constructor() {
    this.sources = new Map();
    this.testSources = new Map();
    this.tests = [];
    this.results = [];
    fs.mkdirSync(DIR, { recursive: true });
    // A new run starts a new file: lines from an earlier run would be read as this run's.
    fs.writeFileSync(LIVE_FILE, '');
  }

  /** Read now, at the start: the files may be edited while the run goes on; the results are of these. */
  readOnce(map, file) {
    if (!map.has(file)) map.set(file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  }

  onDryRunCompleted({ result }) {
    this.tests = (result.tests ?? []).map(({ id, name, fileName, startPosition }) => ({ id, name, fileName, startPosition }));
    for (const t of this.tests) if (t.fileName) this.readOnce(this.testSources, projectRelative(t.fileName));
  }

  onMutationTestingPlanReady({ mutantPlans }) {
    for (const plan of mutantPlans) this.readOnce(this.sources, projectRelative(plan.mutant.fileName));
  }

  onMutantTested(result) {
    this.results.push(result);
    const { id, fileName, mutatorName, replacement, location, status, statusReason } = result;
    const line = { id, file: projectRelative(fileName), mutatorName, replacement, location, status };
    if (status === 'Survived' || status === 'NoCoverage') line.statusReason = statusReason;
    fs.appendFileSync(LIVE_FILE, `${JSON.stringify(line)}\n`);
    if (this.results.length % WRITE_EVERY === 0) this.writeState();
  }

  onMutationTestReportReady() {
    // The run finished: Stryker's own incremental file, written now, is the whole state.
    fs.rmSync(PARTIAL_STATE_FILE, { force: true });
  }

  writeState() {
    const tmp = `${PARTIAL_STATE_FILE}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(partialState(this)));
    fs.renameSync(tmp, PARTIAL_STATE_FILE);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];
