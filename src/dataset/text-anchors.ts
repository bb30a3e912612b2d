// Ties sentences and phrases to their source text: attaches each text to its article and
// checks that every nif:anchorOf is exactly the text between its offsets.

import { DataFactory } from 'n3';
import type * as RDF from '@rdfjs/types';
import { PREFIXES, sparqlPrefixes } from '../core/namespaces.ts';
import { codePointOffset, sliceByCodePoints } from '../text/segment.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';

const { quad, namedNode, literal } = DataFactory;

/** Adds `<text/SLUG> nif:isString TEXT` to graph/SLUG, so the full text is in the graph. */
export function attachSourceText(store: GraphStore, baseIri: string, slug: string, text: string): void {
  store.add(sourceTextQuad(baseIri, slug, text));
}

export function sourceTextQuad(baseIri: string, slug: string, text: string): RDF.Quad {
  return quad(namedNode(`${baseIri}text/${slug}`), namedNode(`${PREFIXES.nif}isString`), literal(text), namedNode(`${baseIri}graph/${slug}`));
}

/**
 * Returns one problem per anchored string whose offsets do not select exactly its nif:anchorOf,
 * or whose context has no source text. `fileOf` names the file a graph was loaded from. With
 * `strings`, only those are checked (a write checks what it touched, not the whole graph).
 */
export function checkTextAnchors(store: GraphStore, fileOf: (graph: string) => string, strings?: string[]): string[] {
  if (strings && strings.length > ANCHOR_VALUES_CHUNK) {
    const problems: string[] = [];
    for (let start = 0; start < strings.length; start += ANCHOR_VALUES_CHUNK) {
      problems.push(...checkTextAnchors(store, fileOf, strings.slice(start, start + ANCHOR_VALUES_CHUNK)));
    }
    return problems;
  }
  if (strings?.length === 0) return [];
  const values = strings ? `VALUES ?string { ${strings.map((iri) => `<${iri}>`).join(' ')} }` : '';
  const rows = store.select(`${sparqlPrefixes()}
    SELECT ?g ?string ?anchor ?begin ?end ?context ?text WHERE {
      ${values}
      GRAPH ?g { ?string nif:anchorOf ?anchor }
      ?string nif:beginIndex ?begin ; nif:endIndex ?end ; nif:referenceContext ?context .
      OPTIONAL { ?context nif:isString ?text }
    }`);
  const problems: string[] = [];
  for (const row of rows) {
    const where = `${fileOf(row.g!.value)}: <${row.string!.value}>`;
    if (!row.text) {
      problems.push(`${where}: its nif:referenceContext <${row.context!.value}> has no source text (no .txt file of that name in the data directory)`);
      continue;
    }
    const problem = anchorProblem(row.text.value, row.anchor!.value, Number(row.begin!.value), Number(row.end!.value));
    if (problem) problems.push(`${where}: ${problem}`);
  }
  return problems;
}

const ANCHOR_VALUES_CHUNK = 500;

/** Why `anchor` is not the text between `begin` and `end` (code points), or undefined if it is. */
export function anchorProblem(text: string, anchor: string, begin: number, end: number): string | undefined {
  const length = Array.from(text).length;
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > length) {
    return `offsets ${begin}..${end} are outside the source text (0..${length})`;
  }
  const actual = sliceByCodePoints(text, begin, end);
  if (actual === anchor) return undefined;
  const found = text.indexOf(anchor);
  const hint = found >= 0
    ? `; the anchor text occurs at ${codePointOffset(text, found)}..${codePointOffset(text, found + anchor.length)}`
    : '; the anchor text does not occur in the source text';
  return `nif:anchorOf ${quoteShort(anchor)} is not the source text at ${begin}..${end}, which reads ${quoteShort(actual)}${hint}`;
}

function quoteShort(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
