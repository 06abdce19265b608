/**
 * The real I/O edges, wired to the GitHub Actions toolkit: @actions/core for logging, state, outputs
 * and the summary; @actions/exec for `codex login`. Everything else takes these as parameters, so
 * tests pass fakes instead of mocking modules.
 */
import os from 'node:os';
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import type { ActionCore, MainDependencies } from './main.js';
import { Writable } from 'node:stream';
import { runProcess } from './process-runner.js';

/**
 * How long `codex login` and `codex login status` may take. They ask the auth server about a token;
 * against a firewall that swallows the request they would wait for ever, holding the step until the
 * job's own limit (6 hours by default).
 */
export const CODEX_LOGIN_TIMEOUT_MS = 60_000;
/** What is kept of `codex login`'s output: its few lines, never a flood. */
const MAX_LOGIN_OUTPUT_CHARS = 64 * 1024;

/**
 * Runs `codex login …` with `input` on stdin, within CODEX_LOGIN_TIMEOUT_MS (then its whole process
 * tree is stopped, as an attempt's is); resolves with its exit code and output.
 */
export async function runCodexLogin(
  codexPath: string,
  args: string[],
  options: { input: string; env: NodeJS.ProcessEnv; timeoutMs?: number; platform?: NodeJS.Platform },
): Promise<{ exitCode: number; output: string }> {
  let output = '';
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  const timeoutMs = options.timeoutMs ?? CODEX_LOGIN_TIMEOUT_MS;
  const result = await runProcess({
    command: codexPath,
    args,
    cwd: process.cwd(),
    env: options.env,
    input: options.input,
    timeoutMs,
    killGraceMs: 3000,
    stdout: discard,
    stderr: discard,
    onLine: (line) => {
      if (output.length < MAX_LOGIN_OUTPUT_CHARS) output += `${line}\n`;
    },
    platform: options.platform,
  });
  if (result.timedOut) output += `codex did not answer within ${timeoutMs / 1000} s and was stopped\n`;
  return { exitCode: result.timedOut ? 124 : result.exitCode, output };
}

export const actionCore: ActionCore = {
  getInput: (name, options) => core.getInput(name, options),
  setOutput: (name, value) => core.setOutput(name, value),
  setSecret: (value) => core.setSecret(value),
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name),
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  warning: (message, properties) => core.warning(message, properties),
  error: (message, properties) => core.error(message, properties),
  startGroup: (name) => core.startGroup(name),
  endGroup: () => core.endGroup(),
  writeSummary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  },
};

/** The main step's dependencies on a real runner. */
export function defaultMainDependencies(): MainDependencies {
  return {
    core: actionCore,
    env: process.env,
    platform: process.platform,
    homedir: os.homedir(),
    stdout: process.stdout,
    stderr: process.stderr,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const onAbort = (): void => {
          clearTimeout(timer);
          resolve();
        };
        // The listener goes when the wait ends: waits must not pile listeners onto one signal.
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    tmpdir: os.tmpdir(),
    signalName: (signo) => Object.entries(os.constants.signals).find(([, n]) => n === signo)?.[0] ?? null,
    runProcess,
    // The secret goes over stdin, never argv. On Windows @actions/exec runs codex's .cmd shim (with no
    // time limit); elsewhere the login runs like an attempt, within a limit, its tree stopped after it.
    codexExec: (codexPath) => async (args, options) => {
      if (process.platform !== 'win32') return runCodexLogin(codexPath, args, options);
      const result = await getExecOutput(codexPath, args, {
        input: Buffer.from(options.input),
        env: options.env as Record<string, string>,
        silent: true,
        ignoreReturnCode: true,
      });
      return { exitCode: result.exitCode, output: `${result.stdout}${result.stderr}` };
    },
  };
}
