/**
 * Entry point for both `main` and `post` (action.yml runs this file twice): the main step saves the
 * `isPost` state, so the second run knows it is the post step, as actions/checkout does.
 */
import { actionCore } from './actions-toolkit.js';
import { run as runMain } from './main.js';
import { run as runPost } from './post.js';
import { STATE } from './state.js';

await (actionCore.getState(STATE.isPost) === 'true' ? runPost() : runMain());
