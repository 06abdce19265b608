/**
 * What the main step leaves for the post step (GitHub's `STATE_*`). Paths only: never a secret.
 */
export const STATE = {
  workDir: 'workDir',
  codexHome: 'codexHome',
  /** Set when the action wrote auth.json itself (signed in from a secret). */
  wroteAuthFile: 'wroteAuthFile',
} as const;

export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

/** The main step's work folder is `<RUNNER_TEMP or the system temp>/codex-reauth-XXXXXX`. */
export const WORK_DIR_PREFIX = 'codex-reauth-';
