// The embedded engine: Oxigraph in a pool of worker threads, each holding a copy of the dataset.

import type { DumpRequest, Engine, FederatedRequest, QuadChange, QueryRequest } from '../engine.ts';
import type { GraphStore } from '../rdf/graph-store.ts';
import { serializeQuads } from '../rdf/quads.ts';
import { QueryPool, type QueryPoolOptions } from './query-pool.ts';

export interface EmbeddedEngineOptions extends Omit<QueryPoolOptions, 'nquads' | 'partsFollow' | 'expectedSize'> {
  /** The authoritative copy: writes change it first, then every worker follows. */
  store: GraphStore;
}

export class EmbeddedEngine implements Engine {
  readonly #pool: QueryPool;
  readonly #store: GraphStore;

  private constructor(pool: QueryPool, store: GraphStore) {
    this.#pool = pool;
    this.#store = store;
  }

  /** Starts the workers; resolves once all of them have loaded the dataset, rejects (and stops them) if one cannot. */
  static start(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
    return EmbeddedEngine.#begin(options, options.store.dumpAll(), false).ready;
  }

  /**
   * Starts the workers on the data's part of the dataset (`GraphStore.dumpAll` before the closure
   * and the union are made), so that they load it while the caller derives the rest; the rest
   * follows with `finishLoading`. `ready` as for `start`.
   */
  static begin(options: EmbeddedEngineOptions, dataPart: Uint8Array): { engine: EmbeddedEngine; ready: Promise<EmbeddedEngine> } {
    return EmbeddedEngine.#begin(options, dataPart, true);
  }

  static #begin(options: EmbeddedEngineOptions, nquads: Uint8Array, partsFollow: boolean): { engine: EmbeddedEngine; ready: Promise<EmbeddedEngine> } {
    const { store, ...poolOptions } = options;
    const pool = new QueryPool({ ...poolOptions, nquads, partsFollow, ...(partsFollow ? {} : { expectedSize: store.size }) });
    const engine = new EmbeddedEngine(pool, store);
    const ready = pool.start().then(() => engine, async (error: unknown) => {
      await pool.close();
      throw error;
    });
    return { engine, ready };
  }

  /** The rest of the dataset after `begin`'s part: `GraphStore.dumpDerived` of the store as it now stands. */
  finishLoading(derivedPart: Uint8Array): void {
    this.#pool.addPart(derivedPart, { last: true, expectedSize: this.#store.size });
  }

  /** The authoritative copy of the dataset, in this thread: what writes read and change. */
  get store(): GraphStore {
    return this.#store;
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
    this.#pool.publish({ removed: serializeQuads(change.removed, 'nquads'), added: serializeQuads(change.added, 'nquads') });
    if (this.#pool.wantsRebase) this.#pool.rebase(this.#store.dumpAll());
    return Promise.resolve();
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
