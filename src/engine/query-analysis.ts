// Tells what kind of SPARQL request a text is, so callers can pick a result format before running it.

import sparqljs from 'sparqljs';
import { serviceClausesOf, type ServiceClause } from './federation/service-clauses.ts';

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE' | 'UPDATE';

const UPDATE_KEYWORDS = /^(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)$/i;

/**
 * The form of `sparql`, or undefined when it cannot be told (the store then reports the syntax
 * error with its own message, which is the one users should see). sparqljs decides; for texts it
 * cannot parse but Oxigraph may (newer syntax), the first form keyword outside comments, IRIs
 * and strings decides.
 */
export function queryForm(sparql: string): QueryForm | undefined {
  return analyzeQuery(sparql).form;
}

/** What a request handler needs to know before running a query: its form and its SERVICE clauses, from one parse. */
export interface QueryAnalysis {
  form: QueryForm | undefined;
  /** [] when the query has none or does not parse (the store then reports the syntax error). */
  services: ServiceClause[];
}

export function analyzeQuery(sparql: string): QueryAnalysis {
  let parsed: ReturnType<sparqljs.SparqlParser['parse']>;
  try {
    parsed = new sparqljs.Parser({ sparqlStar: true }).parse(sparql);
  } catch {
    return { form: formByKeyword(sparql), services: [] };
  }
  return { form: parsed.type === 'update' ? 'UPDATE' : parsed.queryType, services: serviceClausesOf(parsed) };
}

function formByKeyword(sparql: string): QueryForm | undefined {
  const code = sparql
    .replace(/<[^<>\s]*>/g, ' ')
    .replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, ' ')
    .replace(/#[^\n]*/g, ' ');
  for (const word of code.split(/[^A-Za-z]+/)) {
    const upper = word.toUpperCase();
    if (upper === 'SELECT' || upper === 'ASK' || upper === 'CONSTRUCT' || upper === 'DESCRIBE') return upper;
    if (UPDATE_KEYWORDS.test(word)) return 'UPDATE';
  }
  return undefined;
}

/** True for the forms whose result is a graph rather than a table or a boolean. */
export function returnsGraph(form: QueryForm | undefined): boolean {
  return form === 'CONSTRUCT' || form === 'DESCRIBE';
}
