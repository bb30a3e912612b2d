// A worker thread holding its own copy of the store: runs one query at a time, off the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import { HttpError } from '../../core/errors.ts';
import { GraphStore } from '../rdf/graph-store.ts';
import { dumpDataset } from '../rdf/dump.ts';
import { runFederated } from '../federation/comunica.ts';
import type { Job, WorkerData, WorkerReply, WorkerRequest } from './worker-messages.ts';

const port = parentPort!;
const store = GraphStore.fromNQuads((workerData as WorkerData).nquads);

port.on('message', (request: WorkerRequest) => {
  void run(request).then((reply) => port.postMessage(reply));
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);

async function perform(job: Job): Promise<string> {
  if (job.kind === 'dump') return dumpDataset(store, job.syntax);
  if (job.kind === 'federated') return runFederated(store, job);
  return store.serialize(job.query, job.format, {
    ...(job.defaultGraphs ? { defaultGraphs: job.defaultGraphs } : {}),
    ...(job.namedGraphs ? { namedGraphs: job.namedGraphs } : {}),
    ...(job.baseIri ? { baseIri: job.baseIri } : {}),
  });
}

async function run(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const body = await perform(request);
    if (Buffer.byteLength(body) > request.maxResultBytes) {
      return failure(request.id, 503, `the result is larger than the limit of ${request.maxResultBytes} bytes (KG_MAX_RESULT_BYTES); add a LIMIT or narrow the query`);
    }
    return { type: 'result', id: request.id, body };
  } catch (error) {
    if (error instanceof HttpError) return failure(request.id, error.status, error.message);
    // A WebAssembly trap (a Rust panic, or memory exhausted) leaves the store unusable.
    if (error instanceof WebAssembly.RuntimeError) {
      return { ...failure(request.id, 500, 'the query engine failed while running this query'), fatal: true };
    }
    const message = error instanceof Error ? error.message : String(error);
    return failure(request.id, 500, `query evaluation failed: ${message}`);
  }
}

function failure(id: number, status: number, message: string): Extract<WorkerReply, { type: 'error' }> {
  return { type: 'error', id, status, message, fatal: false };
}
