// Types for scripts/mutation-report.mjs, for its unit test.
export const TARGET_TOTAL: number;
export const TARGET_FILE: number;
export interface Location {
  start: { line: number; column: number };
  end: { line: number; column: number };
}
export function originalText(source: string, location: Location): string;
export function buildSummary(
  report: { framework?: { version?: string }; files: Record<string, { source: string; mutants: Array<Record<string, unknown>> }> },
  annotations: Array<{ file: string; line?: number; mutator: string; original: string; replacement: string; context: string; why: string }>,
  note?: string,
  options?: { staleCheck?: boolean; timeout?: { ms: number; factor: number } | null },
): {
  markdown: string;
  total: number;
  /** The score if every timed-out mutant were a survivor. */
  floor: number;
  /** Timed-out mutants that an annotation knows as survivors. */
  suspectTimeouts: number;
  files: Array<{ file: string; score: number }>;
  unexplained: number;
  stale: object[];
  todo: Array<{ file: string; line: number; mutator: string; original: string; replacement: string; context: string; why: string }>;
};
export function reportFromLive(
  lines: string[],
  readSource: (file: string) => string,
): { files: Record<string, { source: string; mutants: Array<Record<string, unknown>> }> };
