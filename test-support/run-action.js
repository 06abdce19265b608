// Runs the built action (dist/index.js) the way a GitHub runner does: inputs as INPUT_* with the
// defaults from action.yml, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, RUNNER_TEMP,
// a temporary HOME; then the post step with the main step's state as STATE_*. Used by the
// integration and end-to-end tests, `npm run demo` and `npm run bench`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';
import { stepEnd } from './step-end.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist', 'index.js');

/** The entry points action.yml declares: `runs.main` and `runs.post`, as absolute paths. */
export function actionEntries() {
  const action = loadYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  return { main: path.join(ROOT, action.runs.main), post: path.join(ROOT, action.runs.post) };
}

/** The inputs action.yml declares, with their defaults. */
export function actionDefaults() {
  const action = loadYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  return Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? '']));
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (`name<<delimiter` blocks and `name=value` lines). */
export function parseCommandFile(file) {
  const result = {};
  if (!fs.existsSync(file)) return result;
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]);
      result[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      result[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return result;
}

const unescapeData = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProp = (s) => unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');

/** Workflow commands (`::error title=…::message`) found in a step's stdout. */
export function parseWorkflowCommands(stdout) {
  const commands = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties = {};
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const at = pair.indexOf('=');
      properties[pair.slice(0, at)] = unescapeProp(pair.slice(at + 1));
    }
    commands.push({ command: m[1], properties, message: unescapeData(m[3]) });
  }
  return commands;
}

/**
 * How long a step may run in tests before it is stopped and the run fails naming it: far above what
 * any step here takes (a second or two; ~16 s for the longest, a save retried with back-off), and
 * below the jest timeouts of the files that run the action (60 s and more).
 */
export const STEP_BOUND_MS = 45_000;

/**
 * Runs one entry point (a path to a bundle) as the runner runs it; resolves with its output. Past
 * `timeoutMs` the step gets SIGTERM (then SIGKILL) and the promise rejects naming `label` and the bound.
 */
export function runNode(entry, env, timeoutMs, onOutput, label = `the action's step ${path.basename(entry)}`) {
  const started = Date.now();
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    onOutput?.(String(d), 'stdout');
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    onOutput?.(String(d), 'stderr');
  });
  return stepEnd(child, timeoutMs, label).then(
    ({ code }) => ({ exitCode: code, stdout, stderr, durationMs: Date.now() - started }),
    (error) => {
      error.message += `; the end of what it printed:\n${`${stdout}${stderr}`.slice(-3000)}`;
      throw error;
    },
  );
}

/**
 * Lays out what a runner gives a step: a temporary HOME, RUNNER_TEMP, workspace, the command files,
 * and the environment with INPUT_* (action.yml's defaults overridden by `inputs`).
 * @param {{ inputs?: Record<string,string>, env?: Record<string,string>, home?: string,
 *           prepare?: (dirs: { home: string, runnerTemp: string, workspace: string, base: string }) => void }} options
 */
export function prepareRunner(options = {}) {
  // Read action.yml first: nothing is made if it cannot be read.
  const inputs = { ...actionDefaults(), ...(options.inputs ?? {}) };
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-reauth-runner-'));
  const home = options.home ?? path.join(base, 'home');
  const runnerTemp = path.join(base, 'runner-temp');
  const workspace = path.join(base, 'workspace');
  for (const dir of [home, runnerTemp, workspace]) fs.mkdirSync(dir, { recursive: true });
  options.prepare?.({ home, runnerTemp, workspace, base });
  const files = {
    output: path.join(base, 'github-output'),
    state: path.join(base, 'github-state'),
    summary: path.join(base, 'step-summary.md'),
  };
  for (const file of Object.values(files)) fs.writeFileSync(file, '');

  const mainEnv = {
    PATH: process.env.PATH,
    HOME: home,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    ...(options.env ?? {}),
  };
  for (const [name, value] of Object.entries(inputs)) mainEnv[`INPUT_${name.toUpperCase()}`] = value;
  return { base, home, runnerTemp, workspace, files, mainEnv };
}

/**
 * Runs main, then post. `inputs` override action.yml's defaults; `env` is added to a minimal runner
 * environment (PATH, HOME, RUNNER_TEMP, GITHUB_WORKSPACE). Returns both steps' results and the files.
 * @param {{ inputs?: Record<string,string>, env?: Record<string,string>, home?: string, timeoutMs?: number,
 *           onOutput?: (text: string, stream: string) => void, skipPost?: boolean, entries?: { main: string, post: string },
 *           prepare?: (dirs: { home: string, runnerTemp: string, workspace: string, base: string }) => void }} options
 */
export async function runAction(options = {}) {
  // Once one step has hung, the next runs of the same file would most likely each wait out the same
  // bound (a stand-in that never answers hangs them all): fail them at once, naming the first hang.
  if (firstHang)
    throw new Error(`not run: earlier in this test file, ${firstHang}; each further run would most likely wait out the same bound`);
  const runner = prepareRunner(options);
  try {
    return await runMainThenPost(runner, options);
  } catch (error) {
    if (error.overran && !firstHang) firstHang = error.message.split('; the end of what it printed')[0];
    fs.rmSync(runner.base, { recursive: true, force: true });
    throw error;
  }
}

/** The first step that ran past its bound (jest loads this module afresh for each test file). */
let firstHang = null;

async function runMainThenPost({ base, home, runnerTemp, workspace, files, mainEnv }, options) {
  const timeoutMs = options.timeoutMs ?? STEP_BOUND_MS;
  // Another build of the action (e.g. a copy of dist/) when given; action.yml's entry points otherwise.
  const entries = options.entries ?? actionEntries();
  const main = await runNode(entries.main, mainEnv, timeoutMs, options.onOutput, "the action's main step");
  main.outputs = parseCommandFile(files.output);
  main.commands = parseWorkflowCommands(main.stdout);
  main.summary = fs.readFileSync(files.summary, 'utf8');
  const state = parseCommandFile(files.state);

  let post = null;
  if (!options.skipPost) {
    const postEnv = { ...mainEnv };
    for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value;
    post = await runNode(entries.post, postEnv, timeoutMs, options.onOutput, "the action's post step");
    post.commands = parseWorkflowCommands(post.stdout);
  }
  return { main, post, state, home, runnerTemp, workspace, base, files };
}

/** Every file under `dir` (recursively, not following symlinks) with its text. */
export function readTree(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) found.push({ path: p, text: fs.readFileSync(p, 'latin1') });
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}

/** Where any of `secrets` appears: in the steps' output, outputs, summary, or any file left under `base`. */
export function findSecretLeaks(run, secrets) {
  const leaks = [];
  const places = [
    ['main stdout (unmasked by us)', stripMaskCommands(run.main.stdout)],
    ['main stderr', run.main.stderr],
    ['outputs', JSON.stringify(run.main.outputs)],
    ['summary', run.main.summary],
    ['state', JSON.stringify(run.state)],
  ];
  if (run.post) places.push(['post stdout (unmasked by us)', stripMaskCommands(run.post.stdout)], ['post stderr', run.post.stderr]);
  for (const file of readTree(run.base)) places.push([`file ${path.relative(run.base, file.path)}`, file.text]);
  for (const secret of secrets) {
    for (const [where, text] of places) if (text.includes(secret)) leaks.push({ where, secret: `${secret.slice(0, 4)}…` });
  }
  return leaks;
}

/**
 * `::add-mask::` lines are how the runner learns secrets; the runner never prints them. Every other
 * line of a step's stdout would reach the log, so only these are taken out before looking for leaks.
 */
export function stripMaskCommands(stdout) {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** Removes what runAction made. */
export function cleanup(run) {
  fs.rmSync(run.base, { recursive: true, force: true });
}
