// SPARQL results read from a remote store (always asked for as SPARQL JSON) and written in the
// format the client asked for, so every store answers in the same, standard form. What Virtuoso
// does differently is undone here: blank nodes named `nodeID://…`, "typed-literal" terms, an ASK
// answered as a one-row table (`__ASK_RETVAL`), and `link` members in the head.

import type { ResultsSyntax } from '../../core/formats.ts';
import type { JsonRow, JsonTerm } from '../select-rows.ts';

export interface SelectResult {
  vars: string[];
  rows: JsonRow[];
}

export type TableResult = SelectResult | { boolean: boolean };

interface RawJson {
  head?: { vars?: string[] };
  boolean?: boolean;
  results?: { bindings?: Array<Record<string, RawTerm>> };
}

interface RawTerm {
  type: string;
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const XSD_BOOLEAN = 'http://www.w3.org/2001/XMLSchema#boolean';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

/** Reads a store's SPARQL JSON answer, in the standard's terms. */
export function readJsonResult(body: string, ask: boolean): TableResult {
  const raw = JSON.parse(body) as RawJson;
  if (typeof raw.boolean === 'boolean') return { boolean: raw.boolean };
  const vars = raw.head?.vars ?? [];
  const bindings = raw.results?.bindings ?? [];
  if (ask) {
    // Virtuoso answers an ASK as a table of one integer (1 or 0).
    const value = bindings[0]?.[vars[0] ?? '']?.value;
    return { boolean: value !== undefined && value !== '0' && value !== 'false' };
  }
  return { vars, rows: bindings.map((row) => normalizeRow(row)) };
}

function normalizeRow(row: Record<string, RawTerm>): JsonRow {
  const normalized: JsonRow = {};
  for (const [name, term] of Object.entries(row)) normalized[name] = normalizeTerm(term);
  return normalized;
}

export function normalizeTerm(term: RawTerm): JsonTerm {
  if (term.type === 'bnode') return { type: 'bnode', value: bnodeLabel(term.value) };
  if (term.type === 'uri') return { type: 'uri', value: term.value };
  const literal: JsonTerm = { type: 'literal', value: canonicalValue(term.value, term.datatype) };
  if (term['xml:lang']) literal['xml:lang'] = term['xml:lang'];
  else if (term.datatype && term.datatype !== XSD_STRING && term.datatype !== RDF_LANG_STRING) literal.datatype = term.datatype;
  return literal;
}

/** Virtuoso stores xsd:boolean as 0 and 1; the data said false and true, and so do we. */
export function canonicalValue(value: string, datatype: string | undefined): string {
  if (datatype === XSD_BOOLEAN) {
    if (value === '1') return 'true';
    if (value === '0') return 'false';
  }
  return value;
}

/** A blank node label as the standard's syntaxes allow it (Virtuoso writes `nodeID://b10000`). */
export function bnodeLabel(value: string): string {
  const label = value.replace(/^_:/, '').replace(/^nodeID:\/\//, '');
  return label.replace(/[^A-Za-z0-9_-]/g, '_') || 'b';
}

/** The result in one of the four results syntaxes. */
export function writeResult(result: TableResult, format: ResultsSyntax): string {
  switch (format) {
    case 'json':
      return writeJson(result);
    case 'xml':
      return writeXml(result);
    case 'csv':
      return writeCsv(result);
    case 'tsv':
      return writeTsv(result);
  }
}

export function rowCount(result: TableResult): number {
  return 'rows' in result ? result.rows.length : 1;
}

function writeJson(result: TableResult): string {
  if ('boolean' in result) return JSON.stringify({ head: {}, boolean: result.boolean });
  return JSON.stringify({ head: { vars: result.vars }, results: { bindings: result.rows } });
}

const escapeXml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function writeXml(result: TableResult): string {
  const out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">'];
  if ('boolean' in result) {
    out.push('<head></head>', `<boolean>${result.boolean}</boolean>`, '</sparql>');
    return out.join('');
  }
  out.push('<head>', ...result.vars.map((name) => `<variable name="${escapeXml(name)}"/>`), '</head><results>');
  for (const row of result.rows) {
    out.push('<result>');
    for (const [name, term] of Object.entries(row)) out.push(`<binding name="${escapeXml(name)}">${xmlTerm(term)}</binding>`);
    out.push('</result>');
  }
  out.push('</results></sparql>');
  return out.join('');
}

function xmlTerm(term: JsonTerm): string {
  if (term.type === 'uri') return `<uri>${escapeXml(term.value)}</uri>`;
  if (term.type === 'bnode') return `<bnode>${escapeXml(term.value)}</bnode>`;
  const lang = term['xml:lang'] ? ` xml:lang="${escapeXml(term['xml:lang'])}"` : '';
  const datatype = term.datatype ? ` datatype="${escapeXml(term.datatype)}"` : '';
  return `<literal${lang}${datatype}>${escapeXml(term.value)}</literal>`;
}

function writeCsv(result: TableResult): string {
  if ('boolean' in result) return `_askResult\r\n${result.boolean}\r\n`;
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [result.vars.map(field).join(',')];
  for (const row of result.rows) {
    lines.push(result.vars.map((name) => {
      const term = row[name];
      if (!term) return '';
      return field(term.type === 'bnode' ? `_:${term.value}` : term.value);
    }).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function writeTsv(result: TableResult): string {
  if ('boolean' in result) return `?_askResult\n${result.boolean}\n`;
  const lines = [result.vars.map((name) => `?${name}`).join('\t')];
  for (const row of result.rows) lines.push(result.vars.map((name) => (row[name] ? tsvTerm(row[name]) : '')).join('\t'));
  return `${lines.join('\n')}\n`;
}

const escapeLiteral = (text: string) => text.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);

/** A term in N-Triples syntax, as TSV results write it. */
export function tsvTerm(term: JsonTerm): string {
  if (term.type === 'uri') return `<${term.value}>`;
  if (term.type === 'bnode') return `_:${term.value}`;
  const text = `"${escapeLiteral(term.value)}"`;
  if (term['xml:lang']) return `${text}@${term['xml:lang']}`;
  return term.datatype ? `${text}^^<${term.datatype}>` : text;
}
