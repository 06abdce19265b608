import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { LINE_START_BYTES, MAX_LINE_CHARS } from '../../src/classifier.js';
import { LineSplitter, runProcess, type RunRequest } from '../../src/process-runner.js';
import { isRunning } from '../../test-support/processes.js';

const tmps: string[] = [];
afterEach(() => {
  for (const t of tmps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});
const tmpdir = () => {
  const t = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  tmps.push(t);
  return t;
};

class Sink extends Writable {
  text = '';
  writes: Array<{ at: number; text: string }> = [];
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString();
    this.writes.push({ at: Date.now(), text: chunk.toString() });
    cb();
  }
}

function request(script: string, overrides: Partial<RunRequest> = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
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

const alive = (pid: number): boolean => isRunning(pid);

describe('runProcess', () => {
  it('forwards output while the process is still running, and hands over lines by stream', async () => {
    const { req, stdout, stderr, lines } = request('echo one; echo err >&2; sleep 0.6; echo two');
    const started = Date.now();
    const result = await runProcess(req);
    expect(result.exitCode).toBe(0);
    expect(stdout.text).toBe('one\ntwo\n');
    expect(stderr.text).toBe('err\n');
    // "one" reached the sink well before the process ended: live, not buffered to the end.
    expect(stdout.writes[0].at - started).toBeLessThan(result.durationMs - 400);
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stderr', 'err'],
      ['stdout', 'two'],
    ]);
  });

  it('gives the child a closed stdin (codex exec waits for EOF)', async () => {
    const { req, stdout } = request('cat; echo "cat ended with $?"', { timeoutMs: 5000 });
    const result = await runProcess(req);
    expect(result.timedOut).toBe(false);
    expect(stdout.text).toBe('cat ended with 0\n');
  });

  it('keeps the exit code', async () => {
    const { req } = request('exit 7');
    expect((await runProcess(req)).exitCode).toBe(7);
  });

  it('on timeout kills the whole process tree', async () => {
    const dir = tmpdir();
    const pidFile = path.join(dir, 'bg.pid');
    const { req } = request(`sleep 300 & echo $! > ${pidFile}; sleep 300`, { timeoutMs: 400 });
    const result = await runProcess(req);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(128 + 15);
    const bg = Number(fs.readFileSync(pidFile, 'utf8'));
    // The grandchild is gone too (give the kernel a moment to reap it).
    for (let i = 0; i < 20 && alive(bg); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(bg)).toBe(false);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const { req } = request('trap "" TERM; sleep 300', { timeoutMs: 300, killGraceMs: 300 });
    const result = await runProcess(req);
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('stops early when the listener asks', async () => {
    const { req } = request('echo working; echo DECISIVE; sleep 300', {
      onLine: (line) => line === 'DECISIVE',
    });
    const result = await runProcess(req);
    expect(result.stopped).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('does not wait for a background process that holds the pipes after the shell exits', async () => {
    const dir = tmpdir();
    const pidFile = path.join(dir, 'bg.pid');
    const { req } = request(`sleep 30 & echo $! > ${pidFile}; echo done`);
    const result = await runProcess(req);
    expect(result.exitCode).toBe(0);
    expect(result.durationMs).toBeLessThan(10_000);
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });
});

describe('LineSplitter', () => {
  it('joins lines across chunks, including a multi-byte character split in two', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('a€b\nsecond line\r\nthi');
    s.write(bytes.subarray(0, 2)); // splits the 3-byte €
    s.write(bytes.subarray(2));
    s.write(Buffer.from('rd'));
    s.end();
    expect(lines).toEqual(['a€b', 'second line\r', 'third']);
  });

  it('holds at most MAX_LINE_CHARS of a line, whatever its length', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const chunk = Buffer.from('y'.repeat(64 * 1024));
    for (let i = 0; i < 64; i++) s.write(chunk); // one 4 MiB line
    s.write(Buffer.from('\nnext\n'));
    s.end();
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE_CHARS, 4]);
  });

  it('hands on only the lines the classifier can act on, across chunk borders', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), LINE_START_BYTES);
    const text = Buffer.from(
      [
        'PASS src/a.test.ts',
        '  ✓ works',
        'ERROR: Quota exceeded.',
        'x'.repeat(70_000),
        '{"type":"turn.failed"}',
        '■ boom',
        'npm error 401',
        'tokens used',
        '',
      ].join('\n'),
    );
    for (let i = 0; i < text.length; i += 1000) s.write(text.subarray(i, i + 1000));
    s.end();
    expect(lines).toEqual(['ERROR: Quota exceeded.', '{"type":"turn.failed"}', '■ boom', 'tokens used']);
  });
});
