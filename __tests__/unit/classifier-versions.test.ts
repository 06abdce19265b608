// The classifier on transcripts of every tested codex release (real binaries against the stand-in,
// captured by scripts/capture-transcripts.mjs): the verdict, the evidence quoted, and whether an
// early verdict is possible. Pure and quick: the fixtures are read, nothing is run.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { CodexOutputClassifier, classifyTranscript, MAX_EVIDENCE_CHARS } from '../../src/classifier.js';
import type { FailureKind } from '../../src/failure-kinds.js';

const FIXTURES = path.join(process.cwd(), '__fixtures__', 'transcripts');
/** The releases scripts/codex-versions.mjs lists (README "Supported codex versions"). */
const VERSIONS = ['0.101.0', '0.130.0', '0.150.1', '0.160.1', '0.169.0', '0.171.0'] as const;
type Version = (typeof VERSIONS)[number];

const read = (version: string, name: string): string => fs.readFileSync(path.join(FIXTURES, version, name), 'utf8');
/**
 * The workspace access-token transcripts (`access-token-*`, and `login-*` of `codex login`) are left
 * out here: codex prints the same for a dead token as for no credentials at all, so their verdict
 * rests on which credential the run used, not on the text alone.
 */
const isAccessTokenCase = (name: string): boolean => /^(access-token|login)-/.test(name);
const logs = (version: string): string[] =>
  fs
    .readdirSync(path.join(FIXTURES, version))
    .filter((name) => name.endsWith('.log') && !isAccessTokenCase(name))
    .sort();
const atLeast = (version: string, min: string): boolean => {
  const [a, b] = [version, min].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};

/** What each scenario must be classified as: how the stand-in was told to behave. */
function expectedKind(version: Version, scenario: string): FailureKind {
  const base = scenario.replace(/\.(json|rust-log)$/, '');
  switch (base) {
    case 'success':
    case 'success-after-failed-proactive-refresh':
      return 'none';
    case 'quota-exceeded':
      // Before 0.160 codex prints `exceeded retry limit, last status: 429 Too Many Requests` for an
      // exhausted quota, word for word what it prints for a rate limit. The safer reading is the
      // rate limit: a bounded, backed-off retry costs minutes at worst, while calling a passing rate
      // limit a usage limit would stop a run that waiting would have fixed.
      return atLeast(version, '0.160.0') ? 'usage-limit' : 'rate-limited';
    case 'chatgpt-unauthorized':
      return 'unauthorized';
    case 'missing-scopes':
      return 'permission-denied';
    default:
      return base as FailureKind;
  }
}

const CASES = VERSIONS.flatMap((version) => logs(version).map((name) => [version, name] as [Version, string]));

describe('fixtures of every tested release', () => {
  it.each(VERSIONS)('%s: every scenario in human and --json mode was captured', (version) => {
    const names = logs(version);
    for (const scenario of [
      'success',
      'api-key-invalid',
      'not-logged-in',
      'refresh-token-reused',
      'refresh-token-expired',
      'refresh-token-revoked',
      'quota-exceeded',
      'usage-limit',
      'rate-limited',
      'server-error',
    ]) {
      expect(names).toContain(`${scenario}.log`);
      expect(names).toContain(`${scenario}.json.log`);
    }
    // and each says how it was made
    expect(read(version, 'README.md')).toContain(`node scripts/capture-transcripts.mjs --codex ${version}`);
  });

  it('the human-mode banner names the release the folder is named for', () => {
    for (const version of VERSIONS) expect(read(version, 'success.log')).toContain(`OpenAI Codex v${version}`);
  });
});

describe('classifier on every tested release', () => {
  it.each(CASES)('%s %s', (version, name) => {
    const text = read(version, name);
    const kind = expectedKind(version, name.replace(/\.log$/, ''));
    const result = classifyTranscript(text);
    expect(result.kind).toBe(kind);
    // codex's own exit code agrees: 0 exactly when nothing failed
    expect(text.trimEnd().endsWith(kind === 'none' ? '# exit 0' : '# exit 1')).toBe(true);
    if (kind === 'none') return;
    // The evidence is codex's message, short: no prefix, no JSON, no tracing fields, no URL of the request.
    const evidence = result.evidence ?? '';
    expect(evidence.length).toBeGreaterThan(10);
    expect(evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE_CHARS);
    expect(evidence).not.toMatch(/^ERROR|^\{|^Reconnecting|turn_id=|sampling_error=|url: http/);
  });
});

/** Feeds a transcript line by line; the first line at which the classifier has a decisive retry. */
function firstDecisive(text: string): { kind: FailureKind; line: string; evidence: string } | null {
  const c = new CodexOutputClassifier();
  for (const line of text.split('\n')) {
    c.push(line);
    if (c.decisiveRetry) return { kind: c.decisiveRetry.kind, line, evidence: c.decisiveRetry.line };
  }
  return null;
}

describe('early verdict: a dead credential is recognised at codex first retry', () => {
  // A revoked key or no credentials make codex retry 5 times (~6.5 s); the cause is named at the
  // first retry in --json mode on every release, and in human mode where codex prints it:
  // 0.101 prints `Reconnecting... 1/5 (<cause>)` unprefixed; 0.130 prints no cause until the end;
  // 0.150 and later name it through the `codex_core::responses_retry` logger (RUST_LOG).
  const humanNamesCause = (version: string, rustLog: boolean) => version === '0.101.0' || (rustLog && atLeast(version, '0.150.0'));
  const scenarios: ReadonlyArray<[string, FailureKind, boolean]> = [
    ['api-key-invalid.json.log', 'api-key-invalid', true],
    ['not-logged-in.json.log', 'not-logged-in', true],
    ['api-key-invalid.log', 'api-key-invalid', false],
    ['not-logged-in.log', 'not-logged-in', false],
    ['api-key-invalid.rust-log.log', 'api-key-invalid', false],
  ];
  const cases = VERSIONS.flatMap((v) => scenarios.map(([name, kind, json]) => [v, name, kind, json] as const));

  it.each(cases)('%s %s', (version, name, kind, json) => {
    const hit = firstDecisive(read(version, name));
    if (json || humanNamesCause(version, name.includes('rust-log'))) {
      expect(hit?.kind).toBe(kind);
      // at the first retry, not after five; 0.101's bare notice (a line anything could print) only when
      // the second notice repeats the cause
      expect(hit?.line).toMatch(version === '0.101.0' && !json ? /^Reconnecting\.\.\. 2\/5 / : /1\/5|retries=1 /);
      expect(hit?.evidence).toMatch(/^unexpected status 401 Unauthorized: /);
    } else {
      expect(hit).toBeNull();
    }
  });

  it.each(VERSIONS.flatMap((v) => ['rate-limited', 'server-error', 'usage-limit', 'quota-exceeded'].map((s) => [v, s] as const)))(
    '%s %s: never stopped early (waiting may fix it, or codex ends by itself)',
    (version, scenario) => {
      expect(firstDecisive(read(version, `${scenario}.log`))).toBeNull();
      expect(firstDecisive(read(version, `${scenario}.json.log`))).toBeNull();
    },
  );
});
