// The one table of serialization formats: media type, `format=` aliases, file extension.

import type { RdfSyntax, ResultsFormat } from '../store/store.ts';

export type FormatKind = 'results' | 'graph';

export interface Format {
  /** The store's name for the format. */
  id: ResultsFormat;
  kind: FormatKind;
  mediaType: string;
  /** Other media types clients send for it, and `format=` values that select it. */
  alsoAccepted: string[];
  aliases: string[];
  extension: string;
  /** Spec IRI, for service descriptions (http://www.w3.org/ns/formats/). */
  formatIri: string;
}

const W3C_FORMATS = 'http://www.w3.org/ns/formats/';

export const RESULT_FORMATS: Format[] = [
  { id: 'json', kind: 'results', mediaType: 'application/sparql-results+json', alsoAccepted: ['application/json'], aliases: ['json', 'srj'], extension: 'srj', formatIri: `${W3C_FORMATS}SPARQL_Results_JSON` },
  { id: 'xml', kind: 'results', mediaType: 'application/sparql-results+xml', alsoAccepted: ['application/xml', 'text/xml'], aliases: ['xml', 'srx'], extension: 'srx', formatIri: `${W3C_FORMATS}SPARQL_Results_XML` },
  { id: 'csv', kind: 'results', mediaType: 'text/csv', alsoAccepted: [], aliases: ['csv'], extension: 'csv', formatIri: `${W3C_FORMATS}SPARQL_Results_CSV` },
  { id: 'tsv', kind: 'results', mediaType: 'text/tab-separated-values', alsoAccepted: [], aliases: ['tsv'], extension: 'tsv', formatIri: `${W3C_FORMATS}SPARQL_Results_TSV` },
];

export const GRAPH_FORMATS: Format[] = [
  { id: 'turtle', kind: 'graph', mediaType: 'text/turtle', alsoAccepted: ['application/x-turtle'], aliases: ['turtle', 'ttl'], extension: 'ttl', formatIri: `${W3C_FORMATS}Turtle` },
  { id: 'ntriples', kind: 'graph', mediaType: 'application/n-triples', alsoAccepted: ['text/plain'], aliases: ['ntriples', 'nt', 'n-triples'], extension: 'nt', formatIri: `${W3C_FORMATS}N-Triples` },
  { id: 'nquads', kind: 'graph', mediaType: 'application/n-quads', alsoAccepted: ['text/x-nquads'], aliases: ['nquads', 'nq', 'n-quads'], extension: 'nq', formatIri: `${W3C_FORMATS}N-Quads` },
  { id: 'trig', kind: 'graph', mediaType: 'application/trig', alsoAccepted: [], aliases: ['trig'], extension: 'trig', formatIri: `${W3C_FORMATS}TriG` },
  { id: 'jsonld', kind: 'graph', mediaType: 'application/ld+json', alsoAccepted: [], aliases: ['jsonld', 'json-ld', 'json'], extension: 'jsonld', formatIri: `${W3C_FORMATS}JSON-LD` },
  { id: 'rdfxml', kind: 'graph', mediaType: 'application/rdf+xml', alsoAccepted: ['application/xml', 'text/xml'], aliases: ['rdfxml', 'rdf', 'xml'], extension: 'rdf', formatIri: `${W3C_FORMATS}RDF_XML` },
];

export function formatsOf(kind: FormatKind): Format[] {
  return kind === 'results' ? RESULT_FORMATS : GRAPH_FORMATS;
}

/** The store syntax of a graph format. */
export function syntaxOf(format: Format): RdfSyntax {
  return format.id as RdfSyntax;
}

/** `Content-Type` header value: text types say their charset. */
export function contentTypeOf(format: Format): string {
  const textual = format.mediaType.startsWith('text/') || format.mediaType.endsWith('+json') ||
    format.mediaType.endsWith('+xml') || format.mediaType.startsWith('application/n-') ||
    format.mediaType === 'application/trig';
  return textual ? `${format.mediaType}; charset=utf-8` : format.mediaType;
}
