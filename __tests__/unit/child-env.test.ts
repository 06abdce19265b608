// The environment the user's script and codex get: a `run:` step's, never the action's own.
import { describe, expect, it } from '@jest/globals';
import { childEnvironment, isActionOnlyVariable } from '../../src/child-env.js';

describe('childEnvironment', () => {
  const runnerEnv: NodeJS.ProcessEnv = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    GITHUB_WORKSPACE: '/w',
    GITHUB_OUTPUT: '/f/out',
    GITHUB_ENV: '/f/env',
    GITHUB_STEP_SUMMARY: '/f/sum',
    RUNNER_TEMP: '/t',
    RUNNER_DEBUG: '1',
    ACTIONS_STEP_DEBUG: 'true',
    ACTIONS_RUNNER_DEBUG: 'true',
    'INPUT_OPENAI-API-KEY': 'sk-secret',
    'INPUT_CODEX-AUTH-JSON': '{"tokens":{}}',
    INPUT_RUN: 'codex exec "hi"',
    STATE_wroteAuthFile: '/home/runner/.codex/auth.json',
    GITHUB_STATE: '/f/state',
    ACTIONS_RUNTIME_TOKEN: 'rt',
    ACTIONS_RUNTIME_URL: 'https://pipelines/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc/',
    ACTIONS_RESULTS_URL: 'https://results/',
    ACTIONS_CACHE_URL: 'https://cache/',
    ACTIONS_CACHE_SERVICE_V2: 'True',
    ACTIONS_SOME_FUTURE_TOKEN: 'x',
    ACTIONS_SOME_FUTURE_SERVICE_URL: 'https://future/',
  };

  it("keeps what a run: step gets and drops every input, the main step's state and the runner's internal credentials", () => {
    const child = childEnvironment(runnerEnv, { CODEX_HOME: '/home/runner/.codex' });
    expect(Object.keys(child).sort()).toEqual(
      [
        'ACTIONS_RUNNER_DEBUG',
        'ACTIONS_STEP_DEBUG',
        'CODEX_HOME',
        'GITHUB_ENV',
        'GITHUB_OUTPUT',
        'GITHUB_STEP_SUMMARY',
        'GITHUB_WORKSPACE',
        'HOME',
        'PATH',
        'RUNNER_DEBUG',
        'RUNNER_TEMP',
      ].sort(),
    );
    expect(child.CODEX_HOME).toBe('/home/runner/.codex');
  });

  it("keeps the user's own tokens and URLs: only the runner's ACTIONS_* services are dropped", () => {
    const user = { GITHUB_TOKEN: 'ghs', GH_TOKEN: 'gh', NPM_TOKEN: 'npm', OPENAI_BASE_URL: 'http://proxy/', DATABASE_URL: 'pg://' };
    expect(childEnvironment({ ...user, ACTIONS_RUNTIME_TOKEN: 'rt' })).toEqual(user);
  });

  it('matches names without regard to case, as Windows does', () => {
    for (const name of ['Input_Openai-Api-Key', 'input_run', 'State_x', 'actions_runtime_token', 'Github_State']) {
      expect(isActionOnlyVariable(name)).toBe(true);
    }
    for (const name of ['INPUTS', 'MY_INPUT_X', 'STATEFUL', 'ACTIONS_STEP_DEBUG', 'GITHUB_OUTPUT', 'Path']) {
      expect(isActionOnlyVariable(name)).toBe(false);
    }
  });

  it('lets what the action adds win over what it inherited, and leaves the input untouched', () => {
    const env = { CODEX_HOME: '/elsewhere', PATH: '/a' };
    expect(childEnvironment(env, { CODEX_HOME: '/mine' })).toEqual({ CODEX_HOME: '/mine', PATH: '/a' });
    expect(env).toEqual({ CODEX_HOME: '/elsewhere', PATH: '/a' });
  });
});
