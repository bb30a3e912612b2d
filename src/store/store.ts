// The only module that touches oxigraph: an in-memory RDF store with load, query, update and dump.

import * as oxigraph from 'oxigraph';
import { DataFactory } from 'n3';
import type * as RDF from '@rdfjs/types';
import { DataError } from '../errors.ts';

/** RDF syntaxes the store reads and writes, by media type. */
export const RDF_MEDIA_TYPES = {
  turtle: 'text/turtle',
  trig: 'application/trig',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
  rdfxml: 'application/rdf+xml',
  jsonld: 'application/ld+json',
} as const;
export type RdfSyntax = keyof typeof RDF_MEDIA_TYPES;

/** SPARQL result serializations oxigraph writes itself. */
export type ResultsFormat = 'json' | 'xml' | 'csv' | 'tsv' | RdfSyntax;

export interface LoadOptions {
  syntax: RdfSyntax;
  /** Relative IRIs resolve against it. */
  baseIri: string;
  /** Where triples land (for triple syntaxes); quads keep their graph. */
  graph?: string;
  /** Named in error messages: usually the file path. */
  source: string;
}

export interface QueryOptions {
  /** Default graph = union of all graphs (the default), unless a dataset is given. */
  defaultGraphs?: string[];
  namedGraphs?: string[];
}

/** One solution of a SELECT query, as RDF/JS terms from n3's factory. */
export type Bindings = Record<string, RDF.Term>;

export class GraphStore {
  readonly #store = new oxigraph.Store();

  /** Number of quads in all graphs. */
  get size(): number {
    return this.#store.size;
  }

  /** Parses and adds `text`; all or nothing. Syntax errors name the source and the line. */
  load(text: string, options: LoadOptions): void {
    try {
      this.#store.load(text, {
        format: RDF_MEDIA_TYPES[options.syntax],
        base_iri: options.baseIri,
        ...(options.graph ? { to_graph_name: oxigraph.namedNode(options.graph) } : {}),
      });
    } catch (error) {
      throw new DataError(`cannot parse ${options.source}`, [`${options.source}: ${messageOf(error)}`]);
    }
  }

  /** Adds one quad. */
  add(quad: RDF.Quad): void {
    this.#store.add(toOxigraphQuad(quad));
  }

  /** Runs a SELECT query and returns its solutions. */
  select(sparql: string, options: QueryOptions = {}): Bindings[] {
    const results = this.#store.query(sparql, queryOptions(options));
    if (!Array.isArray(results)) throw new Error('expected a SELECT query');
    return results.map((solution) => {
      const bindings: Bindings = {};
      for (const [name, term] of solution as Map<string, oxigraph.Term>) bindings[name] = toN3Term(term);
      return bindings;
    });
  }

  /** Runs an ASK query. */
  ask(sparql: string, options: QueryOptions = {}): boolean {
    const result = this.#store.query(sparql, queryOptions(options));
    if (typeof result !== 'boolean') throw new Error('expected an ASK query');
    return result;
  }

  /** Runs a CONSTRUCT or DESCRIBE query and returns its triples. */
  construct(sparql: string, options: QueryOptions = {}): RDF.Quad[] {
    const results = this.#store.query(sparql, queryOptions(options));
    if (!Array.isArray(results)) throw new Error('expected a CONSTRUCT or DESCRIBE query');
    return (results as oxigraph.Quad[]).map(toN3Quad);
  }

  /** Runs any query and returns its results serialized by oxigraph's own writers. */
  serialize(sparql: string, format: ResultsFormat, options: QueryOptions = {}): string {
    const media = format in RDF_MEDIA_TYPES ? RDF_MEDIA_TYPES[format as RdfSyntax] : format;
    return this.#store.query(sparql, { ...queryOptions(options), results_format: media }) as string;
  }

  /** Runs a SPARQL update. */
  update(sparql: string): void {
    this.#store.update(sparql);
  }

  /** Every quad, as n3 terms. */
  quads(): RDF.Quad[] {
    return this.#store.match(null, null, null, null).map(toN3Quad);
  }

  /** The names of all named graphs. */
  graphNames(): string[] {
    return this.select('SELECT DISTINCT ?g WHERE { GRAPH ?g { } }', {}).map((row) => row.g!.value);
  }

  /** Serializes all graphs (quad syntaxes) or the union of all graphs (triple syntaxes). */
  dump(syntax: RdfSyntax): string {
    const format = RDF_MEDIA_TYPES[syntax];
    if (syntax === 'trig' || syntax === 'nquads') return this.#store.dump({ format });
    const union = new oxigraph.Store(
      this.#store.match(null, null, null, null).map((q) => oxigraph.triple(q.subject, q.predicate, q.object)),
    );
    return union.dump({ format, from_graph_name: oxigraph.defaultGraph() });
  }
}

function queryOptions(options: QueryOptions): Record<string, unknown> {
  if (options.defaultGraphs || options.namedGraphs) {
    return {
      default_graph: (options.defaultGraphs ?? []).map((iri) => oxigraph.namedNode(iri)),
      named_graphs: (options.namedGraphs ?? []).map((iri) => oxigraph.namedNode(iri)),
    };
  }
  return { use_default_graph_as_union: true };
}

/** Oxigraph's terms live in WASM memory; copy them into plain n3 terms. */
function toN3Term(term: oxigraph.Term): RDF.Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value);
    case 'Literal':
      return DataFactory.literal(term.value, term.language || DataFactory.namedNode(term.datatype.value));
    case 'DefaultGraph':
      return DataFactory.defaultGraph();
    case 'Quad':
      return toN3Quad(term as unknown as oxigraph.Quad);
    default:
      return DataFactory.variable(term.value);
  }
}

function toN3Quad(quad: oxigraph.Quad): RDF.Quad {
  return DataFactory.quad(
    toN3Term(quad.subject) as RDF.Quad_Subject,
    toN3Term(quad.predicate) as RDF.Quad_Predicate,
    toN3Term(quad.object) as RDF.Quad_Object,
    toN3Term(quad.graph) as RDF.Quad_Graph,
  );
}

function toOxigraphQuad(quad: RDF.Quad): oxigraph.Quad {
  return oxigraph.fromQuad(quad as never) as unknown as oxigraph.Quad;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
