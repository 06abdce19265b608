#!/usr/bin/env node
/**
 * `codex-reauth classify [FILE|-]`: reads a job's log (a file, or stdin) and prints one JSON line,
 * `{"kind": "...", "evidence": "..."}`, with the same classifier the action uses.
 * Every failure is one line on stderr and exit code 2, never a stack trace: this is a tool people
 * run by hand and in scripts that branch on its exit code.
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import pkg from '../package.json' with { type: 'json' };
import { MAX_LINE_CHARS } from './classifier.js';
import { JobLogClassifier } from './job-log.js';

const USAGE = `Usage: codex-reauth classify [FILE|-]
       codex-reauth --version | --help

Reads a job's log (a file, or standard input when FILE is - or absent) and prints one line,
{"kind": "...", "evidence": "..."}: the failure kind the action would give that step, and what
codex said that shows it (null when there is nothing to quote).
  kind "none":  a codex turn completed and nothing in the log failed;
  kind "other": the step failed (an ##[error] line, or "Process completed with exit code N" with
                N other than 0) and codex named no cause, or codex reported nothing at all.

Exit codes: 0 when a kind was printed (whatever the kind); 2 on a usage error or when the log
cannot be read.`;

/** A problem worth one line to the user; anything else is a bug and still gets one line. */
class CliError extends Error {}

/** Why a file cannot be read, in words, from Node's error code. */
function describeReadError(source: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return `no such file: ${source}`;
    case 'EISDIR':
      return `${source} is a folder, not a log file`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${source}: permission denied`;
    default:
      return `cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Opens the log, refusing folders up front (opening one succeeds on Linux; reading it fails). */
async function openLog(source: string | undefined): Promise<Readable> {
  if (!source || source === '-') return process.stdin;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(source, 'r');
  } catch (error) {
    throw new CliError(describeReadError(source, error));
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new CliError(describeReadError(source, Object.assign(new Error('folder'), { code: 'EISDIR' })));
  }
  return handle.createReadStream();
}

/** Feeds the log to the classifier line by line, in constant memory whatever the log's size. */
async function classify(source: string | undefined): Promise<void> {
  const input = await openLog(source);
  const classifier = new JobLogClassifier();
  let partial = '';
  input.setEncoding('utf8');
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) classifier.push(line);
      // A line without an end is cut where the classifier would cut it anyway.
      if (partial.length > MAX_LINE_CHARS) partial = partial.slice(0, MAX_LINE_CHARS);
    }
  } catch (error) {
    throw new CliError(describeReadError(source && source !== '-' ? source : 'standard input', error));
  }
  if (partial) classifier.push(partial);
  process.stdout.write(`${JSON.stringify(classifier.result())}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (command !== 'classify' || args.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  await classify(args[0]);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof CliError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`codex-reauth: ${message}\n`);
  process.exitCode = 2;
}
