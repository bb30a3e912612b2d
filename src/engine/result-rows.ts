// Counts the solutions in a serialized SPARQL result without parsing it, so that a result over
// the row limit can be refused. Each counter reads the text once and knows its format's escaping.

import type { ResultsSyntax } from '../core/formats.ts';

/** The number of solutions in `body`, or a lower bound of it that is exact up to `atMost`. */
export function countRows(body: string, format: ResultsSyntax, atMost: number): number {
  // Every solution takes at least two characters ("{}," or a line break): a short text cannot
  // hold more than `atMost` of them, and most results are short.
  if (body.length < 2 * (atMost + 1)) return 0;
  switch (format) {
    case 'json':
      return countJsonBindings(body);
    case 'xml':
      return occurrences(body, '<result>') + occurrences(body, '<result/>');
    case 'tsv':
      return Math.max(0, occurrences(body, '\n') - 1);
    case 'csv':
      return countCsvRecords(body) - 1;
  }
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
  return count;
}

/** Objects directly inside the `bindings` array; strings (with escapes) are skipped. */
function countJsonBindings(json: string): number {
  const start = json.indexOf('"bindings":[');
  if (start < 0) return 0;
  let count = 0;
  let depth = 0;
  for (let i = start + '"bindings":['.length; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) { // a string: skip to its closing quote
      for (i++; i < json.length && json.charCodeAt(i) !== 0x22; i++) if (json.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) { // { [
      if (depth === 0) count++;
      depth++;
    } else if (c === 0x7d || c === 0x5d) { // } ]
      if (depth === 0) return count;
      depth--;
    }
  }
  return count;
}

/** Records of RFC 4180 CSV: line breaks inside quoted fields do not end a record. */
function countCsvRecords(csv: string): number {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted) records++;
  }
  return records;
}
