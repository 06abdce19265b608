import type { ChildProcess } from 'node:child_process';
export const SIGKILL_AFTER_MS: number;
export function stepEnd(
  child: ChildProcess,
  boundMs: number,
  label: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
