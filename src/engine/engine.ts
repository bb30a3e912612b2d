// The engine interface: what the protocol and web layers need from a store that answers SPARQL.
// Two implementations: the embedded Oxigraph pool (embedded/) and a remote SPARQL 1.1 store
// (remote/), chosen at start by KG_STORE; nothing above this interface knows which one runs.

import type * as RDF from '@rdfjs/types';
import type { RdfSyntax, ResultsFormat } from '../core/formats.ts';
import type { FederatedJob } from './federation/comunica.ts';

/** A query to run, with everything that decides its answer and its limits. */
export interface QueryRequest {
  query: string;
  format: ResultsFormat;
  /** A protocol dataset: graphs of the store by name (default-graph-uri, named-graph-uri). */
  defaultGraphs?: string[];
  namedGraphs?: string[];
  /** Relative IRIs in the query resolve against it. */
  baseIri?: string;
  /** A larger serialized result is refused with 503. */
  maxResultBytes: number;
  /** A result with more rows (or triples) is refused with 503; the store stops computing after one more. */
  maxResultRows?: number;
  /** Identifies the query in logs without its text. */
  queryHash?: string;
}

/** A query over several sources (SERVICE clauses, or `source=` datasets), run with Comunica. */
export interface FederatedRequest extends QueryRequest, FederatedJob {}

export interface DumpRequest {
  syntax: RdfSyntax;
  maxResultBytes: number;
}

/** What a write changed: quads removed, then quads added (each set already net of the other). */
export interface QuadChange {
  removed: RDF.Quad[];
  added: RDF.Quad[];
}

/**
 * Answers SPARQL over the dataset. Every method resolves with the serialized answer or rejects
 * with an HttpError (its status and a message safe to show); an aborted `signal` drops the work.
 */
export interface Engine {
  query(request: QueryRequest, signal?: AbortSignal): Promise<string>;
  federate(request: FederatedRequest, signal?: AbortSignal): Promise<string>;
  /** The whole dataset in one syntax: triple syntaxes hold the union, quad syntaxes the named graphs. */
  dump(request: DumpRequest, signal?: AbortSignal): Promise<string>;
  /**
   * The dump in pieces, for engines whose dataset may not fit in memory or changes under them (a
   * remote store): each piece is valid on its own in the syntax's concatenation (pages of N-Triples,
   * of N-Quads, of Turtle or TriG with their prefixes). Engines without it are dumped whole.
   */
  dumpStream?(request: DumpRequest, signal?: AbortSignal): AsyncIterable<string>;
  /**
   * Makes a committed change visible to every query: a query dispatched after this resolves sees
   * all of it, a query already running sees none of it.
   */
  publish(change: QuadChange): Promise<void>;
  /** Stops the engine; work still waiting is refused. */
  close(): Promise<void>;
}
