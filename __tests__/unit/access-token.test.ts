// The workspace access token's pure rules: which inputs are refused and how the refusal reads (never
// with the value), the login file codex writes, and what codex's answers to a token check mean. The
// answers are codex 0.171.0's own words, captured against a loopback stand-in of the auth server.
import { describe, expect, it } from '@jest/globals';
import {
  accessTokenAuthJson,
  accessTokenCheckEvidence,
  looksLikeAccessToken,
  parseAccessToken,
  readAccessTokenCheck,
} from '../../src/access-token.js';
import { inputErrorOf } from '../../test-support/input-error.js';

const refusal = (value: string) => inputErrorOf(() => parseAccessToken(value));

describe('parseAccessToken', () => {
  it('takes a token as a workspace admin issues it, and nothing for an empty input', () => {
    expect(parseAccessToken('at-0123456789abcdefABCDEF')).toBe('at-0123456789abcdefABCDEF');
    expect(parseAccessToken('')).toBeNull();
    expect(parseAccessToken('   \n')).toBeNull();
  });

  const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXBhcnQ';
  // Each mix-up and the words that name it; the whole message is fixed text.
  it.each([
    ['an API key', 'sk-proj-0123456789abcdef0123', 'looks like an OpenAI API key (`sk-…`)'],
    ['a JWT (a ChatGPT token)', JWT, 'looks like a JWT'],
    [
      'a whole auth.json',
      '{\n  "auth_mode": "chatgpt",\n  "tokens": {"refresh_token": "rt-secret-1"}\n}',
      'looks like JSON (a whole auth.json?)',
    ],
    ['double quotes around it', '"at-0123456789abcdef"', 'is wrapped in quotes'],
    ['single quotes around it', "'at-0123456789abcdef'", 'is wrapped in quotes'],
    ['curly quotes around it', '\u201cat-0123456789abcdef\u201d', 'is wrapped in quotes'],
    ['a trailing line break', 'at-0123456789abcdef\n', 'has white space (a space or a line break) in it or around it'],
    ['a leading space', ' at-0123456789abcdef', 'has white space'],
    ['a space inside', 'at-0123 456789abcdef', 'has white space'],
    ['a masked value copied from a log', '***', 'is `***`'],
    ['a longer masked value', '*******', 'is `***`'],
    ['a workflow expression stored as text', '${{ secrets.CODEX_ACCESS_TOKEN }}', 'contains a workflow expression'],
    ['something else', 'ghp_0123456789abcdef0123456789', 'does not start with `at-`'],
    ['the prefix alone', 'at-', 'is only the `at-` prefix'],
  ])('%s: refused, naming the input and the mix-up, never the value', (_what, value, words) => {
    const error = refusal(value);
    expect(error.input).toBe('codex-access-token');
    expect(error.message).toContain(words);
    for (const piece of [value.trim(), '0123456789abcdef', 'rt-secret-1', 'sig', 'proj-0123']) {
      if (piece.length >= 8) expect(error.message).not.toContain(piece);
    }
  });
});

describe('looksLikeAccessToken (for an access token given as an API key)', () => {
  it.each([
    ['at-0123456789', true],
    ['at-', false],
    ['sk-at-0123', false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(looksLikeAccessToken(value)).toBe(expected);
  });
});

describe('accessTokenAuthJson', () => {
  it('is the file codex 0.171 writes after `codex login --with-access-token` (no auth_mode)', () => {
    expect(JSON.parse(accessTokenAuthJson('at-good-1'))).toEqual({ OPENAI_API_KEY: null, personal_access_token: 'at-good-1' });
    expect(accessTokenAuthJson('at-good-1')).toBe('{\n  "OPENAI_API_KEY": null,\n  "personal_access_token": "at-good-1"\n}\n');
  });
});

describe("codex's answers to a token check (codex 0.171.0)", () => {
  const LOGIN_REVOKED =
    'Reading access token from stdin...\nError logging in with access token: personal access token metadata request failed with status 401 Unauthorized\n';
  const STATUS_REVOKED = 'Error checking login status: personal access token metadata request failed with status 401 Unauthorized\n';
  const UNREACHABLE =
    'Reading access token from stdin...\nError logging in with access token: failed to request personal access token metadata: error sending request for url (http://127.0.0.1:1/v1/user-auth-credential/whoami)\n';
  it.each([
    ['login accepted', 0, 'Reading access token from stdin...\nSuccessfully logged in\n', 'accepted'],
    ['status accepted', 0, 'Logged in using personal access token\n', 'accepted'],
    ['login refused (401)', 1, LOGIN_REVOKED, 'rejected'],
    ['status refused (401)', 1, STATUS_REVOKED, 'rejected'],
    ['refused with 403', 1, STATUS_REVOKED.replace('401 Unauthorized', '403 Forbidden'), 'rejected'],
    ['auth server answered 500', 1, STATUS_REVOKED.replace('401 Unauthorized', '500 Internal Server Error'), 'unchecked'],
    ['auth server unreachable', 1, UNREACHABLE, 'unchecked'],
    ['empty stdin', 1, 'Reading access token from stdin...\nNo access token provided via stdin.\n', 'unchecked'],
    [
      'codex 0.130: an at- token read as an agent-identity JWT',
      1,
      'Reading access token from stdin...\nError logging in with access token: failed to decode agent identity JWT: invalid agent identity JWT format\n',
      'unsupported',
    ],
    [
      'a codex without the flag',
      2,
      "error: unexpected argument '--with-access-token' found\n\nUsage: codex login [OPTIONS] [COMMAND]\n",
      'unsupported',
    ],
  ] as const)('%s → %s', (_what, exitCode, output, expected) => {
    expect(readAccessTokenCheck(exitCode, output)).toBe(expected);
  });

  it("quotes codex's error line, not its chatter", () => {
    expect(accessTokenCheckEvidence(LOGIN_REVOKED)).toBe(
      'Error logging in with access token: personal access token metadata request failed with status 401 Unauthorized',
    );
    expect(
      accessTokenCheckEvidence(
        'WARNING: proceeding, even though we could not create PATH aliases: Refusing to create helper binaries\n' + STATUS_REVOKED,
      ),
    ).toBe('Error checking login status: personal access token metadata request failed with status 401 Unauthorized');
    expect(accessTokenCheckEvidence('Reading access token from stdin...\n')).toBeNull();
    expect(accessTokenCheckEvidence(`Error: ${'x'.repeat(500)}`)).toHaveLength(200);
  });
});
