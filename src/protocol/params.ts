// The one reader of request parameters, with the strict rules of the SPARQL 1.1 Protocol for every
// route alike: a single-valued parameter is given at most (or exactly) once, never in both the
// URL and the body (https://www.w3.org/TR/sparql11-protocol/#query-operation).

import { badRequest } from '../core/errors.ts';

/** Parameters of a URL's query string, repeated ones kept: `/x?a=1&a=2` has two values for a. */
export function urlParams(pathAndQuery: string): URLSearchParams {
  const queryStart = pathAndQuery.indexOf('?');
  return new URLSearchParams(queryStart < 0 ? '' : pathAndQuery.slice(queryStart + 1));
}

/** The value of a parameter that must be given exactly once. */
export function exactlyOne(values: string[], name: string): string {
  if (values.length === 0) throw badRequest(`missing the ${name} parameter`);
  if (values.length > 1) throw badRequest(`the ${name} parameter must be given exactly once, not ${values.length} times`);
  return values[0]!;
}

/** The value of a parameter that may be given once, or undefined. */
export function atMostOne(values: string[], name: string): string | undefined {
  if (values.length > 1) throw badRequest(`the ${name} parameter must be given at most once, not ${values.length} times`);
  return values[0];
}

/** The `format` parameter (an alias such as `ttl` or `json`), at most once. */
export function formatParam(url: URLSearchParams): string | undefined {
  return atMostOne(url.getAll('format'), 'format');
}
