// The text of tracking issues, rendered as GitHub renders an issue (GitHub-flavoured Markdown): what
// died, when, where, the fix and codex's words, every secret replaced, and a marker that finds it again.
import { describe, expect, it } from '@jest/globals';
import {
  acceptedComment,
  credentialInBody,
  issueBody,
  issueTitle,
  markerFor,
  rejectedAgainComment,
  type Rejection,
  type RunContext,
  runContextFromEnv,
  scrubCredentials,
} from '../../src/tracking-issues-text.js';
import { codeSpan } from '../../src/markdown.js';
import { codeTexts, proseText, renderGfm, tagNames } from '../../test-support/render-gfm.js';

const KEY = 'sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789';
const redact = (text: string) => text.split(KEY).join('***');

const run: RunContext = {
  at: Date.UTC(2026, 11, 7, 6, 5),
  runUrl: 'https://github.com/octo/app/actions/runs/42/attempts/1',
  workflow: 'nightly [codex] <b>fix</b>',
  job: 'codex',
  ref: 'main',
  sha: '0123456789abcdef',
  finalKind: 'none',
  savedBy: 'the API key in `openai-api-key`',
};

const rejection: Rejection = {
  credential: { input: 'codex-auth-json', secret: 'CODEX_AUTH_JSON' },
  described: 'the ChatGPT login in `codex-auth-json`',
  kind: 'refresh-token-reused',
  attempt: 1,
  evidence: `Your access token could not be refreshed because your refresh token was already used. <img src=x onerror=alert(1)> ${KEY}`,
};

describe('marker', () => {
  it.each([[{ input: 'codex-auth-json', secret: 'CODEX_AUTH_JSON' }], [{ input: 'openai-api-key', secret: null }]])(
    '%j is found again in the body it marks',
    (credential) => {
      expect(credentialInBody(issueBody({ ...rejection, credential }, run, redact))).toEqual(credential);
      expect(credentialInBody(`text ${markerFor(credential)} more`)).toEqual(credential);
    },
  );

  it.each(['', 'no marker here', 'codex-reauth-tracking-key: openai-api-key', 'codex-reauth-tracking-key: `not a key`'])(
    '%p carries no credential',
    (body) => {
      expect(credentialInBody(body)).toBeNull();
    },
  );
});

describe('issue body, as GitHub renders it', () => {
  const body = issueBody(rejection, run, redact);
  const html = renderGfm(body);

  it('says what died, when, in which run, how the run ended, the fix and what codex said, in that order', () => {
    const text = proseText(html).replace(/\s+/g, ' ');
    const order = [
      'What died:',
      'was already used',
      'When:',
      '2026-12-07 06:05 UTC',
      'attempt 1 of',
      'The run recovered',
      'Fix:',
      'What codex said:',
    ];
    const at = order.map((part) => (part === 'What codex said:' ? text.indexOf(part) : text.indexOf(part)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain('<a href="https://github.com/octo/app/actions/runs/42/attempts/1">');
  });

  it('names inputs, kinds and commands as code, and leaves no backtick or entity in the prose', () => {
    const code = codeTexts(html);
    for (const name of ['codex-auth-json', 'refresh-token-reused', 'codex login', 'CODEX_AUTH_JSON', 'main', '0123456'])
      expect(code).toContain(name);
    const prose = proseText(html);
    expect(prose).not.toContain('`');
    expect(prose).not.toMatch(/&(#\d+|[a-z]+);/);
  });

  it('keeps codex words and the workflow name as text: no tag from them survives', () => {
    expect(tagNames(html)).not.toContain('img');
    expect(tagNames(html)).not.toContain('b');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('holds no secret: the run masks, and the shape of a key codex quotes', () => {
    expect(body).not.toContain(KEY);
    expect(body).not.toContain('Abcdefghijklmnop');
    const quoting = issueBody(
      { ...rejection, evidence: 'Incorrect API key provided: sk-abc***wxyz. You can find your API key at …' },
      run,
      redact,
    );
    expect(quoting).toContain('sk-***');
    expect(quoting).not.toContain('wxyz');
  });

  it('the title is the same in every run for the credential', () => {
    expect(issueTitle(rejection.credential)).toBe('codex-reauth: the credential in codex-auth-json (secret CODEX_AUTH_JSON) was rejected');
    expect(issueTitle({ input: 'openai-api-key', secret: null })).toBe('codex-reauth: the credential in openai-api-key was rejected');
  });
});

describe('comments', () => {
  it('a later rejection says when, where, how the run ended, the fix and what codex said', () => {
    const html = renderGfm(rejectedAgainComment(rejection, { ...run, finalKind: 'api-key-invalid', savedBy: null }, redact));
    const prose = proseText(html);
    expect(prose).toContain('Rejected again');
    expect(prose).toContain('The run failed');
    expect(codeTexts(html)).toContain('api-key-invalid');
    expect(prose.indexOf('Fix:')).toBeLessThan(prose.indexOf('What codex said:'));
    expect(html).not.toContain(KEY);
    expect(prose).not.toContain('`');
  });

  it('a token refused when signing in is placed at the sign-in check, not at an attempt', () => {
    const body = issueBody({ ...rejection, kind: 'access-token-invalid', signInOnly: true, attempt: 2 }, run, redact);
    expect(body).toContain('the sign-in check before attempt 2 of');
  });

  it('closing says which run signed in with it and that codex accepted it', () => {
    const html = renderGfm(acceptedComment({ input: 'openai-api-key', secret: null }, 2, run, redact));
    expect(proseText(html)).toContain('attempt 2 of');
    expect(proseText(html)).toContain('codex accepted it');
    expect(codeTexts(html)).toContain('openai-api-key');
  });
});

describe('helpers', () => {
  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`edge`', '`` `edge` ``'],
    ['two\nlines', '`two lines`'],
  ])('codeSpan(%p) is %p, and renders back to the text', (text, span) => {
    expect(codeSpan(text)).toBe(span);
    expect(codeTexts(renderGfm(`x ${span} y`))).toEqual([text.replace('\n', ' ')]);
  });

  it.each([
    ['Incorrect API key provided: sk-abc***wxyz.', 'Incorrect API key provided: sk-***.'],
    [`key ${KEY} here`, 'key sk-*** here'],
    ['a JWT eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig in it', 'a JWT *** in it'],
    ['token at-0123456789abcdef0123 x', 'token at-*** x'],
    ['gh ghs_ABCDEFGHIJKLMNOPQRST and github_pat_11ABCDEFGHIJ_x', 'gh ghs_*** and github_pat_***'],
    ['nothing at-all to ask-me', 'nothing at-all to ask-me'],
  ])('scrubCredentials(%p)', (text, scrubbed) => {
    expect(scrubCredentials(text)).toBe(scrubbed);
  });

  it('the run context comes from the runner variables; no run id, no link', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghe.example/',
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '42',
      GITHUB_RUN_ATTEMPT: '3',
      GITHUB_WORKFLOW: 'codex',
      GITHUB_JOB: 'fix',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: 'abc',
    };
    expect(runContextFromEnv(env, 5, { finalKind: 'none', savedBy: null })).toEqual({
      at: 5,
      runUrl: 'https://ghe.example/octo/app/actions/runs/42/attempts/3',
      workflow: 'codex',
      job: 'fix',
      ref: 'main',
      sha: 'abc',
      finalKind: 'none',
      savedBy: null,
    });
    expect(runContextFromEnv({ ...env, GITHUB_RUN_ID: '' }, 5, { finalKind: 'none', savedBy: null }).runUrl).toBeNull();
  });
});
