// Runs a SELECT through an engine and returns its solutions as SPARQL JSON terms.

import { badRequest } from '../core/errors.ts';
import { iriProblem } from '../core/iri.ts';
import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import type { Engine, QueryRequest } from './engine.ts';

export interface JsonTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

export type JsonRow = Record<string, JsonTerm>;

export async function selectRows(engine: Engine, query: string, maxResultBytes: number,
  dataset: Pick<QueryRequest, 'defaultGraphs' | 'namedGraphs'> = {}): Promise<JsonRow[]> {
  const body = await engine.query({ query, format: 'json', maxResultBytes, ...dataset });
  return (JSON.parse(body) as { results: { bindings: JsonRow[] } }).results.bindings;
}

/** Runs an ASK through an engine. */
export async function askQuery(engine: Engine, query: string, maxResultBytes: number): Promise<boolean> {
  const body = await engine.query({ query, format: 'json', maxResultBytes });
  return (JSON.parse(body) as { boolean: boolean }).boolean;
}

/** An IRI in SPARQL syntax; a text that is not an IRI is a 400 that says why. */
export function iriRef(iri: string): string {
  const problem = iriProblem(iri);
  if (problem) throw badRequest(`not an IRI: ${JSON.stringify(iri)}: ${problem}`);
  return `<${iri}>`;
}

/** A SPARQL JSON term as an RDF/JS term. */
export function termOf(term: JsonTerm): RDF.Term {
  if (term.type === 'uri') return DataFactory.namedNode(term.value);
  if (term.type === 'bnode') return DataFactory.blankNode(term.value);
  if (term['xml:lang']) return DataFactory.literal(term.value, term['xml:lang']);
  return DataFactory.literal(term.value, term.datatype ? DataFactory.namedNode(term.datatype) : undefined);
}
