/**
 * Every value that must never reach the log: the secrets themselves and what is derived from them.
 * The runner masks a secret only in lines printed after it learns of it, so these are registered
 * before anything else happens.
 */

// Short fragments (`null`, `{`) would blank out unrelated log text; real tokens are far longer.
const MIN_MASK_LENGTH = 8;

const base64Forms = (value: string): string[] => [
  Buffer.from(value, 'utf8').toString('base64'),
  Buffer.from(value, 'utf8').toString('base64url'),
];

/** Collects every string value under `tokens` (and any API key) in a parsed auth.json. */
function authJsonValues(parsed: unknown): string[] {
  if (typeof parsed !== 'object' || parsed === null) return [];
  const values: string[] = [];
  const { tokens, OPENAI_API_KEY: key } = parsed as { tokens?: unknown; OPENAI_API_KEY?: unknown };
  if (typeof key === 'string') values.push(key);
  if (typeof tokens === 'object' && tokens !== null) {
    for (const value of Object.values(tokens)) {
      if (typeof value !== 'string') continue;
      values.push(value);
      // A JWT's parts travel separately in some logs (a decoded payload, a bearer split on dots).
      if (value.split('.').length === 3) values.push(...value.split('.').filter((part) => part.length >= 16));
    }
  }
  return values;
}

/** Best-effort parse of what was given as codex-auth-json (raw or base64): never throws. */
function lenientAuthJson(raw: string): { text: string; parsed: unknown } | null {
  const trimmed = raw.trim();
  const candidates = [trimmed];
  if (!trimmed.startsWith('{')) candidates.push(Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8'));
  for (const text of candidates) {
    try {
      return { text, parsed: JSON.parse(text) };
    } catch {
      // try the next form
    }
  }
  return null;
}

/** The values to mask for the given raw secret inputs, longest first. */
export function secretsToMask(inputs: {
  openaiApiKey: string;
  codexAuthJson: string;
  /** A workspace access token, from the input or the job's `CODEX_ACCESS_TOKEN`. */
  codexAccessTokens?: readonly string[];
}): string[] {
  const found = new Set<string>();
  const add = (value: string): void => {
    const v = value.trim();
    if (v.length >= MIN_MASK_LENGTH) found.add(v);
  };
  for (const token of [inputs.openaiApiKey, ...(inputs.codexAccessTokens ?? [])]) {
    const value = token.trim();
    if (!value) continue;
    add(value);
    base64Forms(value).forEach(add);
    // What an input error or a log may show of a token pasted with quotes around it.
    const unquoted = value.replace(/^["'`]+|["'`]+$/g, '');
    if (unquoted !== value) add(unquoted);
  }
  const raw = inputs.codexAuthJson;
  if (raw.trim()) {
    add(raw);
    // The runner masks a multi-line value line by line only if told each line.
    raw.split(/\r?\n/).forEach(add);
    const auth = lenientAuthJson(raw);
    if (auth) {
      add(auth.text);
      auth.text.split(/\r?\n/).forEach(add);
      base64Forms(auth.text.trim()).forEach(add);
      for (const value of authJsonValues(auth.parsed)) {
        add(value);
        base64Forms(value).forEach(add);
      }
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}
