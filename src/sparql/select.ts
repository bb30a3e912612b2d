// Runs a SELECT through the query workers and returns its solutions as SPARQL JSON terms.

import type { QueryExecutor } from './protocol.ts';

export interface JsonTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

export type JsonRow = Record<string, JsonTerm>;

export async function selectRows(executor: QueryExecutor, query: string, maxResultBytes: number): Promise<JsonRow[]> {
  const body = await executor.execute({ kind: 'query', query, format: 'json', maxResultBytes });
  return (JSON.parse(body) as { results: { bindings: JsonRow[] } }).results.bindings;
}

/** An IRI in SPARQL syntax; refuses characters an IRIREF cannot hold. */
export function iriRef(iri: string): string {
  if (/[\s<>"{}|\\^`]/.test(iri)) throw new Error(`not an IRI: ${iri}`);
  return `<${iri}>`;
}
