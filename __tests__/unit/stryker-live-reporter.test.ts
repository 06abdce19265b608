import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { partialState, projectRelative } from '../../scripts/stryker-live-reporter.mjs';

const ROOT = process.cwd();

describe('stryker-live-reporter', () => {
  it('keys files as the report does: relative to the project, the sandbox folder taken out', () => {
    expect(projectRelative(path.join(ROOT, 'src', 'main.ts'))).toBe('src/main.ts');
    expect(projectRelative(path.join(ROOT, '.tmp', 'stryker-sandbox', 'sandbox-NULHqt', '__tests__', 'unit', 'a.test.ts'))).toBe(
      '__tests__/unit/a.test.ts',
    );
  });

  it("writes the results so far in the form of Stryker's incremental file: sources, mutants and the tests they name", () => {
    const sandbox = path.join(ROOT, '.tmp', 'stryker-sandbox', 'sandbox-x');
    const state = partialState({
      sources: new Map([['src/f.ts', 'export const f = 1;\n']]),
      testSources: new Map([['__tests__/unit/f.test.ts', "it('f is one', () => {});\n"]]),
      tests: [
        {
          id: 'f is one',
          name: 'f is one',
          fileName: path.join(sandbox, '__tests__', 'unit', 'f.test.ts'),
          startPosition: { line: 0, column: 0 },
        },
      ],
      results: [
        { id: '1', fileName: path.join(ROOT, 'src', 'f.ts'), status: 'Killed', coveredBy: ['f is one'], killedBy: ['f is one'] },
        { id: '2', fileName: path.join(ROOT, 'src', 'f.ts'), status: 'Survived', coveredBy: ['f is one'], killedBy: [] },
      ],
    });
    expect(state.files).toEqual({
      'src/f.ts': {
        language: 'typescript',
        source: 'export const f = 1;\n',
        mutants: [
          { id: '1', status: 'Killed', coveredBy: ['f is one'], killedBy: ['f is one'] },
          { id: '2', status: 'Survived', coveredBy: ['f is one'], killedBy: [] },
        ],
      },
    });
    // Stryker's positions are 0-based; the report's (and so the incremental file's) are 1-based.
    expect(state.testFiles).toEqual({
      '__tests__/unit/f.test.ts': {
        source: "it('f is one', () => {});\n",
        tests: [{ id: 'f is one', name: 'f is one', location: { start: { line: 1, column: 1 } } }],
      },
    });
  });
});
