// Benchmark: our server against the ceiling (node:http + oxigraph in one thread), Virtuoso and
// Comunica's endpoint, measured side by side in one run with autocannon, every system started
// here on 127.0.0.1 and loaded with our own export. Results go to bench/results/ (JSON, Markdown,
// SVG) and the tables to stdout.
//
//   npm run bench                       the full run (about 20 minutes on 2 cores)
//   npm run bench -- --quick            a smoke run: three queries, the 10k corpus, short cells
//   npm run bench -- --only throughput|scale|federation|runaway|writes|pages|store
//   npm run bench -- --sizes 10000,100000,1000000,5000000   --duration-ms 2000   --push-triples 1000000

import { cpus, totalmem, tmpdir } from 'node:os';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.ts';
import { loadSavedQueries } from '../src/dataset/saved-queries.ts';
import { hammer } from './load.ts';
import { startCeiling, startComunica, startOurs, startVirtuosoPeer } from './systems.ts';
import { measureQueries, type QueryLoad } from './throughput.ts';
import { measureScale, type ScalePoint } from './scale.ts';
import { RESULTS_DIR, savedAtScaleTable, scaleTable, throughputTable, writeResults, type BenchRun } from './results.ts';
import { writesTables } from './writes.ts';
import { pagesTables } from './pages.ts';
import { storeTables } from './store.ts';

const { values } = parseArgs({ options: {
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  sizes: { type: 'string' },
  'duration-ms': { type: 'string' },
  'push-triples': { type: 'string', default: '1000000' },
} });
const quick = values.quick!;
const DURATION_MS = Number(values['duration-ms'] ?? (quick ? 500 : 2000));
const WARMUP_MS = quick ? 200 : 500;
/**
 * Each system, once started, is loaded this long over the queries before it is measured: our
 * server compiles its request path and oxigraph in four threads and took about 3 s to level off
 * (1 s cells right after a start: 2,948, 5,159, 7,818 req/s, then 7,200-9,400), the ceiling about
 * 1 s (7,379, then 11,300-12,100). Without it the first cell of each system measured its start.
 */
const SYSTEM_WARMUP_MS = quick ? 500 : 4000;
const SIZES = (values.sizes ?? (quick ? '10000' : '10000,100000,1000000,5000000')).split(',').map(Number);
const sections = new Set(values.only ? values.only.split(',') : quick ? ['throughput', 'scale'] : ['throughput', 'scale', 'federation', 'runaway', 'writes', 'pages', 'store']);
const config = loadConfig(process.env, { logLevel: 'warn' });
const fixed = (n: number, digits = 2) => n.toFixed(digits);
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** `kg serve` in a child process, as the older tables expect it: its base URL and a stop. */
async function startServerProcess(env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stop: () => void }> {
  const server = await startOurs(env);
  return { url: server.sparqlUrl.replace(/\/sparql$/, ''), stop: () => void server.stop() };
}

const json = { accept: 'application/sparql-results+json' };
const load = (url: string, connections: number) => hammer(url, { connections, durationMs: DURATION_MS, warmupMs: WARMUP_MS, headers: json });

console.log(`diplomacy-kg benchmark${quick ? ' (quick)' : ''}: Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; `
  + `autocannon, ${DURATION_MS} ms per cell after ${WARMUP_MS} ms of warm-up, and ${SYSTEM_WARMUP_MS} ms of load over the queries once each system has started\n`);

let throughput: QueryLoad[] = [];
let scale: ScalePoint[] = [];
const names = { ours: 'diplomacy-kg', virtuoso: 'Virtuoso 7 (Debian)', comunica: 'Comunica endpoint', ceiling: 'ceiling (node:http + oxigraph)' };

if (sections.has('throughput')) throughput = await throughputSection();
if (sections.has('scale')) {
  scale = await measureScale({
    sizes: SIZES, durationMs: DURATION_MS, warmupMs: WARMUP_MS, systemWarmupMs: SYSTEM_WARMUP_MS,
    // The goal "saved queries still ≥ 2x Virtuoso" is stated at 1M triples.
    savedQueries: { at: Math.max(...SIZES.filter((size) => size <= 1_000_000)), dataDir: config.dataDir, queries: loadSavedQueries(config.queriesDir) },
    comunicaUpTo: 100_000, startRuns: quick ? 1 : 3, log,
    onPoint: (point) => log(`${point.triples.toLocaleString('en-US')} triples, ${point.system}: ${point.error ?? `start ${fixed(point.startMs / 1000, 1)} s${point.startRunsMs && point.startRunsMs.length > 1 ? ` (median of ${point.startRunsMs.map((ms) => fixed(ms / 1000, 1)).join(', ')})` : ''}${point.cachedStartMs !== undefined ? `, from the build cache ${fixed(point.cachedStartMs / 1000, 1)} s` : ''}, ${Math.round(point.rssBytes / 2 ** 20)} MiB`}`),
  });
  console.log('\nScale: synthetic corpora at 10 connections\n');
  console.log(scaleTable(scale));
  const saved = savedAtScaleTable({ ours: names.ours, peers: { virtuoso: names.virtuoso, comunica: names.comunica, ceiling: names.ceiling }, scale } as BenchRun);
  if (saved) console.log(`\nSaved queries on the largest corpus up to 1M triples (seed data added), 10 connections\n\n${saved}`);
}
if (sections.has('throughput') || sections.has('scale')) {
  // A run of one of the two parts keeps the other from the last results of its kind.
  const previous = previousRun();
  if (!sections.has('throughput')) throughput = previous?.throughput ?? [];
  if (!sections.has('scale')) scale = previous?.scale ?? [];
  const startedAt = new Date().toISOString();
  const measuredBefore = (part: 'throughput' | 'scale') => previous?.measuredAt?.[part] ?? previous?.startedAt ?? startedAt;
  const run: BenchRun = {
    startedAt,
    measuredAt: {
      throughput: sections.has('throughput') ? startedAt : measuredBefore('throughput'),
      scale: sections.has('scale') ? startedAt : measuredBefore('scale'),
    },
    machine: { node: process.version, cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    quick, ours: names.ours, peers: { virtuoso: names.virtuoso, comunica: names.comunica, ceiling: names.ceiling }, throughput, scale,
  };
  console.log(`\nwritten: ${writeResults(run).join(', ')}`);
}
if (sections.has('federation')) await federationTable();
if (sections.has('runaway')) await runawayTable();
if (sections.has('writes')) await writesTables({ config, startServerProcess, fixed });
if (sections.has('pages')) await pagesTables({ startServerProcess, fixed });
if (sections.has('store')) await storeTables({ config, startServerProcess, load, fixed, pushTriples: Number(values['push-triples']) });
process.exit(0);

function previousRun(): BenchRun | undefined {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${quick ? 'quick' : 'latest'}.json`), 'utf8')) as BenchRun;
  } catch {
    return undefined;
  }
}

/** Every saved query (three in a quick run) at 10 connections against each system, all loaded from our export of data/. */
async function throughputSection(): Promise<QueryLoad[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-'));
  try {
    // Our export, from a server of its own: each system is started when its turn comes.
    const exporter = await startOurs({ KG_STATE_DIR: join(dir, 'state-export') });
    const nquads = join(dir, 'export.nq');
    writeFileSync(nquads, await (await fetch(exporter.sparqlUrl.replace(/\/sparql$/, '/export?format=nquads'))).text());
    await exporter.stop();
    const all = loadSavedQueries(config.queriesDir);
    const queries = quick ? all.filter((saved) => ['future-events', 'signed-documents', 'joint-session-bodies'].includes(saved.name)) : all;
    log(`${queries.length} saved queries x 4 systems`);
    const starts = [
      () => startOurs({ KG_STATE_DIR: join(dir, 'state') }),
      () => startCeiling(nquads),
      () => startVirtuosoPeer(nquads),
      () => startComunica(nquads),
    ];
    const rows = await measureQueries(queries, starts, new Set([names.comunica]), {
      connections: 10, durationMs: DURATION_MS, warmupMs: WARMUP_MS, systemWarmupMs: SYSTEM_WARMUP_MS,
      onCell: (system, row) => log(`${system}, ${row.query}: ${Math.round(row.loads[system]!.perSecond)} req/s`),
    });
    console.log('Request path: every saved query at 10 connections (req/s and ratios)\n');
    console.log(throughputTable({ ours: names.ours, peers: { virtuoso: names.virtuoso, comunica: names.comunica, ceiling: names.ceiling }, throughput: rows } as BenchRun));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The cost of federation: the same join (our countries x another dataset's capitals and
 * populations) through SERVICE between two servers, against one server holding both datasets.
 */
async function federationTable(): Promise<void> {
  const both = mkdtempSync(join(tmpdir(), 'kg-bench-both-'));
  cpSync(config.dataDir, both, { recursive: true });
  cpSync('tests/fixtures/federation/capitals.ttl', join(both, 'capitals.ttl'));
  const other = await startServerProcess({ KG_DATA_DIR: 'tests/fixtures/federation', KG_BASE_IRI: 'http://127.0.0.1:7879/id/' });
  const federating = await startServerProcess({ KG_FEDERATION_ALLOW: `${other.url}/sparql` });
  const single = await startServerProcess({ KG_DATA_DIR: both });
  const joinQuery = (service?: string) => `PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX wdt: <http://www.wikidata.org/prop/direct/>
    SELECT ?name ?capital ?population WHERE { ?c a schema:Country ; rdfs:label ?name ; owl:sameAs ?wd .
    ${service ? `SERVICE <${service}> {` : ''} ?wd wdt:P1082 ?population ; wdt:P36/rdfs:label ?capital ${service ? '}' : ''} }`;
  const oneServer = await load(`${single.url}/sparql?query=${encodeURIComponent(joinQuery())}`, 1);
  const federated = await load(`${federating.url}/sparql?query=${encodeURIComponent(joinQuery(`${other.url}/sparql`))}`, 1);
  console.log('\nFederated join (4 countries x capitals and populations), 1 connection:\n');
  console.log('| setup | req/s | p50 ms | p99 ms | ratio to one server |');
  console.log('|:--|--:|--:|--:|--:|');
  for (const [name, m] of [['one server, both datasets (Oxigraph)', oneServer], ['two servers, SERVICE (Comunica)', federated]] as const) {
    console.log(`| ${name} | ${fixed(m.perSecond, 0)} | ${fixed(m.p50)} | ${fixed(m.p99)} | ${fixed(m.perSecond / oneServer.perSecond, 3)} |`);
  }
  for (const server of [other, federating, single]) server.stop();
  rmSync(both, { recursive: true, force: true });
}

/**
 * Light queries beside runaway ones: how long the first light query waits, then p50/p99 of light
 * queries at 1 connection while 0, 2 or 4 queries that would run for minutes occupy the server,
 * with the elastic pool (the default) and with a pool fixed at the cores (KG_MAX_WORKERS =
 * KG_WORKERS). Runaways are stopped by a 10 s query timeout.
 */
async function runawayTable(): Promise<void> {
  const runaway = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }';
  const light = loadSavedQueries(config.queriesDir).find((saved) => saved.name === 'future-events')!.query;
  const setups = [
    ['elastic pool (default)', {}],
    [`fixed pool of ${config.workers}`, { KG_MAX_WORKERS: String(config.workers) }],
  ] as const;
  console.log('\nA light query (future-events) beside runaway queries, 1 connection:\n');
  console.log('| pool | runaways | first answer ms | req/s | p50 ms | p99 ms |');
  console.log('|:--|--:|--:|--:|--:|--:|');
  for (const [name, env] of setups) {
    for (const count of [0, 2, 4]) {
      const target = await startServerProcess({ ...env, KG_QUERY_TIMEOUT_MS: '10000' });
      const pending = Array.from({ length: count }, () => request(`${target.url}/sparql?query=${encodeURIComponent(runaway)}`, { agent: false }).on('error', () => {}));
      for (const req of pending) req.end();
      // The runaways need a moment to reach the workers and become heavy (the bench is not a test: a pause is fine here).
      if (count > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      const url = `${target.url}/sparql?query=${encodeURIComponent(light)}`;
      const started = performance.now();
      await (await fetch(url, { headers: json })).text();
      const first = performance.now() - started;
      // A first answer after the runaways' timeout means light queries waited for them: the rest would measure an idle server.
      const m = first < 5000 ? await load(url, 1) : undefined;
      for (const req of pending) req.destroy();
      target.stop();
      console.log(`| ${name} | ${count} | ${fixed(first, 1)} | ${m ? fixed(m.perSecond, 0) : '-'} | ${m ? fixed(m.p50) : '-'} | ${m ? fixed(m.p99) : '-'} |`);
    }
  }
}
