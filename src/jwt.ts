/**
 * Reading the claims of a JWT (an access token or an id_token in auth.json). Codex never checks
 * signatures locally and neither does this: the claims only say what codex itself will do with the
 * token (when it expires, which account it is for). Pure: no I/O, never throws.
 */

/** The payload of a three-part JWT as an object, or null when `token` is not one. */
export function jwtClaims(token: unknown): Record<string, unknown> | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === '') return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A NumericDate claim (`exp`, `iat`: seconds since 1970) as a Date, or null when absent or not a finite number. */
export function claimDate(claims: Record<string, unknown> | null, name: 'exp' | 'iat'): Date | null {
  const value = claims?.[name];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return new Date(value * 1000);
}
