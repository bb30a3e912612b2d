// The embedded engine: Oxigraph in a pool of worker threads, each holding a copy of the dataset.

import type { DumpRequest, Engine, FederatedRequest, QuadChange, QueryRequest } from '../engine.ts';
import type { GraphStore } from '../rdf/graph-store.ts';
import { serializeQuads } from '../rdf/quads.ts';
import { QueryPool, type QueryPoolOptions } from './query-pool.ts';
import { unpack, type PackedDataset, type UnpackedDataset } from './pool-dataset.ts';

export interface EmbeddedEngineOptions extends Omit<QueryPoolOptions, 'nquads' | 'partsFollow' | 'expectedSize'> {
  /**
   * The authoritative copy, if this thread keeps one: writes change it first, then every worker
   * follows. Without it the engine is read-only (a server without write tokens keeps no copy).
   */
  store?: GraphStore;
}

/** A dataset as the workers load it: N-Quads (GraphStore.dumpAll or its parts) and the quads they make. */
export interface DatasetDump {
  nquads: Uint8Array;
  size: number;
}

export class EmbeddedEngine implements Engine {
  readonly #pool: QueryPool;
  readonly #store: GraphStore | undefined;

  private constructor(pool: QueryPool, store: GraphStore | undefined) {
    this.#pool = pool;
    this.#store = store;
  }

  /**
   * Starts the workers on the whole dataset (by default a dump of `options.store`); resolves once
   * all of them have loaded it, rejects (and stops them) if one cannot.
   */
  static start(options: EmbeddedEngineOptions, dataset: DatasetDump = dumpOf(options.store)): Promise<EmbeddedEngine> {
    return EmbeddedEngine.#begin(options, dataset.nquads, dataset.size).ready;
  }

  /**
   * Starts the workers on a dataset the pool packed at an earlier start (see web/build-cache.ts),
   * which makes `size` quads; `ready` as for `start`.
   */
  static async startPacked(options: EmbeddedEngineOptions, packed: PackedDataset, size: number): Promise<EmbeddedEngine> {
    return EmbeddedEngine.#begin(options, await unpack(packed), size).ready;
  }

  /**
   * Starts the workers on the data's part of the dataset (`GraphStore.dumpAll` before the closure
   * and the union are made), so that they load it while the caller derives the rest; the rest
   * follows with `finishLoading`. `ready` as for `start`.
   */
  static begin(options: EmbeddedEngineOptions, dataPart: Uint8Array): { engine: EmbeddedEngine; ready: Promise<EmbeddedEngine> } {
    return EmbeddedEngine.#begin(options, dataPart, undefined);
  }

  /** `expectedSize` undefined: more parts follow, the last one tells the size. */
  static #begin(options: EmbeddedEngineOptions, nquads: Uint8Array | UnpackedDataset, expectedSize: number | undefined): { engine: EmbeddedEngine; ready: Promise<EmbeddedEngine> } {
    const { store, ...poolOptions } = options;
    const partsFollow = expectedSize === undefined;
    const pool = new QueryPool({ ...poolOptions, nquads, partsFollow, ...(partsFollow ? {} : { expectedSize }) });
    const engine = new EmbeddedEngine(pool, store);
    const ready = pool.start().then(() => engine, async (error: unknown) => {
      await pool.close();
      throw error;
    });
    return { engine, ready };
  }

  /** One more part of the dataset after `begin`'s, with more to follow. */
  continueLoading(part: Uint8Array): void {
    this.#pool.addPart(part, { last: false });
  }

  /** The rest of the dataset after `begin`'s part (`GraphStore.dumpGraph` of the closure's graph), and the quads the whole makes. */
  finishLoading(derived: DatasetDump): void {
    this.#pool.addPart(derived.nquads, { last: true, expectedSize: derived.size });
  }

  /** The graph is built and checked: the workers still loading may use the core the build took. */
  buildEnded(): void {
    this.#pool.buildEnded();
  }

  /** Queries waiting for a worker and queries running, and the workers there are. */
  get load(): { queued: number; running: number; workers: number } {
    return this.#pool.load;
  }

  query(request: QueryRequest, signal?: AbortSignal): Promise<string> {
    return this.#pool.execute({ kind: 'query', ...request }, signal);
  }

  federate(request: FederatedRequest, signal?: AbortSignal): Promise<string> {
    return this.#pool.execute({ kind: 'federated', ...request }, signal);
  }

  dump(request: DumpRequest, signal?: AbortSignal): Promise<string> {
    return this.#pool.execute({ kind: 'dump', ...request }, signal);
  }

  /** The store already holds `change`; the workers get it as N-Quads, and new workers a fresh dump when writes pile up. */
  publish(change: QuadChange): Promise<void> {
    if (!this.#store) return Promise.reject(new Error('this engine is read-only: it keeps no copy of the dataset to write to'));
    this.#pool.publish({ removed: serializeQuads(change.removed, 'nquads'), added: serializeQuads(change.added, 'nquads') });
    if (this.#pool.wantsRebase) this.#pool.rebase(this.#store.dumpAll());
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

function dumpOf(store: GraphStore | undefined): DatasetDump {
  if (!store) throw new Error('the engine needs a dataset: a store to dump, or its dump');
  return { nquads: store.dumpAll(), size: store.size };
}
