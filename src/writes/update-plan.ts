// SPARQL 1.1 Update (https://www.w3.org/TR/sparql11-update/) as changes of a Transaction: each
// operation is turned into the quads it removes and adds, in order, so the write can be checked,
// journaled and rolled back whole. A WHERE clause is evaluated as a SELECT on the store as the
// earlier operations of the request left it.
//
// The default graph queries see is the union of all named graphs; what an update writes to "the
// default graph" (no GRAPH, no WITH) lands in the stand-in graph (DEFAULT_GRAPH_STAND_IN).

import { DataFactory } from '../core/n3.ts';
import sparqljs from 'sparqljs';
import type * as RDF from '@rdfjs/types';
import { badRequest, payloadTooLarge, HttpError } from '../core/errors.ts';
import type { RdfSyntax } from '../core/formats.ts';
import { GraphStore, type Bindings } from '../engine/rdf/graph-store.ts';
import type { Transaction } from './transaction.ts';
import { skolemizeQuads, skolemizer } from './skolem.ts';

const { Parser, Generator, Wildcard } = sparqljs;
type Term = sparqljs.Term;

export interface UpdateRequest {
  update: string;
  /** The protocol's using-graph-uri and using-named-graph-uri parameters. */
  usingGraphs: string[];
  usingNamedGraphs: string[];
}

export interface UpdateContext {
  baseIri: string;
  /** Where writes to the default graph land. */
  defaultGraph: string;
  /** Graphs CLEAR ALL and DROP NAMED leave alone. */
  isProtected: (graph: string) => boolean;
  /** A WHERE clause with more solutions, or a write of more quads, is refused. */
  maxWriteQuads: number;
  /** Fetches a LOAD's document (refusing IRIs outside the allow-list). */
  load: (iri: string) => Promise<{ text: string; syntax: RdfSyntax }>;
}

/** Parses an update (400 with the parser's message on a syntax error). */
export function parseUpdate(text: string, baseIri: string): sparqljs.Update {
  let parsed: sparqljs.SparqlQuery;
  try {
    parsed = new Parser({ baseIRI: baseIri }).parse(text);
  } catch (error) {
    throw badRequest(`SPARQL Update syntax error: ${(error as Error).message}`, error);
  }
  if (parsed.type !== 'update') throw badRequest('this is a query, not an update: send it as query= or application/sparql-query');
  return parsed;
}

/** Applies every operation of the update to the transaction, in order. */
export async function applyUpdate(tx: Transaction, request: UpdateRequest, context: UpdateContext): Promise<void> {
  const update = parseUpdate(request.update, context.baseIri);
  const protocolDataset = request.usingGraphs.length > 0 || request.usingNamedGraphs.length > 0;
  for (const operation of update.updates) {
    if (protocolDataset && 'updateType' in operation && operation.updateType === 'insertdelete' && (operation.using || operation.graph)) {
      throw badRequest('using-graph-uri and using-named-graph-uri cannot be combined with USING, USING NAMED or WITH in the update (SPARQL 1.1 Protocol §2.2.3)');
    }
    if ('updateType' in operation) await applyInsertDelete(tx, operation, request, context);
    else await applyManagement(tx, operation, context);
    tx.derive();
  }
}

async function applyInsertDelete(tx: Transaction, operation: sparqljs.InsertDeleteOperation, request: UpdateRequest, context: UpdateContext): Promise<void> {
  const defaultTarget = operation.updateType === 'insertdelete' && operation.graph ? operation.graph.value : context.defaultGraph;
  switch (operation.updateType) {
    case 'insert': {
      const quads = skolemizeQuads(groundQuads(operation.insert, defaultTarget), context.baseIri);
      await tx.prepare(quads);
      for (const quad of quads) tx.add(quad);
      return;
    }
    case 'delete': {
      const quads = groundQuads(operation.delete, defaultTarget);
      await tx.prepare(quads);
      for (const quad of quads) tx.remove(quad);
      return;
    }
    case 'deletewhere': {
      const solutions = await select(tx, operation.delete.map(asPattern), {}, context);
      const quads = instantiate(operation.delete, solutions, defaultTarget, context.baseIri);
      await tx.prepare(quads);
      for (const quad of quads) tx.remove(quad);
      return;
    }
    case 'insertdelete': {
      const using = operation.using ?? { default: [], named: [] };
      const usingGraphs = [...request.usingGraphs, ...using.default.map((iri) => iri.value)];
      const usingNamed = [...request.usingNamedGraphs, ...using.named.map((iri) => iri.value)];
      const dataset = usingGraphs.length > 0 || usingNamed.length > 0 ? { defaultGraphs: usingGraphs, namedGraphs: usingNamed } : {};
      // WITH names the graph the WHERE clause reads as its default graph, unless USING says otherwise.
      const where: sparqljs.Pattern[] = operation.graph && !('defaultGraphs' in dataset)
        ? [{ type: 'graph', name: operation.graph, patterns: operation.where }]
        : operation.where;
      const solutions = await select(tx, where, dataset, context);
      const removed = instantiate(operation.delete ?? [], solutions, defaultTarget, context.baseIri);
      const added = instantiate(operation.insert ?? [], solutions, defaultTarget, context.baseIri);
      await tx.prepare([...removed, ...added]);
      for (const quad of removed) tx.remove(quad);
      for (const quad of added) tx.add(quad);
      return;
    }
  }
}

async function applyManagement(tx: Transaction, operation: sparqljs.ManagementOperation, context: UpdateContext): Promise<void> {
  switch (operation.type) {
    case 'clear':
    case 'drop':
      for (const graph of await graphsOf(tx, operation.graph, context)) await clearGraph(tx, graph);
      return;
    case 'create':
      // Graphs exist as soon as they hold a triple: creating one changes nothing.
      return;
    case 'add':
    case 'copy':
    case 'move': {
      const source = graphOf(operation.source, context);
      const destination = graphOf(operation.destination, context);
      if (source === destination) return;
      await tx.prepareGraph(source);
      const quads = tx.store.quads(source);
      if (operation.type !== 'add') await clearGraph(tx, destination);
      const copies = quads.map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object, DataFactory.namedNode(destination)));
      await tx.prepare(copies);
      for (const quad of copies) tx.add(quad);
      if (operation.type === 'move') await clearGraph(tx, source);
      return;
    }
    case 'load':
      try {
        const { text, syntax } = await context.load(operation.source.value);
        const into = operation.destination ? operation.destination.value : context.defaultGraph;
        const quads = GraphStore.parse(text, syntax, operation.source.value, into);
        if (quads.length > context.maxWriteQuads) throw tooLarge(context);
        const loaded = skolemizeQuads(quads, context.baseIri)
          .map((quad) => (operation.destination ? DataFactory.quad(quad.subject, quad.predicate, quad.object, DataFactory.namedNode(into)) : quad));
        await tx.prepare(loaded);
        for (const quad of loaded) tx.add(quad);
      } catch (error) {
        if (!operation.silent) throw error instanceof HttpError ? new HttpError(error.status, `LOAD <${operation.source.value}>: ${error.message}`) : error;
      }
  }
}

async function clearGraph(tx: Transaction, graph: string): Promise<void> {
  await tx.prepareGraph(graph);
  for (const quad of tx.store.quads(graph)) tx.remove(quad);
}

function graphOf(graph: sparqljs.GraphOrDefault, context: UpdateContext): string {
  return graph.default || !graph.name ? context.defaultGraph : graph.name.value;
}

/** The graphs a CLEAR or DROP names: DEFAULT, one graph, NAMED or ALL (the server's own graphs left out). */
async function graphsOf(tx: Transaction, graph: sparqljs.GraphReference, context: UpdateContext): Promise<string[]> {
  if (graph.name) return [graph.name.value];
  if (graph.default) return [context.defaultGraph];
  const written = (await tx.reads.graphNames()).filter((name) => !context.isProtected(name));
  return graph.all ? written : written.filter((name) => name !== context.defaultGraph);
}

/** SELECT * over the WHERE clause, at most one solution past the limit. */
async function select(tx: Transaction, where: sparqljs.Pattern[], dataset: { defaultGraphs?: string[]; namedGraphs?: string[] }, context: UpdateContext): Promise<Bindings[]> {
  const query = new Generator().stringify({
    type: 'query', queryType: 'SELECT', prefixes: {}, variables: [new Wildcard()], where, limit: context.maxWriteQuads + 1,
  });
  const solutions = await tx.reads.select(query, dataset);
  if (solutions.length > context.maxWriteQuads) {
    throw payloadTooLarge(`the update's WHERE clause has more than ${context.maxWriteQuads} solutions (KG_MAX_WRITE_QUADS); split it`);
  }
  return solutions;
}

/** Quads of INSERT DATA or DELETE DATA (no variables). */
function groundQuads(blocks: sparqljs.Quads[], defaultGraph: string): RDF.Quad[] {
  return instantiate(blocks, [{}], defaultGraph, undefined);
}

/**
 * The template's quads for each solution; a quad with an unbound variable, or a term where it
 * cannot stand (a literal subject), is left out, as the standard says. Blank nodes of a template
 * are new for each solution.
 */
function instantiate(blocks: sparqljs.Quads[], solutions: Bindings[], defaultGraph: string, baseIri: string | undefined): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  for (const solution of solutions) {
    const skolem = baseIri ? skolemizer(baseIri) : (label: string) => DataFactory.blankNode(label);
    const resolve = (term: Term | sparqljs.PropertyPath): RDF.Term | undefined => {
      if ('type' in term) throw badRequest('property paths cannot appear in an update template');
      if (term.termType === 'Variable') return solution[term.value];
      if (term.termType === 'BlankNode') return skolem(term.value);
      if (term.termType === 'NamedNode') return DataFactory.namedNode(term.value);
      if (term.termType === 'Literal') return DataFactory.literal(term.value, term.language || DataFactory.namedNode(term.datatype.value));
      return undefined;
    };
    for (const block of blocks) {
      const graph = block.type === 'graph' ? resolve(block.name) : DataFactory.namedNode(defaultGraph);
      if (graph?.termType !== 'NamedNode') continue;
      for (const triple of block.triples) {
        const subject = resolve(triple.subject);
        const predicate = resolve(triple.predicate);
        const object = resolve(triple.object);
        if (!subject || !predicate || !object) continue;
        if ((subject.termType !== 'NamedNode' && subject.termType !== 'BlankNode') || predicate.termType !== 'NamedNode') continue;
        quads.push(DataFactory.quad(subject, predicate, object as RDF.Quad_Object, graph));
      }
    }
  }
  return quads;
}

function asPattern(block: sparqljs.Quads): sparqljs.Pattern {
  const bgp: sparqljs.BgpPattern = { type: 'bgp', triples: block.triples };
  return block.type === 'graph' ? { type: 'graph', name: block.name, patterns: [bgp] } : bgp;
}

function tooLarge(context: UpdateContext): HttpError {
  return payloadTooLarge(`the write changes more than ${context.maxWriteQuads} quads (KG_MAX_WRITE_QUADS); split it`);
}
