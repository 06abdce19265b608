#!/usr/bin/env node
/**
 * `codex-reauth classify [FILE|-]`: reads a run's log (a file, or stdin) and prints one JSON line,
 * `{"kind": "...", "evidence": "<the line it decided on>"}`, with the same classifier the action uses.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { CodexOutputClassifier } from './classifier.js';

const USAGE = `Usage: codex-reauth classify [FILE|-]

Reads a codex run's log (a file, or standard input when FILE is - or absent) and prints
{"kind": "...", "evidence": "..."}: why codex failed, and the line of the log that shows it.
kind "none": a codex turn completed and nothing failed; "other": codex reported no failure.`;

async function classify(source: string | undefined): Promise<number> {
  const input = !source || source === '-' ? process.stdin : fs.createReadStream(source);
  const classifier = new CodexOutputClassifier();
  // Line by line: a log of any size is read in constant memory.
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) classifier.push(line);
  process.stdout.write(`${JSON.stringify(classifier.result())}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, source, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'classify' || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (source && source !== '-' && !fs.existsSync(source)) {
    process.stderr.write(`codex-reauth: no such file: ${source}\n`);
    return 2;
  }
  return classify(source);
}

process.exitCode = await main(process.argv.slice(2));
