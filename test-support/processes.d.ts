export function isRunning(pid: number): boolean;
export function runningWith(needle: string): number[];
