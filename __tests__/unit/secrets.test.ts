import { describe, expect, it } from '@jest/globals';
import { secretsToMask } from '../../src/secrets.js';

const auth = {
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: {
    id_token: 'aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb.cccccccccccccccccccc',
    access_token: 'access-token-value-123',
    refresh_token: 'rt-refresh-value-456',
    account_id: 'acct-0123456789',
  },
  last_refresh: '2026-11-24T09:50:49Z',
};
const text = JSON.stringify(auth, null, 2);

describe('secretsToMask', () => {
  it('masks the key and its base64 forms', () => {
    const masks = secretsToMask({ openaiApiKey: 'sk-proj-abcdef123456', codexAuthJson: '' });
    expect(masks).toEqual(expect.arrayContaining(['sk-proj-abcdef123456', Buffer.from('sk-proj-abcdef123456').toString('base64')]));
  });

  it.each([
    ['raw JSON', text],
    ['base64 JSON', Buffer.from(text).toString('base64')],
  ])('masks every token inside codex-auth-json given as %s, and their base64 forms', (_label, input) => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: input });
    for (const token of Object.values(auth.tokens)) {
      expect(masks).toContain(token);
      expect(masks).toContain(Buffer.from(token).toString('base64'));
    }
    expect(masks).toContain(input.trim());
    // JWT parts, which logs sometimes show apart
    expect(masks).toContain('bbbbbbbbbbbbbbbbbbbbbbbb');
    expect(masks).toContain(Buffer.from(text.trim()).toString('base64'));
  });

  it('masks each line of a multi-line value, but not trivial fragments', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: text });
    expect(masks).toContain('"refresh_token": "rt-refresh-value-456",');
    expect(masks).not.toContain('{');
    expect(masks).not.toContain('null');
  });

  it('still masks an unparseable value whole', () => {
    expect(secretsToMask({ openaiApiKey: '', codexAuthJson: 'not json at all, but secret' })).toContain('not json at all, but secret');
  });

  it('lists longer values first, so a value is never half-masked by its own prefix', () => {
    const masks = secretsToMask({ openaiApiKey: 'sk-proj-abcdef123456', codexAuthJson: text });
    for (let i = 1; i < masks.length; i++) expect(masks[i - 1].length).toBeGreaterThanOrEqual(masks[i].length);
  });
});

describe('secretsToMask: the forms a secret takes in logs', () => {
  // Bytes whose base64 holds '+' and '/': the URL-safe form (JWTs, some loggers) differs from it in more
  // than the padding, so masking only the standard form would leave it readable.
  const key = 'sk-proj-??>>~~??>>~~';

  it('masks the base64url form of the API key, unpadded, besides the standard one', () => {
    const masks = secretsToMask({ openaiApiKey: key, codexAuthJson: '' });
    expect(Buffer.from(key).toString('base64')).toBe('c2stcHJvai0/Pz4+fn4/Pz4+fn4=');
    expect(masks).toContain('c2stcHJvai0/Pz4+fn4/Pz4+fn4=');
    expect(masks).toContain('c2stcHJvai0_Pz4-fn4_Pz4-fn4');
  });

  it('masks the base64url form of every token in codex-auth-json', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: text });
    for (const token of Object.values(auth.tokens)) expect(masks).toContain(Buffer.from(token).toString('base64url'));
  });

  it('reads codex-auth-json given as base64 wrapped over several lines (as `base64` prints it)', () => {
    const wrapped = Buffer.from(text)
      .toString('base64')
      .replace(/(.{76})/g, '$1\n');
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: wrapped });
    expect(masks).toContain('rt-refresh-value-456');
    expect(masks).toContain('access-token-value-123');
  });

  it('masks values from 8 characters on, and nothing shorter', () => {
    expect(secretsToMask({ openaiApiKey: 'sk-12345', codexAuthJson: '' })).toContain('sk-12345');
    expect(secretsToMask({ openaiApiKey: 'sk-1234', codexAuthJson: '' })).not.toContain('sk-1234');
  });

  it('masks the parts of a JWT from 16 characters on, not shorter ones that could be common text', () => {
    const jwt = `${'h'.repeat(15)}.${'p'.repeat(16)}.${'s'.repeat(40)}`;
    const json = JSON.stringify({
      tokens: { id_token: jwt, access_token: 'access-token-value-123', refresh_token: 'rt-refresh-value-456' },
    });
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: json });
    expect(masks).toContain('p'.repeat(16));
    expect(masks).toContain('s'.repeat(40));
    expect(masks).not.toContain('h'.repeat(15));
  });

  it('masks an API key kept in codex-auth-json, but not non-string token fields', () => {
    const json = JSON.stringify({
      OPENAI_API_KEY: 'sk-in-auth-json-0001',
      tokens: { refresh_token: 'rt-refresh-value-456', expires: 12345678901 },
    });
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: json });
    expect(masks).toContain('sk-in-auth-json-0001');
    expect(masks).not.toContain('12345678901');
  });

  it('ignores surrounding white space in the key (what a pasted secret often has)', () => {
    const masks = secretsToMask({ openaiApiKey: '  sk-proj-abcdef123456\n', codexAuthJson: '' });
    expect(masks).toContain('sk-proj-abcdef123456');
    expect(masks).toContain(Buffer.from('sk-proj-abcdef123456').toString('base64'));
    expect(masks.some((m) => /\s/.test(m))).toBe(false);
  });

  it('masks nothing when no secret is given', () => {
    expect(secretsToMask({ openaiApiKey: '  ', codexAuthJson: ' \n' })).toEqual([]);
  });
});

describe('secretsToMask: codex-auth-json in the shapes users paste', () => {
  const b64 = (value: string): string => Buffer.from(value).toString('base64');
  const b64url = (value: string): string => Buffer.from(value).toString('base64url');

  it('reads an auth.json that starts with a byte-order mark (as Windows editors and PowerShell save it)', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: `\uFEFF${text}\n` });
    for (const token of Object.values(auth.tokens)) expect(masks).toContain(token);
  });

  it('masks each line of a base64 value wrapped over several lines, since the runner masks a multi-line secret line by line', () => {
    const wrapped = b64(text).replace(/(.{76})/g, '$1\n');
    const lines = wrapped.split('\n').filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThan(2);
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: wrapped });
    for (const line of lines) expect(masks).toContain(line);
  });

  it('masks each line of the decoded JSON when given as base64 (what `cat ~/.codex/auth.json` would print)', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: b64(text) });
    expect(masks).toContain('"refresh_token": "rt-refresh-value-456",');
    expect(masks).toContain('"access_token": "access-token-value-123",');
  });

  it('masks the base64 of the JSON without its trailing newline (what `echo -n "$(cat auth.json)" | base64` prints)', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: b64(`${text}\n`) });
    expect(masks).toContain(b64(text));
    expect(masks).toContain(b64url(text));
  });

  // Every mask must be a part of the given text, or the base64 / base64url of such a part.
  const derivesFrom = (mask: string, source: string): boolean => {
    const decoded = Buffer.from(mask, 'base64').toString('utf8');
    return source.includes(mask) || (source.includes(decoded) && [b64(decoded), b64url(decoded)].includes(mask));
  };

  it.each([
    ['null', 'null'],
    ['a JSON string', '"quoted-secret-value-0001"'],
    ['a number', '123456789012345'],
  ])('masks a codex-auth-json that is valid JSON but %s, without failing and without inventing values', (_label, input) => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: input });
    expect(masks).toContain(b64(input));
    expect(masks.filter((mask) => !derivesFrom(mask, input))).toEqual([]);
  });

  it('masks only the secret and what derives from it: every value is part of the auth.json or an encoding of one', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: text });
    expect(masks.length).toBeGreaterThan(10);
    expect(masks.filter((mask) => !derivesFrom(mask, text))).toEqual([]);
  });
});

describe('secretsToMask: workspace access tokens', () => {
  it('masks each token given (the input and CODEX_ACCESS_TOKEN) and its base64 forms', () => {
    const masks = secretsToMask({
      openaiApiKey: '',
      codexAuthJson: '',
      codexAccessTokens: ['at-input-token-7000', 'at-env-token-7001', ''],
    });
    for (const token of ['at-input-token-7000', 'at-env-token-7001']) {
      expect(masks).toContain(token);
      expect(masks).toContain(Buffer.from(token).toString('base64'));
      expect(masks).toContain(Buffer.from(token).toString('base64url'));
    }
  });

  it('masks a quoted token both with and without its quotes (what an error or a log may show)', () => {
    const masks = secretsToMask({ openaiApiKey: '', codexAuthJson: '', codexAccessTokens: ['"at-quoted-token-7002"'] });
    expect(masks).toContain('"at-quoted-token-7002"');
    expect(masks).toContain('at-quoted-token-7002');
  });
});
