// Runs in a thread of its own (see build-in-thread.ts): builds the graph as a server without write
// tokens serves it, hands its dumps to the query workers as soon as each is made, checks it, and
// ends, so that the memory of its store goes with it.

import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../core/config.ts';
import { DataError, messageOf } from '../core/errors.ts';
import type { BuildProgress } from '../dataset/build.ts';
import { checkCurrentGraph, datasetAfterData, openCurrentGraph } from '../writes/state.ts';
import type { BuildThreadMessage } from './build-in-thread.ts';

const config = (workerData as { config: Config }).config;
const post = (message: BuildThreadMessage) => parentPort!.postMessage(message);
const progress = { onProgress: (progress: BuildProgress) => post({ type: 'progress', progress }) };

try {
  const opened = await openCurrentGraph(config, {
    writable: false,
    onWarning: (message, details) => post({ type: 'warning', message, details }),
    onDataLoaded: (store) => post({ type: 'data', nquads: store.dumpAll() }),
    ...progress,
  });
  const dataset = datasetAfterData(opened, config.baseIri);
  post({ type: 'opened', ...dataset });
  await checkCurrentGraph(opened, config, progress);
  const { kg, restored } = opened;
  // The checks only read: the store holds what it held when opened (counting again costs 150 ms at 1M).
  post({ type: 'checked', quads: dataset.size, loadMs: kg.loadMs, replayedQuads: restored.replayedQuads });
} catch (error) {
  post(error instanceof DataError
    ? { type: 'failed', message: error.summary, problems: error.problems }
    : { type: 'failed', message: messageOf(error) });
}
