import type { NetworkTrap } from './network-trap.js';
import type { Standin } from './openai-standin.js';
export const REAL_CODEX: string;
export const STANDIN_URL_VAR: string;
/** Set it to a file path: the wrapper appends every codex invocation's arguments there. */
export const CALL_LOG_VAR: string;
export function codexVersion(): string;
export function standinOverrides(url: string): string[];
export function realCodexBin(): string;
export function prepareCodexHome(home: string, standin: Standin, cachedAuth?: object): string;
export function realCodexEnv(bin: string, standin: Standin, trap?: NetworkTrap): Record<string, string>;
