// The real codex CLI (the pinned @openai/codex devDependency), set up to talk to the loopback
// stand-in only. Shared by the end-to-end tests, the demo and the benchmark.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './run-action.js';

export const REAL_CODEX = path.join(ROOT, 'node_modules', '@openai', 'codex', 'bin', 'codex.js');

/** The version of the pinned codex, e.g. "0.169.0". */
export function codexVersion() {
  const out = spawnSync(process.execPath, [REAL_CODEX, '--version'], { encoding: 'utf8' }).stdout ?? '';
  return out.trim().replace(/^codex-cli\s+/, '');
}

/** A folder holding only `codex` (the real one), to put first on PATH. Remove it when done. */
export function realCodexBin() {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'real-codex-bin-'));
  fs.symlinkSync(REAL_CODEX, path.join(bin, 'codex'));
  return bin;
}

/**
 * Makes `home/.codex` with the user's config.toml pointing codex at the stand-in, and optionally a
 * cached auth.json (what a self-hosted runner would have left behind).
 */
export function prepareCodexHome(home, standin, cachedAuth) {
  const codexHome = path.join(home, '.codex');
  fs.mkdirSync(codexHome, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(codexHome, 'config.toml'), standin.configToml());
  if (cachedAuth) fs.writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify(cachedAuth), { mode: 0o600 });
  return codexHome;
}

/** Environment for the action's runner: real codex first on PATH, refresh endpoint on loopback. */
export function realCodexEnv(bin, standin) {
  return { PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...standin.env() };
}
