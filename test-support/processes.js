// Process checks for tests: is a pid still running? A zombie is dead, it is only waiting to be
// reaped, and in containers whose PID 1 does not reap orphans, zombies linger.
import fs from 'node:fs';

/** True while `pid` is a running (not zombie) process. */
export function isRunning(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all we have
  }
}

/** Pids of running processes whose command line or environment contains `needle` (Linux /proc). */
export function runningWith(needle) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      let environ = '';
      try {
        environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      } catch {
        // not ours to read
      }
      if ((cmd.includes(needle) || environ.includes(needle)) && isRunning(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
