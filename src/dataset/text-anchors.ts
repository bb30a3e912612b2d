// Ties sentences and phrases to their source text: attaches each text to its article and
// checks that every nif:anchorOf is exactly the text between its offsets.

import { DataFactory } from 'n3';
import type * as RDF from '@rdfjs/types';
import { PREFIXES, sparqlPrefixes } from '../core/namespaces.ts';
import { codePointOffset, SourceText } from '../text/segment.ts';
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
  const texts = new Map<string, SourceText>();
  const sourceText = (context: string, text: string) => {
    let source = texts.get(context);
    if (!source) texts.set(context, source = new SourceText(text));
    return source;
  };
  for (const row of rows) {
    const problem = row.text
      ? anchorProblem(sourceText(row.context!.value, row.text.value), row.anchor!.value, Number(row.begin!.value), Number(row.end!.value))
      : `its nif:referenceContext <${row.context!.value}> has no source text (no .txt file of that name in the data directory)`;
    // Named only for a problem: finding a graph's file reads the files again.
    if (problem) problems.push(`${fileOf(row.g!.value)}: <${row.string!.value}>: ${problem}`);
  }
  return problems;
}

const ANCHOR_VALUES_CHUNK = 500;

/** Why `anchor` is not the text between `begin` and `end` (code points), or undefined if it is. */
export function anchorProblem(source: SourceText, anchor: string, begin: number, end: number): string | undefined {
  const { text, length } = source;
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > length) {
    return `offsets ${begin}..${end} are outside the source text (0..${length})`;
  }
  const actual = source.slice(begin, end);
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
