// RDF Patch (https://afs.github.io/rdf-delta/rdf-patch.html), the journal's format: each write is
// one patch of headers and a transaction (`TX .`, `D ...`, `A ...`, `TC .`). Two headers of our own
// frame it: `length` (bytes from `TX` to the end of `TC .`) and `sha256` of those bytes, so that a
// record cut short by a crash, or damaged on disk, is recognized and never half applied.

import { createHash } from 'node:crypto';
import { Parser, Writer } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import type { QuadChange } from '../engine/engine.ts';

/** One committed write. */
export interface PatchRecord {
  /** urn:uuid:... */
  id: string;
  /** The record before this one, if any (rdf-delta's `prev`). */
  prev?: string;
  /** The name of the token that made the change. */
  author: string;
  /** ISO 8601 time of the commit. */
  created: string;
  change: QuadChange;
  /** In a snapshot: the last journal record it includes. */
  last?: string;
}

export interface DecodedPatches {
  records: PatchRecord[];
  /** Bytes of the text that hold whole, intact records. */
  goodBytes: number;
  /** Why reading stopped before the end, when it did. */
  problem?: string;
}

const XSD_DATE_TIME = 'http://www.w3.org/2001/XMLSchema#dateTime';
const lineWriter = new Writer({ format: 'N-Quads' });

/** A quad as one N-Quads line, without the newline: also its identity in maps. */
export function quadLine(quad: RDF.Quad): string {
  return lineWriter.quadToString(quad.subject, quad.predicate, quad.object, quad.graph).trimEnd();
}

export function encodeRecord(record: PatchRecord): string {
  const lines = ['TX .', ...record.change.removed.map((q) => `D ${quadLine(q)}`), ...record.change.added.map((q) => `A ${quadLine(q)}`), 'TC .'];
  const body = `${lines.join('\n')}\n`;
  const headers = [
    `H id <${record.id}> .`,
    ...(record.prev ? [`H prev <${record.prev}> .`] : []),
    ...(record.last ? [`H last <${record.last}> .`] : []),
    `H creator ${JSON.stringify(record.author)} .`,
    `H created "${record.created}"^^<${XSD_DATE_TIME}> .`,
    `H length "${Buffer.byteLength(body)}" .`,
    `H sha256 "${sha256(body)}" .`,
  ];
  return `${headers.join('\n')}\n${body}`;
}

/** Reads records until the end or the first torn or damaged one (then `problem` says why). */
export function decodeRecords(bytes: Buffer): DecodedPatches {
  const records: PatchRecord[] = [];
  let position = 0;
  while (position < bytes.length) {
    const result = decodeOne(bytes, position);
    if ('problem' in result) return { records, goodBytes: position, problem: `at byte ${position}: ${result.problem}` };
    records.push(result.record);
    position = result.next;
  }
  return { records, goodBytes: position };
}

function decodeOne(bytes: Buffer, start: number): { record: PatchRecord; next: number } | { problem: string } {
  const headers = new Map<string, string>();
  let position = start;
  for (;;) {
    const end = bytes.indexOf(0x0a, position);
    if (end < 0) return { problem: 'the record ends inside its headers (torn write)' };
    const line = bytes.toString('utf8', position, end);
    if (line === 'TX .') break;
    const header = /^H (\w+) (.*) \.$/.exec(line);
    if (!header) return { problem: `expected a header or TX, found ${JSON.stringify(line.slice(0, 60))}` };
    headers.set(header[1]!, headerValue(header[2]!));
    position = end + 1;
  }
  const length = Number(headers.get('length'));
  if (!Number.isInteger(length) || !headers.get('sha256') || !headers.get('id')) return { problem: 'the record has no id, length or sha256 header' };
  if (position + length > bytes.length) return { problem: `the record is cut short: ${bytes.length - position} of ${length} bytes (torn write)` };
  const body = bytes.toString('utf8', position, position + length);
  if (sha256(body) !== headers.get('sha256')) return { problem: 'the record does not match its sha256 (damaged)' };
  const change = decodeBody(body);
  if (!change) return { problem: 'the record\'s transaction is malformed' };
  const record: PatchRecord = {
    id: headers.get('id')!,
    author: headers.get('creator') ?? '',
    created: headers.get('created') ?? '',
    change,
    ...(headers.has('prev') ? { prev: headers.get('prev')! } : {}),
    ...(headers.has('last') ? { last: headers.get('last')! } : {}),
  };
  return { record, next: position + length };
}

function decodeBody(body: string): QuadChange | undefined {
  const lines = body.split('\n').slice(0, -1);
  if (lines[0] !== 'TX .' || lines.at(-1) !== 'TC .') return undefined;
  const operations = lines.slice(1, -1);
  if (operations.some((line) => !line.startsWith('A ') && !line.startsWith('D '))) return undefined;
  const quads = new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(operations.map((line) => line.slice(2)).join('\n'));
  if (quads.length !== operations.length) return undefined;
  const change: QuadChange = { removed: [], added: [] };
  operations.forEach((line, index) => (line.startsWith('A ') ? change.added : change.removed).push(quads[index]!));
  return change;
}

/** An IRI (`<...>`) or a string literal, with or without datatype, as its lexical value. */
function headerValue(text: string): string {
  if (text.startsWith('<')) return text.slice(1, text.indexOf('>'));
  const literal = /^("(?:[^"\\]|\\.)*")/.exec(text);
  return literal ? (JSON.parse(literal[1]!) as string) : text;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
