/**
 * The verdict on a whole job log, as `codex-reauth classify` prints it. Pure code: no I/O.
 *
 * A log has no exit code beside it, so this reads the two things GitHub writes when a step fails,
 * to give the kind the action itself would give:
 *   - the closing `Process completed with exit code N.` (N ≠ 0), shown as `##[error]Process completed…`
 *     in a downloaded log and as `Error: Process completed…` when copied from the web view;
 *   - any `##[error]` line (an error annotation).
 * Codex's own failure wins; else a failed step is `other` (codex was fine, something after it
 * failed); `none` only when a codex turn completed and nothing failed.
 */
import { CodexOutputClassifier, evidenceText, normaliseLine } from './classifier.js';
import type { FailureKind } from './failure-kinds.js';

const PROCESS_COMPLETED = /^(?:##\[error\]|Error: )?Process completed with exit code (\d+)/;
const ERROR_ANNOTATION = /^##\[error\](.*)$/;

/** What `codex-reauth classify` prints: the kind, and what the log said that shows it. */
export interface LogVerdict {
  kind: FailureKind;
  evidence: string | null;
}

/** Streaming: `push` every line of a log, then read `result()`. Keeps a few strings, never the log. */
export class JobLogClassifier {
  private readonly codex = new CodexOutputClassifier();
  private stepFailure: string | null = null;

  /** Examines one line of the log (without its newline). */
  push(rawLine: string): void {
    this.codex.push(rawLine);
    if (this.stepFailure !== null || rawLine.length === 0) return;
    const line = normaliseLine(rawLine);
    const completed = PROCESS_COMPLETED.exec(line);
    if (completed) {
      if (completed[1] !== '0') this.stepFailure = evidenceText(line.replace(/^##\[error\]|^Error: /, ''));
      return;
    }
    const annotation = ERROR_ANNOTATION.exec(line);
    if (annotation) this.stepFailure = evidenceText(annotation[1]);
  }

  /** The kind the action would give the step this log came from. */
  result(): LogVerdict {
    const verdict = this.codex.verdict;
    if (verdict) return { kind: verdict.kind, evidence: verdict.line };
    if (this.stepFailure !== null) return { kind: 'other', evidence: this.stepFailure };
    return { kind: this.codex.turnsCompleted > 0 ? 'none' : 'other', evidence: null };
  }
}

/** Classifies a whole log at once. */
export function classifyJobLog(text: string): LogVerdict {
  const classifier = new JobLogClassifier();
  for (const line of text.split('\n')) classifier.push(line);
  return classifier.result();
}
