/**
 * Runs one attempt: a child process with stdin closed, its output forwarded live and handed line by
 * line to a listener, an optional wall-clock limit, and a way to stop it early. Stopping kills the
 * whole process tree (SIGTERM, then SIGKILL), because codex and its helpers run below the shell.
 *
 * Node's spawn is used rather than @actions/exec: tree killing needs the child in its own process
 * group (`detached`) and its pid, which @actions/exec does not expose.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { MAX_LINE_CHARS } from './classifier.js';

export type StreamName = 'stdout' | 'stderr';

export interface RunRequest {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Wall-clock limit; 0 for none. */
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** Where output goes as it arrives (the job log). */
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Each complete line (cut at MAX_LINE_CHARS); return true to stop the run now. */
  onLine(line: string, stream: StreamName): boolean | void;
  /** Pass the arguments to a Windows program unquoted (cmd.exe does its own quoting: see shell.ts). */
  windowsVerbatimArguments?: boolean;
  /** Aborting it stops the run like a timeout does (the step was cancelled). */
  signal?: AbortSignal;
  /** The first bytes of the lines onLine needs; other lines are forwarded but never decoded. */
  lineStartBytes?: readonly number[];
  platform?: NodeJS.Platform;
  /**
   * Text for the child's stdin, which is then closed (`codex login` reads a secret there, never from
   * argv). Without it the child gets no stdin at all: `codex exec` waits for stdin to close.
   */
  input?: string;
}

export interface RunResult {
  exitCode: number;
  /** The signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Stopped because onLine asked. */
  stopped: boolean;
  /** Stopped because `signal` was aborted. */
  cancelled: boolean;
  durationMs: number;
}

/**
 * Splits a byte stream into lines with bounded memory, handing on only the lines that start with one
 * of `startBytes` (all lines when it is omitted). A line longer than MAX_LINE_CHARS bytes is cut and
 * the rest of it skipped, so one enormous line cannot exhaust memory.
 *
 * Speed matters here: a step can print gigabytes, almost none of it codex's. Only the byte after each
 * newline is looked at from JavaScript, and only wanted lines are decoded (see write()).
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line that is unwanted or already cut: drop bytes until its newline. */
  private skipping = false;
  private readonly wanted: Uint8Array;
  private readonly lineStarts: RegExp;
  /** Chunks since the newline walk last gave way to the regular expression (0: it did not). */
  private denseChunks = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    startBytes?: readonly number[],
  ) {
    const bytes = startBytes ?? [...Array(256).keys()];
    this.wanted = new Uint8Array(256);
    for (const b of bytes) this.wanted[b] = 1;
    const cls = bytes.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    this.lineStarts = new RegExp(`\\n[${cls}]`, 'g');
  }

  write(chunk: Buffer): void {
    const length = chunk.length;
    let start = 0;
    // Finish the line the previous chunk left open.
    if (this.pendingBytes > 0 || this.skipping) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.keep(chunk, 0, length);
        return;
      }
      this.keep(chunk, 0, nl);
      this.flush();
      start = nl + 1;
    }
    if (start >= length) return;
    // The first line of this stretch has no newline before it.
    if (this.wanted[chunk[start]] === 1 && this.take(chunk, start) === -1) return;
    // One latin1 view of the chunk (one byte per character, no decoding) serves both ways of finding
    // the wanted lines below. It also makes V8 collect young garbage every few chunks, which returns
    // the chunks' own memory (outside V8's heap, unseen by its young-generation collector) promptly:
    // a walk over the Buffer alone let them pile up by tens of MiB before V8 collected them (peak RSS
    // 85 MiB instead of 57 for 1 GiB of output, measured as bench/run.mjs does), and was slower, as
    // memory used once and freed late falls out of the CPU's cache.
    const view = chunk.toString('latin1', start, length);
    const end = length - start;
    // Visit the newlines with indexOf (a fast search: ~0.15 s per GiB of ~100-byte lines) and look at
    // the byte after each. Short lines would make that a call per few bytes, so past one newline per
    // 32 bytes on average the rest of the chunk goes to one compiled regular expression, whose cost
    // depends only on the bytes (~0.5 s per GiB). After such a chunk the next ones go straight to the
    // expression; every 16th tries the walk again.
    if (this.denseChunks % 16 !== 0) {
      this.denseChunks++;
      if (!this.scanWithRegex(chunk, view, start, 0)) return;
    } else {
      this.denseChunks = 0;
      let budget = end >> 5;
      let pos = 0;
      for (let nl = view.indexOf('\n', pos); nl !== -1 && nl + 1 < end; nl = view.indexOf('\n', pos)) {
        if (this.wanted[view.charCodeAt(nl + 1)] === 1) {
          const lineEnd = this.take(chunk, start + nl + 1);
          if (lineEnd === -1) return;
          pos = lineEnd - start; // that line's own newline comes next
        } else if (--budget < 0) {
          this.denseChunks = 1;
          if (!this.scanWithRegex(chunk, view, start, nl)) return;
          break;
        } else {
          pos = nl + 1;
        }
      }
    }
    // An unwanted line left open at the end of the chunk: skip the rest of it in the next one.
    const last = chunk.lastIndexOf(10);
    const tailStart = last === -1 ? start : last + 1;
    if (tailStart < length && this.wanted[chunk[tailStart]] !== 1) this.skipping = true;
  }

  /**
   * The wanted lines that follow a newline at or after `from` in `view` (the chunk's bytes from
   * `offset` on, as latin1); false if the last one goes on in the next chunk.
   */
  private scanWithRegex(chunk: Buffer, view: string, offset: number, from: number): boolean {
    const re = this.lineStarts;
    re.lastIndex = from;
    for (let m = re.exec(view); m !== null; m = re.exec(view)) {
      const lineEnd = this.take(chunk, offset + m.index + 1);
      if (lineEnd === -1) return false;
      re.lastIndex = lineEnd - offset; // search on from this line's newline
    }
    return true;
  }

  /** Emits the line starting at `lineStart` and returns its newline's index; holds it and returns -1 if it goes on. */
  private take(chunk: Buffer, lineStart: number): number {
    const end = chunk.indexOf(10, lineStart);
    if (end === -1) {
      this.keep(chunk, lineStart, chunk.length);
      return -1;
    }
    if (end > lineStart) this.onLine(chunk.toString('utf8', lineStart, Math.min(end, lineStart + MAX_LINE_CHARS)));
    return end;
  }

  end(): void {
    if (this.pendingBytes > 0 && !this.skipping) this.flush();
    this.reset();
  }

  /** Holds the start of a line that goes on in the next chunk (at most MAX_LINE_CHARS bytes). */
  private keep(chunk: Buffer, from: number, to: number): void {
    if (this.skipping || to <= from) return;
    const room = MAX_LINE_CHARS - this.pendingBytes;
    const piece = chunk.subarray(from, Math.min(to, from + room));
    // Copy: the chunk's memory is reused by the stream.
    this.pending.push(Buffer.from(piece));
    this.pendingBytes += piece.length;
    if (this.pendingBytes >= MAX_LINE_CHARS) {
      // Hand on what fits now; drop the rest of this line.
      this.onLine(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
    }
  }

  /** A newline ended the held line. */
  private flush(): void {
    if (!this.skipping && this.pendingBytes > 0) this.onLine(Buffer.concat(this.pending).toString('utf8'));
    this.reset();
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }
}

/** The system calls killTree makes: tests pass fakes to check each platform's way. */
export interface KillSystem {
  spawnSync(command: string, args: string[]): void;
  kill(pid: number, signal: NodeJS.Signals): void;
  /** Every process as [pid, parent pid]; empty when the table cannot be read. */
  processTable(platform: NodeJS.Platform): Array<[number, number]>;
}

/** The process table from /proc (Linux), else from `ps` (macOS and other Unixes). */
function readProcessTable(platform: NodeJS.Platform): Array<[number, number]> {
  const table: Array<[number, number]> = [];
  if (platform === 'linux') {
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      return table;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        table.push([Number(entry), ppid]);
      } catch {
        // gone meanwhile
      }
    }
    return table;
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', windowsHide: true });
  for (const line of (ps?.stdout ?? '').split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) table.push([pid, ppid]);
  }
  return table;
}

const realKillSystem: KillSystem = {
  spawnSync: (command, args) => {
    spawnSync(command, args, { stdio: 'ignore', windowsHide: true });
  },
  kill: (pid, signal) => process.kill(pid, signal),
  processTable: readProcessTable,
};

/** Pids of every process below `pid` in `table` (children, their children, …). */
export function descendantsOf(pid: number, table: ReadonlyArray<readonly [number, number]>): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of table) {
    if (child === parent) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const seen = new Set<number>([pid]);
  for (let queue = [pid]; queue.length > 0;) {
    const next: number[] = [];
    for (const p of queue) {
      for (const c of children.get(p) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        found.push(c);
        next.push(c);
      }
    }
    queue = next;
  }
  return found;
}

/**
 * Kills a process and everything below it; returns the pids it signalled besides the group. On
 * Windows there are no process groups or signals: `taskkill /T /F` ends the whole tree at once.
 * Elsewhere the child leads its own process group (it was started detached), so signalling `-pid`
 * reaches every process that stayed in it; a process that left it (`setsid`, a daemon, a PTY) is
 * found among the descendants and signalled by its own pid. `also`: pids found by an earlier call,
 * which may have been re-parented away since.
 */
export function killTree(
  pid: number,
  signal: NodeJS.Signals,
  platform: NodeJS.Platform,
  system: KillSystem = realKillSystem,
  also: readonly number[] = [],
): number[] {
  if (platform === 'win32') {
    system.spawnSync('taskkill', ['/pid', String(pid), '/T', '/F']);
    return [];
  }
  // Read before signalling: once the shell dies, its children are re-parented and the tree is lost.
  const below = descendantsOf(pid, system.processTable(platform));
  try {
    system.kill(-pid, signal); // the whole process group
  } catch {
    try {
      system.kill(pid, signal); // no group (it already ended): at least the process itself
    } catch {
      // already gone
    }
  }
  const others = [...new Set([...below, ...also])];
  for (const other of others) {
    try {
      system.kill(other, signal);
    } catch {
      // already gone, or was in the group
    }
  }
  return others;
}

/** How long output may keep coming after the shell exits. */
const DRAIN_AFTER_EXIT_MS = 2000;

/** Runs the request to completion (or until stopped); never rejects for a failing child. */
export function runProcess(request: RunRequest): Promise<RunResult> {
  const platform = request.platform ?? process.platform;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: request.env,
      stdio: [request.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], // codex exec waits for stdin to close: give it none
      detached: platform !== 'win32',
      windowsHide: true,
      windowsVerbatimArguments: request.windowsVerbatimArguments ?? false,
    });
    if (request.input !== undefined && child.stdin) {
      // A child that exits without reading its stdin must not crash the action with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(request.input);
    }
    let timedOut = false;
    let stopped = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    // Processes found below the child at SIGTERM time: SIGKILL reaches them even once re-parented.
    let signalled: number[] = [];
    const terminate = (): void => {
      if (!child.pid || killTimer) return;
      signalled = killTree(child.pid, 'SIGTERM', platform);
      killTimer = setTimeout(() => {
        if (child.pid) signalled = killTree(child.pid, 'SIGKILL', platform, undefined, signalled);
      }, request.killGraceMs);
      killTimer.unref?.();
    };

    const timeout =
      request.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            terminate();
          }, request.timeoutMs)
        : undefined;

    const onAbort = (): void => {
      cancelled = true;
      terminate();
    };
    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });

    const forward = (stream: StreamName, sink: NodeJS.WritableStream): LineSplitter => {
      const splitter = new LineSplitter((line) => {
        if (stopped || timedOut || cancelled) return;
        if (request.onLine(line, stream) === true) {
          stopped = true;
          terminate();
        }
      }, request.lineStartBytes);
      const source = child[stream]!;
      source.on('data', (chunk: Buffer) => {
        // Forward first, so the log is live, and honour back-pressure from the job log.
        if (!sink.write(chunk)) {
          source.pause();
          sink.once('drain', () => source.resume());
        }
        splitter.write(chunk);
      });
      return splitter;
    };
    const outSplitter = forward('stdout', request.stdout);
    const errSplitter = forward('stderr', request.stderr);

    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      request.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(drainTimer);
      request.signal?.removeEventListener('abort', onAbort);
      if (killTimer) {
        clearTimeout(killTimer);
        // The shell is gone; make sure nothing it started outlives it.
        if (child.pid) killTree(child.pid, 'SIGKILL', platform, undefined, signalled);
      }
      outSplitter.end();
      errSplitter.end();
      // A shell's convention: 128 + the signal's number on this platform (a crash, SIGSEGV, is 139 on
      // Linux), so the report can name the signal that ended the script.
      const exitCode = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 1) : 1);
      resolve({ exitCode, signal, timedOut, stopped, cancelled, durationMs: Date.now() - started });
    };
    let drainTimer: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      // A background process the script left behind can hold the pipes open for ever: once the
      // shell has exited, give its output a moment to drain, then stop waiting for it.
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, DRAIN_AFTER_EXIT_MS);
      drainTimer.unref?.();
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}
