// A pool of query workers, each with its own copy of the store, so that a heavy query never
// blocks the event loop: bounded queue, per-query timeout by terminating the worker, replacement
// of workers that time out or crash, and room for light queries while heavy ones run: `workers`
// and an idle spare are loaded at start, and while heavy queries hold workers, more are started
// (up to a maximum) so that one beside them stays free for the others. A query is heavy once it
// has run as long as a worker takes to load (at least HEAVY_MS): a worker started sooner would
// often be ready only after the queries it was for had ended, its load (seconds of a core and a
// gigabyte on a million-triple graph) spent for nothing, and a query that has run that long is
// likely to run a while yet.
// A burst of light queries only queues: more threads than cores would just take turns, and every
// worker is one more copy of the store. The copies past `workers` (the spare, the workers beside
// heavy queries) are started only within a memory budget: on a large graph a copy is hundreds of
// megabytes, and a server that grows past what its machine was sized for is worse than light
// queries that wait.

import { Worker } from 'node:worker_threads';
import { threadEntry } from '../../core/thread-entry.ts';
import { HttpError, serviceUnavailable } from '../../core/errors.ts';
import type { Job, Patch, WorkerMessage, WorkerReply } from './worker-messages.ts';
import { PoolDataset, type PackedSizes, type UnpackedDataset } from './pool-dataset.ts';
import { addTurn, createLoadTurns, type LoadTurns } from './load-turns.ts';
import { collectGarbage } from './collect-garbage.ts';

export interface QueryPoolOptions {
  /** Workers started at once and always kept. */
  workers: number;
  /** Workers at most, the busy and the idle spare included. */
  maxWorkers: number;
  timeoutMs: number;
  maxQueue: number;
  /**
   * The dataset every worker loads, as UTF-8 N-Quads in shared memory (see GraphStore.dumpAll), or
   * a dataset packed at an earlier start and unpacked again (see pool-dataset.ts).
   */
  nquads: Uint8Array | UnpackedDataset;
  /** More of the dataset follows (`addPart`): workers load `nquads` now and wait for the rest. */
  partsFollow?: boolean;
  /** Quads a loaded worker must hold (checked before it is used), when known. */
  expectedSize?: number;
  /**
   * How many of the first workers load at once (see load-turns.ts): by default the cores but one,
   * which is left to whoever builds and checks the graph meanwhile.
   */
  loadsAtOnce?: number;
  /** Called when a worker is replaced, for the log. */
  onReplace?: (reason: string) => void;
  /** Called when a job starts on a worker, for the log. */
  onDispatch?: (job: Job) => void;
  /** Called when workers are added beside heavy queries, for the log. */
  onAdd?: (added: { workers: number; heavy: number; heavyAfterMs: number }) => void;
  /**
   * Resident memory of the whole process, in bytes, that copies past `workers` must fit in: one
   * is started only if what the process holds now, the copies still loading and one more copy
   * (see #copyBytes) stay within it. `workers` always start. Unset: no budget.
   */
  memoryBudget?: number;
  /**
   * The process's resident memory before any copy or dump of the data, for the budget (see
   * #copyBytes); by default what it holds when the pool is made, the dataset given left out. A
   * caller that makes a pool again later (after a build thread grew) passes what it read first.
   */
  memoryBefore?: number;
  /** Called when a copy past `workers` is wanted but does not fit the budget (once until one fits again), for the log. */
  onOverBudget?: (over: OverBudget) => void;
  /** Called once when workers can no longer be started (after retries): the pool is unusable. */
  onFatal?: (error: Error) => void;
  /** Called when the dataset kept for later workers has been gzipped: for the log, and to keep it for a later start. */
  onPacked?: (packed: PackedSizes) => void;
}

export interface OverBudget {
  /** Workers there are, and workers wanted (the spare, or beside heavy queries). */
  workers: number;
  wanted: number;
  residentBytes: number;
  copyBytes: number;
  budgetBytes: number;
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
  /** When the running query started here. */
  runningSince?: number;
  timer?: NodeJS.Timeout;
  /** Stops an extra worker that stayed idle. */
  idleTimer?: NodeJS.Timeout;
}

/** Failed starts in a row before the pool gives up, and the first delay between them (doubling). */
const MAX_START_FAILURES = 5;
const FIRST_RETRY_MS = 100;
/** A running query whose client went away is stopped if it is still running after this. */
const ABANDON_GRACE_MS = 250;
/** An extra worker (beyond `workers` and the spare) idle this long is stopped, giving its memory back. */
const EXTRA_IDLE_MS = 30_000;
/**
 * A query running this long, or as long as the last worker took to load if that is longer, is
 * heavy: the pool starts a worker beside it for the queries behind.
 */
const HEAVY_MS = 250;
/** The process's resident memory is read at most this often while copies wait for memory (a read is a system call). */
const RESIDENT_READ_MS = 1_000;

export class QueryPool {
  readonly #options: Omit<QueryPoolOptions, 'nquads'>;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;
  #startFailures = 0;
  #retryTimer?: NodeJS.Timeout;
  /** Whether the first workers have loaded: the spare waits for them. */
  #started = false;
  /** When the next running query becomes heavy, capacity is looked at again. */
  #heavyCheck?: NodeJS.Timeout;
  /**
   * How long the last worker took to load: from its start to its first answer for a worker
   * started once the first ones had loaded (as a worker added beside heavy queries is); for the
   * first ones, which wait for turns and for the derived part, the time they spent loading.
   */
  #lastLoadMs = 0;
  /** What a new worker loads: the dataset as of the last rebase (in parts), and the writes since. */
  readonly #dataset: PoolDataset;
  #patches: Patch[] = [];
  #patchBytes = 0;
  /** Quads a worker holds once loaded, until the first write changes them. */
  #expectedSize?: number;
  /**
   * How many of the first workers load at once (see load-turns.ts): the main thread is busy
   * checking the graph meanwhile. Workers started later (the spare, replacements, workers beside
   * heavy queries) load without turns: the main thread is then idle, and a worker whose thread
   * died in the middle of a load (it cannot give its turn back) would leave every later worker
   * waiting for good. At the start, such a death fails the start anyway.
   */
  readonly #loadTurns: LoadTurns;
  /** The largest footprint a worker has reported (see query-worker.ts): more than a copy takes. */
  #footprint?: number;
  /**
   * What the process held before its first copy, the dataset it was given left out (the pool lets
   * it go once packed): what the process's resident memory now holds beyond it, shared among the
   * copies loaded, is the other bound on a copy.
   */
  readonly #baseBytes: number;
  /** The process's resident memory as last read, and when. */
  #resident = { bytes: 0, readAt: -Infinity };
  /** Whether the last copy wanted past `workers` did not fit the budget (reported once until one fits). */
  #overBudget = false;
  /**
   * Whether the memory of the start has been given back (the dataset packed for later workers and
   * its parts collected): until then the process holds more than it will, and a copy that does
   * not fit is not reported.
   */
  #settled = false;
  /** Whether the turns got the build's core (see buildEnded). */
  #buildEnded = false;

  constructor(options: QueryPoolOptions) {
    // The dataset is kept by #dataset alone: held here too, its first part (240 MB at 1M triples)
    // would outlive its packing.
    const { nquads, ...kept } = options;
    this.#options = kept;
    this.#dataset = nquads instanceof Uint8Array ? new PoolDataset(nquads, options.partsFollow !== true) : PoolDataset.unpacked(nquads);
    this.#expectedSize = options.expectedSize;
    this.#loadTurns = createLoadTurns(options.loadsAtOnce);
    this.#baseBytes = options.memoryBefore ?? Math.max(0, process.memoryUsage.rss() - this.#dataset.rawBytes);
  }

  /** The next part of the dataset, for the workers loading and those started later. */
  addPart(nquads: Uint8Array, options: { last: boolean; expectedSize?: number }): void {
    this.#dataset.add(nquads, options.last);
    this.#expectedSize = options.expectedSize;
    for (const slot of this.#slots) slot.worker.postMessage({ kind: 'part', nquads, last: options.last } satisfies WorkerMessage);
  }

  /**
   * Sends a committed write to every worker, loading ones included (they apply it once loaded,
   * before any query), and keeps it for the workers started later.
   */
  publish(patch: Patch): void {
    this.#patches.push(patch);
    this.#patchBytes += patch.removed.length + patch.added.length;
    this.#expectedSize = undefined;
    for (const slot of this.#slots) slot.worker.postMessage({ kind: 'patch', ...patch } satisfies WorkerMessage);
  }

  /** Whether the writes kept for new workers outweigh the dataset they apply to. */
  get wantsRebase(): boolean {
    return this.#patchBytes > this.#dataset.rawBytes;
  }

  /** Replaces the dataset new workers load, and the writes kept, by `nquads`, which includes them. */
  rebase(nquads: Uint8Array): void {
    this.#dataset.replace(nquads);
    this.#patches = [];
    this.#patchBytes = 0;
    this.#pack();
  }

  /**
   * Starts the workers and resolves when all have loaded the store; rejects if one cannot. The
   * spare is started after them: loading it at the same time would make the start wait for three
   * loads on the cores two take (on a 1M-triple graph, about ten seconds more).
   */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.workers }, () => this.#spawn()));
    this.#started = true;
    this.#ensureCapacity();
    // The first workers and the spare have their load messages: the rest can wait unpacked.
    this.#pack();
  }

  #pack(): void {
    // Only an economy: if gzip fails, the parts stay as they are.
    this.#dataset.pack().then((packed) => {
      if (!packed) return this.#settle();
      // The unpacked parts (see collect-garbage.ts), once gzip's stream, which resolves this
      // inside its end handler, has let go of them too.
      setImmediate(() => {
        collectGarbage();
        this.#settle();
      });
      this.#options.onPacked?.(packed);
    }, () => this.#settle());
  }

  /** The start's memory is given back: a copy that waited for it may fit now. */
  #settle(): void {
    this.#settled = true;
    this.#resident.readAt = -Infinity;
    this.#ensureCapacity();
  }

  /** Queries waiting for a worker and queries running, and the workers there are (`loading` of them not ready yet). */
  get load(): { queued: number; running: number; workers: number; loading: number } {
    return {
      queued: this.#queue.length,
      running: this.#slots.filter((slot) => slot.running).length,
      workers: this.#slots.length,
      loading: this.#slots.filter((slot) => !slot.ready).length,
    };
  }

  /**
   * Whoever built and checked the graph beside the first workers is done: the core it used loads
   * too. On a large graph the first workers are then still loading one after the other (each
   * makes the union of what it loaded, see NQuadsLoader.finishWithUnion).
   */
  buildEnded(): void {
    if (this.#buildEnded) return;
    this.#buildEnded = true;
    addTurn(this.#loadTurns);
  }

  /** How long a query runs before the pool starts a worker beside it (see the top of this file). */
  get heavyAfterMs(): number {
    return Math.max(HEAVY_MS, this.#lastLoadMs);
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
      this.#queue.push(pending);
      // A client that went away takes its query with it: dropped if waiting, stopped if running.
      signal?.addEventListener('abort', () => this.#abandon(pending), { once: true });
      this.#dispatch();
      // Only a query that has to wait needs a timer for its wait (most find a free worker at once).
      if (this.#queue.includes(pending)) {
        pending.waitTimer = setTimeout(() => {
          this.#dropQueued(pending);
          reject(serviceUnavailable(`the query waited for a free worker longer than the timeout of ${this.#options.timeoutMs / 1000} s`));
        }, this.#options.timeoutMs);
      }
    });
  }

  /** Stops every worker; waiting and running queries are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#heavyCheck);
    for (const pending of this.#queue.splice(0)) {
      clearTimeout(pending.waitTimer);
      pending.reject(serviceUnavailable('the server is shutting down'));
    }
    for (const slot of this.#slots) {
      clearTimeout(slot.timer);
      clearTimeout(slot.idleTimer);
      // Its worker is terminated below, and a closed pool answers no exit.
      slot.running?.reject(serviceUnavailable('the server is shutting down'));
      slot.running = undefined;
    }
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): Promise<void> {
    const spawnedAt = Date.now();
    // The first workers load in turns; a later one loads at once, and its whole start is a load's cost.
    const loadsAtOnce = this.#started;
    const worker = new Worker(threadEntry('engine/embedded/query-worker'));
    worker.postMessage({ kind: 'load', ...this.#dataset.forWorker, patches: this.#patches,
      ...(loadsAtOnce ? {} : { turns: this.#loadTurns }) } satisfies WorkerMessage);
    const slot: Slot = { worker, ready: false };
    this.#slots.push(slot);
    return new Promise((resolve, reject) => {
      const failedToStart = (message: string) => {
        this.#remove(slot);
        reject(new Error(`a query worker could not start: ${message}`));
      };
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          // A copy that does not hold what the main thread's store holds would answer wrongly.
          if (this.#expectedSize !== undefined && reply.size !== this.#expectedSize) {
            void worker.terminate();
            return failedToStart(`its copy of the store holds ${reply.size} quads, not ${this.#expectedSize}`);
          }
          slot.ready = true;
          this.#startFailures = 0;
          this.#lastLoadMs = loadsAtOnce ? Date.now() - spawnedAt : reply.loadMs;
          resolve();
          this.#dispatch();
        } else if (reply.type === 'footprint') {
          this.#footprint = Math.max(this.#footprint ?? 0, reply.bytes);
          this.#resident.readAt = -Infinity;
          this.#ensureCapacity();
        } else {
          this.#finish(slot, reply);
        }
      });
      worker.on('error', (error) => {
        if (!slot.ready) return failedToStart(error.message);
        this.#replace(slot, `worker error: ${error.message}`, new HttpError(500, 'the query engine crashed while running this query'));
      });
      worker.on('exit', (code) => {
        if (!slot.ready) return failedToStart(`it exited with code ${code}`);
        if (!this.#closed) this.#replace(slot, 'worker exited', new HttpError(500, 'the query engine stopped while running this query'));
      });
    });
  }

  /**
   * Starts workers until there are `workers` and a spare, or, while heavy queries run, one free
   * worker beside them and one for the queue behind them, within the maximum.
   */
  #ensureCapacity(): void {
    if (this.#closed || this.#retryTimer) return;
    const now = Date.now();
    const heavyAfterMs = this.heavyAfterMs;
    const heavy = this.#slots.filter((slot) => slot.running && now - slot.runningSince! >= heavyAfterMs).length;
    const besideHeavy = heavy > 0 ? heavy + 1 + Math.min(1, this.#queue.length) : 0;
    const spare = this.#started ? 1 : 0;
    const usual = this.#options.workers + spare;
    const target = Math.min(this.#options.maxWorkers, Math.max(usual, besideHeavy));
    const wanted = this.#affordable(target) - this.#slots.length;
    for (let i = 0; i < wanted; i++) {
      this.#spawn().catch((error: Error) => this.#startFailed(error));
    }
    if (wanted > 0 && besideHeavy > usual) this.#options.onAdd?.({ workers: this.#slots.length, heavy, heavyAfterMs });
  }

  /**
   * How many workers the memory budget allows, up to `target`: always `workers`, and past them as
   * many copies as fit beside what the process holds now and the copies still loading. None
   * until a worker has reported its footprint.
   */
  #affordable(target: number): number {
    const budget = this.#options.memoryBudget;
    const floor = Math.max(this.#options.workers, this.#slots.length);
    if (budget === undefined || target <= floor) return target;
    if (this.#footprint === undefined) return floor;
    const loading = this.#slots.filter((slot) => !slot.ready).length;
    const residentBytes = this.#residentBytes();
    const copyBytes = this.#copyBytes(residentBytes, this.#slots.length - loading);
    const fit = Math.max(0, Math.floor((budget - residentBytes) / copyBytes) - loading);
    const affordable = Math.min(target, this.#slots.length + fit);
    const over = affordable < target;
    if (over && !this.#overBudget && this.#settled) {
      this.#options.onOverBudget?.({ workers: this.#slots.length, wanted: target, residentBytes, copyBytes, budgetBytes: budget });
    }
    if (this.#settled) this.#overBudget = over;
    return Math.max(floor, affordable);
  }

  /**
   * What one more copy is expected to take: the smaller of two bounds from above. A worker's
   * footprint counts the WebAssembly memory its store reserved, and each load reserves buffers
   * it barely writes (a thousand triples report over 300 MB); the process's memory beyond what it
   * held before the first copy, per copy loaded, also counts what the process gained besides
   * (a build thread still running, the dumps not yet packed) until that is given back.
   */
  #copyBytes(residentBytes: number, loaded: number): number {
    const measured = (residentBytes - this.#baseBytes) / Math.max(1, loaded);
    return Math.max(1, Math.min(this.#footprint!, measured));
  }

  #residentBytes(): number {
    const now = performance.now();
    if (now - this.#resident.readAt >= RESIDENT_READ_MS) this.#resident = { bytes: process.memoryUsage.rss(), readAt: now };
    return this.#resident.bytes;
  }

  /** A replacement or extra worker failed to start: retry later, doubling the delay, then give up. */
  #startFailed(error: Error): void {
    if (this.#closed) return;
    this.#startFailures++;
    this.#options.onReplace?.(`${error.message} (failure ${this.#startFailures} of ${MAX_START_FAILURES})`);
    if (this.#startFailures >= MAX_START_FAILURES) {
      const fatal = new Error(`${error.message}; gave up after ${MAX_START_FAILURES} attempts`);
      for (const pending of this.#queue.splice(0)) {
        clearTimeout(pending.waitTimer);
        pending.reject(serviceUnavailable('the query engine cannot start its workers'));
      }
      this.#closed = true;
      this.#options.onFatal?.(fatal);
      return;
    }
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#ensureCapacity();
    }, FIRST_RETRY_MS * 2 ** (this.#startFailures - 1));
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.running) continue;
      const pending = this.#queue.shift();
      if (!pending) break;
      clearTimeout(pending.waitTimer);
      clearTimeout(slot.idleTimer);
      slot.running = pending;
      slot.runningSince = Date.now();
      const remaining = Math.max(1, this.#options.timeoutMs - (slot.runningSince - pending.enqueuedAt));
      slot.timer = setTimeout(() => this.#timeOut(slot), remaining);
      slot.worker.postMessage({ id: pending.id, ...pending.job } as WorkerMessage);
      this.#options.onDispatch?.(pending.job);
    }
    this.#ensureCapacity();
    this.#scheduleHeavyCheck();
  }

  /**
   * Looks at the capacity again when the next running query becomes heavy: one timer for the
   * whole pool rather than one per query (a light query finishes long before it fires).
   */
  #scheduleHeavyCheck(): void {
    if (this.#heavyCheck || this.#closed) return;
    const now = Date.now();
    const heavyAfterMs = this.heavyAfterMs;
    const notYetHeavy = this.#slots.filter((slot) => slot.running && now - slot.runningSince! < heavyAfterMs).map((slot) => slot.runningSince!);
    if (notYetHeavy.length === 0) return;
    this.#heavyCheck = setTimeout(() => {
      this.#heavyCheck = undefined;
      this.#ensureCapacity();
      this.#scheduleHeavyCheck();
    }, Math.min(...notYetHeavy) + heavyAfterMs - now);
    // Running queries keep the process alive, not this look at them.
    this.#heavyCheck.unref();
  }

  #finish(slot: Slot, reply: Exclude<WorkerReply, { type: 'ready' | 'footprint' }>): void {
    const pending = slot.running;
    if (!pending || pending.id !== reply.id) return;
    clearTimeout(slot.timer);
    slot.running = undefined;
    if (reply.type === 'result') pending.resolve(reply.body);
    else pending.reject(new HttpError(reply.status, reply.message));
    if (reply.type === 'error' && reply.fatal) {
      this.#replace(slot, 'the store failed inside the worker');
      return;
    }
    this.#dispatch();
    if (!slot.running) this.#stopWhenIdle(slot);
  }

  /** An extra worker that stays idle is stopped; `workers` and one idle spare are kept. */
  #stopWhenIdle(slot: Slot): void {
    const extra = () => this.#slots.length > this.#options.workers + 1 && this.#slots.filter((s) => s.ready && !s.running).length > 1;
    if (!extra()) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.running || !extra()) return;
      this.#remove(slot);
      void slot.worker.terminate();
    }, EXTRA_IDLE_MS);
    slot.idleTimer.unref();
  }

  #timeOut(slot: Slot): void {
    const seconds = this.#options.timeoutMs / 1000;
    this.#replace(slot, 'query timeout', serviceUnavailable(`the query did not finish within the timeout of ${seconds} s (KG_QUERY_TIMEOUT_MS) and was stopped`));
  }

  /** Terminates a worker (its query, if any, fails with `error`) and starts what the pool then lacks. */
  #replace(slot: Slot, reason: string, error?: Error): void {
    if (!this.#remove(slot)) return;
    clearTimeout(slot.timer);
    clearTimeout(slot.idleTimer);
    if (slot.running && error) slot.running.reject(error);
    slot.running = undefined;
    void slot.worker.terminate();
    if (this.#closed) return;
    this.#options.onReplace?.(reason);
    this.#ensureCapacity();
  }

  #remove(slot: Slot): boolean {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return false;
    this.#slots.splice(index, 1);
    return true;
  }

  /**
   * The client went away. A waiting query is dropped; a running one is stopped unless it ends
   * within a short grace (stopping costs a worker restart, which a light query is not worth).
   */
  #abandon(pending: Pending): void {
    if (!this.#slots.some((s) => s.running === pending)) {
      this.#dropQueued(pending);
      return;
    }
    setTimeout(() => {
      const slot = this.#slots.find((s) => s.running === pending);
      if (slot) this.#replace(slot, 'client went away', serviceUnavailable('the client went away'));
    }, ABANDON_GRACE_MS).unref();
  }

  #dropQueued(pending: Pending): void {
    clearTimeout(pending.waitTimer);
    const index = this.#queue.indexOf(pending);
    if (index >= 0) this.#queue.splice(index, 1);
  }
}
