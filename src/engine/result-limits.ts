// Keeps results within their limits while they are computed: the query is given a top-level
// LIMIT of one row more than allowed (so the store stops there and memory stays bounded), and the
// answer is refused with 503 when that extra row came, or when its text is over the byte limit.

import { HttpError, serviceUnavailable } from '../core/errors.ts';
import type { ResultsFormat, ResultsSyntax } from '../core/formats.ts';
import { analyzeQuery, moreSolutionsProbe, withLimit, withSolutionMarker } from './query-analysis.ts';
import { countRows } from './result-rows.ts';
import { RecentlyUsed } from '../core/recently-used.ts';

export interface ResultLimits {
  maxResultRows?: number;
  maxResultBytes: number;
}

/** How a query runs within the row limit, from one analysis of its text. */
export interface BoundedQuery {
  /** The query with a top-level LIMIT of `maxResultRows + 1`, or as it was when it needs none. */
  query: string;
  /**
   * For a CONSTRUCT or DESCRIBE whose LIMIT was added or lowered: a SELECT that has a solution
   * exactly when the query has more solutions than allowed (its triples alone cannot tell, since
   * several solutions may build the same triple).
   */
  probe?: string;
  /**
   * For a CONSTRUCT that needs the probe: the bounded query rewritten to count its own solutions
   * instead. Its answer holds one SOLUTION_MARKER triple per solution, to be counted and removed.
   */
  marked?: string;
}

/** The predicate of the triple each solution adds to a marked CONSTRUCT (see BoundedQuery.marked). */
export const SOLUTION_MARKER = 'urn:x-diplomacy-kg:solution';

/**
 * Bounded queries of the texts seen last, by row limit: a worker gets every query as a new
 * string, and rewriting it again for each request cost 4% of a worker's time on a CONSTRUCT.
 */
const recentBounds = new Map<number, RecentlyUsed<BoundedQuery>>();

export function boundedQuery(query: string, limits: ResultLimits): BoundedQuery {
  const max = limits.maxResultRows;
  if (max === undefined) return { query };
  let recent = recentBounds.get(max);
  if (!recent) recentBounds.set(max, recent = new RecentlyUsed<BoundedQuery>(1000));
  return recent.get(query, () => Object.freeze(bound(query, max)));
}

function bound(query: string, max: number): BoundedQuery {
  const analysis = analyzeQuery(query);
  if (analysis.form === undefined || analysis.form === 'ASK' || analysis.form === 'UPDATE') return { query };
  const bounded = withLimit(query, analysis, max + 1);
  const graph = analysis.form === 'CONSTRUCT' || analysis.form === 'DESCRIBE';
  const probe = graph && bounded !== query ? moreSolutionsProbe(query, analysis, max) : undefined;
  if (!probe) return { query: bounded };
  const marked = withSolutionMarker(bounded, analyzeQuery(bounded), SOLUTION_MARKER);
  return { query: bounded, probe, ...(marked ? { marked } : {}) };
}

export function tooManyRows(maxResultRows: number): HttpError {
  return serviceUnavailable(`the result has more than ${maxResultRows} rows or triples (KG_MAX_RESULT_ROWS); add a LIMIT or narrow the query`);
}

export function tooManyBytes(maxResultBytes: number): HttpError {
  return serviceUnavailable(`the result is larger than the limit of ${maxResultBytes} bytes (KG_MAX_RESULT_BYTES); add a LIMIT or narrow the query`);
}

/** Throws 503 when a serialized table has more rows than allowed. */
export function checkRows(body: string, format: ResultsFormat, limits: ResultLimits): void {
  if (limits.maxResultRows === undefined || !['json', 'xml', 'csv', 'tsv'].includes(format)) return;
  if (countRows(body, format as ResultsSyntax, limits.maxResultRows) > limits.maxResultRows) throw tooManyRows(limits.maxResultRows);
}

/** Throws 503 when a serialized answer is over the byte limit. */
export function checkBytes(body: string, limits: ResultLimits): void {
  if (body.length > limits.maxResultBytes || Buffer.byteLength(body) > limits.maxResultBytes) throw tooManyBytes(limits.maxResultBytes);
}
