#!/usr/bin/env node
// The `codex` the reliability suite puts on PATH: it records what it was given, does what real codex
// does with its environment, and can misbehave on request; then it behaves as test-support/fake-codex.js.
//
// - Every invocation writes `$RELIABILITY_DUMP/codex-<pid>.json` ({ pid, ppid, argv, env }): proof of
//   whether codex ran at all, and of exactly which environment reached it.
// - Like codex 0.169, `exec` copies its whole environment into `$CODEX_HOME/shell_snapshots/` (see
//   /work/shared/codex-facts.md): a secret in codex's environment is then left on disk, as it would be.
// - RELIABILITY_CODEX_MODE:
//     hang                     `exec` starts a grandchild (`sleep`, as an agent's tool would) and never ends
//     signal:<SIG>             `exec` kills itself with that signal (the OOM killer's SIGKILL)
//     kill-main-after-login    after `login` wrote auth.json, SIGKILL the action's main process (the
//                              ancestor running $RELIABILITY_MAIN_ENTRY): a step killed right after signing in
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const words = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '-c' || argv[i] === '--config') i++;
  else words.push(argv[i]);
}
const command = words[0] ?? '';
const dump = process.env.RELIABILITY_DUMP;
if (dump) {
  fs.writeFileSync(
    path.join(dump, `codex-${process.pid}.json`),
    JSON.stringify({ pid: process.pid, ppid: process.ppid, argv, command, env: process.env }),
  );
}

const home = process.env.CODEX_HOME;
if (command === 'exec' && home && fs.existsSync(home)) {
  const dir = path.join(home, 'shell_snapshots');
  fs.mkdirSync(dir, { recursive: true });
  const lines = Object.entries(process.env).map(([k, v]) => `declare -x ${k}=${JSON.stringify(v)}`);
  fs.writeFileSync(path.join(dir, `snapshot-${process.pid}.sh`), `${lines.join('\n')}\n`);
}

const mode = process.env.RELIABILITY_CODEX_MODE ?? '';
if (command === 'exec' && mode === 'hang') {
  process.stderr.write('OpenAI Codex v0.169.0\n--------\nworking on it...\n');
  const tool = spawn('sleep', ['600'], { stdio: 'ignore' });
  if (dump) fs.writeFileSync(path.join(dump, `hang-ready-${process.pid}`), String(tool.pid));
  setInterval(() => {}, 1000);
} else if (command === 'exec' && mode.startsWith('signal:')) {
  process.stderr.write('OpenAI Codex v0.169.0\n');
  process.kill(process.pid, mode.slice('signal:'.length));
  setInterval(() => {}, 1000); // in case the signal is not deadly
} else {
  if (command === 'login' && mode === 'kill-main-after-login') {
    process.on('exit', () => {
      const entry = process.env.RELIABILITY_MAIN_ENTRY ?? '';
      for (let pid = process.ppid; pid > 1;) {
        let stat;
        try {
          if (entry && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(entry)) {
            process.kill(pid, 'SIGKILL');
            return;
          }
          stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        } catch {
          return;
        }
        pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      }
    });
  }
  await import('../fake-codex.js');
}
