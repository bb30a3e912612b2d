// Messages between the query pool (main thread) and its workers.

import type { DumpRequest, FederatedRequest, QueryRequest } from '../engine.ts';
import type { DatasetForWorker } from './pool-dataset.ts';
import type { LoadTurns } from './load-turns.ts';

/** Work a worker does: run a query on the store, run a federated query, or dump the dataset. */
export type Job =
  | ({ kind: 'query' } & QueryRequest)
  | ({ kind: 'federated' } & FederatedRequest)
  | ({ kind: 'dump'; queryHash?: string } & DumpRequest);

export type WorkerRequest = { id: number } & Job;

/** A committed write, as N-Quads: every worker applies it before the queries posted after it. */
export interface Patch {
  removed: string;
  added: string;
}

/**
 * The first message a worker gets: the dataset to load. Sent as a message rather than as
 * workerData, which a worker keeps for its whole life; the N-Quads are in shared memory, so
 * every worker reads the pool's one copy (270 MB for 1M triples).
 */
export type LoadMessage = { kind: 'load' } & WorkerData;

/** The next part of the dataset, for workers started before it was written (see WorkerData.complete). */
export interface PartMessage {
  kind: 'part';
  nquads: Uint8Array;
  last: boolean;
}

export type WorkerMessage = WorkerRequest | ({ kind: 'patch' } & Patch) | LoadMessage | PartMessage;

export type WorkerReply =
  /** `loadMs`: the time spent loading the dataset, waits for a turn or a part left out. */
  | { type: 'ready'; size: number; loadMs: number }
  /** Sent after `ready`: the bytes this worker's copy of the store holds (see query-worker.ts). */
  | { type: 'footprint'; bytes: number }
  | { type: 'result'; id: number; body: string }
  | { type: 'error'; id: number; status: number; message: string; fatal: boolean };

/**
 * What a worker needs to build its copy of the store: the dataset's named graphs, and its default
 * graph if the dump holds it (a worker makes it otherwise: it is their union), as UTF-8 N-Quads
 * on SharedArrayBuffers (one part, or the data's part first and what is derived from it after;
 * see PoolDataset), and the writes committed since.
 */
export interface WorkerData extends DatasetForWorker {
  patches: Patch[];
  /** The pool's turns at loading, for the first workers: each part is loaded in a turn (see load-turns.ts). */
  turns?: LoadTurns;
}
