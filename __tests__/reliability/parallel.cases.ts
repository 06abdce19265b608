// Five actions at once on one machine: one HOME, each with its own codex-home, RUNNER_TEMP and
// workspace, each recovering from a dead ChatGPT login with its own API key; none touches another's files.
import { expect } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  chatgptAuth,
  cleanupRunner,
  codexCalls,
  filesUnder,
  makeRunner,
  processesOf,
  runMainAndPost,
  type Runner,
  secretsInFiles,
  tag,
} from '../../test-support/reliability/harness.js';
import type { RegisterCase } from './register.js';

const COUNT = 5;

export function registerParallelCases(rcase: RegisterCase): void {
  rcase(`${COUNT} actions at once, one HOME: each recovers from a dead credential, none touches another's files`, async () => {
    const t = tag();
    const sharedHome = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-reauth-shared-home-'));
    const runners: Runner[] = [];
    try {
      const plans = Array.from({ length: COUNT }, (_, i) => ({
        key: `sk-good-parallel${i}-${t}`,
        dead: `rt-reused-parallel${i}-${t}`,
        config: `model = "parallel-${i}"\n`,
      }));
      for (const [i, plan] of plans.entries()) {
        const runner = makeRunner({
          home: sharedHome,
          inputs: { run: 'codex exec "x"', 'openai-api-key': plan.key, 'retry-wait-seconds': '0' },
        });
        const codexHome = path.join(runner.base, 'codex-home');
        fs.mkdirSync(codexHome);
        fs.writeFileSync(path.join(codexHome, 'auth.json'), chatgptAuth(plan.dead), { mode: 0o600 });
        fs.writeFileSync(path.join(codexHome, 'config.toml'), plan.config);
        runner.env['INPUT_CODEX-HOME'] = codexHome;
        runner.env.RELIABILITY_INDEX = String(i);
        runners.push(runner);
      }
      const results = await Promise.all(runners.map((runner) => runMainAndPost(runner)));

      const problems: string[] = [];
      for (const [i, { main, post }] of results.entries()) {
        const runner = runners[i];
        const codexHome = path.join(runner.base, 'codex-home');
        const own = plans[i];
        const others = plans.filter((_, j) => j !== i).flatMap((p) => [p.key, p.dead]);
        const o = main.outputs;
        if (main.exitCode !== 0 || o['failure-kind'] !== 'none' || o.recovered !== 'true' || o['auth-method'] !== 'api-key')
          problems.push(`#${i} did not recover: exit ${main.exitCode} ${JSON.stringify(o)}`);
        if (post.exitCode !== 0) problems.push(`#${i} post exited ${post.exitCode}`);
        // Every codex run of this action used its own codex-home and saw no other action's secret.
        for (const call of codexCalls(runner)) {
          if (call.env.CODEX_HOME !== codexHome) problems.push(`#${i} codex ${call.command} ran with CODEX_HOME ${call.env.CODEX_HOME}`);
          if (others.some((s) => JSON.stringify(call).includes(s)))
            problems.push(`#${i} codex ${call.command} saw another action's secret`);
        }
        // Its own files: config kept, credential removed by its own post, its RUNNER_TEMP empty.
        if (fs.readFileSync(path.join(codexHome, 'config.toml'), 'utf8') !== own.config) problems.push(`#${i} config.toml changed`);
        if (fs.existsSync(path.join(codexHome, 'auth.json'))) problems.push(`#${i} auth.json left after post`);
        if (fs.readdirSync(runner.runnerTemp).length > 0) problems.push(`#${i} RUNNER_TEMP not empty after post`);
        const foreign = secretsInFiles([codexHome, runner.runnerTemp, runner.workspace], others);
        if (foreign.length > 0) problems.push(`#${i} holds another action's secret: ${foreign.join('; ')}`);
        if (processesOf(runner).length > 0) problems.push(`#${i} left processes running`);
      }
      // The shared HOME was never used for credentials: every action had its own codex-home.
      const homeFiles = [...filesUnder(sharedHome).keys()];
      if (homeFiles.length > 0) problems.push(`files written to the shared HOME: ${homeFiles.join(', ')}`);
      expect(problems).toEqual([]);
    } finally {
      for (const runner of runners) cleanupRunner(runner);
      fs.rmSync(sharedHome, { recursive: true, force: true });
    }
  });
}
