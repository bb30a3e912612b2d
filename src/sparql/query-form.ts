// Tells what kind of SPARQL request a text is, so callers can pick a result format before running it.

import sparqljs from 'sparqljs';

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE' | 'UPDATE';

/**
 * The form of `sparql`, or undefined when it does not parse (the store then reports the
 * syntax error with its own message, which is the one users should see).
 */
export function queryForm(sparql: string): QueryForm | undefined {
  try {
    const parsed = new sparqljs.Parser({ sparqlStar: true }).parse(sparql);
    return parsed.type === 'update' ? 'UPDATE' : parsed.queryType;
  } catch {
    return undefined;
  }
}

/** True for the forms whose result is a graph rather than a table or a boolean. */
export function returnsGraph(form: QueryForm | undefined): boolean {
  return form === 'CONSTRUCT' || form === 'DESCRIBE';
}
