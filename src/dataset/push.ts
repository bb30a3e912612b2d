// Loads a built, validated dataset into a remote store, so that it becomes exactly that dataset:
// every named graph replaced, the union default graph materialized as graph/union, the registry of
// our graphs rewritten, and graphs of an earlier push that are no longer in the data dropped.
// Large graphs go in pieces of INSERT DATA; a graph with blank nodes goes whole in one request
// (INSERT … WHERE {}), so that its blank nodes stay one node each.

import { DataFactory } from '../core/n3.ts';
import type * as RDF from '@rdfjs/types';
import type { RemoteEngine } from '../engine/remote/remote-engine.ts';
import { SD_NAMED_GRAPH } from '../engine/remote/store-dataset.ts';
import { dataBlocks } from '../engine/remote/store-terms.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';
import { selectRows } from '../engine/select-rows.ts';

/** Quads per INSERT DATA request (Virtuoso 7.2's SPARQL compiler runs out of memory near 5,000 lines). */
const QUADS_PER_REQUEST = 2_000;
/** Requests in flight at once: the store works on several (each replaces graphs no other touches). */
const PARALLEL_REQUESTS = 2;

export interface PushProgress {
  quads: number;
  totalQuads: number;
  graphs: number;
  totalGraphs: number;
}

export interface PushOutcome {
  graphs: number;
  quads: number;
  /** Graphs of an earlier push (or of writes) that the data no longer has. */
  dropped: string[];
  ms: number;
}

export async function pushDataset(store: GraphStore, engine: RemoteEngine, options: { timeoutMs: number; onProgress?: (progress: PushProgress) => void }): Promise<PushOutcome> {
  const started = performance.now();
  const { union, registry } = engine.storeGraphs;
  const graphNames = store.graphNames();
  const totalQuads = store.size;
  const totalGraphs = graphNames.length + 1;
  const before = await registeredGraphs(engine, registry);
  // Registered first, so that a push cut short leaves every graph it wrote known (the next push
  // replaces them); only graphs registered before can hold anything to drop.
  const registered = new Set(before);
  const entry = (graph: string) => DataFactory.quad(DataFactory.namedNode(graph), DataFactory.namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), DataFactory.namedNode(SD_NAMED_GRAPH));
  await replaceGraph(engine, registry, [...new Set([...before, ...graphNames])].map(entry), options.timeoutMs, true);
  let pushed = 0;
  let graphs = 0;
  // Small graphs (a sentence's) travel many to a request: one request per graph would cost more
  // than the data.
  let batch: Array<{ graph: string; quads: RDF.Quad[] }> = [];
  let batched = 0;
  const sent = (count: number, quads: number) => {
    graphs += count;
    pushed += quads;
    options.onProgress?.({ quads: pushed, totalQuads, graphs, totalGraphs });
  };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const start = async (work: () => Promise<void>) => {
    while (inFlight.size >= PARALLEL_REQUESTS) await Promise.race(inFlight);
    if (failure) throw failure;
    const running = work().catch((error: unknown) => { failure ??= error; }).finally(() => inFlight.delete(running));
    inFlight.add(running);
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const [graphsOf, quadsOf] = [batch, batched];
    batch = [];
    batched = 0;
    await start(async () => {
      await replaceSmallGraphs(engine, graphsOf, registered, options.timeoutMs);
      sent(graphsOf.length, quadsOf);
    });
  };
  const push = async (graph: string, quads: RDF.Quad[]) => {
    if (quads.length > QUADS_PER_REQUEST || hasBlankNodes(quads)) {
      await Promise.all(inFlight);
      await replaceGraph(engine, graph, quads, options.timeoutMs, registered.has(graph) || graph === union);
      sent(1, quads.length);
      return;
    }
    if (batched + quads.length > QUADS_PER_REQUEST) await flush();
    batch.push({ graph, quads });
    batched += quads.length;
  };
  for (const graph of graphNames) await push(graph, store.quads(graph));
  await push(union, store.quads(''));
  await flush();
  await Promise.all(inFlight);
  if (failure) throw failure;
  const dropped = before.filter((graph) => !graphNames.includes(graph));
  for (const graph of dropped) await engine.client.update(`DROP SILENT GRAPH <${graph}>`, { timeoutMs: options.timeoutMs });
  if (dropped.length > 0) await replaceGraph(engine, registry, graphNames.map(entry), options.timeoutMs, true);
  return { graphs: graphNames.length, quads: pushed, dropped, ms: Math.round(performance.now() - started) };
}

function hasBlankNodes(quads: RDF.Quad[]): boolean {
  return quads.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode');
}

/** Several small graphs without blank nodes, each replaced, in one request. */
async function replaceSmallGraphs(engine: RemoteEngine, batch: Array<{ graph: string; quads: RDF.Quad[] }>, registered: Set<string>, timeoutMs: number): Promise<void> {
  const drops = batch.filter(({ graph }) => registered.has(graph)).map(({ graph }) => `DROP SILENT GRAPH <${graph}>`);
  const quads = batch.flatMap(({ graph, quads: inGraph }) => inGraph.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, DataFactory.namedNode(graph))));
  const [block] = dataBlocks(quads, quads.length);
  await engine.client.update([...drops, ...(block ? [`INSERT DATA { ${block} }`] : [])].join(' ;\n'), { timeoutMs });
}

async function registeredGraphs(engine: RemoteEngine, registry: string): Promise<string[]> {
  const rows = await selectRows(engine, `SELECT ?g WHERE { GRAPH <${registry}> { ?g a <${SD_NAMED_GRAPH}> } }`, 256 * 1024 * 1024);
  return rows.flatMap((row) => (row.g ? [row.g.value] : []));
}

/**
 * The graph becomes `quads`; `exists` says whether it may hold something to drop first. Quads
 * without blank nodes go as INSERT DATA in pieces; quads with blank nodes go as INSERT … WHERE {}
 * (the form that allows them), each set of quads sharing a blank node in one request, so each
 * blank node stays one node.
 */
async function replaceGraph(engine: RemoteEngine, graph: string, quads: RDF.Quad[], timeoutMs: number, exists: boolean): Promise<void> {
  const target = DataFactory.namedNode(graph);
  const inGraph = quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, target));
  const ground = inGraph.filter((q) => !hasBlankNodes([q]));
  const operations = [
    ...(exists ? [`DROP SILENT GRAPH <${graph}>`] : []),
    ...dataBlocks(ground, QUADS_PER_REQUEST).map((block) => `INSERT DATA { ${block} }`),
    ...blankNodeGroups(inGraph.filter((q) => hasBlankNodes([q])), QUADS_PER_REQUEST)
      .map((group) => `INSERT { ${dataBlocks(group, group.length)[0]} } WHERE {}`),
  ];
  // The drop goes with the first insert: no reader sees the graph empty between two requests.
  const first = operations.splice(0, exists ? 2 : 1);
  if (first.length > 0) await engine.client.update(first.join(' ;\n'), { timeoutMs });
  for (const operation of operations) await engine.client.update(operation, { timeoutMs });
}

/** Quads with blank nodes in groups of about `size`, never splitting quads that share a blank node. */
export function blankNodeGroups(quads: RDF.Quad[], size: number): RDF.Quad[][] {
  const parent = new Map<string, string>();
  const find = (label: string): string => {
    if (!parent.has(label)) parent.set(label, label);
    let root = label;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(label, root);
    return root;
  };
  const blanks = (q: RDF.Quad) => [q.subject, q.object].filter((t) => t.termType === 'BlankNode').map((t) => t.value);
  for (const quad of quads) {
    const [first, ...rest] = blanks(quad);
    if (first === undefined) continue;
    for (const other of rest) parent.set(find(other), find(first));
    find(first);
  }
  const components = new Map<string, RDF.Quad[]>();
  for (const quad of quads) {
    const root = find(blanks(quad)[0]!);
    const component = components.get(root);
    if (component) component.push(quad);
    else components.set(root, [quad]);
  }
  const groups: RDF.Quad[][] = [];
  let current: RDF.Quad[] = [];
  for (const component of components.values()) {
    if (current.length > 0 && current.length + component.length > size) {
      groups.push(current);
      current = [];
    }
    current.push(...component);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
