// Shared set-up for tests that run real scripts through runProcess: a sink that keeps what it was
// written, a `sh -c` request that records the lines handed on, and the clean-up of temporary folders
// and of processes a script left behind (test-support/guard-kill.js refuses a pid of 0).
import { afterEach } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { RunRequest } from '../src/process-runner.js';

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
