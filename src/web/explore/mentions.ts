// Where an entity is named in the texts: the sentences whose phrases the data anchors to it.

import type { Engine } from '../../engine/engine.ts';
import { iriRef, selectRows } from '../../engine/select-rows.ts';
import { html, type Html } from '../views/html.ts';
import { sentenceHref } from './links.ts';
import { VIEW_PREFIXES } from './sparql-panel.ts';

export interface Mention {
  sentence: string;
  text: string;
}

export async function mentionsOf(engine: Engine, iri: string, maxResultBytes: number): Promise<Mention[]> {
  const rows = await selectRows(engine, `${VIEW_PREFIXES}SELECT DISTINCT ?sentence ?text WHERE {
  ?phrase itsrdf:taIdentRef ${iriRef(iri)} ; nif:sentence ?sentence .
  ?sentence nif:anchorOf ?text .
} ORDER BY ?sentence LIMIT 200`, maxResultBytes);
  return rows.map((row) => ({ sentence: row.sentence!.value, text: row.text!.value }));
}

export function mentionsHtml(mentions: Mention[], baseIri: string): Html {
  if (mentions.length === 0) return html``;
  return html`<h2>Named in the texts</h2>
<ul class="mentions">${mentions.map((m) => html`<li><a href="${sentenceHref(m.sentence, baseIri)}">${m.text}</a></li>`)}</ul>`;
}
