import { describe, expect, it } from '@jest/globals';
import { forgetTimeouts } from '../../scripts/mutation-state.mjs';

describe('mutation-state retest-timeouts', () => {
  it('forgets exactly the timed-out mutants, in every file, and keeps every other result', () => {
    const state = {
      files: {
        'src/a.ts': { mutants: [{ status: 'Killed' }, { status: 'Timeout' }, { status: 'Survived' }, { status: 'Timeout' }] },
        'src/b.ts': { mutants: [{ status: 'Timeout' }, { status: 'CompileError' }, { status: 'NoCoverage' }] },
        'src/c.ts': { mutants: [] },
      },
    };
    expect(forgetTimeouts(state)).toBe(3);
    expect(state.files['src/a.ts'].mutants).toEqual([{ status: 'Killed' }, { status: 'Survived' }]);
    expect(state.files['src/b.ts'].mutants).toEqual([{ status: 'CompileError' }, { status: 'NoCoverage' }]);
    expect(forgetTimeouts(state)).toBe(0);
  });
});
