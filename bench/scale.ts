// Graph size against cost: for each size, a synthetic corpus (`kg synth`), our server started on
// it cold (load, anchor checks, SHACL, workers), and the same data exported to N-Quads for the
// peers. Per system: time to the first answer, resident memory, and p50/p99 and throughput at 10
// connections for five kinds of query: a lookup by IRI, events in a date range, a count by class,
// a three-way join, and a CONTAINS filter over every label.

import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeCorpus } from '../src/dataset/synth.ts';
import { hammer, oncePerConnection, warmUp, type Load } from './load.ts';
import { acceptFor } from './throughput.ts';
import { startCeiling, startComunica, startOurs, startVirtuosoPeer, type System } from './systems.ts';

export const QUERY_KINDS = ['lookup by IRI', 'date range', 'count by class', '3-way join', 'CONTAINS on labels'] as const;
export type QueryKind = typeof QUERY_KINDS[number];

export interface ScalePoint {
  /** Triples asked of `kg synth`, and what our server counted (the closure and saved queries included). */
  triples: number;
  served: number;
  system: string;
  /** Our server: the median of `startRunsMs`; a peer: its one start. */
  startMs: number;
  /** Our server's cold starts on this size, one after the other (the last one is measured). */
  startRunsMs?: number[];
  /** Our server started again on the first cold start's state directory: from the build cache it kept. */
  cachedStartMs?: number;
  rssBytes: number;
  loads: Partial<Record<QueryKind, Load>>;
  /** The saved queries at 10 connections, by name, at the size `ScaleOptions.savedQueries` names. */
  saved?: Record<string, Load>;
  /** Why the system could not serve this size (our server refuses data past KG_MAX_QUADS at start). */
  error?: string;
}

export interface ScaleOptions {
  sizes: number[];
  durationMs: number;
  warmupMs: number;
  /** Load over the query types once a system is up, before its first cell (see run.ts). */
  systemWarmupMs: number;
  /** Comunica reads its data into memory for each query: it is measured up to this size. */
  comunicaUpTo: number;
  /** Cold starts of our server per size: its start time is their median (the goal is on it). */
  startRuns: number;
  /**
   * The saved queries, run on every system but Comunica at the size `at`, whose corpus then also
   * holds the files of `dataDir` (the seed data), so that they have something to find.
   */
  savedQueries?: { at: number; dataDir: string; queries: Array<{ name: string; query: string }> };
  onPoint?: (point: ScalePoint) => void;
  log: (line: string) => void;
}

const PREFIXES = `PREFIX dip: <https://w3id.org/diplomacy-kg/ns#> PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>`;

function queriesFor(person: string): Record<QueryKind, string> {
  return {
    'lookup by IRI': `SELECT ?p ?o WHERE { <${person}> ?p ?o }`,
    'date range': `${PREFIXES} SELECT ?session ?date WHERE { ?session a dip:Session ; schema:startDate ?date
      FILTER(?date >= "2016-01-01"^^xsd:date && ?date < "2016-02-01"^^xsd:date) }`,
    'count by class': 'SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class',
    '3-way join': `${PREFIXES} SELECT ?city (COUNT(?speech) AS ?speeches) WHERE {
      ?speech dip:speaker ?speaker ; schema:superEvent ?session . ?session schema:location ?city } GROUP BY ?city`,
    'CONTAINS on labels': `${PREFIXES} SELECT (COUNT(?s) AS ?n) WHERE { ?s rdfs:label ?label FILTER(CONTAINS(STR(?label), "border")) }`,
  };
}

export async function measureScale(options: ScaleOptions): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const triples of options.sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'kg-bench-scale-'));
    try {
      synthesizeCorpus({ triples, seed: 1, out: join(dir, 'data') });
      const saved = options.savedQueries?.at === triples ? options.savedQueries : undefined;
      if (saved) cpSync(saved.dataDir, join(dir, 'data'), { recursive: true });
      options.log(`${triples.toLocaleString('en-US')} triples: starting our server (load, checks, SHACL, workers)`);
      const started = performance.now();
      let ours: System;
      try {
        ours = await startOursRepeatedly(dir, options.startRuns);
      } catch (error) {
        // Past what one store holds, the start is refused with a message: that is the result for this size.
        const message = /kg: [^\n]*/.exec(String(error))?.[0] ?? String(error);
        const point: ScalePoint = { triples, served: 0, system: 'diplomacy-kg', startMs: performance.now() - started, rssBytes: Number.NaN, loads: {}, error: message };
        options.onPoint?.(point);
        points.push(point);
        continue;
      }
      const nquads = join(dir, 'export.nq');
      const served = await exportTo(ours, nquads);
      const person = await anyPerson(ours);
      // Comunica answers few queries within a minute at 10 connections: it gets cells, whatever they
      // cut short, and not the saved queries.
      const systems: Array<{ start: () => Promise<System>; patient: boolean }> = [
        { start: async () => ours, patient: true },
        { start: () => startCeiling(nquads), patient: true },
        { start: () => startVirtuosoPeer(nquads), patient: true },
        ...(triples <= options.comunicaUpTo ? [{ start: () => startComunica(nquads), patient: false }] : []),
      ];
      for (const { start, patient } of systems) {
        const system = await start();
        try {
          const point: ScalePoint = { triples, served, system: system.name, startMs: system.startMs, rssBytes: system.rss(), loads: {},
            ...(system.startRunsMs ? { startRunsMs: system.startRunsMs } : {}),
            ...(system.cachedStartMs !== undefined ? { cachedStartMs: system.cachedStartMs } : {}) };
          const headers = { accept: 'application/sparql-results+json' };
          // Lookups only: on a large graph the other types are slow enough to pile up past the warm-up.
          await warmUp([{ url: `${system.sparqlUrl}?query=${encodeURIComponent(queriesFor(person)['lookup by IRI'])}`, headers }], options.systemWarmupMs);
          for (const [kind, query] of Object.entries(queriesFor(person)) as Array<[QueryKind, string]>) {
            const url = `${system.sparqlUrl}?query=${encodeURIComponent(query)}`;
            point.loads[kind] = await measureQuery(url, headers, options, patient);
            point.rssBytes = Math.max(point.rssBytes, system.rss());
          }
          if (saved && patient) point.saved = await measureSaved(system, saved.queries, options);
          options.onPoint?.(point);
          points.push(point);
        } finally {
          await system.stop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return points;
}

/** Each saved query at 10 connections (see measureQuery). */
async function measureSaved(system: System, queries: Array<{ name: string; query: string }>, options: ScaleOptions): Promise<Record<string, Load>> {
  const loads: Record<string, Load> = {};
  for (const { name, query } of queries) {
    const load = await measureQuery(`${system.sparqlUrl}?query=${encodeURIComponent(query)}`, { accept: acceptFor(query) }, options);
    loads[name] = load;
    options.log(`${system.name}, saved query ${name}: ${load.perSecond.toFixed(1)} req/s, p50 ${load.p50.toFixed(1)} ms${load.failed ? `, ${load.failed} failed` : ''}`);
  }
  return loads;
}

/**
 * A query at 10 connections. A quick one gets a cell. A slow one (SLOW_MS or more, or failing)
 * gets one request per connection, every answer waited for: a cell would cut such queries short,
 * and the work they leave behind (in our server, workers restarted to stop queries whose clients
 * left; in a peer, queries still running) would be measured in the next cell. A system that is
 * not `patient` gets a cell whatever the query.
 */
async function measureQuery(url: string, headers: Record<string, string>, options: ScaleOptions, patient = true): Promise<Load> {
  return patient && await isSlow(url, headers)
    ? oncePerConnection(url, CONNECTIONS, headers)
    : hammer(url, { connections: CONNECTIONS, durationMs: options.durationMs, warmupMs: options.warmupMs, headers });
}

/** Whether a query fails or takes SLOW_MS or more, twice (a first answer may pay for a cold start). */
async function isSlow(url: string, headers: Record<string, string>): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const one = await oncePerConnection(url, 1, headers);
    if (one.failed > 0) return true;
    if (one.p50 < SLOW_MS) return false;
  }
  return true;
}

const CONNECTIONS = 10;
/**
 * Under our pool's ABANDON_GRACE_MS (250 ms): a quick query cut at the end of a cell ends before
 * the pool would stop it for its client's leaving and restart its worker.
 */
const SLOW_MS = 200;

/**
 * Our server started cold `runs` times on the corpus in `dir`, each stopped before the next (a
 * fresh state directory each time), and once more on the first one's state directory, from the
 * build cache that start kept: the last server, with the median of the cold starts as its start
 * time. One start is too noisy to hold against a goal on a shared machine.
 */
async function startOursRepeatedly(dir: string, runs: number): Promise<System> {
  const start = (run: number) => startOurs({
    KG_DATA_DIR: join(dir, 'data'), KG_STATE_DIR: join(dir, `state-${run}`),
    // The export for the peers is one answer: no byte limit on it here.
    KG_MAX_RESULT_BYTES: String(2 ** 31 - 1), KG_MAX_RESULT_ROWS: String(10_000_000), KG_QUERY_TIMEOUT_MS: '120000',
  });
  const first = await start(1);
  await keptBuild(join(dir, 'state-1'));
  await first.stop();
  const cached = await start(1);
  const startRunsMs = [first.startMs];
  let last = cached;
  for (let run = 2; run <= runs; run++) {
    await last.stop();
    last = await start(run);
    startRunsMs.push(last.startMs);
  }
  return { ...last, startMs: median(startRunsMs), startRunsMs, cachedStartMs: cached.startMs };
}

/** Waits until the server on `stateDir` has kept its checked graph (written after its start, once packed). */
async function keptBuild(stateDir: string): Promise<void> {
  const manifest = join(stateDir, 'build-cache', 'manifest.json');
  for (const deadline = Date.now() + 300_000; !existsSync(manifest); await delay(200)) {
    if (Date.now() > deadline) throw new Error(`the server did not keep its build in ${manifest} within 5 minutes`);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Our whole dataset as N-Quads (what every peer loads); returns its number of quads. */
async function exportTo(ours: System, file: string): Promise<number> {
  const response = await fetch(ours.sparqlUrl.replace(/\/sparql$/, '/export?format=nquads'));
  if (!response.ok) throw new Error(`the export failed: ${response.status} ${await response.text()}`);
  const text = await response.text();
  writeFileSync(file, text);
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

async function anyPerson(ours: System): Promise<string> {
  const query = 'SELECT ?person WHERE { ?person a <http://schema.org/Person> } LIMIT 1';
  const response = await fetch(`${ours.sparqlUrl}?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  const json = await response.json() as { results: { bindings: Array<{ person: { value: string } }> } };
  return json.results.bindings[0]!.person.value;
}
