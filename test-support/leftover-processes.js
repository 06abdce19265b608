// Finds and kills the processes a test file left running. Used by process-guard-environment.js after
// each test file. Two ways in, because either alone misses some: the processes below the jest worker
// (so a plain `spawn` in a test counts, whatever environment it was given), and the processes that
// carry the file's marker in their environment (so one that escaped the tree, by `setsid` and a
// double fork, or whose parent died and left it to PID 1, is still found).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Set in the jest worker's environment while a test file runs; every child inherits it. */
export const FILE_MARKER_VAR = 'CODEX_REAUTH_TEST_FILE';

/**
 * Every process as { pid, ppid, pgid, zombie, command, environ } (Linux /proc; elsewhere `ps`, with
 * no environment). `environ` is '' where it cannot be read (another user's process).
 * @returns {Array<{ pid: number, ppid: number, pgid: number, zombie: boolean, command: string, environ: string }>}
 */
export function readProcessTable() {
  if (process.platform !== 'linux') return readPsTable();
  const table = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // `pid (comm) state ppid pgrp …`: comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let command = '';
      let environ = '';
      try {
        command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
        environ = readEnviron(entry);
      } catch {
        // not ours to read
      }
      if (!command) command = `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
      table.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), zombie: state === 'Z' || state === 'X', command, environ });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/**
 * A process's environment. It reads as empty for an instant while the process is in execve (a
 * daemon started by `setsid` at the very end of a test was missed so): a few quick re-reads then.
 */
function readEnviron(pid) {
  let environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  for (let i = 0; i < 5 && environ === ''; i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  }
  return environ;
}

function readPsTable() {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,command='], { encoding: 'utf8' });
  const table = [];
  for (const line of (ps.stdout ?? '').split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    // The guard's own `ps` is no leftover.
    if (!m || Number(m[1]) === ps.pid) continue;
    table.push({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), zombie: m[4].startsWith('Z'), command: m[5], environ: '' });
  }
  return table;
}

/**
 * The live processes in `table` that belong to a test file: below `rootPid` (the jest worker), or
 * carrying `marker` (`NAME=value`) in their environment. Zombies are dead already; `rootPid` and the
 * processes above it are never leftovers (in band, the root is jest itself).
 * @param {ReturnType<typeof readProcessTable>} table
 * @param {number} rootPid
 * @param {string} marker
 */
export function leftoversIn(table, rootPid, marker) {
  const children = new Map();
  for (const p of table) if (p.pid !== p.ppid) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const above = new Set();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  for (let p = byPid.get(rootPid); p && !above.has(p.pid); p = byPid.get(p.ppid)) above.add(p.pid);
  const found = new Map();
  for (let queue = children.get(rootPid) ?? []; queue.length > 0;) {
    const next = [];
    for (const p of queue) {
      if (found.has(p.pid) || above.has(p.pid)) continue;
      found.set(p.pid, p);
      next.push(...(children.get(p.pid) ?? []));
    }
    queue = next;
  }
  const needle = `${marker}\0`;
  for (const p of table) {
    if (!above.has(p.pid) && (p.environ.includes(needle) || p.environ.endsWith(marker))) found.set(p.pid, p);
  }
  return [...found.values()].filter((p) => !p.zombie).sort((a, b) => a.pid - b.pid);
}

/**
 * SIGKILLs each process's group (when it leads a group other than the worker's: a plain spawn shares
 * jest's group, and signalling that would end jest), then the process itself. SIGKILL at once: a
 * leftover is already a failure, and SIGTERM is what a hanging fake codex ignores.
 * @param {ReturnType<typeof leftoversIn>} processes
 * @param {number} ownGroup the guard's own process group, never signalled
 * @param {(pid: number, signal: string) => void} [kill]
 */
export function killLeftovers(processes, ownGroup, kill = (pid, signal) => process.kill(pid, signal)) {
  for (const p of processes) {
    if (p.pgid === p.pid && p.pgid !== ownGroup && p.pgid > 1) {
      try {
        kill(-p.pgid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    }
    try {
      kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** The processes for the failure message, on one line: pid and command line (cut, never a whole script). */
export function describeLeftovers(processes) {
  return processes
    .map((p) => {
      const command = p.command.length > 200 ? `${p.command.slice(0, 200)}…` : p.command;
      return `pid ${p.pid} (parent ${p.ppid}) \`${command}\``;
    })
    .join('; ');
}

/** This process's own process group (Linux /proc; elsewhere `ps`). */
export function ownProcessGroup() {
  try {
    const stat = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    const ps = spawnSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], { encoding: 'utf8' });
    return Number((ps.stdout ?? '').trim()) || -1;
  }
}
