// Renders Markdown as GitHub does for a job summary, an issue or a comment: GitHub-flavoured Markdown
// (tables, strikethrough, autolinks) by micromark, a CommonMark and GFM conformant parser. Raw HTML is
// let through, as GitHub lets through the tags it allows (<details>, <pre>, <sub>…): a test that finds
// no stray tag here has shown that the text never made one, whatever GitHub's sanitiser would drop.
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/** The HTML GitHub would make of `markdown`, before its sanitiser. */
export function renderGfm(markdown) {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/**
 * What a reader sees outside code: the HTML without <code> and <pre> contents and without tags, its
 * entities decoded once, as a browser shows them. A backtick or an `&#96;` left in this is a
 * rendering mistake.
 */
export function proseText(html) {
  return decodeEntities(
    html
      .replace(/<pre[\s>][\s\S]*?<\/pre>/g, ' ')
      .replace(/<code>[\s\S]*?<\/code>/g, ' ')
      .replace(/<[^>]+>/g, ' '),
  );
}

/** Every text inside <code>…</code>, decoded. */
export function codeTexts(html) {
  return [...html.matchAll(/<code>([\s\S]*?)<\/code>/g)].map((m) => decodeEntities(m[1]));
}

/** The names of the HTML elements in `html`, e.g. ['h2', 'p', 'table', …]. */
export function tagNames(html) {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b/g)].map((m) => m[1].toLowerCase());
}

function decodeEntities(text) {
  return text.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_all, name) => {
    if (name[0] === '#')
      return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name.toLowerCase()];
  });
}
