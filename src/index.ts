/**
 * Entry point for both `main` and `post` (action.yml runs this file twice): the main step saves the
 * `isPost` state, so the second run knows it is the post step, as actions/checkout does.
 */
import os from 'node:os';
import { actionCore } from './actions-toolkit.js';
import { run } from './main.js';
import { post } from './post.js';
import { STATE } from './state.js';

if (actionCore.getState(STATE.isPost) === 'true') {
  post(actionCore, { runnerTemp: process.env.RUNNER_TEMP || os.tmpdir() });
} else {
  await run();
}
