// What the write routes share: the tokens, the writer (absent when writes are off), the store the
// writer keeps, and the limits. Reads of the authoritative store wait for the write in progress.

import type * as RDF from '@rdfjs/types';
import { DataFactory } from '../core/n3.ts';
import type { Engine } from '../engine/engine.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import { selectRows } from '../engine/select-rows.ts';
import { quadsFromRows } from '../engine/remote/store-terms.ts';
import type { ProtocolRequest } from './exchange.ts';
import { authorOf, type WriteToken } from '../writes/tokens.ts';
import type { Writer } from '../writes/writer.ts';
import type { UpdateContext } from '../writes/update-plan.ts';
import type { writeGraphs } from '../writes/state.ts';

export interface WriteContext {
  tokens: WriteToken[];
  /** Absent when no token is configured: every write route then answers 403. */
  writer?: Writer;
  /** Every quad of one graph, read between writes (at most one more than maxResultRows is enough). */
  readGraph: (graph: string) => Promise<RDF.Quad[]>;
  baseIri: string;
  graphs: ReturnType<typeof writeGraphs>;
  update: UpdateContext;
  /** A graph document with more triples is refused with 503, as a query result would be. */
  maxResultRows: number;
  /** Where the journal lives, for GET /changes; absent over a remote store (no journal here). */
  stateDir?: string;
}

/** The author of a write request, or the 403/401 that refuses it (before its body is read). */
export function authorize(context: WriteContext, request: ProtocolRequest): { author: string; writer: Writer } {
  const author = authorOf(context.tokens, request.header('authorization'));
  return { author, writer: context.writer! };
}

/** Runs a read of the authoritative store between writes, never in the middle of one. */
export function readBetweenWrites<T>(writer: Writer | undefined, read: () => T): Promise<T> {
  return writer ? writer.exclusive(read) : Promise.resolve(read());
}

/** Graphs read through an engine, when this process keeps no store (one more quad than the row limit at most). */
export function engineGraphReader(engine: Engine, maxResultRows: number, maxResultBytes: number): WriteContext['readGraph'] {
  return async (graph) => {
    const rows = await selectRows(engine, `SELECT ?s ?p ?o WHERE { GRAPH <${graph}> { ?s ?p ?o } } LIMIT ${maxResultRows + 1}`, maxResultBytes);
    return quadsFromRows(rows, DataFactory.namedNode(graph));
  };
}

/** Graphs of the authoritative store of this process. */
export function storeGraphReader(store: GraphStore, writer: Writer | undefined): WriteContext['readGraph'] {
  return (graph) => readBetweenWrites(writer, () => store.quads(graph));
}
