// One write in progress on the authoritative store: every quad added or removed is recorded, so the
// write can be rolled back whole, reported as a net change, and followed by what it entails (the
// ontology's closure and the union default graph) for exactly the nodes it touched.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { forbidden } from '../core/errors.ts';
import type { QuadChange } from '../engine/engine.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import { inferredAbout } from '../dataset/closure.ts';
import { quadLine } from './rdf-patch.ts';
import type { WorkingSet } from './working-set.ts';

/** Rounds of closure per write (chains of sub-properties and inverses are short). */
const MAX_ROUNDS = 10;

export interface TransactionGraphs {
  ontology: string;
  inferred: string;
  /** Graphs clients may not write: the ontology, the shapes, the saved queries, the closure, the provenance. */
  protectedGraphs: Set<string>;
  /** The one protected graph the server itself writes into during a write. */
  provenance: string;
}

interface Touched {
  quad: RDF.Quad;
  /** Whether the quad was in the store before this write. */
  before: boolean;
  now: boolean;
}

export class Transaction {
  readonly #reads: WorkingSet;
  readonly #store: GraphStore;
  readonly #graphs: TransactionGraphs;
  readonly #touched = new Map<string, Touched>();
  /** Effective operations in order, for rollback. */
  readonly #log: Array<{ added: boolean; quad: RDF.Quad }> = [];
  /** Quads of named graphs changed since the last derive. */
  #pending: RDF.Quad[] = [];

  constructor(reads: WorkingSet, graphs: TransactionGraphs) {
    this.#reads = reads;
    this.#store = reads.store;
    this.#graphs = graphs;
    reads.attach(this);
  }

  /** Whether this write added or removed the quad. */
  touches(quad: RDF.Quad): boolean {
    return this.#touched.has(quadLine(quad));
  }

  /** What the write changes (over a remote store, a scratch store holding what the write reaches). */
  get store(): GraphStore {
    return this.#store;
  }

  /** Reads of the whole dataset: WHERE clauses, graph names. */
  get reads(): WorkingSet {
    return this.#reads;
  }

  /** Before these quads are added or removed: the store gets everything about their nodes and graphs. */
  prepare(quads: RDF.Quad[]): Promise<void> {
    const graphs = quads.filter((q) => q.graph.termType === 'NamedNode').map((q) => q.graph.value);
    return this.#reads.ensureNodes([...nodesOf(quads), ...graphs]);
  }

  /** Before a whole graph is read or changed. */
  prepareGraph(graph: string): Promise<void> {
    return this.#reads.ensureGraph(graph);
  }

  /** Adds a quad of a client's write (a protected graph is refused with 403). */
  add(quad: RDF.Quad): void {
    this.#checkWritable(quad);
    this.#set(quad, true);
  }

  /** Removes a quad of a client's write (a protected graph is refused with 403). */
  remove(quad: RDF.Quad): void {
    this.#checkWritable(quad);
    this.#set(quad, false);
  }

  /** Adds or removes a quad in the provenance graph: the server's own record of the write. */
  record(quad: RDF.Quad, present: boolean): void {
    this.#set(quad, present);
  }

  /** Named graphs (of clients) this write changed so far. */
  changedGraphs(): string[] {
    const graphs = new Set<string>();
    for (const { quad, before, now } of this.#touched.values()) {
      const graph = quad.graph.value;
      if (before !== now && quad.graph.termType === 'NamedNode' && !this.#graphs.protectedGraphs.has(graph)) graphs.add(graph);
    }
    return [...graphs];
  }

  /**
   * Brings what the changes so far entail up to date: the closure about the nodes they touched,
   * then the union default graph for every triple changed. Operations later in the same request
   * see it, as the SPARQL Update semantics require.
   */
  derive(): void {
    const changed = this.#pending;
    this.#pending = [];
    if (changed.length === 0) return;
    const nodes = nodesOf(changed);
    const inferred = DataFactory.namedNode(this.#graphs.inferred);
    for (const node of nodes) {
      for (const quad of this.#store.match(DataFactory.namedNode(node), null, null, inferred)) this.#set(quad, false);
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const fresh = inferredAbout(this.#store, this.#graphs.ontology, this.#graphs.inferred, nodes).filter((quad) => !this.#store.has(quad));
      if (fresh.length === 0) break;
      for (const quad of fresh) this.#set(quad, true);
    }
    this.#updateUnion([...changed, ...this.#pending]);
    this.#pending = [];
  }

  /** The net change: quads there now that were not before, and the reverse. */
  net(filter: (quad: RDF.Quad) => boolean = () => true): QuadChange {
    const change: QuadChange = { removed: [], added: [] };
    for (const { quad, before, now } of this.#touched.values()) {
      if (before === now || !filter(quad)) continue;
      (now ? change.added : change.removed).push(quad);
    }
    return change;
  }

  /** Puts the store back as it was before the write. */
  rollback(): void {
    for (const { added, quad } of this.#log.reverse()) {
      if (added) this.#store.delete(quad);
      else this.#store.add(quad);
    }
    this.#log.length = 0;
    this.#touched.clear();
  }

  #checkWritable(quad: RDF.Quad): void {
    if (quad.graph.termType !== 'NamedNode') throw new Error('writes address named graphs only (the default graph is the union)');
    if (this.#graphs.protectedGraphs.has(quad.graph.value)) {
      throw forbidden(`the graph <${quad.graph.value}> is maintained by the server (ontology, shapes, saved queries, closure or provenance) and cannot be written`);
    }
  }

  #set(quad: RDF.Quad, present: boolean): void {
    if (this.#store.has(quad) === present) return;
    if (present) this.#store.add(quad);
    else this.#store.delete(quad);
    this.#log.push({ added: present, quad });
    const key = quadLine(quad);
    const touched = this.#touched.get(key);
    if (touched) touched.now = present;
    else this.#touched.set(key, { quad, before: !present, now: present });
    if (quad.graph.termType === 'NamedNode') this.#pending.push(quad);
  }

  /** The default graph holds a triple exactly when some named graph does (a set, not a bag). */
  #updateUnion(changed: RDF.Quad[]): void {
    const seen = new Set<string>();
    for (const quad of changed) {
      const triple = DataFactory.quad(quad.subject, quad.predicate, quad.object, DataFactory.defaultGraph());
      const key = quadLine(triple);
      if (seen.has(key)) continue;
      seen.add(key);
      // A quad now in its graph states the triple; only a removed one needs a look at the other graphs.
      const stated = this.#touched.get(quadLine(quad))?.now === true ||
        this.#store.match(quad.subject, quad.predicate, quad.object, null).some((q) => q.graph.termType === 'NamedNode');
      this.#set(triple, stated);
    }
  }
}

/** IRIs in subject or object position: the nodes whose closure and shapes a change can affect. */
export function nodesOf(quads: RDF.Quad[]): string[] {
  const nodes = new Set<string>();
  for (const quad of quads) {
    if (quad.subject.termType === 'NamedNode') nodes.add(quad.subject.value);
    if (quad.object.termType === 'NamedNode') nodes.add(quad.object.value);
  }
  return [...nodes];
}
