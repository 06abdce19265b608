// Preloaded into the action's node process by bench/run.mjs (`node --import`): on exit, writes the
// process's peak resident set size (KiB) to $MAX_RSS_FILE.
import fs from 'node:fs';

process.on('exit', () => {
  if (process.env.MAX_RSS_FILE) fs.writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
