// kg synth: a deterministic synthetic corpus that passes the loader's checks and is served like data/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKg } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { loadSavedQueries } from '../../src/dataset/saved-queries.ts';

const root = mkdtempSync(join(tmpdir(), 'kg-synth-'));
const corpus = (name: string) => join(root, name);
const contents = (dir: string) => readdirSync(dir).sort().map((name) => `${name}\n${readFileSync(join(dir, name), 'utf8')}`).join('\n');

describe('kg synth', () => {
  let first: Awaited<ReturnType<typeof runKg>>;
  let server: TestServer;
  beforeAll(async () => {
    first = await runKg(['synth', '--triples', '10000', '--seed', '7', '--out', corpus('a')]);
    server = await startTestServer({ dataDir: corpus('a'), workers: 1 });
  });
  afterAll(() => server.close());

  it('writes about the triples asked for, as texts with their RDF, and says so', () => {
    expect(first.code, first.stderr).toBe(0);
    const match = /^synth: done in [\d.]+ s, (\d+) texts, ([\d,]+) triples in /m.exec(first.stderr);
    expect(match).not.toBeNull();
    const [texts, triples] = [Number(match![1]), Number(match![2]!.replace(/,/g, ''))];
    expect(triples).toBeGreaterThanOrEqual(10_000);
    expect(triples).toBeLessThan(11_000);
    const files = readdirSync(corpus('a'));
    expect(files.filter((name) => name.endsWith('.txt'))).toHaveLength(texts);
    expect(files.filter((name) => name.endsWith('.trig'))).toHaveLength(texts);
  });

  it('writes the same files for the same seed, and others for another', async () => {
    expect((await runKg(['synth', '--triples', '10000', '--seed', '7', '--out', corpus('b')])).code).toBe(0);
    expect((await runKg(['synth', '--triples', '10000', '--seed', '8', '--out', corpus('c')])).code).toBe(0);
    expect(contents(corpus('b'))).toBe(contents(corpus('a')));
    expect(contents(corpus('c'))).not.toBe(contents(corpus('a')));
  });

  it('passes the loader\'s checks: offsets, closure, SHACL', async () => {
    const result = await runKg(['validate', '--data-dir', corpus('a')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^valid: \d+ quads in \d+ named graphs conform to the shapes\n$/);
  });

  it('is served: every saved query answers, and the same ministers recur across texts and years', async () => {
    for (const saved of loadSavedQueries('queries')) {
      const response = await fetch(`${server.url}/queries/${saved.name}`, { headers: { accept: 'application/sparql-results+json, text/turtle' } });
      expect(response.status, saved.name).toBe(200);
    }
    const query = `PREFIX schema: <http://schema.org/>
      SELECT ?person (COUNT(DISTINCT ?session) AS ?sessions) (COUNT(DISTINCT YEAR(?date)) AS ?years)
      WHERE { ?session a <https://w3id.org/diplomacy-kg/ns#Session> ; schema:attendee ?person ; schema:startDate ?date }
      GROUP BY ?person ORDER BY DESC(?sessions) LIMIT 1`;
    const response = await fetch(`${server.url}/sparql?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/sparql-results+json' } });
    const [top] = ((await response.json()) as { results: { bindings: Array<Record<string, { value: string }>> } }).results.bindings;
    expect(Number(top!.sessions!.value)).toBeGreaterThan(3);
    expect(Number(top!.years!.value)).toBeGreaterThan(1);
  });

  it('is refused at start with a message, not a crash, when it holds more quads than the embedded store takes', async () => {
    const result = await runKg(['serve', '--port', '0'], { KG_DATA_DIR: corpus('a'), KG_MAX_QUADS: '2000', KG_STATE_DIR: corpus('state-capacity') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kg: the data is too large for the embedded store: [\d,]+ quads after \d+ of \d+ files, more than KG_MAX_QUADS=2,000/);
    expect(result.stderr).toMatch(/KG_STORE=sparql/);
    expect(result.stderr).not.toMatch(/RuntimeError|at .*\.js:\d+/);
  });

  it('refuses a size that is not a positive number', async () => {
    const result = await runKg(['synth', '--triples', '0', '--out', corpus('d')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--triples must be a whole number of at least 1, not "0"/);
  });
});
