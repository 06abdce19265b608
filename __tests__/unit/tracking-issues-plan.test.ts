import { describe, expect, it } from '@jest/globals';
import { attemptRecord } from '../../test-support/attempt-record.js';
import type { AttemptRecord } from '../../src/report.js';
import {
  credentialKey,
  type CredentialOutcome,
  issuesAbout,
  outcomeOf,
  parseCredentialKey,
  planIssueActions,
  type TrackedCredential,
} from '../../src/tracking-issues-plan.js';

const rec = attemptRecord;

const login: TrackedCredential = { input: 'codex-auth-json', secret: 'CODEX_AUTH_JSON' };
const loginUnnamed: TrackedCredential = { input: 'codex-auth-json', secret: null };
const key: TrackedCredential = { input: 'openai-api-key', secret: null };

describe('credential keys', () => {
  it.each([
    [login, 'codex-auth-json/CODEX_AUTH_JSON'],
    [key, 'openai-api-key'],
  ])('%j is %p and back', (credential, text) => {
    expect(credentialKey(credential)).toBe(text);
    expect(parseCredentialKey(text)).toEqual(credential);
  });

  it.each(['', 'CODEX', 'codex-auth-json/', 'codex-auth-json/1X', 'a b', 'codex-auth-json/X/Y', '<b>'])('%p is no key', (text) => {
    expect(parseCredentialKey(text)).toBeNull();
  });
});

describe('what became of a credential in a run', () => {
  it.each<[string, AttemptRecord[], AttemptRecord['method'], CredentialOutcome]>([
    [
      'rejected, then another saved the run',
      [rec(1, 'chatgpt', 'refresh-token-reused', 'used'), rec(2, 'api-key', 'none')],
      'chatgpt',
      { state: 'rejected', kind: 'refresh-token-reused', attempt: 1, evidence: 'used', signInOnly: false },
    ],
    [
      'the one that saved it',
      [rec(1, 'chatgpt', 'refresh-token-reused'), rec(2, 'api-key', 'none')],
      'api-key',
      { state: 'accepted', attempt: 2 },
    ],
    ['never signed in with', [rec(1, 'chatgpt', 'none')], 'api-key', { state: 'unknown' }],
    [
      'a restricted key counts as rejected',
      [rec(1, 'api-key', 'permission-denied')],
      'api-key',
      { state: 'rejected', kind: 'permission-denied', attempt: 1, evidence: null, signInOnly: false },
    ],
    ['a usage limit says nothing for sure', [rec(1, 'api-key', 'usage-limit')], 'api-key', { state: 'unknown' }],
    ['a timeout says nothing', [rec(1, 'api-key', 'timeout')], 'api-key', { state: 'unknown' }],
    ['the script failing says nothing', [rec(1, 'api-key', 'other')], 'api-key', { state: 'unknown' }],
    [
      'a transient failure, then success: accepted',
      [rec(1, 'api-key', 'server-error'), rec(2, 'api-key', 'none')],
      'api-key',
      { state: 'accepted', attempt: 2 },
    ],
    [
      'cached credentials are not the secret',
      [rec(1, 'cached', 'refresh-token-expired'), rec(2, 'chatgpt', 'none')],
      'chatgpt',
      { state: 'accepted', attempt: 2 },
    ],
  ])('%s', (_name, records, method, outcome) => {
    expect(outcomeOf(method, records)).toEqual(outcome);
  });
});

describe('which open issues are about a credential', () => {
  it.each<[string, TrackedCredential, Array<{ number: number; credential: TrackedCredential }>, number[]]>([
    ['the same key', login, [{ number: 4, credential: login }], [4]],
    ['another input is not', login, [{ number: 4, credential: key }], []],
    ['another secret of the same input is not', login, [{ number: 4, credential: { input: 'codex-auth-json', secret: 'OTHER' } }], []],
    ['an issue from before write-back named the secret', login, [{ number: 4, credential: loginUnnamed }], [4]],
    ['write-back turned off since', loginUnnamed, [{ number: 4, credential: login }], [4]],
    [
      'an exact match wins over the looser one',
      login,
      [
        { number: 2, credential: loginUnnamed },
        { number: 7, credential: login },
      ],
      [7],
    ],
    [
      'two after a race, oldest first',
      key,
      [
        { number: 9, credential: key },
        { number: 3, credential: key },
      ],
      [3, 9],
    ],
  ])('%s', (_name, credential, open, numbers) => {
    expect(issuesAbout(credential, open)).toEqual(numbers);
  });
});

describe('planIssueActions', () => {
  const rejected: CredentialOutcome = { state: 'rejected', kind: 'api-key-invalid', attempt: 2, evidence: null, signInOnly: false };
  const accepted: CredentialOutcome = { state: 'accepted', attempt: 1 };
  const unknown: CredentialOutcome = { state: 'unknown' };

  it.each<[string, CredentialOutcome, number[], string]>([
    ['rejected, none open: open one', rejected, [], 'open'],
    ['rejected, one open: comment on it', rejected, [5], 'comment #5'],
    ['rejected, two open after a race: comment on the oldest only', rejected, [5, 8], 'comment #5'],
    ['accepted, one open: close it', accepted, [5], 'close #5'],
    ['accepted, two open: close both', accepted, [5, 8], 'close #5,8'],
    ['accepted, none open: nothing', accepted, [], 'nothing'],
    ['unknown, one open: nothing (never closed on a guess)', unknown, [5], 'nothing'],
    ['unknown, none open: nothing', unknown, [], 'nothing'],
  ])('%s', (_name, outcome, open, expected) => {
    const actions = planIssueActions(
      [{ credential: key, outcome }],
      open.map((number) => ({ number, credential: key })),
    );
    const said = actions.map((a) =>
      a.action === 'open' ? 'open' : a.action === 'comment' ? `comment #${a.issue}` : `close #${a.issues.join(',')}`,
    );
    expect(said.join(' ') || 'nothing').toBe(expected);
  });

  it('plans each credential on its own: a failed run with two dead credentials opens two issues', () => {
    const actions = planIssueActions(
      [
        { credential: login, outcome: { state: 'rejected', kind: 'refresh-token-expired', attempt: 1, evidence: null, signInOnly: false } },
        { credential: key, outcome: rejected },
      ],
      [],
    );
    expect(actions.map((a) => [a.action, credentialKey(a.credential)])).toEqual([
      ['open', 'codex-auth-json/CODEX_AUTH_JSON'],
      ['open', 'openai-api-key'],
    ]);
  });

  it('a recovered run comments on the dead one and closes the one that saved it', () => {
    const actions = planIssueActions(
      [
        { credential: login, outcome: { state: 'rejected', kind: 'refresh-token-reused', attempt: 1, evidence: null, signInOnly: false } },
        { credential: key, outcome: { state: 'accepted', attempt: 2 } },
      ],
      [
        { number: 1, credential: login },
        { number: 2, credential: key },
      ],
    );
    expect(actions.map((a) => a.action)).toEqual(['comment', 'close']);
  });
});

describe('closing only on what codex plainly accepted, about the same secret', () => {
  it('a script that exited 0 without codex completing a turn (`codex exec … || true`) closes nothing', () => {
    const quiet: AttemptRecord = { ...rec(1, 'chatgpt', 'none'), codexAccepted: false };
    expect(outcomeOf('chatgpt', [quiet])).toEqual({ state: 'unknown' });
  });

  it('a run that does not know the secret (a job on a keeper copy) comments on the named issue but never closes it', () => {
    const open = [{ number: 7, credential: login }];
    expect(planIssueActions([{ credential: loginUnnamed, outcome: { state: 'accepted', attempt: 1 } }], open)).toEqual([]);
    expect(planIssueActions([{ credential: login, outcome: { state: 'accepted', attempt: 1 } }], open)).toEqual([
      { action: 'close', issues: [7], credential: login, outcome: { state: 'accepted', attempt: 1 } },
    ]);
    const rejected = { state: 'rejected', kind: 'refresh-token-reused', attempt: 1, evidence: null, signInOnly: false } as const;
    expect(planIssueActions([{ credential: loginUnnamed, outcome: rejected }], open)).toEqual([
      { action: 'comment', issue: 7, credential: loginUnnamed, outcome: rejected },
    ]);
  });
});
