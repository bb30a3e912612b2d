// The exploration pages on synthetic corpora (kg synth): time and size of each page against the
// budget the README states, measured over HTTP from a server in a child process.

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeCorpus } from '../src/dataset/synth.ts';

export interface PageBenchTools {
  startServerProcess: (env?: NodeJS.ProcessEnv) => Promise<{ url: string; stop: () => void }>;
  fixed: (n: number, digits?: number) => string;
}

/** What a page may cost on the 10k-triple corpus: p50 time and size. */
export const PAGE_BUDGET = { p50Ms: 250, bytes: 1_000_000 };
const RUNS = 20;

export async function pagesTables(tools: PageBenchTools, sizes: number[] = [10_000, 100_000]): Promise<void> {
  const { fixed } = tools;
  console.log(`\nExploration pages on synthetic corpora (kg synth, seed 1), ${RUNS} requests each; budget at 10k: p50 <= ${PAGE_BUDGET.p50Ms} ms, <= ${PAGE_BUDGET.bytes / 1000} KB:\n`);
  console.log('| corpus | page | p50 ms | p99 ms | KB | within budget |');
  console.log('|:--|:--|--:|--:|--:|:--|');
  for (const triples of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'kg-bench-synth-'));
    synthesizeCorpus({ triples, seed: 1, out: dir });
    const slug = readdirSync(dir).find((name) => name.endsWith('.txt'))!.slice(0, -4);
    const server = await tools.startServerProcess({ KG_DATA_DIR: dir });
    const person = await firstPerson(server.url);
    const pages: Array<[string, string]> = [
      ['document view', `/page/text/${slug}`],
      ['timeline', '/timeline'],
      ['timeline, one person', `/timeline?person=${encodeURIComponent(person)}`],
      ['network (default focus)', '/network'],
      ['network, one person, 2 steps', `/network?focus=${encodeURIComponent(person)}&hops=2`],
      ['entity page with its network', `/page/${person.slice(person.indexOf('/id/') + 4)}`],
    ];
    for (const [name, path] of pages) {
      const latencies: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}${path}`);
        const body = await response.text();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
        latencies.push(performance.now() - started);
        bytes = Buffer.byteLength(body);
      }
      latencies.sort((a, b) => a - b);
      const p50 = latencies[Math.floor(RUNS / 2)]!;
      const p99 = latencies[RUNS - 1]!;
      const within = triples > 10_000 ? '(not budgeted)' : p50 <= PAGE_BUDGET.p50Ms && bytes <= PAGE_BUDGET.bytes ? 'yes' : 'NO';
      console.log(`| ${triples.toLocaleString('en')} | ${name} | ${fixed(p50, 1)} | ${fixed(p99, 1)} | ${fixed(bytes / 1000, 0)} | ${within} |`);
    }
    server.stop();
  }
}

async function firstPerson(url: string): Promise<string> {
  const query = 'SELECT ?p WHERE { ?e <http://schema.org/attendee> ?p } LIMIT 1';
  const response = await fetch(`${url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
  return ((await response.json()) as { results: { bindings: Array<{ p: { value: string } }> } }).results.bindings[0]!.p.value;
}
