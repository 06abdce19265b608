/**
 * The post step: removes what the main step wrote, and only that. The credential file is removed
 * only if the action signed in (wrote it from a secret); credentials that were on the runner before
 * and were never replaced stay. It never fails the job: problems become warnings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionCore } from './actions-toolkit.js';
import { AUTH_FILE, removeCredentialFile } from './credentials.js';
import { resolveCodexHome } from './inputs.js';
import { STATE, type StateStore, WORK_DIR_PREFIX } from './state.js';
import { finishPendingWriteback } from './auth-writeback.js';
import { finishPendingKeeper } from './keeper.js';

export interface PostCore extends StateStore {
  info(message: string): void;
  warning(message: string, properties?: { title?: string }): void;
}

export interface PostEnvironment {
  /** Where the main step may have made its work folder: RUNNER_TEMP, else the system's temporary folder. */
  tempRoots: readonly string[];
  /**
   * codex-home worked out again from this step's own inputs (null when they do not give a valid one).
   * The state is a file the user's script could write to, so it is trusted only where the two agree.
   */
  codexHome?: string | null;
}

/** What to do when cleaning up failed: only a self-hosted runner keeps what was left. */
export const POST_FIX =
  '\nFix: nothing for this job; on a self-hosted runner, delete `auth.json` in `codex-home` by hand if it is still there (the next job would find those credentials).';

/** Runs the post step. */
export function post(core: PostCore, environment: PostEnvironment): void {
  try {
    const wrote = core.getState(STATE.wroteAuthFile);
    const codexHome = core.getState(STATE.codexHome);
    // Only the file main wrote, in the folder main was told to use.
    const trusted =
      environment.codexHome === undefined ||
      (environment.codexHome !== null && path.resolve(environment.codexHome) === path.resolve(codexHome));
    if (wrote && codexHome && trusted && path.resolve(wrote) === path.join(path.resolve(codexHome), AUTH_FILE)) {
      if (removeCredentialFile(codexHome, AUTH_FILE, { dirMayBeSymlink: true })) {
        core.info(`Removed the credentials codex-reauth wrote: ${wrote}`);
      }
    }
    const workDir = core.getState(STATE.workDir);
    // A work folder is ours only if it sits directly in one of the temp roots under our prefix.
    if (
      workDir &&
      environment.tempRoots.some((root) => path.dirname(path.resolve(workDir)) === path.resolve(root)) &&
      path.basename(workDir).startsWith(WORK_DIR_PREFIX)
    ) {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  } catch (error) {
    core.warning(`Cleaning up failed: ${error instanceof Error ? error.message : String(error)}${POST_FIX}`, {
      title: 'codex-reauth post step: cleaning up failed',
    });
  }
}

/** The post step on a runner (and under @github/local-action, which calls an entry's `run`). */
export async function run(): Promise<void> {
  let codexHome: string | null;
  try {
    codexHome = resolveCodexHome(actionCore.getInput('codex-home'), { env: process.env, homedir: os.homedir() });
  } catch {
    codexHome = null; // main refused it too, and wrote nothing there
  }
  // A login codex rotated is saved before auth.json goes, if main was killed before saving it.
  await finishPendingWriteback(actionCore, process.env, codexHome);
  // And a keeper's access-only copy of it (keeper.ts).
  await finishPendingKeeper(actionCore, process.env, codexHome);
  post(actionCore, { tempRoots: [process.env.RUNNER_TEMP, os.tmpdir()].filter((root): root is string => Boolean(root)), codexHome });
}
