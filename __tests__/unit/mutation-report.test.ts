import { describe, expect, it } from '@jest/globals';
import { buildSummary, originalText, reportFromLive } from '../../scripts/mutation-report.mjs';

// A Stryker JSON report in miniature: the schema's locations are 1-based lines and 1-based columns.
const SOURCE = ['export function f(a: number) {', '  return a > 1 ? "big" : "small";', '}'].join('\n');
const at = (line: number, column: number, endLine: number, endColumn: number) => ({
  start: { line, column },
  end: { line: endLine, column: endColumn },
});
const mutant = (status: string, mutatorName: string, location: ReturnType<typeof at>, replacement: string) => ({
  id: `${mutatorName}-${replacement}`,
  status,
  mutatorName,
  location,
  replacement,
});
/** SOURCE's line 2, as an annotation names the line its mutant stands in. */
const LINE_2 = 'return a > 1 ? "big" : "small";';
/** A report of src/f.ts (SOURCE) with these mutants. */
const reportOf = (...mutants: ReturnType<typeof mutant>[]) => ({ files: { 'src/f.ts': { source: SOURCE, mutants } } });

describe('mutation-report', () => {
  it('quotes the exact source a mutant replaced, on one line or across lines', () => {
    expect(originalText(SOURCE, at(2, 10, 2, 15))).toBe('a > 1');
    expect(originalText(SOURCE, at(1, 30, 3, 2))).toBe('{\n  return a > 1 ? "big" : "small";\n}');
  });

  it('scores detected over detected + undetected, leaves compile errors out, and explains survivors from the annotations', () => {
    const report = reportOf(
      mutant('Killed', 'EqualityOperator', at(2, 10, 2, 15), 'a >= 1'),
      mutant('Timeout', 'ConditionalExpression', at(2, 10, 2, 15), 'true'),
      mutant('CompileError', 'StringLiteral', at(2, 18, 2, 23), '1'),
      mutant('Survived', 'StringLiteral', at(2, 18, 2, 23), '""'),
      mutant('NoCoverage', 'BlockStatement', at(1, 30, 3, 2), '{}'),
    );
    const why = 'Equivalent: nothing reads the text.';
    const annotations = [
      { file: 'src/f.ts', mutator: 'StringLiteral', original: '"big"', replacement: '""', context: LINE_2, why },
      { file: 'src/f.ts', mutator: 'StringLiteral', original: '"gone"', replacement: '""', context: LINE_2, why: 'old' },
      // A file this (partial) report does not cover: its annotation is not called stale.
      { file: 'src/other.ts', mutator: 'StringLiteral', original: '"x"', replacement: '""', context: 'x', why: 'kept' },
    ];
    const summary = buildSummary(report, annotations);
    expect(summary.total).toBe(50); // 2 detected of 4; the compile error does not count
    expect(summary.files).toEqual([{ file: 'src/f.ts', score: 50 }]);
    expect(summary.unexplained).toBe(1);
    expect(summary.todo).toEqual([
      {
        file: 'src/f.ts',
        line: 1,
        mutator: 'BlockStatement',
        original: '{\n  return a > 1 ? "big" : "small";\n}',
        replacement: '{}',
        context: 'export function f(a: number) {',
        why: '',
      },
    ]);
    expect(summary.stale).toEqual([annotations[1]]);
    expect(summary.markdown).toContain('**src/ as a whole: 50.0 %** ❌');
    expect(summary.markdown).toContain('| src/f.ts | 50.0 % ❌ | 1 | 1 | 1 | 1 |');
    expect(summary.markdown).toContain(`- L2:18 StringLiteral: \`"big"\` → \`""\`. ${why}`);
    expect(summary.markdown).toContain(
      '- L1:30 BlockStatement (no coverage): `{ return a > 1 ? "big" : "small"; }` → `{}`. **Needs a test or a reason.**',
    );
  });

  it('lists a timed-out mutant an annotation knows as a survivor (not stale), and gives the score if timeouts were survivors', () => {
    const report = reportOf(
      mutant('Killed', 'EqualityOperator', at(2, 10, 2, 15), 'a >= 1'),
      mutant('Killed', 'EqualityOperator', at(2, 10, 2, 15), 'a <= 1'),
      mutant('Killed', 'EqualityOperator', at(2, 10, 2, 15), 'a < 1'),
      mutant('Timeout', 'ConditionalExpression', at(2, 10, 2, 15), 'true'),
    );
    const why = 'Equivalent: a is never 1.';
    const annotations = [
      { file: 'src/f.ts', mutator: 'ConditionalExpression', original: 'a > 1', replacement: 'true', context: LINE_2, why },
    ];
    const summary = buildSummary(report, annotations);
    expect(summary.total).toBe(100);
    expect(summary.floor).toBe(75);
    expect(summary.stale).toEqual([]);
    expect(summary.suspectTimeouts).toBe(1);
    expect(summary.markdown).toContain('the score would be 75.0 % (1 of them are listed below as known survivors)');
    expect(summary.markdown).not.toContain('A mutant times out when');
    expect(buildSummary(report, annotations, '', { timeout: { ms: 20_000, factor: 1.5 } }).markdown).toContain(
      'A mutant times out when its tests run past 20 s + 1.5× their usual time (stryker.config.mjs): almost always because it makes them loop or wait for ever. Stryker counts a timeout as detected;',
    );
    expect(summary.markdown).toContain('## Timed out, but known to survive (1)');
    expect(summary.markdown).toContain(`- src/f.ts L2:10 ConditionalExpression: \`a > 1\` → \`true\`. ${why}`);
  });

  it('passes a file at the per-file target and src/ at the total target', () => {
    const killed = Array.from({ length: 17 }, (_, i) => mutant('Killed', 'ArithmeticOperator', at(2, 10, 2, 15), `k${i}`));
    const survived = Array.from({ length: 3 }, (_, i) => mutant('Survived', 'ArithmeticOperator', at(2, 10, 2, 15), `s${i}`));
    const summary = buildSummary(reportOf(...killed, ...survived), []);
    expect(summary.total).toBe(85);
    expect(summary.markdown).toContain('**src/ as a whole: 85.0 %** ✅');
    expect(summary.markdown).toContain('| src/f.ts | 85.0 % ✅ |');
  });

  it("reads a live run's lines as a report: one entry a mutant (the last result wins), sources read once a file, no annotation called stale", () => {
    const line = (id: string, status: string, replacement: string) =>
      JSON.stringify({ id, file: 'src/f.ts', mutatorName: 'EqualityOperator', replacement, location: at(2, 10, 2, 15), status });
    const reads: string[] = [];
    const report = reportFromLive(
      [line('1', 'Survived', 'a >= 1'), '', line('2', 'Killed', 'a < 1'), line('1', 'Killed', 'a >= 1'), ''],
      (file) => {
        reads.push(file);
        return SOURCE;
      },
    );
    expect(reads).toEqual(['src/f.ts']);
    expect(report.files['src/f.ts'].mutants.map((m) => [m.id, m.status])).toEqual([
      ['1', 'Killed'],
      ['2', 'Killed'],
    ]);
    // Not reached yet is not the same as killed: a live run calls no annotation stale.
    const annotation = { file: 'src/f.ts', mutator: 'StringLiteral', original: '"big"', replacement: '""', context: LINE_2, why: 'x' };
    expect(buildSummary(report, [annotation], '', { staleCheck: false }).stale).toEqual([]);
    expect(buildSummary(report, [annotation]).stale).toEqual([annotation]);
  });

  it('lists survivors in source order whatever order the run reported them in, so the summary changes only with a result', () => {
    const survivors = [
      mutant('Survived', 'StringLiteral', at(2, 26, 2, 33), '""'),
      mutant('Survived', 'ConditionalExpression', at(2, 10, 2, 15), 'true'),
      mutant('Survived', 'ConditionalExpression', at(2, 10, 2, 15), 'false'),
      mutant('Survived', 'EqualityOperator', at(2, 10, 2, 15), 'a >= 1'),
      mutant('Survived', 'StringLiteral', at(2, 18, 2, 23), '""'),
      mutant('Survived', 'BlockStatement', at(1, 30, 3, 2), '{}'),
      mutant('Survived', 'ConditionalExpression', at(2, 10, 2, 11), 'true'),
    ];
    const listed = (mutants: ReturnType<typeof mutant>[]) =>
      buildSummary(reportOf(...mutants), [])
        .markdown.split('\n')
        .filter((line) => line.startsWith('- L'))
        .map((line) => line.slice(0, line.indexOf('. **Needs')));
    const expected = [
      '- L1:30 BlockStatement: `{ return a > 1 ? "big" : "small"; }` → `{}`',
      '- L2:10 ConditionalExpression: `a` → `true`',
      '- L2:10 ConditionalExpression: `a > 1` → `false`',
      '- L2:10 ConditionalExpression: `a > 1` → `true`',
      '- L2:10 EqualityOperator: `a > 1` → `a >= 1`',
      '- L2:18 StringLiteral: `"big"` → `""`',
      '- L2:26 StringLiteral: `"small"` → `""`',
    ];
    expect(listed(survivors)).toEqual(expected);
    expect(listed([...survivors].reverse())).toEqual(expected);
  });

  describe('one reason a surviving mutant, told apart by the line of code it stands in', () => {
    // `''` stands on lines 1, 3, 5 and 6; lines 1 and 5 are the same code.
    const LINES = [
      "const token = read('t') ?? '';",
      'const b = 1;',
      "const name = read('n') ?? '';",
      'const d = 2;',
      "const token = read('t') ?? '';",
      "const e = z ?? '';",
    ];
    const empty = (status: string, line: number) => {
      const column = LINES[line - 1].indexOf("''") + 1;
      return mutant(status, 'StringLiteral', at(line, column, line, column + 2), '"Stryker was here!"');
    };
    const note = (line: number, why: string, context = LINES[line - 1]) => ({
      file: 'src/r.ts',
      line,
      mutator: 'StringLiteral',
      original: "''",
      replacement: '"Stryker was here!"',
      context,
      why,
    });
    const summaryOf = (mutants: ReturnType<typeof mutant>[], notes: ReturnType<typeof note>[]) =>
      buildSummary({ files: { 'src/r.ts': { source: LINES.join('\n'), mutants } } }, notes);
    const reasons = (markdown: string) =>
      markdown
        .split('\n')
        .filter((l) => l.startsWith('- L'))
        .map((l) => `${l.slice(2, l.indexOf(' ', 2))} ${l.slice(l.indexOf('. ') + 2)}`);

    it('the same code in two places: each keeps its own reason, in order, even after the lines moved', () => {
      // Written when the two places were on lines 11 and 15; lines were removed above them since.
      const summary = summaryOf([empty('Survived', 5), empty('Survived', 1)], [note(15, 'second', LINES[4]), note(11, 'first', LINES[0])]);
      expect(reasons(summary.markdown)).toEqual(['L1:28 first', 'L5:28 second']);
      expect(summary.stale).toEqual([]);
    });

    it('a reason written for another line of code is not lent: the new place needs its own', () => {
      const notes = [note(1, 'first'), note(3, 'middle')];
      // Line 1's mutant is killed now; line 3 still survives; line 6 is a new survivor of the same code.
      const summary = summaryOf([empty('Killed', 1), empty('Survived', 3), empty('Survived', 6)], notes);
      expect(reasons(summary.markdown)).toEqual(['L3:27 middle', 'L6:16 **Needs a test or a reason.**']);
      expect(summary.stale).toEqual([notes[0]]);
      expect(summary.todo).toEqual([
        {
          file: 'src/r.ts',
          line: 6,
          mutator: 'StringLiteral',
          original: "''",
          replacement: '"Stryker was here!"',
          context: LINES[5],
          why: '',
        },
      ]);
    });

    it('a reason whose line of code changed is read again: stale, and its mutant unexplained', () => {
      const old = note(3, 'middle', "const name = read('m') ?? '';");
      const summary = summaryOf([empty('Survived', 3)], [old]);
      expect(reasons(summary.markdown)).toEqual(['L3:27 **Needs a test or a reason.**']);
      expect(summary.stale).toEqual([old]);
      expect(summary.markdown).toContain("- src/r.ts L3 StringLiteral: `''` → `\"Stryker was here!\"`, in `const name = read('m') ?? '';`");
    });

    it("a timed-out mutant is not called a known survivor on the strength of another place's reason", () => {
      const summary = summaryOf([empty('Survived', 1), empty('Timeout', 6)], [note(1, 'first'), note(3, 'middle')]);
      expect(summary.suspectTimeouts).toBe(0);
      expect(summary.markdown).not.toContain('known to survive');
      expect(reasons(summary.markdown)).toEqual(['L1:28 first']);
    });
  });
});
