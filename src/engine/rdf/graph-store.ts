// The only module that touches oxigraph: an in-memory RDF store with load, query, update and dump.

import * as oxigraph from 'oxigraph';
import { createRequire } from 'node:module';
import { DataFactory, Parser } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { DataError, HttpError, badRequest, messageOf } from '../../core/errors.ts';
import { formatOf, mediaTypeOf, type RdfSyntax, type ResultsFormat } from '../../core/formats.ts';

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
  /** Relative IRIs in the query resolve against it. */
  baseIri?: string;
  /** Without a dataset, the default graph is the union of all named graphs (see unionDefaultGraph). */
  defaultGraphs?: string[];
  namedGraphs?: string[];
}

/** One solution of a SELECT query, as RDF/JS terms from n3's factory. */
export type Bindings = Record<string, RDF.Term>;

/** The names of a store's named graphs, as ?g. */
const GRAPH_NAMES = 'SELECT DISTINCT ?g WHERE { GRAPH ?g { } }';

/**
 * Named graphs whose triples one update copies into the union (see materializeUnionDefaultGraph).
 * Each update is a transaction: made in one, the union of 1M triples left every store about 300 MB
 * larger for good (WebAssembly memory never shrinks); in updates of 5,000 graphs, about 30 MB
 * larger than in updates of 1,000.
 */
const UNION_GRAPHS_AT_ONCE = 1000;

/** Bytes of N-Quads handed to oxigraph in one load (see fromNQuads). */
const LOAD_CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;
const UNDERSCORE = 0x5f;
const COLON = 0x3a;

/** Whether `_:` occurs in the bytes (a blank node label, or those characters in a literal). */
function mayHoldBlankNode(bytes: Uint8Array): boolean {
  for (let at = bytes.indexOf(UNDERSCORE); at >= 0; at = bytes.indexOf(UNDERSCORE, at + 1)) {
    if (bytes[at + 1] === COLON) return true;
  }
  return false;
}

/** Texts as one UTF-8 buffer in shared memory (worker threads read it without a copy each). */
function sharedBytes(texts: string[]): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0)));
  const encoder = new TextEncoder();
  let at = 0;
  for (const text of texts) at += encoder.encodeInto(text, bytes.subarray(at)).written;
  return bytes;
}

/**
 * The longest string a dump is made of. V8 refuses strings past 2^29 - 24 characters (one dump
 * of about 2.4M quads of news, a dump of their union soon after); a graph's triples get its name
 * on every line as N-Quads, so a piece stays at half of that.
 */
const MAX_PIECE_CHARS = 2 ** 28;

/** oxigraph's version: part of what a dump kept from an earlier start depends on (see web/build-cache.ts). */
export function storeVersion(): string {
  return (createRequire(import.meta.url)('oxigraph/package.json') as { version: string }).version;
}

export class GraphStore {
  readonly #store = new oxigraph.Store();
  readonly #maxPieceChars: number;

  /** `maxPieceChars`: the longest string a dump is made of (tests lower it to see dumps split). */
  constructor(options: { maxPieceChars?: number } = {}) {
    this.#maxPieceChars = options.maxPieceChars ?? MAX_PIECE_CHARS;
  }

  /** A store holding exactly what `dumpAll()` wrote (see NQuadsLoader). */
  static fromNQuads(nquads: Uint8Array): GraphStore {
    const loader = new NQuadsLoader();
    loader.add(nquads);
    return loader.finish();
  }

  /** Serializes `quads` with oxigraph's writers (for the formats n3 does not write). */
  static serializeQuads(quads: RDF.Quad[], syntax: RdfSyntax): string {
    return withScratch(new oxigraph.Store(quads as never), (store) => dumpStore(store, syntax));
  }

  /**
   * Parses `text` into quads (n3 terms) without keeping them; a syntax error becomes a 400 that
   * says where. Triples land in `graph` (default: the default graph); quads keep their graph.
   */
  static parse(text: string, syntax: RdfSyntax, baseIri: string, graph?: string): RDF.Quad[] {
    return withScratch(new oxigraph.Store(), (scratch) => {
      try {
        loadText(scratch, text, syntax, baseIri, graph);
      } catch (error) {
        throw badRequest(`cannot parse the ${formatOf(syntax).aliases[0]} body: ${messageOf(error)}`, error);
      }
      return parseNQuads(scratch.dump({ format: mediaTypeOf('nquads') }));
    });
  }

  /** Releases the store's WebAssembly memory now; the store is not used after. */
  free(): void {
    freeWasm(this.#store);
  }

  /** Number of quads in all graphs: oxigraph counts them one by one (100 ms or more per million). */
  get size(): number {
    return this.#store.size;
  }

  /** Number of triples in one named graph, counted over that graph's range of an index alone. */
  graphSize(graph: string): number {
    const [row] = this.select(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } }`);
    return Number(row!.n!.value);
  }

  /**
   * Parses and adds `text`, straight into the store, quad by quad: outside a transaction, which
   * halves the time (3.2 s instead of 6.5 s for 1M triples of TriG), so a syntax error leaves the
   * quads before it; whoever loads files refuses the whole store then. Syntax errors name the
   * source and the line. A triple syntax writes into `options.graph`; a quad syntax keeps its graphs.
   */
  load(text: string, options: LoadOptions): void {
    parseInto(this.#store, text, options);
  }

  /**
   * The named graphs `text` writes into, parsed on its own: what a file's quads would cost, not
   * the store's. Only problems need it (to name the file a graph came from), so loading does not.
   */
  static graphsOf(text: string, options: LoadOptions): string[] {
    if (options.graph && !formatOf(options.syntax).quads) return [options.graph];
    return withScratch(new oxigraph.Store(), (scratch) => {
      parseInto(scratch, text, options);
      return (runQuery(scratch, GRAPH_NAMES, {}) as Array<Map<string, oxigraph.Term>>)
        .map((solution) => {
          const graph = solution.get('g')!;
          const iri = graph.value;
          freeWasm(graph);
          return iri;
        });
    });
  }

  /**
   * Copies every distinct triple of the named graphs into the default graph, which then is the
   * union of all graphs under set semantics. Oxigraph 0.5's own union default graph is a bag:
   * a triple stated in two graphs matches twice (oxigraph issue #1919, fixed after 0.5), and
   * facts here are often stated by several sentences. Call once, after all data is loaded;
   * the data files' own default-graph triples, if any, stay there too. Made in updates of
   * UNION_GRAPHS_AT_ONCE graphs.
   */
  materializeUnionDefaultGraph(): void {
    const graphs = this.select(GRAPH_NAMES, {}).map(({ g }) => g!);
    const named = graphs.filter((graph) => graph.termType === 'NamedNode').map((graph) => `<${graph.value}>`);
    for (let start = 0; start < named.length; start += UNION_GRAPHS_AT_ONCE) {
      this.#store.update(`INSERT { ?s ?p ?o } WHERE { VALUES ?g { ${named.slice(start, start + UNION_GRAPHS_AT_ONCE).join(' ')} } GRAPH ?g { ?s ?p ?o } }`);
    }
    if (graphs.length > named.length) this.#store.update('INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isBlank(?g)) }');
  }

  /**
   * Makes the default graph the union (see materializeUnionDefaultGraph) unless it holds triples
   * already. A dataset's default graph is only ever the union of its named graphs (writes to "the
   * default graph" land in a named graph), so a copy whose dump held the union keeps it. A copy
   * loaded from dumps gets its union from NQuadsLoader.finishWithUnion, which loads it (faster)
   * and comes here only when it cannot tell whether the dumps held it.
   */
  makeUnionIfMissing(): void {
    if (!this.holdsDefaultGraph()) this.materializeUnionDefaultGraph();
  }

  /** Adds one quad. */
  add(quad: RDF.Quad): void {
    // Oxigraph reads RDF/JS terms itself: no wrapper is made (wrappers cost garbage collection).
    this.#store.add(quad as never);
  }

  /** Whether the default graph itself holds a triple (not the union a query sees when it is empty). */
  holdsDefaultGraph(): boolean {
    return runQuery(this.#store, 'ASK { ?s ?p ?o }', {}) as boolean;
  }

  /** Whether the named graph holds at least one quad (without reading it). */
  holdsGraph(graph: string): boolean {
    return runQuery(this.#store, `ASK { GRAPH <${graph}> { ?s ?p ?o } }`, {}) as boolean;
  }

  /** Removes one quad (nothing happens if it is not there). */
  delete(quad: RDF.Quad): void {
    this.#store.delete(quad as never);
  }

  has(quad: RDF.Quad): boolean {
    return this.#store.has(quad as never);
  }

  /** Applies a change written as N-Quads, removals first: how a worker's copy follows a write. */
  applyNQuads(removed: string, added: string): void {
    const format = mediaTypeOf('nquads');
    if (removed) {
      withScratch(new oxigraph.Store(), (gone) => {
        gone.load(removed, { format });
        for (const quad of gone.match(null, null, null, null)) {
          this.#store.delete(quad);
          freeWasm(quad);
        }
      });
    }
    if (added) this.#store.load(added, { format });
  }

  /** Runs a SELECT query and returns its solutions. */
  select(sparql: string, options: QueryOptions = {}): Bindings[] {
    const results = this.#query(sparql, queryOptions(options));
    if (!Array.isArray(results)) throw new Error('expected a SELECT query');
    return results.map((solution) => {
      const bindings: Bindings = {};
      for (const [name, term] of solution as Map<string, oxigraph.Term>) bindings[name] = toN3Term(term);
      return bindings;
    });
  }

  /** Runs an ASK query. */
  ask(sparql: string, options: QueryOptions = {}): boolean {
    const result = this.#query(sparql, queryOptions(options));
    if (typeof result !== 'boolean') throw new Error('expected an ASK query');
    return result;
  }

  /** Runs a CONSTRUCT or DESCRIBE query and returns its triples. */
  construct(sparql: string, options: QueryOptions = {}): RDF.Quad[] {
    const results = this.#query(sparql, queryOptions(options));
    if (!Array.isArray(results)) throw new Error('expected a CONSTRUCT or DESCRIBE query');
    return (results as oxigraph.Quad[]).map(toN3Quad);
  }

  /**
   * Runs a CONSTRUCT or DESCRIBE query and serializes its triples with oxigraph's writers,
   * unless there are more than `maxTriples` of them: then `tooMany` is thrown instead.
   */
  serializeGraph(sparql: string, syntax: RdfSyntax, options: QueryOptions, maxTriples: number, tooMany: () => Error,
    solutionMarker?: string): string {
    // Written by oxigraph as N-Triples (no wrapper object per triple), then counted as lines.
    const written = this.#query(sparql, { ...queryOptions(options), results_format: mediaTypeOf('ntriples') });
    if (typeof written !== 'string') throw new Error('expected a CONSTRUCT or DESCRIBE query');
    const marker = solutionMarker ? `<${solutionMarker}>` : undefined;
    const triples = new Set<string>();
    let solutions = 0;
    for (const line of written.split('\n')) {
      if (line === '') continue;
      // One marker triple per solution: more than allowed means the answer would be cut.
      if (marker && isMarkerTriple(line, marker)) solutions++;
      else triples.add(line);
    }
    if (solutions > maxTriples || triples.size > maxTriples) throw tooMany();
    const ntriples = triples.size === 0 ? '' : `${[...triples].join('\n')}\n`;
    if (syntax === 'ntriples') return ntriples;
    return withScratch(new oxigraph.Store(), (scratch) => {
      scratch.load(ntriples, { format: mediaTypeOf('ntriples') });
      return dumpStore(scratch, syntax);
    });
  }

  /** Throws the 400 of a syntax error in `sparql`, with oxigraph's position; evaluates nothing of the data. */
  static checkSyntax(sparql: string, baseIri?: string): void {
    try {
      withScratch(new oxigraph.Store(), (empty) => runQuery(empty, sparql, baseIri ? { base_iri: baseIri } : {}));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // Evaluation errors on an empty store (SERVICE is not supported here) mean the syntax is fine.
    }
  }

  /** Runs any query and returns its results serialized by oxigraph's own writers. */
  serialize(sparql: string, format: ResultsFormat, options: QueryOptions = {}): string {
    return this.#query(sparql, { ...queryOptions(options), results_format: mediaTypeOf(format) }) as string;
  }

  #query(sparql: string, options: Record<string, unknown>): unknown {
    return runQuery(this.#store, sparql, options);
  }

  /** Runs a SPARQL update. */
  update(sparql: string): void {
    this.#store.update(sparql);
  }

  /**
   * Quads matching a pattern (null or a variable matches anything), as n3 terms: the RDF/JS
   * `match` that lets Comunica use the store as a source.
   */
  match(subject: RDF.Term | null, predicate: RDF.Term | null, object: RDF.Term | null, graph: RDF.Term | null): RDF.Quad[] {
    const term = (t: RDF.Term | null) => (!t || t.termType === 'Variable' ? null : t) as never;
    return this.#store.match(term(subject), term(predicate), term(object), term(graph)).map(toN3Quad);
  }

  /**
   * Every quad of the named graphs, or of one graph, as n3 terms. Read through dumps that n3
   * parses: no oxigraph wrapper per quad (large graphs would spend their time collecting them),
   * in pieces when a graph is too large for one string (see MAX_PIECE_CHARS).
   */
  quads(graph?: string): RDF.Quad[] {
    if (graph === undefined) return parsePieces(this.#namedGraphsInPieces(), this.#maxPieceChars);
    const from = graph === '' ? oxigraph.defaultGraph() : oxigraph.namedNode(graph);
    const graphTerm = graph === '' ? DataFactory.defaultGraph() : DataFactory.namedNode(graph);
    return parsePieces(this.#triplePieces(from), this.#maxPieceChars)
      .map((quad) => DataFactory.quad(quad.subject, quad.predicate, quad.object, graphTerm));
  }

  /** The names of all named graphs. */
  graphNames(): string[] {
    return this.select(GRAPH_NAMES, {}).map((row) => row.g!.value);
  }

  /**
   * Everything, the default graph included, as UTF-8 N-Quads in shared memory: what
   * `NQuadsLoader` reads back. Worker threads are handed these bytes without a copy each. Dumped
   * before the union is made, it holds the named graphs alone (see `NQuadsLoader.finishWithUnion`).
   */
  dumpAll(): Uint8Array {
    return sharedBytes(this.#everythingAsNQuads());
  }

  /**
   * One named graph, as `dumpAll` writes it: the closure's graph, which the loader adds after the
   * data's dump. The union it makes next is not dumped: a copy makes it again from what it loaded
   * (see `NQuadsLoader.finishWithUnion`).
   */
  dumpGraph(graph: string): Uint8Array {
    return sharedBytes(this.#graphAsNQuads(DataFactory.namedNode(graph)));
  }

  /**
   * Loads N-Quads this class wrote, without checking them again (see NQuadsLoader), and outside
   * a transaction (a worker's 2M quads: 7.4 s in one, 5.1 s outside): a copy that fails to load
   * is thrown away whole.
   */
  loadOwnDump(nquads: string | Uint8Array): void {
    this.#store.load(nquads, { format: mediaTypeOf('nquads'), lenient: true, no_transaction: true });
  }

  /** Serializes the named graphs (quad syntaxes) or the default graph, their union (triple syntaxes). */
  dump(syntax: RdfSyntax): string {
    if (!formatOf(syntax).quads) return dumpStore(this.#store, syntax);
    const named = this.#namedGraphsInPieces().join('');
    if (syntax === 'nquads') return named;
    return withScratch(new oxigraph.Store(), (scratch) => {
      scratch.load(named, { format: mediaTypeOf('nquads') });
      return dumpStore(scratch, syntax);
    });
  }

  /**
   * Every named graph as N-Quads, graph by graph, each in pieces if it is too long (see
   * #graphAsNQuads): each is dumped as N-Triples (an index scan in the store) and given its name.
   * Matching every quad instead made a wrapper object per quad: the N-Quads export of a
   * 1M-triple graph took minutes in garbage collection.
   */
  #namedGraphsInPieces(): string[] {
    return this.select(GRAPH_NAMES, {}).flatMap(({ g }) => this.#graphAsNQuads(g as RDF.NamedNode | RDF.BlankNode));
  }

  /**
   * Every quad as N-Quads, in one piece if it is short enough, else the default graph and then
   * each named graph in pieces of their own (see MAX_PIECE_CHARS).
   */
  #everythingAsNQuads(): string[] {
    const whole = this.#dumpUnlessTooLong({ format: mediaTypeOf('nquads') });
    if (whole !== undefined) return [whole];
    return [...this.#triplePieces(oxigraph.defaultGraph()), ...this.#namedGraphsInPieces()];
  }

  /** One named graph as N-Quads: dumped alone, its triples come without its name, put back on each line. */
  #graphAsNQuads(graph: RDF.NamedNode | RDF.BlankNode): string[] {
    const blank = graph.termType === 'BlankNode';
    const name = blank ? oxigraph.blankNode(graph.value) : oxigraph.namedNode(graph.value);
    const pieces = this.#triplePieces(name);
    freeWasm(name);
    // N-Triples escape line breaks inside literals: " .\n" only ever ends a line.
    return pieces.map((triples) => triples.replaceAll(' .\n', ` ${blank ? `_:${graph.value}` : `<${graph.value}>`} .\n`));
  }

  /**
   * A graph's triples as N-Triples: one dump, or, if that is too long, one piece per predicate
   * (a CONSTRUCT keeps the store's blank node labels, as a dump does).
   */
  #triplePieces(graph: oxigraph.NamedNode | oxigraph.BlankNode | oxigraph.DefaultGraph): string[] {
    // A query cannot name a graph whose name is a blank node: such a graph is dumped whole.
    if (graph.termType === 'BlankNode') return [this.#store.dump({ format: mediaTypeOf('ntriples'), from_graph_name: graph })];
    const whole = this.#dumpUnlessTooLong({ format: mediaTypeOf('ntriples'), from_graph_name: graph });
    if (whole !== undefined) return [whole];
    const inGraph = (pattern: string) => (graph.termType === 'DefaultGraph' ? pattern : `GRAPH ${graph.toString()} { ${pattern} }`);
    const predicates = this.#query(`SELECT DISTINCT ?p WHERE { ${inGraph('?s ?p ?o')} }`, {}) as Array<Map<string, oxigraph.Term>>;
    return predicates.map((solution) => {
      const predicate = solution.get('p')!;
      const pattern = `?s ${predicate.toString()} ?o`;
      freeWasm(predicate);
      return this.#query(`CONSTRUCT { ${pattern} } WHERE { ${inGraph(pattern)} }`, { results_format: mediaTypeOf('ntriples') }) as string;
    });
  }

  /** A dump, or undefined if it is longer than a piece may be (or than V8 lets a string be). */
  #dumpUnlessTooLong(options: { format: string; from_graph_name?: oxigraph.NamedNode | oxigraph.BlankNode | oxigraph.DefaultGraph }): string | undefined {
    try {
      const text = this.#store.dump(options);
      return text.length <= this.#maxPieceChars ? text : undefined;
    } catch (error) {
      if (isStringTooLong(error)) return undefined;
      throw error;
    }
  }
}

/**
 * Parses N-Quads written in pieces, joined back into strings of at most `maxChars`: one parse per
 * string rather than per piece (a graph's pieces are often a sentence's few quads).
 */
function parsePieces(pieces: string[], maxChars: number): RDF.Quad[] {
  const quads: RDF.Quad[] = [];
  for (let start = 0; start < pieces.length;) {
    let end = start + 1;
    let chars = pieces[start]!.length;
    while (end < pieces.length && chars + pieces[end]!.length <= maxChars) chars += pieces[end++]!.length;
    for (const quad of parseNQuads(pieces.slice(start, end).join(''))) quads.push(quad);
    start = end;
  }
  return quads;
}

/** Whether `error` is V8 or Node refusing to make a string that long (a dump or a result past 2^29 - 24 characters). */
export function isStringTooLong(error: unknown): boolean {
  if ((error as { code?: string } | null)?.code === 'ERR_STRING_TOO_LONG') return true;
  return error instanceof Error && /string longer than|Invalid string length/i.test(error.message);
}

/** Whether an N-Triples line is `_:label <marker> ...`: a blank node label holds no space, so the predicate starts after the first one. */
function isMarkerTriple(line: string, marker: string): boolean {
  const space = line.indexOf(' ');
  return line.startsWith('_:') && line.startsWith(marker, space + 1) && line.charCodeAt(space + 1 + marker.length) === 0x20;
}

/**
 * Builds a store from N-Quads that `dumpAll()` and `dumpGraph()` wrote, in parts as they come
 * (a worker loads the data's part while the main thread still works out the rest). Each part is
 * loaded a few MB at a time: the text handed to oxigraph is copied into its WebAssembly memory,
 * which never shrinks, so one load of a 270 MB dump would leave every worker 270 MB larger for
 * good. Blank node labels name one node only within one load, so the lines with blank nodes, of
 * every part, are loaded together at the end. Parsed leniently: oxigraph wrote the text itself,
 * and checking every IRI again costs a third of the load.
 */
export class NQuadsLoader {
  readonly #store = new GraphStore();
  readonly #withBlankNodes: string[] = [];
  readonly #decoder = new TextDecoder();
  /** How to read each part again, to load its lines without their graph (see finishWithUnion). */
  readonly #parts: Array<() => Uint8Array> = [];
  /** Whether a line without a blank node was loaded (see finishWithUnion). */
  #loadedPlainLines = false;

  /**
   * Loads `nquads`. `again` reads the same bytes again for finishWithUnion: by default they are
   * kept until then; a part unpacked here (gzipped) is better unpacked again than kept.
   */
  add(nquads: Uint8Array, again: () => Uint8Array = () => nquads): void {
    this.#parts.push(again);
    this.#eachChunk(nquads, (lines) => {
      if (lines.length === 0) return;
      this.#store.loadOwnDump(lines);
      this.#loadedPlainLines = true;
    }, (lines) => this.#withBlankNodes.push(...lines));
  }

  /** The store, holding exactly what the parts hold. */
  finish(): GraphStore {
    if (this.#withBlankNodes.length > 0) this.#store.loadOwnDump(this.#withBlankNodes.join('\n'));
    this.#withBlankNodes.length = 0;
    this.#parts.length = 0;
    return this.#store;
  }

  /**
   * The store, its default graph made the union of the named graphs unless the parts held it
   * (a whole dump does; the parts a build posts leave it out). The union is loaded: every line
   * again without its graph (6.2-6.6 s for 1M triples on one thread, where the INSERT took
   * 9.4-10.7 s; the server of two copies starts 8 s sooner and holds about 100 MB more).
   * Parts without the union leave the default graph empty; a dump with it holds a plain line
   * there for every plain line it holds (a triple of a named graph is in the union). Only when
   * every line holds a blank node can the two not be told apart so: then an INSERT makes it.
   */
  finishWithUnion(): GraphStore {
    const unionMissing = this.#loadedPlainLines && !this.#store.holdsDefaultGraph();
    if (unionMissing) {
      for (const read of this.#parts) {
        this.#eachChunk(read(), (lines) => this.#store.loadOwnDump(withoutGraphs(lines)), () => undefined);
      }
      this.#withBlankNodes.push(...this.#withBlankNodes.map(withoutGraph));
    }
    const store = this.finish();
    if (!this.#loadedPlainLines) store.makeUnionIfMissing();
    return store;
  }

  /** Calls `plain` with each few MB of lines free of blank nodes, `blank` with the lines that hold one. */
  #eachChunk(nquads: Uint8Array, plain: (lines: Uint8Array | string) => void, blank: (lines: string[]) => void): void {
    for (let start = 0; start < nquads.length;) {
      let end = nquads.indexOf(NEWLINE, Math.min(nquads.length, start + LOAD_CHUNK_BYTES));
      end = end < 0 ? nquads.length : end + 1;
      const chunk = nquads.subarray(start, end);
      if (mayHoldBlankNode(chunk)) {
        const lines = this.#decoder.decode(chunk).split('\n');
        blank(lines.filter((line) => line.includes('_:')));
        plain(lines.filter((line) => line !== '' && !line.includes('_:')).join('\n'));
      } else {
        plain(chunk);
      }
      start = end;
    }
  }
}

const SPACE = 0x20;
const FULL_STOP = 0x2e;

/**
 * N-Quads lines `S P O G .` as oxigraph writes them, without their graph: `S P O .`. The graph
 * is the last term, and holds no space (an IRI or a blank node label), so it starts after the
 * last space before ` .`.
 */
function withoutGraphs(lines: Uint8Array | string): Uint8Array | string {
  if (typeof lines === 'string') return lines.split('\n').map(withoutGraph).join('\n');
  const triples = new Uint8Array(lines.length);
  let written = 0;
  for (let start = 0; start < lines.length;) {
    let end = lines.indexOf(NEWLINE, start);
    if (end < 0) end = lines.length;
    if (end > start) {
      if (lines[end - 1] !== FULL_STOP || lines[end - 2] !== SPACE) throw new Error('not a line of N-Quads as oxigraph writes them');
      const graphStart = lines.lastIndexOf(SPACE, end - 3);
      triples.set(lines.subarray(start, graphStart), written);
      written += graphStart - start;
      triples.set(TRIPLE_END, written);
      written += TRIPLE_END.length;
    }
    start = end + 1;
  }
  return triples.subarray(0, written);
}

const TRIPLE_END = new Uint8Array([SPACE, FULL_STOP, NEWLINE]);

function withoutGraph(line: string): string {
  if (line === '') return line;
  if (!line.endsWith(' .')) throw new Error('not a line of N-Quads as oxigraph writes them');
  return `${line.slice(0, line.lastIndexOf(' ', line.length - 3))} .`;
}

/** Runs a query; a syntax error becomes a 400 HttpError that keeps oxigraph's position. */
function runQuery(store: oxigraph.Store, sparql: string, options: Record<string, unknown>): unknown {
  try {
    return store.query(sparql, options);
  } catch (error) {
    const message = messageOf(error);
    if (SYNTAX_ERROR.test(message)) throw badRequest(`SPARQL syntax error: ${message}`, error);
    // A dataset IRI the store's own IRI parser refuses (the protocol layer checks them first).
    if (/^Invalid IRI/i.test(message)) throw badRequest(message, error);
    throw error;
  }
}

/**
 * Parses `text` into `store` outside a transaction (see GraphStore.load): a syntax error leaves
 * the quads before it, and every caller throws that store away (a scratch store, a request body
 * refused, or a start refused).
 */
function loadText(store: oxigraph.Store, text: string, syntax: RdfSyntax, baseIri: string, graph?: string): void {
  store.load(text, {
    format: mediaTypeOf(syntax),
    base_iri: baseIri,
    ...(graph ? { to_graph_name: oxigraph.namedNode(graph) } : {}),
    no_transaction: true,
  });
}

/** Loads a file's text (see loadText); a syntax error names the source and the line. */
function parseInto(store: oxigraph.Store, text: string, options: LoadOptions): void {
  try {
    loadText(store, text, options.syntax, options.baseIri, options.graph);
  } catch (error) {
    throw new DataError(`cannot parse ${options.source}`, [`${options.source}: ${messageOf(error)}`]);
  }
}

/**
 * Runs `work` on a store made for it, then frees the store's WASM memory at once: stores left to
 * the finalization registry pile up and slow every later store operation (a third 100k-quad
 * load ran 10x slower than the first).
 */
function withScratch<T>(store: oxigraph.Store, work: (store: oxigraph.Store) => T): T {
  try {
    return work(store);
  } finally {
    freeWasm(store);
  }
}

/** Writes a store in a syntax: every graph for quad syntaxes, the default graph for triple syntaxes. */
function dumpStore(store: oxigraph.Store, syntax: RdfSyntax): string {
  const format = mediaTypeOf(syntax);
  return formatOf(syntax).quads ? store.dump({ format }) : store.dump({ format, from_graph_name: oxigraph.defaultGraph() });
}

/** N-Quads (or N-Triples) as n3 quads, blank node labels kept. */
function parseNQuads(text: string): RDF.Quad[] {
  return new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(text);
}

/** How oxigraph's SPARQL parser starts its messages ("error at 1:26: expected ..."). */
const SYNTAX_ERROR = /^error at \d+:\d+/;

function queryOptions(options: QueryOptions): Record<string, unknown> {
  const base = options.baseIri ? { base_iri: options.baseIri } : {};
  if (options.defaultGraphs || options.namedGraphs) {
    return {
      ...base,
      default_graph: (options.defaultGraphs ?? []).map((iri) => oxigraph.namedNode(iri)),
      named_graphs: (options.namedGraphs ?? []).map((iri) => oxigraph.namedNode(iri)),
    };
  }
  return base;
}

/**
 * Oxigraph's terms live in WASM memory; copy them into plain n3 terms. Every wrapper oxigraph
 * hands out is freed at once: left to the finalization registry, they pile up in WASM memory
 * and garbage collection comes to dominate (a 40k-quad match loop ran 20x slower).
 */
function toN3Term(term: oxigraph.Term): RDF.Term {
  try {
    switch (term.termType) {
      case 'NamedNode':
        return DataFactory.namedNode(term.value);
      case 'BlankNode':
        return DataFactory.blankNode(term.value);
      case 'Literal': {
        if (term.language) return DataFactory.literal(term.value, term.language);
        const datatype = term.datatype;
        const value = datatype.value;
        freeWasm(datatype);
        return DataFactory.literal(term.value, DataFactory.namedNode(value));
      }
      case 'DefaultGraph':
        return DataFactory.defaultGraph();
      case 'Quad':
        return toN3Quad(term as unknown as oxigraph.Quad);
      default:
        return DataFactory.variable(term.value);
    }
  } finally {
    freeWasm(term);
  }
}

function toN3Quad(quad: oxigraph.Quad): RDF.Quad {
  const converted = DataFactory.quad(
    toN3Term(quad.subject) as RDF.Quad_Subject,
    toN3Term(quad.predicate) as RDF.Quad_Predicate,
    toN3Term(quad.object) as RDF.Quad_Object,
    toN3Term(quad.graph) as RDF.Quad_Graph,
  );
  freeWasm(quad);
  return converted;
}


/** Releases an oxigraph wrapper's WASM memory now (wasm-bindgen objects have free(); a freed one has no pointer left). */
function freeWasm(value: unknown): void {
  const wrapper = value as { free?: () => void; __wbg_ptr?: number } | null;
  if (wrapper?.__wbg_ptr) wrapper.free?.();
}
