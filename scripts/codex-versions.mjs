// The codex releases codex-reauth is tested against, and where each one is installed.
// Shared by `scripts/capture-transcripts.mjs` (fixtures) and `scripts/test-compat.mjs` (`npm run test:compat`).
// Each release is ~400 MB with its native binary, so releases other than the pinned devDependency
// live in a cache folder outside the repository ($CODEX_REAUTH_CACHE, default ~/.cache/codex-reauth),
// one npm prefix per version, installed from the npm registry on first use.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The last patch of a minor near 0.101, 0.130, 0.150 and 0.160, the release pinned before (0.169.0)
 * and the pinned release: a year of codex output formats (see README "Supported codex versions").
 */
export const COMPAT_VERSIONS = ['0.101.0', '0.130.0', '0.150.1', '0.160.1', '0.169.0', '0.171.0'];

export const CACHE = process.env.CODEX_REAUTH_CACHE || path.join(os.homedir(), '.cache', 'codex-reauth');

const PINNED_CODEX = path.join(ROOT, 'node_modules', '@openai', 'codex', 'bin', 'codex.js');

/** The version the repository pins (package.json devDependency). */
export function pinnedVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return pkg.devDependencies['@openai/codex'];
}

/** Where `version`'s `codex.js` is (or would be) installed. */
export function codexPath(version) {
  if (version === pinnedVersion() && fs.existsSync(PINNED_CODEX)) return PINNED_CODEX;
  return path.join(CACHE, `codex-${version}`, 'node_modules', '@openai', 'codex', 'bin', 'codex.js');
}

/**
 * `codex.js` of `version`, installed into the cache first when missing. The native binary comes with
 * the optional dependency, so optional dependencies must not be omitted.
 * @returns {string} the path of codex.js (run it with `node`)
 */
export function ensureCodex(version, log = (line) => process.stderr.write(`${line}\n`)) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a codex release version: ${version}`);
  const codex = codexPath(version);
  if (fs.existsSync(codex) && installedVersion(codex) === version) return codex;
  const prefix = path.join(CACHE, `codex-${version}`);
  log(`installing @openai/codex@${version} into ${prefix} (~400 MB, once)…`);
  fs.mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', `@openai/codex@${version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (r.status !== 0 || !fs.existsSync(codex)) throw new Error(`npm install @openai/codex@${version} failed (exit ${r.status})`);
  const got = installedVersion(codex);
  if (got !== version) throw new Error(`installed codex reports ${got}, expected ${version}`);
  return codex;
}

/** What `codex --version` says, without the `codex-cli ` prefix ("" when it does not run). */
export function installedVersion(codex) {
  const r = spawnSync(process.execPath, [codex, '--version'], { encoding: 'utf8' });
  return (r.stdout ?? '').trim().replace(/^codex-cli\s+/, '');
}

/**
 * Proxy settings that keep codex on loopback: whatever codex fetches on its own (plugin lists from
 * github.com, analytics) goes to a loopback port where nothing listens and fails at once, while the
 * stand-in on 127.0.0.1 is reached directly.
 */
export function loopbackOnlyEnv() {
  const refuse = 'http://127.0.0.1:9';
  const loopback = '127.0.0.1,localhost,::1';
  return {
    HTTPS_PROXY: refuse,
    https_proxy: refuse,
    HTTP_PROXY: refuse,
    http_proxy: refuse,
    ALL_PROXY: refuse,
    all_proxy: refuse,
    NO_PROXY: loopback,
    no_proxy: loopback,
  };
}
