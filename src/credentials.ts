/**
 * The credential store: the only module that touches codex's credential files. It finds cached
 * credentials, clears them, and signs in from a secret.
 *
 * Clearing deletes credential files only (`auth.json`), never the folders: `config.toml`, sessions,
 * logs and the rest belong to the user. It never runs `codex logout`: for a ChatGPT login that revokes
 * the refresh token server-side, killing every other copy a person or another runner still uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { apiKeyAuthJson, canWriteApiKeyLogin } from './codex-version.js';
import { type AccessTokenCheck, accessTokenAuthJson, accessTokenCheckEvidence, readAccessTokenCheck } from './access-token.js';

export const AUTH_FILE = 'auth.json';

/** Runs codex with arguments and text on stdin; resolves with its exit code and output. */
export type CodexExec = (
  args: string[],
  options: { input: string; env: NodeJS.ProcessEnv },
) => Promise<{ exitCode: number; output: string }>;

export interface CredentialStore {
  /** codex's own credential file is there (a self-hosted runner, an earlier step). */
  hasCachedCredentials(): boolean;
  /**
   * Deletes the cached credential file in codex-home; with `legacy`, also the ones older codex builds
   * read (`~/.config/codex`, `%APPDATA%\\codex`). Returns what it deleted.
   */
  clear(options: { legacy: boolean }): string[];
  /** Writes a ChatGPT-login auth.json (mode 0600, folder 0700); returns its path. */
  writeAuthJson(text: string): string;
  /** Signs in with an API key through `codex login --with-api-key` (the key goes over stdin). */
  loginWithApiKey(key: string): Promise<string>;
  /**
   * Signs in with a workspace access token through `codex login --with-access-token` (over stdin),
   * which asks the auth server about the token first. A refused token leaves no file behind. When
   * nobody could be asked (no codex on PATH yet, the auth server unreachable), the login file is
   * written unchecked and codex checks the token itself when it runs.
   */
  loginWithAccessToken(token: string): Promise<AccessTokenCheckResult>;
  /**
   * Asks codex whether the workspace access token in the environment (`CODEX_ACCESS_TOKEN`) is
   * accepted (`codex login status`), without writing anything. `unchecked` without codex on PATH.
   */
  checkEnvAccessToken(): Promise<AccessTokenCheckResult>;
  /** Makes codex-home (0700) if it is not there: codex refuses a CODEX_HOME that does not exist. */
  ensureHome(): void;
  /** The credential file codex reads. */
  readonly authFile: string;
}

/** codex's answer to a token check, and its words. */
export interface AccessTokenCheckResult {
  check: AccessTokenCheck;
  exitCode: number;
  /** codex's error line, when it printed one. */
  evidence: string | null;
}

export interface CredentialStoreOptions {
  codexHome: string;
  homedir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Runs the real codex; null when no codex is on PATH (then the key file is written directly). */
  codexExec: CodexExec | null;
  /** The release of that codex, when known (see codex-version.ts); null when unknown. */
  codexVersion?: string | null;
}

/** Folders that codex builds before 0.2x (and the usual advice) name; cleared when present. */
export function legacyCredentialFolders(homedir: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const folders = [path.join(homedir, '.config', 'codex')];
  if (platform === 'win32' && env.APPDATA) folders.push(path.join(env.APPDATA, 'codex'));
  return folders;
}

/**
 * Deletes `dir/name` if it is a file or a symlink (the link itself, never what it points to).
 * Refuses folders, and refuses to look inside `dir` when `dir` itself is a symlink.
 */
export function removeCredentialFile(dir: string, name: string, options: { dirMayBeSymlink: boolean }): boolean {
  let dirStat: fs.Stats;
  try {
    dirStat = fs.lstatSync(dir);
  } catch {
    return false;
  }
  if (dirStat.isSymbolicLink() && !options.dirMayBeSymlink) return false;
  if (!dirStat.isDirectory() && !dirStat.isSymbolicLink()) return false;
  const file = path.join(dir, name);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return false;
  }
  if (!stat.isFile() && !stat.isSymbolicLink()) return false;
  fs.unlinkSync(file);
  return true;
}

/** Makes codex-home if needed, private to the user when we create it. */
function ensureCodexHome(codexHome: string): void {
  if (fs.existsSync(codexHome)) return;
  fs.mkdirSync(codexHome, { recursive: true, mode: 0o700 });
  fs.chmodSync(codexHome, 0o700);
}

/**
 * Writes a file that only its owner can read, replacing whatever file or symlink is there. The text
 * goes to a fresh temporary file beside it first (never through a symlink, never seen half-written),
 * which is removed again if anything fails: a credential must not be left behind by a failed write.
 */
function writePrivateFile(file: string, text: string): void {
  try {
    // Never write through a symlink someone left at the credential path.
    if (fs.lstatSync(file).isSymbolicLink()) fs.unlinkSync(file);
  } catch {
    // not there
  }
  const tmp = `${file}.codex-reauth-${randomBytes(6).toString('hex')}`;
  try {
    // `wx`: fail rather than write into something that appeared at this name.
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/** Creates the credential store for one codex-home. */
export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  const { codexHome } = options;
  const authFile = path.join(codexHome, AUTH_FILE);
  return {
    authFile,
    hasCachedCredentials() {
      try {
        return fs.statSync(authFile).isFile();
      } catch {
        return false;
      }
    },
    clear({ legacy }) {
      const removed: string[] = [];
      // codex-home was checked when inputs were read: a symlinked one leads somewhere expected.
      if (removeCredentialFile(codexHome, AUTH_FILE, { dirMayBeSymlink: true })) removed.push(authFile);
      // The legacy folders are outside codex-home and may serve other tools' codex: touch them only
      // once a credential has actually failed, never on a first sign-in.
      if (!legacy) return removed;
      for (const folder of legacyCredentialFolders(options.homedir, options.env, options.platform)) {
        if (removeCredentialFile(folder, AUTH_FILE, { dirMayBeSymlink: false })) removed.push(path.join(folder, AUTH_FILE));
      }
      return removed;
    },
    writeAuthJson(text) {
      ensureCodexHome(codexHome);
      writePrivateFile(authFile, text);
      return authFile;
    },
    async loginWithApiKey(key) {
      ensureCodexHome(codexHome);
      // No codex on PATH yet (the script may install it), or a release whose login file is known:
      // write what `codex login --with-api-key` writes, without a process start.
      if (!options.codexExec || canWriteApiKeyLogin(options.codexVersion ?? null)) {
        writePrivateFile(authFile, apiKeyAuthJson(key));
        return authFile;
      }
      const { exitCode, output } = await options.codexExec(['-c', 'cli_auth_credentials_store=file', 'login', '--with-api-key'], {
        input: key,
        env: { ...options.env, CODEX_HOME: codexHome },
      });
      if (exitCode !== 0) throw new Error(`codex login --with-api-key exited with ${exitCode}: ${output.trim()}`);
      tightenAuthFile(authFile);
      return authFile;
    },
    async loginWithAccessToken(token) {
      ensureCodexHome(codexHome);
      if (!options.codexExec) {
        writePrivateFile(authFile, accessTokenAuthJson(token));
        return { check: 'unchecked', exitCode: 0, evidence: null };
      }
      const { exitCode, output } = await options.codexExec(['-c', 'cli_auth_credentials_store=file', 'login', '--with-access-token'], {
        input: token,
        env: { ...options.env, CODEX_HOME: codexHome },
      });
      const check = readAccessTokenCheck(exitCode, output);
      // The auth server could not be asked: the token may be fine, and `codex exec` asks again.
      if (check === 'unchecked') writePrivateFile(authFile, accessTokenAuthJson(token));
      if (check === 'accepted') tightenAuthFile(authFile);
      return { check, exitCode, evidence: accessTokenCheckEvidence(output) };
    },
    async checkEnvAccessToken() {
      if (!options.codexExec) return { check: 'unchecked', exitCode: 0, evidence: null };
      const { exitCode, output } = await options.codexExec(['login', 'status'], {
        input: '',
        env: { ...options.env, CODEX_HOME: codexHome },
      });
      return { check: readAccessTokenCheck(exitCode, output), exitCode, evidence: accessTokenCheckEvidence(output) };
    },
    ensureHome() {
      ensureCodexHome(codexHome);
    },
  };
}

/** codex writes its login file 0600; keep it so whatever the umask. */
function tightenAuthFile(authFile: string): void {
  try {
    fs.chmodSync(authFile, 0o600);
  } catch {
    // with keyring storage there is no file to tighten
  }
}
