// SHACL validation in pieces that fit in memory: every shape here targets a class and follows
// one-step paths, whose value checks at most look at the values' types (sh:class). A node's
// conformance therefore depends on its own triples and the types of their objects, and the
// graph can be validated node by node, in chunks, with the same result as validating it whole:
// at load for the nodes the SPARQL screen flags (shape-screen.ts), for a write for the nodes it touched.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES } from '../core/namespaces.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import type { Violation } from './shapes.ts';

const RDF_TYPE = DataFactory.namedNode(`${PREFIXES.rdf}type`);
const DEFAULT_GRAPH = DataFactory.defaultGraph();
/** Focus nodes validated together: large enough to amortize the validator, small enough for any graph. */
const CHUNK = 2000;

/** Validates `nodes` chunk by chunk and returns the violations whose focus is one of them. */
export async function validateNodes(store: GraphStore, shapes: RDF.Quad[], nodes: RDF.Term[], onChunk?: (done: number) => void): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (let start = 0; start < nodes.length; start += CHUNK) {
    onChunk?.(start);
    const chunk = nodes.slice(start, start + CHUNK);
    const focus = new Set(chunk.map((node) => node.value));
    const data = neighbourhood(store, chunk, focus);
    if (data.length === 0) continue;
    // Imported here, on the first chunk: valid data never gets here at load, and shacl-engine with
    // rdf-ext took 0.3 s of every start to import (in every thread that builds a graph).
    const { validateShapes } = await import('./shapes.ts');
    // Nodes outside the focus are in the data only with their types: their own shapes are judged in their chunk.
    violations.push(...(await validateShapes(shapes, data)).filter((violation) => focus.has(violation.focusNode)));
  }
  onChunk?.(nodes.length);
  return violations;
}

/** The nodes' triples in the union, and the types of the IRIs they point to. */
function neighbourhood(store: GraphStore, nodes: RDF.Term[], focus: Set<string>): RDF.Quad[] {
  const data: RDF.Quad[] = [];
  const typed = new Set<string>();
  for (const node of nodes) {
    if (node.termType !== 'NamedNode' && node.termType !== 'BlankNode') continue;
    for (const quad of store.match(node, null, null, DEFAULT_GRAPH)) {
      data.push(quad);
      const object = quad.object;
      if (object.termType === 'NamedNode' && !focus.has(object.value) && !typed.has(object.value)) {
        typed.add(object.value);
        data.push(...store.match(object, RDF_TYPE, null, DEFAULT_GRAPH));
      }
    }
  }
  return data;
}
