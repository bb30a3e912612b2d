// Where a sentence is read: in its text's document view, at its own anchor.

import { hrefOf } from '../views/html.ts';

/** `<base>text/SLUG/sNN` -> `/page/text/SLUG#sNN`; any other IRI -> its page. */
export function sentenceHref(sentence: string, baseIri: string): string {
  const match = new RegExp(`^${escapeRegExp(baseIri)}text/([^/]+)/([^/]+)$`).exec(sentence);
  return match ? `/page/text/${encodeURIComponent(match[1]!)}#${encodeURIComponent(match[2]!)}` : hrefOf(sentence, baseIri);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
