/**
 * Decides, from the text of a run, why codex failed. Pure code: no I/O, no clocks.
 *
 * The decision rests only on lines that codex itself prints when a turn dies or retries, in every
 * format codex has used:
 *   - human mode, 0.4x and later:        `ERROR: <message>`            (fatal; printed twice)
 *   - human mode, older exec builds:     `[2025-…] ERROR: <message>`   (fatal)
 *   - human-mode retry notices:          `ERROR: Reconnecting... 1/5 (<cause>)`; 0.101 prints
 *                                         `Reconnecting... 1/5 (<cause>)` with no prefix, 0.130 and
 *                                         later `ERROR: Reconnecting... 1/5` with no cause
 *   - older TUI builds:                  `■ <message>`                 (fatal)
 *   - older retry notices:               `stream error: <cause>; retrying 1/5 in 187ms…`
 *   - `--json` (0.4x and later):          `{"type":"turn.failed","error":{"message":…}}`, and
 *                                         `{"type":"error","message":…}` that is not a retry notice
 *   - `--json` (older protocol):          `{"msg":{"type":"error"|"stream_error","message":…}}`
 *   - `RUST_LOG=codex_core::responses_retry=warn`: `… WARN codex_core::responses_retry: … sampling_error=<cause>`
 * Everything else is ignored, because agents, test runners, npm, git and gh print the same words:
 *   - timestamped tracing lines (`2026-…Z ERROR codex_login::auth::manager: Failed to refresh token…`)
 *     are logged many times even by runs that then succeed;
 *   - an agent's message can quote an auth error. In human mode codex prints the message on stderr
 *     before `tokens used`, then again on stdout after it; so a completed turn forgets what came before
 *     it and nothing counts again until the next session header.
 * Memory stays constant: the classifier keeps a few verdicts, never the text.
 */
import type { FailureKind } from './failure-kinds.js';

/** A decision and what codex said that shows it. */
export interface Evidence {
  kind: FailureKind;
  /**
   * Codex's message the decision rests on, short enough to quote (at most MAX_EVIDENCE_CHARS):
   * without the `ERROR: ` prefix, the JSON around an event, the tracing fields around a retry's
   * cause, or the `, url: …` codex appends to HTTP errors.
   */
  line: string;
  /**
   * The line is certainly codex's own: a JSON event, its retry logger, or a message in one of the
   * forms codex prints (CODEX_MESSAGE). Other `ERROR: …` lines may be any tool's (docker, pip).
   */
  verbatim: boolean;
}

/**
 * How codex's own fatal and retry messages begin, in every release we have seen (see the fixtures).
 * `docker buildx`'s `ERROR: failed to solve: … 401 Unauthorized` has the same words, not the same form.
 */
const CODEX_MESSAGE =
  /^(?:Your access token could not be refreshed|unexpected status \d{3}\b|exceeded retry limit|Quota exceeded|You(?:'|\u2019)ve hit your usage limit|We(?:'|\u2019)re currently experiencing high demand|stream disconnected before completion|Connection failed|error sending request|Reconnecting\.\.\.|Failed to refresh token|stream error)/;

/** Whether a message has the form of one of codex's own. */
export function isCodexMessage(message: string): boolean {
  return CODEX_MESSAGE.test(message.trim());
}

/**
 * Where a retry notice came from. `trusted`: codex's retry logger or a JSON event, which nothing else
 * prints. `notice`: 0.101's bare `Reconnecting... 1/5 (cause)`, an ordinary line that an agent's
 * message could quote. `legacy`: forms that stop nothing early (older releases, or text shaped like them).
 */
type RetrySource = 'trusted' | 'notice' | 'legacy';

/** Longest evidence quoted, in characters: a sentence or two, enough to recognise the error. */
export const MAX_EVIDENCE_CHARS = 200;

/**
 * The part of a codex error message worth quoting: `Reconnecting... 1/5 (<cause>)` becomes the
 * cause, and the request URL and id codex appends are dropped (they point at the API, not at the
 * problem). Cut to MAX_EVIDENCE_CHARS with an ellipsis.
 */
export function evidenceText(message: string): string {
  let text = message.trim();
  const reconnecting = RECONNECTING.exec(text);
  if (reconnecting?.[1]) text = reconnecting[1];
  text = text.replace(/,? url: \S+(?:, (?:request id|cf-ray): \S+)*$/, '').replace(/,? request id: \S+$/, '');
  if (text.length > MAX_EVIDENCE_CHARS) text = `${text.slice(0, MAX_EVIDENCE_CHARS - 1).trimEnd()}…`;
  return text;
}

/**
 * Message → kind, first match wins. Order matters: the refresh-token reasons before the generic
 * refresh failure, and every specific 401 cause before the bare `401 Unauthorized`.
 */
const MESSAGE_RULES: ReadonlyArray<readonly [RegExp, FailureKind]> = [
  [/refresh token has expired|refresh_token_expired/i, 'refresh-token-expired'],
  [/refresh token (?:was|has) already been used|refresh token was already used|refresh_token_reused/i, 'refresh-token-reused'],
  [/refresh token (?:was|has been) (?:revoked|invalidated)|refresh_token_invalidated/i, 'refresh-token-revoked'],
  // The account's login was replaced elsewhere: this copy's refresh token is as good as revoked.
  [/logged out or signed in to another account/i, 'refresh-token-revoked'],
  [/access token could not be refreshed|failed to refresh token/i, 'refresh-failed'],
  [/incorrect api key provided|invalid_api_key|invalid api key/i, 'api-key-invalid'],
  // codex's check of a workspace access token (`codex login --with-access-token`, `codex login status`).
  [/access token metadata request failed with status 40[13]\b/i, 'access-token-invalid'],
  [/missing bearer|missing authentication|not logged in/i, 'not-logged-in'],
  [/insufficient permissions|missing scopes|403 forbidden/i, 'permission-denied'],
  [/quota exceeded|insufficient_quota|usage limit|usage_limit_reached/i, 'usage-limit'],
  [/401 unauthorized/i, 'unauthorized'],
  [/429 too many requests|rate limit|rate_limit/i, 'rate-limited'],
  [
    /high demand|status 5\d\d|internal server error|bad gateway|service unavailable|gateway timeout|server_error|overloaded/i,
    'server-error',
  ],
  [
    /stream disconnected|connection failed|error sending request|waiting for network|connection (?:refused|reset)|timed out|dns error/i,
    'network',
  ],
];

/** Kind of a codex error message, `other` when it names no cause we know. */
export function classifyMessage(message: string): FailureKind {
  for (const [pattern, kind] of MESSAGE_RULES) if (pattern.test(message)) return kind;
  return 'other';
}

/**
 * Retry causes that cannot get better by waiting: the credential is dead or absent. Codex retries
 * them anyway (a revoked key costs 6 requests), so the action may stop at the first one.
 * `unauthorized` is not here: codex refreshes a ChatGPT token after a 401 and may then succeed.
 */
const DECISIVE_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'refresh-token-expired',
  'refresh-token-reused',
  'refresh-token-revoked',
  'refresh-failed',
  'api-key-invalid',
  'not-logged-in',
]);

// Lines longer than this are cut before they are examined: codex's own lines are short, and a
// step that prints a huge line must not make the classifier's memory grow with it.
export const MAX_LINE_CHARS = 16 * 1024;

/**
 * The first bytes a line the classifier acts on can start with: `E`RROR, `[`timestamp, `■` (UTF-8
 * E2), `s`tream error, `F`ailed to refresh, `{` JSON, a digit (tracing, GitHub log timestamps), `O`penAI
 * Codex header, `t`okens used, ESC (colour), `R`econnecting (0.101's retry notice). The runner skips
 * every other line without decoding it, which keeps forwarding a gigabyte of output cheap.
 */
export const LINE_START_BYTES: readonly number[] = [...'E[sF{Ot0123456789\x1bR'].map((ch) => ch.charCodeAt(0)).concat(0xe2);

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const GITHUB_LOG_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z /;
const TRACING = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s+([A-Za-z_]\w*(?:::\w+)*)/;
const HUMAN_FATAL = /^(?:\[\d{4}-[^\]]*\] )?ERROR: (.+)$/;
const TUI_FATAL = /^■ (.+)$/;
const OLD_RETRY = /^(?:\[\d{4}-[^\]]*\] )?stream error: (.+?); retrying \d+\/\d+/;
const RECONNECTING = /^Reconnecting\.\.\. (?:\d+\/\d+(?: \((.*)\))?|waiting for network)/;
// 0.101's human-mode retry notice, alone on its line: only with a cause does it mean anything.
const BARE_RECONNECTING = /^Reconnecting\.\.\. \d+\/\d+ \((.+)\)$/;
const SAMPLING_ERROR = / sampling_error=(.+)$/;
const SESSION_HEADER = /^(?:\[\d{4}-[^\]]*\] )?OpenAI Codex v\d/;
const TOKENS_USED = /^(?:\[\d{4}-[^\]]*\] )?tokens used\b/;

/** Strips colour codes, a carriage return, and the timestamp GitHub puts before each line of a downloaded log. */
export function normaliseLine(raw: string): string {
  let line = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw;
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.includes('\x1b')) line = line.replace(ANSI, '');
  if (GITHUB_LOG_PREFIX.test(line) && !TRACING.test(line)) line = line.replace(GITHUB_LOG_PREFIX, '');
  return line;
}

interface JsonEvent {
  type?: unknown;
  message?: unknown;
  error?: { message?: unknown };
  msg?: { type?: unknown; message?: unknown };
}

/** Streaming classifier: `push` every line of a run (any order of stdout and stderr), then read `verdict`. */
export class CodexOutputClassifier {
  private fatal: Evidence | null = null;
  private lastRetry: Evidence | null = null;
  private firstDecisive: Evidence | null = null;
  private firstAuth: Evidence | null = null;
  // The kind of the last bare retry notice, waiting for the next notice to repeat it.
  private pendingNotice: FailureKind | null = null;
  private pendingAuthNotice: FailureKind | null = null;
  // Between a completed turn and the next session header, lines are the agent's message again.
  private afterCompletedTurn = false;
  private completedTurns = 0;

  /** Examines one line of output (without its newline). */
  push(rawLine: string): void {
    // Cheap rejections first: most lines of a big log are none of codex's business.
    if (rawLine.length === 0) return;
    const line = normaliseLine(rawLine);
    const first = line.charCodeAt(0);
    if (first === 0x7b /* { */) return this.pushJson(line);

    const tracing = TRACING.exec(line);
    if (tracing) {
      // Tracing is log noise, except the retry logger that names each retry's cause.
      if (tracing[1] === 'WARN' && tracing[2] === 'codex_core::responses_retry') {
        const cause = SAMPLING_ERROR.exec(line);
        if (cause) this.retry(cause[1], 'trusted');
      }
      return;
    }
    if (SESSION_HEADER.test(line)) {
      this.afterCompletedTurn = false;
      return;
    }
    if (TOKENS_USED.test(line)) return this.turnCompleted();
    if (this.afterCompletedTurn) return;

    const fatal = HUMAN_FATAL.exec(line) ?? TUI_FATAL.exec(line);
    if (fatal) {
      const message = fatal[1];
      const reconnecting = RECONNECTING.exec(message);
      if (reconnecting) {
        // `Reconnecting... N/5` alone names no cause; with `(cause)` or `waiting for network` it does.
        if (reconnecting[1]) this.retry(reconnecting[1], 'legacy');
        else if (message.includes('waiting for network')) this.retry(message, 'legacy');
        return;
      }
      return this.setFatal(message, isCodexMessage(message));
    }
    const bareReconnecting = BARE_RECONNECTING.exec(line);
    if (bareReconnecting) return this.retry(bareReconnecting[1], 'notice');
    const oldRetry = OLD_RETRY.exec(line);
    if (oldRetry) return this.retry(oldRetry[1], 'legacy');
    if (line.startsWith('Failed to refresh token: ')) this.retry(line, 'legacy');
  }

  private pushJson(line: string): void {
    if (!line.endsWith('}')) return;
    let event: JsonEvent;
    try {
      event = JSON.parse(line) as JsonEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null) return;
    const type = event.type ?? event.msg?.type;
    switch (type) {
      case 'thread.started':
      case 'session_configured':
        this.afterCompletedTurn = false;
        return;
      case 'turn.completed':
      case 'task_complete':
        return this.turnCompleted();
      case 'turn.failed': {
        const message = event.error?.message;
        if (typeof message === 'string') this.setFatal(message, true);
        return;
      }
      case 'error':
      case 'stream_error': {
        const message = event.message ?? event.msg?.message;
        if (typeof message !== 'string') return;
        const reconnecting = RECONNECTING.exec(message);
        if (type === 'stream_error' || reconnecting) {
          this.retry(reconnecting?.[1] ?? OLD_RETRY.exec(message)?.[1] ?? message, 'trusted');
          return;
        }
        return this.setFatal(message, true);
      }
      default:
        return;
    }
  }

  private turnCompleted(): void {
    // The turn succeeded: whatever looked fatal before it was not (a quoted error, a retry that
    // worked), and what follows until the next session is the agent's message printed again.
    this.fatal = null;
    this.lastRetry = null;
    this.firstDecisive = null;
    this.firstAuth = null;
    this.pendingNotice = null;
    this.pendingAuthNotice = null;
    this.afterCompletedTurn = true;
    this.completedTurns += 1;
  }

  private setFatal(message: string, verbatim: boolean): void {
    const kind = classifyMessage(message);
    // Older builds end a refresh failure with a bare `exceeded retry limit, last status: 401`;
    // the retry notices before it name the real cause, so they are the verdict and its evidence.
    if (kind === 'unauthorized' && this.lastRetry && this.lastRetry.kind !== 'unauthorized' && DECISIVE_KINDS.has(this.lastRetry.kind)) {
      this.fatal = this.lastRetry;
      return;
    }
    this.fatal = { kind, line: evidenceText(message), verbatim };
  }

  private retry(cause: string, source: RetrySource): void {
    const kind = classifyMessage(cause);
    if (kind === 'other') return;
    this.lastRetry = { kind, line: evidenceText(cause), verbatim: source === 'trusted' || isCodexMessage(cause) };
    // Codex retries in a series (1/5, 2/5, …): a cause that one quoted line (a bare notice) names is
    // not enough to kill a run, the same cause in the next notice is.
    const sure = (pending: FailureKind | null): boolean => source === 'trusted' || (source === 'notice' && pending === kind);
    if (DECISIVE_KINDS.has(kind)) {
      if (!this.firstDecisive && sure(this.pendingNotice)) this.firstDecisive = this.lastRetry;
      if (source === 'notice') this.pendingNotice = kind;
    }
    if (DECISIVE_KINDS.has(kind) || kind === 'unauthorized') {
      if (!this.firstAuth && sure(this.pendingAuthNotice)) this.firstAuth = this.lastRetry;
      if (source === 'notice') this.pendingAuthNotice = kind;
    }
  }

  /**
   * Why the run failed, judged from codex's lines: its last fatal error, else the cause of its last
   * retry, else null (codex said nothing: the failure, if any, is not codex's).
   */
  get verdict(): Evidence | null {
    return this.fatal ?? this.lastRetry;
  }

  /** The first retry whose cause no retry can fix (a rejected key, a dead refresh token), if any. */
  get decisiveRetry(): Evidence | null {
    return this.firstDecisive;
  }

  /**
   * The first retry on any authentication failure, a bare `401 Unauthorized` included (which is not
   * decisive for a ChatGPT login, but is for a credential that nothing refreshes), if any.
   */
  get authRetry(): Evidence | null {
    return this.firstAuth;
  }

  /** How many codex turns completed successfully so far. */
  get turnsCompleted(): number {
    return this.completedTurns;
  }

  /**
   * The verdict on a whole log, for readers without an exit code: codex's failure, else `none` when
   * a turn completed, else `other` (codex reported nothing).
   */
  result(): { kind: FailureKind; evidence: string | null } {
    // Without exit codes to go by, only a line that is certainly codex's names the cause.
    const verdict = this.verdict;
    if (verdict?.verbatim) return { kind: verdict.kind, evidence: verdict.line };
    return { kind: this.completedTurns > 0 ? 'none' : 'other', evidence: null };
  }
}

/** Classifies a whole transcript at once. */
export function classifyTranscript(text: string): { kind: FailureKind; evidence: string | null } {
  const classifier = new CodexOutputClassifier();
  for (const line of text.split('\n')) classifier.push(line);
  return classifier.result();
}
