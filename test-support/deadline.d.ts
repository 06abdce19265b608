export function within<T>(promise: Promise<T>, ms: number, what: string, hint?: string): Promise<T>;
export function formatSeconds(ms: number): string;
export const ROOM_MS: number;
