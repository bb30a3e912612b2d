// Tells what kind of SPARQL request a text is, so callers can pick a result format before running it.

import sparqljs from 'sparqljs';

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE' | 'UPDATE';

const UPDATE_KEYWORDS = /^(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)$/i;

/**
 * The form of `sparql`, or undefined when it cannot be told (the store then reports the syntax
 * error with its own message, which is the one users should see). sparqljs decides; for texts it
 * cannot parse but Oxigraph may (newer syntax), the first form keyword outside comments, IRIs
 * and strings decides.
 */
export function queryForm(sparql: string): QueryForm | undefined {
  try {
    const parsed = new sparqljs.Parser({ sparqlStar: true }).parse(sparql);
    return parsed.type === 'update' ? 'UPDATE' : parsed.queryType;
  } catch {
    return formByKeyword(sparql);
  }
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
