// What was written on top of the base data, brought back at start: the state directory's snapshot
// and journal replayed onto the freshly built store. A server with write tokens takes the state
// directory (its lock, the journal open for appending); one without only reads it, if it exists.

import { existsSync } from 'node:fs';
import type { QuadChange } from '../engine/engine.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import type { DatasetDump } from '../engine/embedded/embedded-engine.ts';
import { SYSTEM_GRAPHS, DEFAULT_GRAPH_STAND_IN } from '../dataset/sources.ts';
import { QUERIES_GRAPH } from '../dataset/saved-queries-rdf.ts';
import { Journal, NetChange, readJournal } from './journal.ts';
import { Transaction, type TransactionGraphs } from './transaction.ts';
import { Writer, type WriterOptions } from './writer.ts';
import { LocalWorkingSet } from './working-set.ts';
import type { Config } from '../core/config.ts';
import { buildKnowledgeGraph, checkKnowledgeGraph, type BuildOptions, type KnowledgeGraph } from '../dataset/build.ts';

/** The graphs a write works with, under a base IRI. */
export function writeGraphs(baseIri: string): TransactionGraphs & { defaultGraph: string } {
  const iri = (relative: string) => `${baseIri}${relative}`;
  return {
    ontology: iri(SYSTEM_GRAPHS.ontology),
    inferred: iri(SYSTEM_GRAPHS.inferred),
    provenance: iri(SYSTEM_GRAPHS.provenance),
    defaultGraph: iri(DEFAULT_GRAPH_STAND_IN),
    protectedGraphs: new Set([...Object.values(SYSTEM_GRAPHS), QUERIES_GRAPH].map(iri)),
  };
}

export interface RestoredState {
  /** Open for appending when the state was taken for writing. */
  journal?: Journal;
  /** Quads the snapshot and journal changed (net). */
  replayedQuads: number;
  records: number;
}

export interface RestoreOptions {
  stateDir: string;
  baseIri: string;
  /** Take the state directory for writing (lock, journal opened, torn tail cut). */
  writable: boolean;
  onWarning: (message: string, details: Record<string, unknown>) => void;
}

/** Replays the state directory onto `store` (which holds the base data, closure and union). */
export async function restoreState(store: GraphStore, options: RestoreOptions): Promise<RestoredState> {
  if (options.writable) {
    const journal = await Journal.open(options.stateDir, { onWarning: options.onWarning });
    const state = journal.state;
    replay(store, options.baseIri, state);
    return { journal, replayedQuads: state.added.length + state.removed.length, records: journal.records };
  }
  if (!existsSync(options.stateDir)) return { replayedQuads: 0, records: 0 };
  const contents = readJournal(options.stateDir);
  if (contents.problem) {
    options.onWarning('the journal ends with a torn or damaged record; it is not applied (a server with a write token cuts it off)', { problem: contents.problem });
  }
  const net = new NetChange();
  if (contents.snapshot) net.apply(contents.snapshot.change);
  for (const record of contents.records) net.apply(record.change);
  const state = net.toChange();
  replay(store, options.baseIri, state);
  return { replayedQuads: state.added.length + state.removed.length, records: contents.records.length };
}

function replay(store: GraphStore, baseIri: string, change: QuadChange): void {
  if (change.added.length + change.removed.length === 0) return;
  // Checked when they were written; the whole graph is checked again after the replay.
  const tx = new Transaction(new LocalWorkingSet(store), writeGraphs(baseIri));
  for (const quad of change.removed) tx.record(quad, false);
  for (const quad of change.added) tx.record(quad, true);
  tx.derive();
}

type Warn = RestoreOptions['onWarning'];

type CurrentGraphOptions = { writable: boolean; onWarning: Warn } & Pick<BuildOptions, 'onProgress' | 'onDataLoaded'>;

/** The graph built from the files and what the state directory adds to it. */
export interface OpenedGraph {
  kg: KnowledgeGraph;
  restored: RestoredState;
}

/**
 * The graph as it stands: the base data, what the state directory adds, then the loader's checks
 * over the whole. `writable` takes the state directory (close the journal when done).
 */
export async function buildCurrentGraph(config: Config, options: CurrentGraphOptions): Promise<OpenedGraph> {
  const opened = await openCurrentGraph(config, options);
  await checkCurrentGraph(opened, config, options);
  return opened;
}

/** The base data and what the state directory adds, not yet checked (see checkCurrentGraph). */
export async function openCurrentGraph(config: Config, options: CurrentGraphOptions): Promise<OpenedGraph> {
  const { onProgress, onDataLoaded, ...restore } = options;
  const kg = await buildKnowledgeGraph(config, { deferChecks: true, ...(onProgress ? { onProgress } : {}), ...(onDataLoaded ? { onDataLoaded } : {}) });
  const restored = await restoreState(kg.store, { stateDir: config.stateDir, baseIri: config.baseIri, ...restore });
  return { kg, restored };
}

/** What workers load after the data's dump; `whole`: a dump of everything, to start again on. */
export type DatasetAfterData = DatasetDump & { whole: boolean };

/**
 * What query workers started on the data's dump (`onDataLoaded`) load next: the closure's graph
 * (each worker then makes the union itself, see NQuadsLoader.finishWithUnion); or, when writes
 * of the state directory were replayed (they may have removed data that dump holds), one dump of
 * everything, union included, to start again on (`whole`).
 */
export function datasetAfterData(opened: OpenedGraph, baseIri: string): DatasetAfterData {
  const { store } = opened.kg;
  const whole = opened.restored.replayedQuads > 0;
  return { whole, size: store.size, nquads: whole ? store.dumpAll() : store.dumpGraph(`${baseIri}${SYSTEM_GRAPHS.inferred}`) };
}

/** The loader's checks over an opened graph; if they fail, the journal is closed. */
export async function checkCurrentGraph(opened: OpenedGraph, config: Config,
  options: Pick<BuildOptions, 'onProgress'>): Promise<void> {
  try {
    await checkKnowledgeGraph(opened.kg, config.baseIri, options.onProgress ? { onProgress: options.onProgress } : {});
  } catch (error) {
    await opened.restored.journal?.close();
    throw error;
  }
}

/**
 * The writer over a built graph: on its authoritative store with the open journal (embedded), or
 * on the working sets `hooks.workingSet` makes, without a journal (over a remote store).
 */
export function createWriter(kg: KnowledgeGraph, config: Config, journal: Journal | undefined,
  hooks: Pick<WriterOptions, 'publish' | 'onSnapshot'> & Partial<Pick<WriterOptions, 'workingSet'>>): Writer {
  return new Writer({
    workingSet: () => new LocalWorkingSet(kg.store),
    baseIri: config.baseIri,
    graphs: writeGraphs(config.baseIri),
    shapes: kg.store.quads(`${config.baseIri}${SYSTEM_GRAPHS.shapes}`),
    maxWriteQuads: config.maxWriteQuads,
    snapshotAfterBytes: config.snapshotAfterBytes,
    ...hooks,
  }, journal);
}
