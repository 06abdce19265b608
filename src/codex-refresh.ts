/**
 * Making codex refresh a ChatGPT login on demand, without a model turn: `codex app-server` answers
 * `getAuthStatus {refreshToken: true}` after refreshing (codex-credentials-0.171.md §5). The action
 * never calls the token endpoint itself (OpenAI's CI guidance: let codex do it), so the login is
 * rotated and written to auth.json exactly as codex does it in every other run.
 *
 * codex's reply is the same whether the refresh worked or not. What did happen is read from two
 * places: auth.json before and after (the caller compares them: a new refresh token means it worked),
 * and codex's own log line `Failed to refresh token status=401 Unauthorized` (`refreshLogFrom`).
 *
 * The process: stdin is a pipe (app-server reads JSON-RPC there and exits when it closes; closed right
 * after the requests, codex 0.169 exits without refreshing, so stdin closes only after the answer), it
 * leads its own process group, and it is killed with its whole tree when it does not answer in time or
 * the step is cancelled. Every release from 0.101 to 0.171 refreshes this way (checked against the
 * stand-in). Their refusal lines differ: 0.101 to 0.160 add the token endpoint's error code
 * (`refresh_token_reused`, …); 0.169 and 0.171 name the HTTP status only, even at trace level.
 */
import { spawn } from 'node:child_process';
import { killTree } from './process-runner.js';

/** The JSON-RPC lines sent to `codex app-server`: initialise, then ask for the auth status with a refresh. */
export const APP_SERVER_REQUESTS: readonly string[] = [
  { id: 0, method: 'initialize', params: { clientInfo: { name: 'codex-reauth', title: 'codex-reauth', version: '1' } } },
  { method: 'initialized' },
  { id: 1, method: 'getAuthStatus', params: { includeToken: false, refreshToken: true } },
].map((message) => JSON.stringify(message));

/**
 * The log filter for app-server: its default (errors) plus the auth manager's `Refreshing token`, so
 * that "codex did not try" and "codex tried and got no answer" (a network failure logs no error) can
 * be told apart. The tokens are never in these lines (checked at trace level, codex 0.169 and 0.171).
 */
export const REFRESH_RUST_LOG = 'error,codex_login::auth::manager=info';

/** What codex logged about the refresh. */
export interface RefreshLog {
  /** codex said it was refreshing. */
  attempted: boolean;
  /** The HTTP status of a refused refresh (`Failed to refresh token status=401 Unauthorized`), when it said one. */
  failedStatus: number | null;
  /** codex's failure line, without its timestamp and colours (no secret in it), or null. */
  failureLine: string | null;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Reads codex's stderr lines for the refresh. Pure. */
export function refreshLogFrom(lines: readonly string[]): RefreshLog {
  const log: RefreshLog = { attempted: false, failedStatus: null, failureLine: null };
  for (const raw of lines) {
    const line = raw.replace(ANSI, '').trim();
    if (!/codex_login::|codex_core::auth/.test(line)) continue;
    if (/\bRefreshing token\b/.test(line)) log.attempted = true;
    const failed = /Failed to refresh token.*$/.exec(line);
    if (failed) {
      log.attempted = true;
      log.failureLine = failed[0].slice(0, 200);
      const status = /status=(\d{3})\b|:\s*(\d{3}) [A-Z]/.exec(failed[0]);
      if (status) log.failedStatus = Number(status[1] ?? status[2]);
    }
  }
  return log;
}

/**
 * Why a refresh did not happen. `refused`: the token endpoint refused the refresh token (400/401/403:
 * it was used by another holder, has expired or was revoked), which no retry can mend; `transient`: the
 * endpoint failed or did not answer (5xx, 429, a network failure), worth another try later;
 * `not-attempted`: codex never tried (it did not start, did not answer, or holds no ChatGPT login).
 */
export type RefreshFailure = 'refused' | 'transient' | 'not-attempted';

/** Classifies a refresh that left auth.json unchanged. Pure. */
export function refreshFailure(run: Pick<RefreshRun, 'answered' | 'log'>): RefreshFailure {
  const status = run.log.failedStatus;
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) return 'refused';
  if (status !== null || run.log.attempted) return 'transient';
  return 'not-attempted';
}

/** One run of `codex app-server`. */
export interface RefreshRun {
  /** codex answered getAuthStatus (with a result or an error). */
  answered: boolean;
  /** The answer was a JSON-RPC error, its message (never a token: includeToken is false). */
  errorMessage: string | null;
  log: RefreshLog;
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** The process could not be started (ENOENT and the like). */
  spawnError: string | null;
}

/** Makes codex refresh the login in its CODEX_HOME. Never throws. */
export interface LoginRefresher {
  refresh(): Promise<RefreshRun>;
}

export interface CodexRefresherOptions {
  /** The codex executable (found on PATH). */
  codexPath: string;
  /** codex's environment: CODEX_HOME set, none of the action's own variables. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The whole run's limit (start, refresh, exit). */
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  signal?: AbortSignal;
  platform: NodeJS.Platform;
}

/** How long app-server's output may keep coming after it exits (a descendant may hold its pipes). */
const DRAIN_AFTER_EXIT_MS = 2000;
/** After the answer, how long app-server may take to exit once stdin is closed. */
const EXIT_AFTER_ANSWER_MS = 10_000;

/** Creates the refresher; nothing runs until `refresh()`. */
export function createCodexRefresher(options: CodexRefresherOptions): LoginRefresher {
  return { refresh: () => runAppServer(options) };
}

function runAppServer(options: CodexRefresherOptions): Promise<RefreshRun> {
  const started = Date.now();
  const { platform } = options;
  const env: NodeJS.ProcessEnv = { ...options.env, RUST_LOG: REFRESH_RUST_LOG, NO_COLOR: '1' };
  return new Promise((resolve) => {
    // A Windows npm install puts codex.cmd on PATH, which only a shell can start; the arguments are
    // fixed text, so the shell has nothing of the user's to interpret.
    const viaShell = platform === 'win32' && /\.(?:cmd|bat)$/i.test(options.codexPath);
    const child = spawn(viaShell ? `"${options.codexPath}"` : options.codexPath, ['-c', 'cli_auth_credentials_store=file', 'app-server'], {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: platform !== 'win32',
      windowsHide: true,
      shell: viaShell,
    });
    const stderrLines: string[] = [];
    let stderrRest = '';
    let stdoutRest = '';
    let answered = false;
    let errorMessage: string | null = null;
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    let signalled: number[] = [];
    let killTimer: NodeJS.Timeout | undefined;

    const terminate = (): void => {
      if (!child.pid || killTimer) return;
      signalled = killTree(child.pid, 'SIGTERM', platform);
      killTimer = setTimeout(() => {
        if (child.pid) signalled = killTree(child.pid, 'SIGKILL', platform, undefined, signalled);
      }, options.killGraceMs);
      killTimer.unref?.();
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      terminate();
    }, options.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      terminate();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    let exitTimer: NodeJS.Timeout | undefined;

    const finish = (exitCode: number | null, spawnError: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(exitTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      // Whatever happened, nothing codex started may outlive this run.
      if (child.pid && platform !== 'win32') killTree(child.pid, 'SIGKILL', platform, undefined, signalled);
      if (stderrRest) stderrLines.push(stderrRest);
      resolve({
        answered,
        errorMessage,
        log: refreshLogFrom(stderrLines),
        exitCode,
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        spawnError,
      });
    };

    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (stdoutRest + chunk.toString('utf8')).split('\n');
      stdoutRest = (lines.pop() ?? '').slice(-65_536);
      for (const line of lines) {
        let message: { id?: unknown; error?: { message?: unknown } };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          continue;
        }
        if (message.id !== 1 || answered) continue;
        answered = true;
        if (message.error) errorMessage = String(message.error.message ?? 'error').slice(0, 200);
        // The refresh is done (or failed) once codex answers: closing stdin lets app-server exit.
        child.stdin.end();
        exitTimer = setTimeout(terminate, EXIT_AFTER_ANSWER_MS);
        exitTimer.unref?.();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (stderrRest + chunk.toString('utf8')).split('\n');
      stderrRest = (lines.pop() ?? '').slice(-65_536);
      // Bounded: only the last lines can matter, and a chatty codex must not grow memory.
      stderrLines.push(...lines.map((line) => line.slice(0, 2000)));
      if (stderrLines.length > 500) stderrLines.splice(0, stderrLines.length - 500);
    });
    // A codex that dies before reading stdin makes the write fail with EPIPE: that is its exit code's story.
    child.stdin.on('error', () => {});
    child.on('error', (error) => finish(null, error.message));
    child.on('close', (code, signal) => finish(code ?? (signal ? null : 1), null));
    // `close` waits for the pipes, which a process that left the group may hold open for ever: once
    // app-server itself has exited, its output gets a moment to drain and then the run ends regardless.
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code ?? (signal ? null : 1), null);
      }, DRAIN_AFTER_EXIT_MS).unref?.();
    });
    child.stdin.write(`${APP_SERVER_REQUESTS.join('\n')}\n`);
  });
}
