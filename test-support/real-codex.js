// The real codex CLI (the pinned @openai/codex devDependency), set up to talk to the loopback
// stand-in only. Shared by the end-to-end tests, the demo and the benchmark.
//
// Nothing may leave loopback, whatever a test (or a bug in the action) does to config.toml:
// - the `codex` that realCodexBin() puts on PATH is a wrapper that hands codex the stand-in through
//   `-c` flags on every run (model provider, ChatGPT base URL), and turns off what codex 0.169 fetches
//   from elsewhere on its own (the curated plugin sync from github.com / api.github.com / chatgpt.com,
//   analytics to ab.chatgpt.com). It refuses to run without a stand-in address, and it points the
//   check of workspace access tokens (whoami, env CODEX_AUTHAPI_BASE_URL, which has no config key) at
//   the stand-in whatever environment the action hands codex;
// - realCodexEnv() routes every other request through a proxy on loopback (NO_PROXY for loopback
//   itself): the network trap when one is given (it records and refuses, and stops the run at once),
//   else a loopback port where nothing listens, so the request fails at once.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUTHAPI_PATH } from './openai-standin.js';
import { ROOT } from './run-action.js';

export const REAL_CODEX = path.join(ROOT, 'node_modules', '@openai', 'codex', 'bin', 'codex.js');

/** Read by the wrapper: the stand-in's base URL (realCodexEnv sets it). */
export const STANDIN_URL_VAR = 'CODEX_REAUTH_TEST_STANDIN_URL';

/**
 * When set (to a file path), the wrapper appends each codex invocation's arguments there, one line per
 * run: proof of whether codex ran at all, and that no secret was ever in its argv.
 */
export const CALL_LOG_VAR = 'CODEX_REAUTH_TEST_CODEX_CALLS';

/** Port 9 (discard) on loopback: nothing listens there, so a proxied request is refused at once. */
const REFUSING_PROXY = 'http://127.0.0.1:9';

/** The version of the pinned codex, e.g. "0.169.0". */
export function codexVersion() {
  const out = spawnSync(process.execPath, [REAL_CODEX, '--version'], { encoding: 'utf8' }).stdout ?? '';
  return out.trim().replace(/^codex-cli\s+/, '');
}

/** The `-c` overrides that point codex at the stand-in at `url` and keep it off every other host. */
export function standinOverrides(url) {
  return [
    'model_provider=standin',
    'model="gpt-5.5"',
    `model_providers.standin={name="standin",base_url="${url}/v1",wire_api="responses",requires_openai_auth=true}`,
    `chatgpt_base_url="${url}/backend-api/"`,
    'features.plugins=false',
    'analytics.enabled=false',
  ];
}

/**
 * A folder holding only `codex`: a wrapper that runs the real one with standinOverrides() for the URL in
 * $CODEX_REAUTH_TEST_STANDIN_URL. Put it first on PATH, with realCodexEnv(). Remove it when done.
 */
export function realCodexBin() {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'real-codex-bin-'));
  // The URL comes from the environment at run time, so one bin serves any stand-in; `$u` is expanded
  // by the shell inside each override (they are double-quoted, the TOML quotes inside are escaped).
  const overrides = standinOverrides('$u')
    .map((o) => `-c "${o.replace(/"/g, '\\"')}"`)
    .join(' ');
  const script = [
    '#!/bin/sh',
    '# codex-reauth tests: the real codex, pointed at the loopback stand-in whatever config.toml says.',
    `u="\${${STANDIN_URL_VAR}:-}"`,
    'case "$u" in',
    '  http://127.0.0.1:*) ;;',
    `  *) echo "codex test wrapper: ${STANDIN_URL_VAR} must be the loopback stand-in's URL, got '$u'" >&2; exit 2 ;;`,
    'esac',
    // whoami has no config key: without this codex would ask auth.openai.com about an `at-…` token.
    `CODEX_AUTHAPI_BASE_URL="$u${AUTHAPI_PATH}"`,
    'export CODEX_AUTHAPI_BASE_URL',
    `if [ -n "\${${CALL_LOG_VAR}:-}" ]; then printf '%s\\n' "$*" >> "$${CALL_LOG_VAR}"; fi`,
    `exec "${process.execPath}" "${REAL_CODEX}" ${overrides} "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(bin, 'codex'), script, { mode: 0o755 });
  return bin;
}

/**
 * Makes `home/.codex` with the user's config.toml pointing codex at the stand-in, and optionally a
 * cached auth.json (what a self-hosted runner would have left behind). The wrapper's `-c` flags do not
 * depend on this file: it is here as the user's own file, which the action must leave alone.
 */
export function prepareCodexHome(home, standin, cachedAuth) {
  const codexHome = path.join(home, '.codex');
  fs.mkdirSync(codexHome, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(codexHome, 'config.toml'), standin.configToml());
  if (cachedAuth) fs.writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify(cachedAuth), { mode: 0o600 });
  return codexHome;
}

/**
 * Environment for the action's runner: the wrapper first on PATH, the stand-in's address for it, the
 * refresh and revoke endpoints on loopback, and a proxy for everything else: `trap` (a
 * test-support/network-trap.js trap) when given, else a loopback port that refuses.
 */
export function realCodexEnv(bin, standin, trap) {
  const proxy = trap ? null : REFUSING_PROXY;
  const noProxy = '127.0.0.1,localhost,::1';
  const proxyEnv = trap
    ? trap.env()
    : {
        HTTPS_PROXY: proxy,
        https_proxy: proxy,
        HTTP_PROXY: proxy,
        http_proxy: proxy,
        ALL_PROXY: proxy,
        all_proxy: proxy,
        NO_PROXY: noProxy,
        no_proxy: noProxy,
      };
  return { PATH: `${bin}${path.delimiter}${process.env.PATH}`, [STANDIN_URL_VAR]: standin.url, ...standin.env(), ...proxyEnv };
}
