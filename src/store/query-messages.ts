// Messages between the query pool (main thread) and its workers.

import type { RdfSyntax, ResultsFormat } from './store.ts';
import type { FederatedQuery } from '../federation/engine.ts';

/** Work a worker does: run a query on the store, run a federated query, or export the dataset. */
export type Job = QueryJob | ExportJob | FederatedJob;

export interface FederatedJob extends FederatedQuery {
  kind: 'federated';
  queryHash?: string;
}

export interface ExportJob {
  kind: 'export';
  syntax: RdfSyntax;
  maxResultBytes: number;
  queryHash?: string;
}

export interface QueryJob {
  kind: 'query';
  query: string;
  format: ResultsFormat;
  defaultGraphs?: string[];
  namedGraphs?: string[];
  /** Relative IRIs in the query resolve against it. */
  baseIri?: string;
  /** The worker refuses to send back a larger result. */
  maxResultBytes: number;
  /** Identifies the query in logs without its text. */
  queryHash?: string;
}

export type WorkerRequest = { id: number } & Job;

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; body: string }
  | { type: 'error'; id: number; status: number; message: string; fatal: boolean };

/** What a worker needs to build its copy of the store. */
export interface WorkerData {
  /** The whole dataset, named graphs and the materialized default graph, as N-Quads. */
  nquads: string;
}
