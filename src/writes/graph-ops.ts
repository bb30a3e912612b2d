// Whole-graph writes: the Graph Store Protocol's PUT, POST and DELETE, and adding a source text
// with its RDF. Each works on a Transaction; the Writer checks, journals and publishes it.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { badRequest, conflict } from '../core/errors.ts';
import type { RdfSyntax } from '../core/formats.ts';
import { GraphStore } from '../engine/rdf/graph-store.ts';
import { formatOf } from '../core/formats.ts';
import { sourceTextQuad } from '../dataset/text-anchors.ts';
import type { Transaction } from './transaction.ts';
import { skolemizeQuads } from './skolem.ts';

/** An RDF document sent by a client: its text and syntax. */
export interface RdfDocument {
  text: string;
  syntax: RdfSyntax;
}

/**
 * The triples of documents, placed in `graph`, their blank nodes skolemized. Relative IRIs
 * resolve against `base`. A quad syntax may be sent for its default graph only.
 */
export function graphContent(documents: RdfDocument[], graph: string, base: string, baseIri: string): RDF.Quad[] {
  const target = DataFactory.namedNode(graph);
  const quads = documents.flatMap((document) => {
    const parsed = GraphStore.parse(document.text, document.syntax, base);
    if (parsed.some((q) => q.graph.termType !== 'DefaultGraph')) {
      throw badRequest(`the ${formatOf(document.syntax).aliases[0]} body names graphs of its own; send one graph's triples (a TriG body only in its default graph)`);
    }
    return parsed;
  });
  return skolemizeQuads(quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, target)), baseIri);
}

/** PUT: the graph becomes exactly `quads`. Returns whether the graph is new. */
export async function replaceGraph(tx: Transaction, graph: string, quads: RDF.Quad[]): Promise<boolean> {
  await tx.prepareGraph(graph);
  await tx.prepare(quads);
  const existing = tx.store.quads(graph);
  for (const quad of existing) tx.remove(quad);
  for (const quad of quads) tx.add(quad);
  return existing.length === 0;
}

/** POST: `quads` are added to the graph. Returns whether the graph is new. */
export async function mergeIntoGraph(tx: Transaction, graph: string, quads: RDF.Quad[]): Promise<boolean> {
  const isNew = !(await tx.reads.holdsGraph(graph));
  await tx.prepare(quads);
  for (const quad of quads) tx.add(quad);
  return isNew;
}

/** DELETE: the graph is emptied. Returns whether it held anything. */
export async function deleteGraph(tx: Transaction, graph: string): Promise<boolean> {
  await tx.prepareGraph(graph);
  const existing = tx.store.quads(graph);
  for (const quad of existing) tx.remove(quad);
  return existing.length > 0;
}

/** A new source: the text of `slug` and the RDF drawn from it. */
export interface NewSource {
  slug: string;
  text: string;
  data: RdfDocument;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,127}$/;

/**
 * Adds a source as the loader would load `slug.txt` beside `slug.trig`: the text in graph/slug,
 * triples of a triple syntax there too, TriG graphs as they are. Every graph it writes must be new.
 * The Writer's checks then hold its anchors to the text exactly as at load.
 */
export async function addSource(tx: Transaction, source: NewSource, baseIri: string): Promise<string[]> {
  if (!SLUG.test(source.slug)) {
    throw badRequest(`the source name "${source.slug}" must be lower-case letters, digits and "-" (it names text/${source.slug} and graph/${source.slug})`);
  }
  const textGraph = `${baseIri}graph/${source.slug}`;
  if (await tx.reads.holdsGraph(textGraph)) throw conflict(`a source named "${source.slug}" is already in the graph (<${textGraph}>)`);
  const triplesGraph = formatOf(source.data.syntax).quads ? undefined : textGraph;
  const quads = skolemizeQuads(GraphStore.parse(source.data.text, source.data.syntax, baseIri, triplesGraph), baseIri);
  const graphs = new Set<string>([textGraph]);
  for (const quad of quads) {
    if (quad.graph.termType !== 'NamedNode') throw badRequest('the data of a source puts every triple in a named graph (TriG graphs, or a Turtle file\'s triples in the source\'s graph)');
    graphs.add(quad.graph.value);
  }
  for (const graph of graphs) if (graph !== textGraph && await tx.reads.holdsGraph(graph)) throw conflict(`the data writes into <${graph}>, which already holds data`);
  const all = [sourceTextQuad(baseIri, source.slug, source.text), ...quads];
  await tx.prepare(all);
  for (const quad of all) tx.add(quad);
  return [...graphs];
}
