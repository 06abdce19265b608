/**
 * The vocabulary of failures. These strings are public: they are the `failure-kind` output and the
 * `kind` printed by `codex-reauth classify`, so users branch on them in workflows.
 */
export const FAILURE_KINDS = [
  'none',
  'refresh-token-expired',
  'refresh-token-reused',
  'refresh-token-revoked',
  'refresh-failed',
  'api-key-invalid',
  'access-token-invalid',
  'access-token-expired',
  'unauthorized',
  'not-logged-in',
  'permission-denied',
  'usage-limit',
  'rate-limited',
  'server-error',
  'network',
  'timeout',
  'cancelled',
  'other',
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

/** The credential in use is dead or absent: clearing it and signing in with another can help. */
export const AUTH_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'refresh-token-expired',
  'refresh-token-reused',
  'refresh-token-revoked',
  'refresh-failed',
  'api-key-invalid',
  'access-token-invalid',
  'access-token-expired',
  'unauthorized',
  'not-logged-in',
]);

/** Passing trouble: the same credentials may well work a little later. */
export const TRANSIENT_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>(['rate-limited', 'server-error', 'network', 'timeout']);

export const isAuthKind = (kind: FailureKind): boolean => AUTH_KINDS.has(kind);
export const isTransientKind = (kind: FailureKind): boolean => TRANSIENT_KINDS.has(kind);
