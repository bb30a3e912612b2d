// A server without write tokens never changes its graph, so the main thread need not keep a copy
// of it: the graph is built and checked in a thread of its own (build-thread.ts), which hands the
// query workers its dumps and then ends. A store's WebAssembly memory is never given back while its
// thread lives; when the thread ends, all of it is (about 0.9 GiB at 1M triples).

import { Worker } from 'node:worker_threads';
import { threadEntry } from '../core/thread-entry.ts';
import type { Config } from '../core/config.ts';
import { DataError } from '../core/errors.ts';
import type { BuildProgress } from '../dataset/build.ts';
import type { DatasetAfterData } from '../writes/state.ts';

export type BuildThreadMessage =
  | { type: 'progress'; progress: BuildProgress }
  | { type: 'warning'; message: string; details: Record<string, unknown> }
  /** The data's dump, as soon as the files are loaded (before the closure and the union). */
  | { type: 'data'; nquads: Uint8Array }
  /** What follows: the derived part, or (writes replayed) a dump of everything to load instead. */
  | ({ type: 'opened' } & DatasetAfterData)
  | { type: 'checked'; quads: number; loadMs: number; replayedQuads: number }
  | { type: 'failed'; message: string; problems?: string[] };

export interface BuildHandlers {
  onProgress(progress: BuildProgress): void;
  onWarning(message: string, details: Record<string, unknown>): void;
  onDataLoaded(nquads: Uint8Array): void;
  /** `whole`: the workers started on the data's part must start again on this dump (see datasetAfterData). */
  onOpened(rest: DatasetAfterData): void;
}

export interface ThreadBuild {
  quads: number;
  /** The build without its checks, as the start's log line reports it. */
  loadMs: number;
  replayedQuads: number;
}

export interface BuildThread {
  /** Resolves once the graph is checked; rejects with the problems found. */
  built: Promise<ThreadBuild>;
  /** Ends the thread (when the start fails elsewhere). */
  stop(): Promise<void>;
}

/** Builds and checks the graph in a thread, telling `handlers` as each step is done. */
export function buildInThread(config: Config, handlers: BuildHandlers): BuildThread {
  const thread = new Worker(threadEntry('web/build-thread'), { workerData: { config } });
  const built = new Promise<ThreadBuild>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    thread.on('message', (message: BuildThreadMessage) => {
      if (message.type === 'progress') handlers.onProgress(message.progress);
      else if (message.type === 'warning') handlers.onWarning(message.message, message.details);
      else if (message.type === 'data') handlers.onDataLoaded(message.nquads);
      else if (message.type === 'opened') handlers.onOpened(message);
      else if (message.type === 'checked') settle(() => resolve({ quads: message.quads, loadMs: message.loadMs, replayedQuads: message.replayedQuads }));
      else settle(() => reject(message.problems ? new DataError(message.message, message.problems) : new Error(message.message)));
    });
    thread.on('error', (error) => settle(() => reject(new Error(`the graph could not be built: ${error.message}`))));
    thread.on('exit', (code) => settle(() => reject(new Error(`the graph could not be built: its thread ended (exit code ${code}) before the graph was checked`))));
  });
  // Stopped because the start failed elsewhere, the thread's end is no news: whoever waits for
  // `built` still hears of it.
  built.catch(() => undefined);
  return { built, stop: async () => { await thread.terminate(); } };
}
