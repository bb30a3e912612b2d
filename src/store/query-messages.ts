// Messages between the query pool (main thread) and its workers.

import type { ResultsFormat } from './store.ts';

export interface QueryJob {
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

export type WorkerRequest = { id: number } & QueryJob;

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; body: string }
  | { type: 'error'; id: number; status: number; message: string; fatal: boolean };

/** What a worker needs to build its copy of the store. */
export interface WorkerData {
  /** The whole dataset, named graphs and the materialized default graph, as N-Quads. */
  nquads: string;
}
