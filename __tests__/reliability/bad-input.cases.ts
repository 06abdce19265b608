// Bad input, each refused BEFORE codex runs: an error annotation naming the input, codex never
// invoked and the script never run, the user's files byte-identical, no secret anywhere.
import { expect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import {
  changedFiles,
  chatgptAuth,
  cleanupRunner,
  codexCalls,
  errors,
  filesUnder,
  hasStackTrace,
  makeRunner,
  plantUserFiles,
  runMainAndPost,
  secretsInFiles,
  secretsInSteps,
  setInput,
  tag,
} from '../../test-support/reliability/harness.js';
import type { RegisterCase } from './register.js';

interface Dirs {
  home: string;
  runnerTemp: string;
  workspace: string;
  base: string;
}

interface BadInput {
  label: string;
  /** The input the annotation must name. */
  input: string;
  /** The bad value (given the runner's folders, for paths). */
  value: string | ((d: Dirs) => string);
  /** Other inputs to change (e.g. remove the secrets). */
  also?: Record<string, string>;
  prepare?: (d: Dirs) => void;
  /** The bad value is itself a secret: it must not be echoed either. */
  secret?: boolean;
  /** Secrets inside the bad value (a token between quotes): not echoed either. */
  inside?: string[];
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** A workspace access token as an admin hands it out (codex: `at-` + opaque). */
const AT = 'at-Wz0rkSp4ceT0kenFr0mTheAdm1nPage';
/** Mix-ups of `codex-access-token`: what else a secret named like a token tends to hold. */
const ACCESS_TOKEN_MIX_UPS: BadInput[] = [
  { label: 'codex-access-token that is an API key', input: 'codex-access-token', value: 'sk-proj-Q0dFpasted1nTheTokenBox9x', secret: true },
  {
    label: 'codex-access-token that is a JWT (a ChatGPT access token)',
    input: 'codex-access-token',
    value: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS11c2VyIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLW9mLXRoZS1qd3Q',
    secret: true,
    inside: ['eyJzdWIiOiJjaS11c2VyIiwiZXhwIjoxOTAwMDAwMDAwfQ', 'c2lnbmF0dXJlLW9mLXRoZS1qd3Q'],
  },
  {
    label: 'codex-access-token that is a whole ChatGPT auth.json',
    input: 'codex-access-token',
    value: chatgptAuth('rt-pasted-in-token-box-5e4d3c'),
    secret: true,
    inside: ['rt-pasted-in-token-box-5e4d3c', 'acc-rt-pasted-in-token-box-5e4d3c'],
  },
  {
    label: 'codex-access-token that is the auth.json codex login --with-access-token writes',
    input: 'codex-access-token',
    value: JSON.stringify({ OPENAI_API_KEY: null, personal_access_token: AT }),
    secret: true,
    inside: [AT],
  },
  { label: 'codex-access-token in double quotes', input: 'codex-access-token', value: `"${AT}"`, secret: true, inside: [AT] },
  { label: 'codex-access-token in single quotes', input: 'codex-access-token', value: `'${AT}'`, secret: true, inside: [AT] },
  { label: 'codex-access-token with white space around it', input: 'codex-access-token', value: ` ${AT} `, secret: true, inside: [AT] },
  {
    label: 'codex-access-token with white space inside',
    input: 'codex-access-token',
    value: 'at-Wz0rkSp4ce T0kenFr0mTheAdm1nPage',
    secret: true,
    inside: ['at-Wz0rkSp4ce', 'T0kenFr0mTheAdm1nPage'],
  },
  // What a log shows for a masked secret, pasted back into the secret.
  { label: 'codex-access-token empty-looking (***)', input: 'codex-access-token', value: '***' },
];

const BAD_INPUTS: BadInput[] = [
  { label: 'empty run', input: 'run', value: '' },
  { label: 'run of white space only', input: 'run', value: '  \n\t\n' },
  { label: 'unknown shell', input: 'shell', value: 'zsh' },
  { label: 'unknown login', input: 'login', value: 'sometimes' },
  { label: 'max-attempts 0', input: 'max-attempts', value: '0' },
  { label: 'max-attempts -1', input: 'max-attempts', value: '-1' },
  { label: 'max-attempts 1.5', input: 'max-attempts', value: '1.5' },
  { label: 'max-attempts 0x10 (hex)', input: 'max-attempts', value: '0x10' },
  { label: 'max-attempts 1e3 (exponent)', input: 'max-attempts', value: '1e3' },
  { label: 'max-attempts Infinity', input: 'max-attempts', value: 'Infinity' },
  { label: 'max-attempts empty-looking (a zero-width space)', input: 'max-attempts', value: '\u200b' },
  { label: 'timeout-minutes negative', input: 'timeout-minutes', value: '-5' },
  { label: 'timeout-minutes 0x10 (hex)', input: 'timeout-minutes', value: '0x10' },
  { label: 'timeout-minutes 1e3 (exponent)', input: 'timeout-minutes', value: '1e3' },
  { label: 'timeout-minutes Infinity', input: 'timeout-minutes', value: 'Infinity' },
  { label: 'retry-wait-seconds negative', input: 'retry-wait-seconds', value: '-1' },
  { label: 'retry-wait-seconds 0x10 (hex)', input: 'retry-wait-seconds', value: '0x10' },
  { label: 'codex-home relative', input: 'codex-home', value: 'ci/codex-home' },
  { label: 'codex-home /', input: 'codex-home', value: '/' },
  { label: 'codex-home the home folder', input: 'codex-home', value: (d) => d.home },
  { label: 'codex-home ~ (the home folder)', input: 'codex-home', value: '~' },
  {
    label: 'codex-home inside GITHUB_WORKSPACE (later steps commit and upload it)',
    input: 'codex-home',
    value: (d) => path.join(d.workspace, '.codex'),
  },
  {
    label: 'codex-home a symlink to /',
    input: 'codex-home',
    value: (d) => path.join(d.base, 'links', 'to-root'),
    prepare: (d) => {
      fs.mkdirSync(path.join(d.base, 'links'));
      fs.symlinkSync('/', path.join(d.base, 'links', 'to-root'));
    },
  },
  {
    label: 'codex-home a symlink to the home folder',
    input: 'codex-home',
    value: (d) => path.join(d.base, 'links', 'to-home'),
    prepare: (d) => {
      fs.mkdirSync(path.join(d.base, 'links'));
      fs.symlinkSync(d.home, path.join(d.base, 'links', 'to-home'));
    },
  },
  {
    label: 'codex-home a symlink to RUNNER_TEMP itself',
    input: 'codex-home',
    value: (d) => path.join(d.base, 'links', 'to-runner-temp'),
    prepare: (d) => {
      fs.mkdirSync(path.join(d.base, 'links'));
      fs.symlinkSync(d.runnerTemp, path.join(d.base, 'links', 'to-runner-temp'));
    },
  },
  {
    label: 'codex-home an existing file',
    input: 'codex-home',
    value: (d) => path.join(d.base, 'a-file'),
    prepare: (d) => fs.writeFileSync(path.join(d.base, 'a-file'), 'not a folder\n'),
  },
  { label: 'codex-auth-json that is an API key', input: 'codex-auth-json', value: 'sk-proj-Q0dFpasted1nTheWrongBox9x', secret: true },
  { label: 'codex-auth-json plain text', input: 'codex-auth-json', value: 'my chatgpt password hunter2', secret: true },
  {
    label: 'codex-auth-json truncated JSON',
    input: 'codex-auth-json',
    value: chatgptAuth('rt-truncated-0f9a8b7c6d').slice(0, -3),
    secret: true,
  },
  {
    label: 'codex-auth-json base64 of garbage',
    input: 'codex-auth-json',
    value: Buffer.from([0x8f, 0x01, 0xfe, 0x33, 0x7a, 0x00, 0x91, 0xc4, 0x5e, 0x62, 0xaa, 0x17]).toString('base64'),
    secret: true,
  },
  { label: 'openai-api-key with white space inside', input: 'openai-api-key', value: 'sk-good-first half-second9half', secret: true },
  { label: 'login: always without any secret', input: 'login', value: 'always', also: { 'openai-api-key': '', 'codex-auth-json': '' } },
  // A keeper run (access-only-secret) refreshes the login and writes it back: it needs write-back, and runs no commands.
  { label: 'access-only-secret without write-back', input: 'access-only-secret', value: 'CODEX_AUTH_ACCESS', also: { run: '' } },
  { label: 'run in a keeper step', input: 'run', value: 'codex exec "fix the tests"', also: { 'access-only-secret': 'CODEX_AUTH_ACCESS' } },
  { label: 'access-only-secret-organization without access-only-secret', input: 'access-only-secret-organization', value: 'octo' },
  ...ACCESS_TOKEN_MIX_UPS,
];

/** Runs one bad input and lists every way the run fell short; [] is a pass. */
async function refusedBeforeCodex(bad: BadInput): Promise<string[]> {
  const t = tag();
  const key = `sk-good-badinput-${t}`;
  const auth = chatgptAuth(`rt-good-badinput-${t}`);
  let userFiles = new Map<string, Buffer>();
  let dirs: Dirs | null = null;
  const runner = makeRunner({
    inputs: {
      run: 'touch "$RELIABILITY_DUMP/script-ran"\ncodex exec "fix the tests"',
      'openai-api-key': key,
      'codex-auth-json': b64(auth),
    },
    prepare: (d) => {
      dirs = d;
      userFiles = plantUserFiles(d.home);
      bad.prepare?.(d);
    },
  });
  try {
    const value = typeof bad.value === 'function' ? bad.value(dirs!) : bad.value;
    setInput(runner, bad.input, value);
    for (const [name, v] of Object.entries(bad.also ?? {})) setInput(runner, name, v);
    const homeBefore = [...filesUnder(runner.home).keys()].sort();

    const { main, post } = await runMainAndPost(runner);
    const problems: string[] = [];
    const check = (ok: boolean, problem: string): void => {
      if (!ok) problems.push(problem);
    };
    check(main.exitCode === 1, `main exited ${main.exitCode} (signal ${main.signal}), not 1`);
    const errs = errors(main);
    check(errs.length === 1, `${errs.length} error annotations, not 1: ${JSON.stringify(errs)}`);
    const named = errs.find((e) => `${e.properties.title ?? ''} ${e.message}`.includes(bad.input));
    check(Boolean(named), `no error annotation names '${bad.input}': ${JSON.stringify(errs)}`);
    check(
      errs.every((e) => (e.properties.title ?? '').startsWith('codex-reauth')),
      `an error title does not start with codex-reauth`,
    );
    check(
      codexCalls(runner).length === 0,
      `codex ran ${codexCalls(runner).length} time(s): ${codexCalls(runner).map((c) => c.argv.join(' '))}`,
    );
    check(!fs.existsSync(path.join(runner.dumpDir, 'script-ran')), 'the run script ran');
    check(changedFiles(userFiles).length === 0, `user files changed or deleted: ${changedFiles(userFiles)}`);
    check(JSON.stringify([...filesUnder(runner.home).keys()].sort()) === JSON.stringify(homeBefore), 'files appeared in HOME');
    check(post.exitCode === 0, `post exited ${post.exitCode}`);
    check(fs.readdirSync(runner.runnerTemp).length === 0, `RUNNER_TEMP not empty after post: ${fs.readdirSync(runner.runnerTemp)}`);
    for (const [where, text] of [
      ['main', main.stdout + main.stderr],
      ['post', post.stdout + post.stderr],
    ]) {
      check(!hasStackTrace(text), `a stack trace in the ${where} step's output:\n${text}`);
    }
    const secrets = [key, auth, b64(auth), `rt-good-badinput-${t}`, `acc-rt-good-badinput-${t}`];
    if (bad.secret) secrets.push(value, ...value.split(/\s+/).filter((part) => part.length >= 8), ...(bad.inside ?? []));
    if (bad.label.includes('truncated')) secrets.push('rt-truncated-0f9a8b7c6d');
    const leaks = [
      ...secretsInSteps(main, post, secrets),
      ...secretsInFiles([runner.home, runner.runnerTemp, runner.workspace], secrets, userFiles.keys()),
    ];
    check(leaks.length === 0, `secrets leaked: ${leaks.join('; ')}`);
    return problems;
  } finally {
    cleanupRunner(runner);
  }
}

/** Node timers hold at most 2^31-1 ms (24.8 days): a longer timer fires at once. */
const MAX_TIMER_MINUTES = (2 ** 31 - 1) / 60_000;

export function registerBadInputCases(rcase: RegisterCase): void {
  for (const bad of BAD_INPUTS) {
    const shown = typeof bad.value === 'string' && bad.value.length <= 40 ? ` (${JSON.stringify(bad.value)})` : '';
    rcase(`bad input: ${bad.label}${shown}`, async () => {
      expect(await refusedBeforeCodex(bad)).toEqual([]);
    });
  }

  rcase(
    `bad input: timeout-minutes above what a timer holds (${Math.ceil(MAX_TIMER_MINUTES) + 1}): refused with the maximum, or honoured; never an instant timeout`,
    async () => {
      const t = tag();
      const key = `sk-good-timer-${t}`;
      const runner = makeRunner({
        inputs: {
          run: 'codex exec "x"',
          'openai-api-key': key,
          login: 'always',
          'timeout-minutes': String(Math.ceil(MAX_TIMER_MINUTES) + 1),
          // An instant timeout would otherwise be retried with waits: fail fast instead.
          'max-attempts': '1',
        },
      });
      try {
        const { main, post } = await runMainAndPost(runner);
        const errs = errors(main);
        if (!codexCalls(runner).some((c) => c.command === 'exec')) {
          // Refused before codex ran: naming the input and the documented maximum (~35791 minutes, 24.8 days).
          expect(main.exitCode).toBe(1);
          expect(errs).toHaveLength(1);
          expect(`${errs[0].properties.title} ${errs[0].message}`).toContain('timeout-minutes');
          expect(errs[0].message).toMatch(/35[,.\s]?791(?!\d)|24\.8/);
          // ...and not an instant timeout reported as one
          expect(main.outputs['failure-kind']).not.toBe('timeout');
        } else {
          // Honoured: codex ran to completion, nothing timed out.
          expect(main.outputs['failure-kind']).toBe('none');
          expect(main.exitCode).toBe(0);
          expect(`${main.stdout}${main.stderr}`).not.toMatch(/TimeoutOverflowWarning/);
        }
        expect(hasStackTrace(main.stdout + main.stderr)).toBe(false);
        expect(post.exitCode).toBe(0);
      } finally {
        cleanupRunner(runner);
      }
    },
  );
}
