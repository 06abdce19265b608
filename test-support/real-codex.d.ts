import type { Standin } from './openai-standin.js';
export const REAL_CODEX: string;
export function codexVersion(): string;
export function realCodexBin(): string;
export function prepareCodexHome(home: string, standin: Standin, cachedAuth?: object): string;
export function realCodexEnv(bin: string, standin: Standin): Record<string, string>;
