// The loader's checks, for a write: the SHACL shapes and the text anchors, run on what the write
// touched, so their cost follows the size of the change, not of the graph. The nodes to check
// (dataset/shape-scope.ts says why this is enough) are those the change touched, and those
// pointing at a node whose types changed.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES } from '../core/namespaces.ts';
import type { QuadChange } from '../engine/engine.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import type { WorkingSet } from './working-set.ts';
import type { Violation } from '../dataset/shapes.ts';
import { validateNodes } from '../dataset/shape-scope.ts';
import { checkTextAnchors } from '../dataset/text-anchors.ts';
import { nodesOf } from './transaction.ts';

const RDF_TYPE = `${PREFIXES.rdf}type`;
const NIF_ANCHOR_OF = DataFactory.namedNode(`${PREFIXES.nif}anchorOf`);
const NIF_REFERENCE_CONTEXT = DataFactory.namedNode(`${PREFIXES.nif}referenceContext`);
const DEFAULT_GRAPH = DataFactory.defaultGraph();

/** Problems the change leaves in the data, one readable line each; none means it may be committed. */
export async function checkChange(reads: WorkingSet, change: QuadChange, shapes: RDF.Quad[]): Promise<string[]> {
  const store = reads.store;
  const changed = [...change.removed, ...change.added].filter((quad) => quad.graph.termType === 'NamedNode');
  if (changed.length === 0) return [];
  const nodes = nodesOf(changed);
  const strings = anchoredStrings(store, nodes);
  await reads.ensureNodes(strings);
  const anchorProblems = checkTextAnchors(store, (graph) => `<${graph}>`, strings);
  const violations = await shapeViolations(reads, changed, nodes, shapes);
  return [...anchorProblems, ...violations.map(describeViolation)];
}

async function shapeViolations(reads: WorkingSet, changed: RDF.Quad[], nodes: string[], shapes: RDF.Quad[]): Promise<Violation[]> {
  const store = reads.store;
  const focus = new Set(nodes);
  for (const quad of changed) {
    if (quad.predicate.value !== RDF_TYPE || quad.subject.termType !== 'NamedNode') continue;
    for (const referrer of store.match(null, null, quad.subject, DEFAULT_GRAPH)) {
      if (referrer.subject.termType === 'NamedNode') focus.add(referrer.subject.value);
    }
  }
  await reads.ensureNodes(focus);
  return validateNodes(store, shapes, [...focus].map((iri) => DataFactory.namedNode(iri)));
}

/** Strings whose anchors the change may have broken: those it touched, and those in a text it touched. */
function anchoredStrings(store: GraphStore, nodes: string[]): string[] {
  const strings = new Set<string>();
  for (const node of nodes) {
    const term = DataFactory.namedNode(node);
    if (store.match(term, NIF_ANCHOR_OF, null, null).length > 0) strings.add(node);
    for (const quad of store.match(null, NIF_REFERENCE_CONTEXT, term, null)) strings.add(quad.subject.value);
  }
  return [...strings];
}

function describeViolation(violation: Violation): string {
  const path = violation.path ? ` ${violation.path}` : '';
  const value = violation.value ? ` (value ${violation.value})` : '';
  return `<${violation.focusNode}>${path}: ${violation.message}${value}`;
}
