// Point 2: cancelling the step the way the runner does: SIGINT to the action's node process only,
// SIGTERM 7.5 s later if node is still alive, SIGKILL 2.5 s after that. The runner never kills the
// children itself: node must stop the whole tree (bash, the shim, codex, their children), report the
// step as cancelled and exit within that grace; the post step then still removes what main wrote.
import { expect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupRunner,
  commandLine,
  entries,
  errors,
  hasStackTrace,
  makeRunner,
  processesOf,
  readMain,
  runPost,
  startStep,
  tag,
  waitFor,
} from '../../test-support/reliability/harness.js';
import type { RegisterCase } from './register.js';

/** The runner's timings on cancellation (actions/runner: SIGINT, 7.5 s, SIGTERM, 2.5 s, SIGKILL). */
const SIGTERM_AFTER_MS = 7500;
const SIGKILL_AFTER_MS = 10_000;

interface Cancellation {
  name: string;
  /** The user's script (codex, from the stand-in, hangs with a `sleep` below it). */
  run: string;
  /** 'runner': SIGINT, then SIGTERM at 7.5 s if still alive. 'sigterm': SIGTERM only. */
  how: 'runner' | 'sigterm';
}

const CASES: Cancellation[] = [
  {
    name: 'SIGINT, then SIGTERM 7.5 s later as the runner does; codex and a background job in the script',
    run: 'sleep 600 &\ncodex exec "a long task"\nwait',
    how: 'runner',
  },
  { name: 'SIGTERM directly', run: 'codex exec "a long task"', how: 'sigterm' },
  {
    name: 'SIGINT with a grandchild that ignores SIGTERM and SIGINT (needs SIGKILL within the grace)',
    run: `(trap '' TERM INT; exec sleep 600) &\ncodex exec "a long task"\nwait`,
    how: 'runner',
  },
];

async function cancel(c: Cancellation): Promise<void> {
  const t = tag();
  const key = `sk-good-cancel-${t}`;
  const runner = makeRunner({
    inputs: { run: c.run, 'openai-api-key': key, login: 'always', 'max-attempts': '3', 'retry-wait-seconds': '0' },
    env: { RELIABILITY_CODEX_MODE: 'hang' },
  });
  try {
    const { child, result } = startStep(entries().main, runner.env);
    const nodePid = child.pid!;
    let exited = false;
    void result.then(
      () => (exited = true),
      () => (exited = true),
    );
    // Wait until codex is running (with its own child): the moment a person would press Cancel.
    const ready = await waitFor(() => fs.readdirSync(runner.dumpDir).find((f) => f.startsWith('hang-ready-')), 20_000);
    expect(ready).toBeDefined();
    // bash, the shim, codex and its tool have started (a busy machine may take its time).
    await waitFor(() => processesOf(runner, nodePid).length >= 4, 10_000);
    const tree = processesOf(runner, nodePid);
    const treeText = tree.map((pid) => `${pid} ${commandLine(pid)}`);
    // bash, the shim, codex, codex's tool, and the script's own background job where there is one
    expect(tree.length).toBeGreaterThanOrEqual(4);

    const sentAt = Date.now();
    let escalated: string | null = null;
    if (c.how === 'runner') {
      child.kill('SIGINT');
      if (!(await waitFor(() => exited, SIGTERM_AFTER_MS))) {
        child.kill('SIGTERM');
        if (!(await waitFor(() => exited, SIGKILL_AFTER_MS - SIGTERM_AFTER_MS))) {
          escalated = 'node was still alive 10 s after SIGINT: the runner would SIGKILL it now';
          child.kill('SIGKILL');
        }
      }
    } else {
      child.kill('SIGTERM');
      if (!(await waitFor(() => exited, SIGKILL_AFTER_MS))) {
        escalated = 'node was still alive 10 s after SIGTERM';
        child.kill('SIGKILL');
      }
    }
    const step = readMain(runner, await result);
    const tookMs = Date.now() - sentAt;
    // Everything the step started is gone (a moment for the kernel to reap, longer on a busy machine).
    await waitFor(() => processesOf(runner).length === 0, 5000);
    const survivors = processesOf(runner).map((pid) => `${pid} ${commandLine(pid)}`);

    const problems: string[] = [];
    if (escalated) problems.push(escalated);
    if (survivors.length > 0)
      problems.push(`still running after node exited: ${survivors.join(' | ')} (tree was: ${treeText.join(' | ')})`);
    if (step.signal) problems.push(`node died of ${step.signal} instead of reporting the cancellation`);
    const errs = errors(step);
    if (!errs.some((e) => /cancel/i.test(`${e.properties.title} ${e.message}`)))
      problems.push(`no error annotation says the step was cancelled: ${JSON.stringify(errs)}`);
    if (errs.some((e) => !(e.properties.title ?? '').startsWith('codex-reauth')))
      problems.push('an error title does not start with codex-reauth');
    if (step.outputs['failure-kind'] !== 'cancelled') problems.push(`failure-kind is ${step.outputs['failure-kind']}, not cancelled`);
    if (hasStackTrace(step.stdout + step.stderr)) problems.push(`a stack trace in the output:\n${step.stdout}${step.stderr}`);

    // The post step still cleans up what main wrote.
    const post = await runPost(runner, step.state);
    if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}`);
    if (fs.existsSync(path.join(runner.home, '.codex', 'auth.json')))
      problems.push('auth.json (written from the secret) is still there after post');
    if (fs.readdirSync(runner.runnerTemp).length > 0)
      problems.push(`RUNNER_TEMP not empty after post: ${fs.readdirSync(runner.runnerTemp)}`);
    expect({ problems, tookMs: tookMs < SIGKILL_AFTER_MS }).toEqual({ problems: [], tookMs: true });
  } finally {
    cleanupRunner(runner);
  }
}

export function registerCancellationCases(rcase: RegisterCase): void {
  for (const c of CASES) rcase(`point 2: cancelled by ${c.name}`, () => cancel(c), 40_000);
}
