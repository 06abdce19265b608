export const FILE_MARKER_VAR: string;
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
  command: string;
  environ: string;
}
export function readProcessTable(): ProcessEntry[];
export function leftoversIn(table: ProcessEntry[], rootPid: number, marker: string): ProcessEntry[];
export function killLeftovers(processes: ProcessEntry[], ownGroup: number, kill?: (pid: number, signal: string) => void): void;
export function describeLeftovers(processes: ProcessEntry[]): string;
export function ownProcessGroup(): number;
