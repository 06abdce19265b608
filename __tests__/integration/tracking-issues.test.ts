// Tracking issues never change how a step ends: main.ts in-process (fake codex on PATH) against the
// loopback stand-in of GitHub's issues API. Each scenario runs with tracking off and with tracking
// failing (a token that may not write issues, a rate limit that asks for an hour): the exit code,
// the outputs, the error annotation and the job summary are the same, plus one warning.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { chatgptLogin, createMainHarness, type MainHarness } from '../../test-support/main-harness.js';
import { type GithubIssuesStandin, startGithubIssuesStandin } from '../../test-support/github-issues-standin.js';

jest.setTimeout(30_000);

let gh: GithubIssuesStandin;
const harnesses: MainHarness[] = [];
beforeAll(async () => {
  gh = await startGithubIssuesStandin({ repository: 'octo/app' });
});
afterAll(async () => {
  await gh.close();
});
afterEach(() => {
  for (const h of harnesses.splice(0)) h.dispose();
});

const SCENARIOS: Array<[string, Record<string, string>]> = [
  ['recovered', { 'codex-auth-json': chatgptLogin('rt-reused-7001'), 'openai-api-key': 'sk-good-key-7001' }],
  ['failed with two dead credentials', { 'codex-auth-json': chatgptLogin('rt-expired-7002'), 'openai-api-key': 'sk-bad-key-7002' }],
];

/** What a person sees of a step (on a fresh runner), besides tracking's own lines. */
async function step(inputs: Record<string, string>, tracking: Record<string, string>) {
  const h = createMainHarness();
  harnesses.push(h);
  const r = await h.run({ run: 'codex exec "x"', ...inputs, ...tracking }, gh.env());
  const warnings = r.core.of('warning');
  return {
    exitCode: r.exitCode,
    outputs: r.core.outputs,
    errors: r.core.of('error'),
    // Durations and the runner's temporary paths differ from run to run.
    summary: r.core.summary
      .replace(/\d+(\.\d+)? (ms|s)\b/g, 'T')
      .split(h.tmp)
      .join('TMP'),
    warnings: warnings.filter((w) => w.title !== 'codex-reauth: tracking issue not updated'),
    tracking: warnings.filter((w) => w.title === 'codex-reauth: tracking issue not updated'),
  };
}

describe.each(SCENARIOS)('a run that %s', (_name, inputs) => {
  it.each([
    ['a token that may not write issues', () => ({ 'report-issues': 'true', 'github-token': gh.token({ issues: 'read' }) })],
    [
      'a rate limit that asks for an hour',
      () => {
        gh.failNext(1, { status: 'rate-limit', resetSeconds: 3600 });
        return { 'report-issues': 'true', 'github-token': gh.token({ issues: 'write' }) };
      },
    ],
  ])('ends the same with tracking off and with %s, plus one warning', async (_failure, tracking) => {
    const off = await step(inputs, { 'report-issues': 'false' });
    const issuesBefore = gh.issues().length;
    const failing = await step(inputs, tracking());
    expect(failing.tracking).toHaveLength(1);
    expect(off.tracking).toHaveLength(0);
    expect({ ...failing, tracking: [] }).toEqual({ ...off, tracking: [] });
    expect(gh.issues()).toHaveLength(issuesBefore);
  });
});

it('with tracking working, the step ends the same too, and the issues are filed', async () => {
  const [, inputs] = SCENARIOS[1];
  const off = await step(inputs, { 'report-issues': 'false' });
  const before = gh.issues().length;
  const on = await step(inputs, { 'report-issues': 'true', 'github-token': gh.token({ issues: 'write' }) });
  expect(on).toEqual(off);
  expect(gh.issues().length - before).toBe(2);
});
