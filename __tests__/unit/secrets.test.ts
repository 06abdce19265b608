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
