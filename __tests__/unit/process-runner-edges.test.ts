// Running the user's script at its edges: lines handed on whole and in order however the output is
// cut, what happens to output after the action stopped the run, exit codes of killed scripts, slow job
// logs, and the process tree found through `ps` where there is no /proc.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LINE_START_BYTES, MAX_LINE_CHARS } from '../../src/classifier.js';
import { LineSplitter, type RunRequest } from '../../src/process-runner.js';
import { isRunning } from '../../test-support/processes.js';
import { cleanUpAfterEach, runBounded, shRequest, TextSink } from '../../test-support/run-request.js';

const { tmpdir, leftovers } = cleanUpAfterEach('runner-edges-');

/**
 * A time limit that runs out only after the script has set up what the test looks at (a trap, a
 * process that left the group), even when starting `sh` takes a while on two cores busy with another
 * suite. The figure is room, not a speed claim: nothing here waits it out unless the test is about it.
 */
const SCRIPT_STARTED_MS = 2500;

/** Every sink holds one write at a time, so a slow job log pushes back at once. */
function request(script: string, overrides: Partial<RunRequest> = {}) {
  return shRequest(script, { killGraceMs: 2000, ...overrides }, () => new TextSink({ highWaterMark: 1 }));
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (!isRunning(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !isRunning(pid);
}

async function readPid(pidFile: string): Promise<number> {
  // Waits for the event with room for a busy machine; a missing file then fails the test.
  for (const until = Date.now() + 20_000; !fs.existsSync(pidFile) && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
  return Number(fs.readFileSync(pidFile, 'utf8'));
}

/** Feeds `text` to a splitter in the given chunk sizes (cycled); returns the lines handed on. */
function split(text: string | Buffer, sizes: number[], startBytes?: readonly number[]): string[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), startBytes);
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    s.write(Buffer.from(bytes.subarray(i, i + size)));
    i += size;
  }
  s.end();
  return lines;
}

describe('LineSplitter edges', () => {
  it.each([[[1]], [[2]], [[3]], [[7]], [[1000]]])('hands on whole lines in order, never empty ones, in chunks of %j bytes', (sizes) => {
    expect(split('first\n\n\nsecond\nthird\n\nlast', sizes)).toEqual(['first', 'second', 'third', 'last']);
  });

  it('a one-character wanted line at the start of a chunk does not hide the lines after it', () => {
    expect(split('{\nERROR: boom\nnoise\nERROR: again\n', [1000], LINE_START_BYTES)).toEqual(['{', 'ERROR: boom', 'ERROR: again']);
  });

  it('the rest of an unwanted line that ends a chunk is skipped even when it goes on with a wanted byte', () => {
    // Chunks 'E\nx' and 'ERR\n…': 'xERR' is one unwanted line, not a line 'ERR'.
    expect(split('E\nxERR\nERROR: b\n', [3, 100], LINE_START_BYTES)).toEqual(['E', 'ERROR: b']);
  });

  it('finds wanted lines starting with a control byte (tab) among many short unwanted ones', () => {
    // Dense short lines send the search to the regular expression, whose class must hold bytes below 0x10.
    const text = `${'x\n'.repeat(200)}\tone\n${'y\n'.repeat(200)}\ttwo\n`;
    expect(split(text, [4096], [0x09])).toEqual(['\tone', '\ttwo']);
  });

  it('a line that ends exactly at a chunk border is handed on once, and the next chunk starts a new line', () => {
    expect(split('ab\ncd\nef\n', [3])).toEqual(['ab', 'cd', 'ef']);
    expect(split('ERROR: a\nERROR: b\n', [9], LINE_START_BYTES)).toEqual(['ERROR: a', 'ERROR: b']);
  });

  it('an unwanted line cut across chunks is skipped entirely, and the wanted line after it is whole', () => {
    const text = `${'x'.repeat(50)}\nERROR: one\n  indented noise ERROR: not a line start\nERROR: two`;
    for (const size of [1, 5, 13, 40, 60])
      expect({ size, lines: split(text, [size], LINE_START_BYTES) }).toEqual({ size, lines: ['ERROR: one', 'ERROR: two'] });
  });

  it('an unwanted first line of the stream, left open at the end, is never handed on', () => {
    expect(split('x'.repeat(10), [4], LINE_START_BYTES)).toEqual([]);
    expect(split('  noise', [100], LINE_START_BYTES)).toEqual([]);
  });

  it('a line of exactly MAX_LINE_CHARS bytes is handed on once, whole; the next line follows', () => {
    const line = 'E'.repeat(MAX_LINE_CHARS);
    for (const sizes of [[MAX_LINE_CHARS], [MAX_LINE_CHARS + 1], [1000], [MAX_LINE_CHARS - 1, 1]]) {
      const lines = split(`${line}\nERROR: next\n`, sizes, LINE_START_BYTES);
      expect(lines.map((l) => l.length)).toEqual([MAX_LINE_CHARS, 'ERROR: next'.length]);
      expect(lines[0]).toBe(line);
    }
  });

  it('a line over MAX_LINE_CHARS is cut to its first MAX_LINE_CHARS bytes, in one chunk or many', () => {
    const head = 'E'.repeat(MAX_LINE_CHARS);
    for (const sizes of [[1_000_000], [4096], [MAX_LINE_CHARS - 3]]) {
      const lines = split(`${head}TAIL\nERROR: next\n`, sizes, LINE_START_BYTES);
      expect(lines).toEqual([head, 'ERROR: next']);
    }
  });

  it('a cut line with no newline at the end of the stream is handed on once', () => {
    expect(split('E'.repeat(MAX_LINE_CHARS + 5), [100]).map((l) => l.length)).toEqual([MAX_LINE_CHARS]);
  });

  it('dense output after sparse output, chunk after chunk: wanted lines at any place are all found', () => {
    // Many chunks of empty lines (dense: the regular expression takes over), each with one wanted line
    // at a different place, then ordinary lines again (the walk comes back every 16th chunk).
    const chunks: Buffer[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      const chunk = Buffer.alloc(4096, 10);
      const line = `ERROR: ${i}`;
      chunk.write(line, 1 + ((i * 97) % 4000));
      chunks.push(chunk);
      expected.push(line);
    }
    for (let i = 0; i < 40; i++) {
      const line = `ERROR: sparse ${i}`;
      chunks.push(Buffer.from(`${'ordinary output line of some length, as tests print\n'.repeat(20)}${line}\n`));
      expected.push(line);
    }
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), LINE_START_BYTES);
    for (const c of chunks) s.write(c);
    s.end();
    expect(lines).toEqual(expected);
  });

  it('without a start-byte filter every non-empty line is handed on, whatever its first byte', () => {
    const all = Array.from({ length: 255 }, (_, i) => Buffer.from([i + 1 === 10 ? 11 : i + 1, 0x41, 10]));
    const lines = split(Buffer.concat(all), [64]);
    expect(lines).toHaveLength(255);
  });
});

describe('runProcess edges', () => {
  it('delivers every line whole and in order through a slow job log (back-pressure)', async () => {
    const slow = new TextSink({ delayMs: 1, highWaterMark: 1 });
    const { req, lines } = request(
      // Bursts with pauses between them: the output arrives in several chunks.
      'i=0; while [ $i -lt 300 ]; do echo "line $i"; [ $((i % 100)) = 0 ] && sleep 0.05; i=$((i+1)); done',
      { stdout: slow },
    );
    const result = await runBounded(req);
    expect(result.exitCode).toBe(0);
    const expected = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    expect(lines.map(([, l]) => l)).toEqual(expected);
    // The job log takes its time: once it has written what it was given, it holds all of it.
    await new Promise((resolve) => slow.write('', resolve));
    expect(slow.text).toBe(expected.map((l) => `${l}\n`).join(''));
  });

  it('stops handing on lines once the listener asked to stop, even lines in the same chunk', async () => {
    const { req, stdout, lines } = request("printf 'one\\nSTOP\\nafter\\n'; sleep 300", {
      onLine: (line, stream) => {
        lines.push([stream, line]);
        return line === 'STOP';
      },
    });
    const result = await runBounded(req);
    expect(result.stopped).toBe(true);
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stdout', 'STOP'],
    ]);
    // The job log still shows everything the script printed.
    expect(stdout.text).toBe('one\nSTOP\nafter\n');
  });

  it('after a timeout, what the script prints while it ends reaches the log but not the listener; its own exit code is kept', async () => {
    const { req, stdout, lines } = request("trap 'echo late; exit 3' TERM; echo early; sleep 300 & wait", { timeoutMs: SCRIPT_STARTED_MS });
    const result = await runBounded(req);
    expect(result.timedOut).toBe(true);
    expect(result.stopped).toBe(false);
    expect(result.cancelled).toBe(false);
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(stdout.text).toBe('early\nlate\n');
    expect(lines).toEqual([['stdout', 'early']]);
  });

  it.each([
    ['HUP', 'SIGHUP', 129],
    ['INT', 'SIGINT', 130],
    ['KILL', 'SIGKILL', 137],
    ['TERM', 'SIGTERM', 143],
  ])('a script that dies of SIG%s exits with the shell-style code', async (name, signal, code) => {
    const { req } = request(`kill -s ${name} $$; sleep 1`);
    const result = await runBounded(req);
    expect(result.signal).toBe(signal);
    expect(result.exitCode).toBe(code);
    expect(result.timedOut).toBe(false);
  });

  // Linux numbers (this suite's platform): the report turns the code back into the signal's name.
  it.each([
    ['SEGV', 'SIGSEGV', 139],
    ['ABRT', 'SIGABRT', 134],
    ['PIPE', 'SIGPIPE', 141],
    ['USR1', 'SIGUSR1', 138],
  ])('a script that dies of SIG%s (a crash or another signal) exits with 128 + its number', async (name, signal, code) => {
    const { req } = request(`kill -s ${name} $$; sleep 1`);
    const result = await runBounded(req);
    expect(result.signal).toBe(signal);
    expect(result.exitCode).toBe(code);
  });

  it('a step cancelled before the script started: the script is stopped at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const { req, stdout } = request('sleep 300; echo never', { signal: controller.signal });
    const result = await runBounded(req);
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    // Ended by the SIGTERM of the stop, not by SIGKILL after the grace, nor by running to its end.
    expect(result.signal).toBe('SIGTERM');
    expect(stdout.text).toBe('');
  });

  it('without a timeout a script is not stopped', async () => {
    const { req } = request('sleep 0.2; exit 4', { timeoutMs: 0 });
    const result = await runBounded(req);
    expect(result).toMatchObject({ exitCode: 4, timedOut: false, stopped: false, cancelled: false, signal: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('runs in the given folder with the given environment', async () => {
    const dir = fs.realpathSync(tmpdir());
    const { req, lines } = request('pwd; echo "$RUNNER_EDGE"', { cwd: dir, env: { PATH: process.env.PATH, RUNNER_EDGE: 'seen' } });
    await runBounded(req);
    expect(lines).toEqual([
      ['stdout', dir],
      ['stdout', 'seen'],
    ]);
  });

  it('only the lines starting with the requested bytes reach the listener; the log gets everything', async () => {
    const { req, stdout, lines } = request("printf 'noise\\nERROR: boom\\n  more noise\\n'", { lineStartBytes: LINE_START_BYTES });
    await runBounded(req);
    expect(lines).toEqual([['stdout', 'ERROR: boom']]);
    expect(stdout.text).toBe('noise\nERROR: boom\n  more noise\n');
  });

  // A script may legitimately leave a daemon behind: once the run has ended by itself, neither its
  // time limit running out later nor a later cancellation of the step may reach the daemon.
  it.each([
    ['time limit', SCRIPT_STARTED_MS],
    ['cancellation', 0],
  ])('a run that ended by itself is left alone by its %s afterwards', async (_what, timeoutMs) => {
    const pidFile = path.join(tmpdir(), 'daemon.pid');
    const controller = new AbortController();
    const started = Date.now();
    const { req } = request(`sleep 300 >/dev/null 2>&1 & echo $! > "${pidFile}"; exit 0`, { timeoutMs, signal: controller.signal });
    const result = await runBounded(req);
    const daemon = await readPid(pidFile);
    leftovers.push(daemon);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, cancelled: false });
    controller.abort();
    // Past the time limit, and time for a signal to land.
    await new Promise((r) => setTimeout(r, Math.max(0, started + timeoutMs - Date.now()) + 250));
    expect(isRunning(daemon)).toBe(true);
  });

  it('rejects when the command cannot be started', async () => {
    const { req } = request('', { command: path.join(tmpdir(), 'no-such-command'), args: [] });
    await expect(runBounded(req)).rejects.toThrow(/ENOENT/);
  });

  it('where there is no /proc (macOS): a process that left the group is found with ps and dies with the run', async () => {
    const pidFile = path.join(tmpdir(), 'escaped.pid');
    const { req } = request(`setsid sleep 317 >/dev/null 2>&1 & echo $! > "${pidFile}"; sleep 300`, {
      timeoutMs: SCRIPT_STARTED_MS,
      platform: 'darwin',
    });
    const result = await runBounded(req);
    const escaped = await readPid(pidFile);
    leftovers.push(escaped);
    expect(result.timedOut).toBe(true);
    expect(await waitUntilGone(escaped, 10_000)).toBe(true);
  });

  it('where ps right-aligns its columns (macOS pads short pids with spaces), the escaped process still dies with the run', async () => {
    // Whether ps pads a line depends on how many digits the pids have here and now. A ps that pads every
    // column to ten characters, in front of the real one on PATH, makes the padded layout certain.
    const bin = path.join(tmpdir(), 'bin');
    fs.mkdirSync(bin);
    const realPs = spawnSync('sh', ['-c', 'command -v ps'], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(path.join(bin, 'ps'), `#!/bin/sh\n"${realPs}" "$@" | awk '{ printf "%10s   %10s\\n", $1, $2 }'\n`, { mode: 0o755 });
    const pidFile = path.join(tmpdir(), 'escaped.pid');
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    try {
      const { req } = request(`setsid sleep 318 >/dev/null 2>&1 & echo $! > "${pidFile}"; sleep 300`, {
        timeoutMs: SCRIPT_STARTED_MS,
        platform: 'darwin',
      });
      const result = await runBounded(req);
      const escaped = await readPid(pidFile);
      leftovers.push(escaped);
      expect(result.timedOut).toBe(true);
      expect(await waitUntilGone(escaped, 10_000)).toBe(true);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
