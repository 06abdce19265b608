// Point 1: the user's script and codex get the environment of a `run:` step plus CODEX_HOME. No
// INPUT_*, no runner-internal credential reaches any child (the script, a command it starts, codex,
// `codex login`), and nothing the action or codex wrote during the step holds a secret after post.
import { expect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  chatgptAuth,
  cleanupRunner,
  codexCalls,
  filesUnder,
  hasStackTrace,
  makeRunner,
  runMainAndPost,
  RUNNER_INTERNALS,
  secretsInFiles,
  secretsInSteps,
  tag,
} from '../../test-support/reliability/harness.js';
import type { RegisterCase } from './register.js';

/** Parses `env -0` output. */
function parseEnvDump(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of fs.readFileSync(file, 'utf8').split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

export function registerEnvironmentCases(rcase: RegisterCase): void {
  rcase(
    'point 1: no INPUT_* or runner token reaches the script, its children, codex or codex login; no secret on disk after post',
    async () => {
      const t = tag();
      const key = `sk-good-env-${t}`;
      const deadRefresh = `rt-reused-env-${t}`;
      const auth = chatgptAuth(deadRefresh);
      const authB64 = Buffer.from(auth).toString('base64');
      const runSecret = `run-secret-${t}`;
      const internals = Object.fromEntries(RUNNER_INTERNALS.map((name) => [name, `${name.toLowerCase()}-value-${t}`]));
      let userConfig = '';
      const runner = makeRunner({
        inputs: {
          // The script dumps its own environment and a grandchild's; codex (the stand-in) dumps its own.
          run: [
            'env -0 > "$RELIABILITY_DUMP/script.env"',
            'sh -c \'env -0 > "$RELIABILITY_DUMP/grandchild.env"\'',
            `codex exec "fix the tests" # ${runSecret}`,
          ].join('\n'),
          'openai-api-key': key,
          // A dead ChatGPT login first: the action signs in again with the key through `codex login`.
          'codex-auth-json': authB64,
        },
        env: { ...internals, MY_WORKFLOW_VARIABLE: 'a run: step gets this' },
        prepare: (d) => {
          fs.mkdirSync(path.join(d.home, '.codex'));
          userConfig = path.join(d.home, '.codex', 'config.toml');
          fs.writeFileSync(userConfig, 'model = "gpt-5-codex"\n');
        },
      });
      try {
        const { main, post } = await runMainAndPost(runner);
        const codexHome = path.join(runner.home, '.codex');
        // Sanity: this run did what it should, so the dumps below are from a real recovery.
        expect(main.outputs['failure-kind']).toBe('none');
        expect(main.outputs.recovered).toBe('true');
        const calls = codexCalls(runner);
        expect(calls.map((c) => c.command).sort()).toEqual(['exec', 'exec', 'login']);

        const secrets = [key, auth, authB64, deadRefresh, `acc-${deadRefresh}`, runSecret, ...Object.values(internals)];
        const children: Array<[string, Record<string, string>]> = [
          ['script', parseEnvDump(path.join(runner.dumpDir, 'script.env'))],
          ['grandchild', parseEnvDump(path.join(runner.dumpDir, 'grandchild.env'))],
          ...calls.map((c): [string, Record<string, string>] => [`codex ${c.command} (pid ${c.pid})`, c.env]),
        ];
        const problems: string[] = [];
        for (const [who, env] of children) {
          const actionOnly = Object.keys(env).filter(
            (name) => /^(INPUT|STATE)_/i.test(name) || (RUNNER_INTERNALS as readonly string[]).includes(name.toUpperCase()),
          );
          if (actionOnly.length > 0) problems.push(`${who} got ${actionOnly.join(', ')}`);
          const text = JSON.stringify(env);
          for (const secret of secrets) if (text.includes(secret)) problems.push(`${who}'s environment holds ${secret.slice(0, 12)}…`);
          // What a run: step does get is still there.
          if (env.MY_WORKFLOW_VARIABLE !== 'a run: step gets this') problems.push(`${who} lost the workflow's own variable`);
          if (env.GITHUB_WORKSPACE !== runner.workspace) problems.push(`${who} lost GITHUB_WORKSPACE`);
          if (who !== 'grandchild' && env.CODEX_HOME !== codexHome)
            problems.push(`${who}: CODEX_HOME is ${env.CODEX_HOME}, not ${codexHome}`);
        }
        // Nothing the action or codex wrote (shell snapshots, auth.json, work files) holds a secret after post.
        const leftover = secretsInFiles([runner.home, runner.runnerTemp, codexHome, runner.workspace], secrets, [userConfig]);
        if (leftover.length > 0) problems.push(`secrets on disk after post: ${leftover.join('; ')}`);
        const printed = secretsInSteps(main, post, secrets);
        if (printed.length > 0) problems.push(`secrets printed or saved: ${printed.join('; ')}`);
        expect(problems).toEqual([]);
        // The snapshots codex wrote are still there (they are codex's, not the action's): proof the scan saw them.
        expect([...filesUnder(path.join(codexHome, 'shell_snapshots')).keys()]).toHaveLength(2);
        expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(false);
        expect(hasStackTrace(main.stdout + main.stderr + post.stdout + post.stderr)).toBe(false);
      } finally {
        cleanupRunner(runner);
      }
    },
  );
}
