/**
 * The main step's entry point (action.yml `main`). The post step has its own entry
 * (src/post-entry.ts), so a post step can never run the user's script, whatever state is missing.
 *
 * Cancelling a run makes the runner send SIGINT to this process, then SIGTERM 7.5 s later; it does not
 * kill our children if we exit first. So both signals stop the current attempt's whole process tree,
 * and the step then reports that it was cancelled and exits (the post step still cleans up).
 */
import { defaultMainDependencies } from './actions-toolkit.js';
import { run } from './main.js';

const cancel = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!cancel.signal.aborted) cancel.abort(signal);
  });
}
await run({ ...defaultMainDependencies(), cancelSignal: cancel.signal });
