/**
 * What the main step leaves for the post step (GitHub's `STATE_*`). Paths only: never a secret.
 */
export const STATE = {
  isPost: 'isPost',
  workDir: 'workDir',
  codexHome: 'codexHome',
  /** Set when the action wrote auth.json itself (signed in from a secret). */
  wroteAuthFile: 'wroteAuthFile',
} as const;

export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}
