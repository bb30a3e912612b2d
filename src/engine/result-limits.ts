// Keeps results within their limits while they are computed: the query is given a top-level
// LIMIT of one row more than allowed (so the store stops there and memory stays bounded), and the
// answer is refused with 503 when that extra row came, or when its text is over the byte limit.

import { HttpError, serviceUnavailable } from '../core/errors.ts';
import type { ResultsFormat, ResultsSyntax } from '../core/formats.ts';
import { analyzeQuery, moreSolutionsProbe, withLimit, withSolutionMarker } from './query-analysis.ts';
import { countRows } from './result-rows.ts';

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
}

export function boundedQuery(query: string, limits: ResultLimits): BoundedQuery {
  if (limits.maxResultRows === undefined) return { query };
  const analysis = analyzeQuery(query);
  if (analysis.form === undefined || analysis.form === 'ASK' || analysis.form === 'UPDATE') return { query };
  const bounded = withLimit(query, analysis, limits.maxResultRows + 1);
  const graph = analysis.form === 'CONSTRUCT' || analysis.form === 'DESCRIBE';
  const probe = graph && bounded !== query ? moreSolutionsProbe(query, analysis, limits.maxResultRows) : undefined;
  return { query: bounded, ...(probe ? { probe } : {}) };
}

/** The predicate of the triple each solution adds to a marked CONSTRUCT (see markSolutions). */
export const SOLUTION_MARKER = 'urn:x-diplomacy-kg:solution';

/**
 * A bounded CONSTRUCT that needs a probe, rewritten to count its own solutions instead: the
 * answer then holds one SOLUTION_MARKER triple per solution, to be counted and removed. Undefined
 * when the probe stays (DESCRIBE, CONSTRUCT WHERE) or none is needed.
 */
export function markSolutions(bounded: BoundedQuery): string | undefined {
  if (!bounded.probe) return undefined;
  return withSolutionMarker(bounded.query, analyzeQuery(bounded.query), SOLUTION_MARKER);
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
