import { describe, expect, it } from '@jest/globals';
import { parseAuthJson } from '../../src/auth-json.js';
import { AUTH, b64, problemOf, RAW } from '../../test-support/auth-json-fixture.js';

// Every secret-looking part of the values contains SECRET (test-support/auth-json-fixture.ts), so a
// test can check that no error ever repeats it.

describe('parseAuthJson accepts what codex wrote', () => {
  it.each([
    ['raw JSON', RAW],
    ['one-line JSON', JSON.stringify(AUTH)],
    ['base64', b64(RAW)],
    ['base64 wrapped at 76 columns, as `base64` writes it', b64(RAW).replace(/(.{76})/g, '$1\n')],
    ['base64url', Buffer.from(RAW).toString('base64url')],
    ['with surrounding blank lines and CRLF', `\r\n${RAW.replace(/\n/g, '\r\n')}\r\n`],
    ['with a byte-order mark', `\uFEFF${RAW}`],
    ['base64 of a tab-indented file', b64(JSON.stringify(AUTH, null, '\t'))],
    ['base64 of a file with Windows line endings', b64(RAW.replace(/\n/g, '\r\n'))],
    ['base64 of a file saved with a byte-order mark', b64(`\uFEFF${RAW}`)],
  ])('%s', (_label, value) => {
    const { parsed, text } = parseAuthJson(value);
    expect(parsed.tokens.refresh_token).toBe('rt-SECRET-refresh-0001');
    expect(JSON.parse(text)).toEqual(AUTH);
  });
});

it('an access-only copy (`"refresh_token": ""`) is accepted as it is', () => {
  const copy = { ...AUTH, auth_mode: 'chatgptAuthTokens', tokens: { ...AUTH.tokens, refresh_token: '' } };
  const { parsed } = parseAuthJson(JSON.stringify(copy));
  expect(parsed.tokens).toMatchObject({ refresh_token: '', access_token: AUTH.tokens.access_token });
  expect(parsed.auth_mode).toBe('chatgptAuthTokens');
});

describe('parseAuthJson names the likely mix-up, never the value', () => {
  const lsListing = [
    'total 24',
    'drwx------  5 runner runner 4096 Nov 24 09:50 .',
    '-rw-------  1 runner runner 4215 Nov 24 09:50 auth.json',
    '-rw-r--r--  1 runner runner  120 Nov 24 09:50 config.toml',
    'drwxr-xr-x  3 runner runner 4096 Nov 24 09:50 sessions',
  ].join('\n');
  const cat = `==> /home/me/.codex/auth.json <==\n${RAW}\n\n==> /home/me/.codex/config.toml <==\nmodel = "gpt-5"\n`;

  it.each([
    [
      'an API key',
      'sk-proj-SECRETabcdefghijklmnop',
      'looks like an OpenAI API key (`sk-…`), not a ChatGPT login: pass it as `openai-api-key`',
    ],
    ['base64 of an API key', b64('sk-proj-SECRETabcdefghijklmnop'), 'is base64, and what it decodes to looks like an OpenAI API key'],
    ['plain text', 'my SECRET chatgpt login', 'is neither JSON nor base64 of JSON'],
    ['one word that fits the base64 alphabet', 'SECRETpassword', 'is neither JSON nor base64 of JSON'],
    ['non-JSON text in base64', b64('hello SECRET there'), 'what it decodes to is not JSON'],
    ["GitHub's mask", '***', 'that is how GitHub prints a masked secret'],
    ['a workflow expression stored as text', '${{ secrets.SECRET }}', 'contains a workflow expression'],
    ['a single JWT', AUTH.tokens.access_token, 'looks like a single token (a JWT)'],
    ['the path instead of the file', '/home/SECRET/.codex/auth.json', 'is a file path'],
    ['a Windows path', 'C:\\Users\\SECRET\\.codex\\auth.json', 'is a file path'],
    ['the ~/.codex folder as a path', '~/.codex/', 'is a file path'],
    ['an `ls -l ~/.codex` listing', lsListing, 'listing or several files of the ~/.codex folder'],
    ['`head ~/.codex/*` output', cat, 'listing or several files of the ~/.codex folder'],
    ['the folder entries, one per line', 'auth.json\nconfig.toml\nsessions/\nlog/', 'listing or several files of the ~/.codex folder'],
    ['config.toml', 'model = "gpt-5"\n[model_providers.SECRET]\nname = "x"', 'looks like TOML (config.toml?)'],
    ['base64 of a zip archive', b64(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6])), 'is base64 of an archive'],
    ['base64 of a tar.gz archive', b64(Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8])), 'is base64 of an archive'],
    ['base64 twice', b64(b64(RAW)), 'is base64 of base64 (encoded twice)'],
    ['an API-key login', JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-SECRET-key' }), 'is an API-key login'],
    ['an API-key login without auth_mode', JSON.stringify({ OPENAI_API_KEY: 'sk-SECRET-key' }), 'put the key in `openai-api-key`'],
    ['an API-key login in base64', b64(JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-SECRET' })), 'is an API-key login'],
    ['single quotes around it', `'${JSON.stringify(AUTH)}'`, 'is wrapped in quotes'],
    ['backticks around it', `\`${JSON.stringify(AUTH)}\``, 'is wrapped in quotes'],
    ['a JSON string of the file', JSON.stringify(JSON.stringify(AUTH)), 'is wrapped in double quotes'],
    ['double quotes around base64', `"${b64(RAW)}"`, 'is wrapped in double quotes'],
    ['backslash-escaped quotes', JSON.stringify(JSON.stringify(AUTH)).slice(1, -1), 'has backslash-escaped quotes'],
    ['typographic quotes', JSON.stringify(AUTH).replace(/"/g, '\u201C'), 'contains typographic quotes'],
    ['a YAML block indicator', `|\n  ${JSON.stringify(AUTH)}`, 'starts with a YAML block indicator'],
    ['a folded YAML block indicator', `>-\n  ${JSON.stringify(AUTH)}`, 'starts with a YAML block indicator'],
    ['the workflow line', `codex-auth-json: ${JSON.stringify(AUTH)}`, 'starts with a name followed by `:` or `=`'],
    ['an .env line', `CODEX_AUTH_JSON='${JSON.stringify(AUTH)}'`, 'starts with a name followed by `:` or `=`'],
    ['the file cut short', RAW.slice(0, 200), 'is not valid JSON: it ends before its closing `}`'],
    ['the file edited', RAW.replace('"tokens":', '"tokens" SECRET:'), 'is not valid JSON (it may have been cut or edited)'],
    ['a JSON array', '["SECRET"]', 'must be a JSON object'],
    ['the file wrapped under a name', JSON.stringify({ 'auth.json': AUTH }), 'wraps the file in another object'],
    ['no tokens at all', JSON.stringify({ auth_mode: 'chatgpt', last_refresh: 'x', tokens: null }), 'has no "tokens" object'],
    ['tokens without a refresh token', JSON.stringify({ tokens: { access_token: 'SECRET' } }), '"refresh_token"'],
    [
      'tokens with an empty refresh token and an empty access token',
      JSON.stringify({ tokens: { access_token: '', refresh_token: '' } }),
      'both empty',
    ],
    [
      'tokens with a null refresh token (codex ignores such a file)',
      JSON.stringify({ tokens: { access_token: 'SECRET', refresh_token: null } }),
      '"refresh_token"',
    ],
    ['tokens without an access token', JSON.stringify({ tokens: { refresh_token: 'SECRET' } }), '"access_token"'],
  ])('%s', (_label, value, expected) => {
    const message = problemOf(value);
    expect(message).toContain(expected);
    expect(message).toMatch(/^Input 'codex-auth-json' /);
    expect(message).not.toContain('SECRET');
  });

  // The same mix-ups in the other shapes they come in: each must still get its own message.
  const oneLine = JSON.stringify(AUTH);
  it.each([
    ['the ~/.codex folder as a path without a trailing slash', '~/.codex', 'is a file path'],
    ['a YAML block with an indentation indicator', `>2\n  ${oneLine}`, 'starts with a YAML block indicator'],
    ['a YAML block indicator with trailing spaces', `|  \n  ${oneLine}`, 'starts with a YAML block indicator'],
    ['a YAML block indicator alone (only the first line copied)', '>', 'starts with a YAML block indicator'],
    ['config.toml without tables', 'model = "o3"\napproval_policy = "never"', 'looks like TOML'],
    ['config.toml written without spaces around `=`', 'model="o3"\napproval_policy="never"', 'looks like TOML'],
    [
      'config.toml with numbers only, without spaces',
      'model_context_window=200000\nmodel_auto_compact_token_limit=150000',
      'looks like TOML',
    ],
    ['a TOML table with one key (trailing spaces after the header)', '[profiles.work]  \nmodel = "o3"', 'looks like TOML'],
    ['a TOML table with an indented header', 'model = "o3"\n  [profiles.work]', 'looks like TOML'],
    ['config.toml with indented keys', 'model = "o3"\n  approval_policy = "never"', 'looks like TOML'],
    ['the workflow line with a space before `:`', `codex-auth-json : ${oneLine}`, 'starts with a name followed by `:` or `=`'],
    ['the workflow line without a space after `:`', `codex-auth-json:${oneLine}`, 'starts with a name followed by `:` or `=`'],
    ['an .env line with spaces around `=`', `CODEX_AUTH_JSON = '${oneLine}'`, 'starts with a name followed by `:` or `=`'],
    ['single quotes around the indented file', `'${RAW}'`, 'is wrapped in quotes'],
    ['backticks around the indented file', `\`${RAW}\``, 'is wrapped in quotes'],
    ['double quotes around the indented file', `"${RAW}"`, 'is wrapped in double quotes'],
    ['the indented file with backslash-escaped quotes', RAW.replace(/"/g, '\\"'), 'has backslash-escaped quotes'],
    ['one `ls -l` line', '-rw------- 1 runner runner 4215 Nov 24 09:50 /home/runner/.codex/auth.json', 'listing or several files'],
    [
      'one `ls -l` line from macOS (extended attributes)',
      '-rw-------@ 1 me staff 4215 Nov 24 09:50 /Users/me/.codex/auth.json',
      'listing or several files',
    ],
    ['one `ls -l` line from SELinux', '-rw-------. 1 me me 4215 Nov 24 09:50 /home/me/.codex/auth.json', 'listing or several files'],
    [
      'an `ls -l` pasted from an indented code block',
      '$ ls -l ~/.codex/auth.json\n    -rw------- 1 me me 4215 Nov 24 09:50 /home/me/.codex/auth.json',
      'listing or several files',
    ],
    ['`ls -s` of a folder holding auth.json only', 'total 12\n12 auth.json', 'listing or several files'],
    ['`ls -l` of an empty folder', 'total 0', 'listing or several files'],
    ['two folder entries', 'auth.json\nconfig.toml', 'listing or several files'],
    [
      'base64 of auth.json, then base64 of config.toml',
      `${b64(`${RAW}\n`)}\n${b64('model = "o3"\n')}`,
      'is neither JSON nor base64 of JSON',
    ],
    ['an API-key login whose key was removed', JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: null }), 'is an API-key login'],
    [
      'the file stored as a string under a name',
      JSON.stringify({ CODEX_AUTH_JSON: JSON.stringify(AUTH) }),
      'wraps the file in another object',
    ],
  ])('%s', (_label, value, expected) => {
    const message = problemOf(value);
    expect(message).toContain(expected);
    expect(message).not.toContain('SECRET');
  });

  it('points at the fix: the file itself, stored with gh, or the right input', () => {
    expect(problemOf('***')).toContain('`gh secret set <name> < ~/.codex/auth.json`');
    expect(problemOf('plain words')).toContain('`base64 -w0 ~/.codex/auth.json`');
    expect(problemOf('sk-proj-abcdefghijklmnop')).toContain('`openai-api-key`');
  });
});
