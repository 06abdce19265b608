// Types for scripts/stryker-live-reporter.mjs, for its unit test.
export const LIVE_FILE: string;
export const PARTIAL_STATE_FILE: string;
export function projectRelative(fileName: string, root?: string): string;
interface Position {
  line: number;
  column: number;
}
export function partialState(run: {
  sources: Map<string, string | undefined>;
  testSources: Map<string, string | undefined>;
  tests: Array<{ id: string; name: string; fileName?: string; startPosition?: Position }>;
  results: Array<Record<string, unknown> & { fileName: string }>;
}): {
  schemaVersion: string;
  files: Record<string, { language: string; source: string; mutants: Array<Record<string, unknown>> }>;
  testFiles: Record<string, { source?: string; tests: Array<{ id: string; name: string; location?: { start: Position } }> }>;
};
