// The remote store as an RDF/JS source for Comunica: each `match` is one SELECT on the store that
// sees our dataset (the default graph is graph/union; named graphs are those of the registry).

import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import { DataFactory } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import type { QuadSource } from '../federation/comunica.ts';
import { readJsonResult } from './results.ts';
import type { StoreClient } from './store-client.ts';
import { forStore, type StoreGraphs } from './store-dataset.ts';
import { quadsFromRows } from './store-terms.ts';
import { tsvTerm } from './results.ts';

interface SourceOptions {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export function remoteSource(client: StoreClient, graphs: StoreGraphs, options: SourceOptions): QuadSource {
  // Every store request of the query listens to its signal, as many at once as Comunica opens
  // (each removes its listener when done): past Node's default of 10, that is no leak to warn of.
  if (options.signal) setMaxListeners(0, options.signal);
  return {
    match(subject, predicate, object, graph) {
      return Readable.from(matchQuads(client, graphs, options, [subject, predicate, object, graph]));
    },
  };
}

async function* matchQuads(client: StoreClient, graphs: StoreGraphs, options: SourceOptions,
  pattern: Array<RDF.Term | null>): AsyncIterable<RDF.Quad> {
  const [subject = null, predicate = null, object = null, graph = null] = pattern;
  const position = (term: RDF.Term | null, name: string) => (term && term.termType !== 'Variable' ? constant(term) : `?${name}`);
  const triple = `${position(subject, 's')} ${position(predicate, 'p')} ${position(object, 'o')}`;
  const bound = (term: RDF.Term | null) => term && term.termType !== 'Variable';
  const parts: Array<{ where: string; graph?: RDF.Quad_Graph }> = [];
  if (!bound(graph) || graph!.termType === 'DefaultGraph') parts.push({ where: `{ ${triple} }`, graph: DataFactory.defaultGraph() });
  if (!bound(graph)) parts.push({ where: `{ GRAPH ?g { ${triple} } }` });
  else if (graph!.termType === 'NamedNode') parts.push({ where: `{ GRAPH ${constant(graph!)} { ${triple} } }`, graph: graph as RDF.NamedNode });
  for (const part of parts) {
    const query = forStore(`SELECT * WHERE ${part.where}`, graphs, {});
    const answer = await client.query(query.query, { ...options, ...query, accept: 'application/sparql-results+json' });
    const result = readJsonResult(answer.body, false);
    if (!('rows' in result)) continue;
    const rows = result.rows.map((row) => ({
      ...row,
      s: row.s ?? toJson(subject!), p: row.p ?? toJson(predicate!), o: row.o ?? toJson(object!),
    }));
    yield* quadsFromRows(rows, part.graph);
  }
}

function constant(term: RDF.Term): string {
  return tsvTerm(toJson(term));
}

function toJson(term: RDF.Term) {
  if (term.termType === 'NamedNode') return { type: 'uri' as const, value: term.value };
  if (term.termType === 'BlankNode') return { type: 'bnode' as const, value: term.value };
  const literal = term as RDF.Literal;
  return {
    type: 'literal' as const, value: literal.value,
    ...(literal.language ? { 'xml:lang': literal.language } : literal.datatype ? { datatype: literal.datatype.value } : {}),
  };
}
