import { describe, expect, it } from '@jest/globals';
import { parseAuthJson } from '../../src/auth-json.js';
import { AUTH, b64, problemOf, RAW } from '../../test-support/auth-json-fixture.js';

// Values one feature away from a recognised mix-up. The message a user reads must name what the value
// is, so each of these must NOT get the message of the mix-up it resembles. Secret-looking parts
// contain SECRET (test-support/auth-json-fixture.ts), so a test can check that no error repeats them.
const ONE_LINE = JSON.stringify(AUTH);

/** Base64 of the one-line file ending in a single `=` of padding, as `base64` writes it for 3n+2 bytes. */
const B64_ONE_PAD = [ONE_LINE, `${ONE_LINE}\n`, `${ONE_LINE}\n\n`].map(b64).find((text) => /[^=]=$/.test(text)) ?? '';

const NEITHER = 'is neither JSON nor base64 of JSON';
const CUT = 'is not valid JSON: it ends before its closing `}`';

describe('near misses of a mix-up get the message for what they are', () => {
  it('has a base64 fixture with one `=` of padding', () => {
    expect(B64_ONE_PAD).toMatch(/[^=]=$/);
  });

  it.each([
    // Looks like GitHub's mask, but the message says the value *is* `***`.
    ['a key masked at its end, as a dashboard shows it', 'sk-proj-ab***', NEITHER, 'masked secret'],
    ['a key masked at its start', '***ab12', NEITHER, 'masked secret'],
    // Looks like a JWT or a path at its end, but starts with `{`: the file, cut off.
    ['the file cut off inside a token', RAW.slice(0, RAW.indexOf('SECRETsig') + 3), CUT, 'single token'],
    ['a one-line file cut off right after a string', '{"auth_mode": "chatgpt"', CUT, 'double quotes'],
    ['a one-line file cut off right after a path', '{"$schema": "https://example.com/schemas/codex/auth.json', CUT, 'file path'],
    [
      'the file edited into `key = value` lines',
      '{\n  auth_mode = "chatgpt"\n  last_refresh = "2026"\n}',
      'is not valid JSON (it may have been cut or edited)',
      'TOML',
    ],
    // Has `>` or `[name]` somewhere, but not where YAML or TOML puts it.
    ['a placeholder in angle brackets', '<your auth.json>', NEITHER, 'YAML'],
    ['text ending in a bracketed word', 'codex login token [REDACTED]', NEITHER, 'TOML'],
    ['log lines with a bracketed level', 'codex login status\n[INFO] Logged in using ChatGPT', NEITHER, 'TOML'],
    // One `key = value` line is an .env line, not TOML; a `=` inside base64 is padding, not a key.
    ['a single `key = "value"` line', 'CODEX_AUTH_JSON = "SECRET"', 'starts with a name followed by `:` or `=`', 'TOML'],
    ['an .env line holding padded base64', `CODEX_AUTH_JSON="${B64_ONE_PAD}"`, 'starts with a name followed by `:` or `=`', 'TOML'],
    ['padded base64 in double quotes', `"${B64_ONE_PAD}"`, 'is wrapped in double quotes', 'starts with a name'],
    // Starts with `"` but the quote closes early: a member of the file copied without its braces.
    ['the "tokens" member without the outer braces', `"tokens": ${JSON.stringify(AUTH.tokens)}`, NEITHER, 'double quotes'],
    // A curly apostrophe in prose is not JSON with typographic quotes.
    ['a sentence with a curly apostrophe', 'I couldn\u2019t copy the file', NEITHER, 'typographic'],
    // "total N" ends the line, but the line is not `ls -l`'s first.
    ['a line ending in "total N"', 'Token usage: total 1234', NEITHER, 'listing'],
    ['one folder entry alone', 'config.toml', NEITHER, 'listing'],
    // A file mode or a `head` banner inside a sentence is not a listing: `ls -l` and `head` start the line with them.
    ['a sentence naming a file mode', 'the file has mode -rw------- on my laptop', NEITHER, 'listing'],
    ['a sentence quoting a head banner', 'the output was ==> auth.json <==', NEITHER, 'listing'],
    // Words that fit the base64 alphabet but decode to noise: a password, not base64.
    ['a password', 'password', NEITHER, 'is base64'],
    ['a password with a digit', 'hunter2', NEITHER, 'is base64'],
    ['a password of 4n+1 letters (never base64)', 'admin', NEITHER, 'is base64'],
    ['a placeholder that decodes to control characters', 'CHANGEME', NEITHER, 'is base64'],
    // Decodes to text starting with P (as a zip does): text, not an archive.
    ['base64 of a placeholder starting with P', b64('PLACEHOLDER'), 'is base64, but what it decodes to is not JSON', 'archive'],
  ])('%s', (_label, value, expected, notExpected) => {
    const message = problemOf(value);
    expect(message).toContain(expected);
    expect(message).not.toContain(notExpected);
    expect(message).not.toContain('SECRET');
  });
});

describe('a JSON object with one member is a wrapped file only when that member could hold the file', () => {
  it.each([
    ['"tokens" set to null', JSON.stringify({ tokens: null })],
    ['a number', JSON.stringify({ version: 1 })],
    ['a boolean', JSON.stringify({ logged_in: true })],
  ])('%s: no "tokens" object, not a wrapper', (_label, value) => {
    const message = problemOf(value);
    expect(message).toContain('has no "tokens" object: it is not a ChatGPT-login auth.json');
    expect(message).not.toContain('wraps the file');
  });
});

describe('a valid file is accepted even when a field resembles a mix-up', () => {
  it('a field holding escaped JSON is not backslash-escaped quotes', () => {
    const withNote = { ...AUTH, note: JSON.stringify({ SECRET: 1 }) };
    expect(JSON.stringify(withNote)).toContain('{\\"');
    const { parsed } = parseAuthJson(JSON.stringify(withNote, null, 2));
    expect(parsed.note).toBe('{"SECRET":1}');
    expect(parsed.tokens.refresh_token).toBe('rt-SECRET-refresh-0001');
  });
});
