// Preloaded into the action's node process by bench/run.mjs (`node --import`): on exit, writes the
// process's peak resident set size (KiB) and the CPU time it used (user and system, microseconds) to
// $MAX_RSS_FILE as JSON.
import fs from 'node:fs';

process.on('exit', () => {
  if (!process.env.MAX_RSS_FILE) return;
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  fs.writeFileSync(process.env.MAX_RSS_FILE, JSON.stringify({ maxRSS, userCPUTime, systemCPUTime }));
});
