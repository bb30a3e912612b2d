// The remote engine: the dataset lives in an external SPARQL 1.1 store (Virtuoso, Fuseki, Oxigraph
// server, GraphDB, QLever); this process keeps no copy. Queries are checked and bounded here as
// they are for the embedded engine, sent to the store (see store-dataset.ts for how they see our
// dataset), and their answers rewritten in the standard form of the format asked for. Writes
// arrive as committed changes and are sent as SPARQL Update; durability is then the store's.

import { DataFactory } from '../../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { HttpError } from '../../core/errors.ts';
import { RecentlyUsed } from '../../core/recently-used.ts';
import { formatOf, type RdfSyntax, type ResultsSyntax } from '../../core/formats.ts';
import type { DumpRequest, Engine, FederatedRequest, QuadChange, QueryRequest } from '../engine.ts';
import { analyzeQuery } from '../query-analysis.ts';
import { boundedQuery, checkBytes, checkRows, tooManyBytes, tooManyRows } from '../result-limits.ts';
import { GraphStore } from '../rdf/graph-store.ts';
import { serializeQuads } from '../rdf/quads.ts';
import { jsonLdWithContext } from '../rdf/jsonld.ts';
import { runFederated } from '../federation/comunica.ts';
import { canonicalValue, readJsonResult, rowCount, writeResult, type SelectResult } from './results.ts';
import { StoreClient, type StoreEndpoints } from './store-client.ts';
import { forStore, SD_NAMED_GRAPH, storeGraphs, type StoreGraphs, type StoreQuery } from './store-dataset.ts';
import { remoteSource } from './remote-source.ts';
import { quadsFromRows, dataBlocks } from './store-terms.ts';

export interface RemoteEngineOptions extends StoreEndpoints {
  baseIri: string;
  /** A query (and each request of a dump) that takes longer is cancelled: 504. */
  timeoutMs: number;
  /** Told when a query goes to the store, or to Comunica (federated). */
  onDispatch?: (job: { kind: 'query' | 'federated' | 'dump'; queryHash?: string }) => void;
}

const JSON_RESULTS = 'application/sparql-results+json';
const NTRIPLES = 'application/n-triples';
/** Subjects per page when the whole dataset is read. */
const SUBJECTS_PER_PAGE = 200;
/** Quads per update request when a change is sent in pieces. */
const UPDATE_QUADS = 2_000;

/** Query texts whose checked, bounded and rewritten form is remembered. */
const PREPARED_QUERIES = 1000;

interface PreparedQuery {
  form: ReturnType<typeof analyzeQuery>['form'];
  sent: StoreQuery;
  /** For a bounded CONSTRUCT or DESCRIBE: whether there are more solutions than allowed. */
  probe?: StoreQuery;
}

export class RemoteEngine implements Engine {
  readonly #client: StoreClient;
  readonly #options: RemoteEngineOptions;
  readonly #graphs: StoreGraphs;
  #running = 0;
  readonly #prepared = new RecentlyUsed<PreparedQuery>(PREPARED_QUERIES);

  constructor(options: RemoteEngineOptions) {
    this.#options = options;
    this.#client = new StoreClient(options);
    this.#graphs = storeGraphs(options.baseIri);
  }

  /** Checks that the store answers (and that it holds our dataset), so a bad URL fails at start. */
  async probe(): Promise<{ graphs: number }> {
    const result = await this.#select(`SELECT (COUNT(?g) AS ?n) WHERE { GRAPH <${this.#graphs.registry}> { ?g a <${SD_NAMED_GRAPH}> } }`, { timeoutMs: this.#options.timeoutMs });
    return { graphs: Number(result.rows[0]?.n?.value ?? 0) };
  }

  /** Requests in flight to the store (there are no workers: the store does the work). */
  get load(): { queued: number; running: number; workers: number } {
    return { queued: 0, running: this.#running, workers: 0 };
  }

  get storeGraphs(): StoreGraphs {
    return this.#graphs;
  }

  get client(): StoreClient {
    return this.#client;
  }

  async query(request: QueryRequest, signal?: AbortSignal): Promise<string> {
    this.#running += 1;
    try {
      return await this.#query(request, signal);
    } finally {
      this.#running -= 1;
    }
  }

  async #query(request: QueryRequest, signal?: AbortSignal): Promise<string> {
    const { form, sent, probe } = this.#prepare(request);
    this.#options.onDispatch?.({ kind: 'query', ...(request.queryHash ? { queryHash: request.queryHash } : {}) });
    const options = { signal, timeoutMs: this.#options.timeoutMs, maxBytes: request.maxResultBytes };
    if (form === 'CONSTRUCT' || form === 'DESCRIBE') {
      const answer = await this.#client.query(sent.query, { ...sent, ...options, accept: NTRIPLES });
      checkTruncation(answer.headers);
      const quads = GraphStore.parse(answer.body, 'ntriples', request.baseIri ?? this.#options.baseIri).map(canonicalQuad);
      if (request.maxResultRows !== undefined && quads.length > request.maxResultRows) throw tooManyRows(request.maxResultRows);
      if (probe && request.maxResultRows !== undefined) {
        const more = await this.#select(probe.query, { ...options, ...probe });
        if (more.rows.length > 0) throw tooManyRows(request.maxResultRows);
      }
      return withinBytes(serializeQuads(quads, request.format as RdfSyntax), request.maxResultBytes);
    }
    const answer = await this.#client.query(sent.query, { ...sent, ...options, accept: JSON_RESULTS });
    checkTruncation(answer.headers);
    const result = readJsonResult(answer.body, form === 'ASK');
    if (request.maxResultRows !== undefined && rowCount(result) > request.maxResultRows) throw tooManyRows(request.maxResultRows);
    if (formatOf(request.format).kind !== 'results') throw new HttpError(406, `a ${form ?? 'query'} result cannot be written as ${request.format}`);
    return withinBytes(writeResult(result, request.format as ResultsSyntax), request.maxResultBytes);
  }

  /**
   * What is sent for a query: checked (a syntax error is a 400 from here, worded as embedded),
   * bounded by the row limit, rewritten to see our dataset. Remembered for the texts seen last, as
   * applications send the same queries again and again (the answers are never remembered).
   */
  #prepare(request: QueryRequest): PreparedQuery {
    const key = `${request.baseIri ?? ''}\u0000${request.maxResultRows ?? ''}\u0000${JSON.stringify([request.defaultGraphs, request.namedGraphs])}\u0000${request.query}`;
    return this.#prepared.get(key, () => {
      GraphStore.checkSyntax(request.query, request.baseIri);
      const form = analyzeQuery(request.query).form;
      const bounded = boundedQuery(request.query, request);
      return {
        form,
        sent: forStore(withBase(bounded.query, request.baseIri), this.#graphs, request, request.baseIri),
        ...(bounded.probe ? { probe: forStore(withBase(bounded.probe, request.baseIri), this.#graphs, request, request.baseIri) } : {}),
      };
    });
  }

  /** Comunica joins the store (read triple pattern by triple pattern, as our dataset) with the other sources. */
  async federate(request: FederatedRequest, signal?: AbortSignal): Promise<string> {
    GraphStore.checkSyntax(request.query, request.baseIri);
    this.#options.onDispatch?.({ kind: 'federated', ...(request.queryHash ? { queryHash: request.queryHash } : {}) });
    const bounded = boundedQuery(request.query, request);
    const source = remoteSource(this.#client, this.#graphs, { timeoutMs: this.#options.timeoutMs, maxBytes: request.maxResultBytes, signal });
    const body = await runFederated(source, { ...request, query: bounded.query });
    checkRows(body, request.format, request);
    return withinBytes(body, request.maxResultBytes);
  }

  async dump(request: DumpRequest, signal?: AbortSignal): Promise<string> {
    let text = '';
    for await (const chunk of this.dumpStream(request, signal)) {
      text += chunk;
      if (text.length > request.maxResultBytes) throw tooManyBytes(request.maxResultBytes);
    }
    return text;
  }

  /**
   * The dataset page by page, never whole in memory: N-Triples, N-Quads, Turtle and TriG are
   * written one page at a time (Turtle and TriG repeat their prefixes per page, which both allow);
   * JSON-LD and RDF/XML cannot be cut into pieces and are collected first (up to the byte limit).
   */
  async *dumpStream(request: DumpRequest, signal?: AbortSignal): AsyncIterable<string> {
    const syntax = request.syntax;
    const quads = formatOf(syntax).quads;
    if (syntax === 'jsonld' || syntax === 'rdfxml') {
      const all: RDF.Quad[] = [];
      for await (const page of this.#pages(quads, request, signal)) all.push(...page);
      // JSON-LD comes with the project's prefixes as its context, as the embedded export does.
      yield syntax === 'jsonld' ? await jsonLdWithContext(serializeQuads(all, 'nquads')) : serializeQuads(all, syntax);
      return;
    }
    for await (const page of this.#pages(quads, request, signal)) yield serializeQuads(page, syntax);
  }

  /**
   * The dataset subject by subject: the subjects of the union first (one indexed scan), then their
   * quads a batch of subjects at a time (VALUES: each batch a lookup, not a sort of the whole
   * graph, which paging with OFFSET would repeat for every page). Quads of blank-node subjects,
   * which VALUES cannot name (in our data: the shapes' property nodes), are read first and go with
   * the page that points at them, so that Turtle can write them inline.
   */
  async *#pages(named: boolean | undefined, request: DumpRequest, signal?: AbortSignal): AsyncIterable<RDF.Quad[]> {
    const options = { signal, timeoutMs: this.#options.timeoutMs, maxBytes: request.maxResultBytes };
    const union = this.#graphs.union;
    const read = async (where: string) => {
      const query = named ? `SELECT ?s ?p ?o ?g WHERE { ${where.replace('#GRAPH#', 'GRAPH ?g')} }` : `SELECT ?s ?p ?o WHERE { ${where.replace('#GRAPH#', `GRAPH <${union}>`)} }`;
      const { query: sent, ...dataset } = named ? forStore(query, this.#graphs, {}) : { query };
      const page = await this.#select(sent, { ...options, ...dataset });
      return quadsFromRows(page.rows, named ? undefined : DataFactory.defaultGraph());
    };
    const blank = new BlankNodeQuads(await read('#GRAPH# { ?s ?p ?o FILTER (isBlank(?s)) }'));
    const subjects = await this.#select(`SELECT DISTINCT ?s WHERE { GRAPH <${union}> { ?s ?p ?o } FILTER (isIRI(?s)) }`, options);
    for (let start = 0; start < subjects.rows.length; start += SUBJECTS_PER_PAGE) {
      const values = subjects.rows.slice(start, start + SUBJECTS_PER_PAGE).map((row) => `<${row.s!.value}>`).join(' ');
      const page = await read(`VALUES ?s { ${values} } #GRAPH# { ?s ?p ?o }`);
      if (page.length > 0) yield [...page, ...blank.reachableFrom(page)];
    }
    const rest = blank.rest();
    if (rest.length > 0) yield rest;
  }

  /**
   * Sends a committed change: the union's triples go to graph/union, and the registry follows the
   * graphs that became non-empty or empty. One update request when it fits, pieces otherwise.
   */
  async publish(change: QuadChange): Promise<void> {
    const toStore = (quad: RDF.Quad) => (quad.graph.termType === 'DefaultGraph'
      ? DataFactory.quad(quad.subject, quad.predicate, quad.object, DataFactory.namedNode(this.#graphs.union))
      : quad);
    const removed = change.removed.map(toStore);
    const added = change.added.map(toStore);
    const registry = DataFactory.namedNode(this.#graphs.registry);
    const registered = (graph: string) => DataFactory.quad(DataFactory.namedNode(graph), DataFactory.namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), DataFactory.namedNode(SD_NAMED_GRAPH), registry);
    const ours = (quad: RDF.Quad) => quad.graph.value !== this.#graphs.union;
    const addedGraphs = [...new Set(added.filter(ours).map((q) => q.graph.value))];
    const removedGraphs = [...new Set(removed.filter(ours).map((q) => q.graph.value))];
    const operations: string[] = [];
    // DELETE DATA misses language-tagged literals in Virtuoso 7.2 when the block names several
    // graphs; the template form (same meaning, no variables) does not.
    for (const block of dataBlocks(removed, UPDATE_QUADS)) operations.push(`DELETE { ${block} } WHERE {}`);
    for (const block of dataBlocks([...added, ...addedGraphs.map(registered)], UPDATE_QUADS)) operations.push(`INSERT DATA { ${block} }`);
    const options = { timeoutMs: this.#options.timeoutMs };
    if (removed.length + added.length <= UPDATE_QUADS) {
      if (operations.length > 0) await this.#client.update(operations.join(' ;\n'), options);
    } else {
      for (const [index, operation] of operations.entries()) {
        try {
          await this.#client.update(operation, options);
        } catch (error) {
          throw new HttpError(502, `the store took ${index} of the ${operations.length} pieces of this write and then failed; the write is partly applied: ${(error as Error).message}`);
        }
      }
    }
    // A graph the change emptied leaves the registry.
    for (const graph of removedGraphs) {
      const holds = await this.#select(`SELECT ?s WHERE { GRAPH <${graph}> { ?s ?p ?o } } LIMIT 1`, options);
      if (holds.rows.length === 0) await this.#client.update(`DELETE DATA { GRAPH <${this.#graphs.registry}> { <${graph}> a <${SD_NAMED_GRAPH}> } }`, options);
    }
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  async #select(query: string, options: { signal?: AbortSignal; timeoutMs: number; maxBytes?: number; defaultGraphs?: string[]; namedGraphs?: string[] }): Promise<SelectResult> {
    const answer = await this.#client.query(query, { maxBytes: 256 * 1024 * 1024, ...options, accept: JSON_RESULTS });
    checkTruncation(answer.headers);
    const result = readJsonResult(answer.body, false);
    return 'rows' in result ? result : { vars: [], rows: [] };
  }

}

/**
 * Relative IRIs resolve against the request's base here; the store would keep them relative. A
 * BASE of the query's own, later in the text, still wins.
 */
function withBase(query: string, baseIri: string | undefined): string {
  return baseIri ? `BASE <${baseIri}>\n${query}` : query;
}

/** The answer, if it is within the byte limit (503 otherwise). */
function withinBytes(body: string, maxResultBytes: number): string {
  checkBytes(body, { maxResultBytes });
  return body;
}

/** Quads of blank-node subjects, handed out with the first page that points at them. */
class BlankNodeQuads {
  readonly #bySubject = new Map<string, RDF.Quad[]>();

  constructor(quads: RDF.Quad[]) {
    for (const quad of quads) {
      const key = this.#key(quad.subject.value, quad.graph);
      const list = this.#bySubject.get(key);
      if (list) list.push(quad);
      else this.#bySubject.set(key, [quad]);
    }
  }

  /** The quads of the blank nodes `quads` point at, and of those they point at, each once. */
  reachableFrom(quads: RDF.Quad[]): RDF.Quad[] {
    const found: RDF.Quad[] = [];
    const pending = quads.filter((quad) => quad.object.termType === 'BlankNode');
    for (let quad = pending.pop(); quad; quad = pending.pop()) {
      const key = this.#key(quad.object.value, quad.graph);
      const owned = this.#bySubject.get(key);
      if (!owned) continue;
      this.#bySubject.delete(key);
      found.push(...owned);
      pending.push(...owned.filter((q) => q.object.termType === 'BlankNode'));
    }
    return found;
  }

  /** Those no page pointed at. */
  rest(): RDF.Quad[] {
    return [...this.#bySubject.values()].flat();
  }

  #key(label: string, graph: RDF.Quad_Graph): string {
    return `${graph.value} ${label}`;
  }
}

/** A quad as the data wrote it (a store's own lexical forms undone). */
function canonicalQuad(quad: RDF.Quad): RDF.Quad {
  const object = quad.object;
  if (object.termType !== 'Literal') return quad;
  const value = canonicalValue(object.value, object.datatype.value);
  return value === object.value ? quad : DataFactory.quad(quad.subject, quad.predicate, DataFactory.literal(value, object.datatype), quad.graph);
}

/**
 * Virtuoso cuts results at its ResultSetMaxRows and says so only in a header: a cut answer would
 * be a wrong one, so it is refused.
 */
function checkTruncation(headers: Record<string, string | string[] | undefined>): void {
  const max = headers['x-sparql-maxrows'];
  if (max !== undefined) {
    throw new HttpError(502, `the store cut the result at ${String(max)} rows (Virtuoso's ResultSetMaxRows); raise it above KG_MAX_RESULT_ROWS, or add a LIMIT`);
  }
}
