// Every saved query at 10 connections against every system, side by side in one run: our server,
// the ceiling (node:http + oxigraph in one thread), Virtuoso and Comunica's endpoint, all loaded
// with our own export of data/. Goals (issue "speed and scale"): ours ≥ 2x Virtuoso, ≥ 20x
// Comunica, ≥ 0.7x the ceiling, on every query.

import type { SavedQuery } from '../src/dataset/saved-queries.ts';
import { queryForm } from '../src/engine/query-analysis.ts';
import { hammer, oncePerConnection, warmUp, type Load } from './load.ts';
import type { System } from './systems.ts';

export interface QueryLoad {
  query: string;
  /** By system name. */
  loads: Record<string, Load>;
  /** Bytes of one answer, by system name: systems that disagree in size are worth a look. */
  bytes: Record<string, number>;
}

export interface ThroughputOptions {
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Load over all the queries once a system has started, before its first cell (not for slow systems). */
  systemWarmupMs: number;
  onCell?: (system: string, row: QueryLoad) => void;
}

/** What a query's answer is asked for in: SPARQL JSON for tables and booleans, N-Triples for graphs. */
export function acceptFor(query: string): string {
  const form = queryForm(query);
  return form === 'CONSTRUCT' || form === 'DESCRIBE' ? 'application/n-triples' : 'application/sparql-results+json';
}

/**
 * One system after another, each started just before it is measured over every query and
 * stopped after: a system that falls behind keeps working through its backlog after its cell
 * ends, and an idle peer may still use CPU (Comunica's cluster does), so no other system runs
 * while one is measured.
 */
export async function measureQueries(queries: SavedQuery[], starts: Array<() => Promise<System>>, slow: Set<string>, options: ThroughputOptions): Promise<QueryLoad[]> {
  const rows: QueryLoad[] = queries.map((saved) => ({ query: saved.name, loads: {}, bytes: {} }));
  for (const start of starts) {
    const system = await start();
    try {
      const targets = queries.map((saved) => ({ url: `${system.sparqlUrl}?query=${encodeURIComponent(saved.query)}`, headers: { accept: acceptFor(saved.query) } }));
      // Measured from cold, the first query in the table paid for each system's warm-up (see SYSTEM_WARMUP_MS
      // in run.ts). A slow system is not warmed: it would still be working through that load in its first cell.
      if (!slow.has(system.name)) await warmUp(targets, options.systemWarmupMs, options.connections);
      for (const [i, saved] of queries.entries()) {
        const { url, headers } = targets[i]!;
        const answer = await fetch(url, { headers });
        if (!answer.ok) throw new Error(`${system.name} answered ${answer.status} to ${saved.name}: ${await answer.text()}`);
        rows[i]!.bytes[system.name] = (await answer.arrayBuffer()).byteLength;
        // A slow system (Comunica) gets one request per connection, each waited for, instead of a
        // cell: at 10 connections it took seconds a query, and a cell of 5 s counted none of the
        // answers still being computed at its end, which then ran on into the next cell.
        rows[i]!.loads[system.name] = slow.has(system.name)
          ? await oncePerConnection(url, options.connections, headers)
          : await hammer(url, { connections: options.connections, durationMs: options.durationMs, warmupMs: options.warmupMs, headers });
        options.onCell?.(system.name, rows[i]!);
      }
    } finally {
      await system.stop();
    }
  }
  return rows;
}
