export function renderGfm(markdown: string): string;
export function proseText(html: string): string;
export function codeTexts(html: string): string[];
export function tagNames(html: string): string[];
