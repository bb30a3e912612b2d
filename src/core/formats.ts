// The one table of media types: every RDF syntax and SPARQL result format the project reads or
// writes (media type, other accepted types, `format=` aliases, file extension, W3C format IRI),
// and the media types of SPARQL requests. Nothing else in src/ spells a media type.

/** RDF syntaxes, by the id used everywhere (`-f turtle`, `format: 'trig'`). */
export type RdfSyntax = 'turtle' | 'ntriples' | 'nquads' | 'trig' | 'jsonld' | 'rdfxml';
/** SPARQL results syntaxes for SELECT and ASK. */
export type ResultsSyntax = 'json' | 'xml' | 'csv' | 'tsv';
/** Anything a query result can be written as. */
export type ResultsFormat = ResultsSyntax | RdfSyntax;

export type FormatKind = 'results' | 'graph';

export interface Format<Id extends ResultsFormat = ResultsFormat> {
  id: Id;
  kind: FormatKind;
  mediaType: string;
  /** Other media types clients send for it. */
  alsoAccepted: string[];
  /** `format=` values (and file extensions) that select it; the first is its short name. */
  aliases: string[];
  extension: string;
  /** Spec IRI, for service descriptions (http://www.w3.org/ns/formats/). */
  formatIri: string;
  /** Quad syntaxes keep named graphs; triple syntaxes hold one graph. */
  quads?: boolean;
}

const W3C_FORMATS = 'http://www.w3.org/ns/formats/';

export const RESULT_FORMATS: Array<Format<ResultsSyntax>> = [
  { id: 'json', kind: 'results', mediaType: 'application/sparql-results+json', alsoAccepted: ['application/json'], aliases: ['json', 'srj'], extension: 'srj', formatIri: `${W3C_FORMATS}SPARQL_Results_JSON` },
  { id: 'xml', kind: 'results', mediaType: 'application/sparql-results+xml', alsoAccepted: ['application/xml', 'text/xml'], aliases: ['xml', 'srx'], extension: 'srx', formatIri: `${W3C_FORMATS}SPARQL_Results_XML` },
  { id: 'csv', kind: 'results', mediaType: 'text/csv', alsoAccepted: [], aliases: ['csv'], extension: 'csv', formatIri: `${W3C_FORMATS}SPARQL_Results_CSV` },
  { id: 'tsv', kind: 'results', mediaType: 'text/tab-separated-values', alsoAccepted: [], aliases: ['tsv'], extension: 'tsv', formatIri: `${W3C_FORMATS}SPARQL_Results_TSV` },
];

export const GRAPH_FORMATS: Array<Format<RdfSyntax>> = [
  { id: 'turtle', kind: 'graph', mediaType: 'text/turtle', alsoAccepted: ['application/x-turtle'], aliases: ['turtle', 'ttl'], extension: 'ttl', formatIri: `${W3C_FORMATS}Turtle` },
  { id: 'ntriples', kind: 'graph', mediaType: 'application/n-triples', alsoAccepted: ['text/plain'], aliases: ['ntriples', 'nt', 'n-triples'], extension: 'nt', formatIri: `${W3C_FORMATS}N-Triples` },
  { id: 'nquads', kind: 'graph', mediaType: 'application/n-quads', alsoAccepted: ['text/x-nquads'], aliases: ['nquads', 'nq', 'n-quads'], extension: 'nq', formatIri: `${W3C_FORMATS}N-Quads`, quads: true },
  { id: 'trig', kind: 'graph', mediaType: 'application/trig', alsoAccepted: [], aliases: ['trig'], extension: 'trig', formatIri: `${W3C_FORMATS}TriG`, quads: true },
  { id: 'jsonld', kind: 'graph', mediaType: 'application/ld+json', alsoAccepted: [], aliases: ['jsonld', 'json-ld', 'json'], extension: 'jsonld', formatIri: `${W3C_FORMATS}JSON-LD`, quads: true },
  { id: 'rdfxml', kind: 'graph', mediaType: 'application/rdf+xml', alsoAccepted: ['application/xml', 'text/xml'], aliases: ['rdfxml', 'rdf', 'xml'], extension: 'rdf', formatIri: `${W3C_FORMATS}RDF_XML` },
];

/** Media types of SPARQL 1.1 Protocol requests (https://www.w3.org/TR/sparql11-protocol/#query-operation). */
export const REQUEST_MEDIA_TYPES = {
  form: 'application/x-www-form-urlencoded',
  query: 'application/sparql-query',
  update: 'application/sparql-update',
} as const;

/** Multipart bodies: Graph Store Protocol uploads of several files, and new sources (text and data). */
export const MULTIPART_FORM_DATA = 'multipart/form-data';
/** RDF Patch (https://afs.github.io/rdf-delta/rdf-patch.html), the format of the change journal. */
export const RDF_PATCH_MEDIA_TYPE = 'application/rdf-patch';

export const HTML_MEDIA_TYPES = ['text/html', 'application/xhtml+xml'];
/** Error messages and /health. */
export const PLAIN_TEXT = 'text/plain; charset=utf-8';
/** Plain JSON (the list of saved queries). */
export const JSON_MEDIA_TYPE = 'application/json';

export function formatsOf(kind: 'results'): Array<Format<ResultsSyntax>>;
export function formatsOf(kind: 'graph'): Array<Format<RdfSyntax>>;
export function formatsOf(kind: FormatKind): Format[];
export function formatsOf(kind: FormatKind): Format[] {
  return kind === 'results' ? RESULT_FORMATS : GRAPH_FORMATS;
}

/** The format of an id (`turtle`, `json`, ...). */
export function formatOf<Id extends ResultsFormat>(id: Id): Format<Id> {
  return [...RESULT_FORMATS, ...GRAPH_FORMATS].find((format) => format.id === id) as Format<Id>;
}

/** The media type of an RDF syntax or results format. */
export function mediaTypeOf(id: ResultsFormat): string {
  return formatOf(id).mediaType;
}

/** The RDF syntax of a file name or extension (`x.ttl`, `ttl`), or undefined. */
export function rdfSyntaxOfFile(path: string): RdfSyntax | undefined {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return GRAPH_FORMATS.find((format) => format.extension === extension)?.id;
}

/** The graph format a URL extension or `format=` alias names (`ttl`, `turtle`, `nt`), or undefined. */
export function graphFormatByAlias(alias: string): Format<RdfSyntax> | undefined {
  const wanted = alias.toLowerCase();
  return GRAPH_FORMATS.find((format) => format.extension === wanted || format.aliases.includes(wanted));
}

/** The RDF syntax a request's Content-Type names (`text/turtle; charset=utf-8`), or undefined. */
export function rdfSyntaxOfMediaType(contentType: string | undefined): RdfSyntax | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType) return undefined;
  return GRAPH_FORMATS.find((format) => format.mediaType === mediaType || format.alsoAccepted.includes(mediaType))?.id;
}

/** `Content-Type` header value: text types say their charset. */
export function contentTypeOf(format: Format): string {
  const textual = format.mediaType.startsWith('text/') || format.mediaType.endsWith('+json') ||
    format.mediaType.endsWith('+xml') || format.mediaType.startsWith('application/n-') ||
    format.mediaType === 'application/trig';
  return textual ? `${format.mediaType}; charset=utf-8` : format.mediaType;
}
