// The cost of writes: small SPARQL updates over HTTP (acknowledged only once journaled and fsynced),
// a bulk load of 100k triples through the Graph Store Protocol, and the writer's latency in-process
// over a graph of 10k and of 1M triples: its checks follow the size of the change, not of the graph.

import { mkdtempSync, cpSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../src/core/config.ts';
import { buildKnowledgeGraph } from '../src/dataset/build.ts';
import { Journal } from '../src/writes/journal.ts';
import { createWriter, writeGraphs } from '../src/writes/state.ts';
import { applyUpdate } from '../src/writes/update-plan.ts';

export interface BenchTools {
  config: Config;
  startServerProcess: (env?: NodeJS.ProcessEnv) => Promise<{ url: string; stop: () => void }>;
  fixed: (n: number, digits?: number) => string;
}

const TOKEN = 'bench-write-token-0123456789';
const SMALL_UPDATES = 200;

/** A small curated fact, as an editor would add it: a new place with its label (closure and shapes apply). */
function smallUpdate(i: number): string {
  return `PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    INSERT DATA { GRAPH <urn:bench:edits> { <urn:bench:place${i}> a schema:City ; rdfs:label "Place ${i}"@en } }`;
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

export async function writesTables(tools: BenchTools): Promise<void> {
  const { fixed } = tools;
  console.log('\nWrites: each one checked (SHACL, anchors), journaled with fsync and published to every worker before it is acknowledged:\n');
  console.log('| write | count | writes/s | p50 ms | p99 ms |');
  console.log('|:--|--:|--:|--:|--:|');
  const server = await tools.startServerProcess({ KG_WRITE_TOKEN: TOKEN, KG_STATE_DIR: mkdtempSync(join(tmpdir(), 'kg-bench-state-')) });
  const post = (body: string) => fetch(`${server.url}/sparql`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/sparql-update' }, body });
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < SMALL_UPDATES; i++) {
    const t0 = performance.now();
    const response = await post(smallUpdate(i));
    if (response.status !== 204) throw new Error(`update answered ${response.status}: ${await response.text()}`);
    latencies.push(performance.now() - t0);
  }
  const small = percentiles(latencies);
  console.log(`| small INSERT DATA over HTTP (1 client) | ${SMALL_UPDATES} | ${fixed((SMALL_UPDATES / (performance.now() - started)) * 1000, 0)} | ${fixed(small.p50)} | ${fixed(small.p99)} |`);

  const bulkTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    // Each run loads a new graph: 100k triples, 25k subjects, all of them new.
    const bulk = Array.from({ length: 100_000 }, (_, i) => `<urn:bench:bulk${run}-${i >> 2}> <urn:bench:p${i & 3}> "value ${i}" .`).join('\n');
    const t0 = performance.now();
    const response = await fetch(`${server.url}/store?graph=urn:bench:bulk${run}`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/n-triples' }, body: bulk });
    if (response.status >= 300) throw new Error(`bulk PUT answered ${response.status}: ${await response.text()}`);
    bulkTimes.push(performance.now() - t0);
  }
  const bulkMedian = [...bulkTimes].sort((a, b) => a - b)[1]!;
  console.log(`| bulk PUT /store of 100k triples into a new graph (median of 3) | 3 | ${fixed(100_000 / bulkMedian * 1000, 0)} triples/s | ${fixed(bulkMedian, 0)} | - |`);
  server.stop();

  console.log('\nThe writer in-process (plan, closure, checks, journal with fsync) over graphs of two sizes:\n');
  console.log('| graph | build s | small update p50 ms | p99 ms | ratio p50 to 10k |');
  console.log('|:--|--:|--:|--:|--:|');
  let baseline = 0;
  for (const triples of [10_000, 1_000_000]) {
    const m = await writerLatency(tools.config, triples);
    baseline ||= m.p50;
    console.log(`| ${triples.toLocaleString('en')} background triples | ${fixed(m.buildMs / 1000, 1)} | ${fixed(m.p50)} | ${fixed(m.p99)} | ${fixed(m.p50 / baseline)} |`);
  }
}

/** Builds the graph with `triples` extra untyped triples (no SHACL at start), then times small updates through the writer. */
async function writerLatency(config: Config, triples: number): Promise<{ buildMs: number; p50: number; p99: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kg-bench-data-'));
  cpSync(config.dataDir, dataDir, { recursive: true });
  const file = openSync(join(dataDir, 'background.nt'), 'w');
  for (let start = 0; start < triples; start += 10_000) {
    let chunk = '';
    for (let i = start; i < Math.min(triples, start + 10_000); i++) chunk += `<urn:bench:s${i >> 3}> <urn:bench:p${i & 7}> "value ${i}" .\n`;
    writeSync(file, chunk);
  }
  closeSync(file);
  const t0 = performance.now();
  const kg = await buildKnowledgeGraph({ ...config, dataDir }, { validate: false });
  const buildMs = performance.now() - t0;
  const journal = await Journal.open(mkdtempSync(join(tmpdir(), 'kg-bench-journal-')), { onWarning: () => {} });
  const writer = createWriter(kg, config, journal, { publish: () => Promise.resolve() });
  const graphs = writeGraphs(config.baseIri);
  const context = { baseIri: config.baseIri, defaultGraph: graphs.defaultGraph, isProtected: (g: string) => graphs.protectedGraphs.has(g),
    maxWriteQuads: config.maxWriteQuads, load: () => Promise.reject(new Error('no LOAD in the bench')) };
  const latencies: number[] = [];
  for (let i = 0; i < SMALL_UPDATES; i++) {
    const started = performance.now();
    await writer.write('bench', (tx) => applyUpdate(tx, { update: smallUpdate(i), usingGraphs: [], usingNamedGraphs: [] }, context));
    latencies.push(performance.now() - started);
  }
  await journal.close();
  return { buildMs, ...percentiles(latencies.slice(5)) };
}
