// End to end: tracking issues. The built action (main, then post) runs the REAL codex CLI against
// the loopback OpenAI stand-in and files, comments on and closes issues through a loopback stand-in
// of GitHub's issues API. Runs follow each other as a scheduled workflow's would, on one repository.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fs from 'node:fs';
import { credentialInBody } from '../../src/tracking-issues-text.js';
import { type GithubIssuesStandin, startGithubIssuesStandin } from '../../test-support/github-issues-standin.js';
import { type Standin, startStandin } from '../../test-support/openai-standin.js';
import { prepareCodexHome, realCodexBin, realCodexEnv } from '../../test-support/real-codex.js';
import { type ActionRun, cleanup, findSecretLeaks, runAction } from '../../test-support/run-action.js';
import { proseText, renderGfm, tagNames } from '../../test-support/render-gfm.js';

jest.setTimeout(90_000);

const CODEX = 'codex exec --skip-git-repo-check "fix the tests"';

let openai: Standin;
let gh: GithubIssuesStandin;
let bin: string;
const runs: ActionRun[] = [];
/** Every value a run was given that is a secret: no issue or comment may hold one. */
const given: string[] = [];

beforeAll(async () => {
  openai = await startStandin({ reply: 'Fixed.' });
  gh = await startGithubIssuesStandin({ repository: 'octo/app' });
  bin = realCodexBin();
});
afterAll(async () => {
  for (const r of runs) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  await openai.close();
  await gh.close();
});

let runNumber = 100;
/** One workflow run with `report-issues` on (unless the inputs say otherwise), its token allowed to write issues. */
async function workflowRun(inputs: Record<string, string>, token = gh.token({ issues: 'write' })) {
  for (const value of Object.values(inputs)) if (value.length > 8) given.push(value);
  given.push(token);
  runNumber += 1;
  const r = await runAction({
    inputs: { run: CODEX, 'retry-wait-seconds': '0', 'report-issues': 'true', 'github-token': token, ...inputs },
    env: {
      ...realCodexEnv(bin, openai),
      ...gh.env(),
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_RUN_ID: String(runNumber),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'nightly codex',
      GITHUB_JOB: 'codex',
    },
    prepare: ({ home }) => {
      prepareCodexHome(home, openai);
    },
  });
  runs.push(r);
  const warnings = r.main.commands.filter((c) => c.command === 'warning');
  return { ...r, warnings, runUrl: `https://github.example/octo/app/actions/runs/${runNumber}/attempts/1` };
}

const openIssues = () => gh.issues().filter((i) => i.state === 'open');
const about = (input: string) => gh.issues().filter((i) => credentialInBody(i.body)?.input === input);
const deadLogin = () => JSON.stringify(openai.chatgptAuth({ refresh: 'reused', accessExpired: true }));
const freshLogin = () => JSON.stringify(openai.chatgptAuth({ refresh: 'rotate' }));

describe('tracking issues with the real codex', () => {
  it('a run recovered from a dead codex-auth-json opens one issue: what died, when, the run, the fix, what codex said', async () => {
    const r = await workflowRun({ 'codex-auth-json': deadLogin(), 'openai-api-key': openai.apiKey('accept') });
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'true' });
    expect(openIssues()).toHaveLength(1);
    const [issue] = about('codex-auth-json');
    expect(issue.title).toBe('codex-reauth: the credential in codex-auth-json was rejected');
    const html = renderGfm(issue.body);
    const text = proseText(html).replace(/\s+/g, ' ');
    for (const part of ['What died:', 'was already used', 'When:', 'The run recovered', 'Fix:', 'What codex said:'])
      expect(text).toContain(part);
    expect(html).toContain(`<a href="${r.runUrl}">`);
    expect(html).toContain('Your access token could not be refreshed because your refresh token was already used.');
    expect(tagNames(html)).not.toContain('script');
    expect(r.main.stdout).toContain('Tracking issue opened for the ChatGPT login in `codex-auth-json`');
    expect(r.warnings).toHaveLength(1); // the recovery warning, and nothing about the issue
  });

  it('a second such run comments on that issue instead of opening another', async () => {
    const r = await workflowRun({ 'codex-auth-json': deadLogin(), 'openai-api-key': openai.apiKey('accept') });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'true' });
    const issues = about('codex-auth-json');
    expect(issues).toHaveLength(1);
    expect(issues[0].state).toBe('open');
    expect(issues[0].comments).toHaveLength(1);
    expect(issues[0].comments[0]).toContain('**Rejected again**');
    expect(issues[0].comments[0]).toContain(r.runUrl);
  });

  it('a healthy run with a fresh codex-auth-json closes it, saying codex accepted it', async () => {
    const r = await workflowRun({ 'codex-auth-json': freshLogin(), 'openai-api-key': openai.apiKey('accept') });
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'false', 'auth-method': 'chatgpt' });
    const [issue] = about('codex-auth-json');
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    expect(issue.comments.at(-1)).toContain('codex accepted it');
    expect(issue.comments.at(-1)).toContain(r.runUrl);
    expect(openIssues()).toHaveLength(0);
  });

  it('a failed run opens one issue for each dead credential', async () => {
    const r = await workflowRun({
      'codex-auth-json': JSON.stringify(openai.chatgptAuth({ refresh: 'expired', accessExpired: true })),
      'openai-api-key': openai.apiKey('invalid_api_key'),
    });
    expect(r.main.exitCode).toBe(1);
    expect(r.main.outputs['failure-kind']).toBe('api-key-invalid');
    expect(openIssues().map((i) => credentialInBody(i.body)?.input)).toEqual(['codex-auth-json', 'openai-api-key']);
    const keyIssue = about('openai-api-key')[0];
    expect(keyIssue.body).toContain('The run failed');
    // codex quotes part of the rejected key (sk-abc***wxyz): the issue does not
    expect(keyIssue.body).not.toMatch(/sk-(?!\*\*\*)/);
  });

  it('report-issues: false (the default) makes no GitHub API call at all', async () => {
    const before = gh.requests.length;
    const off = await workflowRun({ 'report-issues': 'false', 'codex-auth-json': deadLogin(), 'openai-api-key': openai.apiKey('accept') });
    expect(off.main.outputs).toMatchObject({ recovered: 'true' });
    // Not given at all: action.yml's default (false) and `${{ github.token }}` as the token.
    const byDefault = await runAction({
      inputs: { run: CODEX, 'retry-wait-seconds': '0', 'openai-api-key': openai.apiKey('invalid_api_key') },
      env: { ...realCodexEnv(bin, openai), ...gh.env() },
      githubToken: gh.token({ issues: 'write' }),
      prepare: ({ home }) => {
        prepareCodexHome(home, openai);
      },
    });
    runs.push(byDefault);
    expect(byDefault.main.outputs['failure-kind']).toBe('api-key-invalid');
    expect(gh.requests.length).toBe(before);
  });

  it('a token without issues: write gives one warning, and the run still succeeds', async () => {
    const before = gh.issues().length;
    const r = await workflowRun(
      { 'codex-auth-json': deadLogin(), 'openai-api-key': openai.apiKey('accept') },
      gh.token({ issues: 'read' }),
    );
    expect(r.main.exitCode).toBe(0);
    expect(r.main.outputs).toMatchObject({ 'failure-kind': 'none', recovered: 'true' });
    const tracking = r.warnings.filter((w) => w.properties.title === 'codex-reauth: tracking issue not updated');
    expect(tracking).toHaveLength(1);
    expect(tracking[0].message).toContain('`issues: write`');
    expect(r.warnings).toHaveLength(2); // the recovery warning and this one
    expect(gh.issues()).toHaveLength(before);
  });

  it('no secret in any issue body or comment, nor in the runs', () => {
    const texts = gh.issues().flatMap((i) => [i.title, i.body, ...i.comments]);
    expect(texts.length).toBeGreaterThan(3);
    const secrets = [...new Set([...given, ...openai.issued(), ...gh.issued()])];
    for (const text of texts) {
      for (const secret of secrets) expect(text.includes(secret)).toBe(false);
      expect(text).not.toMatch(/sk-(?!\*\*\*)/);
    }
    for (const r of runs) expect(findSecretLeaks(r, [...openai.issued(), ...gh.issued()])).toEqual([]);
  });
});
