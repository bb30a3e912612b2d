// The sources a federated query reads from, as people name them: `self`, `sparql@URL`, or a URL.

/** Where a federated query reads from. */
export type SourceSpec =
  | { type: 'self' }
  | { type: 'sparql'; url: string }
  | { type: 'auto'; url: string }
  | { type: 'serialized'; value: string; mediaType: string; baseIri: string };

/**
 * A source named by a person: `self`, `sparql@URL` (a SPARQL endpoint) or an http(s) URL that
 * Comunica identifies; undefined for anything else (the CLI then tries a local file).
 */
export function parseSource(source: string): SourceSpec | undefined {
  if (source === 'self') return { type: 'self' };
  const sparql = source.startsWith('sparql@');
  const url = sparql ? source.slice('sparql@'.length) : source;
  if (!/^https?:\/\//.test(url)) return undefined;
  return sparql ? { type: 'sparql', url } : { type: 'auto', url };
}
