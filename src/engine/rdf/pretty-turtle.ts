// Pretty Turtle and TriG with n3's Writer: prefixes, one block per subject, and blank nodes that are
// used once (and RDF lists) written inline where they are used.

import { DataFactory, Writer } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES } from '../../core/namespaces.ts';
import { mediaTypeOf } from '../../core/formats.ts';

const RDF_NS = PREFIXES.rdf;
const FIRST = `${RDF_NS}first`;
const REST = `${RDF_NS}rest`;
const NIL = `${RDF_NS}nil`;

type Term = RDF.Quad_Object;

/** Turtle of `quads` (graph names ignored), or TriG keeping them when `keepGraphs`. */
export function prettyTurtle(quads: RDF.Quad[], options: { keepGraphs?: boolean } = {}): string {
  const writer = new Writer({ format: mediaTypeOf(options.keepGraphs ? 'trig' : 'turtle'), prefixes: { ...PREFIXES } });
  const byGraph = groupBy(quads, (q) => (options.keepGraphs ? q.graph.value : ''));
  for (const [graphName, graphQuads] of [...byGraph].sort(([a], [b]) => a.localeCompare(b))) {
    const graph = options.keepGraphs && graphName !== '' ? graphQuads[0]!.graph : DataFactory.defaultGraph();
    writeGraph(writer, graphQuads, graph);
  }
  let output = '';
  writer.end((error, result) => {
    if (error) throw error;
    output = result;
  });
  return spaceBeforeFinalDot(output);
}

/**
 * n3's Writer ends a statement right after a bare number (`dip:anniversaryYears 20.`), which is
 * valid Turtle but stops Virtuoso's loader (7.2) with a syntax error; `20 .` reads everywhere.
 * Literals never span lines in the Writer's output (it escapes newlines), so a line ending in a
 * number and a dot is always a numeric or boolean object followed by the statement's end.
 */
export function spaceBeforeFinalDot(turtle: string): string {
  return turtle.replace(/(\s(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false))\.$/gm, '$1 .');
}

function writeGraph(writer: Writer, quads: RDF.Quad[], graph: RDF.Quad_Graph): void {
  const bySubject = groupBy(quads, (q) => key(q.subject));
  const references = new Map<string, number>();
  for (const q of quads) if (q.object.termType === 'BlankNode') references.set(q.object.value, (references.get(q.object.value) ?? 0) + 1);
  const inlinable = (term: Term) => term.termType === 'BlankNode' && references.get(term.value) === 1 && bySubject.has(key(term));
  const inlined = new Set<string>();

  const objectOf = (term: Term, path: Set<string>): Term => {
    if (!inlinable(term) || path.has(term.value)) return term;
    const list = listItems(term, bySubject, references);
    const nextPath = new Set(path).add(term.value);
    if (list) {
      for (const node of list.nodes) inlined.add(key(node));
      return writer.list(list.items.map((item) => objectOf(item, nextPath))) as unknown as Term;
    }
    inlined.add(key(term));
    const properties = sortQuads(bySubject.get(key(term))!).map((q) => ({ predicate: q.predicate, object: objectOf(q.object, nextPath) }));
    return writer.blank(properties as never) as unknown as Term;
  };

  const subjects = [...bySubject.keys()].sort(compareSubjects);
  const rendered = subjects.map((subject) => {
    const subjectQuads = sortQuads(bySubject.get(subject)!);
    return { subject, quads: subjectQuads.map((q) => ({ q, object: objectOf(q.object, new Set([q.subject.value])) })) };
  });
  for (const { subject, quads: subjectQuads } of rendered) {
    if (inlined.has(subject)) continue;
    for (const { q, object } of subjectQuads) writer.addQuad(q.subject, q.predicate, object as RDF.Quad_Object, graph);
  }
}

/** The items of the RDF list starting at `head`, when every node is a well-formed, singly used list node. */
function listItems(head: Term, bySubject: Map<string, RDF.Quad[]>, references: Map<string, number>): { items: Term[]; nodes: Term[] } | undefined {
  const items: Term[] = [];
  const nodes: Term[] = [];
  let node: Term = head;
  while (!(node.termType === 'NamedNode' && node.value === NIL)) {
    if (node.termType !== 'BlankNode' || (nodes.length > 0 && references.get(node.value) !== 1)) return undefined;
    const quads = bySubject.get(key(node)) ?? [];
    const first = quads.filter((q) => q.predicate.value === FIRST);
    const rest = quads.filter((q) => q.predicate.value === REST);
    if (quads.length !== 2 || first.length !== 1 || rest.length !== 1) return undefined;
    items.push(first[0]!.object);
    nodes.push(node);
    node = rest[0]!.object;
  }
  return nodes.length > 0 ? { items, nodes } : undefined;
}

function key(term: RDF.Term): string {
  return `${term.termType === 'BlankNode' ? '_:' : ''}${term.value}`;
}

function compareSubjects(a: string, b: string): number {
  return Number(a.startsWith('_:')) - Number(b.startsWith('_:')) || a.localeCompare(b);
}

/** rdf:type first, then by predicate, then by object, so related triples read together. */
function sortQuads(quads: RDF.Quad[]): RDF.Quad[] {
  const rank = (q: RDF.Quad) => (q.predicate.value === `${RDF_NS}type` ? 0 : 1);
  return [...quads].sort((a, b) => rank(a) - rank(b) || a.predicate.value.localeCompare(b.predicate.value) || a.object.value.localeCompare(b.object.value));
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
