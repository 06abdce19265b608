// One attempt as main records it, for tests of what is built from the records (reports, tracking).
import type { AttemptRecord } from '../src/report.js';

export const attemptRecord = (
  attempt: number,
  method: AttemptRecord['method'],
  kind: AttemptRecord['kind'],
  evidence: string | null = null,
): AttemptRecord => ({
  attempt,
  method,
  kind,
  exitCode: kind === 'none' ? 0 : 1,
  // What main records when codex completed a turn: a success here is codex's.
  codexAccepted: kind === 'none',
  durationMs: 10,
  evidence,
  cleared: [],
});
