export const TRAP_MARKER_VAR: string;
export interface NetworkTrap {
  url: string;
  /** Requests that would have left loopback: `CONNECT host:port`, or a plain-HTTP method and URL. */
  hits: Array<{ method: string; target: string }>;
  env(): Record<string, string>;
  close(): Promise<void>;
}
export function startNetworkTrap(options?: {
  stopRuns?: boolean;
  onHit?: (hit: { method: string; target: string }) => void;
}): Promise<NetworkTrap>;
