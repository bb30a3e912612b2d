// Ties sentences and phrases to their source text: attaches each text to its article and
// checks that every nif:anchorOf is exactly the text between its offsets.

import { DataFactory } from '../core/n3.ts';
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
 * `strings`, only those are checked (a write checks what it touched); without, the store first
 * finds the strings that may be wrong, and those are checked.
 */
export function checkTextAnchors(store: GraphStore, fileOf: (graph: string) => string, strings?: string[]): string[] {
  if (strings === undefined) return checkTextAnchors(store, fileOf, suspectStrings(store));
  if (strings.length > ANCHOR_VALUES_CHUNK) {
    const problems: string[] = [];
    for (let start = 0; start < strings.length; start += ANCHOR_VALUES_CHUNK) {
      problems.push(...checkTextAnchors(store, fileOf, strings.slice(start, start + ANCHOR_VALUES_CHUNK)));
    }
    return problems;
  }
  if (strings.length === 0) return [];
  const values = `VALUES ?string { ${strings.map((iri) => `<${iri}>`).join(' ')} }`;
  const rows = store.select(`${sparqlPrefixes()}
    SELECT ?g ?string ?anchor ?begin ?end ?context WHERE {
      ${values}
      GRAPH ?g { ?string nif:anchorOf ?anchor }
      ?string nif:beginIndex ?begin ; nif:endIndex ?end ; nif:referenceContext ?context .
    }`);
  const texts = sourceTexts(store, values);
  const problems: string[] = [];
  for (const row of rows) {
    const context = row.context!.value;
    const candidates = texts.get(context) ?? [];
    const mismatches = candidates.map((text) => anchorProblem(text, row.anchor!.value, Number(row.begin!.value), Number(row.end!.value)));
    const problem = candidates.length === 0
      ? `its nif:referenceContext <${context}> has no source text (no .txt file of that name in the data directory)`
      : mismatches.find((mismatch) => mismatch !== undefined);
    // Named only for a problem: finding a graph's file reads the files again.
    if (problem) problems.push(`${fileOf(row.g!.value)}: <${row.string!.value}>: ${problem}`);
  }
  return problems;
}

/**
 * The strings whose anchor may not be their text at their offsets, found by the store itself
 * (SUBSTR and STRLEN count code points, as NIF offsets do): only those are then copied out and
 * judged here, with messages. Every condition the judgement checks is checked here too, so a
 * string passed over would have passed.
 */
function suspectStrings(store: GraphStore): string[] {
  const rows = store.select(`${sparqlPrefixes()}
    SELECT DISTINCT ?string WHERE {
      GRAPH ?g { ?string nif:anchorOf ?anchor }
      ?string nif:beginIndex ?begin ; nif:endIndex ?end ; nif:referenceContext ?context .
      OPTIONAL { ?context nif:isString ?text }
      FILTER (!COALESCE(datatype(?begin) = xsd:integer && datatype(?end) = xsd:integer
        && 0 <= ?begin && ?begin <= ?end && ?end <= STRLEN(?text)
        && STR(SUBSTR(?text, ?begin + 1, ?end - ?begin)) = STR(?anchor), false))
    }`);
  return rows.map((row) => row.string!.value);
}

/**
 * The source texts of the contexts the strings point to, read once per context (selected beside
 * every anchor, each text was copied out of the store once per anchor).
 */
function sourceTexts(store: GraphStore, values: string): Map<string, SourceText[]> {
  const texts = new Map<string, SourceText[]>();
  const rows = store.select(`${sparqlPrefixes()}
    SELECT DISTINCT ?context ?text WHERE { ${values} ?string nif:referenceContext ?context . ?context nif:isString ?text }`);
  for (const row of rows) {
    const context = row.context!.value;
    texts.set(context, [...(texts.get(context) ?? []), new SourceText(row.text!.value)]);
  }
  return texts;
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
