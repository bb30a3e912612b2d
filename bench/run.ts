// Benchmark: every saved query through the HTTP endpoint at 1 and 10 connections, next to the
// same query run in-process on the store (the upper limit), measured side by side in one run.
//
//   npm run bench [-- --duration-ms 500] [-- --only writes|pages|store] [-- --push-triples 1000000]

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.ts';
import { buildKnowledgeGraph } from '../src/dataset/build.ts';
import { loadSavedQueries } from '../src/dataset/saved-queries.ts';
import { queryForm } from '../src/engine/query-analysis.ts';
import { writesTables } from './writes.ts';
import { pagesTables } from './pages.ts';
import { storeTables } from './store.ts';

const { values } = parseArgs({ options: {
  'duration-ms': { type: 'string', default: '500' }, only: { type: 'string' }, 'push-triples': { type: 'string', default: '1000000' },
} });
const DURATION_MS = Number(values['duration-ms']);

interface Measurement {
  perSecond: number;
  p50: number;
  p99: number;
}

function summarize(latencies: number[], elapsedMs: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { perSecond: (latencies.length / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99) };
}

/** Runs `task` from `connections` loops at once for the duration; returns throughput and latencies. */
async function measure(task: () => Promise<void> | void, connections: number): Promise<Measurement> {
  for (let i = 0; i < 5; i++) await task(); // warm-up
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await task();
      latencies.push(performance.now() - t0);
    }
  }));
  return summarize(latencies, performance.now() - started);
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const fixed = (n: number, digits = 2) => n.toFixed(digits);

/** Servers still running: a bench that fails half-way leaves none behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill();
});

/** The server runs as `kg serve` in a child process, as in production: the client never shares its event loop. */
async function startServerProcess(env: NodeJS.ProcessEnv = {}): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['bin/kg.js', 'serve', '--port', '0'], {
    env: { ...process.env, KG_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as { msg?: string; url?: string };
      if (line.msg === 'listening' && line.url) resolve(line.url);
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  child.stdout!.resume();
  return { url, stop: () => child.kill('SIGTERM') };
}

/** GET with a keep-alive agent: one socket per connection of the benchmark. */
function get(url: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers: { accept: 'application/sparql-results+json' } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode} for ${url}`));
      response.on('data', () => {}).on('end', resolve).on('error', reject);
    }).on('error', reject).end();
  });
}

const config = loadConfig(process.env, { logLevel: 'warn' });
if (values.only === 'writes') {
  await writesTables({ config, startServerProcess, fixed });
  process.exit(0);
}
if (values.only === 'pages') {
  await pagesTables({ startServerProcess, fixed });
  process.exit(0);
}
const storeTools = { config, startServerProcess, measure, get, fixed, pushTriples: Number(values['push-triples']) };
if (values.only === 'store') {
  await storeTables(storeTools);
  process.exit(0);
}
const kg = await buildKnowledgeGraph(config, { validate: false });
const server = await startServerProcess();
// CONSTRUCT queries answer in Turtle, SELECT in JSON: the bench compares the tabular ones.
const queries = loadSavedQueries(config.queriesDir).filter((saved) => queryForm(saved.query) === 'SELECT');

console.log(`diplomacy-kg benchmark: ${queries.length} saved queries, ${DURATION_MS} ms per cell, ${config.workers} query workers, server in a child process, Node ${process.version}`);
console.log('req/s = requests per second; p50/p99 in ms; ratio = endpoint req/s ÷ in-process req/s\n');

const agents = { one: new Agent({ keepAlive: true, maxSockets: 1 }), ten: new Agent({ keepAlive: true, maxSockets: 10 }) };
const header = ['query', 'in-process req/s', 'p50', 'HTTP c=1 req/s', 'p50', 'p99', 'ratio', 'HTTP c=10 req/s', 'p50', 'p99', 'ratio'];
const rows: string[][] = [];
const ratios1: number[] = [];
const ratios10: number[] = [];
for (const saved of queries) {
  const inProcess = await measure(() => { kg.store.serialize(saved.query, 'json'); }, 1);
  const url = `${server.url}/sparql?query=${encodeURIComponent(saved.query)}`;
  const one = await measure(() => get(url, agents.one), 1);
  const ten = await measure(() => get(url, agents.ten), 10);
  ratios1.push(one.perSecond / inProcess.perSecond);
  ratios10.push(ten.perSecond / inProcess.perSecond);
  rows.push([
    saved.name,
    fixed(inProcess.perSecond, 0), fixed(inProcess.p50, 3),
    fixed(one.perSecond, 0), fixed(one.p50), fixed(one.p99), fixed(one.perSecond / inProcess.perSecond, 3),
    fixed(ten.perSecond, 0), fixed(ten.p50), fixed(ten.p99), fixed(ten.perSecond / inProcess.perSecond, 3),
  ]);
}
rows.push(['median ratio', '', '', '', '', '', fixed(median(ratios1), 3), '', '', '', fixed(median(ratios10), 3)]);

const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const row of rows) console.log(line(row));

server.stop();
await federationTable();
await runawayTable();
await writesTables({ config, startServerProcess, fixed });
await pagesTables({ startServerProcess, fixed });
await storeTables(storeTools);
agents.one.destroy();
agents.ten.destroy();

/**
 * The cost of federation: the same join (our countries x another dataset's capitals and
 * populations) through SERVICE between two servers, against one server holding both datasets,
 * and against the in-process store.
 */
async function federationTable(): Promise<void> {
  const both = mkdtempSync(join(tmpdir(), 'kg-bench-both-'));
  cpSync(config.dataDir, both, { recursive: true });
  cpSync('tests/fixtures/federation/capitals.ttl', join(both, 'capitals.ttl'));
  const other = await startServerProcess({ KG_DATA_DIR: 'tests/fixtures/federation', KG_BASE_IRI: 'http://127.0.0.1:7879/id/' });
  const federating = await startServerProcess({ KG_FEDERATION_ALLOW: `${other.url}/sparql` });
  const single = await startServerProcess({ KG_DATA_DIR: both });
  const joined = await buildKnowledgeGraph({ ...config, dataDir: both }, { validate: false });
  const joinQuery = (service?: string) => `PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX wdt: <http://www.wikidata.org/prop/direct/>
    SELECT ?name ?capital ?population WHERE { ?c a schema:Country ; rdfs:label ?name ; owl:sameAs ?wd .
    ${service ? `SERVICE <${service}> {` : ''} ?wd wdt:P1082 ?population ; wdt:P36/rdfs:label ?capital ${service ? '}' : ''} }`;
  const inProcess = await measure(() => { joined.store.serialize(joinQuery(), 'json'); }, 1);
  const oneServer = await measure(() => get(`${single.url}/sparql?query=${encodeURIComponent(joinQuery())}`, agents.one), 1);
  const federated = await measure(() => get(`${federating.url}/sparql?query=${encodeURIComponent(joinQuery(`${other.url}/sparql`))}`, agents.one), 1);
  console.log('\nFederated join (4 countries x capitals and populations), 1 connection:\n');
  const rows = [
    ['in-process store, both datasets', inProcess],
    ['one server, both datasets (Oxigraph)', oneServer],
    ['two servers, SERVICE (Comunica)', federated],
  ] as const;
  console.log('| setup | req/s | p50 ms | p99 ms | ratio to one server |');
  console.log('|:--|--:|--:|--:|--:|');
  for (const [name, m] of rows) {
    console.log(`| ${name} | ${fixed(m.perSecond, 0)} | ${fixed(m.p50)} | ${fixed(m.p99)} | ${fixed(m.perSecond / oneServer.perSecond, 3)} |`);
  }
  for (const server of [other, federating, single]) server.stop();
}

/**
 * Light queries beside runaway ones: how long the first light query waits, then p50/p99 of light
 * queries at 1 connection while 0, 2 or 4 queries that would run for minutes occupy the server,
 * with the elastic pool (the default) and with a pool fixed at the cores (KG_MAX_WORKERS =
 * KG_WORKERS), which is what it replaced. Runaways are stopped by a 10 s query timeout.
 */
async function runawayTable(): Promise<void> {
  const runaway = 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }';
  const light = queries.find((saved) => saved.name === 'future-events')!.query;
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
      // The runaways need a moment to reach the workers (the bench is not a test: a pause is fine here).
      if (count > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const url = `${target.url}/sparql?query=${encodeURIComponent(light)}`;
      const started = performance.now();
      await get(url, agent);
      const first = performance.now() - started;
      // A first answer after the runaways' timeout means light queries waited for them: the rest would measure an idle server.
      const m = first < 5000 ? await measure(() => get(url, agent), 1) : undefined;
      agent.destroy();
      for (const req of pending) req.destroy();
      target.stop();
      console.log(`| ${name} | ${count} | ${fixed(first, 1)} | ${m ? fixed(m.perSecond, 0) : '-'} | ${m ? fixed(m.p50) : '-'} | ${m ? fixed(m.p99) : '-'} |`);
    }
  }
}
