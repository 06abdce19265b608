// Bounds for tests that wait on a process. Without one, a process that never ends (a runner that lost
// its SIGKILL escalation, a timeout never armed, a stand-in that never answers) shows up only as
// jest's "Exceeded timeout of N ms", which says nothing about what broke; with one, the test fails
// with the guarantee it was waiting on ("the action did not exit within 30 s after SIGTERM").
//
// The bounds are generous on purpose: they are about a process ending at all, not about speed, and
// they must hold on two cores shared with another test suite. Speed figures live in `npm run bench`.

/**
 * Resolves or rejects as `promise` does, unless `ms` pass first: then rejects with
 * `${what} within ${seconds} s` and `hint` after it (what is most likely broken).
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what what did not happen, e.g. 'the action did not exit'
 * @param {string} [hint]
 * @returns {Promise<T>}
 */
export function within(promise, ms, what, hint) {
  let timer;
  const bound = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${formatSeconds(ms)}${hint ? `: ${hint}` : ''}`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/** `30 s`, `2.5 s`. */
export function formatSeconds(ms) {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Room given on top of what a process is asked to take before a bound fires: spawning sh or node and
 * signalling a tree can take seconds on two cores shared with another suite.
 */
export const ROOM_MS = 15_000;
