#!/usr/bin/env node
// A fake `codex` for fast unit and integration tests (the end-to-end tests run the real one).
// It prints what codex 0.169 prints (lines copied from __fixtures__/transcripts/0.169.0), and what it
// does depends on the credential it finds, so tests set up a scenario by choosing credentials:
//   API key containing "good"   → success;  "bad" → 401 invalid key;  "quota" → quota exceeded;
//   "rate" → 429;  "scope" → missing scopes;  "hang" → never ends.
//   ChatGPT auth.json whose refresh_token contains "good" → success (and rotates the token in the
//   file, as codex does); "reused" / "expired" / "revoked" → that refresh failure.
//   Workspace access token (`codex login --with-access-token`, or CODEX_ACCESS_TOKEN) containing
//   "good" → success; "apirefuse" → accepted by the check, then 401 from the model API; "bad" → refused
//   by the check (and exec goes on unauthenticated, as codex 0.171 does); "unreachable" → the check
//   cannot reach the auth server.
//   No credential → 401 missing bearer.
// Every invocation's argv is appended to $FAKE_CODEX_LOG (one JSON line) so tests can check that no
// secret ever reached a command line.
// Stateful mode, for passing trouble: with FAKE_CODEX_FAIL_FIRST=N and FAKE_CODEX_STATE=<file>, the
// first N `codex exec` runs (counted in that file, across processes) fail with FAKE_CODEX_FAIL_AS
// (`rate-limited`, `server-error` or `network`; default `server-error`) whatever the credential, and
// later runs behave as above.
import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
if (process.env.FAKE_CODEX_LOG) fs.appendFileSync(process.env.FAKE_CODEX_LOG, `${JSON.stringify({ argv, pid: process.pid })}\n`);

// Global `-c key=value` overrides may come before the subcommand.
const args = [];
const overrides = {};
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '-c' || argv[i] === '--config') {
    const [k, v] = argv[++i].split('=');
    overrides[k] = v;
  } else args.push(argv[i]);
}
const home = process.env.CODEX_HOME || path.join(process.env.HOME, '.codex');
const authFile = path.join(home, 'auth.json');
const err = (line) => process.stderr.write(`${line}\n`);
const now = () => new Date().toISOString().replace(/\.\d+Z$/, '.000000Z');

if (!fs.existsSync(home)) {
  err(`Error: CODEX_HOME points to "${home}", but that path does not exist`);
  process.exit(1);
}
if (args[0] === '--version') {
  console.log('codex-cli 0.169.0-fake');
  process.exit(0);
}
if (args[0] === 'login' && args[1] === '--with-api-key') {
  const key = fs.readFileSync(0, 'utf8').trim();
  err('Reading API key from stdin...');
  if (!key) {
    err('No API key provided via stdin.');
    process.exit(1);
  }
  if (overrides.cli_auth_credentials_store && overrides.cli_auth_credentials_store !== 'file') {
    err('fake codex: only the file store is faked');
    process.exit(1);
  }
  fs.writeFileSync(authFile, JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key }), { mode: 0o600 });
  err('API key saved. Authentication is checked when you send a request.');
  process.exit(0);
}
// What codex 0.171 prints when it checks a workspace access token (captured against a stand-in).
function accessTokenCheck(token, prefix) {
  if (token.includes('bad')) {
    err(`${prefix}: personal access token metadata request failed with status 401 Unauthorized`);
    return false;
  }
  if (token.includes('unreachable')) {
    err(
      `${prefix}: failed to request personal access token metadata: error sending request for url (https://auth.openai.com/api/accounts/v1/user-auth-credential/whoami)`,
    );
    return false;
  }
  return true;
}
if (args[0] === 'login' && args[1] === '--with-access-token') {
  const token = fs.readFileSync(0, 'utf8').trim();
  err('Reading access token from stdin...');
  if (!token) {
    err('No access token provided via stdin.');
    process.exit(1);
  }
  if (!accessTokenCheck(token, 'Error logging in with access token')) process.exit(1);
  fs.writeFileSync(authFile, JSON.stringify({ OPENAI_API_KEY: null, personal_access_token: token }), { mode: 0o600 });
  err('Successfully logged in');
  process.exit(0);
}
if (args[0] === 'login' && args[1] === 'status') {
  const token = process.env.CODEX_ACCESS_TOKEN;
  if (token) {
    if (!accessTokenCheck(token, 'Error checking login status')) process.exit(1);
    err('Logged in using personal access token');
    process.exit(0);
  }
  if (!fs.existsSync(authFile)) {
    err('Not logged in');
    process.exit(1);
  }
  err('Logged in');
  process.exit(0);
}
if (args[0] === 'logout') {
  // The real one revokes a ChatGPT refresh token server-side: tests assert it is never called.
  if (process.env.FAKE_CODEX_LOG) fs.appendFileSync(process.env.FAKE_CODEX_LOG, '{"logout":true}\n');
  fs.rmSync(authFile, { force: true });
  err('Successfully logged out');
  process.exit(0);
}
if (args[0] !== 'exec') {
  err(`fake codex: unsupported command ${args.join(' ')}`);
  process.exit(2);
}

const json = args.includes('--json');
let auth = null;
try {
  auth = JSON.parse(fs.readFileSync(authFile, 'utf8'));
} catch {
  auth = null; // codex exec ignores a missing or corrupt auth.json
}
const envKey = process.env.CODEX_API_KEY;
const apiKey = envKey ?? (auth?.auth_mode === 'apikey' || (!auth?.tokens && auth?.OPENAI_API_KEY) ? auth.OPENAI_API_KEY : null);
const refresh = auth?.tokens?.refresh_token ?? null;
const accessToken = process.env.CODEX_ACCESS_TOKEN ?? auth?.personal_access_token ?? null;

function header() {
  if (json) return console.log(JSON.stringify({ type: 'thread.started', thread_id: 'fake' }));
  err('OpenAI Codex v0.169.0');
  err('--------');
  err('model: gpt-5-codex');
  err('--------');
  err('user');
  err(args.at(-1));
}
function fatal(message, { retries = 0 } = {}) {
  for (let n = 1; n <= retries; n++) {
    if (json) console.log(JSON.stringify({ type: 'error', message: `Reconnecting... ${n}/5 (${message})` }));
    else err(`ERROR: Reconnecting... ${n}/5`);
  }
  if (json) {
    console.log(JSON.stringify({ type: 'error', message }));
    console.log(JSON.stringify({ type: 'turn.failed', error: { message } }));
  } else {
    err(`ERROR: ${message}`);
    err(`ERROR: ${message}`);
  }
  process.exit(1);
}
function succeed() {
  const text = process.env.FAKE_CODEX_REPLY ?? 'done';
  if (json) {
    console.log(JSON.stringify({ type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text } }));
    console.log(JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 1, output_tokens: 1 } }));
  } else {
    err('codex');
    err(text);
    err('tokens used');
    err('2');
    console.log(text);
  }
  process.exit(0);
}

header();
const url = 'url: https://api.openai.com/v1/responses';

// What codex 0.169 prints after its own five retries for each kind of passing trouble.
const TRANSIENT = {
  'rate-limited': 'exceeded retry limit, last status: 429 Too Many Requests',
  'server-error': 'We\u2019re currently experiencing high demand, which may cause temporary errors.',
  network: `stream disconnected before completion: error sending request for ${url.slice(5)}`,
};
const failFirst = Number(process.env.FAKE_CODEX_FAIL_FIRST ?? 0);
if (failFirst > 0) {
  const stateFile = process.env.FAKE_CODEX_STATE;
  if (!stateFile) {
    err('fake codex: FAKE_CODEX_FAIL_FIRST needs FAKE_CODEX_STATE (the file that counts runs)');
    process.exit(2);
  }
  const runs = (fs.existsSync(stateFile) ? Number(fs.readFileSync(stateFile, 'utf8')) || 0 : 0) + 1;
  fs.writeFileSync(stateFile, String(runs));
  const failAs = process.env.FAKE_CODEX_FAIL_AS ?? 'server-error';
  if (!TRANSIENT[failAs]) {
    err(`fake codex: unknown FAKE_CODEX_FAIL_AS ${failAs}`);
    process.exit(2);
  }
  if (runs <= failFirst) fatal(TRANSIENT[failAs], { retries: 5 });
}
if (apiKey) {
  const masked = `${apiKey.slice(0, 6)}***${apiKey.slice(-4)}`;
  if (apiKey.includes('good')) succeed();
  if (apiKey.includes('hang')) setInterval(() => {}, 1000);
  else if (apiKey.includes('quota')) fatal('Quota exceeded. Check your plan and billing details.');
  else if (apiKey.includes('rate')) fatal('exceeded retry limit, last status: 429 Too Many Requests');
  else if (apiKey.includes('scope'))
    fatal(
      `unexpected status 401 Unauthorized: You have insufficient permissions for this operation. Missing scopes: api.responses.write., ${url}`,
      { retries: 5 },
    );
  else
    fatal(
      `unexpected status 401 Unauthorized: Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys., ${url}`,
      { retries: 5 },
    );
} else if (accessToken && !accessToken.includes('bad') && !accessToken.includes('unreachable')) {
  if (accessToken.includes('good')) succeed();
  // Accepted by the check, refused by the model API: codex names no credential, only the 401.
  fatal(`unexpected status 401 Unauthorized: {"detail":"Unauthorized"}, ${url}`, { retries: 5 });
} else if (refresh) {
  if (refresh.includes('good')) {
    // Rotate, as codex does after a refresh: the old refresh token is now dead everywhere.
    auth.tokens.refresh_token = `${refresh}-rotated`;
    auth.last_refresh = new Date().toISOString();
    fs.writeFileSync(authFile, JSON.stringify(auth), { mode: 0o600 });
    succeed();
  }
  const reason = refresh.includes('reused')
    ? 'was already used'
    : refresh.includes('expired')
      ? 'has expired'
      : refresh.includes('revoked')
        ? 'was revoked'
        : null;
  const message = reason
    ? `Your access token could not be refreshed because your refresh token ${reason}. Please log out and sign in again.`
    : 'Your access token could not be refreshed. Please log out and sign in again.';
  // Tracing noise first, as the real one logs it (and as runs that succeed log it too).
  for (let i = 0; i < 3; i++) err(`${now()} ERROR codex_login::auth::manager: Failed to refresh token: ${message}`);
  fatal(message);
} else {
  fatal(`unexpected status 401 Unauthorized: Missing bearer or basic authentication in header, ${url}`, { retries: 5 });
}
