// Graph size against cost: for each size, a synthetic corpus (`kg synth`), our server started on
// it cold (load, anchor checks, SHACL, workers), and the same data exported to N-Quads for the
// peers. Per system: time to the first answer, resident memory, and p50/p99 and throughput at 10
// connections for five kinds of query: a lookup by IRI, events in a date range, a count by class,
// a three-way join, and a CONTAINS filter over every label.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeCorpus } from '../src/dataset/synth.ts';
import { hammer, warmUp, type Load } from './load.ts';
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
  rssBytes: number;
  loads: Partial<Record<QueryKind, Load>>;
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
      const systems: Array<() => Promise<System>> = [
        async () => ours,
        () => startCeiling(nquads),
        () => startVirtuosoPeer(nquads),
        ...(triples <= options.comunicaUpTo ? [() => startComunica(nquads)] : []),
      ];
      for (const start of systems) {
        const system = await start();
        try {
          const point: ScalePoint = { triples, served, system: system.name, startMs: system.startMs, rssBytes: system.rss(), loads: {},
            ...(system.startRunsMs ? { startRunsMs: system.startRunsMs } : {}) };
          const headers = { accept: 'application/sparql-results+json' };
          // Lookups only: on a large graph the other types are slow enough to pile up past the warm-up.
          await warmUp([{ url: `${system.sparqlUrl}?query=${encodeURIComponent(queriesFor(person)['lookup by IRI'])}`, headers }], options.systemWarmupMs);
          for (const [kind, query] of Object.entries(queriesFor(person)) as Array<[QueryKind, string]>) {
            const url = `${system.sparqlUrl}?query=${encodeURIComponent(query)}`;
            point.loads[kind] = await hammer(url, { connections: 10, durationMs: options.durationMs, warmupMs: options.warmupMs, headers });
            point.rssBytes = Math.max(point.rssBytes, system.rss());
          }
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

/**
 * Our server started cold `runs` times on the corpus in `dir`, each stopped before the next (a
 * fresh state directory each time): the last one, with the median of the starts as its start
 * time. One start is too noisy to hold against a goal on a shared machine.
 */
async function startOursRepeatedly(dir: string, runs: number): Promise<System> {
  const startRunsMs: number[] = [];
  for (let run = 1; ; run++) {
    const ours = await startOurs({
      KG_DATA_DIR: join(dir, 'data'), KG_STATE_DIR: join(dir, `state-${run}`),
      // The export for the peers is one answer: no byte limit on it here.
      KG_MAX_RESULT_BYTES: String(2 ** 31 - 1), KG_MAX_RESULT_ROWS: String(10_000_000), KG_QUERY_TIMEOUT_MS: '120000',
    });
    startRunsMs.push(ours.startMs);
    if (run >= runs) return { ...ours, startMs: median(startRunsMs), startRunsMs };
    await ours.stop();
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
