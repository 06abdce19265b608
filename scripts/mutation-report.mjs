#!/usr/bin/env node
// Turns Stryker's JSON report (.tmp/stryker/mutation.json, written by `npm run test:mutation`) into
// bench/mutation.md: the mutation score of src/ and of each file, and every mutant that survived with
// the reason it is left, taken from bench/mutation-annotations.json (written by hand, one per surviving
// mutant, keyed by file, mutator, the code it replaces, its replacement and the line of code it stands
// in: a reason survives lines moving, and is read again when its line changes).
//
//   node scripts/mutation-report.mjs [--note=TEXT] [report.json] [annotations.json] [out.md]
//   node scripts/mutation-report.mjs --live [annotations.json] [out.md]
// --note adds a paragraph under the title (e.g. what a partial run covered). --live reads the results a
// run has written so far (.tmp/stryker/live.jsonl, scripts/stryker-live-reporter.mjs) instead of the
// final report, and writes .tmp/stryker/live.md: survivors can get tests while a long run goes on.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET_TOTAL = 85;
export const TARGET_FILE = 75;

/** Stryker's statuses, grouped the way its mutation score counts them. */
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** The source text a mutant replaced (Stryker's report schema: lines and columns both 1-based). */
export function originalText(source, location) {
  const lines = source.split('\n');
  const { start, end } = location;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  const parts = [lines[start.line - 1].slice(start.column - 1)];
  for (let l = start.line; l < end.line - 1; l++) parts.push(lines[l]);
  parts.push(lines[end.line - 1].slice(0, end.column - 1));
  return parts.join('\n');
}

/** One line of code for a table cell: white space collapsed, cut to `max` characters. */
function oneLine(text, max = 90) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const code = (text) => `\`${oneLine(text).replace(/`/g, "'")}\``;

/** The line of code a mutant starts in, white space collapsed: what tells apart two places of the same code. */
export function mutantContext(source, mutant) {
  return oneLine(source.split('\n')[mutant.location.start.line - 1] ?? '', 10_000);
}

/**
 * The annotation key of a mutant: its file, mutator, the code it replaces, the replacement and the line
 * of code it stands in. Stable while that line is unchanged, wherever it moves; when the line changes,
 * the reason must be read again (it no longer matches, and the report says so).
 */
export function mutantKey(file, mutant, source) {
  return JSON.stringify([
    file,
    mutant.mutatorName,
    oneLine(originalText(source, mutant.location), 10_000),
    mutant.replacement ?? '',
    mutantContext(source, mutant),
  ]);
}

/** Orders mutants by where they start, then end, then by mutator and replacement (ties on one spot). */
export function bySourceOrder(a, b) {
  const { start: as, end: ae } = a.location;
  const { start: bs, end: be } = b.location;
  return (
    as.line - bs.line ||
    as.column - bs.column ||
    ae.line - be.line ||
    ae.column - be.column ||
    a.mutatorName.localeCompare(b.mutatorName) ||
    (a.replacement ?? '').localeCompare(b.replacement ?? '')
  );
}

/** An annotation's key: the same as its mutant's (mutantKey). */
const annotationKey = (a) =>
  JSON.stringify([a.file, a.mutator, oneLine(a.original, 10_000), a.replacement, oneLine(a.context ?? '', 10_000)]);

/**
 * Pairs mutants of one key (in source order) with annotations of that key, one annotation a mutant.
 * The key holds the mutant's line of code, so these are places of identical code (the same line twice
 * in a file): they pair in line order, which holds when code added above moves them together. A mutant
 * left over has no reason yet; an annotation left over is stale.
 */
export function pairByLine(mutants, notes) {
  const sorted = [...notes].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return new Map(mutants.slice(0, sorted.length).map((m, i) => [m, sorted[i]]));
}

/** The annotation of each of `mutants` (one file's), from the ones not `used` yet; marks those it gives. */
function matchNotes(mutants, keyOf, notesByKey, used) {
  const groups = new Map();
  for (const m of mutants) groups.set(keyOf(m), [...(groups.get(keyOf(m)) ?? []), m]);
  const found = new Map();
  for (const [key, group] of groups) {
    const available = (notesByKey.get(key) ?? []).filter((a) => !used.has(a));
    for (const [m, a] of pairByLine(group, available)) {
      used.add(a);
      found.set(m, a);
    }
  }
  return found;
}

const score = (detected, undetected) => (detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected));

/**
 * Builds the Markdown summary from a Stryker JSON report and the annotations.
 * @returns {{ markdown: string, total: number, floor: number, suspectTimeouts: number, files: Array<{file: string, score: number}>, unexplained: number, stale: object[] }}
 */
export function buildSummary(report, annotations, note = '', { staleCheck = true, timeout = null } = {}) {
  const notesByKey = new Map();
  for (const a of annotations) notesByKey.set(annotationKey(a), [...(notesByKey.get(annotationKey(a)) ?? []), a]);
  const used = new Set();
  const rows = [];
  const survivors = [];
  // Timed out, yet annotated as surviving by an earlier run: on busy cores a mutant whose tests all pass
  // can still outrun its timeout (Stryker counts it as detected). Listed, so no one mistakes it for a kill.
  const suspectTimeouts = [];
  const totals = { detected: 0, undetected: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0, ignored: 0 };
  for (const file of Object.keys(report.files).sort()) {
    const { source } = report.files[file];
    // In source order: Stryker's own order follows its run (a live or incremental run differs), and
    // the committed summary should change only when a result does.
    const mutants = [...report.files[file].mutants].sort(bySourceOrder);
    const counts = { detected: 0, undetected: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0, ignored: 0 };
    for (const m of mutants) {
      if (DETECTED.has(m.status)) counts.detected++;
      if (UNDETECTED.has(m.status)) counts.undetected++;
      if (m.status === 'Killed') counts.killed++;
      if (m.status === 'Timeout') counts.timeout++;
      if (m.status === 'Survived') counts.survived++;
      if (m.status === 'NoCoverage') counts.noCoverage++;
      if (m.status === 'CompileError' || m.status === 'RuntimeError') counts.invalid++;
      if (m.status === 'Ignored') counts.ignored++;
    }
    const keyOf = (m) => mutantKey(file, m, source);
    const entry = (m, note) => ({
      file,
      m,
      original: originalText(source, m.location),
      context: mutantContext(source, m),
      why: note?.why ?? null,
    });
    // Survivors take their reasons first; a reason no survivor took may belong to a timed-out mutant.
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status));
    const survivorNotes = matchNotes(undetected, keyOf, notesByKey, used);
    for (const m of undetected) survivors.push(entry(m, survivorNotes.get(m)));
    const timedOut = mutants.filter((m) => m.status === 'Timeout');
    const timeoutNotes = matchNotes(timedOut, keyOf, notesByKey, used);
    for (const m of timedOut) if (timeoutNotes.has(m)) suspectTimeouts.push(entry(m, timeoutNotes.get(m)));
    for (const k of Object.keys(totals)) totals[k] += counts[k];
    rows.push({ file, ...counts, score: score(counts.detected, counts.undetected) });
  }
  const total = score(totals.detected, totals.undetected);
  // The score if every timed-out mutant were a survivor: the floor until timeouts are re-tested.
  const floor = score(totals.detected - totals.timeout, totals.undetected + totals.timeout);
  // Only for files the report covers: a partial run (--mutate) says nothing about the others.
  // A live (unfinished) run has not reached every mutant, so no annotation can be called stale yet.
  const stale = annotations.filter((a) => staleCheck && a.file in report.files && !used.has(a));
  const unexplained = survivors.filter((s) => !s.why).length;
  const todo = survivors
    .filter((s) => !s.why)
    .map((s) => ({
      file: s.file,
      line: s.m.location.start.line,
      mutator: s.m.mutatorName,
      original: s.original,
      replacement: s.m.replacement ?? '',
      context: s.context,
      why: '',
    }));
  const pct = (n) => `${n.toFixed(1)} %`;
  const mark = (n, target) => (n >= target ? '✅' : '❌');

  const md = [
    '# Mutation testing',
    '',
    "<!-- Generated by `npm run test:mutation` (scripts/mutation-report.mjs) from Stryker's JSON report. Do not edit:",
    '     the reasons for surviving mutants live in bench/mutation-annotations.json. -->',
    '',
    `Stryker ${report.framework?.version ?? ''} with the jest runner and the TypeScript checker, \`coverageAnalysis: perTest\`, over`,
    'the unit and in-process integration tests (stryker.config.mjs). A mutant is one small bug planted in `src/`; it is',
    '*detected* when a test fails (or the run times out) and *undetected* when every test still passes (survived) or no',
    'test runs its code (no coverage). Score = detected / (detected + undetected); mutants that do not compile are left out.',
    '',
    ...(note ? [`> ${note}`, ''] : []),
    `**src/ as a whole: ${pct(total)}** ${mark(total, TARGET_TOTAL)} (target ≥ ${TARGET_TOTAL} %; every file ≥ ${TARGET_FILE} %).`,
    `${totals.killed} killed, ${totals.timeout} timed out, ${totals.survived} survived, ${totals.noCoverage} without coverage; ${totals.invalid} did not compile; ${totals.ignored} ignored (static: \`ignoreStatic\`).`,
    (timeout
      ? `A mutant times out when its tests run past ${timeout.ms / 1000} s + ${timeout.factor}× their usual time (stryker.config.mjs): almost always because it makes them loop or wait for ever. `
      : '') +
      `Stryker counts a timeout as detected; if every timed-out mutant were a survivor instead, the score would be ${pct(floor)}` +
      (suspectTimeouts.length > 0 ? ` (${suspectTimeouts.length} of them are listed below as known survivors).` : '.'),
    '',
    '| File | Score | Killed | Timed out | Survived | No coverage |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| ${r.file} | ${pct(r.score)} ${mark(r.score, TARGET_FILE)} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} |`,
    ),
    '',
    `## Surviving mutants (${survivors.length})`,
    '',
    unexplained > 0
      ? `${unexplained} of them have no reason recorded yet (**needs a test or a reason**).`
      : 'Each one is equivalent (no behaviour changes) or not worth a test, for the reason given.',
    '',
  ];
  let current = null;
  for (const s of survivors) {
    if (s.file !== current) {
      current = s.file;
      md.push('', `### ${s.file}`, '');
    }
    const where = `L${s.m.location.start.line}:${s.m.location.start.column}`;
    const status = s.m.status === 'NoCoverage' ? ' (no coverage)' : '';
    md.push(
      `- ${where} ${s.m.mutatorName}${status}: ${code(s.original)} → ${code(s.m.replacement ?? '')}. ${s.why ?? '**Needs a test or a reason.**'}`,
    );
  }
  if (suspectTimeouts.length > 0) {
    md.push('', `## Timed out, but known to survive (${suspectTimeouts.length})`, '');
    md.push(
      'An earlier run saw these survive, with the reason given; this run timed out on them, which on busy cores does not mean a test caught them. `node scripts/mutation-state.mjs retest-timeouts` and another run settle it.',
      '',
    );
    for (const s of suspectTimeouts) {
      md.push(
        `- ${s.file} L${s.m.location.start.line}:${s.m.location.start.column} ${s.m.mutatorName}: ${code(s.original)} → ${code(s.m.replacement ?? '')}. ${s.why}`,
      );
    }
  }
  if (stale.length > 0) {
    md.push('', `## Annotations that no longer match a survivor (${stale.length})`, '');
    md.push(
      'Their mutant is now killed, or the line it stands in changed: remove them from bench/mutation-annotations.json, or check the reason against the new line and update its `context`.',
      '',
    );
    for (const a of stale)
      md.push(`- ${a.file} L${a.line} ${a.mutator}: ${code(a.original)} → ${code(a.replacement)}, in ${code(a.context ?? '')}`);
  }
  md.push('');
  return {
    markdown: md.join('\n'),
    total,
    floor,
    suspectTimeouts: suspectTimeouts.length,
    files: rows.map((r) => ({ file: r.file, score: r.score })),
    unexplained,
    stale,
    todo,
  };
}

/**
 * A Stryker-shaped report from the live reporter's lines (one JSON object a mutant) and the sources
 * they point at. A mutant tested twice (it cannot be, but a file could be appended to by hand) keeps
 * its last result.
 */
export function reportFromLive(lines, readSource) {
  const files = {};
  for (const text of lines) {
    if (!text.trim()) continue;
    const m = JSON.parse(text);
    files[m.file] ??= { source: readSource(m.file), mutants: new Map() };
    files[m.file].mutants.set(m.id, m);
  }
  for (const f of Object.values(files)) f.mutants = [...f.mutants.values()];
  return { files };
}

/** The timeout stryker.config.mjs sets (a run with --timeoutMS overrides it; the committed runs do not). */
async function configuredTimeout() {
  const { default: config } = await import(pathToFileURL(path.join(ROOT, 'stryker.config.mjs')).href);
  return { ms: config.timeoutMS, factor: config.timeoutFactor };
}

async function main(args) {
  if (args[0] === '--live') return mainLive(args.slice(1));
  const note = args.find((a) => a.startsWith('--note='))?.slice('--note='.length) ?? '';
  const argv = args.filter((a) => !a.startsWith('--note='));
  const [
    reportFile = path.join(ROOT, '.tmp', 'stryker', 'mutation.json'),
    notesFile = path.join(ROOT, 'bench', 'mutation-annotations.json'),
    outFile = path.join(ROOT, 'bench', 'mutation.md'),
  ] = argv;
  if (!fs.existsSync(reportFile)) {
    process.stderr.write(`mutation-report: no Stryker report at ${reportFile}; run \`npm run test:mutation\` first.\n`);
    return 2;
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const annotations = fs.existsSync(notesFile) ? JSON.parse(fs.readFileSync(notesFile, 'utf8')) : [];
  const summary = buildSummary(report, annotations, note, { timeout: await configuredTimeout() });
  fs.writeFileSync(outFile, summary.markdown);
  // Survivors without a reason, in the annotations' own format: fill in `why` (or write a test) and move
  // them into bench/mutation-annotations.json.
  const todo = path.join(path.dirname(reportFile), 'unexplained-survivors.json');
  fs.writeFileSync(todo, `${JSON.stringify(summary.todo, null, 2)}\n`);
  const low = summary.files.filter((f) => f.score < TARGET_FILE).map((f) => `${f.file} ${f.score.toFixed(1)} %`);
  process.stdout.write(
    `mutation score ${summary.total.toFixed(1)} % (target ${TARGET_TOTAL} %)${low.length ? `; files under ${TARGET_FILE} %: ${low.join(', ')}` : ''}; ` +
      `${summary.unexplained} survivor(s) without a reason, ${summary.stale.length} stale annotation(s). Wrote ${path.relative(process.cwd(), outFile)}.\n`,
  );
  return 0;
}

function mainLive([
  notesFile = path.join(ROOT, 'bench', 'mutation-annotations.json'),
  outFile = path.join(ROOT, '.tmp', 'stryker', 'live.md'),
]) {
  const liveFile = path.join(ROOT, '.tmp', 'stryker', 'live.jsonl');
  if (!fs.existsSync(liveFile)) {
    process.stderr.write(`mutation-report: no ${path.relative(ROOT, liveFile)}; start \`npm run test:mutation\` first.\n`);
    return 2;
  }
  const lines = fs.readFileSync(liveFile, 'utf8').split('\n');
  const report = reportFromLive(lines, (file) => fs.readFileSync(path.join(ROOT, file), 'utf8'));
  const tested = Object.values(report.files).reduce((n, f) => n + f.mutants.length, 0);
  const annotations = fs.existsSync(notesFile) ? JSON.parse(fs.readFileSync(notesFile, 'utf8')) : [];
  const summary = buildSummary(
    report,
    annotations,
    `Live: the ${tested} mutants a run has reported so far (${path.relative(ROOT, liveFile)}).`,
    {
      staleCheck: false,
    },
  );
  fs.writeFileSync(outFile, summary.markdown);
  process.stdout.write(
    `so far: ${tested} mutants, score ${summary.total.toFixed(1)} %; ${summary.unexplained} survivor(s) without a reason. Wrote ${path.relative(process.cwd(), outFile)}.\n`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
