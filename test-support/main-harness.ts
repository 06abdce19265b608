// Runs main.ts in-process the way the integration tests do: a recording fake of @actions/core, the real
// process runner, the fake codex (test-support/fake-codex.js) first on PATH, a temporary HOME,
// RUNNER_TEMP and workspace, and a sleep that records instead of waiting.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { run, type MainDependencies } from '../src/main.js';
import { runProcess } from '../src/process-runner.js';
import { within, ROOM_MS } from './deadline.js';
import { FakeCore } from './fake-core.js';

/**
 * A codex login run through codexExec (synchronous: jest's own timeout cannot interrupt it). Far above
 * what the fake codex takes; past it the login is SIGKILLed and reads as failed.
 */
const LOGIN_BOUND_MS = 30_000;

export const FAKE_CODEX = path.join(process.cwd(), 'test-support', 'fake-codex.js');

/** A ChatGPT-login auth.json as codex writes it; the fake codex decides by the refresh token's name. */
export const chatgptLogin = (refresh: string): string =>
  JSON.stringify({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      access_token: `access-${refresh}-token`,
      refresh_token: refresh,
      account_id: 'acct-1',
    },
    last_refresh: '2026-11-01T00:00:00Z',
  });

/**
 * Puts `codex` in `bin`: a wrapper that runs the fake codex with this Node. A wrapper, not a symlink to
 * the script: a copy of the repository can lose the script's executable bit (Stryker's sandbox does).
 */
export function installFakeCodex(bin: string): void {
  fs.writeFileSync(path.join(bin, 'codex'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_CODEX}" "$@"\n`, { mode: 0o755 });
}

export interface MainRun {
  core: FakeCore;
  /** Waits main asked for, in ms, in order. */
  sleeps: number[];
  /** Attempts main started (processes run through runProcess). */
  spawned: number;
  /** What the fake codex logged: one JSON line per invocation with its argv. */
  argvLog: string;
  /** Everything the attempts printed (stdout and stderr). */
  output: string;
  exitCode: number;
}

export interface MainHarness {
  tmp: string;
  home: string;
  codexHome: string;
  runnerTemp: string;
  workspace: string;
  bin: string;
  /**
   * Runs main with action.yml-like defaults overridden by `inputs`, and `env` added to the runner's;
   * `deps` replaces any of main's dependencies (a core that fails, a cancel signal, a temp folder).
   */
  run(inputs: Record<string, string>, env?: NodeJS.ProcessEnv, deps?: Partial<MainDependencies> & { core?: FakeCore }): Promise<MainRun>;
  /** Removes everything the harness made. */
  dispose(): void;
}

export function createMainHarness(): MainHarness {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'main-'));
  const home = path.join(tmp, 'home');
  const bin = path.join(tmp, 'bin');
  const runnerTemp = path.join(tmp, 'rt');
  const workspace = path.join(tmp, 'ws');
  for (const d of [home, bin, runnerTemp, workspace]) fs.mkdirSync(d, { recursive: true });
  installFakeCodex(bin);
  const codexLog = path.join(tmp, 'codex-argv.jsonl');

  return {
    tmp,
    home,
    codexHome: path.join(home, '.codex'),
    runnerTemp,
    workspace,
    bin,
    async run(inputs, env = {}, deps = {}) {
      const core = deps.core ?? new FakeCore({ 'max-attempts': '3', 'retry-wait-seconds': '0', ...inputs });
      let output = '';
      const sink = new Writable({
        write(chunk, _enc, cb) {
          output += chunk.toString();
          cb();
        },
      });
      const sleeps: number[] = [];
      let spawned = 0;
      /** An attempt that ran past its bound: main reports it as a failed step, the test must not miss it. */
      let overran: Error | undefined;
      const before = process.exitCode;
      process.exitCode = undefined;
      try {
        await run({
          env: {
            PATH: `${bin}${path.delimiter}${process.env.PATH}`,
            HOME: home,
            RUNNER_TEMP: runnerTemp,
            GITHUB_WORKSPACE: workspace,
            FAKE_CODEX_LOG: codexLog,
            ...env,
          },
          platform: 'linux',
          homedir: home,
          stdout: sink,
          stderr: sink,
          sleep: async (ms) => {
            sleeps.push(ms);
          },
          runProcess: (req) => {
            spawned += 1;
            // An attempt with a time limit must end by it (SIGTERM, SIGKILL after the grace): fail
            // naming that guarantee, not with jest's own timeout, when it does not.
            if (req.timeoutMs <= 0) return runProcess(req);
            return within(
              runProcess(req),
              req.timeoutMs + req.killGraceMs + ROOM_MS,
              `attempt ${spawned} (timeout-minutes: ${req.timeoutMs} ms, SIGKILL ${req.killGraceMs} ms after SIGTERM) did not end`,
              'is the attempt timeout armed, and does SIGTERM escalate to SIGKILL?',
            ).catch((error: Error) => {
              overran ??= error;
              throw error;
            });
          },
          codexExec: (codexPath) => async (args, options) => {
            const r = spawnSync(codexPath, args, {
              input: options.input,
              env: options.env,
              encoding: 'utf8',
              timeout: LOGIN_BOUND_MS,
              killSignal: 'SIGKILL',
            });
            return { exitCode: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
          },
          signalName: (signo) => Object.entries(os.constants.signals).find(([, n]) => n === signo)?.[0] ?? null,
          ...deps,
          core,
        });
        if (overran) throw overran;
        const exitCode = Number(process.exitCode ?? 0);
        const argvLog = fs.existsSync(codexLog) ? fs.readFileSync(codexLog, 'utf8') : '';
        return { core, sleeps, spawned, argvLog, output, exitCode };
      } finally {
        process.exitCode = before;
      }
    },
    dispose() {
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
