// A loopback stand-in for the parts of the OpenAI API that codex talks to: the Responses API
// (`POST …/responses`, SSE), the ChatGPT OAuth token endpoint (`POST /oauth/token`) and the check of
// workspace access tokens (`GET …/v1/user-auth-credential/whoami`, base `CODEX_AUTHAPI_BASE_URL`).
// Shared by the end-to-end tests, `npm run demo` and `npm run bench`, so all three exercise the
// real codex binary against the same behaviour. Loopback only; it never reaches the internet.
//
// What a request gets depends on the credential it carries, registered up front:
//   const s = await startStandin();
//   const key = s.apiKey('invalid_api_key');              // an API key that is "revoked"
//   const auth = s.chatgptAuth({ refresh: 'reused' });    // a ChatGPT auth.json whose refresh token was already used
//   const token = s.accessToken({ whoami: 'revoked' });     // a workspace access token (`at-…`) an admin revoked
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An unsigned JWT (`alg: none`): codex reads the claims but never checks signatures. */
export function mintJwt(claims) {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.${b64url('unsigned')}`;
}

function jwtExpired(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    const { exp } = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof exp === 'number' && exp * 1000 < Date.now();
  } catch {
    return false;
  }
}

/** Where the stand-in answers what codex asks at `CODEX_AUTHAPI_BASE_URL` (the token check). */
export const AUTHAPI_PATH = '/api/accounts';

/** The plan whoami reports for a workspace token unless told otherwise (see accessToken). */
// `team` (ChatGPT Team, now Business) is a workspace plan for which codex 0.171 loads no cloud config
// bundle: one request fewer, and no dependence on the bundle's format (see the bundle route).
const WORKSPACE_PLAN = 'team';

const nonce = () => randomBytes(9).toString('base64url');

const SSE_OK = (text) =>
  [
    'event: response.output_item.done',
    `data: ${JSON.stringify({ type: 'response.output_item.done', item: { type: 'message', role: 'assistant', id: 'm1', content: [{ type: 'output_text', text }] } })}`,
    '',
    'event: response.completed',
    `data: ${JSON.stringify({ type: 'response.completed', response: { id: 'r1', usage: { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 } } })}`,
    '',
    '',
  ].join('\n');

function jsonError(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Starts the stand-in on a free loopback port.
 * @param {{ reply?: string, model?: string, accessLifetimeSeconds?: number }} [options] reply: the assistant's
 *   text on success; model: the model named in `configToml()`; accessLifetimeSeconds: how long the access
 *   tokens a refresh mints live (default an hour).
 */
export async function startStandin(options = {}) {
  const reply = options.reply ?? 'hi';
  // How long the access tokens minted by a refresh live (more than codex's 5-minute window, or it refreshes in a loop).
  const accessLifetime = options.accessLifetimeSeconds ?? 3600;
  // A model the pinned codex ships metadata for: an unknown one makes it warn on every run.
  const model = options.model ?? 'gpt-5.5';
  /** bearer token -> behaviour */
  const bearers = new Map();
  /** workspace access token (`at-…`) -> { whoami: 'accept'|'revoked', account: chatgpt_account_id } */
  const workspaceTokens = new Map();
  /** refresh token -> { state: 'live'|'used'|'expired'|'invalidated', access: behaviour } */
  const refreshTokens = new Map();
  const requests = [];
  const hanging = new Set();
  /** Every credential value the stand-in made or was told of: none may leak. */
  const issued = new Set();
  /** Refresh requests still to fail with a status (a token endpoint in trouble), before the tokens are looked at. */
  const refreshFailures = [];

  const accessToken = (behaviour, expiresInSeconds) => {
    const token = mintJwt({
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + expiresInSeconds,
      jti: nonce(),
      'https://api.openai.com/auth': { chatgpt_account_id: 'acct-standin' },
    });
    bearers.set(token, behaviour);
    issued.add(token);
    return token;
  };
  const idToken = () => {
    const token = mintJwt({
      email: 'ci@example.com',
      exp: Math.floor(Date.now() / 1000) + 3600,
      'https://api.openai.com/auth': {
        chatgpt_plan_type: 'plus',
        chatgpt_account_id: 'acct-standin',
        chatgpt_user_id: 'user-standin',
      },
    });
    issued.add(token);
    return token;
  };
  const newRefreshToken = (state, access) => {
    const token = `rt-${nonce()}`;
    refreshTokens.set(token, { state, access });
    issued.add(token);
    return token;
  };

  function modelReply(req, res) {
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!bearer) {
      return jsonError(res, 401, {
        error: { message: 'Missing bearer or basic authentication in header', type: 'invalid_request_error', param: null, code: null },
      });
    }
    const workspace = workspaceTokens.get(bearer);
    // codex sends a workspace token with the account whoami named; without it the request is not the
    // one codex makes, and a distinct answer keeps a test from mistaking it for a refused token.
    if (workspace && req.headers['chatgpt-account-id'] !== workspace.account) {
      return jsonError(res, 400, { error: { message: "stand-in: ChatGPT-Account-Id missing or not the token's account" } });
    }
    let behaviour = bearers.get(bearer) ?? (bearer.startsWith('sk-') ? 'invalid_api_key' : 'unauthorized');
    // Like the real backend, an access token past its `exp` is refused whatever it was minted for.
    if (jwtExpired(bearer)) behaviour = 'unauthorized';
    switch (behaviour) {
      case 'accept':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(SSE_OK(reply));
      case 'invalid_api_key':
        return jsonError(res, 401, {
          error: {
            message: `Incorrect API key provided: ${bearer.slice(0, 6)}***${bearer.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        });
      case 'unauthorized':
        return jsonError(res, 401, { detail: 'Unauthorized' });
      case 'missing_scopes':
        return jsonError(res, 401, {
          error: {
            message:
              'You have insufficient permissions for this operation. Missing scopes: api.responses.write. Check that you have the correct role in your organization.',
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        });
      case 'insufficient_quota':
        return jsonError(res, 429, {
          error: {
            type: 'insufficient_quota',
            code: 'insufficient_quota',
            message: 'You exceeded your current quota, please check your plan and billing details.',
          },
        });
      case 'usage_limit':
        return jsonError(res, 429, { error: { type: 'usage_limit_reached', plan_type: 'plus', resets_in_seconds: 3600 } });
      case 'rate_limit':
        return jsonError(res, 429, {
          error: { type: 'rate_limit_exceeded', code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again later.' },
        });
      case 'server_error':
        return jsonError(res, 500, { error: { type: 'server_error', message: 'The server had an error while processing your request.' } });
      case 'hang':
        // Never answer: the request stays open until the client goes away or the server closes.
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return undefined;
      default:
        return jsonError(res, 500, { error: { message: `stand-in: unknown behaviour ${behaviour}` } });
    }
  }

  function tokenReply(body, res) {
    let parsed = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      // codex may send a form body in some versions
      parsed = Object.fromEntries(new URLSearchParams(body));
    }
    const failure = refreshFailures.find((f) => f.remaining > 0);
    if (failure) {
      failure.remaining -= 1;
      return jsonError(res, failure.status, { error: { message: 'stand-in: token endpoint in trouble', type: 'server_error' } });
    }
    const entry = refreshTokens.get(parsed.refresh_token);
    const refuse = (code) => jsonError(res, 401, { error: { message: `refresh failed: ${code}`, type: 'invalid_request_error', code } });
    if (!entry) return refuse('refresh_token_invalidated');
    if (entry.state === 'used') return refuse('refresh_token_reused');
    if (entry.state === 'expired') return refuse('refresh_token_expired');
    if (entry.state === 'invalidated') return refuse('refresh_token_invalidated');
    // Single use, like the real endpoint: this token is spent, its successor is live.
    entry.state = 'used';
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(
      JSON.stringify({
        id_token: idToken(),
        access_token: accessToken(entry.access, accessLifetime),
        refresh_token: newRefreshToken('live', entry.access),
      }),
    );
  }

  // What codex asks about a workspace access token before using it (login, `login status`, exec).
  function whoamiReply(req, res) {
    const header = req.headers.authorization ?? '';
    const entry = workspaceTokens.get(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (!entry || entry.whoami !== 'accept') return jsonError(res, 401, { detail: 'Unauthorized' });
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(
      JSON.stringify({
        email: 'ci@example.com',
        chatgpt_user_id: 'user-standin',
        chatgpt_account_id: entry.account,
        chatgpt_plan_type: entry.plan,
        chatgpt_account_is_fedramp: false,
      }),
    );
  }

  // ChatGPT logins make codex connect to OpenAI's hosted MCP server (apps and connectors). A 404
  // there makes codex log `ERROR rmcp::transport::worker` lines; an empty server keeps it quiet.
  function mcpReply(req, body, res) {
    if (req.method !== 'POST') {
      res.writeHead(req.method === 'DELETE' ? 200 : 405);
      return res.end();
    }
    let message = {};
    try {
      message = JSON.parse(body);
    } catch {
      // answered below as an empty result
    }
    // Notifications carry no id and get no answer.
    if (message.id === undefined || message.id === null) {
      res.writeHead(202);
      return res.end();
    }
    const results = {
      initialize: {
        protocolVersion: message.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'openai-standin', version: '1.0.0' },
      },
      'tools/list': { tools: [] },
      'resources/list': { resources: [] },
      'prompts/list': { prompts: [] },
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: results[message.method] ?? {} }));
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization ?? null,
        accountId: req.headers['chatgpt-account-id'] ?? null,
      });
      if (req.method === 'GET' && /\/v1\/user-auth-credential\/whoami(\?|$)/.test(req.url)) return whoamiReply(req, res);
      if (req.method === 'POST' && req.url.endsWith('/oauth/token')) return tokenReply(body, res);
      if (req.method === 'POST' && /\/responses(\?|$)/.test(req.url)) return modelReply(req, res);
      // The hosted MCP server's path: `…/ps/mcp` from 0.150 on, `…/wham/apps` before.
      if (/\/(?:mcp|wham\/apps)(\?|$)/.test(req.url)) return mcpReply(req, body, res);
      // Business, Enterprise and Edu workspaces load their admin's policies before anything else; an
      // empty bundle is a workspace without policies (a 404 would end codex: "Failed to load cloud
      // config bundle").
      if (req.method === 'GET' && /\/wham\/config\/bundle(\?|$)/.test(req.url)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{}');
      }
      if (req.method === 'GET' && /\/models(\?|$)/.test(req.url)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ object: 'list', data: [], models: [] }));
      }
      return jsonError(res, 404, { error: { message: `stand-in: no route for ${req.method} ${req.url}` } });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    requests,
    /** A fresh API key that gets `behaviour` from the model endpoint. */
    apiKey(behaviour = 'accept') {
      const key = `sk-proj-${behaviour.replace(/_/g, '')}${nonce()}${nonce()}`;
      bearers.set(key, behaviour);
      issued.add(key);
      return key;
    },
    /**
     * A fresh workspace access token (`at-…`). `whoami`: what the token check answers (`revoked`: 401,
     * as for a token an admin revoked, that expired or was mistyped); `model`: what the model endpoint
     * does with it once whoami accepted it (`unauthorized`: the API refuses a token whoami accepts);
     * `plan`: the workspace plan whoami reports.
     */
    accessToken({ whoami = 'accept', model = 'accept', plan = WORKSPACE_PLAN } = {}) {
      const token = `at-${nonce()}${nonce()}`;
      const account = `acct-ws-${nonce()}`;
      workspaceTokens.set(token, { whoami, account, plan });
      bearers.set(token, whoami === 'accept' ? model : 'unauthorized');
      issued.add(token);
      return token;
    },
    /** An admin revokes `token`: whoami and the model endpoint refuse it from now on. */
    revokeAccessToken(token) {
      const entry = workspaceTokens.get(token);
      if (!entry) throw new Error('stand-in: not one of its access tokens');
      entry.whoami = 'revoked';
      bearers.set(token, 'unauthorized');
    },
    /** The `GET …/whoami` requests so far (the token checks codex made). */
    whoamiRequests() {
      return requests.filter((q) => /\/user-auth-credential\/whoami(\?|$)/.test(q.url));
    },
    /** The `POST …/responses` requests so far (model turns codex tried). */
    modelRequests() {
      return requests.filter((q) => q.method === 'POST' && /\/responses(\?|$)/.test(q.url));
    },
    /**
     * A ChatGPT-login auth.json (as an object). `refresh` decides what the token endpoint does with its
     * refresh token; `accessExpired` makes codex refresh before its first request (`accessExpiresIn`, in
     * seconds, sets the access token's expiry exactly); `access` is what the model endpoint does with the
     * access tokens (this one and those minted by refreshes).
     */
    chatgptAuth({ refresh = 'rotate', access = 'accept', accessExpired = true, accessExpiresIn } = {}) {
      const state = refresh === 'rotate' ? 'live' : refresh === 'reused' ? 'used' : refresh;
      return {
        auth_mode: 'chatgpt',
        OPENAI_API_KEY: null,
        tokens: {
          id_token: idToken(),
          access_token: accessToken(access, accessExpiresIn ?? (accessExpired ? -3600 : 3600)),
          refresh_token: newRefreshToken(state, access),
          account_id: 'acct-standin',
        },
        last_refresh: new Date().toISOString(),
      };
    },
    /** The next `count` refresh requests answer `status` (a 5xx) without looking at the refresh token. */
    failRefreshes(count, status = 502) {
      refreshFailures.push({ remaining: count, status });
    },
    /** Every key and token made so far (for leak checks). */
    issued() {
      return [...issued];
    },
    /** What the token endpoint will say to a refresh token now: live, used, expired, invalidated. */
    refreshState(token) {
      return refreshTokens.get(token)?.state ?? null;
    },
    /** The codex config.toml lines that point codex at this stand-in. */
    configToml() {
      return [
        'model_provider = "standin"',
        `model = "${model}"`,
        `chatgpt_base_url = "${url}/backend-api/"`,
        '',
        '[model_providers.standin]',
        'name = "standin"',
        `base_url = "${url}/v1"`,
        'wire_api = "responses"',
        'requires_openai_auth = true',
        '',
      ].join('\n');
    },
    /** Environment codex needs besides config.toml (the refresh endpoint has no config key). */
    env() {
      return {
        CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${url}/oauth/token`,
        CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${url}/oauth/revoke`,
        // where codex checks a workspace access token (default https://auth.openai.com/api/accounts)
        CODEX_AUTHAPI_BASE_URL: `${url}${AUTHAPI_PATH}`,
      };
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
