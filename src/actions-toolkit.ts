/**
 * The real I/O edges, wired to the GitHub Actions toolkit: @actions/core for logging, state, outputs
 * and the summary; @actions/exec for `codex login`. Everything else takes these as parameters, so
 * tests pass fakes instead of mocking modules.
 */
import os from 'node:os';
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import type { ActionCore, MainDependencies } from './main.js';
import { runProcess } from './process-runner.js';

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
    // @actions/exec feeds stdin (the key never touches argv) and runs .cmd shims on Windows.
    codexExec: (codexPath) => async (args, options) => {
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
