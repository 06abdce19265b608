#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 362:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $M: () => (/* binding */ normaliseLine),
/* harmony export */   cv: () => (/* binding */ CodexOutputClassifier),
/* harmony export */   rS: () => (/* binding */ evidenceText),
/* harmony export */   yL: () => (/* binding */ MAX_LINE_CHARS)
/* harmony export */ });
/* unused harmony exports isCodexMessage, MAX_EVIDENCE_CHARS, classifyMessage, LINE_START_BYTES, classifyTranscript */
/**
 * How codex's own fatal and retry messages begin, in every release we have seen (see the fixtures).
 * `docker buildx`'s `ERROR: failed to solve: … 401 Unauthorized` has the same words, not the same form.
 */
const CODEX_MESSAGE = /^(?:Your access token could not be refreshed|unexpected status \d{3}\b|exceeded retry limit|Quota exceeded|You(?:'|\u2019)ve hit your usage limit|We(?:'|\u2019)re currently experiencing high demand|stream disconnected before completion|Connection failed|error sending request|Reconnecting\.\.\.|Failed to refresh token|stream error)/;
/** Whether a message has the form of one of codex's own. */
function isCodexMessage(message) {
    return CODEX_MESSAGE.test(message.trim());
}
/** Longest evidence quoted, in characters: a sentence or two, enough to recognise the error. */
const MAX_EVIDENCE_CHARS = 200;
/**
 * The part of a codex error message worth quoting: `Reconnecting... 1/5 (<cause>)` becomes the
 * cause, and the request URL and id codex appends are dropped (they point at the API, not at the
 * problem). Cut to MAX_EVIDENCE_CHARS with an ellipsis.
 */
function evidenceText(message) {
    let text = message.trim();
    const reconnecting = RECONNECTING.exec(text);
    if (reconnecting?.[1])
        text = reconnecting[1];
    text = text.replace(/,? url: \S+(?:, (?:request id|cf-ray): \S+)*$/, '').replace(/,? request id: \S+$/, '');
    if (text.length > MAX_EVIDENCE_CHARS)
        text = `${text.slice(0, MAX_EVIDENCE_CHARS - 1).trimEnd()}…`;
    return text;
}
/**
 * Message → kind, first match wins. Order matters: the refresh-token reasons before the generic
 * refresh failure, and every specific 401 cause before the bare `401 Unauthorized`.
 */
const MESSAGE_RULES = [
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
function classifyMessage(message) {
    for (const [pattern, kind] of MESSAGE_RULES)
        if (pattern.test(message))
            return kind;
    return 'other';
}
/**
 * Retry causes that cannot get better by waiting: the credential is dead or absent. Codex retries
 * them anyway (a revoked key costs 6 requests), so the action may stop at the first one.
 * `unauthorized` is not here: codex refreshes a ChatGPT token after a 401 and may then succeed.
 */
const DECISIVE_KINDS = new Set([
    'refresh-token-expired',
    'refresh-token-reused',
    'refresh-token-revoked',
    'refresh-failed',
    'api-key-invalid',
    'not-logged-in',
]);
// Lines longer than this are cut before they are examined: codex's own lines are short, and a
// step that prints a huge line must not make the classifier's memory grow with it.
const MAX_LINE_CHARS = 16 * 1024;
/**
 * The first bytes a line the classifier acts on can start with: `E`RROR, `[`timestamp, `■` (UTF-8
 * E2), `s`tream error, `F`ailed to refresh, `{` JSON, a digit (tracing, GitHub log timestamps), `O`penAI
 * Codex header, `t`okens used, ESC (colour), `R`econnecting (0.101's retry notice). The runner skips
 * every other line without decoding it, which keeps forwarding a gigabyte of output cheap.
 */
const LINE_START_BYTES = [...'E[sF{Ot0123456789\x1bR'].map((ch) => ch.charCodeAt(0)).concat(0xe2);
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
function normaliseLine(raw) {
    let line = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw;
    if (line.endsWith('\r'))
        line = line.slice(0, -1);
    if (line.includes('\x1b'))
        line = line.replace(ANSI, '');
    if (GITHUB_LOG_PREFIX.test(line) && !TRACING.test(line))
        line = line.replace(GITHUB_LOG_PREFIX, '');
    return line;
}
/** Streaming classifier: `push` every line of a run (any order of stdout and stderr), then read `verdict`. */
class CodexOutputClassifier {
    fatal = null;
    lastRetry = null;
    firstDecisive = null;
    firstAuth = null;
    // The kind of the last bare retry notice, waiting for the next notice to repeat it.
    pendingNotice = null;
    pendingAuthNotice = null;
    // Between a completed turn and the next session header, lines are the agent's message again.
    afterCompletedTurn = false;
    completedTurns = 0;
    /** Examines one line of output (without its newline). */
    push(rawLine) {
        // Cheap rejections first: most lines of a big log are none of codex's business.
        if (rawLine.length === 0)
            return;
        const line = normaliseLine(rawLine);
        const first = line.charCodeAt(0);
        if (first === 0x7b /* { */)
            return this.pushJson(line);
        const tracing = TRACING.exec(line);
        if (tracing) {
            // Tracing is log noise, except the retry logger that names each retry's cause.
            if (tracing[1] === 'WARN' && tracing[2] === 'codex_core::responses_retry') {
                const cause = SAMPLING_ERROR.exec(line);
                if (cause)
                    this.retry(cause[1], 'trusted');
            }
            return;
        }
        if (SESSION_HEADER.test(line)) {
            this.afterCompletedTurn = false;
            return;
        }
        if (TOKENS_USED.test(line))
            return this.turnCompleted();
        if (this.afterCompletedTurn)
            return;
        const fatal = HUMAN_FATAL.exec(line) ?? TUI_FATAL.exec(line);
        if (fatal) {
            const message = fatal[1];
            const reconnecting = RECONNECTING.exec(message);
            if (reconnecting) {
                // `Reconnecting... N/5` alone names no cause; with `(cause)` or `waiting for network` it does.
                if (reconnecting[1])
                    this.retry(reconnecting[1], 'legacy');
                else if (message.includes('waiting for network'))
                    this.retry(message, 'legacy');
                return;
            }
            return this.setFatal(message, isCodexMessage(message));
        }
        const bareReconnecting = BARE_RECONNECTING.exec(line);
        if (bareReconnecting)
            return this.retry(bareReconnecting[1], 'notice');
        const oldRetry = OLD_RETRY.exec(line);
        if (oldRetry)
            return this.retry(oldRetry[1], 'legacy');
        if (line.startsWith('Failed to refresh token: '))
            this.retry(line, 'legacy');
    }
    pushJson(line) {
        if (!line.endsWith('}'))
            return;
        let event;
        try {
            event = JSON.parse(line);
        }
        catch {
            return;
        }
        if (typeof event !== 'object' || event === null)
            return;
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
                if (typeof message === 'string')
                    this.setFatal(message, true);
                return;
            }
            case 'error':
            case 'stream_error': {
                const message = event.message ?? event.msg?.message;
                if (typeof message !== 'string')
                    return;
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
    turnCompleted() {
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
    setFatal(message, verbatim) {
        const kind = classifyMessage(message);
        // Older builds end a refresh failure with a bare `exceeded retry limit, last status: 401`;
        // the retry notices before it name the real cause, so they are the verdict and its evidence.
        if (kind === 'unauthorized' && this.lastRetry && this.lastRetry.kind !== 'unauthorized' && DECISIVE_KINDS.has(this.lastRetry.kind)) {
            this.fatal = this.lastRetry;
            return;
        }
        this.fatal = { kind, line: evidenceText(message), verbatim };
    }
    retry(cause, source) {
        const kind = classifyMessage(cause);
        if (kind === 'other')
            return;
        this.lastRetry = { kind, line: evidenceText(cause), verbatim: source === 'trusted' || isCodexMessage(cause) };
        // Codex retries in a series (1/5, 2/5, …): a cause that one quoted line (a bare notice) names is
        // not enough to kill a run, the same cause in the next notice is.
        const sure = (pending) => source === 'trusted' || (source === 'notice' && pending === kind);
        if (DECISIVE_KINDS.has(kind)) {
            if (!this.firstDecisive && sure(this.pendingNotice))
                this.firstDecisive = this.lastRetry;
            if (source === 'notice')
                this.pendingNotice = kind;
        }
        if (DECISIVE_KINDS.has(kind) || kind === 'unauthorized') {
            if (!this.firstAuth && sure(this.pendingAuthNotice))
                this.firstAuth = this.lastRetry;
            if (source === 'notice')
                this.pendingAuthNotice = kind;
        }
    }
    /**
     * Why the run failed, judged from codex's lines: its last fatal error, else the cause of its last
     * retry, else null (codex said nothing: the failure, if any, is not codex's).
     */
    get verdict() {
        return this.fatal ?? this.lastRetry;
    }
    /** The first retry whose cause no retry can fix (a rejected key, a dead refresh token), if any. */
    get decisiveRetry() {
        return this.firstDecisive;
    }
    /**
     * The first retry on any authentication failure, a bare `401 Unauthorized` included (which is not
     * decisive for a ChatGPT login, but is for a credential that nothing refreshes), if any.
     */
    get authRetry() {
        return this.firstAuth;
    }
    /** How many codex turns completed successfully so far. */
    get turnsCompleted() {
        return this.completedTurns;
    }
    /**
     * The verdict on a whole log, for readers without an exit code: codex's failure, else `none` when
     * a turn completed, else `other` (codex reported nothing).
     */
    result() {
        // Without exit codes to go by, only a line that is certainly codex's names the cause.
        const verdict = this.verdict;
        if (verdict?.verbatim)
            return { kind: verdict.kind, evidence: verdict.line };
        return { kind: this.completedTurns > 0 ? 'none' : 'other', evidence: null };
    }
}
/** Classifies a whole transcript at once. */
function classifyTranscript(text) {
    const classifier = new CodexOutputClassifier();
    for (const line of text.split('\n'))
        classifier.push(line);
    return classifier.result();
}


/***/ }),

/***/ 581:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _package_json__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(330);
/* harmony import */ var _classifier_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(362);
/* harmony import */ var _job_log_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(755);
/**
 * `codex-reauth classify [FILE|-]`: reads a job's log (a file, or stdin) and prints one JSON line,
 * `{"kind": "...", "evidence": "..."}`, with the same classifier the action uses.
 * Every failure is one line on stderr and exit code 2, never a stack trace: this is a tool people
 * run by hand and in scripts that branch on its exit code.
 */




const USAGE = `Usage: codex-reauth classify [FILE|-]
       codex-reauth --version | --help

Reads a job's log (a file, or standard input when FILE is - or absent) and prints one line,
{"kind": "...", "evidence": "..."}: the failure kind the action would give that step, and what
codex said that shows it (null when there is nothing to quote).
  kind "none":  a codex turn completed and nothing in the log failed;
  kind "other": the step failed (an ##[error] line, or "Process completed with exit code N" with
                N other than 0) and codex named no cause, or codex reported nothing at all.

Exit codes: 0 when a kind was printed (whatever the kind); 2 on a usage error or when the log
cannot be read.`;
/** A problem worth one line to the user; anything else is a bug and still gets one line. */
class CliError extends Error {
}
/** Why a file cannot be read, in words, from Node's error code. */
function describeReadError(source, error) {
    const code = error?.code;
    switch (code) {
        case 'ENOENT':
            return `no such file: ${source}`;
        case 'EISDIR':
            return `${source} is a folder, not a log file`;
        case 'EACCES':
        case 'EPERM':
            return `cannot read ${source}: permission denied`;
        default:
            return `cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`;
    }
}
/** Opens the log, refusing folders up front (opening one succeeds on Linux; reading it fails). */
async function openLog(source) {
    if (!source || source === '-')
        return process.stdin;
    let handle;
    try {
        handle = await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.open(source, 'r');
    }
    catch (error) {
        throw new CliError(describeReadError(source, error));
    }
    const stat = await handle.stat();
    if (stat.isDirectory()) {
        await handle.close();
        throw new CliError(describeReadError(source, Object.assign(new Error('folder'), { code: 'EISDIR' })));
    }
    return handle.createReadStream();
}
/** Feeds the log to the classifier line by line, in constant memory whatever the log's size. */
async function classify(source) {
    const input = await openLog(source);
    const classifier = new _job_log_js__WEBPACK_IMPORTED_MODULE_3__/* .JobLogClassifier */ .L();
    let partial = '';
    input.setEncoding('utf8');
    try {
        for await (const chunk of input) {
            const lines = (partial + chunk).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines)
                classifier.push(line);
            // A line without an end is cut where the classifier would cut it anyway.
            if (partial.length > _classifier_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_LINE_CHARS */ .yL)
                partial = partial.slice(0, _classifier_js__WEBPACK_IMPORTED_MODULE_2__/* .MAX_LINE_CHARS */ .yL);
        }
    }
    catch (error) {
        throw new CliError(describeReadError(source && source !== '-' ? source : 'standard input', error));
    }
    if (partial)
        classifier.push(partial);
    process.stdout.write(`${JSON.stringify(classifier.result())}\n`);
}
async function main(argv) {
    const [command, ...args] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    if (command === '--version' || command === '-V') {
        process.stdout.write(`${_package_json__WEBPACK_IMPORTED_MODULE_1__/* .version */ .rE}\n`);
        return 0;
    }
    if (command !== 'classify' || args.length > 1) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
    }
    await classify(args[0]);
    return 0;
}
try {
    process.exitCode = await main(process.argv.slice(2));
}
catch (error) {
    const message = error instanceof CliError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`codex-reauth: ${message}\n`);
    process.exitCode = 2;
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 755:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ JobLogClassifier)
/* harmony export */ });
/* unused harmony export classifyJobLog */
/* harmony import */ var _classifier_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(362);
/**
 * The verdict on a whole job log, as `codex-reauth classify` prints it. Pure code: no I/O.
 *
 * A log has no exit code beside it, so this reads the two things GitHub writes when a step fails,
 * to give the kind the action itself would give:
 *   - the closing `Process completed with exit code N.` (N ≠ 0), shown as `##[error]Process completed…`
 *     in a downloaded log and as `Error: Process completed…` when copied from the web view;
 *   - any `##[error]` line (an error annotation).
 * Codex's own failure wins; else a failed step is `other` (codex was fine, something after it
 * failed); `none` only when a codex turn completed and nothing failed.
 */

const PROCESS_COMPLETED = /^(?:##\[error\]|Error: )?Process completed with exit code (\d+)/;
const ERROR_ANNOTATION = /^##\[error\](.*)$/;
/** Streaming: `push` every line of a log, then read `result()`. Keeps a few strings, never the log. */
class JobLogClassifier {
    codex = new _classifier_js__WEBPACK_IMPORTED_MODULE_0__/* .CodexOutputClassifier */ .cv();
    stepFailure = null;
    /** Examines one line of the log (without its newline). */
    push(rawLine) {
        this.codex.push(rawLine);
        if (this.stepFailure !== null || rawLine.length === 0)
            return;
        const line = (0,_classifier_js__WEBPACK_IMPORTED_MODULE_0__/* .normaliseLine */ .$M)(rawLine);
        const completed = PROCESS_COMPLETED.exec(line);
        if (completed) {
            if (completed[1] !== '0')
                this.stepFailure = (0,_classifier_js__WEBPACK_IMPORTED_MODULE_0__/* .evidenceText */ .rS)(line.replace(/^##\[error\]|^Error: /, ''));
            return;
        }
        const annotation = ERROR_ANNOTATION.exec(line);
        if (annotation)
            this.stepFailure = (0,_classifier_js__WEBPACK_IMPORTED_MODULE_0__/* .evidenceText */ .rS)(annotation[1]);
    }
    /** The kind the action would give the step this log came from. */
    result() {
        const verdict = this.codex.verdict;
        if (verdict)
            return { kind: verdict.kind, evidence: verdict.line };
        if (this.stepFailure !== null)
            return { kind: 'other', evidence: this.stepFailure };
        return { kind: this.codex.turnsCompleted > 0 ? 'none' : 'other', evidence: null };
    }
}
/** Classifies a whole log at once. */
function classifyJobLog(text) {
    const classifier = new JobLogClassifier();
    for (const line of text.split('\n'))
        classifier.push(line);
    return classifier.result();
}


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 330:
/***/ ((module) => {

module.exports = {"rE":"1.0.0"};

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(581);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
