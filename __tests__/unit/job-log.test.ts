// `codex-reauth classify` answers with the kind the action would give the step the log came from.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { classifyJobLog } from '../../src/job-log.js';

const fixture = (name: string): string => fs.readFileSync(path.join(process.cwd(), '__fixtures__', 'transcripts', name), 'utf8');
const ts = (line: string): string => `2026-11-24T10:06:10.3000000Z ${line}`;

describe('classifyJobLog', () => {
  const success = fixture('0.169.0/success.log');

  it('none: a codex turn completed and nothing failed', () => {
    expect(classifyJobLog(success)).toEqual({ kind: 'none', evidence: null });
  });

  it.each([
    [
      "GitHub's closing line in a downloaded log",
      ts('##[error]Process completed with exit code 1.'),
      'Process completed with exit code 1.',
    ],
    ['the closing line copied from the web view', 'Error: Process completed with exit code 2.', 'Process completed with exit code 2.'],
    ['an error annotation', '##[error]Tests failed: 3 of 40', 'Tests failed: 3 of 40'],
  ])('other, not none: codex completed its turn, then the step failed (%s)', (_label, closing, evidence) => {
    expect(classifyJobLog(`${success}\n> npm test\nTests: 3 failed\n${closing}\n`)).toEqual({ kind: 'other', evidence });
  });

  it('a step that ended with exit code 0 is not a failure', () => {
    expect(classifyJobLog(`${success}\n${ts('Process completed with exit code 0.')}\n`).kind).toBe('none');
  });

  it("codex's own failure wins over the step's failure", () => {
    const log = `${fixture('0.169.0/refresh-token-reused.log')}\n${ts('##[error]Process completed with exit code 1.')}\n`;
    expect(classifyJobLog(log)).toEqual({
      kind: 'refresh-token-reused',
      evidence: 'Your access token could not be refreshed because your refresh token was already used. Please log out and sign in again.',
    });
  });

  it('a downloaded GitHub log (timestamps, colour) of a codex failure', () => {
    expect(classifyJobLog(fixture('older/github-download.exec-0.169.log')).kind).toBe('refresh-token-expired');
  });

  it('other, with nothing to quote: no codex turn and no failure in the log', () => {
    expect(classifyJobLog('hello\nworld\n')).toEqual({ kind: 'other', evidence: null });
  });

  it.each([
    [
      'an annotation, then GitHub closing the step',
      ['##[error]Tests failed: 3 of 40', '##[error]Process completed with exit code 1.'],
      'Tests failed: 3 of 40',
    ],
    ['two annotations', ['##[error]lint: 2 errors', '##[error]Tests failed: 3 of 40'], 'lint: 2 errors'],
    [
      'a failed step, then a later step ending well',
      ['##[error]Process completed with exit code 2.', 'Process completed with exit code 0.'],
      'Process completed with exit code 2.',
    ],
  ])('quotes the first failure of the log, where the trouble began (%s)', (_label, failures, evidence) => {
    const log = [success, ...failures.flatMap((line) => ['', ts(line)]), ''].join('\n');
    expect(classifyJobLog(log)).toEqual({ kind: 'other', evidence });
  });

  it('the evidence of a long annotation is cut', () => {
    expect(classifyJobLog(`##[error]${'x'.repeat(5000)}`).evidence?.length).toBeLessThanOrEqual(200);
  });
});
