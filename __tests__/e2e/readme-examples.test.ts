// The README's workflow examples are tests. Every step in a ```yaml block of README.md that uses
// this action runs as written through the built dist/ (main, then post, as a runner runs it) around
// the REAL pinned codex, pointed at the loopback OpenAI stand-in from outside the example (the test
// wrapper's `-c` flags, the refresh endpoint and a refusing proxy in the environment; see
// test-support/real-codex.js): the `run` text is never edited. The
// secrets a step references are minted by the stand-ins. What the harness cannot provide fails the
// test by name instead of being skipped, so a new example either runs or says what it needs.
//
// The same examples are also checked statically against the pinned codex: every flag they give
// `codex exec` exists in its `--help`, and every one chooses a sandbox that works unattended.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { type GithubSecretsStandin, startGithubSecretsStandin } from '../../test-support/github-secrets-standin.js';
import { type Standin, startStandin } from '../../test-support/openai-standin.js';
import { prepareCodexHome, REAL_CODEX, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { type ActionRun, cleanup, findSecretLeaks, ROOT, runAction } from '../../test-support/run-action.js';
import { accessOnlyCopy } from '../../src/access-only.js';
import type { AuthJson } from '../../src/auth-json.js';

jest.setTimeout(90_000);

type Step = Record<string, unknown> & { uses?: string; run?: string; id?: string; with?: Record<string, unknown> };
type Job = Record<string, unknown> & { steps?: Step[]; 'runs-on'?: unknown };

interface Example {
  /** Where the step starts in README.md, for the test name and failure messages. */
  name: string;
  job: Job | null;
  step: Step;
  /** The steps before it in the same job. */
  before: Step[];
}

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ACTION = loadYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string }>;
  outputs: Record<string, unknown>;
};
/** `uses: <owner>/codex-reauth@<ref>`: any owner, so that a wrong owner is found too (see docs.test.ts). */
const USES_THIS_ACTION = /^[\w.-]+\/codex-reauth@\S+$/;

/** Every ```yaml block of a Markdown text, with the line it starts on. */
function yamlBlocks(markdown: string): Array<{ text: string; line: number }> {
  const blocks: Array<{ text: string; line: number }> = [];
  const fence = /^```ya?ml[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    blocks.push({ text: m[1], line: markdown.slice(0, m.index).split('\n').length + 1 });
  }
  return blocks;
}

/** Every step that uses this action, in a workflow, a job, or a bare list of steps. */
function examplesIn(markdown: string): Example[] {
  const found: Example[] = [];
  for (const block of yamlBlocks(markdown)) {
    const doc = loadYaml(block.text) as unknown;
    const visitSteps = (steps: Step[], job: Job | null) =>
      steps.forEach((step, i) => {
        if (typeof step?.uses === 'string' && USES_THIS_ACTION.test(step.uses)) {
          const line = block.line + block.text.split('\n').findIndex((l) => l.includes(step.uses as string));
          found.push({ name: `README.md line ${line}`, job, step, before: steps.slice(0, i) });
        }
      });
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        if (node.some((s) => typeof (s as Step)?.uses === 'string' || typeof (s as Step)?.run === 'string'))
          visitSteps(node as Step[], null);
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      const job = node as Job;
      if (Array.isArray(job.steps)) visitSteps(job.steps, job);
      else Object.values(job).forEach(walk);
    };
    walk(doc);
  }
  return found;
}

const EXAMPLES = examplesIn(README);

/** A keeper step (README: Many jobs, one ChatGPT login) runs no commands; it writes an access-only copy. */
const isKeeper = (example: Example): boolean => Boolean(example.step.with?.['access-only-secret']);
/** The secrets the README's keepers write their copies to: a step reading one gets an access-only copy. */
const ACCESS_ONLY_SECRETS = new Set(EXAMPLES.filter(isKeeper).map((e) => String(e.step.with?.['access-only-secret'])));
/** Every environment the examples name for a secret. */
const ENVIRONMENTS = [
  ...new Set(
    EXAMPLES.flatMap((e) => [e.step.with?.['auth-json-secret-environment'], e.step.with?.['access-only-secret-environment']]).filter(
      (v): v is string => typeof v === 'string' && v !== '',
    ),
  ),
];

/** The flags `codex exec --help` of the pinned codex lists. */
function codexExecFlags(): Set<string> {
  const help = spawnSync(process.execPath, [REAL_CODEX, 'exec', '--help'], { encoding: 'utf8' }).stdout ?? '';
  return new Set([...help.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean)));
}

/** Each `codex exec …` command in a script, split into words (quotes respected, enough for examples). */
function codexExecCommands(script: string): string[][] {
  const words = (line: string) => [...line.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((m) => m[0]);
  return script
    .split(/\n|&&|\|\||;/)
    .map((part) => words(part.trim()))
    .filter((w) => w[0] === 'codex' && w[1] === 'exec');
}

const SANDBOX_VALUES = ['read-only', 'workspace-write', 'danger-full-access'];
const USERNS_SYSCTL = /sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/;

describe('README examples against the pinned codex', () => {
  it('README.md has examples that use the action', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
  });

  it('install the codex the tests run (the version pinned in package.json)', () => {
    const pinned = PACKAGE.devDependencies['@openai/codex'];
    const installs = [...README.matchAll(/@openai\/codex@(\S+)/g)].map((m) => m[1]);
    expect(installs.length).toBeGreaterThan(0);
    for (const version of installs) expect(version).toBe(pinned);
  });

  it('give `codex exec` only flags it accepts, in the README and in action.yml', () => {
    const flags = codexExecFlags();
    expect(flags.has('--sandbox')).toBe(true); // the help text was read
    const scripts = [
      ...EXAMPLES.map((e) => ({ where: e.name, script: String(e.step.with?.run ?? '') })),
      ...Object.entries(ACTION.inputs).map(([name, input]) => ({
        where: `action.yml input ${name}`,
        script: [...input.description.matchAll(/`([^`]*codex exec[^`]*)`/g)].map((m) => m[1]).join('\n'),
      })),
    ];
    const unknown = scripts.flatMap(({ where, script }) =>
      codexExecCommands(script).flatMap((words) =>
        words.filter((w) => w.startsWith('-') && !flags.has(w.split('=')[0])).map((w) => `${where}: ${w}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it.each(EXAMPLES.map((e) => [e.name, e] as const))('%s chooses a sandbox that works unattended in CI', (_name, example) => {
    if (isKeeper(example)) {
      expect(example.step.with?.run).toBeUndefined(); // a keeper runs no commands (an input error otherwise)
      return;
    }
    const commands = codexExecCommands(String(example.step.with?.run ?? ''));
    expect(commands.length).toBeGreaterThan(0);
    for (const words of commands) {
      const i = words.findIndex((w) => w === '--sandbox' || w === '-s');
      const sandbox = i >= 0 ? words[i + 1] : words.includes('--dangerously-bypass-approvals-and-sandbox') ? 'danger-full-access' : null;
      // Without a choice, codex exec runs read-only: the agent could not edit anything.
      expect(sandbox === null ? `${words.join(' ')}: no --sandbox` : 'chosen').toBe('chosen');
      expect(SANDBOX_VALUES).toContain(sandbox);
      // GitHub's Ubuntu images restrict unprivileged user namespaces (AppArmor), which codex's Linux
      // sandbox (bubblewrap) needs: a sandboxed example on Ubuntu must lift that first.
      const ubuntu = /ubuntu/.test(String(example.job?.['runs-on'] ?? ''));
      if (ubuntu && sandbox !== 'danger-full-access') {
        const lifted = example.before.some((s) => USERNS_SYSCTL.test(String(s.run ?? '')));
        expect(
          lifted ? 'lifted' : `--sandbox ${sandbox} on ${example.job?.['runs-on']} needs a step running ${USERNS_SYSCTL.source} first`,
        ).toBe('lifted');
      }
    }
  });

  it.each(EXAMPLES.map((e) => [e.name, e] as const))('%s reads only outputs the action has', (_name, example) => {
    if (!example.step.id || !example.job) return;
    const text = JSON.stringify(example.job);
    const used = [...text.matchAll(new RegExp(`steps\\.${example.step.id}\\.outputs\\.([\\w-]+)`, 'g'))].map((m) => m[1]);
    for (const output of used) expect(Object.keys(ACTION.outputs)).toContain(output);
  });
});

describe('README examples run as written against the stand-ins', () => {
  let openai: Standin;
  let gh: GithubSecretsStandin;
  let bin: string;
  const runs: ActionRun[] = [];

  beforeAll(async () => {
    openai = await startStandin({ reply: 'All tests pass now.' });
    gh = await startGithubSecretsStandin({
      repository: 'example-org/example-repo',
      environments: ENVIRONMENTS,
      organization: 'example-org',
    });
    bin = realCodexBin();
  });
  afterAll(async () => {
    for (const r of runs) cleanup(r);
    fs.rmSync(bin, { recursive: true, force: true });
    await openai?.close();
    await gh?.close();
  });

  /** The value a runner would give `${{ expr }}` in `input` of this step, minted by the stand-ins. */
  function evaluate(expr: string, input: string, example: Example, given: string[]): string {
    const secret = /^secrets\.(\w+)$/.exec(expr);
    const mint: Record<string, () => string> = {
      'openai-api-key': () => openai.apiKey('accept'),
      'codex-auth-json': () => JSON.stringify(openai.chatgptAuth()),
      'codex-access-token': () => openai.accessToken(),
      'secrets-token': () => gh.token({ secrets: 'write', environments: 'write', kind: 'pat' }),
    };
    // A secret a keeper of the README writes: what that keeper would have stored there, an access-only copy.
    if (secret && input === 'codex-auth-json' && ACCESS_ONLY_SECRETS.has(secret[1])) {
      const full = openai.chatgptAuth({ accessExpiresIn: 9 * 24 * 3600 });
      return remember(accessOnlyCopy(full as unknown as AuthJson, full.tokens.account_id, new Date()), given);
    }
    if (secret && mint[input]) return remember(mint[input](), given);
    // A matrix value: the job's first combination.
    const matrix = /^matrix\.(\w+)$/.exec(expr);
    const values = matrix && (example.job?.strategy as { matrix?: Record<string, unknown> } | undefined)?.matrix?.[matrix[1]];
    if (Array.isArray(values) && values.length > 0) return String(values[0]);
    // A token from an earlier step, e.g. actions/create-github-app-token's `token` output.
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    const producer = output && example.before.find((s) => s.id === output[1]);
    if (producer && /^actions\/create-github-app-token@/.test(String(producer.uses)) && output?.[2] === 'token') {
      return remember(gh.token({ secrets: 'write', environments: 'write', organizationSecrets: 'write', kind: 'app' }), given);
    }
    throw new Error(
      `${example.name}: the test harness cannot provide \${{ ${expr} }} for '${input}'. ` +
        'Teach __tests__/e2e/readme-examples.test.ts (evaluate) where a runner would get it.',
    );
  }

  function remember(value: string, given: string[]): string {
    given.push(value);
    return value;
  }

  /** The step's `with:` as INPUT_* strings, expressions replaced. */
  function inputsOf(example: Example, given: string[]): Record<string, string> {
    const inputs: Record<string, string> = {};
    for (const [name, raw] of Object.entries(example.step.with ?? {})) {
      if (!(name in ACTION.inputs)) throw new Error(`${example.name}: '${name}' is not an input in action.yml.`);
      inputs[name] = String(raw).replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_all, expr: string) => evaluate(expr, name, example, given));
    }
    return inputs;
  }

  it.each(EXAMPLES.map((e) => [e.name, e] as const))('%s succeeds', async (_name, example) => {
    expect(example.step.env).toBeUndefined(); // step env is not evaluated yet: teach the harness first
    const given: string[] = [];
    const inputs = inputsOf(example, given);
    const codexHomeInput = inputs['codex-home'] ?? '';
    if (codexHomeInput && !codexHomeInput.startsWith('~/')) {
      throw new Error(`${example.name}: codex-home '${codexHomeInput}' is not one the harness can lay out yet.`);
    }
    // Write-back checks that the named secret exists and holds what was passed.
    if (inputs['auth-json-secret']) {
      gh.setSecret(inputs['auth-json-secret'], inputs['codex-auth-json'] ?? '', inputs['auth-json-secret-environment'] || null);
    }
    const r = await runAction({
      inputs: { 'retry-wait-seconds': '0', ...inputs },
      env: { ...realCodexEnv(bin, openai), ...gh.env() },
      prepare: ({ home, workspace }) => {
        // What actions/checkout and codex's own config would give: a git repository, and the
        // provider settings that point codex at the stand-in.
        spawnSync('git', ['init', '-q', workspace]);
        if (codexHomeInput) {
          const dir = path.join(home, codexHomeInput.slice(2));
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, 'config.toml'), openai.configToml());
        } else {
          prepareCodexHome(home, openai);
        }
      },
    });
    runs.push(r);
    const errors = r.main.commands.filter((c) => c.command === 'error');
    expect({ exitCode: r.main.exitCode, errors, stderr: r.main.exitCode === 0 ? '' : r.main.stderr.slice(-1500) }).toEqual({
      exitCode: 0,
      errors: [],
      stderr: '',
    });
    expect(r.main.outputs['failure-kind']).toBe('none');
    if (isKeeper(example)) {
      // The keeper refreshed the login (the minted one's access token has expired), saved it, and wrote the copy.
      expect(r.main.outputs).toMatchObject({ 'auth-json-secret-updated': 'true', 'access-only-secret-updated': 'true' });
      const where = inputs['access-only-secret-environment'] || null;
      const copy = JSON.parse(gh.secret(inputs['access-only-secret'], where) ?? '{}');
      expect(copy.tokens?.refresh_token).toBe('');
      expect(r.main.outputs['access-token-expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    } else {
      expect(r.main.stdout).toContain('All tests pass now.');
    }
    expect(r.post?.exitCode).toBe(0);
    expect(findSecretLeaks(r, [...given, ...openai.issued(), ...gh.issued()])).toEqual([]);
  });
});
