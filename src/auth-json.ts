/**
 * The ChatGPT-login auth.json format: parsing what a user stored in `codex-auth-json` (raw JSON or
 * base64 of it) and recognising the usual mix-ups. Pure: no I/O.
 */
import { InputError } from './input-error.js';

/** A ChatGPT-login auth.json as codex writes it (only what we read). */
export interface AuthJson {
  auth_mode?: string;
  OPENAI_API_KEY?: string | null;
  tokens: { id_token?: string; access_token?: string; refresh_token?: string; account_id?: string };
  last_refresh?: string;
  [key: string]: unknown;
}

/**
 * Parses `codex-auth-json`: raw JSON or base64 of it, with a `tokens` object holding a refresh token.
 * Never echoes the value in an error: it is a secret.
 */
export function parseAuthJson(value: string): { parsed: AuthJson; text: string } {
  const trimmed = value.trim();
  let text = trimmed;
  if (!trimmed.startsWith('{')) {
    if (!/^[A-Za-z0-9+/=_\-\s]+$/.test(trimmed)) {
      throw new InputError(
        'codex-auth-json',
        'is neither JSON nor base64 of JSON. Paste the whole contents of ~/.codex/auth.json, or `base64 -w0 ~/.codex/auth.json`.',
      );
    }
    text = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8').trim();
    if (!text.startsWith('{')) {
      throw new InputError(
        'codex-auth-json',
        'is base64, but what it decodes to is not JSON. Encode the file itself: `base64 -w0 ~/.codex/auth.json`.',
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError('codex-auth-json', 'is not valid JSON (it may have been cut or edited). Copy ~/.codex/auth.json again, whole.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('codex-auth-json', 'must be a JSON object like the contents of ~/.codex/auth.json.');
  }
  const tokens = (parsed as { tokens?: unknown }).tokens;
  if (typeof tokens !== 'object' || tokens === null) {
    const hint =
      typeof (parsed as { OPENAI_API_KEY?: unknown }).OPENAI_API_KEY === 'string'
        ? ' It holds an API key: put the key in `openai-api-key` instead.'
        : '';
    throw new InputError('codex-auth-json', `has no "tokens" object: it is not a ChatGPT-login auth.json.${hint}`);
  }
  const { refresh_token: refresh, access_token: access } = tokens as Record<string, unknown>;
  if (typeof refresh !== 'string' || refresh.length === 0 || typeof access !== 'string') {
    throw new InputError('codex-auth-json', 'has a "tokens" object without "access_token" and "refresh_token" strings.');
  }
  return { parsed: parsed as AuthJson, text: `${JSON.stringify(parsed, null, 2)}\n` };
}
