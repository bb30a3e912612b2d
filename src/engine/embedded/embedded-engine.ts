// The embedded engine: Oxigraph in a pool of worker threads, each holding a copy of the dataset.

import type { DumpRequest, Engine, FederatedRequest, QueryRequest } from '../engine.ts';
import { QueryPool, type QueryPoolOptions } from './query-pool.ts';

export class EmbeddedEngine implements Engine {
  readonly #pool: QueryPool;

  private constructor(pool: QueryPool) {
    this.#pool = pool;
  }

  /** Starts every worker; resolves once all of them have loaded the dataset. */
  static async start(options: QueryPoolOptions): Promise<EmbeddedEngine> {
    const pool = new QueryPool(options);
    await pool.start();
    return new EmbeddedEngine(pool);
  }

  /** Queries waiting for a worker and queries running. */
  get load(): { queued: number; running: number } {
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
