// The embedded engine: Oxigraph in a pool of worker threads, each holding a copy of the dataset.

import type { DumpRequest, Engine, FederatedRequest, QueryRequest } from '../engine.ts';
import { QueryPool, type QueryPoolOptions } from './query-pool.ts';

export class EmbeddedEngine implements Engine {
  readonly #pool: QueryPool;

  private constructor(pool: QueryPool) {
    this.#pool = pool;
  }

  /** Starts the workers; resolves once all of them have loaded the dataset, rejects (and stops them) if one cannot. */
  static async start(options: QueryPoolOptions): Promise<EmbeddedEngine> {
    const pool = new QueryPool(options);
    try {
      await pool.start();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return new EmbeddedEngine(pool);
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

  close(): Promise<void> {
    return this.#pool.close();
  }
}
