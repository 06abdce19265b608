/**
 * The ChatGPT-login auth.json format: parsing what a user stored in `codex-auth-json` (raw JSON or
 * base64 of it) and recognising the usual mix-ups, so that the error says what was pasted instead
 * (an API key, a path, a folder listing, quotes…) rather than only "not JSON". Pure: no I/O.
 *
 * Every message here is fixed text: the value is a secret, so no part of it is ever repeated.
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

const INPUT = 'codex-auth-json';
const STORE_FILE = 'Store the file itself: `gh secret set <name> < ~/.codex/auth.json`.';

/**
 * Mix-ups recognisable from the text alone, checked in order before any decoding. Each `test` sees
 * the trimmed value; `problem` completes "Input 'codex-auth-json' …".
 */
const MISTAKES: ReadonlyArray<{ test: (v: string) => boolean; problem: string }> = [
  {
    // What a log shows in place of a masked secret: copied from a log instead of from the file.
    test: (v) => /^\*{3,}$/.test(v),
    problem: `is \`***\`: that is how GitHub prints a masked secret in a log, not its value. ${STORE_FILE}`,
  },
  {
    test: (v) => v.includes('${{'),
    problem:
      "contains a workflow expression (`${{ … }}`) as text: the secret was stored with the expression instead of the file's contents, or the expression was quoted in the workflow. " +
      STORE_FILE,
  },
  {
    test: (v) => /^sk-[A-Za-z0-9_-]{8,}$/.test(v),
    problem: 'looks like an OpenAI API key (`sk-…`), not a ChatGPT login: pass it as `openai-api-key` instead.',
  },
  {
    test: (v) => /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(v),
    problem: `looks like a single token (a JWT), not the whole auth.json: codex needs the refresh token and the rest of the file. ${STORE_FILE}`,
  },
  {
    // `ls -l ~/.codex`, `head ~/.codex/*`, or several of its entries, one per line.
    test: looksLikeFolderListing,
    problem: `looks like a listing or several files of the ~/.codex folder, not auth.json alone (the folder also holds sessions and logs: never store it). ${STORE_FILE}`,
  },
  {
    test: (v) => !v.includes('\n') && !v.startsWith('{') && /[/\\]/.test(v) && /(?:\.json|\.codex[/\\]?)$/i.test(v),
    problem: `is a file path, not the file's contents. ${STORE_FILE}`,
  },
  {
    test: (v) => /^[|>][+-]?\d*[ \t]*(?:\n|$)/.test(v),
    problem:
      'starts with a YAML block indicator (`|` or `>`): that belongs in the workflow file (`codex-auth-json: ${{ secrets.… }}`), not in the secret. ' +
      STORE_FILE,
  },
  {
    // config.toml instead of auth.json.
    test: (v) =>
      !v.startsWith('{') &&
      (/^\s*\[[A-Za-z_][\w.-]*\]\s*$/m.test(v) || (v.match(/^\s*[A-Za-z_][\w.-]*\s*=\s*["'\d[tf]/gm) ?? []).length >= 2),
    problem: `looks like TOML (config.toml?), not auth.json. ${STORE_FILE}`,
  },
  {
    // A workflow line (`codex-auth-json: {...}`) or an .env line (`CODEX_AUTH_JSON='{...}'`) pasted whole.
    test: (v) => /^[A-Za-z_][\w.-]*[ \t]*:[ \t]*\S/.test(v) || /^[A-Za-z_]\w*[ \t]*=[ \t]*['"{]/.test(v),
    problem: `starts with a name followed by \`:\` or \`=\` (a line from a YAML or .env file): store only the value. ${STORE_FILE}`,
  },
  {
    test: (v) => /^'[\s\S]*'$/.test(v) || /^`[\s\S]*`$/.test(v),
    problem: `is wrapped in quotes (\`'…'\` or backticks, as a shell or Markdown quotes it): store the contents without them. ${STORE_FILE}`,
  },
  {
    test: (v) => /^"[\s\S]*"$/.test(v),
    problem:
      "is wrapped in double quotes: it is a quoted or JSON-escaped string of the file (as `JSON.stringify`, `jq -R` or a shell's quoting makes it), not the file. " +
      STORE_FILE,
  },
  {
    test: (v) => v.startsWith('{\\"') || /^\{\s*\\"/.test(v),
    problem: `has backslash-escaped quotes (\`\\"\`): it was escaped for a shell or a JSON string. ${STORE_FILE}`,
  },
  {
    test: (v) => /[\u201C\u201D\u2018\u2019]/.test(v) && v.startsWith('{'),
    problem: `contains typographic quotes (“ ” or ‘ ’) where JSON needs plain \`"\`: it went through a word processor or chat app. ${STORE_FILE}`,
  },
];

const CODEX_FOLDER_ENTRIES =
  /^(?:auth\.json|config\.toml|sessions\/?|log\/?|history\.jsonl|version\.json|shell_snapshots\/?|\.codex\/?:?)$/;

function looksLikeFolderListing(v: string): boolean {
  const lines = v.split(/\r?\n/).map((line) => line.trim());
  // ls -l: "total 24", "drwx------ 2 runner runner 4096 …"; head/tail: "==> auth.json <=="
  if (lines.some((line) => /^total \d+$/.test(line) || /^[dl-][rwxsStT-]{9}[.@+]?\s/.test(line) || /^==> .* <==$/.test(line))) return true;
  const entries = lines.flatMap((line) => line.split(/\s+/)).filter((word) => CODEX_FOLDER_ENTRIES.test(word));
  return new Set(entries).size >= 2;
}

function recognise(value: string): string | null {
  return MISTAKES.find((mistake) => mistake.test(value))?.problem ?? null;
}

/** Base64 as `base64` writes it (line breaks allowed, no other white space), or null when it is not base64. */
function decodeBase64(value: string): Buffer | null {
  const compact = value.replace(/\r?\n/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact) || compact.length % 4 === 1) return null;
  return Buffer.from(compact, 'base64');
}

/** Text a person could have meant: valid UTF-8 without control characters other than tab and line breaks. */
function asText(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  const control = [...text].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || code === 0x7f;
  });
  if (text.includes('\uFFFD') || control) return null;
  return text.trim();
}

const ARCHIVE_MAGIC: ReadonlyArray<readonly number[]> = [
  [0x50, 0x4b, 0x03, 0x04], // zip
  [0x1f, 0x8b], // gzip (tar.gz)
];

/** The JSON text inside the value: the value itself, or what its base64 decodes to. Throws InputError on a mix-up. */
function jsonText(trimmed: string): string {
  const direct = recognise(trimmed);
  if (direct) throw new InputError(INPUT, direct);
  // `[` too: an array is JSON, just not the right JSON, and the shape check says so.
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;

  const bytes = decodeBase64(trimmed);
  if (bytes && ARCHIVE_MAGIC.some((magic) => magic.every((byte, i) => bytes[i] === byte))) {
    throw new InputError(
      INPUT,
      'is base64 of an archive (zip or tar.gz, of the ~/.codex folder?), not of auth.json: encode the file alone, `base64 -w0 ~/.codex/auth.json`.',
    );
  }
  const decoded = bytes ? asText(bytes) : null;
  if (decoded === null) {
    // Plain text, or letters that only happen to fit the base64 alphabet (they decode to noise).
    throw new InputError(
      INPUT,
      'is neither JSON nor base64 of JSON: it should be the whole contents of ~/.codex/auth.json (starting with `{`), or `base64 -w0 ~/.codex/auth.json`.',
    );
  }
  if (decoded.startsWith('{')) return decoded;
  const inner = decodeBase64(decoded);
  if (inner && asText(inner)?.startsWith('{')) {
    throw new InputError(INPUT, 'is base64 of base64 (encoded twice): encode the file once, `base64 -w0 ~/.codex/auth.json`.');
  }
  const mistake = recognise(decoded);
  throw new InputError(
    INPUT,
    mistake
      ? `is base64, and what it decodes to ${mistake}`
      : 'is base64, but what it decodes to is not JSON. Encode the file itself: `base64 -w0 ~/.codex/auth.json`.',
  );
}

/**
 * Parses `codex-auth-json`: raw JSON or base64 of it, with a `tokens` object holding a refresh token, or
 * an empty one (an access-only copy, which codex runs with and never refreshes).
 * Throws InputError naming the likely mix-up; never echoes the value: it is a secret.
 */
export function parseAuthJson(value: string): { parsed: AuthJson; text: string } {
  const text = jsonText(value.trim());
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const cut = !text.endsWith('}');
    throw new InputError(
      INPUT,
      cut
        ? 'is not valid JSON: it ends before its closing `}` (cut off when copied?). Copy ~/.codex/auth.json again, whole.'
        : 'is not valid JSON (it may have been cut or edited). Copy ~/.codex/auth.json again, whole.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(INPUT, 'must be a JSON object like the contents of ~/.codex/auth.json.');
  }
  const object = parsed as Record<string, unknown>;
  const tokens = object.tokens;
  if (typeof tokens !== 'object' || tokens === null) {
    throw new InputError(INPUT, missingTokens(object));
  }
  const { refresh_token: refresh, access_token: access } = tokens as Record<string, unknown>;
  if (typeof refresh !== 'string' || typeof access !== 'string') {
    throw new InputError(INPUT, 'has a "tokens" object without "access_token" and "refresh_token" strings.');
  }
  // `"refresh_token": ""` marks an access-only copy (access-only.ts): it needs its access token.
  if (refresh.length === 0 && access.length === 0) {
    throw new InputError(
      INPUT,
      'has a "tokens" object whose "access_token" and "refresh_token" are both empty: there is nothing to sign in with.',
    );
  }

  return { parsed: parsed as AuthJson, text: `${JSON.stringify(parsed, null, 2)}\n` };
}

/** Why a JSON object without `tokens` is not a ChatGPT login, as precisely as the object shows. */
function missingTokens(object: Record<string, unknown>): string {
  if (typeof object.OPENAI_API_KEY === 'string' || object.auth_mode === 'apikey') {
    return 'is an API-key login (`"auth_mode": "apikey"`), not a ChatGPT login: it has no "tokens" object: put the key in `openai-api-key` instead.';
  }
  // {"auth.json": {...}} or {"CODEX_AUTH_JSON": "..."}: the file wrapped under a name.
  const values = Object.values(object);
  if (values.length === 1 && (typeof values[0] === 'string' || (typeof values[0] === 'object' && values[0] !== null))) {
    return `wraps the file in another object under a single name: store only the file's contents. ${STORE_FILE}`;
  }
  return 'has no "tokens" object: it is not a ChatGPT-login auth.json.';
}
