// The one writer: runs writes one at a time, each as a transaction that is planned, completed with
// what it entails, checked like loaded data, journaled (fsynced), and only then published to the
// query workers. Anything that fails rolls the store back whole. Over a remote store there is no
// journal: the transaction runs on a working set fetched from the store, and publishing its net
// change to the store is the commit (durability is the store's).

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import { HttpError, payloadTooLarge, unprocessable } from '../core/errors.ts';
import { PREFIXES } from '../core/namespaces.ts';
import type { QuadChange } from '../engine/engine.ts';
import { checkChange } from './change-checks.ts';
import type { Journal } from './journal.ts';
import { Transaction, type TransactionGraphs } from './transaction.ts';
import type { WorkingSet } from './working-set.ts';

const { quad, namedNode, literal } = DataFactory;

export interface WriterOptions {
  /** What one write reads and changes: the authoritative store, or a working set fetched from a remote store. */
  workingSet: () => WorkingSet;
  baseIri: string;
  graphs: TransactionGraphs;
  /** The SHACL shapes every write is checked against. */
  shapes: RDF.Quad[];
  maxWriteQuads: number;
  /** Past this journal size a snapshot is taken after the write. */
  snapshotAfterBytes: number;
  /** The change is committed: make every query see it. */
  publish: (change: QuadChange) => Promise<void>;
  /** A snapshot was written, or could not be (the journal still holds everything). */
  onSnapshot?: (outcome: { ms: number } | { error: string }) => void;
}

export interface WriteOutcome<T> {
  result: T;
  /** Quads of clients' graphs the write removed and added (what the journal holds, provenance included). */
  removed: number;
  added: number;
}

export class Writer {
  readonly #options: WriterOptions;
  readonly #journal: Journal | undefined;
  readonly #committed: Array<() => void> = [];
  #queue: Promise<unknown> = Promise.resolve();

  /** Without a journal (over a remote store), a write is committed when the store has it. */
  constructor(options: WriterOptions, journal?: Journal) {
    this.#options = options;
    this.#journal = journal;
  }

  /** Calls `listener` after each write that changed something (caches of counts are dropped). */
  onCommit(listener: () => void): void {
    this.#committed.push(listener);
  }

  /** Runs `work` when no write is in progress (a read of the authoritative store sees whole writes only). */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs one write made by `author`: `plan` changes the transaction; the write is then checked,
   * journaled and published, or refused (422 with the problems, 413 if too large) and undone.
   */
  write<T>(author: string, plan: (tx: Transaction) => Promise<T> | T): Promise<WriteOutcome<T>> {
    return this.exclusive(async () => {
      const workingSet = this.#options.workingSet();
      const tx = new Transaction(workingSet, this.#options.graphs);
      try {
        let journaled: QuadChange;
        let result: T;
        try {
          result = await plan(tx);
          tx.derive();
          await this.#recordProvenance(tx, author);
          tx.derive();
          journaled = tx.net((q) => q.graph.termType === 'NamedNode' && q.graph.value !== this.#options.graphs.inferred);
          if (journaled.added.length + journaled.removed.length === 0) return { result, removed: 0, added: 0 };
          await this.#check(tx, journaled);
          await this.#append(author, journaled);
        } catch (error) {
          tx.rollback();
          await workingSet.undo();
          throw error;
        }
        await this.#options.publish(workingSet.remainder(tx.net()));
        for (const listener of this.#committed) listener();
        await this.#snapshotIfDue();
        return { result, removed: journaled.removed.length, added: journaled.added.length };
      } finally {
        workingSet.release();
      }
    });
  }

  /** Folds the journal into a snapshot now. */
  snapshot(): Promise<void> {
    return this.exclusive(() => this.#journal?.snapshot());
  }

  async #check(tx: Transaction, journaled: QuadChange): Promise<void> {
    const size = journaled.added.length + journaled.removed.length;
    if (size > this.#options.maxWriteQuads) {
      throw payloadTooLarge(`the write changes ${size} quads; the limit is ${this.#options.maxWriteQuads} (KG_MAX_WRITE_QUADS); split it`);
    }
    const problems = await checkChange(tx.reads, tx.net((q) => q.graph.termType === 'NamedNode'), this.#options.shapes);
    if (problems.length > 0) {
      throw unprocessable(`the write was refused and nothing of it applied: the data would not pass the loader's checks (SHACL shapes, text anchors):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
  }

  async #append(author: string, change: QuadChange): Promise<void> {
    if (!this.#journal) return;
    try {
      await this.#journal.append(author, change);
    } catch (error) {
      throw new HttpError(503, `the write could not be saved to the journal and was not applied: ${(error as Error).message}`, { cause: error });
    }
  }

  async #snapshotIfDue(): Promise<void> {
    if (!this.#journal || this.#journal.bytes <= this.#options.snapshotAfterBytes) return;
    const started = performance.now();
    try {
      await this.#journal.snapshot();
      this.#options.onSnapshot?.({ ms: Math.round(performance.now() - started) });
    } catch (error) {
      // The journal is intact: nothing is lost, the next write tries again.
      this.#options.onSnapshot?.({ error: (error as Error).message });
    }
  }

  /** Each graph the write changed: who changed it (prov:wasAttributedTo) and when (dcterms:modified). */
  async #recordProvenance(tx: Transaction, author: string): Promise<void> {
    const graphs = tx.changedGraphs();
    if (graphs.length === 0) return;
    await tx.reads.ensureNodes([...graphs, `${this.#options.baseIri}agent/${encodeURIComponent(author)}`]);
    const provenance = namedNode(this.#options.graphs.provenance);
    const agent = namedNode(`${this.#options.baseIri}agent/${encodeURIComponent(author)}`);
    const modified = namedNode(`${PREFIXES.dcterms}modified`);
    const now = literal(new Date().toISOString(), namedNode(`${PREFIXES.xsd}dateTime`));
    tx.record(quad(agent, namedNode(`${PREFIXES.rdf}type`), namedNode(`${PREFIXES.prov}Agent`), provenance), true);
    tx.record(quad(agent, namedNode(`${PREFIXES.rdfs}label`), literal(author), provenance), true);
    for (const graph of graphs.map((iri) => namedNode(iri))) {
      for (const old of tx.store.match(graph, modified, null, provenance)) tx.record(old, false);
      tx.record(quad(graph, modified, now, provenance), true);
      tx.record(quad(graph, namedNode(`${PREFIXES.prov}wasAttributedTo`), agent, provenance), true);
    }
  }
}

