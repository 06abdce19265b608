/** The post step's entry point (action.yml `post`): cleanup only, never the main step. */
import { run } from './post.js';

await run();
