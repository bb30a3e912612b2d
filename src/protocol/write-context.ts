// What the write routes share: the tokens, the writer (absent when writes are off), the store the
// writer keeps, and the limits. Reads of the authoritative store wait for the write in progress.

import type { GraphStore } from '../engine/rdf/graph-store.ts';
import type { ProtocolRequest } from './exchange.ts';
import { authorOf, type WriteToken } from '../writes/tokens.ts';
import type { Writer } from '../writes/writer.ts';
import type { UpdateContext } from '../writes/update-plan.ts';
import type { writeGraphs } from '../writes/state.ts';

export interface WriteContext {
  tokens: WriteToken[];
  /** Absent when no token is configured: every write route then answers 403. */
  writer?: Writer;
  store: GraphStore;
  baseIri: string;
  graphs: ReturnType<typeof writeGraphs>;
  update: UpdateContext;
  /** A graph document with more triples is refused with 503, as a query result would be. */
  maxResultRows: number;
  /** Where the journal lives, for GET /changes. */
  stateDir: string;
}

/** The author of a write request, or the 403/401 that refuses it (before its body is read). */
export function authorize(context: WriteContext, request: ProtocolRequest): { author: string; writer: Writer } {
  const author = authorOf(context.tokens, request.header('authorization'));
  return { author, writer: context.writer! };
}

/** Runs a read of the authoritative store between writes, never in the middle of one. */
export function readStore<T>(context: WriteContext, read: (store: GraphStore) => T): Promise<T> {
  return context.writer ? context.writer.exclusive(() => read(context.store)) : Promise.resolve(read(context.store));
}
