// Points 3, 5, 6 and 8 with the built action: failed credential writes, a post step with no state,
// faults of the runner and of codex, and what may be deleted when.
import { expect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  chatgptAuth,
  cleanupRunner,
  codexCalls,
  entries,
  errors,
  hasStackTrace,
  makeRunner,
  readMain,
  runMainAndPost,
  runPost,
  type Runner,
  secretsInFiles,
  secretsInSteps,
  startStep,
  type Step,
  tag,
  warnings,
} from '../../test-support/reliability/harness.js';
import type { RegisterCase } from './register.js';

const AUTH_KINDS = [
  'refresh-token-expired',
  'refresh-token-reused',
  'refresh-token-revoked',
  'refresh-failed',
  'api-key-invalid',
  'unauthorized',
  'not-logged-in',
  'permission-denied',
];

const annotationText = (step: Step, command: 'error' | 'warning'): string =>
  step.commands
    .filter((c) => c.command === command)
    .map((c) => `${c.properties.title ?? ''}: ${c.message}`)
    .join('\n');

/** Every step's output is free of stack traces; every error title starts with the action's name. */
function cleanExit(...steps: Step[]): string[] {
  const problems: string[] = [];
  for (const step of steps) {
    const text = step.stdout + step.stderr;
    if (hasStackTrace(text)) problems.push(`a stack trace in the output:\n${text}`);
    for (const e of errors(step))
      if (!(e.properties.title ?? '').startsWith('codex-reauth')) problems.push(`error title '${e.properties.title}'`);
  }
  return problems;
}

async function withRunner(runner: Runner, body: (runner: Runner) => Promise<void>): Promise<void> {
  try {
    await body(runner);
  } finally {
    cleanupRunner(runner);
  }
}

export function registerFaultCases(rcase: RegisterCase): void {
  // ---- Point 3: a failed credential write leaves nothing ----
  rcase(
    'point 3: auth.json is a folder: writing codex-auth-json fails, no temp file with a secret is left, the action says so and goes on to openai-api-key',
    async () => {
      const t = tag();
      const key = `sk-good-folder-${t}`;
      const auth = chatgptAuth(`rt-good-folder-${t}`);
      const runner = makeRunner({
        inputs: { run: 'codex exec "x"', 'openai-api-key': key, 'codex-auth-json': auth, login: 'always' },
        prepare: (d) => fs.mkdirSync(path.join(d.home, '.codex', 'auth.json'), { recursive: true }),
      });
      await withRunner(runner, async () => {
        const { main, post } = await runMainAndPost(runner);
        const codexHome = path.join(runner.home, '.codex');
        const secrets = [key, auth, `rt-good-folder-${t}`, `acc-rt-good-folder-${t}`];
        const problems: string[] = [];
        const leaks = secretsInFiles([runner.home, runner.runnerTemp, runner.workspace], secrets);
        if (leaks.length > 0) problems.push(`secrets left on disk: ${leaks.join('; ')}`);
        const leftovers = fs.readdirSync(codexHome).filter((f) => f !== 'auth.json');
        if (leftovers.length > 0) problems.push(`files left beside the auth.json folder: ${leftovers.join(', ')}`);
        if (!fs.statSync(path.join(codexHome, 'auth.json')).isDirectory()) problems.push('the auth.json folder was removed');
        const said = `${annotationText(main, 'error')}\n${annotationText(main, 'warning')}\n${main.stdout}`;
        if (!/codex-auth-json/.test(said)) problems.push('nothing says that writing codex-auth-json failed');
        if (!codexCalls(runner).some((c) => c.command === 'login')) problems.push('did not go on to openai-api-key (no codex login)');
        if (main.exitCode !== 0 && errors(main).length !== 1) problems.push(`${errors(main).length} error annotations for a failed step`);
        const printed = secretsInSteps(main, post, secrets);
        if (printed.length > 0) problems.push(`secrets printed: ${printed.join('; ')}`);
        expect(problems).toEqual([]);
      });
    },
  );

  rcase('point 3: main killed right after signing in: the post step still removes the auth.json main wrote', async () => {
    const t = tag();
    const key = `sk-good-killed-${t}`;
    const runner = makeRunner({
      inputs: { run: 'touch "$RELIABILITY_DUMP/script-ran"\ncodex exec "x"', 'openai-api-key': key, login: 'always' },
      env: { RELIABILITY_CODEX_MODE: 'kill-main-after-login' },
      prepare: (d) => {
        fs.mkdirSync(path.join(d.home, '.codex'));
        fs.writeFileSync(path.join(d.home, '.codex', 'config.toml'), 'model = "x"\n');
      },
    });
    await withRunner(runner, async () => {
      const main = readMain(runner, await startStep(entries().main, runner.env).result);
      const authFile = path.join(runner.home, '.codex', 'auth.json');
      // The stand-in killed main after `codex login` wrote auth.json, before the script ran.
      expect(main.signal).toBe('SIGKILL');
      expect(fs.existsSync(authFile)).toBe(true);
      expect(fs.existsSync(path.join(runner.dumpDir, 'script-ran'))).toBe(false);
      const post = await runPost(runner, main.state);
      expect(post.exitCode).toBe(0);
      expect(fs.existsSync(authFile)).toBe(false);
      expect(fs.readFileSync(path.join(runner.home, '.codex', 'config.toml'), 'utf8')).toBe('model = "x"\n');
      expect(fs.readdirSync(runner.runnerTemp)).toEqual([]);
      expect(secretsInFiles([runner.home, runner.runnerTemp], [key])).toEqual([]);
    });
  });

  // ---- Point 5: the post entry never runs the main step ----
  rcase('point 5: the post entry with no state at all neither runs the script nor signs in', async () => {
    const t = tag();
    const key = `sk-good-nostate-${t}`;
    const runner = makeRunner({
      inputs: { run: 'touch "$RELIABILITY_DUMP/script-ran"\ncodex exec "x"', 'openai-api-key': key, login: 'always' },
    });
    await withRunner(runner, async () => {
      const post = await runPost(runner, {});
      expect(fs.existsSync(path.join(runner.dumpDir, 'script-ran'))).toBe(false);
      expect(codexCalls(runner)).toEqual([]);
      expect(fs.existsSync(path.join(runner.home, '.codex', 'auth.json'))).toBe(false);
      expect(post.exitCode).toBe(0);
      expect(errors(post)).toEqual([]);
      expect(cleanExit(post)).toEqual([]);
    });
  });

  // ---- Point 6: every exit path ends in one clear annotation, never a stack trace ----
  for (const [label, makeTemp] of [
    ['missing', (base: string) => path.join(base, 'no-such-runner-temp')],
    [
      'not a writable folder (a file)',
      (base: string) => {
        const file = path.join(base, 'runner-temp-is-a-file');
        fs.writeFileSync(file, '');
        return file;
      },
    ],
  ] as const) {
    rcase(`point 6: RUNNER_TEMP ${label}: a private temp folder instead, or one clear error naming RUNNER_TEMP`, async () => {
      const t = tag();
      const key = `sk-good-temp-${t}`;
      const runner = makeRunner({ inputs: { run: 'codex exec "x"', 'openai-api-key': key, login: 'always' } });
      await withRunner(runner, async () => {
        runner.env.RUNNER_TEMP = makeTemp(runner.base);
        // The system's temporary folder, private to this run: where a fallback work folder would go.
        const systemTemp = path.join(runner.base, 'system-tmp');
        fs.mkdirSync(systemTemp);
        runner.env.TMPDIR = systemTemp;
        const { main, post } = await runMainAndPost(runner);
        const problems = cleanExit(main, post);
        if (main.exitCode === 0) {
          if (main.outputs['failure-kind'] !== 'none') problems.push(`succeeded with failure-kind ${main.outputs['failure-kind']}`);
        } else {
          const errs = errors(main);
          if (errs.length !== 1 || !/RUNNER_TEMP/.test(`${errs[0]?.properties.title} ${errs[0]?.message}`))
            problems.push(`not one error annotation naming RUNNER_TEMP: ${JSON.stringify(errs)} ${main.stderr}`);
        }
        if (post.exitCode !== 0) problems.push(`post exited ${post.exitCode}`);
        if (fs.existsSync(path.join(runner.home, '.codex', 'auth.json'))) problems.push('auth.json left after post');
        // A fallback work folder (script, shim) is the action's: post removes it like one in RUNNER_TEMP.
        const left = fs.readdirSync(systemTemp).filter((name) => name.startsWith('codex-reauth'));
        if (left.length > 0) problems.push(`left in the system's temporary folder after post: ${left.join(', ')}`);
        expect(problems).toEqual([]);
      });
    });
  }

  rcase('point 6: the job summary not writable: a warning, the step still succeeds, no stack trace', async () => {
    const t = tag();
    const runner = makeRunner({ inputs: { run: 'codex exec "x"', 'openai-api-key': `sk-good-summary-${t}`, login: 'always' } });
    await withRunner(runner, async () => {
      // A folder where the summary file should be: appending to it fails even for root.
      fs.rmSync(runner.files.summary);
      fs.mkdirSync(runner.files.summary);
      const { main, post } = await runMainAndPost(runner);
      expect(cleanExit(main, post)).toEqual([]);
      expect(main.exitCode).toBe(0);
      expect(main.outputs['failure-kind']).toBe('none');
      expect(errors(main)).toEqual([]);
      expect(warnings(main).some((w) => /summary/i.test(`${w.properties.title} ${w.message}`))).toBe(true);
    });
  });

  rcase('point 6: codex not on PATH at all: the annotation says codex was not found and how to install it', async () => {
    const t = tag();
    const runner = makeRunner({
      codex: false,
      inputs: { run: 'codex exec "x"', 'openai-api-key': `sk-good-nocodex-${t}`, login: 'always' },
    });
    await withRunner(runner, async () => {
      const { main, post } = await runMainAndPost(runner);
      expect(cleanExit(main, post)).toEqual([]);
      expect(main.exitCode).toBe(1);
      const errs = errors(main);
      expect(errs).toHaveLength(1);
      const text = `${errs[0].properties.title} ${errs[0].message}`;
      expect(text).toMatch(/codex/);
      expect(text).toMatch(/not found|not installed|no codex/i);
      expect(text).toMatch(/npm (i|install)|@openai\/codex|install/i);
      expect(AUTH_KINDS).not.toContain(main.outputs['failure-kind']);
      expect(fs.existsSync(path.join(runner.home, '.codex', 'auth.json'))).toBe(false);
    });
  });

  rcase(
    'point 6: codex killed by SIGKILL (the OOM killer): the annotation says killed, by SIGKILL, and it is no credential problem',
    async () => {
      const t = tag();
      const runner = makeRunner({
        inputs: { run: 'codex exec "x"', 'openai-api-key': `sk-good-oom-${t}`, login: 'always', 'retry-wait-seconds': '0' },
        env: { RELIABILITY_CODEX_MODE: 'signal:SIGKILL' },
      });
      await withRunner(runner, async () => {
        const { main, post } = await runMainAndPost(runner);
        expect(cleanExit(main, post)).toEqual([]);
        expect(main.exitCode).toBe(1);
        const errs = errors(main);
        expect(errs).toHaveLength(1);
        const text = `${errs[0].properties.title} ${errs[0].message}`;
        expect(text).toMatch(/SIGKILL/);
        expect(text).toMatch(/killed/i);
        expect(AUTH_KINDS).not.toContain(main.outputs['failure-kind']);
        // No sign-in again for a killed process: it is no credential problem.
        expect(codexCalls(runner).filter((c) => c.command === 'login')).toHaveLength(1);
      });
    },
  );

  // ---- Point 8: legacy credentials are deleted only after an auth failure ----
  for (const login of ['auto', 'always'] as const) {
    rcase(`point 8: login ${login}, first sign-in before anything failed: the legacy ~/.config/codex/auth.json stays`, async () => {
      const t = tag();
      let legacy = '';
      const legacyText = chatgptAuth(`rt-legacy-${t}`);
      const runner = makeRunner({
        inputs: { run: 'codex exec "x"', 'openai-api-key': `sk-good-legacy-${t}`, login },
        prepare: (d) => {
          legacy = path.join(d.home, '.config', 'codex', 'auth.json');
          fs.mkdirSync(path.dirname(legacy), { recursive: true });
          fs.writeFileSync(legacy, legacyText);
        },
      });
      await withRunner(runner, async () => {
        const { main, post } = await runMainAndPost(runner);
        expect(main.outputs['failure-kind']).toBe('none');
        expect(post.exitCode).toBe(0);
        expect(fs.existsSync(legacy) && fs.readFileSync(legacy, 'utf8')).toBe(legacyText);
      });
    });
  }

  rcase('point 8: after an auth failure, the legacy ~/.config/codex/auth.json is cleared with the dead credential', async () => {
    const t = tag();
    let legacy = '';
    const runner = makeRunner({
      inputs: { run: 'codex exec "x"', 'openai-api-key': `sk-good-legacy2-${t}`, login: 'auto', 'retry-wait-seconds': '0' },
      prepare: (d) => {
        fs.mkdirSync(path.join(d.home, '.codex'));
        fs.writeFileSync(path.join(d.home, '.codex', 'auth.json'), chatgptAuth(`rt-reused-legacy2-${t}`));
        legacy = path.join(d.home, '.config', 'codex', 'auth.json');
        fs.mkdirSync(path.dirname(legacy), { recursive: true });
        fs.writeFileSync(legacy, chatgptAuth(`rt-legacy2-${t}`));
      },
    });
    await withRunner(runner, async () => {
      const { main } = await runMainAndPost(runner);
      expect(main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'true', attempts: '2' });
      expect(fs.existsSync(legacy)).toBe(false);
    });
  });
}
