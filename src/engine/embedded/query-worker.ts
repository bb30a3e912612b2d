// A worker thread holding its own copy of the store: runs one query at a time, off the main thread.

import { parentPort } from 'node:worker_threads';
import { HttpError, messageOf } from '../../core/errors.ts';
import { formatOf, type RdfSyntax } from '../../core/formats.ts';
import { SOLUTION_MARKER, boundedQuery, checkBytes, checkRows, tooManyBytes, tooManyRows, type BoundedQuery } from '../result-limits.ts';
import { GraphStore, NQuadsLoader, isStringTooLong } from '../rdf/graph-store.ts';
import type { Job, LoadMessage, PartMessage, Patch, WorkerMessage, WorkerReply, WorkerRequest } from './worker-messages.ts';
import { unpackedPart } from './pool-dataset.ts';
import { inTurn, type LoadTurns } from './load-turns.ts';
import { collectGarbage } from './collect-garbage.ts';

const port = parentPort!;
/** Built from the load message and the parts after it; queries come only once it is ready. */
let store: GraphStore;
let loader: NQuadsLoader | undefined;
/** Writes that came while the parts were loading, applied once they are in. */
let waitingPatches: Patch[] = [];
/** The pool's turns at loading, shared with the other workers (see load-turns.ts). */
let turns: LoadTurns | undefined;
/** Time spent loading, waits for a turn or for the next part left out: what a load costs. */
let loadingMs = 0;

port.on('message', (message: WorkerMessage) => {
  if (message.kind === 'load') return startLoading(message);
  if (message.kind === 'part') return loadPart(message);
  // A patch is applied at once, between two queries: none of them sees half of it. If it cannot
  // be applied the worker fails, and the pool replaces it with a copy that has it.
  if (message.kind === 'patch') {
    if (loader) waitingPatches.push(message);
    else store.applyNQuads(message.removed, message.added);
    return;
  }
  void run(message).then((reply) => port.postMessage(reply));
});

function startLoading(message: LoadMessage): void {
  loader = new NQuadsLoader();
  waitingPatches = [...message.patches];
  turns = message.turns;
  inTurn(turns, () => timed(() => {
    for (const part of message.parts) {
      // Unpacked again to make the union, rather than kept (270 MB of N-Quads at 1M triples).
      loader!.add(unpackedPart(part, message.gzipped), message.gzipped ? () => unpackedPart(part, true) : undefined);
    }
    if (message.complete) finishLoading();
  }));
  if (message.complete) reportReady();
}

function loadPart(message: PartMessage): void {
  inTurn(turns, () => timed(() => {
    loader!.add(message.nquads);
    if (message.last) finishLoading();
  }));
  if (message.last) reportReady();
}

function timed(load: () => void): void {
  const started = performance.now();
  try {
    load();
  } finally {
    loadingMs += performance.now() - started;
  }
}

function finishLoading(): void {
  // The parts a graph's build posts leave the union out (see NQuadsLoader.finishWithUnion); the
  // writes since were made on a store with it, so it is made before they are applied.
  store = loader!.finishWithUnion();
  loader = undefined;
  for (const patch of waitingPatches) store.applyNQuads(patch.removed, patch.added);
  waitingPatches = [];
}

/**
 * Once the turn is given back and the time of the last part counted. The parts loaded are
 * collected once the message that brought the last one is let go (see collect-garbage.ts); what
 * the copy then holds is its footprint, which the pool weighs against its memory budget.
 */
function reportReady(): void {
  port.postMessage({ type: 'ready', size: store.size, loadMs: Math.round(loadingMs) } satisfies WorkerReply);
  setImmediate(() => {
    collectGarbage();
    port.postMessage({ type: 'footprint', bytes: copyFootprint() } satisfies WorkerReply);
  });
}

/**
 * This thread's JavaScript heap and the memory outside it, the store's WebAssembly memory being
 * most of that. The shared dumps are not counted (they are the pool's, and let go by now). The
 * WebAssembly memory is what the store reserved, more than it wrote (a load reserves buffers of
 * about 170 MB): a bound from above, which the pool weighs with another (see QueryPool).
 */
function copyFootprint(): number {
  const { heapTotal, external } = process.memoryUsage();
  return heapTotal + external;
}

// The exporters (JSON-LD, pretty Turtle) and the federation engine are imported on a worker's
// first export or federated query: imported up front they were half of every worker's start
// (80 of 160 ms), paid again by each worker the pool adds beside a heavy query.
async function perform(job: Job): Promise<string> {
  if (job.kind === 'dump') {
    const { dumpDataset } = await import('../rdf/dump.ts');
    return dumpDataset(store, job.syntax);
  }
  if (job.kind === 'federated') {
    GraphStore.checkSyntax(job.query, job.baseIri);
    const { runFederated } = await import('../federation/comunica.ts');
    const body = await runFederated(store, { ...job, query: boundedQuery(job.query, job).query });
    checkRows(body, job.format, job);
    return body;
  }
  const options = {
    ...(job.defaultGraphs ? { defaultGraphs: job.defaultGraphs } : {}),
    ...(job.namedGraphs ? { namedGraphs: job.namedGraphs } : {}),
    ...(job.baseIri ? { baseIri: job.baseIri } : {}),
  };
  return withOriginalSyntaxErrors(job, (bounded) => {
    const { query, probe, marked } = bounded;
    if (formatOf(job.format).kind === 'graph' && job.maxResultRows !== undefined) {
      const max = job.maxResultRows;
      // A CONSTRUCT counts its own solutions (half the work of running a probe after it).
      if (marked) {
        try {
          return store.serializeGraph(marked, job.format as RdfSyntax, options, max, () => tooManyRows(max), SOLUTION_MARKER);
        } catch (error) {
          // A template the marker does not fit into: the query and its probe, as written.
          if (!(error instanceof HttpError) || error.status !== 400) throw error;
        }
      }
      const body = store.serializeGraph(query, job.format as RdfSyntax, options, max, () => tooManyRows(max));
      if (probe && store.serialize(probe, 'json', options).includes('"bindings":[{')) throw tooManyRows(max);
      return body;
    }
    const body = store.serialize(query, job.format, options);
    checkRows(body, job.format, job);
    return body;
  });
}

/**
 * Runs the query with its row bound; a syntax error is reported as it stands in the text the
 * client sent (the added LIMIT line would otherwise move the position in the message).
 */
function withOriginalSyntaxErrors(job: Extract<Job, { kind: 'query' }>, evaluate: (bounded: BoundedQuery) => string): string {
  const bounded = boundedQuery(job.query, job);
  try {
    return evaluate(bounded);
  } catch (error) {
    if (bounded.query !== job.query && error instanceof HttpError && error.status === 400) GraphStore.checkSyntax(job.query, job.baseIri);
    throw error;
  }
}

async function run(request: WorkerRequest): Promise<WorkerReply> {
  try {
    const body = await perform(request);
    checkBytes(body, request);
    return { type: 'result', id: request.id, body };
  } catch (error) {
    if (error instanceof HttpError) return failure(request.id, error.status, error.message);
    // A WebAssembly trap (a Rust panic, or memory exhausted) leaves the store unusable.
    if (error instanceof WebAssembly.RuntimeError) {
      return { ...failure(request.id, 503, 'the query needed more memory or stack than the engine has; narrow the query or add a LIMIT'), fatal: true };
    }
    // V8 refuses to build a string past its maximum length: the result was too large.
    if (isStringTooLong(error)) {
      return failure(request.id, 503, tooManyBytes(request.maxResultBytes).message);
    }
    const message = messageOf(error);
    return failure(request.id, 500, `query evaluation failed: ${message}`);
  }
}

function failure(id: number, status: number, message: string): Extract<WorkerReply, { type: 'error' }> {
  return { type: 'error', id, status, message, fatal: false };
}
