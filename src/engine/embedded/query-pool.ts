// A pool of query workers, each with its own copy of the store, so that a heavy query never
// blocks the event loop: bounded queue, per-query timeout by terminating the worker, and
// replacement of workers that time out or crash.

import { Worker } from 'node:worker_threads';
import { HttpError, serviceUnavailable } from '../../core/errors.ts';
import type { Job, WorkerData, WorkerReply, WorkerRequest } from './worker-messages.ts';

export interface QueryPoolOptions {
  workers: number;
  timeoutMs: number;
  maxQueue: number;
  /** The dataset every worker loads, as N-Quads. */
  nquads: string;
  /** Called when a worker is replaced, for the log. */
  onReplace?: (reason: string) => void;
  /** Called when a job starts on a worker, for the log. */
  onDispatch?: (job: Job) => void;
}

interface Pending {
  id: number;
  job: Job;
  resolve: (body: string) => void;
  reject: (error: Error) => void;
  enqueuedAt: number;
  /** Fails the job if it is still waiting for a worker when the timeout has passed. */
  waitTimer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  running?: Pending;
  timer?: NodeJS.Timeout;
}

/**
 * The compiled worker next to the compiled pool (`npm start` runs dist/); from the TypeScript
 * sources (tests, `npm run dev`) a small shim registers tsx in the worker first, since worker
 * threads do not inherit the loader.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./query-worker-dev.mjs', import.meta.url)
  : new URL('./query-worker.js', import.meta.url);

export class QueryPool {
  readonly #options: QueryPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: QueryPoolOptions) {
    this.#options = options;
  }

  /** Starts every worker and resolves when all have loaded the store. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.workers }, () => this.#spawn()));
  }

  /** Queries waiting for a worker and queries running. */
  get load(): { queued: number; running: number } {
    return { queued: this.#queue.length, running: this.#slots.filter((slot) => slot.running).length };
  }

  /**
   * Runs `job` on the next free worker. Rejects with 503 when the queue is full or the query
   * (waiting included) takes longer than the timeout; an aborted `signal` drops a waiting job.
   */
  execute(job: Job, signal?: AbortSignal): Promise<string> {
    if (this.#closed) return Promise.reject(serviceUnavailable('the server is shutting down'));
    if (this.#queue.length >= this.#options.maxQueue) {
      return Promise.reject(serviceUnavailable(`the server is busy: ${this.#queue.length} queries are waiting (limit KG_MAX_QUEUE=${this.#options.maxQueue}); try again later`));
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = { id: this.#nextId++, job, resolve, reject, enqueuedAt: Date.now() };
      pending.waitTimer = setTimeout(() => {
        this.#dropQueued(pending);
        reject(serviceUnavailable(`the query waited for a free worker longer than the timeout of ${this.#options.timeoutMs / 1000} s`));
      }, this.#options.timeoutMs);
      this.#queue.push(pending);
      signal?.addEventListener('abort', () => this.#dropQueued(pending), { once: true });
      this.#dispatch();
    });
  }

  /** Stops every worker; waiting queries are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) {
      clearTimeout(pending.waitTimer);
      pending.reject(serviceUnavailable('the server is shutting down'));
    }
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): Promise<void> {
    const worker = new Worker(WORKER_ENTRY, { workerData: { nquads: this.#options.nquads } satisfies WorkerData });
    const slot: Slot = { worker, ready: false };
    this.#slots.push(slot);
    return new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          slot.ready = true;
          resolve();
          this.#dispatch();
        } else {
          this.#finish(slot, reply);
        }
      });
      worker.on('error', (error) => {
        if (!slot.ready) reject(error);
        this.#replace(slot, `worker error: ${error.message}`, new HttpError(500, 'the query engine crashed while running this query'));
      });
      worker.on('exit', () => {
        if (!this.#closed && this.#slots.includes(slot)) {
          this.#replace(slot, 'worker exited', new HttpError(500, 'the query engine stopped while running this query'));
        }
      });
    });
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.running) continue;
      const pending = this.#queue.shift();
      if (!pending) return;
      clearTimeout(pending.waitTimer);
      slot.running = pending;
      const remaining = Math.max(1, this.#options.timeoutMs - (Date.now() - pending.enqueuedAt));
      slot.timer = setTimeout(() => this.#timeOut(slot), remaining);
      slot.worker.postMessage({ id: pending.id, ...pending.job } as WorkerRequest);
      this.#options.onDispatch?.(pending.job);
    }
  }

  #finish(slot: Slot, reply: Exclude<WorkerReply, { type: 'ready' }>): void {
    const pending = slot.running;
    if (!pending || pending.id !== reply.id) return;
    clearTimeout(slot.timer);
    slot.running = undefined;
    if (reply.type === 'result') pending.resolve(reply.body);
    else pending.reject(new HttpError(reply.status, reply.message));
    if (reply.type === 'error' && reply.fatal) this.#replace(slot, 'the store failed inside the worker');
    else this.#dispatch();
  }

  #timeOut(slot: Slot): void {
    const seconds = this.#options.timeoutMs / 1000;
    this.#replace(slot, 'query timeout', serviceUnavailable(`the query did not finish within the timeout of ${seconds} s (KG_QUERY_TIMEOUT_MS) and was stopped`));
  }

  /** Terminates a worker (its query, if any, fails with `error`) and starts a fresh one. */
  #replace(slot: Slot, reason: string, error?: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#slots.splice(index, 1);
    clearTimeout(slot.timer);
    if (slot.running && error) slot.running.reject(error);
    slot.running = undefined;
    void slot.worker.terminate();
    if (this.#closed) return;
    this.#options.onReplace?.(reason);
    this.#spawn().catch((spawnError: Error) => this.#options.onReplace?.(`replacement failed: ${spawnError.message}`));
  }

  #dropQueued(pending: Pending): void {
    clearTimeout(pending.waitTimer);
    const index = this.#queue.indexOf(pending);
    if (index >= 0) this.#queue.splice(index, 1);
  }
}
