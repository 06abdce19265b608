/**
 * Text for places GitHub renders as Markdown (the job summary, issues): a name as a code span that
 * nothing inside can end early, and untrusted text (codex's words, exception messages) escaped so
 * that no tag or Markdown in it is rendered. Pure.
 */

/**
 * Text as a Markdown code span, whatever it holds: the fence is longer than any run of backticks in
 * it, and line breaks become spaces (a code span is one line). Everything inside shows as typed,
 * `<tags>` included.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Escapes text for HTML (inside `<pre>`, `<summary>`…) and for a table cell: no tag, entity, pipe or
 * backtick in it is read as markup. Line breaks become spaces.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/\r?\n/g, ' ');
}

/**
 * Text to show as typed in the middle of a Markdown line (inside an inline `<code>` element, say):
 * every ASCII punctuation mark becomes a numeric entity, so no tag, emphasis, link, autolink
 * (`https:`, `www.`), table pipe or backtick in it is read. Line breaks become spaces.
 */
export function escapeInline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`);
}
