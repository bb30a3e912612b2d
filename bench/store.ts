// Our server over a remote store (Virtuoso) against Virtuoso's own endpoint, in one run: every
// saved SELECT query, the same text Virtuoso receives from us sent to it directly, so the ratio is
// the cost of our layer (checks, limits, the rewrite to our dataset, results written in the
// standard form). Then `kg push` of the data and of a synthetic corpus, with their load times.

import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../src/core/config.ts';
import { loadSavedQueries } from '../src/dataset/saved-queries.ts';
import { queryForm } from '../src/engine/query-analysis.ts';
import { boundedQuery } from '../src/engine/result-limits.ts';
import { forStore, storeGraphs } from '../src/engine/remote/store-dataset.ts';
import { startVirtuoso } from '../tests/helpers/peers.ts';
import type { Load } from './load.ts';

export interface StoreBenchTools {
  config: Config;
  startServerProcess: (env?: NodeJS.ProcessEnv) => Promise<{ url: string; stop: () => void }>;
  /** A GET of `url` under load from `connections` connections (autocannon), JSON results asked. */
  load: (url: string, connections: number) => Promise<Load>;
  fixed: (n: number, digits?: number) => string;
  /** Triples of the synthetic corpus pushed at the end (0: none). */
  pushTriples: number;
}

function kg(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--max-old-space-size=8192', 'bin/kg.js', ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`kg ${args.join(' ')} failed: ${stderr}`));
      else resolve({ ms: performance.now() - started, stderr });
    });
  });
}

export async function storeTables(tools: StoreBenchTools): Promise<void> {
  const virtuoso = await startVirtuoso({ maxRows: 1_000_000, buffers: 170_000, connections: 40 });
  const auth = { KG_STORE: 'sparql', KG_STORE_QUERY_URL: virtuoso.sparqlUrl.replace(/\/sparql$/, '/sparql-auth'), KG_STORE_USER: 'dba', KG_STORE_PASSWORD: 'dba' };
  try {
    const pushed = await kg(['push'], { ...auth, KG_STATE_DIR: mkdtempSync(join(tmpdir(), 'kg-bench-state-')) });
    await compareQueries(tools, virtuoso.sparqlUrl, `the data of data/, pushed in ${tools.fixed(pushed.ms / 1000, 1)} s`);
    if (tools.pushTriples > 0) {
      const label = await pushSynthetic(tools, auth);
      // The same queries over the large corpus: the store's own work grows, our layer's does not.
      await compareQueries(tools, virtuoso.sparqlUrl, label);
    }
  } finally {
    await virtuoso.stop();
  }
}

/** Each saved SELECT query through Virtuoso directly, through a bare proxy, and through our server, side by side. */
async function compareQueries(tools: StoreBenchTools, storeUrl: string, what: string): Promise<void> {
  const { fixed, load, config } = tools;
  // Reads go to the open endpoint, as a read replica would.
  const server = await tools.startServerProcess({ KG_STORE: 'sparql', KG_STORE_QUERY_URL: storeUrl });
  const proxy = await startBareProxy(storeUrl);
  const queries = loadSavedQueries(config.queriesDir).filter((saved) => queryForm(saved.query) === 'SELECT');
  const graphs = storeGraphs(config.baseIri);
  console.log(`\nOver a remote store (${what}): our server (KG_STORE=sparql) against Virtuoso's own endpoint answering the same rewritten query, JSON results.`);
  console.log('p50 latency at 1 connection, throughput at 10; "bare proxy" is node:http piping to the store with no work (bench/bare-proxy.mjs), the least any layer costs.\n');
  console.log('| query | Virtuoso p50 ms | bare proxy p50 ms | ours p50 ms | ours ÷ Virtuoso | ours ÷ proxy | Virtuoso c=10 req/s | proxy c=10 req/s | ours c=10 req/s | ours ÷ Virtuoso |');
  console.log('|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  const latencyRatios: number[] = [];
  const proxyRatios: number[] = [];
  const throughputRatios: number[] = [];
  for (const saved of queries) {
    // Exactly what our server sends: the base, the row bound, the rewrite to our dataset.
    const bounded = boundedQuery(saved.query, { maxResultRows: config.maxResultRows, maxResultBytes: config.maxResultBytes }).query;
    const sent = forStore(`BASE <${config.baseIri}>\n${bounded}`, graphs, {});
    const dataset = (sent.defaultGraphs ?? []).map((graph) => `&default-graph-uri=${encodeURIComponent(graph)}`).join('');
    const direct = `${storeUrl}?query=${encodeURIComponent(sent.query)}${dataset}`;
    const ours = `${server.url}/sparql?query=${encodeURIComponent(saved.query)}`;
    const viaProxy = `${proxy.url}/sparql?query=${encodeURIComponent(sent.query)}${dataset}`;
    const [virtuosoOne, proxyOne, oursOne] = [await load(direct, 1), await load(viaProxy, 1), await load(ours, 1)];
    const [virtuosoTen, proxyTen, oursTen] = [await load(direct, 10), await load(viaProxy, 10), await load(ours, 10)];
    latencyRatios.push(oursOne.p50 / virtuosoOne.p50);
    proxyRatios.push(oursOne.p50 / proxyOne.p50);
    throughputRatios.push(oursTen.perSecond / virtuosoTen.perSecond);
    console.log(`| ${saved.name} | ${fixed(virtuosoOne.p50)} | ${fixed(proxyOne.p50)} | ${fixed(oursOne.p50)} | ${fixed(oursOne.p50 / virtuosoOne.p50)} | ${fixed(oursOne.p50 / proxyOne.p50)} | `
      + `${fixed(virtuosoTen.perSecond, 0)} | ${fixed(proxyTen.perSecond, 0)} | ${fixed(oursTen.perSecond, 0)} | ${fixed(oursTen.perSecond / virtuosoTen.perSecond)} |`);
  }
  const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
  console.log(`| median | | | | ${fixed(median(latencyRatios))} | ${fixed(median(proxyRatios))} | | | | ${fixed(median(throughputRatios))} |`);
  proxy.stop();
  server.stop();
}

async function startBareProxy(store: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['bench/bare-proxy.mjs', store], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill());
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.on('exit', (code) => reject(new Error(`the bare proxy exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** `kg synth`, then `kg push` of it (checks included) into the store: how long loading a large corpus takes. */
async function pushSynthetic(tools: StoreBenchTools, auth: NodeJS.ProcessEnv): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-synth-'));
  try {
    await kg(['synth', '--triples', String(tools.pushTriples), '--seed', '1', '--out', dir], {});
    const pushed = await kg(['push'], { ...auth, KG_DATA_DIR: dir, KG_STATE_DIR: mkdtempSync(join(tmpdir(), 'kg-bench-state-')) });
    const done = /push: done in ([\d.]+) s, (\d+) quads in (\d+) graphs/.exec(pushed.stderr);
    console.log(`\n\`kg push\` of a synthetic corpus of ${tools.pushTriples.toLocaleString('en')} triples (build and checks, then the store): ${tools.fixed(pushed.ms / 1000, 1)} s in all; `
      + `${done ? `the store part ${done[1]} s for ${Number(done[2]).toLocaleString('en')} quads in ${Number(done[3]).toLocaleString('en')} graphs plus the union` : pushed.stderr.trim()}`);
    return `a synthetic corpus of ${tools.pushTriples.toLocaleString('en')} triples, pushed in ${tools.fixed(pushed.ms / 1000, 1)} s`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
