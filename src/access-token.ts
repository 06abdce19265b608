/**
 * Workspace access tokens (`at-…`), the credential a ChatGPT Business or Enterprise workspace admin
 * issues for automation: what a valid input looks like, the login file codex writes for one, and what
 * codex's answer to the token check means. Pure: no I/O.
 *
 * codex checks such a token with one request (`GET …/v1/user-auth-credential/whoami`) when it signs
 * in (`codex login --with-access-token`) and when it reports status (`codex login status`). `codex exec`
 * makes the same request but, when the token is refused, says nothing and carries on unauthenticated,
 * ending after ~6.5 s of retries in a bare 401 that names no credential. So the action asks first.
 */
import { InputError } from './input-error.js';

/** codex treats a token with this prefix as a workspace (personal) access token; anything else as an agent-identity JWT. */
export const ACCESS_TOKEN_PREFIX = 'at-';

export const ACCESS_TOKEN_INPUT = 'codex-access-token';

/** The oldest codex release seen to sign in with a workspace access token (bench/compat.md). */
export const OLDEST_ACCESS_TOKEN_CODEX = '0.150.1';

const FIX = 'Store the token alone (it starts with `at-`) in the secret passed as `codex-access-token`.';

/**
 * Mix-ups recognisable from the text alone, checked in order; `problem` completes
 * "Input 'codex-access-token' …". Fixed text only: the value is a secret and is never repeated.
 */
const MISTAKES: ReadonlyArray<{ test: (raw: string, v: string) => boolean; problem: string }> = [
  {
    test: (_raw, v) => /^\*{3,}$/.test(v),
    problem: `is \`***\`: that is how GitHub prints a masked secret in a log, not its value. ${FIX}`,
  },
  {
    test: (_raw, v) => v.includes('${{'),
    problem: `contains a workflow expression (\`\${{ … }}\`) as text: the secret was stored with the expression instead of the token, or the expression was quoted in the workflow. ${FIX}`,
  },
  {
    test: (_raw, v) => v.startsWith('{'),
    problem:
      'looks like JSON (a whole auth.json?): a ChatGPT login goes in `codex-auth-json`; this input takes a workspace access token alone (`at-…`).',
  },
  {
    test: (_raw, v) => /^sk-/.test(v),
    problem: 'looks like an OpenAI API key (`sk-…`), not a workspace access token: pass it as `openai-api-key` instead.',
  },
  {
    test: (_raw, v) => /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(v),
    problem:
      'looks like a JWT (a ChatGPT access or id token from an auth.json?), not a workspace access token: a ChatGPT login goes whole in `codex-auth-json`; a workspace access token starts with `at-`.',
  },
  {
    // Line breaks and spaces come from copying out of a terminal or a file saved with a newline.
    test: (raw, v) => raw !== v || /\s/.test(v),
    problem: `has white space (a space or a line break) in it or around it: a token has none. ${FIX}`,
  },
  {
    test: (_raw, v) => /^["'`\u2018\u2019\u201c\u201d]|["'`\u2018\u2019\u201c\u201d]$/.test(v),
    problem: `is wrapped in quotes: store the token without them. ${FIX}`,
  },
  {
    test: (_raw, v) => !v.startsWith(ACCESS_TOKEN_PREFIX),
    problem: `does not start with \`at-\`, as every workspace access token does: check that the secret holds the token a workspace admin issued. ${FIX}`,
  },
  {
    test: (_raw, v) => v.length <= ACCESS_TOKEN_PREFIX.length,
    problem: `is only the \`at-\` prefix: the rest of the token is missing. ${FIX}`,
  },
];

/**
 * The token to sign in with, or null when the input is empty. Throws an InputError naming the
 * likely mix-up when it cannot be a workspace access token.
 */
export function parseAccessToken(raw: string): string | null {
  if (raw.trim() === '') return null;
  const value = raw.trim();
  for (const mistake of MISTAKES) if (mistake.test(raw, value)) throw new InputError(ACCESS_TOKEN_INPUT, mistake.problem);
  return value;
}

/** Whether a value given as an API key is really a workspace access token (a mix-up to name). */
export function looksLikeAccessToken(value: string): boolean {
  return value.startsWith(ACCESS_TOKEN_PREFIX) && value.length > ACCESS_TOKEN_PREFIX.length;
}

/**
 * What `codex login --with-access-token` writes (codex 0.150.1 to 0.171, checked): no `auth_mode`, the
 * token under `personal_access_token`. Written directly only when no codex is on PATH to check it.
 */
export function accessTokenAuthJson(token: string): string {
  return `${JSON.stringify({ OPENAI_API_KEY: null, personal_access_token: token }, null, 2)}\n`;
}

/**
 * What codex's answer to a token check means:
 * - `accepted`: exit 0;
 * - `rejected`: the check request was answered 401 or 403 (revoked, expired, mistyped);
 * - `unsupported`: this codex does not know workspace access tokens: no `--with-access-token` (0.101),
 *   or it reads the token as an agent-identity JWT (0.130); 0.150.1 and later sign in with it;
 * - `unchecked`: anything else (the auth server unreachable or failing): nothing is known of the token.
 */
export type AccessTokenCheck = 'accepted' | 'rejected' | 'unsupported' | 'unchecked';

export function readAccessTokenCheck(exitCode: number, output: string): AccessTokenCheck {
  if (exitCode === 0) return 'accepted';
  if (/access token metadata request failed with status 40[13]\b/i.test(output)) return 'rejected';
  if (/unexpected argument '--with-access-token'|unrecognized (?:argument|option).*--with-access-token/i.test(output)) return 'unsupported';
  // Releases before 0.150 take any token for an agent-identity JWT: they do not know `at-` tokens.
  if (/agent identity JWT/i.test(output)) return 'unsupported';
  return 'unchecked';
}

/**
 * The line of codex's output worth quoting about a check: its error line, without the `Reading access
 * token from stdin...` chatter. Null when it printed nothing useful.
 */
export function accessTokenCheckEvidence(output: string): string | null {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Reading access token|^WARNING: proceeding/i.test(line));
  const error = lines.find((line) => /^Error\b|error:/i.test(line)) ?? lines.at(-1);
  return error ? error.slice(0, 200) : null;
}
