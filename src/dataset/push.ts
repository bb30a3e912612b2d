// Loads a built, validated dataset into a remote store, so that it becomes exactly that dataset:
// every named graph replaced, the union default graph materialized as graph/union, the registry of
// our graphs rewritten, and graphs of an earlier push that are no longer in the data dropped.
// Large graphs go in pieces of INSERT DATA; a graph with blank nodes goes whole in one request
// (INSERT … WHERE {}), so that its blank nodes stay one node each.

import { DataFactory } from 'n3';
import type * as RDF from '@rdfjs/types';
import type { RemoteEngine } from '../engine/remote/remote-engine.ts';
import { SD_NAMED_GRAPH } from '../engine/remote/store-dataset.ts';
import { dataBlocks } from '../engine/remote/store-terms.ts';
import type { GraphStore } from '../engine/rdf/graph-store.ts';

/** Quads per INSERT DATA request. */
const QUADS_PER_REQUEST = 5_000;

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
  const before = await registeredGraphs(engine, registry, options.timeoutMs);
  let pushed = 0;
  let graphs = 0;
  const send = async (graph: string, quads: RDF.Quad[]) => {
    await replaceGraph(engine, graph, quads, options.timeoutMs);
    pushed += quads.length;
    graphs += 1;
    options.onProgress?.({ quads: pushed, totalQuads, graphs, totalGraphs });
  };
  for (const graph of graphNames) await send(graph, store.quads(graph));
  await send(union, store.quads(''));
  const dropped = before.filter((graph) => !graphNames.includes(graph));
  for (const graph of dropped) await engine.client.update(`DROP SILENT GRAPH <${graph}>`, { timeoutMs: options.timeoutMs });
  const entries = graphNames.map((graph) => DataFactory.quad(DataFactory.namedNode(graph), DataFactory.namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), DataFactory.namedNode(SD_NAMED_GRAPH)));
  await replaceGraph(engine, registry, entries, options.timeoutMs);
  return { graphs: graphNames.length, quads: pushed, dropped, ms: Math.round(performance.now() - started) };
}

async function registeredGraphs(engine: RemoteEngine, registry: string, timeoutMs: number): Promise<string[]> {
  const answer = await engine.client.query(`SELECT ?g WHERE { GRAPH <${registry}> { ?g a <${SD_NAMED_GRAPH}> } }`, {
    accept: 'application/sparql-results+json', timeoutMs, maxBytes: 256 * 1024 * 1024,
  });
  const rows = (JSON.parse(answer.body) as { results: { bindings: Array<{ g?: { value: string } }> } }).results.bindings;
  return rows.flatMap((row) => (row.g ? [row.g.value] : []));
}

async function replaceGraph(engine: RemoteEngine, graph: string, quads: RDF.Quad[], timeoutMs: number): Promise<void> {
  const target = DataFactory.namedNode(graph);
  const inGraph = quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, target));
  const hasBlankNodes = inGraph.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode');
  if (hasBlankNodes) {
    const [block] = dataBlocks(inGraph, inGraph.length);
    await engine.client.update(`DROP SILENT GRAPH <${graph}> ;\nINSERT { ${block ?? ''} } WHERE {}`, { timeoutMs });
    return;
  }
  const blocks = dataBlocks(inGraph, QUADS_PER_REQUEST);
  await engine.client.update([`DROP SILENT GRAPH <${graph}>`, ...blocks.slice(0, 1).map((block) => `INSERT DATA { ${block} }`)].join(' ;\n'), { timeoutMs });
  for (const block of blocks.slice(1)) await engine.client.update(`INSERT DATA { ${block} }`, { timeoutMs });
}
