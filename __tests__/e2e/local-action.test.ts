// The action run the way action authors run actions locally: @github/local-action executes the
// TypeScript sources (src/main.ts, then src/post.ts) with its own stand-in for @actions/core, inputs
// from a .env file. Real codex against the loopback stand-in, with a stale cached login to recover from.
// Codex gets the stand-in through `-c` flags (test-support/real-codex.js); anything bound for another
// host goes to a loopback trap that refuses it and stops the run.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type NetworkTrap, startNetworkTrap } from '../../test-support/network-trap.js';
import { type Standin, startStandin } from '../../test-support/openai-standin.js';
import { prepareCodexHome, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { stepEnd } from '../../test-support/step-end.js';

// local-action compiles the sources with tsx on start: allow for it.
jest.setTimeout(120_000);
/** Main and post take a few seconds (tsx compiling included); past this the run is stopped and named. */
const LOCAL_ACTION_BOUND_MS = 55_000;

let standin: Standin;
let trap: NetworkTrap;
let tmp: string;
let bin: string;
beforeAll(async () => {
  standin = await startStandin({ reply: 'hello from the stand-in' });
  trap = await startNetworkTrap({ stopRuns: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'local-action-'));
  bin = realCodexBin();
});
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(bin, { recursive: true, force: true });
  await standin.close();
  await trap.close();
});

describe('@github/local-action', () => {
  it('runs main and post from src/ and recovers from a stale cached login', async () => {
    const home = path.join(tmp, 'home');
    const runnerTemp = path.join(tmp, 'runner-temp');
    fs.mkdirSync(runnerTemp, { recursive: true });
    const codexHome = prepareCodexHome(home, standin, standin.chatgptAuth({ refresh: 'reused' }));
    const key = standin.apiKey('accept');
    const envFile = path.join(tmp, '.env');
    fs.writeFileSync(
      envFile,
      [
        'INPUT_RUN=codex exec --skip-git-repo-check "say hi"',
        `INPUT_OPENAI-API-KEY=${key}`,
        'INPUT_LOGIN=auto',
        'INPUT_MAX-ATTEMPTS=3',
        'INPUT_TIMEOUT-MINUTES=0',
        'INPUT_RETRY-WAIT-SECONDS=0',
        `RUNNER_TEMP=${runnerTemp}`,
        '',
      ].join('\n'),
    );
    // What `npx local-action run …` does (node_modules/@github/local-action/bin/local-action.js), minus
    // the `npm exec` it starts tsx through: npm would put node_modules/.bin first on PATH, so the action
    // would find the bare codex there instead of the stand-in wrapper, and npm itself asks the registry.
    const pkg = path.join(process.cwd(), 'node_modules', '@github', 'local-action');
    const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      // Async spawn: the stand-in answers codex from this very process.
      const args = [path.join(pkg, 'src', 'index.ts'), 'run', process.cwd(), 'src/main.ts', envFile, '--post', 'src/post.ts'];
      const child = spawn(tsx, args, {
        cwd: process.cwd(),
        env: {
          ...process.env,
          HOME: home,
          TARGET_ACTION_PATH: process.cwd(),
          NODE_PACKAGE_MANAGER: 'npm',
          NODE_NO_WARNINGS: '1',
          ...realCodexEnv(bin, standin, trap),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      stepEnd(child, LOCAL_ACTION_BOUND_MS, '@github/local-action (main, then post)').then(
        ({ code: c }) => resolve({ code: c, output: text }),
        (error: Error) => reject(new Error(`${error.message}; the end of what it printed:\n${text.slice(-3000)}`)),
      );
    });
    expect(trap.hits).toEqual([]);
    expect(code).toBe(0);
    expect(output).toContain('::set-output name=recovered::true');
    expect(output).toContain('::set-output name=attempts::2');
    expect(output).toContain('::warning title=codex-reauth recovered: Codex refresh token already used (refresh-token-reused)::');
    expect(output).toContain('hello from the stand-in');
    expect(output).toContain('Running Post Step');
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(false);
    expect(fs.existsSync(path.join(codexHome, 'config.toml'))).toBe(true);
  });
});
