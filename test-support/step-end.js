// How the tests wait for a step of the action (a node process running dist/) to end: with a bound.
// Past it the step is stopped the way the runner cancels one (SIGTERM, SIGKILL if it is still there
// later) and the wait fails naming the step and the bound, so a hang (a stand-in that never answers,
// an attempt whose timeout was never armed) fails the test that caused it, in well under a minute,
// instead of running into jest's own timeout with no word on what was being waited for.
import { formatSeconds } from './deadline.js';

/** Between the SIGTERM at the bound and the SIGKILL: the runner's own 7.5 s, and some room. */
export const SIGKILL_AFTER_MS = 10_000;
/** Once the step exited, how long its output may take to drain (a leftover grandchild can hold the pipes). */
const DRAIN_MS = 5000;

/**
 * Settles when `child` has ended: resolves with its exit code and signal, or rejects with
 * "`label` did not exit within N s" (and whether SIGTERM ended it), with `overran: true`, when it
 * ran past `boundMs`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} boundMs
 * @param {string} label e.g. "the action's main step"
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null }>}
 */
export function stepEnd(child, boundMs, label) {
  return new Promise((resolve, reject) => {
    let overran = false;
    let termSentAt = 0;
    let killTimer;
    let drainTimer;
    const timer = setTimeout(() => {
      overran = true;
      termSentAt = Date.now();
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), SIGKILL_AFTER_MS);
    }, boundMs);
    let settled = false;
    const settle = (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      if (!overran) return resolve({ code, signal });
      const after =
        signal === 'SIGKILL'
          ? `nor within ${formatSeconds(SIGKILL_AFTER_MS)} after SIGTERM (SIGKILLed)`
          : `(stopped by SIGTERM ${formatSeconds(Date.now() - termSentAt)} later)`;
      reject(Object.assign(new Error(`${label} did not exit within ${formatSeconds(boundMs)} ${after}`), { overran: true }));
    };
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle(code, signal);
      }, DRAIN_MS);
    });
    child.on('close', settle);
  });
}
