// The load generator of the bench: autocannon, in this process, against a server in another. A
// short warm-up first (JIT, connection pools, caches of the peers), then the measured run.
// Latencies are taken from autocannon's per-response event, in fractions of a millisecond (its
// own histogram keeps whole milliseconds, too coarse for sub-millisecond queries).

import autocannon from 'autocannon';

export interface Load {
  /** Requests answered per second over the measured run. */
  perSecond: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** Answers with a status other than 2xx, and connection errors or timeouts. */
  failed: number;
}

export interface LoadOptions {
  connections: number;
  durationMs: number;
  /** Send exactly this many requests instead (each waited for: none is cut at the end of a cell). */
  amount?: number;
  warmupMs?: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
}

/** A system just started is not at its steady state yet: this loads it for `totalMs`, spread over `targets`, unmeasured. */
export async function warmUp(targets: Array<{ url: string; headers: Record<string, string> }>, totalMs: number, connections = 10): Promise<void> {
  const each = Math.max(100, totalMs / targets.length);
  for (const { url, headers } of targets) await run(url, { connections, durationMs: each, headers });
}

/**
 * One request per connection, every answer waited for: for a query too slow for a cell, which
 * would cut it short and leave its work running into the next cell.
 */
export function oncePerConnection(url: string, connections: number, headers: Record<string, string>): Promise<Load> {
  return run(url, { connections, durationMs: 0, amount: connections, headers });
}

export async function hammer(url: string, options: LoadOptions): Promise<Load> {
  if (options.warmupMs) await run(url, { ...options, durationMs: options.warmupMs });
  return run(url, options);
}

function run(url: string, options: LoadOptions): Promise<Load> {
  const latencies: number[] = [];
  const started = performance.now();
  let lastAnswerAt = started;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      connections: options.connections,
      ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationMs / 1000 }),
      headers: options.headers ?? {},
      method: options.method ?? 'GET',
      ...(options.body !== undefined ? { body: options.body } : {}),
      // A slow query is measured, not cut: a peer that needs longer shows it in its latency.
      timeout: 120,
    }, (error, result) => {
      if (error) return reject(error);
      const sorted = latencies.sort((a, b) => a - b);
      const at = (q: number) => sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      // With a fixed number of requests, autocannon's own duration is whole seconds, and so is the
      // time until it calls back (ten answers of 20 ms took it 1,009 ms): the run lasts until
      // the last answer, or, with no answer at all (only errors), until the callback.
      const endedAt = lastAnswerAt > started ? lastAnswerAt : performance.now();
      const seconds = options.amount !== undefined ? (endedAt - started) / 1000 : result.duration;
      resolve({
        perSecond: sorted.length / seconds,
        p50: at(0.5),
        p99: at(0.99),
        failed: result.non2xx + result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      lastAnswerAt = performance.now();
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}
