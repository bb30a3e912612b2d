// Finds the SERVICE clauses of a parsed query, so that federated queries go to Comunica and
// every endpoint they name can be checked against the allow-list before anything is sent.

import { badRequest } from '../../core/errors.ts';

export interface ServiceClause {
  endpoint: string;
  silent: boolean;
}

/** The SERVICE clauses of a query parsed by sparqljs (see analyzeQuery). */
export function serviceClausesOf(parsed: unknown): ServiceClause[] {
  const clauses: ServiceClause[] = [];
  visit(parsed, (node) => {
    if (node.type !== 'service') return;
    const name = node.name as { termType?: string; value?: string };
    if (name.termType !== 'NamedNode') throw badRequest('SERVICE with a variable endpoint is not supported: name the endpoint');
    clauses.push({ endpoint: name.value!, silent: Boolean(node.silent) });
  });
  return clauses;
}

function visit(value: unknown, onNode: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, onNode);
  } else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.type === 'string') onNode(node);
    for (const child of Object.values(node)) visit(child, onNode);
  }
}
