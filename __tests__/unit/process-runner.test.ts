import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { LINE_START_BYTES, MAX_LINE_CHARS } from '../../src/classifier.js';
import { LineSplitter, runProcess, type RunRequest } from '../../src/process-runner.js';
import { within } from '../../test-support/deadline.js';
import { isRunning } from '../../test-support/processes.js';
import { cleanUpAfterEach, runBounded, shRequest } from '../../test-support/run-request.js';

const { tmpdir, leftovers } = cleanUpAfterEach('runner-');
const request = (script: string, overrides: Partial<RunRequest> = {}) => shRequest(script, overrides);

const alive = (pid: number): boolean => isRunning(pid);

describe('runProcess', () => {
  it('forwards output while the process is still running, and hands over lines by stream', async () => {
    // The script prints "two" only once the test has seen "one" in the job log: output kept back
    // until the end would leave it waiting, and the run would end without "two" (no clock involved).
    const go = path.join(tmpdir(), 'go');
    // (It gives up after 10 s, inside runBounded's bound, so that the comparisons below say what broke.)
    const script = `echo one; echo err >&2; end=$(($(date +%s) + 10)); while [ ! -e '${go}' ] && [ $(date +%s) -lt $end ]; do sleep 0.05; done; [ -e '${go}' ] && echo two`;
    let logWhenOneArrived = '';
    const { req, stdout, stderr, lines } = request(script);
    req.onLine = (line, stream) => {
      lines.push([stream, line]);
      if (line === 'one') {
        logWhenOneArrived = stdout.text;
        fs.writeFileSync(go, '');
      }
    };
    const result = await runBounded(req);
    expect(logWhenOneArrived).toBe('one\n');
    expect(result.exitCode).toBe(0);
    expect(stdout.text).toBe('one\ntwo\n');
    expect(stderr.text).toBe('err\n');
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stderr', 'err'],
      ['stdout', 'two'],
    ]);
  });

  it('gives the child a closed stdin (codex exec waits for EOF)', async () => {
    const { req, stdout } = request('cat; echo "cat ended with $?"', { timeoutMs: 5000 });
    const result = await runBounded(req);
    expect(result.timedOut).toBe(false);
    expect(stdout.text).toBe('cat ended with 0\n');
  });

  it('keeps the exit code', async () => {
    const { req } = request('exit 7');
    expect((await runBounded(req)).exitCode).toBe(7);
  });

  it('on timeout kills the whole process tree', async () => {
    const dir = tmpdir();
    const pidFile = path.join(dir, 'bg.pid');
    // The limit runs out after the script started its background job, even on a busy machine.
    const { req } = request(`sleep 300 & echo $! > ${pidFile}; sleep 300`, { timeoutMs: 2500 });
    const result = await runBounded(req);
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(128 + 15);
    const bg = Number(fs.readFileSync(pidFile, 'utf8'));
    // The grandchild is gone too (give the kernel a moment to reap it).
    for (const until = Date.now() + 10_000; alive(bg) && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
    expect(alive(bg)).toBe(false);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const { req } = request('trap "" TERM; sleep 300', { timeoutMs: 300, killGraceMs: 300 });
    const result = await runBounded(req);
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });

  it('stops early when the listener asks', async () => {
    const { req } = request('echo working; echo DECISIVE; sleep 300', {
      onLine: (line) => line === 'DECISIVE',
    });
    const result = await runBounded(req);
    expect(result.stopped).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.signal).toBe('SIGTERM');
  });

  it('does not wait for a background process that holds the pipes after the shell exits', async () => {
    const dir = tmpdir();
    const pidFile = path.join(dir, 'bg.pid');
    const { req } = request(`sleep 300 & echo $! > ${pidFile}; echo done`);
    // Waiting on the pipes would take the 300 s of the background sleep.
    const result = await within(runProcess(req), 20_000, 'the run did not end while a background process held its pipes');
    leftovers.push(Number(fs.readFileSync(pidFile, 'utf8')));
    expect(result.exitCode).toBe(0);
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

  it('a wanted line just where the newline walk gives way to the regular expression is handed on', () => {
    // 3200 bytes of empty lines: the walk visits (3200 >> 5) + 1 = 101 newlines, then the expression
    // takes over. Put the wanted line at every position around that hand-over.
    for (let at = 95; at <= 106; at++) {
      const chunk = Buffer.alloc(3200, 10);
      chunk.write('ERROR: x', at);
      const lines: string[] = [];
      const s = new LineSplitter((l) => lines.push(l), LINE_START_BYTES);
      s.write(chunk);
      s.end();
      expect({ at, lines }).toEqual({ at, lines: ['ERROR: x'] });
    }
  });

  // The splitter walks newlines one by one in ordinary output and switches to a regular expression when
  // lines are short (dense output), going back now and then. Whatever the mix and however the stream is
  // cut into chunks, it must hand on exactly the wanted lines: compared here with a plain split.
  it.each([1, 2, 3, 4, 5, 6])('hands on the same lines as a plain split, in sparse and dense output cut at random (seed %i)', (seed) => {
    let state = seed * 2654435761;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state % n;
    };
    const wanted = new Set(LINE_START_BYTES);
    const unwanted = [
      '  PASS  src/components/widget.test.ts > renders (3 ms)',
      '',
      'ok',
      'x',
      '   at Object.<anonymous> (a.js:1:1)',
      'y'.repeat(300),
    ];
    const codex = [
      'ERROR: unexpected status 401 Unauthorized',
      '{"type":"error"}',
      '2025-01-01T00:00:00Z ERROR codex_core',
      '■ boom',
      'E',
      'Reconnecting... 1/5',
    ];
    const parts: string[] = [];
    // Phases of ordinary (~50-byte) lines and of very short ones, each long enough to span many chunks.
    for (let phase = 0; phase < 8; phase++) {
      const dense = phase % 2 === 1;
      for (let i = 0; i < 30_000; i++) {
        if (random(200) === 0) parts.push(codex[random(codex.length)]);
        else parts.push(dense ? unwanted[1 + random(3)] : unwanted[random(unwanted.length)]);
      }
    }
    if (random(2) === 0) parts.push('x'.repeat(MAX_LINE_CHARS + 10)); // a long line, cut
    parts.push('ERROR: the last line has no newline');
    const text = Buffer.from(parts.join('\n'));

    // Wanted by first byte (■ is 0xe2 0x96 0xa0 in UTF-8); all the lines are ASCII but that one.
    const expected = parts.filter((l) => l.length > 0 && wanted.has(Buffer.from(l)[0])).map((l) => l.slice(0, MAX_LINE_CHARS));
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), LINE_START_BYTES);
    for (let i = 0; i < text.length;) {
      const size = random(3) === 0 ? 1 + random(100) : 1 + random(70_000);
      s.write(Buffer.from(text.subarray(i, i + size)));
      i += size;
    }
    s.end();
    expect(lines.length).toBeGreaterThan(100);
    expect(lines).toEqual(expected);
  });
});
