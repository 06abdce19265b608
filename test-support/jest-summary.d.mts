export function summarize(r: unknown, root: string): { lines: string[]; ranNothing: boolean };
