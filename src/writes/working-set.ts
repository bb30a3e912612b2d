// What a write reads and changes. Over the embedded engine that is the authoritative store itself.
// Over a remote store this process holds no copy: each write gets a scratch store holding the
// ontology and, fetched before they are touched, the quads around the nodes and graphs the write
// reaches (a node's own quads in every graph, the quads pointing at it, and the types and texts of
// what it points at): exactly what the closure, the union, the SHACL shapes and the text anchors
// read about them. Its net change is then sent to the store.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { PREFIXES } from '../core/namespaces.ts';
import type { Engine, QuadChange } from '../engine/engine.ts';
import { GraphStore, type Bindings } from '../engine/rdf/graph-store.ts';
import { selectRows, termOf, type JsonRow } from '../engine/select-rows.ts';
import { quadsFromRows } from '../engine/remote/store-terms.ts';
import { quadLine } from './rdf-patch.ts';

export interface Dataset {
  defaultGraphs?: string[];
  namedGraphs?: string[];
}

/** What a working set needs to know of the write in progress. */
export interface PendingWrite {
  /** Whether the write has added or removed this quad (its view of the quad wins over the store's). */
  touches(quad: RDF.Quad): boolean;
  /** Its net change so far. */
  net(): QuadChange;
}

export interface WorkingSet {
  /** What the transaction reads and changes. */
  readonly store: GraphStore;
  /** The transaction that runs on it. */
  attach(write: PendingWrite): void;
  /** What is left to publish of the write's net change (part of it may be in the store already). */
  remainder(change: QuadChange): QuadChange;
  /** The write failed: whatever of it reached the store is taken back. */
  undo(): Promise<void>;
  /** Makes the store hold everything about these nodes (before they are read or changed). */
  ensureNodes(nodes: Iterable<string>): Promise<void>;
  /** Makes the store hold every quad of a graph, and everything about its nodes. */
  ensureGraph(graph: string): Promise<void>;
  /** A WHERE clause, on the whole dataset. */
  select(query: string, dataset: Dataset): Promise<Bindings[]>;
  graphNames(): Promise<string[]>;
  holdsGraph(graph: string): Promise<boolean>;
  /** The write is over: scratch memory is released. */
  release(): void;
}

/** The authoritative store of this process: everything is there already. */
export class LocalWorkingSet implements WorkingSet {
  readonly store: GraphStore;
  constructor(store: GraphStore) {
    this.store = store;
  }
  attach(): void {}
  remainder(change: QuadChange): QuadChange { return change; }
  undo(): Promise<void> { return Promise.resolve(); }
  ensureNodes(): Promise<void> { return Promise.resolve(); }
  ensureGraph(): Promise<void> { return Promise.resolve(); }
  select(query: string, dataset: Dataset): Promise<Bindings[]> { return Promise.resolve(this.store.select(query, dataset)); }
  graphNames(): Promise<string[]> { return Promise.resolve(this.store.graphNames()); }
  holdsGraph(graph: string): Promise<boolean> { return Promise.resolve(this.store.holdsGraph(graph)); }
  release(): void {}
}

/** Nodes per VALUES block of a fetch. */
const NODES_PER_FETCH = 200;
const READ_LIMIT = 1024 * 1024 * 1024;

/**
 * A scratch store filled from the engine on demand. A read of the whole dataset (a WHERE clause,
 * the graph names) made after earlier operations of the same request changed something must see
 * those changes, as SPARQL Update requires: they are sent to the store first (tentatively: taken
 * back if the write is then refused, and only the rest is sent when it commits).
 */
export class FetchedWorkingSet implements WorkingSet {
  readonly store = new GraphStore();
  readonly #engine: Engine;
  readonly #fetched = new Set<string>();
  readonly #fetchedGraphs = new Set<string>();
  #write: PendingWrite | undefined;
  /** What of the write is in the store already. */
  #sent: QuadChange = { removed: [], added: [] };

  /** `base` are quads every write needs whole (the ontology, for the closure rules). */
  constructor(engine: Engine, base: RDF.Quad[]) {
    this.#engine = engine;
    for (const quad of base) this.store.add(quad);
  }

  attach(write: PendingWrite): void {
    this.#write = write;
  }

  remainder(change: QuadChange): QuadChange {
    return stepBetween(this.#sent, change);
  }

  async undo(): Promise<void> {
    const sent = this.#sent;
    if (sent.added.length + sent.removed.length === 0) return;
    this.#sent = { removed: [], added: [] };
    await this.#engine.publish({ removed: sent.added, added: sent.removed });
  }

  /** Sends what the write changed since the last read of the whole dataset. */
  async #sendPending(): Promise<void> {
    if (!this.#write) return;
    const net = this.#write.net();
    const step = stepBetween(this.#sent, net);
    if (step.added.length + step.removed.length === 0) return;
    await this.#engine.publish(step);
    this.#sent = net;
  }

  async ensureNodes(nodes: Iterable<string>): Promise<void> {
    const missing = [...new Set(nodes)].filter((node) => !this.#fetched.has(node));
    for (let start = 0; start < missing.length; start += NODES_PER_FETCH) {
      const chunk = missing.slice(start, start + NODES_PER_FETCH);
      const values = chunk.map((iri) => `<${iri}>`).join(' ');
      const typeOrText = `<${PREFIXES.rdf}type> <${PREFIXES.nif}isString>`;
      const [outNamed, inNamed, outUnion, inUnion, around] = await Promise.all([
        this.#rows(`SELECT ?s ?p ?o ?g WHERE { VALUES ?s { ${values} } GRAPH ?g { ?s ?p ?o } }`),
        this.#rows(`SELECT ?s ?p ?o ?g WHERE { VALUES ?o { ${values} } GRAPH ?g { ?s ?p ?o } }`),
        this.#rows(`SELECT ?s ?p ?o WHERE { VALUES ?s { ${values} } ?s ?p ?o }`),
        this.#rows(`SELECT ?s ?p ?o WHERE { VALUES ?o { ${values} } ?s ?p ?o }`),
        this.#rows(`SELECT DISTINCT (?x AS ?s) ?p ?o WHERE { VALUES ?n { ${values} } ?n ?q ?x FILTER (isIRI(?x)) VALUES ?p { ${typeOrText} } ?x ?p ?o }`),
      ]);
      this.#add(quadsFromRows([...outNamed, ...inNamed]));
      this.#add(quadsFromRows([...outUnion, ...inUnion, ...around], DataFactory.defaultGraph()));
      for (const node of chunk) this.#fetched.add(node);
    }
  }

  async ensureGraph(graph: string): Promise<void> {
    if (this.#fetchedGraphs.has(graph)) return;
    const rows = await this.#rows(`SELECT ?s ?p ?o WHERE { GRAPH <${graph}> { ?s ?p ?o } }`);
    const nodes = new Set<string>();
    for (const row of rows) {
      if (row.s?.type === 'uri') nodes.add(row.s.value);
      if (row.o?.type === 'uri') nodes.add(row.o.value);
    }
    await this.ensureNodes(nodes);
    this.#add(quadsFromRows(rows, DataFactory.namedNode(graph)));
    this.#fetchedGraphs.add(graph);
  }

  async select(query: string, dataset: Dataset): Promise<Bindings[]> {
    await this.#sendPending();
    const rows = await selectRows(this.#engine, query, READ_LIMIT, dataset);
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([name, term]) => [name, termOf(term)])));
  }

  async graphNames(): Promise<string[]> {
    await this.#sendPending();
    return (await this.#rows('SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }')).map((row) => row.g!.value);
  }

  async holdsGraph(graph: string): Promise<boolean> {
    await this.#sendPending();
    return (await this.#rows(`SELECT ?s WHERE { GRAPH <${graph}> { ?s ?p ?o } } LIMIT 1`)).length > 0;
  }

  release(): void {
    this.store.free();
  }

  #rows(query: string): Promise<JsonRow[]> {
    return selectRows(this.#engine, query, READ_LIMIT);
  }

  /** Fetched quads join the store, except those the write has added or removed: its view of them stands. */
  #add(quads: RDF.Quad[]): void {
    for (const quad of quads) if (!this.#write?.touches(quad)) this.store.add(quad);
  }
}

/**
 * The change that takes a store holding `from` (a net change already applied) to holding `to`:
 * what `to` has that `from` has not, and what `from` did that `to` no longer does, taken back.
 */
function stepBetween(from: QuadChange, to: QuadChange): QuadChange {
  const ahead = difference(to, from);
  const undone = difference(from, to);
  return { removed: [...ahead.removed, ...undone.added], added: [...ahead.added, ...undone.removed] };
}

/** Quads of `change` not in `already` (each side by itself). */
function difference(change: QuadChange, already: QuadChange): QuadChange {
  const removed = new Set(already.removed.map(quadLine));
  const added = new Set(already.added.map(quadLine));
  return {
    removed: change.removed.filter((quad) => !removed.has(quadLine(quad))),
    added: change.added.filter((quad) => !added.has(quadLine(quad))),
  };
}
