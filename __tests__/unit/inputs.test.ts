import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inputErrorOf } from '../../test-support/input-error.js';
import { InputError, MAX_TIMEOUT_MINUTES, parseAuthJson, readSettings, resolveCodexHome } from '../../src/inputs.js';

const AUTH = { auth_mode: 'chatgpt', tokens: { id_token: 'a.b.c', access_token: 'acc', refresh_token: 'rt-1', account_id: 'x' } };

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-'));
  fs.mkdirSync(path.join(tmp, 'home'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function settings(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const all: Record<string, string> = { run: 'codex exec hi', ...inputs };
  return readSettings({ getInput: (name) => all[name] ?? '', env, platform: 'linux', homedir: path.join(tmp, 'home') });
}

const inputError = inputErrorOf;

describe('readSettings', () => {
  it('applies the defaults', () => {
    const s = settings({});
    expect(s).toMatchObject({ shell: 'bash', login: 'auto', maxAttempts: 3, timeoutMs: 0, retryWaitMs: 10_000, secrets: [] });
    expect(s.codexHome).toBe(path.join(tmp, 'home', '.codex'));
  });

  it('orders secrets: codex-auth-json, then openai-api-key', () => {
    const s = settings({ 'openai-api-key': 'sk-x', 'codex-auth-json': JSON.stringify(AUTH) });
    expect(s.secrets).toEqual(['chatgpt', 'api-key']);
  });

  it('takes fractions of minutes', () => {
    expect(settings({ 'timeout-minutes': '0.5' }).timeoutMs).toBe(30_000);
  });

  it('a keeper run (access-only-secret) needs no run', () => {
    expect(settings({ run: '', 'access-only-secret': 'CODEX_AUTH_ACCESS' }).run).toBe('');
  });

  it('uses $CODEX_HOME when codex-home is empty', () => {
    expect(settings({}, { CODEX_HOME: path.join(tmp, 'ch') }).codexHome).toBe(path.join(tmp, 'ch'));
  });

  it.each([
    [{ run: '  ' }, 'run', 'is required'],
    [{ 'access-only-secret': 'CODEX_AUTH_ACCESS' }, 'run', "is set, but 'access-only-secret' makes this step a keeper"],
    [{ 'max-attempts': '0' }, 'max-attempts', 'must be a whole number of 1 or more'],
    [{ 'max-attempts': '2.5' }, 'max-attempts', 'must be a whole number'],
    [{ 'max-attempts': 'three' }, 'max-attempts', 'must be a whole number'],
    [{ 'timeout-minutes': '-1' }, 'timeout-minutes', 'must be a plain decimal number'],
    [{ 'timeout-minutes': 'soon' }, 'timeout-minutes', 'must be a plain decimal number'],
    [{ 'timeout-minutes': '0x10' }, 'timeout-minutes', 'must be a plain decimal number'],
    [{ 'timeout-minutes': '1e3' }, 'timeout-minutes', 'must be a plain decimal number'],
    [{ 'timeout-minutes': 'Infinity' }, 'timeout-minutes', 'must be a plain decimal number'],
    [{ 'timeout-minutes': '35792' }, 'timeout-minutes', 'must be at most 35791 minutes'],
    [{ 'max-attempts': '0x10' }, 'max-attempts', 'must be a whole number'],
    [{ 'max-attempts': '1e3' }, 'max-attempts', 'must be a whole number'],
    [{ 'max-attempts': '+3' }, 'max-attempts', 'must be a whole number'],
    [{ 'retry-wait-seconds': '-5' }, 'retry-wait-seconds', 'must be a plain decimal number'],
    [{ 'retry-wait-seconds': 'Infinity' }, 'retry-wait-seconds', 'must be a plain decimal number'],
    [{ 'codex-home': 'relative/codex' }, 'codex-home', 'must be an absolute path'],
    [{ 'timeout-minutes': '0.000001' }, 'timeout-minutes', 'too small to be a limit'],
    [{ 'openai-api-key': '"sk-proj-abcdef123456"' }, 'openai-api-key', 'wrapped in quotes'],
    [{ 'openai-api-key': "'sk-proj-abcdef123456'" }, 'openai-api-key', 'wrapped in quotes'],
    [{ 'openai-api-key': '{"auth_mode":"apikey","OPENAI_API_KEY":"sk-x"}' }, 'openai-api-key', 'looks like JSON'],
    [{ login: 'sometimes' }, 'login', 'must be one of auto, always, on-failure'],
    [{ login: 'always' }, 'login', 'nothing to sign in with'],
    [{ shell: 'fish' }, 'shell', 'must be one of bash, sh, pwsh'],
    [{ 'codex-auth-json': '{"tokens": ' }, 'codex-auth-json', 'is not valid JSON'],
    [{ 'codex-auth-json': '%%%not base64%%%' }, 'codex-auth-json', 'neither JSON nor base64'],
    [{ 'codex-auth-json': Buffer.from('hello there').toString('base64') }, 'codex-auth-json', 'decodes to is not JSON'],
    [{ 'codex-auth-json': '{"auth_mode":"apikey","OPENAI_API_KEY":"sk-secret"}' }, 'codex-auth-json', 'put the key in `openai-api-key`'],
    [{ 'codex-auth-json': '{"tokens":{"access_token":"a"}}' }, 'codex-auth-json', '"refresh_token"'],
    [{ 'openai-api-key': 'sk-one sk-two' }, 'openai-api-key', 'white space'],
    [{ 'codex-home': '/' }, 'codex-home', 'root folder'],
  ])('rejects %j naming %s', (inputs, input, problem) => {
    const error = inputError(() => settings(inputs as Record<string, string>));
    expect(error.input).toBe(input);
    expect(error.message).toContain(problem);
  });

  it('never repeats a secret value in an error', () => {
    const error = inputError(() => settings({ 'codex-auth-json': '{"tokens": "sk-very-secret-value' }));
    expect(error.message).not.toContain('sk-very-secret-value');
  });
});

describe('parseAuthJson', () => {
  it('accepts raw and base64 (with line breaks, as `base64` wraps)', () => {
    const raw = JSON.stringify(AUTH);
    const b64 = Buffer.from(raw)
      .toString('base64')
      .replace(/(.{20})/g, '$1\n');
    expect(parseAuthJson(raw).parsed.tokens.refresh_token).toBe('rt-1');
    expect(parseAuthJson(b64).parsed.tokens.refresh_token).toBe('rt-1');
  });
});

describe('resolveCodexHome', () => {
  const envr = () => ({ env: { RUNNER_TEMP: path.join(tmp, 'rt') }, homedir: path.join(tmp, 'home') });

  it('refuses the home folder itself, by any spelling', () => {
    expect(() => resolveCodexHome('~', envr())).toThrow(/home folder itself/);
    expect(() => resolveCodexHome(path.join(tmp, 'home') + '/', envr())).toThrow(/home folder itself/);
  });

  it('expands ~/', () => {
    expect(resolveCodexHome('~/.codex-ci', envr())).toBe(path.join(tmp, 'home', '.codex-ci'));
  });

  it('refuses a symlink leading outside the expected places', () => {
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(tmp, 'home', '.codex'));
    expect(() => resolveCodexHome('', envr())).toThrow(/symlink to .*elsewhere/);
  });

  it('accepts a symlink into the home folder', () => {
    fs.mkdirSync(path.join(tmp, 'home', 'real-codex'));
    fs.symlinkSync(path.join(tmp, 'home', 'real-codex'), path.join(tmp, 'home', '.codex'));
    expect(resolveCodexHome('', envr())).toBe(path.join(tmp, 'home', '.codex'));
  });

  it('refuses a file', () => {
    fs.writeFileSync(path.join(tmp, 'home', '.codex'), 'x');
    expect(() => resolveCodexHome('', envr())).toThrow(/not a folder/);
  });
});

describe('readSettings: numbers', () => {
  it.each([
    ['max-attempts', '12', 'maxAttempts', 12],
    ['retry-wait-seconds', '90', 'retryWaitMs', 90_000],
    ['timeout-minutes', String(MAX_TIMEOUT_MINUTES), 'timeoutMs', MAX_TIMEOUT_MINUTES * 60_000], // the longest limit itself
  ])('takes %s: %s', (input, value, field, expected) => {
    expect(settings({ [input]: value })).toMatchObject({ [field]: expected });
  });

  it.each([
    ['max-attempts', 'three', "Input 'max-attempts' must be a whole number of 1 or more, like '3'; got 'three'."],
    ['retry-wait-seconds', 'ten', "Input 'retry-wait-seconds' must be a plain decimal number of 0 or more, like '2.5'; got 'ten'."],
    [
      'timeout-minutes',
      '0.000001',
      "Input 'timeout-minutes' is too small to be a limit (under a millisecond); use 0 for no limit; got '0.000001'.",
    ],
  ])('the error for %s shows an example and quotes the value given', (input, value, message) => {
    expect(inputError(() => settings({ [input]: value })).message).toBe(message);
  });
});

describe('readSettings: white space around inputs', () => {
  // core.getInput trims today; readSettings must not depend on it (a `run` script keeps its indentation
  // only when read untrimmed).
  it('ignores it around every value', () => {
    const auth = JSON.stringify(AUTH);
    const padded = settings({
      shell: ' sh\n',
      login: ' always \n',
      'max-attempts': ' 5\n',
      'timeout-minutes': ' 1.5 ',
      'retry-wait-seconds': '\t2\n',
      'openai-api-key': ' sk-proj-abcdef123456\n',
      'codex-auth-json': `\n${auth}\n`,
    });
    expect(padded).toMatchObject({
      shell: 'sh',
      login: 'always',
      maxAttempts: 5,
      timeoutMs: 90_000,
      retryWaitMs: 2_000,
      openaiApiKey: 'sk-proj-abcdef123456',
      secrets: ['chatgpt', 'api-key'],
    });
  });

  it('takes inputs holding only white space as not set', () => {
    const blank = settings({ shell: ' ', login: '\n', 'max-attempts': ' ', 'openai-api-key': ' \n', 'codex-auth-json': '\n  \n' });
    expect(blank).toMatchObject({ shell: 'bash', login: 'auto', maxAttempts: 3, openaiApiKey: null, codexAuthJson: null, secrets: [] });
  });
});

describe("readSettings: login 'always'", () => {
  it.each([
    [{ 'openai-api-key': 'sk-proj-abcdef123456' }, ['api-key']],
    [{ 'codex-auth-json': JSON.stringify(AUTH) }, ['chatgpt']],
  ])('is accepted with a secret to sign in with (%j)', (inputs, secrets) => {
    expect(settings({ login: 'always', ...inputs })).toMatchObject({ login: 'always', secrets });
  });
});

describe('resolveCodexHome: more spellings', () => {
  const envr = (env: NodeJS.ProcessEnv = {}) => ({ env: { RUNNER_TEMP: path.join(tmp, 'rt'), ...env }, homedir: path.join(tmp, 'home') });

  it('a ~ inside a path is an ordinary character (an editor backup folder), not the home folder', () => {
    const dir = path.join(tmp, 'rt', 'codex~', 'home');
    expect(resolveCodexHome(dir, envr())).toBe(dir);
  });

  it('a blank codex-home falls back to $CODEX_HOME, and an error names $CODEX_HOME', () => {
    const error = inputError(() => resolveCodexHome(' \n', envr({ CODEX_HOME: path.join(tmp, 'home') })));
    expect(error.input).toBe('codex-home (from $CODEX_HOME)');
  });

  it('refuses a folder inside the workspace when GITHUB_WORKSPACE is itself a symlink, by either path', () => {
    const real = path.join(tmp, 'work-real');
    const linked = path.join(tmp, 'work');
    fs.mkdirSync(real);
    fs.symlinkSync(real, linked);
    for (const dir of [path.join(linked, 'codex'), path.join(real, 'codex')]) {
      expect(inputError(() => resolveCodexHome(dir, envr({ GITHUB_WORKSPACE: linked }))).message).toContain('is inside the workspace');
    }
  });
});

describe('InputError', () => {
  it('names the input and shows as an InputError where a stack trace or a log prints it', () => {
    const error = new InputError('retry-wait-seconds', 'must be a whole number of seconds, got -1.');
    expect(error.message).toBe("Input 'retry-wait-seconds' must be a whole number of seconds, got -1.");
    expect(error.input).toBe('retry-wait-seconds');
    expect(String(error)).toBe("InputError: Input 'retry-wait-seconds' must be a whole number of seconds, got -1.");
  });
});

describe('codex-access-token', () => {
  it('stands between the ChatGPT login and the API key on the ladder', () => {
    const s = settings({ 'openai-api-key': 'sk-x', 'codex-access-token': 'at-token-6000', 'codex-auth-json': JSON.stringify(AUTH) });
    expect(s.secrets).toEqual(['chatgpt', 'access-token', 'api-key']);
    expect(s.codexAccessToken).toBe('at-token-6000');
    expect(settings({ 'codex-access-token': 'at-token-6000' }).secrets).toEqual(['access-token']);
    expect(settings({}).codexAccessToken).toBeNull();
  });

  it('a mix-up is an input error naming codex-access-token, never its value', () => {
    const e = inputError(() => settings({ 'codex-access-token': 'sk-proj-6001-secret' }));
    expect(e.input).toBe('codex-access-token');
    expect(e.message).not.toContain('6001');
  });

  it('an access token given as openai-api-key is named as such', () => {
    const e = inputError(() => settings({ 'openai-api-key': 'at-token-6002' }));
    expect(e.input).toBe('openai-api-key');
    expect(e.message).toBe(
      "Input 'openai-api-key' looks like a workspace access token (`at-…`), not an API key: pass it as `codex-access-token` instead.",
    );
  });

  it("login 'always' with only an access token has something to sign in with; with nothing, the error names all three", () => {
    expect(settings({ login: 'always', 'codex-access-token': 'at-token-6003' }).secrets).toEqual(['access-token']);
    expect(inputError(() => settings({ login: 'always' })).message).toBe(
      "Input 'login' is 'always', but none of `codex-auth-json`, `codex-access-token` and `openai-api-key` is set: there is nothing to sign in with. Pass one of them from a secret, or use `login: auto`. (Secrets are empty in workflows triggered from forks.)",
    );
  });
});
