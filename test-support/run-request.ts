// Shared set-up for tests that run real scripts through runProcess: a sink that keeps what it was
// written, a `sh -c` request that records the lines handed on, and the clean-up of temporary folders
// and of processes a script left behind (test-support/guard-kill.js refuses a pid of 0).
import { afterEach } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runProcess, type RunRequest, type RunResult } from '../src/process-runner.js';
import { ROOM_MS, within } from './deadline.js';

/** A job log stand-in: keeps the text, each write with its time, and can be slow (back-pressure). */
export class TextSink extends Writable {
  text = '';
  writes: Array<{ at: number; text: string }> = [];
  private readonly delayMs: number;
  constructor(options: { delayMs?: number; highWaterMark?: number } = {}) {
    super(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark });
    this.delayMs = options.delayMs ?? 0;
  }
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString();
    this.writes.push({ at: Date.now(), text: chunk.toString() });
    if (this.delayMs > 0) setTimeout(cb, this.delayMs);
    else cb();
  }
}

/** `sh -c script` with sinks for both streams and every line handed on, as [stream, line]. */
export function shRequest(script: string, overrides: Partial<RunRequest> = {}, makeSink = () => new TextSink()) {
  const stdout = makeSink();
  const stderr = makeSink();
  const lines: Array<[string, string]> = [];
  const req: RunRequest = {
    command: 'sh',
    args: ['-c', script],
    cwd: process.cwd(),
    env: process.env,
    timeoutMs: 0,
    killGraceMs: 200,
    stdout,
    stderr,
    onLine: (line, stream) => {
      lines.push([stream, line]);
    },
    ...overrides,
  };
  return { req, stdout, stderr, lines };
}

/** Temporary folders and leftover pids, removed and killed after each test of the calling file. */
export function cleanUpAfterEach(prefix: string): { tmpdir: () => string; leftovers: number[] } {
  const tmps: string[] = [];
  const leftovers: number[] = [];
  afterEach(() => {
    for (const pid of leftovers.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone: what the tests expect
      }
    }
    for (const t of tmps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
  });
  const tmpdir = (): string => {
    const t = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tmps.push(t);
    return t;
  };
  return { tmpdir, leftovers };
}

/**
 * runProcess with a bound that names what broke when the run never ends: a timeout that was not
 * armed, or SIGTERM not followed by SIGKILL. Without it such a regression only shows up as jest's own
 * timeout, and (before the process guard) left a script ignoring SIGTERM running after jest.
 */
export function runBounded(req: RunRequest): Promise<RunResult> {
  const asked = req.timeoutMs > 0 ? req.timeoutMs + req.killGraceMs : req.killGraceMs;
  const what =
    req.timeoutMs > 0
      ? `the run (timeout ${req.timeoutMs} ms, SIGKILL ${req.killGraceMs} ms after SIGTERM) did not end`
      : `the run (no timeout, SIGKILL ${req.killGraceMs} ms after a stop's SIGTERM) did not end`;
  return within(
    runProcess(req),
    asked + ROOM_MS,
    what,
    'is the attempt timeout armed, does a stop (listener, abort) SIGTERM the tree, and does SIGTERM escalate to SIGKILL?',
  );
}
