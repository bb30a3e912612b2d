// Renders SPARQL JSON results as a plain-text table, IRIs shortened with the project's prefixes.

import { PREFIXES } from '../core/namespaces.ts';

interface JsonTerm {
  type: 'uri' | 'literal' | 'bnode' | 'triple';
  value: string | object;
  'xml:lang'?: string;
  datatype?: string;
}

interface JsonResults {
  head: { vars?: string[] };
  results?: { bindings: Array<Record<string, JsonTerm>> };
  boolean?: boolean;
}

/** A table of the solutions in `json` (SPARQL 1.1 Query Results JSON), or the ASK answer. */
export function renderTable(json: string, baseIri: string): string {
  const results = JSON.parse(json) as JsonResults;
  if (typeof results.boolean === 'boolean') return `${results.boolean}\n`;
  const vars = results.head.vars ?? [];
  const rows = (results.results?.bindings ?? []).map((binding) =>
    vars.map((name) => (binding[name] ? termText(binding[name], baseIri) : '')));
  const widths = vars.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const count = `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`;
  return [line(vars), rule, ...rows.map(line), count, ''].join('\n');
}

function termText(term: JsonTerm, baseIri: string): string {
  if (term.type === 'uri') return shortIri(String(term.value), baseIri);
  if (term.type === 'bnode') return `_:${term.value}`;
  if (term.type === 'triple') return '<< triple >>';
  const value = String(term.value);
  if (term['xml:lang']) return `${JSON.stringify(value)}@${term['xml:lang']}`;
  if (term.datatype && !term.datatype.endsWith('#string')) return `${value} (${shortIri(term.datatype, baseIri)})`;
  return value;
}

function shortIri(iri: string, baseIri: string): string {
  if (iri.startsWith(baseIri)) return `<${iri.slice(baseIri.length)}>`;
  for (const [prefix, namespace] of Object.entries(PREFIXES)) {
    if (iri.startsWith(namespace) && /^[\w-]*$/.test(iri.slice(namespace.length))) {
      return `${prefix}:${iri.slice(namespace.length)}`;
    }
  }
  return `<${iri}>`;
}
