// Tells what a SPARQL text is before it runs, in one linear pass over its tokens: its form (to
// pick a result format), its nesting depth (to refuse what would exhaust a parser's stack), its
// SERVICE endpoints (to check them against the allow-list), and where a top-level LIMIT goes.
// It never parses the grammar: the cost of a full parser grows faster than the length of a
// hostile query, and this runs on the main thread for every request. Syntax errors are left to
// the store, whose messages users should see.

import { badRequest } from '../core/errors.ts';
import { RecentlyUsed } from '../core/recently-used.ts';

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE' | 'UPDATE';

export interface ServiceClause {
  endpoint: string;
  silent: boolean;
}

export interface QueryAnalysis {
  form: QueryForm | undefined;
  /** The deepest nesting of { }, ( ) and [ ] together. */
  depth: number;
  services: ServiceClause[];
  /** The top-level LIMIT and OFFSET, where they stand (to change them) and their values. */
  limit?: Modifier;
  offset?: Modifier;
  /** Where a top-level LIMIT or OFFSET can be added: before a top-level VALUES block, or at the end. */
  modifiersAt: number;
  /**
   * For CONSTRUCT and DESCRIBE: the text from the form keyword to where the WHERE clause starts
   * (the template, or the described terms), which `SELECT *` can stand in for.
   */
  head?: { start: number; end: number };
  /**
   * For CONSTRUCT: the text inside its template's braces. For CONSTRUCT WHERE, whose pattern is
   * its template too (SPARQL 1.1, section 16.2.4), the text inside its pattern's braces, `short`.
   */
  template?: { start: number; end: number; short: boolean };
}

export interface Modifier {
  value: number;
  start: number;
  end: number;
}

const FORMS = new Set(['SELECT', 'ASK', 'CONSTRUCT', 'DESCRIBE']);
const UPDATE_KEYWORDS = new Set(['INSERT', 'DELETE', 'LOAD', 'CLEAR', 'CREATE', 'DROP', 'COPY', 'MOVE', 'ADD', 'WITH']);
const OPENERS = new Set(['{', '(', '[']);
const CLOSERS = new Set(['}', ')', ']']);
/** Characters an IRIREF cannot hold (SPARQL 1.1 grammar, rule IRIREF), besides controls and space. */
const NOT_IN_IRI = new Set(['<', '>', '"', '{', '}', '|', '^', '`']);

type TokenType = 'iri' | 'pname' | 'word' | 'var' | 'string' | 'number' | 'punct';

interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
  /** Nesting depth before the token. */
  depth: number;
}

/** The form of `sparql`, or undefined when it has none of the form keywords. */
export function queryForm(sparql: string): QueryForm | undefined {
  return analyzeQuery(sparql).form;
}

/** True for the forms whose result is a graph rather than a table or a boolean. */
export function returnsGraph(form: QueryForm | undefined): boolean {
  return form === 'CONSTRUCT' || form === 'DESCRIBE';
}

/**
 * Analyzes `sparql` in time linear in its length. A SERVICE with a variable endpoint is a 400;
 * a SERVICE IRI that cannot be resolved is reported as written (the allow-list then refuses it).
 */
export function analyzeQuery(sparql: string): QueryAnalysis {
  return recentAnalyses.get(sparql, () => analyze(sparql));
}

/** Analyses of the texts seen last, as applications send the same queries again and again. */
const recentAnalyses = new RecentlyUsed<QueryAnalysis>(1000);

function analyze(sparql: string): QueryAnalysis {
  const tokens = tokenize(sparql);
  const prefixes = new Map<string, string>();
  let base: string | undefined;
  let form: QueryForm | undefined;
  const services: ServiceClause[] = [];
  const modifiers: { limit?: Modifier; offset?: Modifier } = {};
  let modifiersAt = sparql.length;
  let head: { start: number; end: number } | undefined;
  let template: QueryAnalysis['template'];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    depth = Math.max(depth, token.depth + (OPENERS.has(token.text) ? 1 : 0));
    if (token.type !== 'word') continue;
    const word = token.text.toUpperCase();
    if (!form && word === 'BASE' && tokens[i + 1]?.type === 'iri') base = iriOf(tokens[i + 1]!, base);
    if (!form && word === 'PREFIX' && tokens[i + 1]?.type === 'pname' && tokens[i + 2]?.type === 'iri') {
      prefixes.set(tokens[i + 1]!.text, iriOf(tokens[i + 2]!, base));
    }
    if (!form && FORMS.has(word)) {
      form = word as QueryForm;
      if (form === 'CONSTRUCT' || form === 'DESCRIBE') head = headOf(tokens, i);
      if (form === 'CONSTRUCT') template = templateOf(tokens, i);
    }
    if (!form && UPDATE_KEYWORDS.has(word)) form = 'UPDATE';
    if (word === 'SERVICE') services.push(serviceAt(tokens, i, prefixes, base));
    if (token.depth === 0 && form && form !== 'UPDATE') {
      const next = tokens[i + 1];
      if ((word === 'LIMIT' || word === 'OFFSET') && next?.type === 'number') {
        modifiers[word === 'LIMIT' ? 'limit' : 'offset'] = { value: Number(next.text), start: next.start, end: next.end };
      }
      if (word === 'VALUES') modifiersAt = token.start;
    }
  }
  // Frozen: one analysis is shared by every caller of the same text.
  return Object.freeze({ form, depth, services: Object.freeze(services) as ServiceClause[], modifiersAt, ...modifiers, ...(head ? { head } : {}), ...(template ? { template } : {}) });
}

/** The inside of a CONSTRUCT's template, or of the pattern of a CONSTRUCT WHERE. */
function templateOf(tokens: Token[], formIndex: number): QueryAnalysis['template'] {
  let i = formIndex + 1;
  const short = tokens[i]?.text !== '{';
  if (short) {
    // Past the dataset clauses to the WHERE keyword, which the short form requires.
    while (i < tokens.length && !(tokens[i]!.type === 'word' && tokens[i]!.text.toUpperCase() === 'WHERE')) i++;
    i++;
  }
  const open = tokens[i];
  if (open?.text !== '{') return undefined;
  const close = closingBrace(tokens, i);
  return close === undefined ? undefined : { start: open.end, end: tokens[close]!.start, short };
}

/** The index of the `}` closing the `{` at `openIndex`: a closing bracket is recorded at the depth it returns to. */
function closingBrace(tokens: Token[], openIndex: number): number | undefined {
  const depth = tokens[openIndex]!.depth;
  for (let i = openIndex + 1; i < tokens.length; i++) {
    if (tokens[i]!.text === '}' && tokens[i]!.depth === depth) return i;
  }
  return undefined;
}

/** For CONSTRUCT: the keyword and its template; for DESCRIBE: the keyword and the described terms. */
function headOf(tokens: Token[], formIndex: number): { start: number; end: number } | undefined {
  const start = tokens[formIndex]!.start;
  let i = formIndex + 1;
  if (tokens[formIndex]!.text.toUpperCase() === 'CONSTRUCT' && tokens[i]?.text === '{') {
    const close = closingBrace(tokens, i);
    return close === undefined ? undefined : { start, end: tokens[close]!.end };
  }
  // Up to WHERE, the WHERE clause's group, or a dataset clause (FROM).
  for (; i < tokens.length; i++) {
    const word = tokens[i]!.type === 'word' ? tokens[i]!.text.toUpperCase() : '';
    if (word === 'WHERE' || word === 'FROM' || tokens[i]!.text === '{') return { start, end: tokens[i]!.start };
  }
  return undefined;
}

/**
 * `sparql` with its top-level LIMIT at most `max`: lowered when larger, added when missing.
 * Only for SELECT, CONSTRUCT and DESCRIBE queries analyzed by analyzeQuery.
 */
export function withLimit(sparql: string, analysis: QueryAnalysis, max: number): string {
  if (analysis.limit) {
    if (analysis.limit.value <= max) return sparql;
    return edit(sparql, [{ ...analysis.limit, text: String(max) }]);
  }
  return edit(sparql, [{ start: analysis.modifiersAt, end: analysis.modifiersAt, text: `\nLIMIT ${max}\n` }]);
}

/**
 * A SELECT that has a solution exactly when the CONSTRUCT or DESCRIBE `sparql` has more than
 * `max` solutions (within its own LIMIT and OFFSET): its WHERE clause, with LIMIT 1 and the
 * OFFSET moved `max` further. Undefined when the query has no WHERE clause to count.
 */
export function moreSolutionsProbe(sparql: string, analysis: QueryAnalysis, max: number): string | undefined {
  if (!analysis.head) return undefined;
  const offset = (analysis.offset?.value ?? 0) + max;
  const edits = [{ ...analysis.head, text: 'SELECT * ' }];
  edits.push(analysis.limit ? { ...analysis.limit, text: '1' } : { start: analysis.modifiersAt, end: analysis.modifiersAt, text: '\nLIMIT 1\n' });
  edits.push(analysis.offset ? { ...analysis.offset, text: String(offset) } : { start: analysis.modifiersAt, end: analysis.modifiersAt, text: `\nOFFSET ${offset}\n` });
  return edit(sparql, edits);
}

/**
 * For a CONSTRUCT: the query with one more template triple, `_:m <marker> true`, which every
 * solution makes with a blank node of its own, so that counting those triples counts the
 * solutions (one query instead of the query and a probe). A CONSTRUCT WHERE is written out as
 * `CONSTRUCT { T } WHERE { T }` first, which the standard defines it to be. The triple goes first
 * in the template: it needs no dot from the triple before it, and no comment can swallow it.
 * Undefined for DESCRIBE, which has no template.
 */
export function withSolutionMarker(sparql: string, analysis: QueryAnalysis, marker: string): string | undefined {
  const { form, head, template } = analysis;
  if (form !== 'CONSTRUCT' || !head || !template) return undefined;
  const markerTriple = `_:kgSolutionMarker <${marker}> true .`;
  if (!template.short) return edit(sparql, [{ start: template.start, end: template.start, text: ` ${markerTriple}` }]);
  const afterKeyword = head.start + 'CONSTRUCT'.length;
  const written = `{ ${markerTriple}${sparql.slice(template.start, template.end)}\n} `;
  return edit(sparql, [{ start: afterKeyword, end: afterKeyword, text: ` ${written}` }]);
}

/** Applies replacements of [start, end) spans, which must not overlap. */
function edit(text: string, edits: Array<{ start: number; end: number; text: string }>): string {
  let out = text;
  for (const change of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = `${out.slice(0, change.start)}${change.text}${out.slice(change.end)}`;
  }
  return out;
}

function serviceAt(tokens: Token[], i: number, prefixes: Map<string, string>, base: string | undefined): ServiceClause {
  let next = tokens[i + 1];
  const silent = next?.type === 'word' && next.text.toUpperCase() === 'SILENT';
  if (silent) next = tokens[i + 2];
  if (next?.type === 'var') throw badRequest('SERVICE with a variable endpoint is not supported: name the endpoint');
  if (next?.type === 'iri') return { endpoint: iriOf(next, base), silent };
  if (next?.type === 'pname') {
    const colon = next.text.indexOf(':');
    const namespace = prefixes.get(next.text.slice(0, colon + 1));
    return { endpoint: namespace !== undefined ? namespace + decodeEscapes(next.text.slice(colon + 1)) : next.text, silent };
  }
  return { endpoint: next?.text ?? '', silent };
}

/** The IRI of an IRIREF token: escapes decoded, resolved against BASE when relative. */
function iriOf(token: Token, base: string | undefined): string {
  const iri = decodeEscapes(token.text.slice(1, -1));
  if (!base || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri)) return iri;
  try {
    return new URL(iri, base).href;
  } catch {
    return iri;
  }
}

/** Decodes \uXXXX and \UXXXXXXXX code point escapes (and leaves anything else as written). */
function decodeEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})/g, (whole, short?: string, long?: string) => {
    const code = parseInt((short ?? long)!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Splits `text` into tokens with their nesting depth, in one pass; never throws. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  const push = (type: TokenType, start: number, end: number) => {
    tokens.push({ type, text: text.slice(start, end), start, end, depth });
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '#') {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline + 1;
    } else if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      push('string', i, end);
      i = end;
    } else if (c === '<') {
      const end = iriEnd(text, i);
      push(end > 0 ? 'iri' : 'punct', i, end > 0 ? end : i + 1);
      i = end > 0 ? end : i + 1;
    } else if ((c === '?' || c === '$') && isNameChar(text.charCodeAt(i + 1))) {
      const end = nameEnd(text, i + 1);
      push('var', i, end);
      i = end;
    } else if (isDigit(text.charCodeAt(i))) {
      let end = i;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      push('number', i, end);
      i = end;
    } else if (isNameChar(text.charCodeAt(i)) || c === ':') {
      const end = nameEnd(text, i);
      push(text.slice(i, end).includes(':') ? 'pname' : 'word', i, end);
      i = end;
    } else {
      if (CLOSERS.has(c)) depth = Math.max(0, depth - 1);
      push('punct', i, i + 1);
      if (OPENERS.has(c)) depth++;
      i++;
    }
  }
  return tokens;
}

/** The end of the string literal starting at `start` (short or long form, with escapes). */
function stringEnd(text: string, start: number): number {
  const quote = text[start]!;
  const long = text.startsWith(quote.repeat(3), start);
  let i = start + (long ? 3 : 1);
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
    } else if (long ? text.startsWith(quote.repeat(3), i) : c === quote) {
      return i + (long ? 3 : 1);
    } else if (!long && (c === '\n' || c === '\r')) {
      return i;
    } else {
      i++;
    }
  }
  return text.length;
}

/** The end of an IRIREF starting at `start`, or -1 when the `<` is an operator. */
function iriEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '>') return i + 1;
    if (text.charCodeAt(i) <= 0x20 || NOT_IN_IRI.has(c)) return -1;
  }
  return -1;
}

/** Letters, digits, and the characters of prefixed names and variables (`_ - . :` and non-ASCII). */
function isNameChar(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || isDigit(code) || code === 0x5f || code > 0x7f;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function nameEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) i += 2; // PN_LOCAL_ESC: a backslash and the character it escapes
    else if (isNameChar(code) || code === 0x3a || code === 0x2d || (code === 0x2e && isNameChar(text.charCodeAt(i + 1)))) i++;
    else break;
  }
  return i;
}
