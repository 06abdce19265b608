// Types for scripts/mutation-state.mjs, for its unit test.
export function forgetTimeouts(state: { files?: Record<string, { mutants: Array<{ status: string }> }> }): number;
