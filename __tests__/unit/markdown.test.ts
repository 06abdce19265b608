// Text for Markdown GitHub renders: each helper's output, rendered by a GFM renderer, shows exactly
// the text it was given, and nothing in that text becomes markup.
import { describe, expect, it } from '@jest/globals';
import { codeSpan, escapeHtml, escapeInline } from '../../src/markdown.js';
import { codeTexts, renderGfm, tagNames } from '../../test-support/render-gfm.js';

const NASTY = [
  'plain words',
  '<img src=x onerror=alert(1)>',
  '`tick` and ``two``',
  '*star* _under_ ~~strike~~',
  '[link](https://evil.example) https://evil.example www.evil.example',
  'a | pipe & &amp; entity',
  '# not a heading',
  'line one\nline two',
];

describe.each(NASTY)('%p', (text) => {
  const shown = text.replace(/\n/g, ' ');

  it('as a code span: one <code> holding the text as typed', () => {
    const html = renderGfm(`x ${codeSpan(text)} y`);
    expect(codeTexts(html)).toEqual([shown]);
    expect(tagNames(html)).toEqual(['p', 'code']);
  });

  it('escaped inline inside <code>: the text as typed, no other tag', () => {
    const html = renderGfm(`x <code>${escapeInline(text)}</code> y`);
    expect(codeTexts(html)).toEqual([shown]);
    expect(tagNames(html)).toEqual(['p', 'code']);
  });

  it('escaped for HTML inside <pre>: the text as typed, no other tag', () => {
    const html = renderGfm(`<pre>${escapeHtml(text)}</pre>`);
    expect(tagNames(html)).toEqual(['pre']);
    const decoded = /<pre>([\s\S]*)<\/pre>/.exec(html)![1].replace(/&#(\d+);/g, (_m, n) => String.fromCharCode(Number(n)));
    expect(
      decoded
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ).toBe(shown);
  });
});
