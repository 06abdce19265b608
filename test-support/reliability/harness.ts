/**
 * The reliability suite's runner: runs the BUILT action (action.yml's `runs.main` and `runs.post`)
 * the way a GitHub runner does (test-support/run-action.js lays out INPUT_*, GITHUB_OUTPUT / STATE /
 * STEP_SUMMARY, RUNNER_TEMP, a temporary HOME), with test-support/reliability/codex.js as `codex`, and
 * gives the checks every case shares: where secrets went, which processes are still alive, whether a
 * file changed, whether a stack trace reached the log.
 *
 * RELIABILITY_ACTION_ROOT=<folder> runs another build (a folder holding action.yml and dist/), e.g. the
 * last commit's, to see which cases it fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { isRunning } from '../processes.js';
import { parseCommandFile, parseWorkflowCommands, prepareRunner, ROOT } from '../run-action.js';
import { stepEnd } from '../step-end.js';

export const ACTION_ROOT = path.resolve(process.env.RELIABILITY_ACTION_ROOT || ROOT);
const CODEX_STAND_IN = path.join(ROOT, 'test-support', 'reliability', 'codex.js');

/** The runner's own variables that only actions receive; a `run:` step never sees them. */
export const RUNNER_INTERNALS = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RUNTIME_URL',
] as const;

/** The entry points action.yml declares, as absolute paths. */
export function entries(): { main: string; post: string } {
  const action = loadYaml(fs.readFileSync(path.join(ACTION_ROOT, 'action.yml'), 'utf8')) as { runs: { main: string; post?: string } };
  return { main: path.join(ACTION_ROOT, action.runs.main), post: path.join(ACTION_ROOT, action.runs.post ?? action.runs.main) };
}

/** A short random tag: every case's secrets are its own, so a leak names the case it came from. */
export const tag = (): string => randomBytes(5).toString('hex');

/** PATH without anything that holds a codex (npm test puts node_modules/.bin, with the real codex, first). */
export function cleanPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !dir.includes(`node_modules${path.sep}.bin`) && !fs.existsSync(path.join(dir, 'codex')))
    .join(path.delimiter);
}

export interface Command {
  command: string;
  properties: Record<string, string>;
  message: string;
}
export interface Step {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  commands: Command[];
  durationMs: number;
}
export interface MainStep extends Step {
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
}

export interface Runner {
  id: string;
  base: string;
  home: string;
  runnerTemp: string;
  workspace: string;
  /** Outside every folder the action may touch: the stand-in's records. */
  dumpDir: string;
  binDir: string;
  files: { output: string; state: string; summary: string };
  env: Record<string, string>;
  /** Marks every process of this run (an ordinary variable, which a `run:` step would have too). */
  marker: string;
}

export interface RunnerOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** A HOME shared with other runs; default a fresh one. */
  home?: string;
  /** false: no codex anywhere on PATH. */
  codex?: boolean;
  prepare?: (dirs: { home: string; runnerTemp: string; workspace: string; base: string }) => void;
}

/** Lays out a runner; nothing runs yet. */
export function makeRunner(options: RunnerOptions = {}): Runner {
  const id = tag();
  const marker = `reliability-${id}`;
  let dumpDir = '';
  let binDir = '';
  const prepared = prepareRunner({
    inputs: options.inputs,
    home: options.home,
    prepare: (dirs) => {
      dumpDir = path.join(dirs.base, 'dumps');
      binDir = path.join(dirs.base, 'bin');
      fs.mkdirSync(dumpDir);
      fs.mkdirSync(binDir);
      if (options.codex !== false) {
        fs.writeFileSync(path.join(binDir, 'codex'), `#!/bin/sh\nexec '${process.execPath}' '${CODEX_STAND_IN}' "$@"\n`, { mode: 0o755 });
      }
      options.prepare?.(dirs);
    },
  });
  const env: Record<string, string> = {
    ...prepared.mainEnv,
    PATH: `${binDir}${path.delimiter}${cleanPath()}`,
    RELIABILITY_DUMP: dumpDir,
    RELIABILITY_MARK: marker,
    RELIABILITY_MAIN_ENTRY: entries().main,
    FAKE_CODEX_LOG: path.join(dumpDir, 'fake-codex.log'),
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return {
    id,
    base: prepared.base,
    home: prepared.home,
    runnerTemp: prepared.runnerTemp,
    workspace: prepared.workspace,
    dumpDir,
    binDir,
    files: prepared.files,
    env,
    marker,
  };
}

/** Sets an input after the runner is laid out (for values that name the runner's own folders). */
export function setInput(runner: Runner, name: string, value: string): void {
  runner.env[`INPUT_${name.toUpperCase()}`] = value;
}

/**
 * How long a step may run before it is stopped (SIGTERM, then SIGKILL) and its case fails naming the
 * step: far above the second or two a step takes here, below the cases' own jest timeouts (40 s and more).
 */
export const STEP_BOUND_MS = 30_000;

/** Starts one entry point as the runner does (node, stdin closed); `result` settles when it exits. */
export function startStep(
  entry: string,
  env: Record<string, string>,
  timeoutMs = STEP_BOUND_MS,
): { child: ChildProcess; result: Promise<Step> } {
  const started = Date.now();
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const label = `the action's ${entry === entries().post ? 'post' : 'main'} step`;
  const result = stepEnd(child, timeoutMs, label).then(
    ({ code, signal }) => ({
      exitCode: code,
      signal,
      stdout,
      stderr,
      commands: parseWorkflowCommands(stdout),
      durationMs: Date.now() - started,
    }),
    (error: Error) => {
      error.message += `; the end of what it printed:\n${`${stdout}${stderr}`.slice(-3000)}`;
      throw error;
    },
  );
  return { child, result };
}

/** What the main step left: outputs, summary, state (as the runner reads them after the step). */
export function readMain(runner: Runner, step: Step): MainStep {
  let summary = '';
  try {
    summary = fs.readFileSync(runner.files.summary, 'utf8');
  } catch {
    summary = '';
  }
  return { ...step, outputs: parseCommandFile(runner.files.output), summary, state: parseCommandFile(runner.files.state) };
}

export async function runMain(runner: Runner, timeoutMs?: number): Promise<MainStep> {
  return readMain(runner, await startStep(entries().main, runner.env, timeoutMs).result);
}

/** The post step, given the main step's state as STATE_* (as the runner does), or none at all. */
export async function runPost(runner: Runner, state: Record<string, string>): Promise<Step> {
  const env = { ...runner.env };
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  return startStep(entries().post, env).result;
}

export async function runMainAndPost(runner: Runner): Promise<{ main: MainStep; post: Step }> {
  const main = await runMain(runner);
  const post = await runPost(runner, main.state);
  return { main, post };
}

export interface CodexCall {
  pid: number;
  ppid: number;
  argv: string[];
  command: string;
  env: Record<string, string>;
}

/** Every codex invocation of this run, as the stand-in recorded it. */
export function codexCalls(runner: Runner): CodexCall[] {
  return fs
    .readdirSync(runner.dumpDir)
    .filter((f) => /^codex-\d+\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(runner.dumpDir, f), 'utf8')) as CodexCall);
}

/** Every file under `dir` (not following symlinks below it), with its bytes. */
export function filesUnder(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) found.set(p, fs.readFileSync(p));
    }
  };
  walk(dir);
  return found;
}

/** Files under `dirs` (minus `except`) that hold any of `secrets`: `path: secret…`. */
export function secretsInFiles(dirs: string[], secrets: string[], except: Iterable<string> = []): string[] {
  const skip = new Set(except);
  const leaks: string[] = [];
  for (const dir of dirs) {
    for (const [file, bytes] of filesUnder(dir)) {
      if (skip.has(file)) continue;
      const text = bytes.toString('latin1');
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${file}: ${secret.slice(0, 10)}…`);
    }
  }
  return [...new Set(leaks)];
}

/** Where any of `secrets` appears in what the steps printed or left for the runner. */
export function secretsInSteps(main: MainStep, post: Step | null, secrets: string[]): string[] {
  const places: Array<[string, string]> = [
    // `::add-mask::` lines are how the runner learns secrets; it never prints them.
    [
      'main stdout',
      main.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ],
    ['main stderr', main.stderr],
    ['outputs', JSON.stringify(main.outputs)],
    ['summary', main.summary],
    ['state', JSON.stringify(main.state)],
  ];
  if (post) places.push(['post stdout', post.stdout], ['post stderr', post.stderr]);
  const leaks: string[] = [];
  for (const secret of secrets)
    for (const [where, text] of places) if (text.includes(secret)) leaks.push(`${where}: ${secret.slice(0, 10)}…`);
  return leaks;
}

/** A Node stack frame (`    at fn (/path/file.js:1:2)`) anywhere in `text`. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at (?:async )?(?:.+ \()?(?:file:\/\/|node:|\/)[^\n]*:\d+(?::\d+)?\)?\s*$/m.test(text);
}

/** The error annotations of a step. */
export const errors = (step: Step): Command[] => step.commands.filter((c) => c.command === 'error');
export const warnings = (step: Step): Command[] => step.commands.filter((c) => c.command === 'warning');

/** Running processes (not zombies) of this run: every process whose environment carries its marker. */
export function processesOf(runner: Runner, exceptPid?: number): number[] {
  const needle = `RELIABILITY_MARK=${runner.marker}`;
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || pid === exceptPid) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle) && isRunning(pid)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** A process's command line, for messages. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it returns something truthy or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T, timeoutMs: number): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) return undefined;
    await sleep(50);
  }
}

/** Kills (SIGKILL, by pid) whatever this run left running, and removes its folders. */
export function cleanupRunner(runner: Runner): void {
  for (const pid of processesOf(runner)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  fs.rmSync(runner.base, { recursive: true, force: true });
}

/** A ChatGPT-login auth.json whose refresh token is `refresh` (fake-codex.js decides by its words). */
export function chatgptAuth(refresh: string, access = `acc-${refresh}`): string {
  return JSON.stringify({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: 'eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.', access_token: access, refresh_token: refresh, account_id: 'acct' },
    last_refresh: '2026-11-20T00:00:00Z',
  });
}

/** User files that were on the runner before the step: codex-home's and the legacy credentials. */
export function plantUserFiles(home: string, codexHome = path.join(home, '.codex')): Map<string, Buffer> {
  fs.mkdirSync(path.join(codexHome, 'sessions', '2026', '11'), { recursive: true });
  fs.mkdirSync(path.join(home, '.config', 'codex'), { recursive: true });
  fs.writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-good-users-own-cached' }), {
    mode: 0o600,
  });
  fs.writeFileSync(path.join(codexHome, 'config.toml'), 'model = "gpt-5-codex"\n');
  fs.writeFileSync(path.join(codexHome, 'sessions', '2026', '11', 'rollout.jsonl'), '{"type":"session"}\n');
  fs.writeFileSync(path.join(home, '.config', 'codex', 'auth.json'), chatgptAuth('rt-legacy-users-own'));
  return new Map([...filesUnder(codexHome), ...filesUnder(path.join(home, '.config'))]);
}

/** The files in `before` that are gone or changed. */
export function changedFiles(before: Map<string, Buffer>): string[] {
  const changed: string[] = [];
  for (const [file, bytes] of before) {
    let now: Buffer | null = null;
    try {
      now = fs.readFileSync(file);
    } catch {
      now = null;
    }
    if (!now || !now.equals(bytes)) changed.push(file);
  }
  return changed;
}
